package demo_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"slices"
	"strconv"
	"testing"
	"time"

	"jobcenter/app"
	"jobcenter/auth"
	"jobcenter/demo"
	"jobcenter/internal/xmlschema"
	"jobcenter/models"
	"jobcenter/payroll"
)

// checkPayroll checks that the demo gives finance what payroll needs, so
// that withholding and contributions follow the rules rather than the
// fallbacks: a fictitious identity code for every participant, a tax card
// for every year the demo spans for every earner but one, who shows the
// 60 % rule, a minor who shows the age rule of unemployment insurance, both
// holiday rates, and organisers ready to report to the Incomes Register.
func checkPayroll(t *testing.T, m *app.Main, tid string, today models.Date) {
	t.Helper()
	var people []struct {
		ID, IdentityCodeEncrypted, Language, Compensation string
		EmploymentStartDate                               *models.Date
	}
	if err := m.DB.Gorm.Raw(`SELECT p.id, p.identity_code_encrypted, p.language, p.employment_start_date,
		(SELECT MAX(d.compensation) FROM service_decisions d WHERE d.participant_id = p.id) AS compensation
		FROM participants p WHERE p.tenant_id = ?`, tid).Scan(&people).Error; err != nil {
		t.Fatal(err)
	}
	var first models.Date
	if err := m.DB.Gorm.Raw("SELECT MIN(date) FROM shifts WHERE tenant_id = ?", tid).Scan(&first).Error; err != nil {
		t.Fatal(err)
	}
	var cards []models.TaxCard
	if err := m.DB.Gorm.Where("tenant_id = ?", tid).Find(&cards).Error; err != nil {
		t.Fatal(err)
	}
	years := map[string][]int{}
	for _, c := range cards {
		years[c.ParticipantID] = append(years[c.ParticipantID], c.Year)
		if c.BasicBps < 800 || c.BasicBps > 2500 || c.AdditionalBps < 3000 || c.AdditionalBps > 4500 ||
			c.IncomeLimitCents < 15000_00 || c.IncomeLimitCents > 40000_00 {
			t.Errorf("implausible tax card %+v", c)
		}
	}

	codes := map[string]bool{}
	var minors, withoutCard []string
	minAge, maxAge, swedish := 200, 0, 0
	for _, p := range people {
		code, err := m.Participants.OpenIdentityCode(tid, p.ID, p.IdentityCodeEncrypted)
		if err != nil || code == "" {
			t.Fatalf("participant %s has no identity code (%v)", p.ID, err)
		}
		birth, ok := models.IdentityCodeBirthDate(code)
		if n, _ := strconv.Atoi(code[7:10]); !ok || n < 900 || n > 999 {
			t.Errorf("identity code %s is not a valid temporary code (individual number 900–999)", code)
		}
		if codes[code] {
			t.Errorf("identity code %s twice", code)
		}
		codes[code] = true
		switch age := payroll.Age(birth, today); {
		case age < 18:
			minors = append(minors, p.ID)
			if age != 17 || p.Compensation != models.CompensationHourlyWage {
				t.Errorf("a participant aged %d with compensation %s", age, p.Compensation)
			}
		default:
			minAge, maxAge = min(minAge, age), max(maxAge, age)
		}
		if p.Language == "sv" {
			swedish++
		}
		if p.Compensation == models.CompensationHourlyWage && p.EmploymentStartDate == nil {
			t.Errorf("supported-employment participant %s has no employment_start_date", p.ID)
		}
		if p.Compensation == models.CompensationNone {
			continue
		}
		slices.Sort(years[p.ID])
		var want []int
		for y := first.Year; y <= today.Year; y++ {
			want = append(want, y)
		}
		switch {
		case len(years[p.ID]) == 0:
			withoutCard = append(withoutCard, p.ID)
		case !slices.Equal(years[p.ID], want):
			t.Errorf("participant %s has tax cards for %v, want %v", p.ID, years[p.ID], want)
		}
	}
	if minAge > 25 || maxAge < 50 || maxAge > 60 {
		t.Errorf("adults aged %d–%d, want a spread within 18–60", minAge, maxAge)
	}
	if len(minors) != 1 || len(withoutCard) != 1 || swedish == 0 {
		t.Fatalf("minors %v, earners without a tax card %v, %d Swedish speakers: want one, one and some", minors, withoutCard, swedish)
	}

	var payouts []struct {
		ParticipantID                                     string
		WageCents, HolidayCompensationCents, TaxableCents models.Cents
		WithholdingCents, UnemploymentInsuranceCents      models.Cents
		HolidayAccruedCents                               models.Cents
	}
	if err := m.DB.Gorm.Raw(`SELECT participant_id, wage_cents, holiday_compensation_cents, taxable_cents, withholding_cents,
		unemployment_insurance_cents, holiday_accrued_cents FROM payouts WHERE tenant_id = ?`, tid).Scan(&payouts).Error; err != nil {
		t.Fatal(err)
	}
	var sixty []string
	paidMinor := false
	rates := map[int64]bool{}
	for _, p := range payouts {
		taxable := p.WageCents + p.HolidayCompensationCents + p.TaxableCents
		if taxable > 0 && p.WithholdingCents == models.ApplyBps(taxable, payroll.NoTaxCardBps) {
			sixty = append(sixty, p.ParticipantID)
		}
		if p.WageCents <= 0 {
			continue
		}
		if minor := p.ParticipantID == minors[0]; minor != (p.UnemploymentInsuranceCents == 0) {
			t.Errorf("payout of %s (minor: %v) deducts %d of unemployment insurance", p.ParticipantID, minor, p.UnemploymentInsuranceCents)
		} else if minor {
			paidMinor = true
		}
		for _, bps := range []int64{900, 1150} {
			if p.HolidayAccruedCents == models.ApplyBps(p.WageCents, bps) {
				rates[bps] = true
			}
		}
	}
	if !slices.Equal(sixty, withoutCard) {
		t.Errorf("withheld at 60 %%: %v; want only the earner without a tax card, %v", sixty, withoutCard)
	}
	if !paidMinor || !rates[900] || !rates[1150] {
		t.Errorf("the minor paid a wage: %v; holiday rates shown: %v; want the minor and both rates", paidMinor, rates)
	}

	var employers []models.Organization
	if err := m.DB.Gorm.Where(`tenant_id = ? AND id IN (SELECT p.organiser_id FROM participants p
		JOIN service_decisions d ON d.participant_id = p.id WHERE d.compensation = ?)`, tid, models.CompensationHourlyWage).
		Find(&employers).Error; err != nil {
		t.Fatal(err)
	}
	if len(employers) == 0 {
		t.Fatal("no organiser employs anyone")
	}
	for _, o := range employers {
		if !slices.Contains([]string{"46", "54", "55"}, o.PensionInsurer) || !models.ValidPensionPolicyNumber(o.PensionPolicyNumber) ||
			models.PolicyProvider(o.PensionPolicyNumber) != o.PensionInsurer || o.EmployerPensionBps <= 0 ||
			o.AccidentInsuranceBps <= 0 || o.AccidentInsuranceBps > 300 || o.ContactName == "" || o.ContactPhone == "" || o.ContactEmail == "" {
			t.Errorf("employer %s: insurer %q, policy %q, pension %d bps, accident %d bps, contact %q %q %q", o.Name, o.PensionInsurer,
				o.PensionPolicyNumber, o.EmployerPensionBps, o.AccidentInsuranceBps, o.ContactName, o.ContactPhone, o.ContactEmail)
		}
	}
}

