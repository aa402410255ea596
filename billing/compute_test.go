package billing

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"jobcenter/models"
	"jobcenter/payroll"
)

var testAccounts = Accounts{
	Receivables: "1700", Sales: "3000", VatPayable: "2939", Purchases: "4000", OrganiserPayables: "2870",
	Payroll: PayrollAccounts{Wages: "5000", SocialCosts: "6100", WithholdingPayable: "2930", SocialSecurityPayable: "2931",
		PensionPayable: "2935", UnemploymentPayable: "2936", AccidentInsurancePayable: "2937", HolidayLiability: "2950",
		NetWagesPayable: "2940"},
}

// testPayroll pays January 2026 on 5 February 2026 at the seeded rates;
// nobody has a tax card (60 %) or an identity code (of working age).
var testPayroll = Payroll{Period: models.Period{Year: 2026, Month: 1}, PaymentDate: models.Date{Year: 2026, Month: 2, Day: 5},
	Rates: payroll.Rates{EmployeePensionBps: 730, EmployeeUnemploymentBps: 89, EmployerUnemploymentBps: 31,
		EmployerUnemploymentHighBps: 72, EmployerUnemploymentThreshold: 250950000, EmployerHealthInsuranceBps: 187,
		PensionThreshold: 7172, WorkShareTaxFree: 1200}}

// withCards is testPayroll with tax cards by participant.
func withCards(cards map[string]payroll.TaxCard) Payroll {
	pr := testPayroll
	pr.Employees = map[string]payroll.Employee{}
	for id, c := range cards {
		pr.Employees[id] = payroll.Employee{TaxCard: &c}
	}
	return pr
}

func mustCompute(t *testing.T, in Input) Result {
	t.Helper()
	res, err := Compute(in)
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	return res
}

