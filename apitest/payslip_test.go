package apitest

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"jobcenter/internal/xmlschema"
	"jobcenter/models"
)

// wageWorld is PAYROLL.md's worked example set up through the API: one
// organiser, a 30-year-old wage earner (40 h × 13.33 € in January 2026 on
// a 25 % card) and a työosuusraha earner (15 € a day over three days)
// working the same five shifts for a standard customer, approved, billed
// in the run of 5 February 2026.
type wageWorld struct {
	*billingWorld
	model            string
	adult, allowance string
	shifts           []string
	assigned         map[string]map[string]string // shift → person → assignment
	run              map[string]any
}

func newWageWorld(t *testing.T, model string) *wageWorld {
	w := &wageWorld{billingWorld: newPayrollWorld(t, model), assigned: map[string]map[string]string{}, model: model}

	w.adult = w.participant(t, w.orgA, map[string]any{"kind": "supported_employment", "valid_from": "2026-01-01",
		"compensation": "hourly_wage", "hourly_wage_cents": 1333})
	w.tn.S.Do(t, Request{Method: "PATCH", Path: "/v1/participants/" + w.adult, Token: w.tok["coord"], Header: map[string]string{"If-Match": `"1"`},
		Body: map[string]any{"personal_identity_code": identityCode("150695", '-', "123"), "employment_start_date": "2025-09-01",
			"first_name": "Sööpä", "last_name": "Åkerlund"}}).Expect(t, http.StatusOK)
	w.do(t, "finance", "POST", "/v1/participants/"+w.adult+"/tax-cards", map[string]any{"year": 2026, "basic_bps": 2500,
		"additional_bps": 4000, "income_limit_cents": 3000000}).Expect(t, http.StatusCreated)
	w.allowance = w.participant(t, w.orgA, map[string]any{"kind": "disability_work_activity", "valid_from": "2026-01-01",
		"compensation": "daily_allowance", "daily_allowance_cents": 1500})

	for i, d := range []string{"2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16"} {
		w.shifts = append(w.shifts, w.wageShift(t, d, w.crew(i)...))
	}
	for i, id := range w.shifts {
		w.work(t, id, fmt.Sprintf("2026-01-%dT15:00:00Z", 12+i), w.crew(i)...)
	}
	w.at(t, "2026-02-05T08:00:00Z")
	w.run = w.do(t, "finance", "POST", "/v1/billing-runs", map[string]any{"period": "2026-01"}).Expect(t, http.StatusCreated).Map(t)
	return w
}

// crew is who works the i-th shift: the wage earner on all five, the
// työosuusraha earner on the first three unless the customer employs the
// crew (paid employment, which a disability decision does not allow).
func (w *wageWorld) crew(i int) []string {
	if i < 3 && w.model == "subcontracting" {
		return []string{w.adult, w.allowance}
	}
	return []string{w.adult}
}

// wageShift places a one-day 8–16 order and staffs it with the supervisor
// and people.
func (w *wageWorld) wageShift(t *testing.T, date string, people ...string) string {
	t.Helper()
	id, assigned := w.crewShift(t, date, "08:00", "16:00", people...)
	w.assigned[id] = assigned
	return id
}

// work records everyone on the shift 8–16 and has it approved.
func (w *wageWorld) work(t *testing.T, id, at string, people ...string) {
	t.Helper()
	w.workApproved(t, id, at, "08:00", "16:00", w.assigned[id], people...)
}

// payoutOf is the run's payout of participant.
func (w *wageWorld) payoutOf(t *testing.T, participant string) map[string]any {
	t.Helper()
	for _, p := range w.run["payouts"].([]any) {
		if m := p.(map[string]any); m["participant_id"] == participant {
			return m
		}
	}
	t.Fatalf("no payout of %s in %v", participant, w.run["payouts"])
	return nil
}

