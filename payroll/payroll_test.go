package payroll

import (
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"jobcenter/models"
)

// rates2026 are the seeded 2026 rates (health insurance: the unconfirmed
// placeholder of PAYROLL.md).
var rates2026 = Rates{EmployeePensionBps: 730, EmployeeUnemploymentBps: 89, EmployerUnemploymentBps: 31,
	EmployerUnemploymentHighBps: 72, EmployerUnemploymentThreshold: 250950000, EmployerHealthInsuranceBps: 187,
	PensionThreshold: 7172, WorkShareTaxFree: 1200}

var (
	jan2026 = models.Period{Year: 2026, Month: time.January}
	mar2026 = models.Period{Year: 2026, Month: time.March}
	payDay  = models.Date{Year: 2026, Month: time.February, Day: 5}
)

func date(s string) models.Date {
	d, err := models.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// The worked example of PAYROLL.md section 5, to the cent.
func TestWorkedExample(t *testing.T) {
	e := Employee{BirthDate: date("1995-06-15"), EmploymentStart: date("2025-09-01"), TaxCard: &TaxCard{BasicBps: 2500, AdditionalBps: 4000, IncomeLimit: 3000000}}
	p := Compute(jan2026, payDay, e, Employer{PensionBps: 1710}, rates2026, Earnings{Wage: models.MinutesAmount(40*60, 1333), Days: 5}, History{})
	want := Payout{Wage: 53320, Withholding: 13330, Pension: 3892, Unemployment: 475, Net: 35623,
		EmployerPension: 9118, EmployerUnemployment: 165, EmployerHealthInsurance: 997, EmployerCost: 63600, HolidayAccrued: 4799}
	if p != want {
		t.Fatalf("got %+v\nwant %+v", p, want)
	}
}

func TestWithholdingCrossesIncomeLimit(t *testing.T) {
	card := &TaxCard{BasicBps: 2000, AdditionalBps: 4500, IncomeLimit: 1000000}
	// 9 800 € earlier, 500 € now: 200 € at 20 % and 300 € at 45 %.
	if got := Withholding(card, 980000, 50000); got != 4000+13500 {
		t.Fatalf("withholding = %d, want 17500", got)
	}
	if got := Withholding(card, 1200000, 50000); got != 22500 {
		t.Fatalf("above the limit = %d, want 22500", got)
	}
	if got := Withholding(nil, 0, 10001); got != 6001 {
		t.Fatalf("no card = %d, want 6001 (60 %%, half up)", got)
	}
}

func TestAgeLimits(t *testing.T) {
	cases := []struct {
		birth             string
		pension, unemploy bool
	}{
		{"2009-01-10", true, false},  // 17 since January 2026: covered from February
		{"2009-02-01", false, false}, // turns 17 in the payment month: covered from March
		{"2010-01-01", false, false}, // 16
		{"2008-02-05", true, true},   // turns 18 on the payment day
		{"1961-02-10", true, true},   // 64
		{"1961-01-31", true, false},  // 65: no unemployment insurance
		{"1956-02-28", false, false}, // 1956: limit 68 reached in February 2024
		{"1958-02-20", true, false},  // 1958: limit 69 reached in February 2027
		{"1957-02-20", false, false}, // 1957: limit 68 reached in February 2025
	}
	for _, c := range cases {
		b := date(c.birth)
		if got := PensionAge(b, payDay); got != c.pension {
			t.Errorf("%s: pension %v, want %v", c.birth, got, c.pension)
		}
		if got := UnemploymentAge(b, payDay); got != c.unemploy {
			t.Errorf("%s: unemployment %v, want %v", c.birth, got, c.unemploy)
		}
	}
}

func TestSeventeenYearOldPaysNoUnemploymentInsurance(t *testing.T) {
	e := Employee{BirthDate: date("2008-06-01")}
	p := Compute(jan2026, payDay, e, Employer{PensionBps: 1710}, rates2026, Earnings{Wage: 53320, Days: 5}, History{})
	if p.Unemployment != 0 || p.EmployerUnemployment != 0 || p.Pension != 3892 || p.Withholding != 31992 {
		t.Fatalf("17-year-old: %+v", p)
	}
}

func TestPensionThreshold(t *testing.T) {
	e := Employee{BirthDate: date("1990-01-01")}
	below := Compute(jan2026, payDay, e, Employer{PensionBps: 1710}, rates2026, Earnings{Wage: 7171, Days: 1}, History{})
	at := Compute(jan2026, payDay, e, Employer{PensionBps: 1710}, rates2026, Earnings{Wage: 7172, Days: 1}, History{})
	if below.Pension != 0 || below.EmployerPension != 0 || at.Pension != 524 || at.EmployerPension != 1226 {
		t.Fatalf("threshold: below %+v at %+v", below, at)
	}
}

func TestHolidayCompensation(t *testing.T) {
	e := Employee{EmploymentStart: date("2025-04-01")}
	// A year lasted by 31.3.2026: 11.5 %.
	if got := HolidayRateBps(e, jan2026); got != 1150 {
		t.Fatalf("rate %d, want 1150", got)
	}
	if got := HolidayRateBps(Employee{EmploymentStart: date("2025-04-02")}, jan2026); got != 900 {
		t.Fatalf("rate %d, want 900", got)
	}
	// An employment that ends lasts to its end: a year from 21.7.2025 to
	// 20.7.2026 earns 11.5 %, one day less 9 %.
	for start, want := range map[string]int64{"2025-07-21": 1150, "2025-07-22": 900} {
		ended := Employee{EmploymentStart: date(start), EmploymentEnd: date("2026-07-20")}
		if got := HolidayRateBps(ended, models.Period{Year: 2026, Month: time.July}); got != want {
			t.Errorf("employed %s–2026-07-20: rate %d, want %d", start, got, want)
		}
	}
	// January accrues, is not paid; March pays January's and its own.
	jan := Compute(jan2026, payDay, Employee{}, Employer{}, rates2026, Earnings{Wage: 53320, Days: 5}, History{})
	if jan.HolidayAccrued != 4799 || jan.HolidayCompensation != 0 {
		t.Fatalf("january: %+v", jan)
	}
	mar := Compute(mar2026, date("2026-04-03"), Employee{}, Employer{}, rates2026, Earnings{Wage: 10000, Days: 2}, History{HolidayUnpaid: jan.HolidayAccrued})
	if mar.HolidayAccrued != 900 || mar.HolidayCompensation != 4799+900 || mar.Net != 10000+5699-mar.Withholding-mar.Pension-mar.Unemployment {
		t.Fatalf("march: %+v", mar)
	}
	// 14 days or more in a month earn holiday days instead, not compensation.
	full := Compute(jan2026, payDay, Employee{}, Employer{}, rates2026, Earnings{Wage: 200000, Days: 14}, History{})
	if full.HolidayAccrued != 0 {
		t.Fatalf("14 days: %+v", full)
	}
	if LastClosedCreditMonth(jan2026) != (models.Period{Year: 2025, Month: time.March}) || LastClosedCreditMonth(mar2026) != mar2026 {
		t.Fatal("last closed credit month")
	}
}

// Vuosilomalaki 162/2005 § 17: when the employment ends, its month's
// payout pays every holiday compensation not yet paid with its own
// accrual; otherwise only closed credit years' accrual falls due, and what
// an end payout paid early is not due again after re-employment. The
// employment began on 1.4.2026, so it lasts a year by 31.3.2027 (11.5 %)
// unless it ends before (9 %). No tax card: 60 % withheld.
func TestHolidayAtEndOfEmployment(t *testing.T) {
	jul2026 := models.Period{Year: 2026, Month: time.July}
	oct2026 := models.Period{Year: 2026, Month: time.October}
	mar2027 := models.Period{Year: 2027, Month: time.March}
	cases := []struct {
		name           string
		period         models.Period
		end            string
		wage           models.Cents
		h              History
		accrued, comp  models.Cents
		withheld, net  models.Cents
		pension, unemp models.Cents
	}{
		// 100 € × 9 % = 9.00 accrued; May and June left 15.00 unpaid, all
		// of the open credit year. Paid 15.00 + 9.00 = 24.00; 60 % of
		// 124.00 = 74.40; TyEL 7.30 % = 9.052 → 9.05; unemployment 0.89 %
		// = 1.1036 → 1.10; net 124.00 − 74.40 − 9.05 − 1.10 = 39.45.
		{"ends this month", jul2026, "2026-07-20", 10000, History{HolidayUnpaid: 1500, HolidayOpen: 1500}, 900, 2400, 7440, 3945, 905, 110},
		// Going on: 11.5 % = 11.50 accrued, nothing paid; 60.00 withheld,
		// TyEL 7.30, unemployment 0.89; net 100 − 60 − 7.30 − 0.89 = 31.81.
		{"goes on", jul2026, "", 10000, History{HolidayUnpaid: 1500, HolidayOpen: 1500}, 1150, 0, 6000, 3181, 730, 89},
		// Ending next month: 9 %, paid then.
		{"ends next month", jul2026, "2026-08-05", 10000, History{HolidayUnpaid: 1500, HolidayOpen: 1500}, 900, 0, 6000, 3181, 730, 89},
		// Ended with no work in the month: 15.00 alone; 9.00 withheld,
		// below the TyEL threshold, unemployment 0.1335 → 0.13; net 5.87.
		{"ended, no wages", jul2026, "2026-07-20", 0, History{HolidayUnpaid: 1500, HolidayOpen: 1500}, 0, 1500, 900, 587, 0, 13},
		// A payout after the end month pays what is left the same way.
		{"ended earlier", oct2026, "2026-07-20", 0, History{HolidayUnpaid: 1500, HolidayOpen: 1500}, 0, 1500, 900, 587, 0, 13},
		// Re-employed after an end payout that paid 28.00 of the open year
		// early: 4.00 accrued since is unpaid, and nothing is due before
		// March.
		{"re-employed", oct2026, "", 0, History{HolidayUnpaid: 400, HolidayOpen: 3200}, 0, 0, 0, 0, 0, 0},
		// A closed credit year's remainder of 5.00 beside the open 15.00
		// falls due: 3.00 withheld, unemployment 0.0445 → 0.04; net 1.96.
		{"closed year's remainder", jul2026, "", 0, History{HolidayUnpaid: 2000, HolidayOpen: 1500}, 0, 500, 300, 196, 0, 4},
		// 3.00 paid beyond all accrual (a reversal of paid wages) is taken
		// back: −1.80 withheld, unemployment −0.0267 → −0.03; net −1.17.
		{"overpaid", oct2026, "", 0, History{HolidayUnpaid: -300, HolidayOpen: 1500}, 0, -300, -180, -117, 0, -3},
		// Ending with the credit year, having lasted a year: 11.5 % =
		// 11.50, added once: 15.00 + 11.50 = 26.50 paid; 60 % of 126.50 =
		// 75.90; TyEL 9.2345 → 9.23; unemployment 1.12585 → 1.13;
		// net 126.50 − 75.90 − 9.23 − 1.13 = 40.24.
		{"ends in March", mar2027, "2027-03-31", 10000, History{HolidayUnpaid: 1500}, 1150, 2650, 7590, 4024, 923, 113},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := Employee{EmploymentStart: date("2026-04-01")}
			if c.end != "" {
				e.EmploymentEnd = date(c.end)
			}
			earn := Earnings{Wage: c.wage}
			if c.wage != 0 {
				earn.Days = 2
			}
			p := Compute(c.period, c.period.LastDay().AddDays(5), e, Employer{}, rates2026, earn, c.h)
			got := []models.Cents{p.HolidayAccrued, p.HolidayCompensation, p.Withholding, p.Net, p.Pension, p.Unemployment}
			want := []models.Cents{c.accrued, c.comp, c.withheld, c.net, c.pension, c.unemp}
			if !slices.Equal(got, want) {
				t.Fatalf("accrued, paid, withheld, net, pension, unemployment = %v, want %v", got, want)
			}
		})
	}
}