func eq[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

// TestWorkedExample is a whole run computed by hand.
func TestWorkedExample(t *testing.T) {
	in := Input{
		Customers: map[string]Customer{
			"c-city": {VatTreatment: models.VatStandard},
			"c-unit": {VatTreatment: models.VatInternal},
		},
		Organisers: map[string]Organiser{
			"o-a": {CoordinationFeeBps: 1000}, // 10 %
			"o-b": {CoordinationFeeBps: 1250}, // 12.5 %
		},
		// Deliberately out of order: Compute sorts.
		Lines: []LineGroup{
			{CustomerID: "c-unit", OrderID: "ord-3", OrganiserID: "o-b", Kind: models.KindSupervisorHours, UnitPrice: 3500, Minutes: 250, VatBps: 2550},
			{CustomerID: "c-city", OrderID: "ord-2", OrganiserID: "o-b", Kind: models.KindLateCancellation, UnitPrice: 9000, Count: 1, VatBps: 2550},
			{CustomerID: "c-city", OrderID: "ord-1", OrganiserID: "o-a", Kind: models.KindSupervisorHours, UnitPrice: 3500, Minutes: 125, VatBps: 2550},
			{CustomerID: "c-city", OrderID: "ord-1", OrganiserID: "o-a", Kind: models.KindParticipantHours, UnitPrice: 1990, Minutes: 125, VatBps: 2550},
			{CustomerID: "c-unit", OrderID: "ord-3", OrganiserID: "o-b", Kind: models.KindParticipantHours, UnitPrice: 1990, Minutes: 250, VatBps: 2550},
		},
		Payouts: []PayoutGroup{
			{ParticipantID: "p-4", OrganiserID: "o-b", Compensation: models.CompensationNone}, // nothing: no row
			{ParticipantID: "p-3", OrganiserID: "o-b", Compensation: models.CompensationNone, Days: 1, Minutes: 250},
			{ParticipantID: "p-2", OrganiserID: "o-a", Compensation: models.CompensationHourlyWage, HourlyWage: 1350, Days: 1, Minutes: 125},
			{ParticipantID: "p-1", OrganiserID: "o-a", Compensation: models.CompensationDailyAllowance, DailyAllowance: 1500, Days: 2, Minutes: 250},
		},
		Accounts: testAccounts,
		Payroll:  testPayroll,
	}
	res := mustCompute(t, in)

	// c-city, standard 25.5 %:
	//   ord-1 participant 125 min × 1990 c/h = 4145.83 → 4146
	//   ord-1 supervisor  125 min × 3500 c/h = 7291.67 → 7292
	//   ord-2 late cancellation 1 × 9000     = 9000
	//   net 20438; VAT 20438 × 25.5 % = 5211.69 → 5212; gross 25650
	city := Invoice{
		CustomerID: "c-city", VatTreatment: models.VatStandard,
		Lines: []Line{
			{OrderID: "ord-1", OrganiserID: "o-a", Kind: models.KindParticipantHours, Minutes: 125, UnitPrice: 1990, Amount: 4146, VatBps: 2550},
			{OrderID: "ord-1", OrganiserID: "o-a", Kind: models.KindSupervisorHours, Minutes: 125, UnitPrice: 3500, Amount: 7292, VatBps: 2550},
			{OrderID: "ord-2", OrganiserID: "o-b", Kind: models.KindLateCancellation, Count: 1, UnitPrice: 9000, Amount: 9000, VatBps: 2550},
		},
		VatBreakdown: []VatGroup{{VatBps: 2550, Net: 20438, Vat: 5212}},
		Net:          20438, Vat: 5212, Gross: 25650,
	}
	// c-unit, internal (0 %):
	//   ord-3 participant 250 min × 1990 c/h = 8291.67 → 8292
	//   ord-3 supervisor  250 min × 3500 c/h = 14583.33 → 14583
	//   net 22875; VAT 0; gross 22875
	unit := Invoice{
		CustomerID: "c-unit", VatTreatment: models.VatInternal,
		Lines: []Line{
			{OrderID: "ord-3", OrganiserID: "o-b", Kind: models.KindParticipantHours, Minutes: 250, UnitPrice: 1990, Amount: 8292, VatBps: 0},
			{OrderID: "ord-3", OrganiserID: "o-b", Kind: models.KindSupervisorHours, Minutes: 250, UnitPrice: 3500, Amount: 14583, VatBps: 0},
		},
		VatBreakdown: []VatGroup{{VatBps: 0, Net: 22875, Vat: 0}},
		Net:          22875, Vat: 0, Gross: 22875,
	}
	eq(t, "invoices", res.Invoices, []Invoice{city, unit})
	// Totals: net 20438 + 22875 = 43313; VAT 5212; gross 25650 + 22875 = 48525.
	eq(t, "totals", [3]models.Cents{res.Net, res.Vat, res.Gross}, [3]models.Cents{43313, 5212, 48525})

	// o-a: 4146 + 7292 = 11438; fee 10 % = 1143.8 → 1144; payable 10294.
	// o-b: 9000 + 8292 + 14583 = 31875; fee 12.5 % = 3984.375 → 3984; payable 27891.
	// Check: 10294 + 27891 + 1144 + 3984 = 43313 = net of all lines.
	eq(t, "settlements", res.Settlements, []Settlement{
		{OrganiserID: "o-a", Gross: 11438, Fee: 1144, Payable: 10294},
		{OrganiserID: "o-b", Gross: 31875, Fee: 3984, Payable: 27891},
	})

	// p-1: 2 days × 1500 = 3000; tax-free 2 × 1200 = 2400, taxable 600,
	//      no card: 60 % = 360 withheld; net 2640. No contributions on it.
	// p-2: 125 min × 1350 c/h = 2812.5 → 2813; no card: 60 % = 1687.8 → 1688;
	//      below the TyEL threshold 71.72 €: no pension; unemployment 0.89 %
	//      = 25.04 → 25; net 2813 − 1688 − 25 = 1100. Holiday compensation
	//      accrued 9 % = 253.17 → 253 (paid with March). Employer:
	//      unemployment 0.31 % = 8.72 → 9, health 1.87 % = 52.60 → 53,
	//      cost 2813 + 9 + 53 = 2875.
	// p-3: "none": the day and minutes show, no money.
	// p-4: nothing at all: no row.
	eq(t, "payouts", res.Payouts, []Payout{
		{ParticipantID: "p-1", OrganiserID: "o-a", Days: 2, Minutes: 250, Gross: 3000, TaxFree: 2400, Taxable: 600, Withholding: 360, Net: 2640},
		{ParticipantID: "p-2", OrganiserID: "o-a", Days: 1, Minutes: 125, Gross: 2813, Wage: 2813, Withholding: 1688, Unemployment: 25,
			Net: 1100, HolidayAccrued: 253, EmployerUnemployment: 9, EmployerHealthInsurance: 53, EmployerCost: 2875},
		{ParticipantID: "p-3", OrganiserID: "o-b", Days: 1, Minutes: 250},
	})

	// Debits 25650 + 22875 + 10294 + 27891 + 6066 + 62 = 92818
	// = credits 20438 + 5212 + 22875 + 10294 + 27891 + 2048 + 53 + 34 + 253 + 3740.
	// c-unit's zero VAT is omitted, and so are o-a's zero pension and
	// accident insurance. Pay: wages 3000 + 2813 + 253 accrued = 6066;
	// social costs 9 + 53 = 62; withholding 360 + 1688 = 2048;
	// unemployment 25 + 9 = 34; net 2640 + 1100 = 3740.
	eq(t, "journal", res.Journal, []JournalEntry{
		{Account: "1700", Debit: 25650, CustomerID: "c-city"},
		{Account: "3000", Credit: 20438, CustomerID: "c-city"},
		{Account: "2939", Credit: 5212, CustomerID: "c-city"},
		{Account: "1700", Debit: 22875, CustomerID: "c-unit"},
		{Account: "3000", Credit: 22875, CustomerID: "c-unit"},
		{Account: "4000", Debit: 10294, OrganiserID: "o-a"},
		{Account: "2870", Credit: 10294, OrganiserID: "o-a"},
		{Account: "4000", Debit: 27891, OrganiserID: "o-b"},
		{Account: "2870", Credit: 27891, OrganiserID: "o-b"},
		{Account: "5000", Debit: 6066, OrganiserID: "o-a", Payroll: true},
		{Account: "6100", Debit: 62, OrganiserID: "o-a", Payroll: true},
		{Account: "2930", Credit: 2048, OrganiserID: "o-a", Payroll: true},
		{Account: "2931", Credit: 53, OrganiserID: "o-a", Payroll: true},
		{Account: "2936", Credit: 34, OrganiserID: "o-a", Payroll: true},
		{Account: "2950", Credit: 253, OrganiserID: "o-a", Payroll: true},
		{Account: "2940", Credit: 3740, OrganiserID: "o-a", Payroll: true},
	})
}

func oneCustomer(treatment, reason string, lines ...LineGroup) Input {
	return Input{
		Customers:  map[string]Customer{"c": {VatTreatment: treatment, VatExemptReason: reason}},
		Organisers: map[string]Organiser{"o": {CoordinationFeeBps: 1000}},
		Lines:      lines,
		Accounts:   testAccounts,
	}
}

func fee(order string, cents models.Cents) LineGroup {
	return LineGroup{CustomerID: "c", OrderID: order, OrganiserID: "o", Kind: models.KindLateCancellation, UnitPrice: cents, Count: 1, VatBps: 2550}
}

// Three lines of 1002: per line 1002 × 25.5 % = 255.51 → 256, summing to 768;
// on the group sum 3006 × 25.5 % = 766.53 → 767.
func TestVatOnGroupSumNotPerLine(t *testing.T) {
	res := mustCompute(t, oneCustomer(models.VatStandard, "", fee("a", 1002), fee("b", 1002), fee("c", 1002)))
	inv := res.Invoices[0]
	eq(t, "breakdown", inv.VatBreakdown, []VatGroup{{VatBps: 2550, Net: 3006, Vat: 767}})
	eq(t, "vat", inv.Vat, models.Cents(767))
	eq(t, "gross", inv.Gross, models.Cents(3773))
}

// Hours are rounded once on a group's summed minutes, even if the caller
// splits a group: at 30 c/h, 1 min = 0.5 → 1 twice would be 2, but 2 min = 1.
func TestHoursRoundedOnSummedMinutes(t *testing.T) {
	g := LineGroup{CustomerID: "c", OrderID: "a", OrganiserID: "o", Kind: models.KindParticipantHours, UnitPrice: 30, Minutes: 1, VatBps: 2550}
	res := mustCompute(t, oneCustomer(models.VatStandard, "", g, g))
	eq(t, "lines", res.Invoices[0].Lines, []Line{
		{OrderID: "a", OrganiserID: "o", Kind: models.KindParticipantHours, Minutes: 2, UnitPrice: 30, Amount: 1, VatBps: 2550},
	})
}

func TestLineOrder(t *testing.T) {
	h := func(order, kind string, price models.Cents) LineGroup {
		return LineGroup{CustomerID: "c", OrderID: order, OrganiserID: "o", Kind: kind, UnitPrice: price, Minutes: 60, VatBps: 2550}
	}
	res := mustCompute(t, oneCustomer(models.VatStandard, "", fee("b", 100), h("b", models.KindSupervisorHours, 10),
		h("b", models.KindParticipantHours, 20), h("b", models.KindParticipantHours, 10), fee("a", 5)))
	var got []string
	for _, l := range res.Invoices[0].Lines {
		got = append(got, fmt.Sprintf("%s/%s/%d", l.OrderID, l.Kind, l.UnitPrice))
	}
	eq(t, "order", got, []string{
		"a/late_cancellation/5",
		"b/participant_hours/10", "b/participant_hours/20", "b/supervisor_hours/10", "b/late_cancellation/100",
	})
}

func TestInternalAndExemptHaveOneZeroRow(t *testing.T) {
	for _, tc := range []struct{ treatment, reason string }{
		{models.VatInternal, ""},
		{models.VatExempt, "AVL 37 §"},
	} {
		res := mustCompute(t, oneCustomer(tc.treatment, tc.reason, fee("a", 1002), fee("b", 1002)))
		inv := res.Invoices[0]
		eq(t, tc.treatment+" breakdown", inv.VatBreakdown, []VatGroup{{VatBps: 0, Net: 2004, Vat: 0}})
		eq(t, tc.treatment+" gross", inv.Gross, models.Cents(2004))
		eq(t, tc.treatment+" reason", inv.VatExemptReason, tc.reason)
		for _, l := range inv.Lines {
			eq(t, tc.treatment+" line vat", l.VatBps, int64(0))
		}
	}
}

// 12345 × 10 % = 1234.5: half-up gives 1235 (truncation and banker's give 1234),
// and −1235 for the reversal.
func TestFeeHalfUp(t *testing.T) {
	res := mustCompute(t, oneCustomer(models.VatInternal, "", fee("a", 12345)))
	eq(t, "settlement", res.Settlements, []Settlement{{OrganiserID: "o", Gross: 12345, Fee: 1235, Payable: 11110}})

	neg := fee("a", 12345)
	neg.Count = -1
	res = mustCompute(t, oneCustomer(models.VatInternal, "", neg))
	eq(t, "reversal", res.Settlements, []Settlement{{OrganiserID: "o", Gross: -12345, Fee: -1235, Payable: -11110}})
}

// A participant whose decision changed mid-month has two groups. Each is
// 125 min × 1350 c/h = 2812.5 → 2813 (gross 5626). Withholding once on the
// 17.5 % card: 5626 × 17.5 % = 984.55 → 985; per group it would be
// 492.275 → 492 twice = 984. Unemployment 50.07 → 50; net 5626 − 985 − 50.
func TestWithholdingRoundedOncePerPayout(t *testing.T) {
	g := PayoutGroup{ParticipantID: "p", OrganiserID: "o", Compensation: models.CompensationHourlyWage, HourlyWage: 1350, Days: 1, Minutes: 125}
	res := mustCompute(t, Input{Payouts: []PayoutGroup{g, g}, Accounts: testAccounts,
		Payroll: withCards(map[string]payroll.TaxCard{"p": {BasicBps: 1750, AdditionalBps: 1750}})})
	if p := res.Payouts[0]; p.Gross != 5626 || p.Withholding != 985 || p.Unemployment != 50 || p.Net != 4591 {
		t.Fatalf("payout %+v", p)
	}
}

// Days and minutes sum over every basis; only the allowance above 1200 c/day is taxable.
func TestPayoutMixedBases(t *testing.T) {
	res := mustCompute(t, Input{Accounts: testAccounts, Payroll: testPayroll, Payouts: []PayoutGroup{
		{ParticipantID: "p", OrganiserID: "o", Compensation: models.CompensationDailyAllowance, DailyAllowance: 1000, Days: 3, Minutes: 600},
		{ParticipantID: "p", OrganiserID: "o", Compensation: models.CompensationDailyAllowance, DailyAllowance: 1500, Days: 1, Minutes: 200},
		{ParticipantID: "p", OrganiserID: "o", Compensation: models.CompensationNone, Days: 1, Minutes: 100},
	}})
	// 3 × 1000 + 1 × 1500 = 4500; taxable 3 × 0 + 1 × 300 = 300, withheld
	// at 60 % without a card: 180.
	eq(t, "payouts", res.Payouts, []Payout{
		{ParticipantID: "p", OrganiserID: "o", Days: 5, Minutes: 900, Gross: 4500, TaxFree: 4200, Taxable: 300, Withholding: 180, Net: 4320},
	})
}

// A shift credited and billed again: P2 was paid 125 min (2813 gross, 1688
// withheld, 25 unemployment insurance, 1100 net, 253 holiday compensation
// accrued); the credit note reversed that, and the correction bills 120 min:
// 2700 gross, 1620 withheld, 24.03 → 24 insurance, 1056 net, 243 accrued.
// The run carries the reversal in, so P2 is owed −44 (paid 44 too much), not
// 1056 more, and every deduction and cost is the difference; P1's unchanged
// day nets to zero; P3's reversal waits for a run that pays P3.
func TestRunCarriesPayoutBalances(t *testing.T) {
	res := mustCompute(t, Input{Accounts: testAccounts, Payroll: testPayroll,
		Payouts: []PayoutGroup{
			{ParticipantID: "p1", OrganiserID: "o", Compensation: models.CompensationDailyAllowance, DailyAllowance: 1500, Days: 1, Minutes: 210},
			{ParticipantID: "p2", OrganiserID: "o", Compensation: models.CompensationHourlyWage, HourlyWage: 1350, Days: 1, Minutes: 120},
		},
		PayoutBalances: []PayoutBalance{
			{ID: "b1", Payout: Payout{ParticipantID: "p1", OrganiserID: "o", Days: -1, Minutes: -210, Gross: -1500, TaxFree: -1200, Taxable: -300,
				Withholding: -180, Net: -1320}},
			{ID: "b2", Payout: Payout{ParticipantID: "p2", OrganiserID: "o", Days: -1, Minutes: -125, Gross: -2813, Wage: -2813, Withholding: -1688,
				Unemployment: -25, Net: -1100, HolidayAccrued: -253, EmployerUnemployment: -9, EmployerHealthInsurance: -53, EmployerCost: -2875}},
			{ID: "b3", Payout: Payout{ParticipantID: "p3", OrganiserID: "o", Days: -1, Minutes: -60, Gross: -1000, TaxFree: -1000, Net: -1000}},
		}})
	// 2700: 8.37 → 8 employer unemployment, 50.49 → 50 health, cost 2758.
	eq(t, "payouts", res.Payouts, []Payout{
		{ParticipantID: "p1", OrganiserID: "o", CarriedNet: -1320},
		{ParticipantID: "p2", OrganiserID: "o", Days: 0, Minutes: -5, Gross: -113, Wage: -113, Withholding: -68, Unemployment: -1, Net: -44,
			HolidayAccrued: -10, EmployerUnemployment: -1, EmployerHealthInsurance: -3, EmployerCost: -117, CarriedNet: -1100},
	})
	eq(t, "carried", res.CarriedPayouts, map[string]string{"b1": "p1", "b2": "p2"})
}

// A group without work pays the holiday compensation left to someone whose
// employment ended (VLL § 17): p5 ended on 20 January with 15.00 unpaid.
// 60 % = 9.00 withheld; below the TyEL threshold; unemployment 0.1335 →
// 0.13; net 15.00 − 9.00 − 0.13 = 5.87. Employer: unemployment 0.0465 →
// 0.05, health 0.2805 → 0.28, cost 15.33. The journal takes it from the
// holiday liability. p6's employment goes on and its 15.00 is of the open
// credit year: nothing is due, so no row.
func TestHolidayOnlyPayoutAtEndOfEmployment(t *testing.T) {
	pr := testPayroll
	pr.Employees = map[string]payroll.Employee{"p5": {EmploymentEnd: models.Date{Year: 2026, Month: 1, Day: 20}}}
	pr.History = map[string]payroll.History{"p5": {HolidayUnpaid: 1500, HolidayOpen: 1500}, "p6": {HolidayUnpaid: 1500, HolidayOpen: 1500}}
	res := mustCompute(t, Input{Accounts: testAccounts, Payroll: pr, Organisers: map[string]Organiser{"o": {}},
		Payouts: []PayoutGroup{
			{ParticipantID: "p5", OrganiserID: "o", Compensation: models.CompensationNone},
			{ParticipantID: "p6", OrganiserID: "o", Compensation: models.CompensationNone},
		}})
	eq(t, "payouts", res.Payouts, []Payout{{ParticipantID: "p5", OrganiserID: "o", HolidayCompensation: 1500, Withholding: 900,
		Unemployment: 13, Net: 587, EmployerUnemployment: 5, EmployerHealthInsurance: 28, EmployerCost: 1533}})
	// Debits 33 + 1500 = credits 900 + 28 + 18 + 587 = 1533.
	pay := JournalEntry{OrganiserID: "o", Payroll: true}
	entry := func(account string, debit, credit models.Cents) JournalEntry {
		e := pay
		e.Account, e.Debit, e.Credit = account, debit, credit
		return e
	}
	eq(t, "journal", res.Journal, []JournalEntry{entry("6100", 33, 0), entry("2930", 0, 900), entry("2931", 0, 28),
		entry("2936", 0, 18), entry("2950", 1500, 0), entry("2940", 0, 587)})
}

// Organiser A was paid its first run; a credit note took back 12562 and the
// re-bill pays 9000: A is owed −3562, which stays a balance for its next
// settlement. B has no settlement in this run, so its balance waits. The
// journal posts only the run's own payable.
func TestRunCarriesSettlementBalances(t *testing.T) {
	in := oneCustomer(models.VatInternal, "", fee("a", 10000))
	in.SettlementBalances = []SettlementBalance{{ID: "s1", OrganiserID: "o", Amount: -12562}, {ID: "s2", OrganiserID: "other", Amount: -500}}
	res := mustCompute(t, in)
	eq(t, "settlements", res.Settlements, []Settlement{{OrganiserID: "o", Gross: 10000, Fee: 1000, Payable: 9000, Carried: -12562}})
	eq(t, "carried", res.CarriedSettlements, map[string]string{"s1": "o"})
	plain := in
	plain.SettlementBalances = nil
	eq(t, "journal", res.Journal, mustCompute(t, plain).Journal)
}

// A credit note's negative amounts post to the opposite side, positive.
func TestJournalNegativeSwapsSides(t *testing.T) {
	neg := fee("a", 1000)
	neg.Count = -1
	res := mustCompute(t, oneCustomer(models.VatStandard, "", neg))
	// net −1000; VAT −255; gross −1255; fee −100; payable −900.
	eq(t, "journal", res.Journal, []JournalEntry{
		{Account: "1700", Credit: 1255, CustomerID: "c"},
		{Account: "3000", Debit: 1000, CustomerID: "c"},
		{Account: "2939", Debit: 255, CustomerID: "c"},
		{Account: "4000", Credit: 900, OrganiserID: "o"},
		{Account: "2870", Debit: 900, OrganiserID: "o"},
	})
}

func TestCheckBalanced(t *testing.T) {
	if err := checkBalanced([]JournalEntry{{Debit: 5}, {Credit: 5}}); err != nil {
		t.Errorf("balanced: %v", err)
	}
	err := checkBalanced([]JournalEntry{{Debit: 5}, {Credit: 4}})
	if err == nil || !strings.Contains(err.Error(), "unbalanced") {
		t.Errorf("unbalanced: got %v", err)
	}
}

func TestInvalidInput(t *testing.T) {
	ok := func() Input { return oneCustomer(models.VatStandard, "", fee("a", 100)) }
	for name, mutate := range map[string]func(*Input){
		"unknown customer":  func(in *Input) { in.Lines[0].CustomerID = "x" },
		"unknown organiser": func(in *Input) { in.Lines[0].OrganiserID = "x" },
		"unknown kind":      func(in *Input) { in.Lines[0].Kind = "travel" },
		"minutes on fee":    func(in *Input) { in.Lines[0].Minutes = 5 },
		"negative price":    func(in *Input) { in.Lines[0].UnitPrice = -1 },
		"unknown treatment": func(in *Input) { in.Customers["c"] = Customer{VatTreatment: "reduced"} },
		"exempt w/o reason": func(in *Input) { in.Customers["c"] = Customer{VatTreatment: models.VatExempt} },
		"fee out of range":  func(in *Input) { in.Organisers["o"] = Organiser{CoordinationFeeBps: 10001} },
		"vat out of range":  func(in *Input) { in.Lines[0].VatBps = -1 },
		"unknown comp":      func(in *Input) { in.Payouts = []PayoutGroup{{ParticipantID: "p", Compensation: "bonus"}} },
		"two organisers": func(in *Input) {
			in.Payouts = []PayoutGroup{{ParticipantID: "p", OrganiserID: "o", Compensation: models.CompensationNone}, {ParticipantID: "p", OrganiserID: "q", Compensation: models.CompensationNone}}
		},
		"employer pension > 100%": func(in *Input) {
			in.Organisers["o"] = Organiser{Employer: payroll.Employer{PensionBps: 10001}}
		},
	} {
		in := ok()
		mutate(&in)
		if _, err := Compute(in); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := Compute(ok()); err != nil {
		t.Errorf("valid input: %v", err)
	}
}

// genInput draws small inputs with negative quantities and colliding keys.
func genInput(t *rapid.T) Input {
	in := Input{
		Customers:  map[string]Customer{},
		Organisers: map[string]Organiser{},
		Accounts:   testAccounts,
		Payroll:    testPayroll,
	}
	// Tax cards whose income limit no test run reaches, so that negated
	// pay takes back exactly what it paid.
	in.Payroll.Employees = map[string]payroll.Employee{}
	for _, p := range []string{"p1", "p2"} {
		bps := rapid.Int64Range(0, 7500).Draw(t, "card")
		in.Payroll.Employees[p] = payroll.Employee{TaxCard: &payroll.TaxCard{BasicBps: bps, AdditionalBps: bps, IncomeLimit: 1 << 40}}
	}
	customers := []string{"c1", "c2", "c3"}
	for _, id := range customers {
		tr := rapid.SampledFrom([]string{models.VatStandard, models.VatInternal, models.VatExempt}).Draw(t, "treatment")
		in.Customers[id] = Customer{VatTreatment: tr, VatExemptReason: "reason"}
	}
	organisers := []string{"o1", "o2"}
	for _, id := range organisers {
		in.Organisers[id] = Organiser{CoordinationFeeBps: rapid.Int64Range(0, 10000).Draw(t, "fee")}
	}
	qty := rapid.Int64Range(-100000, 100000)
	for range rapid.IntRange(0, 12).Draw(t, "lines") {
		g := LineGroup{
			CustomerID:  rapid.SampledFrom(customers).Draw(t, "customer"),
			OrderID:     rapid.SampledFrom([]string{"r1", "r2", "r3"}).Draw(t, "order"),
			OrganiserID: rapid.SampledFrom(organisers).Draw(t, "organiser"),
			Kind:        rapid.SampledFrom([]string{models.KindParticipantHours, models.KindSupervisorHours, models.KindLateCancellation}).Draw(t, "kind"),
			UnitPrice:   models.Cents(rapid.Int64Range(0, 20000).Draw(t, "price")),
			VatBps:      rapid.SampledFrom([]int64{2550, 2400, 1400, 1000, 0}).Draw(t, "vat"),
		}
		if g.Kind == models.KindLateCancellation {
			g.Count = rapid.Int64Range(-5, 5).Draw(t, "count")
		} else {
			g.Minutes = qty.Draw(t, "minutes")
		}
		in.Lines = append(in.Lines, g)
	}
	for range rapid.IntRange(0, 8).Draw(t, "payouts") {
		p := rapid.SampledFrom([]string{"p1", "p2", "p3", "p4"}).Draw(t, "participant")
		in.Payouts = append(in.Payouts, PayoutGroup{
			ParticipantID:  p,
			OrganiserID:    "o-" + p, // a participant belongs to one organiser
			Compensation:   rapid.SampledFrom([]string{models.CompensationDailyAllowance, models.CompensationHourlyWage, models.CompensationNone}).Draw(t, "comp"),
			DailyAllowance: models.Cents(rapid.Int64Range(0, 3000).Draw(t, "allowance")),
			HourlyWage:     models.Cents(rapid.Int64Range(0, 3000).Draw(t, "wage")),
			Days:           rapid.Int64Range(-22, 22).Draw(t, "days"),
			Minutes:        qty.Draw(t, "payMinutes"),
		})
	}
	return in
}

func TestPropertyInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t)
		res, err := Compute(in)
		if err != nil {
			t.Fatalf("Compute: %v", err)
		}
		var allLines, net, vat, gross models.Cents
		for _, inv := range res.Invoices {
			var lines, bNet, bVat models.Cents
			for _, l := range inv.Lines {
				lines += l.Amount
			}
			for _, b := range inv.VatBreakdown {
				bNet += b.Net
				bVat += b.Vat
			}
			if lines != inv.Net || bNet != inv.Net || bVat != inv.Vat {
				t.Fatalf("%s: lines %d, breakdown %d/%d, invoice %d/%d", inv.CustomerID, lines, bNet, bVat, inv.Net, inv.Vat)
			}
			if inv.Net+inv.Vat != inv.Gross {
				t.Fatalf("%s: net + VAT ≠ gross", inv.CustomerID)
			}
			// One breakdown row per rate, each taxed on its own net; an
			// internal or exempt invoice has a single 0 % row.
			rates := map[int64]bool{}
			for _, l := range inv.Lines {
				rates[l.VatBps] = true
			}
			if len(inv.VatBreakdown) != len(rates) || (inv.VatTreatment != models.VatStandard && (len(rates) != 1 || !rates[0])) {
				t.Fatalf("%s: breakdown %+v for line rates %v", inv.CustomerID, inv.VatBreakdown, rates)
			}
			for _, b := range inv.VatBreakdown {
				if b.Vat != models.ApplyBps(b.Net, b.VatBps) {
					t.Fatalf("%s: breakdown row %+v", inv.CustomerID, b)
				}
			}
			allLines += lines
			net += inv.Net
			vat += inv.Vat
			gross += inv.Gross
		}
		if net != res.Net || vat != res.Vat || gross != res.Gross {
			t.Fatalf("totals %d/%d/%d, sums %d/%d/%d", res.Net, res.Vat, res.Gross, net, vat, gross)
		}
		var payable, fees models.Cents
		for _, s := range res.Settlements {
			if s.Gross-s.Fee != s.Payable {
				t.Fatalf("settlement %+v", s)
			}
			payable += s.Payable
			fees += s.Fee
		}
		if payable+fees != allLines {
			t.Fatalf("payable %d + fees %d ≠ lines %d", payable, fees, allLines)
		}
		for _, p := range res.Payouts {
			if p.Gross+p.HolidayCompensation-p.Withholding-p.Pension-p.Unemployment != p.Net {
				t.Fatalf("payout %+v", p)
			}
		}
		var debit, credit models.Cents
		for _, e := range res.Journal {
			if (e.Debit > 0) == (e.Credit > 0) || e.Debit < 0 || e.Credit < 0 {
				t.Fatalf("entry %+v: exactly one positive side", e)
			}
			debit += e.Debit
			credit += e.Credit
		}
		if debit != credit {
			t.Fatalf("journal %d ≠ %d", debit, credit)
		}
	})
}

