// Package payroll is Finnish payroll arithmetic for a participant's monthly
// payout: gross → holiday compensation → withholding → employee pension and
// unemployment insurance → net, the employer's own costs, and the tax-free
// part of a työosuusraha. It is pure (no I/O): the billing run resolves the
// dated rates, the tax card, the participant's age and the year's earlier
// payouts, and calls Compute once per payout.
//
// Rules (PAYROLL.md sections 2–3; sources there and in the README):
//
//   - Every line is computed from its own base and rounded once, half up.
//   - Withholding: the tax card's basic rate until the income paid in the
//     payment date's year passes the card's income limit, the additional
//     rate on the part above; 60 % without a card for the year.
//   - Employee and employer TyEL pension: from the start of the month after
//     the 17th birthday to the end of the month the upper age limit is
//     reached (68 for those born in 1957 or earlier, 69 for 1958–1961, 70 from
//     1962; tyel-vakuutus.fi/ikaraja, aekassa.fi/tyonantaja/tyel), and only
//     when the month's insured pay reaches the dated insurance threshold.
//   - Employee and employer unemployment insurance: ages 18–64 (the
//     employer's age band is taken equal to the employee's: unconfirmed).
//   - Employer unemployment insurance in two bands by the employer's payroll
//     of the year; health and accident insurance on all insured pay.
//   - Ages are taken on the payment date.
//   - Holiday compensation (Vuosilomalaki 162/2005 § 16): a month with fewer
//     than 14 days of work accrues 9 % of its wages, 11.5 % when the
//     employment had lasted a year by the end of the holiday credit year
//     (1.4.–31.3.), or by its own end if that comes first. The law lets the employer pay it at the latest when the
//     holiday season ends; this package pays a credit year's accrual in the
//     payout of its last month, March (and any remainder in the first later
//     payout). When the employment ends, all compensation not yet paid
//     falls due (§ 17, "Lomakorvaus työsuhteen päättyessä";
//     finlex.fi/fi/laki/ajantasa/2005/20050162, vuosilomaopas.fi/fi/
//     lomakorvaus-2/lomakorvaus-tyosuhteen-paattyessa.html): the payout of
//     the month the employment ends in, or the first later one, pays every
//     credit year's remainder and the open year's accrual with its own.
//     What is paid settles the oldest accrual first.
//
// Työosuusraha is not wage: its tax-free part (days × min(allowance, cap))
// and taxable rest are reported apart, and it bears no social contributions.
package payroll

import (
	"time"

	"jobcenter/models"
)

// NoTaxCardBps is the withholding of a person without a tax card for the
// year (Ennakkoperintälaki 1118/1996).
const NoTaxCardBps = 6000

// Rates are the national rates valid on the payment date (dated settings).
type Rates struct {
	EmployeePensionBps          int64
	EmployeeUnemploymentBps     int64
	EmployerUnemploymentBps     int64
	EmployerUnemploymentHighBps int64
	// EmployerUnemploymentThreshold is the yearly payroll up to which the
	// lower employer rate applies.
	EmployerUnemploymentThreshold models.Cents
	EmployerHealthInsuranceBps    int64
	// PensionThreshold is the TyEL insurance threshold: a month's pay below
	// it is not insured.
	PensionThreshold models.Cents
	// WorkShareTaxFree is the tax-free cap of a työosuusraha per day.
	WorkShareTaxFree models.Cents
}

// Employer is what the organiser, as employer, sets itself.
type Employer struct {
	PensionBps           int64 // the pension insurer's TyEL employer rate
	AccidentInsuranceBps int64 // the accident and group life insurer's tariff
}

// TaxCard is a participant's tax card for one year.
type TaxCard struct {
	BasicBps      int64
	AdditionalBps int64
	IncomeLimit   models.Cents
}

// Employee is who is paid. A zero BirthDate (no identity code) counts as
// of working age, so contributions are not silently skipped; a zero
// EmploymentStart earns the first-year holiday rate; a zero EmploymentEnd
// is an employment that goes on.
type Employee struct {
	BirthDate       models.Date
	EmploymentStart models.Date
	EmploymentEnd   models.Date // the employment's last day
	TaxCard         *TaxCard    // nil: no card for the payment date's year
}

// EndedBy reports whether the employment ended by the end of period.
func (e Employee) EndedBy(period models.Period) bool {
	return !e.EmploymentEnd.IsZero() && !e.EmploymentEnd.After(period.LastDay())
}

// Earnings are the month's pay before payroll.
type Earnings struct {
	Wage      models.Cents // time-rate pay (Incomes Register 201)
	Allowance models.Cents // työosuusraha, all days
	TaxFree   models.Cents // the tax-free part of Allowance (TaxFreeAllowance)
	Days      int64        // days with work in the month (the 14-day rule)
}

