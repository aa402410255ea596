package main

import (
	"context"
	"encoding/json"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"jobcenter/billing"
	"jobcenter/models"
)

// datedSetting describes a national setting that changes by law from a day
// (the VAT rate, the payroll rates) as a command group: list prints every
// value, add records one from a day after today and prints every value.
type datedSetting[R any] struct {
	use, short string // the group
	listShort  string
	// addHelp is add's Use, Short and Long.
	addHelp cobra.Command
	// addFlags declares add's flags besides --from, all required, and
	// returns how to build the value from them.
	addFlags func(*pflag.FlagSet) func(from models.Date) R
	add      func(*billing.Service, context.Context, R) error
	list     func(*billing.Service, context.Context) ([]R, error)
}

func (d datedSetting[R]) command(e *env) *cobra.Command {
	list := &cobra.Command{Use: "list", Short: d.listShort,
		RunE: e.run(func(ctx context.Context) error { return d.print(ctx, e, nil) })}
	var from string
	add := &cobra.Command{Use: d.addHelp.Use, Short: d.addHelp.Short, Long: d.addHelp.Long}
	value := d.addFlags(add.Flags())
	add.Flags().StringVar(&from, "from", "", "first day of the rate, YYYY-MM-DD")
	add.Flags().VisitAll(func(f *pflag.Flag) {
		_ = add.MarkFlagRequired(f.Name) // cannot fail: the flag exists
	})
	add.RunE = e.run(func(ctx context.Context) error {
		day, err := models.ParseDate(from)
		if err != nil {
			return usagef("--from %q: want YYYY-MM-DD", from)
		}
		r := value(day)
		return d.print(ctx, e, &r)
	})
	return group(d.use, d.short, list, add)
}

// print records add, when given, and prints every value.
func (d datedSetting[R]) print(ctx context.Context, e *env, add *R) error {
	m, err := e.openMain(ctx)
	if err != nil {
		return err
	}
	defer m.Close()
	if add != nil {
		if err := d.add(m.Billing, ctx, *add); err != nil {
			return err
		}
	}
	values, err := d.list(m.Billing, ctx)
	if err != nil {
		return err
	}
	return json.NewEncoder(e.out).Encode(values)
}