// Negating every quantity (what a credit note does) negates every money
// output exactly and swaps every journal posting.
func TestPropertyNegationSymmetric(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t)
		neg := in
		neg.Lines = nil
		for _, g := range in.Lines {
			g.Minutes, g.Count = -g.Minutes, -g.Count
			neg.Lines = append(neg.Lines, g)
		}
		neg.Payouts = nil
		for _, g := range in.Payouts {
			g.Minutes, g.Days = -g.Minutes, -g.Days
			neg.Payouts = append(neg.Payouts, g)
		}
		a, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Compute(neg)
		if err != nil {
			t.Fatal(err)
		}
		if want := negate(a); !reflect.DeepEqual(withoutEmpty(want), withoutEmpty(b)) {
			t.Fatalf("negated:\n got  %+v\n want %+v", b, want)
		}
	})
}

// withoutEmpty makes an empty list of r nil: whether Compute returns a
// nil or an empty list is no money.
func withoutEmpty(r Result) Result {
	if len(r.Invoices) == 0 {
		r.Invoices = nil
	}
	if len(r.Settlements) == 0 {
		r.Settlements = nil
	}
	if len(r.Payouts) == 0 {
		r.Payouts = nil
	}
	if len(r.Journal) == 0 {
		r.Journal = nil
	}
	return r
}