// GET /v1/payouts/{id}/payslip.pdf: the worked example's payslip in each
// language shows employer, employee, period, payment date, hours × rate,
// every deduction, net and the year's figures, with ä, ö and å; not the
// employer's costs nor the whole identity code. Finance and the organiser's
// supervisor get it, each download is access-logged; another organiser's
// supervisor gets a 404, a coordinator a 403, a payout with no pay a 409.
func TestPayslipPDF(t *testing.T) {
	w := newWageWorld(t, "subcontracting")
	payout := w.payoutOf(t, w.adult)["id"].(string)
	path := "/v1/payouts/" + payout + "/payslip.pdf"

	common := []string{"Work Activity Unit", "0201256-6", "Sööpä Åkerlund", "******-***", "1.1.2026–31.1.2026", "5.2.2026",
		"40,00 h", "13,33 €", "533,20 €", "133,30 €", "38,92 €", "4,75 €", "356,23 €", "47,99 €", "1.1.2026–5.2.2026"}
	langs := map[string][]string{
		"fi": {"PALKKALASKELMA", "Työnantaja", "Työntekijä", "Henkilötunnus", "Palkkakausi", "Maksupäivä", "Tuntipalkka",
			"Ennakonpidätys", "Työeläkemaksu (TyEL)", "Työttömyysvakuutusmaksu", "Nettopalkka", "Kertymät", "työsuhteen"},
		"sv": {"LÖNESPECIFIKATION", "Arbetsgivare", "Arbetstagare", "Personbeteckning", "Löneperiod", "Betalningsdag", "Timlön",
			"Förskottsinnehållning", "Arbetspensionsavgift", "Arbetslöshetsförsäkringspremie", "Nettolön", "Ackumulerat", "anställningen"},
		"en": {"PAYSLIP", "Employer", "Employee", "Personal identity code", "Pay period", "Payment date", "Hourly wage",
			"Tax withheld", "Employee pension contribution", "Unemployment insurance contribution", "Net pay", "Year to date", "employment"},
	}
	version := 2
	for _, lang := range []string{"fi", "sv", "en"} {
		w.tn.S.Do(t, Request{Method: "PATCH", Path: "/v1/participants/" + w.adult, Token: w.tok["coord"],
			Header: map[string]string{"If-Match": fmt.Sprintf(`"%d"`, version)}, Body: map[string]any{"language": lang}}).Expect(t, http.StatusOK)
		version++
		r := w.do(t, "finance", "GET", path, nil).Expect(t, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); ct != "application/pdf" {
			t.Fatalf("%s: content type %q", lang, ct)
		}
		text := pdfText(t, r.Body)
		for _, want := range append(common, langs[lang]...) {
			if !strings.Contains(text, want) {
				t.Errorf("%s payslip lacks %q:\n%s", lang, want, text)
			}
		}
		// The employer's costs (pension 91,18, unemployment 1,65, health
		// insurance 9,97, total 636,00) and the whole identity code are not
		// the employee's payslip.
		for _, not := range []string{"91,18", "9,97", "636,00", "150695"} {
			if strings.Contains(text, not) {
				t.Errorf("%s payslip shows %q", lang, not)
			}
		}
	}
	w.do(t, "supA", "GET", path, nil).Expect(t, http.StatusOK)
	var logged int64
	w.tn.S.Main.DB.Gorm.Raw(`SELECT COUNT(*) FROM access_log_entries WHERE participant_id = ? AND route = ?`, w.adult,
		"/v1/payouts/:id/payslip.pdf").Scan(&logged)
	if logged != 4 {
		t.Errorf("%d access-log entries of payslip downloads, want 4", logged)
	}

	otherOrg := w.tn.Organiser(t, 1000)
	w.user(t, "supB", "supervisor", otherOrg)
	w.do(t, "supB", "GET", path, nil).Expect(t, http.StatusNotFound)
	w.do(t, "coord", "GET", path, nil).Expect(t, http.StatusForbidden)
	w.do(t, "finance", "GET", "/v1/payouts/00000000-0000-7000-8000-000000000000/payslip.pdf", nil).Expect(t, http.StatusNotFound)

	// The työosuusraha earner's payslip: days × allowance, its tax-free part;
	// without a card 60 % of the taxable 9 € is withheld.
	text := pdfText(t, w.do(t, "finance", "GET", "/v1/payouts/"+w.payoutOf(t, w.allowance)["id"].(string)+"/payslip.pdf", nil).
		Expect(t, http.StatusOK).Body)
	for _, want := range []string{"Työosuusraha", "3 pv", "15,00 €", "45,00 €", "36,00 €", "5,40 €", "39,60 €"} {
		if !strings.Contains(text, want) {
			t.Errorf("työosuusraha payslip lacks %q:\n%s", want, text)
		}
	}
}

// A payout without any pay (rehabilitative work activity) has no payslip.
func TestPayslipOfNoPay(t *testing.T) {
	w := newWageWorld(t, "subcontracting")
	w.at(t, "2026-02-06T08:00:00Z")
	rehabID := w.participant(t, w.orgA, map[string]any{"kind": "rehabilitative_work_activity", "valid_from": "2026-02-01",
		"max_days_per_week": 4, "max_hours_per_day": 8, "compensation": "none"})
	shift := w.wageShift(t, "2026-02-09", rehabID)
	w.work(t, shift, "2026-02-09T15:00:00Z", rehabID)
	w.at(t, "2026-03-05T08:00:00Z")
	run := w.do(t, "finance", "POST", "/v1/billing-runs", map[string]any{"period": "2026-02"}).Expect(t, http.StatusCreated).Map(t)
	w.run = run
	r := w.do(t, "finance", "GET", "/v1/payouts/"+w.payoutOf(t, rehabID)["id"].(string)+"/payslip.pdf", nil).Expect(t, http.StatusConflict)
	if !strings.Contains(string(r.Body), "no_pay") {
		t.Errorf("no pay: %s", r.Body)
	}
}

