package main

import (
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"jobcenter/billing"
	"jobcenter/models"
)

func init() {
	register(datedSetting[billing.VatRate]{
		use: "vat-rate", short: "The standard VAT rate, a dated setting of the whole service",
		listShort: "The standard VAT rates and the dates they apply from",
		addHelp: cobra.Command{Use: "add --from YYYY-MM-DD --bps N", Short: "Record a change of the rate by law, from a day after today",
			Long: "vat-rate add records a new standard VAT rate (basis points, 2550 = 25.5 %) valid from a\n" +
				"day after today, so no invoice already written changes; it prints every rate."},
		addFlags: func(fs *pflag.FlagSet) func(models.Date) billing.VatRate {
			bps := fs.Int64("bps", -1, "the rate in basis points (2550 = 25.5 %)")
			return func(from models.Date) billing.VatRate { return billing.VatRate{ValidFrom: from, RateBps: *bps} }
		},
		add:  (*billing.Service).AddVatRate,
		list: (*billing.Service).VatRates,
	}.command)
}