func negate(r Result) Result {
	// Which balance was carried into which payout is no amount: it stays.
	out := Result{Net: -r.Net, Vat: -r.Vat, Gross: -r.Gross, CarriedPayouts: r.CarriedPayouts, CarriedSettlements: r.CarriedSettlements}
	for _, inv := range r.Invoices {
		n := inv
		n.Net, n.Vat, n.Gross = -inv.Net, -inv.Vat, -inv.Gross
		n.Lines = nil
		for _, l := range inv.Lines {
			l.Minutes, l.Count, l.Amount = -l.Minutes, -l.Count, -l.Amount
			n.Lines = append(n.Lines, l)
		}
		n.VatBreakdown = nil
		for _, v := range inv.VatBreakdown {
			v.Net, v.Vat = -v.Net, -v.Vat
			n.VatBreakdown = append(n.VatBreakdown, v)
		}
		out.Invoices = append(out.Invoices, n)
	}
	for _, s := range r.Settlements {
		s.Gross, s.Fee, s.Payable = -s.Gross, -s.Fee, -s.Payable
		out.Settlements = append(out.Settlements, s)
	}
	for _, p := range r.Payouts {
		p.Days, p.Minutes = -p.Days, -p.Minutes
		n := Payout{ParticipantID: p.ParticipantID, OrganiserID: p.OrganiserID}
		for _, f := range []struct{ dst, src *models.Cents }{{&n.Gross, &p.Gross}, {&n.Withholding, &p.Withholding}, {&n.Net, &p.Net},
			{&n.Taxable, &p.Taxable}, {&n.Wage, &p.Wage}, {&n.TaxFree, &p.TaxFree}, {&n.HolidayAccrued, &p.HolidayAccrued},
			{&n.HolidayCompensation, &p.HolidayCompensation}, {&n.Pension, &p.Pension}, {&n.Unemployment, &p.Unemployment},
			{&n.EmployerPension, &p.EmployerPension}, {&n.EmployerUnemployment, &p.EmployerUnemployment},
			{&n.EmployerHealthInsurance, &p.EmployerHealthInsurance}, {&n.EmployerAccidentInsurance, &p.EmployerAccidentInsurance},
			{&n.EmployerCost, &p.EmployerCost}} {
			*f.dst = -*f.src
		}
		n.Days, n.Minutes = p.Days, p.Minutes
		out.Payouts = append(out.Payouts, n)
	}
	for _, e := range r.Journal {
		e.Debit, e.Credit = e.Credit, e.Debit
		out.Journal = append(out.Journal, e)
	}
	return out
}