// The payout file pays wages in a block of their own with category
// purpose SALA and the työosuusraha in another; each block's and the
// file's count and sum are the payouts'; the debtor's BIC comes from the
// organiser's IBAN (FI21 1234 5… is Nordea's 1) and the organiser is the
// initiating party by its business ID; the file validates.
func TestPayoutFileSalaryBlock(t *testing.T) {
	w := newWageWorld(t, "subcontracting")
	r := w.do(t, "finance", "GET", "/v1/exports/payouts.xml?run_id="+w.run["id"].(string)+"&organiser_id="+w.orgA, nil).Expect(t, http.StatusOK)
	xmlschema.Validate(t, "pain.001.001.09.xsd", r.Body)
	var doc struct {
		NbOfTxs   int    `xml:"CstmrCdtTrfInitn>GrpHdr>NbOfTxs"`
		CtrlSum   string `xml:"CstmrCdtTrfInitn>GrpHdr>CtrlSum"`
		InitgID   string `xml:"CstmrCdtTrfInitn>GrpHdr>InitgPty>Id>OrgId>Othr>Id"`
		InitgSchm string `xml:"CstmrCdtTrfInitn>GrpHdr>InitgPty>Id>OrgId>Othr>SchmeNm>Cd"`
		Blocks    []struct {
			NbOfTxs  int    `xml:"NbOfTxs"`
			CtrlSum  string `xml:"CtrlSum"`
			Purpose  string `xml:"PmtTpInf>CtgyPurp>Cd"`
			BIC      string `xml:"DbtrAgt>FinInstnId>BICFI"`
			Transfer []struct {
				EndToEndID string `xml:"PmtId>EndToEndId"`
				Amount     string `xml:"Amt>InstdAmt"`
			} `xml:"CdtTrfTxInf"`
		} `xml:"CstmrCdtTrfInitn>PmtInf"`
	}
	if err := xml.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	wage, allowance := w.payoutOf(t, w.adult), w.payoutOf(t, w.allowance)
	e2e := func(p map[string]any) string { return strings.ReplaceAll(p["id"].(string), "-", "") }
	if len(doc.Blocks) != 2 {
		t.Fatalf("%d payment blocks, want wages and työosuusraha apart:\n%s", len(doc.Blocks), r.Body)
	}
	sala, other := doc.Blocks[0], doc.Blocks[1]
	if sala.Purpose != "SALA" || sala.NbOfTxs != 1 || sala.CtrlSum != "356.23" || len(sala.Transfer) != 1 ||
		sala.Transfer[0].EndToEndID != e2e(wage) || sala.Transfer[0].Amount != "356.23" {
		t.Errorf("wage block %+v", sala)
	}
	if other.Purpose != "" || other.NbOfTxs != 1 || other.CtrlSum != "39.60" || len(other.Transfer) != 1 ||
		other.Transfer[0].EndToEndID != e2e(allowance) || allowance["net_cents"] != float64(3960) {
		t.Errorf("työosuusraha block %+v", other)
	}
	if doc.NbOfTxs != 2 || doc.CtrlSum != "395.83" {
		t.Errorf("group header %d / %s, want 2 / 395.83", doc.NbOfTxs, doc.CtrlSum)
	}
	if sala.BIC != "NDEAFIHH" || other.BIC != "NDEAFIHH" || doc.InitgID != "02012566" || doc.InitgSchm != "BANK" {
		t.Errorf("debtor BIC %q/%q, initiating party %q (%q)", sala.BIC, other.BIC, doc.InitgID, doc.InitgSchm)
	}
}

// moneyFields are a payout's figures a reversal negates.
var moneyFields = []string{"days", "minutes", "gross_cents", "withholding_cents", "net_cents", "taxable_cents", "tax_free_cents",
	"holiday_accrued_cents", "holiday_compensation_cents", "pension_cents", "unemployment_insurance_cents", "employer_pension_cents",
	"employer_unemployment_cents", "employer_health_insurance_cents", "employer_accident_insurance_cents", "employer_cost_cents"}

