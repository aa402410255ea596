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
	"jobcenter/payroll"
)

// The 2026 payroll rates are seeded (PAYROLL.md section 2); a change by law
// is added ahead of its date and applies from it; a rate for today, an
// unknown name, a second value for the same day or a rate over 100 % is
// refused and changes nothing; a day before any rate stops the run.
func TestPayrollRatesAreDatedSettings(t *testing.T) {
	_, db := apitest.OpenDB(t, true)
	c := &clock.Settable{}
	c.Set(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC))
	loc, _ := time.LoadLocation("Europe/Helsinki")
	s := &billing.Service{DB: db, Clock: c, Loc: loc}
	ctx := context.Background()
	day := func(s string) models.Date { d, _ := models.ParseDate(s); return d }

	want2026 := payroll.Rates{EmployeePensionBps: 730, EmployeeUnemploymentBps: 89, EmployerUnemploymentBps: 31,
		EmployerUnemploymentHighBps: 72, EmployerUnemploymentThreshold: 250950000, EmployerHealthInsuranceBps: 187,
		PensionThreshold: 7172, WorkShareTaxFree: 1200}
	if got, err := billing.PayrollRatesOn(db.Gorm, day("2026-02-05")); err != nil || got != want2026 {
		t.Fatalf("2026 rates %+v, %v", got, err)
	}
	if _, err := billing.PayrollRatesOn(db.Gorm, day("2025-12-31")); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("a day before any rate: %v", err)
	}
	if err := s.AddPayrollRate(ctx, billing.PayrollRate{Name: "work_share_tax_free_cents", ValidFrom: day("2027-01-01"), Value: 1300}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []billing.PayrollRate{
		{Name: "employee_pension_bps", ValidFrom: day("2026-11-24"), Value: 700},       // today
		{Name: "pension_bps", ValidFrom: day("2027-01-01"), Value: 700},                // unknown
		{Name: "work_share_tax_free_cents", ValidFrom: day("2027-01-01"), Value: 1400}, // that day has its value
		{Name: "employee_pension_bps", ValidFrom: day("2027-01-01"), Value: 10001},     // over 100 %
		{Name: "work_share_tax_free_cents", ValidFrom: day("2027-02-01"), Value: -1},   // negative
	} {
		if err := s.AddPayrollRate(ctx, bad); !errors.Is(err, models.ErrInvalid) && !errors.Is(err, models.ErrConflict) {
			t.Errorf("AddPayrollRate(%v) = %v, want a refusal", bad, err)
		}
	}
	for d, want := range map[string]models.Cents{"2026-12-31": 1200, "2027-01-01": 1300} {
		if got, err := s.WorkShareTaxFree(ctx, day(d)); err != nil || got != want {
			t.Errorf("cap on %s: %d, %v; want %d", d, got, err, want)
		}
	}
	if _, err := s.WorkShareTaxFree(ctx, day("2025-12-31")); !errors.Is(err, models.ErrConflict) {
		t.Errorf("cap on a day before any value: %v", err)
	}
	rates, err := s.PayrollRates(ctx)
	if err != nil || len(rates) != 9 {
		t.Errorf("rates %v, %v", rates, err)
	}
}