// Carrying balances moves money between runs and never makes or loses a
// cent: every balance of a participant the run pays, or of an organiser it
// settles, is carried, whole; the others stay open.
func TestPropertyCarryingConservesMoney(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t)
		plain, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		paid := map[string]bool{}
		for _, p := range plain.Payouts {
			paid[p.ParticipantID] = true
		}
		var want models.Cents
		for _, p := range plain.Payouts {
			want += p.Net
		}
		for i := range rapid.IntRange(0, 6).Draw(t, "balances") {
			p := rapid.SampledFrom([]string{"p1", "p2", "p3", "p4"}).Draw(t, "balance participant")
			gross := models.Cents(rapid.Int64Range(-50000, 0).Draw(t, "balance gross"))
			withheld := models.Cents(rapid.Int64Range(int64(gross), 0).Draw(t, "balance withholding"))
			b := PayoutBalance{ID: fmt.Sprintf("b%d", i), Payout: Payout{ParticipantID: p, OrganiserID: "o-" + p,
				Days: -1, Gross: gross, Withholding: withheld, Net: gross - withheld}}
			in.PayoutBalances = append(in.PayoutBalances, b)
			if paid[p] {
				want += b.Net
			}
		}
		settled := map[string]bool{}
		var wantToPay models.Cents
		for _, st := range plain.Settlements {
			settled[st.OrganiserID] = true
			wantToPay += st.Payable
		}
		for i := range rapid.IntRange(0, 4).Draw(t, "settlement balances") {
			b := SettlementBalance{ID: fmt.Sprintf("s%d", i), OrganiserID: rapid.SampledFrom([]string{"o1", "o2", "o3"}).Draw(t, "balance organiser"),
				Amount: models.Cents(rapid.Int64Range(-100000, 0).Draw(t, "balance amount"))}
			in.SettlementBalances = append(in.SettlementBalances, b)
			if settled[b.OrganiserID] {
				wantToPay += b.Amount
			}
		}
		res, err := Compute(in)
		if err != nil {
			t.Fatal(err)
		}
		var toPay models.Cents
		for _, st := range res.Settlements {
			toPay += st.Payable + st.Carried
		}
		if toPay != wantToPay {
			t.Fatalf("settlements to pay %d, want %d", toPay, wantToPay)
		}
		for _, b := range in.SettlementBalances {
			if _, ok := res.CarriedSettlements[b.ID]; ok != settled[b.OrganiserID] {
				t.Fatalf("settlement balance %s of %s carried %v, settled %v", b.ID, b.OrganiserID, ok, settled[b.OrganiserID])
			}
		}
		var got, carriedNet models.Cents
		for _, p := range res.Payouts {
			got += p.Net
			carriedNet += p.CarriedNet
			if p.Net != p.Gross+p.HolidayCompensation-p.Withholding-p.Pension-p.Unemployment {
				t.Fatalf("payout %+v: net is not gross + holiday compensation − deductions", p)
			}
		}
		if got != want {
			t.Fatalf("payouts net %d, want %d", got, want)
		}
		for _, b := range in.PayoutBalances {
			if _, ok := res.CarriedPayouts[b.ID]; ok != paid[b.ParticipantID] {
				t.Fatalf("balance %s of %s carried %v, paid %v", b.ID, b.ParticipantID, ok, paid[b.ParticipantID])
			}
			if paid[b.ParticipantID] {
				carriedNet -= b.Net
			}
		}
		if carriedNet != 0 {
			t.Fatalf("carried_net does not add up to the carried balances (off by %d)", carriedNet)
		}
		if !reflect.DeepEqual(res.Invoices, plain.Invoices) || !reflect.DeepEqual(res.Journal, plain.Journal) {
			t.Fatal("balances changed the invoices or the journal")
		}
		for i, st := range res.Settlements {
			if st.Payable != plain.Settlements[i].Payable {
				t.Fatalf("a balance changed the payable %d the journal posts to %d", plain.Settlements[i].Payable, st.Payable)
			}
		}
	})
}