// A demo loaded in January spans two years: the new year's tax cards are
// recorded in December, before the runs that pay in the new year.
func TestDemoAcrossTheNewYear(t *testing.T) {
	m := openMain(t)
	january := time.Date(2027, time.January, 20, 12, 0, 0, 0, m.Loc)
	m.Clock.Set(january)
	res, err := demo.Load(context.Background(), m)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	checkPayroll(t, m, res.TenantID, models.DateOf(january, m.Loc))
	var years []int
	if err := m.DB.Gorm.Raw("SELECT DISTINCT year FROM tax_cards WHERE tenant_id = ? ORDER BY year", res.TenantID).Scan(&years).Error; err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(years, []int{2026, 2027}) {
		t.Errorf("tax cards for %v, want 2026 and 2027", years)
	}
	checkFinanceExports(t, m, res.TenantID)
}

// checkFinanceExports exports, as the demo's finance user, the Incomes
// Register file and the SEPA payment file of every organiser with wages in
// the latest billing run and validates them against their schemas, and a
// Swedish speaker's payslip.
func checkFinanceExports(t *testing.T, m *app.Main, tid string) {
	t.Helper()
	ctx := context.Background()
	var runID, financeID string
	if err := m.DB.Gorm.Raw("SELECT id FROM billing_runs WHERE tenant_id = ? ORDER BY period DESC LIMIT 1", tid).Scan(&runID).Error; err != nil {
		t.Fatal(err)
	}
	if err := m.DB.Gorm.Raw("SELECT id FROM users WHERE tenant_id = ? AND role = ?", tid, models.RoleFinance).Scan(&financeID).Error; err != nil {
		t.Fatal(err)
	}
	var organisers []string
	if err := m.DB.Gorm.Raw("SELECT DISTINCT organiser_id FROM payouts WHERE billing_run_id = ? AND wage_cents > 0", runID).
		Scan(&organisers).Error; err != nil {
		t.Fatal(err)
	}
	if len(organisers) == 0 {
		t.Fatal("the latest billing run paid no wages")
	}
	finance := auth.Principal{UserID: financeID, TenantID: tid, Role: models.RoleFinance}
	for _, org := range organisers {
		f, err := m.Finance.IncomesRegisterXML(ctx, finance, runID, org, "/v1/exports/incomes-register.xml")
		if err != nil {
			t.Fatalf("organiser %s: %v", org, err)
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatalf("organiser %s: %v", org, err)
		}
		xmlschema.Validate(t, "incomes-register/WageReportsToIR.xsd", buf.Bytes())
		var file struct {
			Reports []struct {
				Code string `xml:"IncomeEarner>IncomeEarnerIds>Id>Code"`
			} `xml:"DeliveryData>Reports>Report"`
		}
		if err := xml.Unmarshal(buf.Bytes(), &file); err != nil {
			t.Fatal(err)
		}
		var earners int
		if err := m.DB.Gorm.Raw("SELECT COUNT(*) FROM payouts WHERE billing_run_id = ? AND organiser_id = ? AND wage_cents > 0",
			runID, org).Scan(&earners).Error; err != nil {
			t.Fatal(err)
		}
		if len(file.Reports) != earners {
			t.Errorf("organiser %s: %d reports for %d wage earners", org, len(file.Reports), earners)
		}
		sepa, err := m.Finance.PayoutsXML(ctx, finance, runID, org, "/v1/exports/payouts.xml")
		if err != nil {
			t.Fatalf("organiser %s: %v", org, err)
		}
		buf.Reset()
		if err := sepa.Write(&buf); err != nil {
			t.Fatalf("organiser %s: %v", org, err)
		}
		xmlschema.Validate(t, "pain.001.001.09.xsd", buf.Bytes())
	}
	var payoutID string
	if err := m.DB.Gorm.Raw(`SELECT y.id FROM payouts y JOIN participants p ON p.id = y.participant_id
		WHERE y.billing_run_id = ? AND y.wage_cents > 0 AND p.language = 'sv' ORDER BY y.id LIMIT 1`, runID).Scan(&payoutID).Error; err != nil || payoutID == "" {
		t.Fatalf("no Swedish speaker's wage in the latest run (%v)", err)
	}
	slip, err := m.Finance.PayslipPDF(ctx, finance, payoutID, "/v1/payouts/:id/payslip.pdf")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := slip.Write(&buf); err != nil || !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Errorf("payslip: %v, starts %q", err, buf.Bytes()[:min(8, buf.Len())])
	}
}