// History is what earlier payouts leave for this one, from one aggregate
// query per run.
type History struct {
	// YearIncome is the taxable income paid earlier in the payment date's
	// year (the tax card's income limit counts it).
	YearIncome models.Cents
	// HolidayUnpaid is the holiday compensation earlier payouts accrued
	// and did not pay; below zero when more was paid (a reversal of paid
	// wages).
	HolidayUnpaid models.Cents
	// HolidayOpen is what earlier payouts accrued in credit years still
	// open at this pay period's end (after LastClosedCreditMonth).
	HolidayOpen models.Cents
	// EmployerPayroll is the employer's insured pay earlier in the year,
	// including this run's payouts computed before this one.
	EmployerPayroll models.Cents
}

// Payout is a computed payout. Net = Wage + Allowance + HolidayCompensation
// − Withholding − Pension − Unemployment.
type Payout struct {
	Wage, Allowance, TaxFree, Taxable       models.Cents
	HolidayAccrued, HolidayCompensation     models.Cents
	Withholding, Pension, Unemployment, Net models.Cents
	EmployerPension, EmployerUnemployment   models.Cents
	EmployerHealthInsurance                 models.Cents
	EmployerAccidentInsurance               models.Cents
	// EmployerCost is the employer's whole cost of the wage: pay plus the
	// employer's contributions (allowances are not wages).
	EmployerCost models.Cents
}

// Gross is the month's pay before holiday compensation: wage and allowance.
func (p Payout) Gross() models.Cents { return p.Wage + p.Allowance }

// InsuredPay is the pay social insurance contributions are taken from.
func (p Payout) InsuredPay() models.Cents { return p.Wage + p.HolidayCompensation }

// TaxableIncome is the income withholding is taken from.
func (p Payout) TaxableIncome() models.Cents { return p.Wage + p.HolidayCompensation + p.Taxable }

// Compute computes one payout for pay period period paid on paymentDate.
// Negated earnings (a credit note's reversal) give the negated lines when
// the year's history is the same, as every line rounds half away from zero.
func Compute(period models.Period, paymentDate models.Date, e Employee, er Employer, r Rates, earn Earnings, h History) Payout {
	p := Payout{Wage: earn.Wage, Allowance: earn.Allowance, TaxFree: earn.TaxFree, Taxable: earn.Allowance - earn.TaxFree}
	if earn.Wage != 0 && abs(earn.Days) < 14 {
		p.HolidayAccrued = models.ApplyBps(earn.Wage, HolidayRateBps(e, period))
	}
	p.HolidayCompensation = HolidayDue(e, period, h)
	if period.Month == time.March || e.EndedBy(period) {
		p.HolidayCompensation += p.HolidayAccrued // the credit year, or the employment, ends with this month
	}
	p.Withholding = Withholding(e.TaxCard, h.YearIncome, p.TaxableIncome())

	insured := p.InsuredPay()
	if PensionAge(e.BirthDate, paymentDate) && abs(insured) >= r.PensionThreshold {
		p.Pension = models.ApplyBps(insured, r.EmployeePensionBps)
		p.EmployerPension = models.ApplyBps(insured, er.PensionBps)
	}
	if UnemploymentAge(e.BirthDate, paymentDate) {
		p.Unemployment = models.ApplyBps(insured, r.EmployeeUnemploymentBps)
		p.EmployerUnemployment = banded(h.EmployerPayroll, insured, r.EmployerUnemploymentThreshold,
			r.EmployerUnemploymentBps, r.EmployerUnemploymentHighBps)
	}
	p.EmployerHealthInsurance = models.ApplyBps(insured, r.EmployerHealthInsuranceBps)
	p.EmployerAccidentInsurance = models.ApplyBps(insured, er.AccidentInsuranceBps)
	p.Net = p.Gross() + p.HolidayCompensation - p.Withholding - p.Pension - p.Unemployment
	p.EmployerCost = insured + p.EmployerPension + p.EmployerUnemployment + p.EmployerHealthInsurance + p.EmployerAccidentInsurance
	return p
}

// TaxFreeAllowance is the tax-free part of a työosuusraha of perDay over
// days: days × min(perDay, cap).
func TaxFreeAllowance(days int64, perDay, capPerDay models.Cents) models.Cents {
	return models.Cents(days) * min(perDay, capPerDay)
}