func TestWorkShareTaxFree(t *testing.T) {
	// 15 €/day over 3 days: 36 € tax-free, 9 € taxable, withheld per the card.
	free := TaxFreeAllowance(3, 1500, 1200)
	p := Compute(jan2026, payDay, Employee{TaxCard: &TaxCard{BasicBps: 2000, AdditionalBps: 2000, IncomeLimit: 0}}, Employer{},
		rates2026, Earnings{Allowance: 4500, TaxFree: free, Days: 3}, History{})
	if p.TaxFree != 3600 || p.Taxable != 900 || p.Withholding != 180 || p.Net != 4320 || p.Pension != 0 || p.EmployerCost != 0 {
		t.Fatalf("työosuusraha: %+v", p)
	}
	if TaxFreeAllowance(2, 1000, 1200) != 2000 {
		t.Fatal("an allowance under the cap is wholly tax-free")
	}
}

func TestEmployerUnemploymentBands(t *testing.T) {
	r := rates2026
	r.EmployerUnemploymentThreshold = 100000
	e := Employee{BirthDate: date("1990-01-01")}
	// 600 € below the threshold, 400 € above: 1.86 + 2.88.
	p := Compute(jan2026, payDay, e, Employer{}, r, Earnings{Wage: 100000, Days: 3}, History{EmployerPayroll: 40000})
	if p.EmployerUnemployment != 186+288 {
		t.Fatalf("bands: %d", p.EmployerUnemployment)
	}
}

