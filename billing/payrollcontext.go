package billing

import (
	"fmt"

	"gorm.io/gorm"

	"jobcenter/models"
	"jobcenter/payroll"
)

// payrollContext resolves what the payouts of groups need, set-based: the
// rates valid on the payment date, each participant's birth date (from the
// sealed identity code), employment start and end and tax card of the
// payment year, and from one aggregate query each over the earlier payouts,
// the participant's taxable income of the year, holiday compensation
// unpaid and what open credit years accrued, and the organiser's insured
// payroll of the year. Rows carried into a later payout are skipped: the
// later payout holds their figures.
func (s *Service) payrollContext(tx *gorm.DB, tenantID string, groups []PayoutGroup, period models.Period, paymentDate models.Date) (Payroll, error) {
	pr := Payroll{Period: period, PaymentDate: paymentDate, Employees: map[string]payroll.Employee{},
		History: map[string]payroll.History{}, EmployerPayroll: map[string]models.Cents{}}
	var err error
	if pr.Rates, err = PayrollRatesOn(tx, paymentDate); err != nil {
		return Payroll{}, err
	}
	ids, organisers := map[string]bool{}, map[string]bool{}
	for _, g := range groups {
		ids[g.ParticipantID], organisers[g.OrganiserID] = true, true
	}
	var people []struct {
		ID                    string
		IdentityCodeEncrypted string
		EmploymentStartDate   *models.Date
		EmploymentEndDate     *models.Date
	}
	if err := tx.Raw(`SELECT id, identity_code_encrypted, employment_start_date, employment_end_date FROM participants WHERE tenant_id = ? AND id IN ?`,
		tenantID, keys(ids)).Scan(&people).Error; err != nil {
		return Payroll{}, fmt.Errorf("load employees: %w", err)
	}
	for _, p := range people {
		var e payroll.Employee
		if p.EmploymentStartDate != nil {
			e.EmploymentStart = *p.EmploymentStartDate
		}
		if p.EmploymentEndDate != nil {
			e.EmploymentEnd = *p.EmploymentEndDate
		}
		if p.IdentityCodeEncrypted != "" {
			code, err := s.OpenIdentityCode(tenantID, p.ID, p.IdentityCodeEncrypted)
			if err != nil {
				return Payroll{}, err
			}
			e.BirthDate, _ = models.IdentityCodeBirthDate(code)
		}
		pr.Employees[p.ID] = e
	}
	var cards []struct {
		ParticipantID                             string
		BasicBps, AdditionalBps, IncomeLimitCents int64
	}
	if err := tx.Raw(`SELECT participant_id, basic_bps, additional_bps, income_limit_cents FROM tax_cards
		WHERE tenant_id = ? AND year = ? AND participant_id IN ?`, tenantID, paymentDate.Year, keys(ids)).Scan(&cards).Error; err != nil {
		return Payroll{}, fmt.Errorf("load tax cards: %w", err)
	}
	for _, c := range cards {
		e := pr.Employees[c.ParticipantID]
		e.TaxCard = &payroll.TaxCard{BasicBps: c.BasicBps, AdditionalBps: c.AdditionalBps, IncomeLimit: models.Cents(c.IncomeLimitCents)}
		pr.Employees[c.ParticipantID] = e
	}
	yearStart := models.Date{Year: paymentDate.Year, Month: 1, Day: 1}
	var history []struct {
		ParticipantID                          string
		YearIncome, HolidayUnpaid, HolidayOpen int64
	}
	if err := tx.Raw(`SELECT participant_id,
			COALESCE(SUM(CASE WHEN payment_date BETWEEN ? AND ? THEN wage_cents + holiday_compensation_cents + taxable_cents ELSE 0 END), 0) AS year_income,
			COALESCE(SUM(holiday_accrued_cents - holiday_compensation_cents), 0) AS holiday_unpaid,
			COALESCE(SUM(CASE WHEN period > ? THEN holiday_accrued_cents ELSE 0 END), 0) AS holiday_open
		FROM payouts WHERE tenant_id = ? AND carried_into IS NULL AND participant_id IN ?
		GROUP BY participant_id`, yearStart, paymentDate, payroll.LastClosedCreditMonth(period).String(), tenantID, keys(ids)).
		Scan(&history).Error; err != nil {
		return Payroll{}, fmt.Errorf("load the year's payouts: %w", err)
	}
	for _, h := range history {
		pr.History[h.ParticipantID] = payroll.History{YearIncome: models.Cents(h.YearIncome),
			HolidayUnpaid: models.Cents(h.HolidayUnpaid), HolidayOpen: models.Cents(h.HolidayOpen)}
	}
	var employers []struct {
		OrganiserID string
		Insured     int64
	}
	if err := tx.Raw(`SELECT organiser_id, COALESCE(SUM(wage_cents + holiday_compensation_cents), 0) AS insured
		FROM payouts WHERE tenant_id = ? AND carried_into IS NULL AND payment_date BETWEEN ? AND ? AND organiser_id IN ?
		GROUP BY organiser_id`, tenantID, yearStart, paymentDate, keys(organisers)).Scan(&employers).Error; err != nil {
		return Payroll{}, fmt.Errorf("load the year's payroll: %w", err)
	}
	for _, e := range employers {
		pr.EmployerPayroll[e.OrganiserID] = models.Cents(e.Insured)
	}
	return pr, nil
}
