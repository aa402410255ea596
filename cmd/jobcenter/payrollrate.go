package main

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/spf13/cobra"

	"jobcenter/billing"
	"jobcenter/models"
)

func init() {
	register(func(e *env) *cobra.Command {
		list := &cobra.Command{Use: "list", Short: "The national payroll rates and the dates they apply from",
			RunE: e.run(func(ctx context.Context) error { return e.printPayrollRates(ctx, nil) })}
		var name, from string
		var value int64
		add := &cobra.Command{Use: "add --name NAME --from YYYY-MM-DD --value N",
			Short: "Record a change of a payroll rate by law, from a day after today",
			Long: "payroll-rate add records a national payroll rate valid from a day after today, so no\n" +
				"payout already computed changes; it prints every rate. Names: " + strings.Join(billing.PayrollRateNames, ", ") + ".\n" +
				"Values are basis points for *_bps (730 = 7.30 %) and cents for *_cents.",
			RunE: e.run(func(ctx context.Context) error {
				day, err := models.ParseDate(from)
				if err != nil {
					return usagef("--from %q: want YYYY-MM-DD", from)
				}
				return e.printPayrollRates(ctx, &billing.PayrollRate{Name: name, ValidFrom: day, Value: value})
			})}
		add.Flags().StringVar(&name, "name", "", "the rate's name, e.g. employee_pension_bps")
		add.Flags().StringVar(&from, "from", "", "first day of the rate, YYYY-MM-DD")
		add.Flags().Int64Var(&value, "value", -1, "basis points for *_bps, cents for *_cents")
		for _, f := range []string{"name", "from", "value"} {
			_ = add.MarkFlagRequired(f) // cannot fail: the flag exists
		}
		return group("payroll-rate", "The national payroll rates, dated settings of the whole service", list, add)
	})
}

// printPayrollRates records add, when given, and prints every rate.
func (e *env) printPayrollRates(ctx context.Context, add *billing.PayrollRate) error {
	m, err := e.openMain(ctx)
	if err != nil {
		return err
	}
	defer m.Close()
	if add != nil {
		if err := m.Billing.AddPayrollRate(ctx, *add); err != nil {
			return err
		}
	}
	rates, err := m.Billing.PayrollRates(ctx)
	if err != nil {
		return err
	}
	return json.NewEncoder(e.out).Encode(rates)
}