func genCase(t *rapid.T) (models.Period, Employee, Employer, Rates, Earnings, History) {
	bps := rapid.Int64Range(0, 10000)
	cents := func(label string) models.Cents { return models.Cents(rapid.Int64Range(0, 5_000_000).Draw(t, label)) }
	// Employee deductions stay within what a tax card and the contribution
	// laws can reach together (at most 87 %), so net cannot go below zero.
	cardBps := rapid.Int64Range(0, 7500)
	var card *TaxCard
	if rapid.Bool().Draw(t, "card") {
		card = &TaxCard{BasicBps: cardBps.Draw(t, "basic"), AdditionalBps: cardBps.Draw(t, "additional"), IncomeLimit: cents("limit")}
	}
	e := Employee{BirthDate: models.Date{Year: rapid.IntRange(1940, 2015).Draw(t, "by"), Month: time.Month(rapid.IntRange(1, 12).Draw(t, "bm")), Day: 1},
		EmploymentStart: models.Date{Year: rapid.IntRange(2020, 2026).Draw(t, "sy"), Month: time.Month(rapid.IntRange(1, 12).Draw(t, "sm")), Day: 1},
		TaxCard:         card}
	if rapid.Bool().Draw(t, "ended") {
		e.EmploymentEnd = models.Date{Year: rapid.IntRange(2026, 2027).Draw(t, "ey"), Month: time.Month(rapid.IntRange(1, 12).Draw(t, "em")), Day: 15}
	}
	r := Rates{EmployeePensionBps: rapid.Int64Range(0, 1000).Draw(t, "ep"), EmployeeUnemploymentBps: rapid.Int64Range(0, 200).Draw(t, "eu"), EmployerUnemploymentBps: bps.Draw(t, "ru"),
		EmployerUnemploymentHighBps: bps.Draw(t, "rh"), EmployerUnemploymentThreshold: cents("rt"), EmployerHealthInsuranceBps: bps.Draw(t, "hi"),
		PensionThreshold: cents("pt"), WorkShareTaxFree: cents("cap")}
	allowance := models.Cents(rapid.Int64Range(0, 10000).Draw(t, "allowance"))
	days := rapid.Int64Range(0, 31).Draw(t, "days")
	earn := Earnings{Wage: cents("wage"), Allowance: models.Cents(days) * allowance, TaxFree: TaxFreeAllowance(days, allowance, r.WorkShareTaxFree), Days: days}
	h := History{YearIncome: cents("income"), HolidayUnpaid: cents("unpaid"), HolidayOpen: cents("open"), EmployerPayroll: cents("payroll")}
	period := models.Period{Year: 2026, Month: time.Month(rapid.IntRange(1, 12).Draw(t, "month"))}
	return period, e, Employer{PensionBps: bps.Draw(t, "erp"), AccidentInsuranceBps: bps.Draw(t, "acc")}, r, earn, h
}

