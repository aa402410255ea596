package billing_test

import (
	"testing"

	"jobcenter/apitest"
	"jobcenter/billing"
	"jobcenter/models"
)

// The standard VAT rate is a dated setting: 24 % until 2024-08-31, 25.5 %
// from 2024-09-01 (DOMAIN.md).
func TestStandardVatRateFollowsItsValidityDate(t *testing.T) {
	_, db := apitest.OpenDB(t, true)
	for day, want := range map[string]int64{"2024-08-31": 2400, "2024-09-01": 2550, "2026-11-24": 2550} {
		d, _ := models.ParseDate(day)
		got, err := billing.StandardVatBps(db.Gorm, d)
		if err != nil || got != want {
			t.Errorf("rate on %s: %d, %v; want %d", day, got, err, want)
		}
	}
	if _, err := billing.StandardVatBps(db.Gorm, models.Date{Year: 2000, Month: 1, Day: 1}); err == nil {
		t.Error("a day before any rate has a rate")
	}
}
