package billing_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"jobcenter/apitest"
	"jobcenter/billing"
	"jobcenter/clock"
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

// A change of the rate by law is added ahead of its date and applies from
// it; a rate for today or earlier, a second rate for the same day or an
// impossible rate is refused and changes nothing.
func TestAddVatRateAppliesFromItsDate(t *testing.T) {
	_, db := apitest.OpenDB(t, true)
	c := &clock.Settable{}
	c.Set(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC))
	loc, _ := time.LoadLocation("Europe/Helsinki")
	s := &billing.Service{DB: db, Clock: c, Loc: loc}
	ctx := context.Background()
	day := func(s string) models.Date { d, _ := models.ParseDate(s); return d }

	if err := s.AddVatRate(ctx, billing.VatRate{ValidFrom: day("2027-01-01"), RateBps: 2600}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []billing.VatRate{
		{ValidFrom: day("2026-11-24"), RateBps: 2600},  // today: a run may have used the old rate
		{ValidFrom: day("2027-01-01"), RateBps: 2700},  // that day has its rate
		{ValidFrom: day("2027-02-01"), RateBps: 10001}, // over 100 %
	} {
		err := s.AddVatRate(ctx, bad)
		if !errors.Is(err, models.ErrInvalid) && !errors.Is(err, models.ErrConflict) {
			t.Errorf("AddVatRate(%v) = %v, want a refusal", bad, err)
		}
	}
	for d, want := range map[string]int64{"2026-12-31": 2550, "2027-01-01": 2600} {
		if got, err := billing.StandardVatBps(db.Gorm, day(d)); err != nil || got != want {
			t.Errorf("rate on %s: %d, %v; want %d", d, got, err, want)
		}
	}
	rates, err := s.VatRates(ctx)
	if err != nil || len(rates) != 3 || rates[2] != (billing.VatRate{ValidFrom: day("2027-01-01"), RateBps: 2600}) {
		t.Errorf("rates %v, %v", rates, err)
	}
}