// Withholding is the tax withheld from taxable income paid after earlier
// income in the same year: the card's basic rate up to its income limit,
// the additional rate above it, 60 % without a card. It is rounded once.
func Withholding(card *TaxCard, earlier, taxable models.Cents) models.Cents {
	if card == nil {
		return models.ApplyBps(taxable, NoTaxCardBps)
	}
	return banded(earlier, taxable, card.IncomeLimit, card.BasicBps, card.AdditionalBps)
}

// banded applies lowBps to the part of amount that keeps the running total
// (starting at before) up to limit and highBps to the part above, rounded
// once. A negative amount (a reversal) takes back what the same amount
// added, so banded(b, x) = −banded(b+x, −x).
func banded(before, amount, limit models.Cents, lowBps, highBps int64) models.Cents {
	f := func(total models.Cents) int64 {
		low, high := min(total, limit), max(total-limit, 0)
		return int64(low)*lowBps + int64(high)*highBps
	}
	return models.Cents(models.HalfUpDiv(f(before+amount)-f(before), 10000))
}

// HolidayDue is the holiday compensation of earlier payouts that a payout
// of period pays: all that is unpaid when the employment ended by the
// period's end (VLL § 17), else what closed credit years accrued. Payments
// settle the oldest accrual first, so an open year's accrual already paid
// (at an employment's end, before re-employment) is not due again, and
// only what was paid beyond everything accrued is taken back.
func HolidayDue(e Employee, period models.Period, h History) models.Cents {
	if e.EndedBy(period) {
		return h.HolidayUnpaid
	}
	return h.HolidayUnpaid - min(max(h.HolidayUnpaid, 0), max(h.HolidayOpen, 0))
}

// HolidayRateBps is the holiday compensation rate of wages earned in
// period: 11.5 % when the employment had lasted at least a year by the end
// of the period's holiday credit year (31 March), else 9 % (VLL § 16). An
// employment that ends earlier lasts only to its end (§ 17 pays the
// compensation of § 16).
func HolidayRateBps(e Employee, period models.Period) int64 {
	last := CreditYearEnd(period).LastDay()
	if !e.EmploymentEnd.IsZero() && e.EmploymentEnd.Before(last) {
		last = e.EmploymentEnd
	}
	after := last.AddDays(1) // a year that ends on last began on this day a year before
	if !e.EmploymentStart.IsZero() && !e.EmploymentStart.After(models.Date{Year: after.Year - 1, Month: after.Month, Day: after.Day}) {
		return 1150
	}
	return 900
}

// CreditYearEnd is the last month (March) of the holiday credit year
// (1.4.–31.3.) that period belongs to.
func CreditYearEnd(period models.Period) models.Period {
	if period.Month <= time.March {
		return models.Period{Year: period.Year, Month: time.March}
	}
	return models.Period{Year: period.Year + 1, Month: time.March}
}

// LastClosedCreditMonth is the last month of the latest holiday credit
// year that has ended by the end of period: payouts of periods up to it
// owe their accrued holiday compensation.
func LastClosedCreditMonth(period models.Period) models.Period {
	if period.Month >= time.March {
		return models.Period{Year: period.Year, Month: time.March}
	}
	return models.Period{Year: period.Year - 1, Month: time.March}
}

// Age is the age in whole years on day of someone born on birth.
func Age(birth, day models.Date) int {
	age := day.Year - birth.Year
	if day.Month < birth.Month || (day.Month == birth.Month && day.Day < birth.Day) {
		age--
	}
	return age
}

// PensionAge reports whether TyEL covers work paid on day: from the start of
// the month after the 17th birthday to the end of the month the upper age
// limit is reached.
func PensionAge(birth, day models.Date) bool {
	if birth.IsZero() {
		return true
	}
	start := models.Period{Year: birth.Year + 17, Month: birth.Month}
	end := models.Period{Year: birth.Year + pensionUpperAge(birth.Year), Month: birth.Month}
	at := models.Period{Year: day.Year, Month: day.Month}
	return at.Compare(start) > 0 && at.Compare(end) <= 0
}

// pensionUpperAge is the TyEL upper age limit by year of birth. For those
// born in 1965 or later the law ties it to life expectancy (the lowest
// retirement age + 5 years); 70 holds until their limits are set, which
// first matters in 2035.
func pensionUpperAge(birthYear int) int {
	switch {
	case birthYear <= 1957:
		return 68
	case birthYear <= 1961:
		return 69
	}
	return 70
}

// UnemploymentAge reports whether unemployment insurance contributions are
// due on pay paid on day: ages 18–64.
func UnemploymentAge(birth, day models.Date) bool {
	if birth.IsZero() {
		return true
	}
	age := Age(birth, day)
	return age >= 18 && age <= 64
}

func abs[T ~int64](x T) T {
	if x < 0 {
		return -x
	}
	return x
}