// For any input: net = gross + holiday compensation − deductions; nothing
// is negative; each rate is applied once (a line is its rate on its base).
func TestComputeProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		period, e, er, r, earn, h := genCase(t)
		pay := period.LastDay().AddDays(5)
		p := Compute(period, pay, e, er, r, earn, h)
		if p.Net != p.Gross()+p.HolidayCompensation-p.Withholding-p.Pension-p.Unemployment {
			t.Fatalf("net identity broken: %+v", p)
		}
		for name, v := range map[string]models.Cents{"net": p.Net, "withholding": p.Withholding, "pension": p.Pension,
			"unemployment": p.Unemployment, "holiday": p.HolidayCompensation, "accrued": p.HolidayAccrued, "taxable": p.Taxable,
			"tax_free": p.TaxFree, "employer_cost": p.EmployerCost, "employer_unemployment": p.EmployerUnemployment} {
			if v < 0 {
				t.Fatalf("%s negative: %+v", name, p)
			}
		}
		insured := p.InsuredPay()
		if p.Pension != 0 && p.Pension != models.ApplyBps(insured, r.EmployeePensionBps) {
			t.Fatalf("pension is not its rate once: %+v", p)
		}
		if p.Unemployment != 0 && p.Unemployment != models.ApplyBps(insured, r.EmployeeUnemploymentBps) {
			t.Fatalf("unemployment is not its rate once: %+v", p)
		}
		if p.EmployerHealthInsurance != models.ApplyBps(insured, r.EmployerHealthInsuranceBps) {
			t.Fatalf("health insurance is not its rate once: %+v", p)
		}
		if e.TaxCard == nil && p.Withholding != models.ApplyBps(p.TaxableIncome(), NoTaxCardBps) {
			t.Fatalf("no card is not 60 %% once: %+v", p)
		}
		if p.Taxable+p.TaxFree != p.Allowance {
			t.Fatalf("allowance split: %+v", p)
		}
		// Holiday compensation never pays more than was accrued, and an
		// ended employment's payout leaves none unpaid (VLL § 17).
		left := h.HolidayUnpaid + p.HolidayAccrued - p.HolidayCompensation
		if left < 0 || e.EndedBy(period) && left != 0 {
			t.Fatalf("holiday compensation left unpaid %d (ended %v): %+v", left, e.EndedBy(period), p)
		}
	})
}

// A reversal (negated earnings on the year's history after the original)
// takes back exactly what the original paid.
func TestReversalNegates(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		period, e, er, r, earn, h := genCase(t)
		h.HolidayUnpaid = 0
		pay := period.LastDay().AddDays(5)
		orig := Compute(period, pay, e, er, r, earn, h)
		after := History{YearIncome: h.YearIncome + orig.TaxableIncome(), EmployerPayroll: h.EmployerPayroll + orig.InsuredPay()}
		neg := Earnings{Wage: -earn.Wage, Allowance: -earn.Allowance, TaxFree: -earn.TaxFree, Days: -earn.Days}
		rev := Compute(period, pay, e, er, r, neg, after)
		if rev.Wage != -orig.Wage || rev.Withholding != -orig.Withholding || rev.Pension != -orig.Pension ||
			rev.Unemployment != -orig.Unemployment || rev.Net != -orig.Net || rev.EmployerCost != -orig.EmployerCost ||
			rev.HolidayAccrued != -orig.HolidayAccrued || rev.HolidayCompensation != -orig.HolidayCompensation ||
			rev.EmployerUnemployment != -orig.EmployerUnemployment {
			t.Fatalf("reversal %+v of %+v", rev, orig)
		}
	})
}
