package billing

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"jobcenter/models"
	"jobcenter/payroll"
	"jobcenter/store"
)

// PayrollRate is a national payroll rate from a date on, until the next one
// of the same name. Names ending in _bps are rates, _cents amounts.
type PayrollRate struct {
	Name      string      `json:"name"`
	ValidFrom models.Date `json:"valid_from"`
	Value     int64       `json:"value"`
}

// PayrollRateNames are the dated national payroll settings (API.md).
var PayrollRateNames = []string{
	"employee_pension_bps", "employee_unemployment_bps", "employer_unemployment_bps",
	"employer_unemployment_high_bps", "employer_unemployment_threshold_cents",
	"employer_health_insurance_bps", "work_share_tax_free_cents", "pension_insurance_threshold_cents",
}

// PayrollRatesOn are the national payroll rates valid on day (the payment
// date). A rate with no value valid on day is a conflict that names it, so
// the run stops instead of paying without a contribution.
func PayrollRatesOn(tx *gorm.DB, day models.Date) (payroll.Rates, error) {
	by, err := payrollRateValuesOn(tx, day, PayrollRateNames...)
	if err != nil {
		return payroll.Rates{}, err
	}
	return payroll.Rates{
		EmployeePensionBps: by["employee_pension_bps"], EmployeeUnemploymentBps: by["employee_unemployment_bps"],
		EmployerUnemploymentBps: by["employer_unemployment_bps"], EmployerUnemploymentHighBps: by["employer_unemployment_high_bps"],
		EmployerUnemploymentThreshold: models.Cents(by["employer_unemployment_threshold_cents"]),
		EmployerHealthInsuranceBps:    by["employer_health_insurance_bps"],
		PensionThreshold:              models.Cents(by["pension_insurance_threshold_cents"]),
		WorkShareTaxFree:              models.Cents(by["work_share_tax_free_cents"]),
	}, nil
}

// WorkShareTaxFree is the työosuusraha's tax-free cap per day valid on day.
func (s *Service) WorkShareTaxFree(ctx context.Context, day models.Date) (models.Cents, error) {
	const name = "work_share_tax_free_cents"
	by, err := payrollRateValuesOn(s.DB.Gorm.WithContext(ctx), day, name)
	if err != nil {
		return 0, err
	}
	return models.Cents(by[name]), nil
}

// payrollRateValuesOn reads the dated payroll settings: the value of each
// of names valid on day, by name. A name with no value valid on day is a
// conflict that names it.
func payrollRateValuesOn(tx *gorm.DB, day models.Date, names ...string) (map[string]int64, error) {
	var rows []PayrollRate
	if err := tx.Raw(`SELECT r.name, r.valid_from, r.value FROM payroll_rates r
		WHERE r.name IN ? AND r.valid_from = (SELECT MAX(valid_from) FROM payroll_rates x WHERE x.name = r.name AND x.valid_from <= ?)`,
		names, day).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("payroll rates on %s: %w", day, err)
	}
	by := make(map[string]int64, len(rows))
	for _, r := range rows {
		by[r.Name] = r.Value
	}
	var missing []string
	for _, n := range names {
		if _, ok := by[n]; !ok {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, models.Conflict("no_payroll_rate", fmt.Sprintf(
			"no payroll rate %s is valid on %s; add it with jobcenter payroll-rate add", strings.Join(missing, ", "), day))
	}
	return by, nil
}

// PayrollRates lists the national payroll rates by name and date.
func (s *Service) PayrollRates(ctx context.Context) ([]PayrollRate, error) {
	var rates []PayrollRate
	if err := s.DB.Gorm.WithContext(ctx).Raw(`SELECT name, valid_from, value FROM payroll_rates ORDER BY name, valid_from`).
		Scan(&rates).Error; err != nil {
		return nil, fmt.Errorf("payroll rates: %w", err)
	}
	return rates, nil
}

// AddPayrollRate records a national rate change, service-wide, from a day
// after today: payouts already paid keep the rates of their payment date.
func (s *Service) AddPayrollRate(ctx context.Context, r PayrollRate) error {
	v := &models.ValidationError{}
	if !slices.Contains(PayrollRateNames, r.Name) {
		v.Add("/name", "must be one of "+strings.Join(PayrollRateNames, ", "))
	}
	if today := models.DateOf(s.Clock.Now(), s.Loc); !r.ValidFrom.After(today) {
		v.Add("/valid_from", fmt.Sprintf("must be after today (%s): a rate never changes payouts already paid", today))
	}
	switch {
	case r.Value < 0:
		v.Add("/value", "must not be negative")
	case strings.HasSuffix(r.Name, "_bps") && r.Value > 10000:
		v.Add("/value", "must be 0–10000 basis points")
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.DB.Gorm.WithContext(ctx).Exec(`INSERT INTO payroll_rates (name, valid_from, value) VALUES (?, ?, ?)`,
		r.Name, r.ValidFrom, r.Value).Error; err != nil {
		return fmt.Errorf("add payroll rate %s from %s: %w", r.Name, r.ValidFrom, store.Translate(err))
	}
	return nil
}
