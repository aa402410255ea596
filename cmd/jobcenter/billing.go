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
		var tenant, period string
		var dry bool
		run := &cobra.Command{Use: "run --tenant ID --period YYYY-MM [--dry-run]",
			Short: "The billing run of the API and the monthly job",
			Long: "billing run bills a tenant's approved hours and cancellation fees of a month that has\n" +
				"ended (in JOBCENTER_TIMEZONE) and prints the run's totals; --dry-run computes the same\n" +
				"without writing, and may preview the current month.",
			RunE: e.run(func(ctx context.Context) error {
				p, err := models.ParsePeriod(period)
				if err != nil {
					return usagef("--period %q: want YYYY-MM", period)
				}
				m, err := e.openMain(ctx)
				if err != nil {
					return err
				}
				defer m.Close()
				out, err := m.Billing.Run(ctx, billing.RunRequest{TenantID: tenant, Period: p, DryRun: dry})
				if err != nil {
					return err
				}
				var id any = out.Run.ID
				if out.DryRun {
					id = nil // nothing was stored
				}
				return json.NewEncoder(e.out).Encode(map[string]any{"id": id, "period": out.Run.Period, "kind": out.Run.Kind,
					"dry_run": out.DryRun, "invoice_count": out.Run.InvoiceCount, "net_cents": out.Run.NetCents,
					"vat_cents": out.Run.VatCents, "gross_cents": out.Run.GrossCents})
			})}
		run.Flags().StringVar(&tenant, "tenant", "", "tenant id")
		run.Flags().StringVar(&period, "period", "", "the month to bill, YYYY-MM")
		run.Flags().BoolVar(&dry, "dry-run", false, "compute and show without writing")
		for _, f := range []string{"tenant", "period"} {
			_ = run.MarkFlagRequired(f) // cannot fail: the flag exists
		}
		return group("billing", "Billing runs", run)
	})
}
