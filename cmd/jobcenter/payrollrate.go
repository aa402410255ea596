package main

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"jobcenter/billing"
	"jobcenter/models"
)

func init() {
	register(datedSetting[billing.PayrollRate]{
		use: "payroll-rate", short: "The national payroll rates, dated settings of the whole service",
		listShort: "The national payroll rates and the dates they apply from",
		addHelp: cobra.Command{Use: "add --name NAME --from YYYY-MM-DD --value N", Short: "Record a change of a payroll rate by law, from a day after today",
			Long: "payroll-rate add records a national payroll rate valid from a day after today, so no\n" +
				"payout already computed changes; it prints every rate. Names: " + strings.Join(billing.PayrollRateNames, ", ") + ".\n" +
				"Values are basis points for *_bps (730 = 7.30 %) and cents for *_cents."},
		addFlags: func(fs *pflag.FlagSet) func(models.Date) billing.PayrollRate {
			name := fs.String("name", "", "the rate's name, e.g. employee_pension_bps")
			value := fs.Int64("value", -1, "basis points for *_bps, cents for *_cents")
			return func(from models.Date) billing.PayrollRate {
				return billing.PayrollRate{Name: *name, ValidFrom: from, Value: *value}
			}
		},
		add:  (*billing.Service).AddPayrollRate,
		list: (*billing.Service).PayrollRates,
	}.command)
}
