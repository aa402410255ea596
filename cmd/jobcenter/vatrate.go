package main

import (
	"context"
	"encoding/json"

	"github.com/spf13/cobra"

	"jobcenter/billing"
	"jobcenter/models"
)

func init() {
	register(func(e *env) *cobra.Command {
		list := &cobra.Command{Use: "list", Short: "The standard VAT rates and the dates they apply from",
			RunE: e.run(func(ctx context.Context) error { return e.printVatRates(ctx, nil) })}
		var from string
		var bps int64
		add := &cobra.Command{Use: "add --from YYYY-MM-DD --bps N",
			Short: "Record a change of the rate by law, from a day after today",
			Long: "vat-rate add records a new standard VAT rate (basis points, 2550 = 25.5 %) valid from a\n" +
				"day after today, so no invoice already written changes; it prints every rate.",
			RunE: e.run(func(ctx context.Context) error {
				day, err := models.ParseDate(from)
				if err != nil {
					return usagef("--from %q: want YYYY-MM-DD", from)
				}
				return e.printVatRates(ctx, &billing.VatRate{ValidFrom: day, RateBps: bps})
			})}
		add.Flags().StringVar(&from, "from", "", "first day of the rate, YYYY-MM-DD")
		add.Flags().Int64Var(&bps, "bps", -1, "the rate in basis points (2550 = 25.5 %)")
		for _, f := range []string{"from", "bps"} {
			_ = add.MarkFlagRequired(f) // cannot fail: the flag exists
		}
		return group("vat-rate", "The standard VAT rate, a dated setting of the whole service", list, add)
	})
}

// printVatRates records add, when given, and prints every rate.
func (e *env) printVatRates(ctx context.Context, add *billing.VatRate) error {
	m, err := e.openMain(ctx)
	if err != nil {
		return err
	}
	defer m.Close()
	if add != nil {
		if err := m.Billing.AddVatRate(ctx, *add); err != nil {
			return err
		}
	}
	rates, err := m.Billing.VatRates(ctx)
	if err != nil {
		return err
	}
	return json.NewEncoder(e.out).Encode(rates)
}