// A credit note of an invoice whose hours paid a wage reverses each
// deduction and employer cost of the payout exactly, nothing having come in
// between; the hours, approved again and billed in the supplementary run,
// are paid the same again and the carried reversal nets them to nothing.
// Every journal balances.
func TestCreditNoteReversesWagePayout(t *testing.T) {
	w := newWageWorld(t, "subcontracting")
	original := w.payoutOf(t, w.adult)
	invoice := w.run["invoices"].([]any)[0].(map[string]any)["id"].(string)
	w.at(t, "2026-02-10T08:00:00Z")
	note := w.do(t, "finance", "POST", "/v1/invoices/"+invoice+"/credit-note", map[string]any{}).Expect(t, http.StatusCreated).Map(t)

	var page struct {
		Items []map[string]any `json:"items"`
	}
	w.do(t, "finance", "GET", "/v1/payouts?limit=200", nil).Expect(t, http.StatusOK).Decode(t, &page)
	var reversal map[string]any
	for _, p := range page.Items {
		if p["participant_id"] == w.adult && p["invoice_id"] == note["id"] {
			reversal = p
		}
	}
	if reversal == nil {
		t.Fatalf("no reversal payout of the wage earner in %v", page.Items)
	}
	for _, f := range moneyFields {
		if reversal[f] != -original[f].(float64) && !(original[f] == float64(0) && reversal[f] == float64(0)) {
			t.Errorf("reversal %s = %v, original %v", f, reversal[f], original[f])
		}
	}
	if original["employer_pension_cents"] != float64(9118) || original["pension_cents"] != float64(3892) {
		t.Fatalf("not the worked example: %v", original)
	}

	// The credited hours come back disputed; corrected unchanged and
	// approved, the supplementary run pays them again.
	for i, id := range w.shifts {
		w.work(t, id, "2026-02-11T08:00:00Z", w.crew(i)...)
	}
	w.at(t, "2026-02-12T08:00:00Z")
	w.run = w.do(t, "finance", "POST", "/v1/billing-runs", map[string]any{"period": "2026-01"}).Expect(t, http.StatusCreated).Map(t)
	again := w.payoutOf(t, w.adult)
	for _, f := range moneyFields {
		if f == "days" || f == "minutes" {
			continue
		}
		if again[f] != float64(0) {
			t.Errorf("the carried reversal does not net the payout: %s = %v", f, again[f])
		}
	}
	if again["carried_net_cents"] != -original["net_cents"].(float64) {
		t.Errorf("carried net %v, want %v", again["carried_net_cents"], -original["net_cents"].(float64))
	}
	var carried string
	w.tn.S.Main.DB.Gorm.Raw(`SELECT carried_into FROM payouts WHERE id = ?`, reversal["id"]).Scan(&carried)
	if carried != again["id"] {
		t.Errorf("reversal carried into %q, want %v", carried, again["id"])
	}
	var sums struct{ Debit, Credit int64 }
	w.tn.S.Main.DB.Gorm.Raw(`SELECT COALESCE(SUM(debit_cents), 0) AS debit, COALESCE(SUM(credit_cents), 0) AS credit FROM journal_entries`).Scan(&sums)
	if sums.Debit != sums.Credit || sums.Debit == 0 {
		t.Errorf("journal debits %d, credits %d", sums.Debit, sums.Credit)
	}
}

// Under a customer_employs agreement the customer is the employer: the run
// pays the wage earner nothing, and the payroll-basis CSV gives the
// customer the hours from which the same gross follows as the service's
// payroll computes under subcontracting (40 h × 13.33 € = 533.20 €, the
// worked example's gross).
func TestCustomerEmploysPayrollBasisGross(t *testing.T) {
	w := newWageWorld(t, "customer_employs")
	for _, p := range w.run["payouts"].([]any) {
		if m := p.(map[string]any); m["participant_id"] == w.adult {
			t.Errorf("the run pays a participant the customer employs: %v", m)
		}
	}
	r := w.do(t, "finance", "GET", "/v1/exports/payroll-basis.csv?run_id="+w.run["id"].(string)+"&customer_id="+w.standard, nil).
		Expect(t, http.StatusOK)
	recs, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	var minutes int64
	for _, rec := range recs[1:] {
		if rec[col["participant_id"]] == w.adult {
			m, err := strconv.ParseInt(rec[col["worked_minutes"]], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			minutes += m
		}
	}
	if gross := models.MinutesAmount(minutes, 1333); minutes != 2400 || gross != 53320 {
		t.Errorf("payroll basis: %d minutes, gross %d; the payroll computes 2400 minutes and 53320", minutes, gross)
	}
	sub := newWageWorld(t, "subcontracting")
	if g := sub.payoutOf(t, sub.adult)["gross_cents"]; g != float64(53320) {
		t.Errorf("the payroll's gross of the same hours is %v", g)
	}
}