// The order of the input groups never changes the result.
func TestPropertyDeterministic(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in := genInput(t)
		shuffled := in
		shuffled.Lines = rapid.Permutation(in.Lines).Draw(t, "lines")
		shuffled.Payouts = rapid.Permutation(in.Payouts).Draw(t, "payouts")
		a, errA := Compute(in)
		b, errB := Compute(shuffled)
		if errA != nil || errB != nil {
			t.Fatal(errA, errB)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("order-dependent:\n %+v\n %+v", a, b)
		}
	})
}

// Work on both sides of a VAT rate change: the same order, kind and price
// make one line per rate, and the invoice one breakdown row per rate, each
// taxed on its own net. By hand: 230 min × 25 €/h = 95.8333 → 9583 and
// 240 min × 45 €/h = 18000 at 25.5 %: net 27583, VAT 7033.665 → 7034;
// 175 min × 25 €/h = 72.9166 → 7292 and 180 min × 45 €/h = 13500 at a
// (hypothetical) 26 %: net 20792, VAT 5405.92 → 5406.
func TestLinesSplitByVatRate(t *testing.T) {
	hours := func(kind string, price models.Cents, minutes, bps int64) LineGroup {
		return LineGroup{CustomerID: "c", OrderID: "a", OrganiserID: "o", Kind: kind, UnitPrice: price, Minutes: minutes, VatBps: bps}
	}
	res, err := Compute(oneCustomer(models.VatStandard, "",
		hours(models.KindParticipantHours, 2500, 175, 2600), hours(models.KindSupervisorHours, 4500, 240, 2550),
		hours(models.KindParticipantHours, 2500, 230, 2550), hours(models.KindSupervisorHours, 4500, 180, 2600)))
	if err != nil {
		t.Fatal(err)
	}
	inv := res.Invoices[0]
	eq(t, "lines", inv.Lines, []Line{
		{OrderID: "a", OrganiserID: "o", Kind: models.KindParticipantHours, Minutes: 230, UnitPrice: 2500, Amount: 9583, VatBps: 2550},
		{OrderID: "a", OrganiserID: "o", Kind: models.KindParticipantHours, Minutes: 175, UnitPrice: 2500, Amount: 7292, VatBps: 2600},
		{OrderID: "a", OrganiserID: "o", Kind: models.KindSupervisorHours, Minutes: 240, UnitPrice: 4500, Amount: 18000, VatBps: 2550},
		{OrderID: "a", OrganiserID: "o", Kind: models.KindSupervisorHours, Minutes: 180, UnitPrice: 4500, Amount: 13500, VatBps: 2600},
	})
	eq(t, "breakdown", inv.VatBreakdown, []VatGroup{{VatBps: 2550, Net: 27583, Vat: 7034}, {VatBps: 2600, Net: 20792, Vat: 5406}})
	if inv.Net != 48375 || inv.Vat != 12440 || inv.Gross != 60815 {
		t.Errorf("totals %d/%d/%d", inv.Net, inv.Vat, inv.Gross)
	}
	// An internal customer's lines merge at 0 % whatever the rate of the day.
	in := oneCustomer(models.VatInternal, "", hours(models.KindParticipantHours, 2500, 175, 2600), hours(models.KindParticipantHours, 2500, 230, 2550))
	res, err = Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	if l := res.Invoices[0].Lines; len(l) != 1 || l[0].Minutes != 405 || l[0].VatBps != 0 {
		t.Errorf("internal lines %+v", l)
	}
}
