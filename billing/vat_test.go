package billing_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"jobcenter/apitest"
	"jobcenter/billing"
	"jobcenter/clock"
	"jobcenter/models"
)

// The standard VAT rate is a dated setting: 24 % until 2024-08-31, 25.5 %
// from 2024-09-01 (DOMAIN.md). A billing run joins the rate valid on each
// shift's date (apitest's vatChangeWorld bills across a change).
func TestStandardVatRatesAreSeededWithTheirDates(t *testing.T) {
	_, db := apitest.OpenDB(t, true)
	s := &billing.Service{DB: db}
	rates, err := s.VatRates(context.Background())
	want := []billing.VatRate{{ValidFrom: models.Date{Year: 2013, Month: 1, Day: 1}, RateBps: 2400},
		{ValidFrom: models.Date{Year: 2024, Month: 9, Day: 1}, RateBps: 2550}}
	if err != nil || !slices.Equal(rates, want) {
		t.Errorf("VAT rates %v, %v; want %v", rates, err, want)
	}
}

// A change of the rate by law is added ahead of its date, after the rates
// before it; a rate for today or earlier, a second rate for the same day or
// an impossible rate is refused and changes nothing.
func TestAddVatRateRecordsAChangeAheadOfItsDate(t *testing.T) {
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
	rates, err := s.VatRates(ctx)
	if err != nil || len(rates) != 3 || rates[2] != (billing.VatRate{ValidFrom: day("2027-01-01"), RateBps: 2600}) {
		t.Errorf("rates %v, %v", rates, err)
	}
}
