package apitest

import (
	"encoding/xml"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"jobcenter/internal/xmlschema"
)

// holidayRun is what the holiday tests read of a billing run.
type holidayRun struct {
	ID       string `json:"id"`
	Kind     string `json:"kind"`
	Invoices []struct {
		ID string `json:"id"`
	} `json:"invoices"`
	Payouts []payoutJSON `json:"payouts"`
}

// payoutOf is participant's payout in the run, if any.
func (r holidayRun) payoutOf(participant string) (payoutJSON, bool) {
	for _, p := range r.Payouts {
		if p.ParticipantID == participant {
			return p, true
		}
	}
	return payoutJSON{}, false
}

// patchParticipant changes a participant at its current version.
func patchParticipant(t *testing.T, w *billingWorld, id string, body map[string]any, status int) map[string]any {
	t.Helper()
	var p struct {
		Version int `json:"version"`
	}
	w.do(t, "coord", "GET", "/v1/participants/"+id, nil).Expect(t, http.StatusOK).Decode(t, &p)
	return w.tn.S.Do(t, Request{Method: "PATCH", Path: "/v1/participants/" + id, Token: w.tok["coord"],
		Header: map[string]string{"If-Match": `"` + strconv.Itoa(p.Version) + `"`}, Body: body}).Expect(t, status).Map(t)
}

// Vuosilomalaki 162/2005 § 17 through the API: when an employment ends,
// the payout of its month pays every holiday compensation not yet paid,
// withheld, insured and reported as income type 234 like the March
// payment, also to someone without work that month; nothing is paid twice,
// a credit note takes back the credited wages' share, and after
// re-employment accrual goes on without taking back what was paid.
//
// A works 13.33 €/h on a 25 % card (born 1995), employed 1.4.–20.7.2026,
// which is under a year: 9 %. B has no card (60 %), employed from
// 1.5.2026, worked only in May; the end date 10.7.2026 is entered in July.
func TestHolidayCompensationAtEndOfEmployment(t *testing.T) {
	w := newPayrollWorld(t, "subcontracting")
	wage := map[string]any{"kind": "supported_employment", "valid_from": "2026-04-01", "compensation": "hourly_wage", "hourly_wage_cents": 1333}
	a := w.participant(t, w.orgA, wage)
	patchParticipant(t, w, a, map[string]any{"personal_identity_code": identityCode("150695", '-', "123"),
		"employment_start_date": "2026-04-01", "employment_end_date": "2026-07-20"}, http.StatusOK)
	w.do(t, "finance", "POST", "/v1/participants/"+a+"/tax-cards", map[string]any{"year": 2026, "basic_bps": 2500,
		"additional_bps": 4000, "income_limit_cents": 3000000}).Expect(t, http.StatusCreated)
	b := w.participant(t, w.orgA, wage)
	patchParticipant(t, w, b, map[string]any{"personal_identity_code": identityCode("010190", '-', "902"),
		"employment_start_date": "2026-05-01"}, http.StatusOK)

	shifts := map[string]string{}
	assigned := map[string]map[string]string{}
	plan := func(date, start, end string, who string) {
		shifts[date], assigned[date] = w.crewShift(t, date, start, end, who)
	}
	work := func(date, start, end, who string) {
		w.workApproved(t, shifts[date], date+"T17:00:00Z", start, end, assigned[date], who)
	}
	plan("2026-05-12", "08:00", "16:00", a)
	plan("2026-05-13", "08:00", "16:00", b)
	plan("2026-06-09", "08:00", "12:00", a)
	plan("2026-07-14", "08:00", "14:00", a)
	run := func(at, period string) holidayRun {
		t.Helper()
		w.at(t, at)
		var r holidayRun
		w.do(t, "finance", "POST", "/v1/billing-runs", map[string]any{"period": period}).Expect(t, http.StatusCreated).Decode(t, &r)
		for _, p := range r.Payouts {
			if p.Net != p.Gross+p.HolidayCompensation-p.Withholding-p.Pension-p.Unemployment {
				t.Errorf("net identity broken: %+v", p)
			}
		}
		return r
	}

	// May: A 480 min × 13.33 = 106.64 € accrues 9 % = 9.5976 → 9.60; B
	// the same. Nothing is paid yet.
	work("2026-05-12", "08:00", "16:00", a)
	work("2026-05-13", "08:00", "16:00", b)
	may := run("2026-06-02T08:00:00Z", "2026-05")
	for _, who := range []string{a, b} {
		if p, _ := may.payoutOf(who); p.Gross != 10664 || p.HolidayAccrued != 960 || p.HolidayCompensation != 0 {
			t.Errorf("May payout %+v", p)
		}
	}
	// June: A 240 min = 53.32 € accrues 4.7988 → 4.80.
	work("2026-06-09", "08:00", "12:00", a)
	june := run("2026-07-02T08:00:00Z", "2026-06")
	if p, _ := june.payoutOf(a); p.Gross != 5332 || p.HolidayAccrued != 480 || p.HolidayCompensation != 0 {
		t.Errorf("June payout %+v", p)
	}
	if _, paid := june.payoutOf(b); paid {
		t.Errorf("B paid in June without work or an end")
	}
	patchParticipant(t, w, b, map[string]any{"employment_end_date": "2026-07-10"}, http.StatusOK)

	// July, the end month: A 360 min = 79.98 € accrues 7.1982 → 7.20 and
	// is paid 9.60 + 4.80 + 7.20 = 21.60. Taxable 79.98 + 21.60 = 101.58
	// (the year's 159.96 before it is far below the card's limit): 25 % =
	// 25.395 → 25.40; TyEL 7.30 % = 7.41534 → 7.42; unemployment 0.89 % =
	// 0.904062 → 0.90; net 101.58 − 25.40 − 7.42 − 0.90 = 67.86. Employer:
	// TyEL 17.10 % = 17.37018 → 17.37, unemployment 0.31 % = 0.314898 →
	// 0.31, health 1.87 % = 1.899546 → 1.90; cost 101.58 + 19.58 = 121.16.
	work("2026-07-14", "08:00", "14:00", a)
	jul := run("2026-08-03T08:00:00Z", "2026-07")
	want := payoutJSON{ParticipantID: a, PaymentDate: "2026-08-03", Days: 1, Gross: 7998, Withholding: 2540, Pension: 742,
		Unemployment: 90, Net: 6786, EmployerPension: 1737, EmployerUnemploy: 31, EmployerHealth: 190, EmployerCost: 12116,
		HolidayAccrued: 720, HolidayCompensation: 2160}
	if p, _ := jul.payoutOf(a); p != want {
		t.Errorf("A's end payout\n got  %+v\n want %+v", p, want)
	}
	// B, no work in July: 9.60 alone; 60 % = 5.76; below the TyEL
	// threshold; unemployment 0.08544 → 0.09; net 3.75. Employer:
	// unemployment 0.02976 → 0.03, health 0.17952 → 0.18; cost 9.81.
	want = payoutJSON{ParticipantID: b, PaymentDate: "2026-08-03", Withholding: 576, Unemployment: 9, Net: 375,
		EmployerUnemploy: 3, EmployerHealth: 18, EmployerCost: 981, HolidayCompensation: 960}
	if p, _ := jul.payoutOf(b); p != want {
		t.Errorf("B's end payout\n got  %+v\n want %+v", p, want)
	}
	checkEndPayoutExports(t, w, jul.ID)

	// A credit note of the July invoice takes back the credited wages with
	// their own 7.20 paid; May's and June's stay paid. Taxable −87.18: 25 %
	// = −21.795 → −21.80 (half away from zero); TyEL −6.36414 → −6.36;
	// unemployment −0.775902 → −0.78; net −79.98 − 7.20 + 21.80 + 6.36
	// + 0.78 = −58.24.
	w.at(t, "2026-08-04T08:00:00Z")
	var note struct {
		ID string `json:"id"`
	}
	w.do(t, "finance", "POST", "/v1/invoices/"+jul.Invoices[0].ID+"/credit-note", map[string]any{}).Expect(t, http.StatusCreated).Decode(t, &note)
	var pays struct {
		Items []struct {
			payoutJSON
			InvoiceID *string `json:"invoice_id"`
		} `json:"items"`
	}
	w.do(t, "finance", "GET", "/v1/payouts?limit=100", nil).Expect(t, http.StatusOK).Decode(t, &pays)
	var reversals []payoutJSON
	for _, p := range pays.Items {
		if p.InvoiceID != nil && *p.InvoiceID == note.ID {
			reversals = append(reversals, p.payoutJSON)
		}
	}
	if len(reversals) != 1 || reversals[0].ParticipantID != a || reversals[0].Gross != -7998 || reversals[0].HolidayAccrued != -720 ||
		reversals[0].HolidayCompensation != -720 || reversals[0].Withholding != -2180 || reversals[0].Pension != -636 ||
		reversals[0].Unemployment != -78 || reversals[0].Net != -5824 {
		t.Errorf("credit note's payouts %+v", reversals)
	}
	// The same hours approved again and billed in a supplementary run: the
	// end month pays its own 7.20 again, and with the reversal carried in
	// every figure nets to zero. B has nothing left.
	work("2026-07-14", "08:00", "14:00", a)
	again := run("2026-08-06T08:00:00Z", "2026-07")
	if p, ok := again.payoutOf(a); !ok || p.Gross != 0 || p.HolidayAccrued != 0 || p.HolidayCompensation != 0 || p.Withholding != 0 || p.Net != 0 {
		t.Errorf("re-billed end month %+v", p)
	}
	if p, paid := again.payoutOf(b); paid {
		t.Errorf("B paid again: %+v", p)
	}

	// August: the balance is zero, so nobody is paid.
	if aug := run("2026-09-01T08:00:00Z", "2026-08"); len(aug.Payouts) != 0 {
		t.Errorf("August payouts %+v", aug.Payouts)
	}

	// A is re-employed: the end date is cleared. September's 240 min =
	// 53.32 € accrues 11.5 % (a year by 31.3.2027) = 6.1318 → 6.13, and
	// nothing is due: the 7.20 + 4.80 + 9.60 paid early are not taken
	// back. 25 % = 13.33; below the TyEL threshold; unemployment
	// 0.474548 → 0.47; net 53.32 − 13.33 − 0.47 = 39.52.
	if p := patchParticipant(t, w, a, map[string]any{"employment_end_date": ""}, http.StatusOK); p["employment_end_date"] != nil {
		t.Errorf("end date not cleared: %v", p)
	}
	plan("2026-09-08", "08:00", "12:00", a)
	work("2026-09-08", "08:00", "12:00", a)
	sep := run("2026-10-01T08:00:00Z", "2026-09")
	if p, _ := sep.payoutOf(a); p.Gross != 5332 || p.HolidayAccrued != 613 || p.HolidayCompensation != 0 || p.Net != 3952 {
		t.Errorf("September payout after re-employment %+v", p)
	}
}

// checkEndPayoutExports checks the July run's files of organiser A: the
// Incomes Register report has the holiday compensation paid at the end of
// employment as income type 234 on the payment date, and the payment file
// pays B's compensation alone as a wage (SALA).
func checkEndPayoutExports(t *testing.T, w *billingWorld, runID string) {
	t.Helper()
	w.tn.S.Do(t, Request{Method: "PATCH", Path: "/v1/organizations/" + w.orgA, Token: w.tn.AdminToken,
		Header: map[string]string{"If-Match": `"1"`}, Body: map[string]any{"pension_insurer": "54", "pension_policy_number": "54-0123456T",
			"contact_name": "Palkanlaskenta Esimerkki", "contact_phone": "+358 40 123 4567", "contact_email": "payroll@example.fi"}}).Expect(t, http.StatusOK)
	query := "?run_id=" + runID + "&organiser_id=" + w.orgA
	body := w.do(t, "finance", "GET", "/v1/exports/incomes-register.xml"+query, nil).Expect(t, http.StatusOK).Body
	xmlschema.Validate(t, "incomes-register/WageReportsToIR.xsd", body)
	var f irFile
	if err := xml.Unmarshal(body, &f); err != nil {
		t.Fatal(err)
	}
	if f.Payment != "2026-08-03" || f.Start != "2026-07-01" || f.End != "2026-07-31" {
		t.Errorf("payment period %s %s–%s", f.Payment, f.Start, f.End)
	}
	// Income type → cents per earner, from the payouts above.
	want := map[string]map[int]int64{
		identityCode("150695", '-', "123"): {201: 7998, 234: 2160, 402: 2540, 413: 742, 414: 90},
		identityCode("010190", '-', "902"): {234: 960, 402: 576, 414: 9},
	}
	for _, r := range f.Reports {
		got := map[int]int64{}
		for _, tr := range r.Transactions {
			got[tr.Code] = cents(t, tr.Amount)
		}
		if w, ok := want[r.Code]; !ok || !maps.Equal(got, w) {
			t.Errorf("report of %s: %v, want %v", r.Code, got, w)
		}
		delete(want, r.Code)
	}
	if len(want) != 0 {
		t.Errorf("no report for %v", want)
	}

	var pain struct {
		Blocks []struct {
			Purpose string `xml:"PmtTpInf>CtgyPurp>Cd"`
			Txs     []struct {
				Amount string `xml:"Amt>InstdAmt"`
			} `xml:"CdtTrfTxInf"`
		} `xml:"CstmrCdtTrfInitn>PmtInf"`
	}
	file := w.do(t, "finance", "GET", "/v1/exports/payouts.xml"+query, nil).Expect(t, http.StatusOK).Body
	if err := xml.Unmarshal(file, &pain); err != nil {
		t.Fatal(err)
	}
	var amounts []string
	for _, tx := range pain.Blocks[0].Txs {
		amounts = append(amounts, tx.Amount)
	}
	if len(pain.Blocks) != 1 || pain.Blocks[0].Purpose != "SALA" || strings.Join(amounts, " ") != "67.86 3.75" &&
		strings.Join(amounts, " ") != "3.75 67.86" {
		t.Errorf("payment file blocks %+v", pain.Blocks)
	}
}

// employment_end_date is written like employment_start_date and checked:
// a malformed date or one before the start is a 422 naming
// /employment_end_date and writes nothing, on create and on update, also
// when a later start would pass the end.
func TestEmploymentEndDateValidation(t *testing.T) {
	tn := NewTenant(t)
	org := tn.Organiser(t, 1000)
	body := map[string]any{"organiser_id": org, "first_name": "Aino", "last_name": "Virtanen", "iban": participantIBAN,
		"employment_start_date": "2026-04-01", "employment_end_date": "2026-03-31"}
	for _, end := range []string{"2026-03-31", "2026-07-32", "soon"} {
		body["employment_end_date"] = end
		everyProblem(t, tn.Do(t, "POST", "/v1/participants", tn.AdminToken, body), "/employment_end_date")
	}
	if n := countRows(t, tn, "participants"); n != 0 {
		t.Fatalf("%d participants written from bad end dates", n)
	}
	body["employment_end_date"] = "2026-04-01" // a one-day employment
	p := tn.Do(t, "POST", "/v1/participants", tn.AdminToken, body).Expect(t, http.StatusCreated).Map(t)
	if p["employment_end_date"] != "2026-04-01" {
		t.Errorf("created %v", p)
	}
	id := p["id"].(string)
	patch := func(body map[string]any, status int) *Response {
		return tn.S.Do(t, Request{Method: "PATCH", Path: "/v1/participants/" + id, Token: tn.AdminToken,
			Header: map[string]string{"If-Match": `"1"`}, Body: body}).Expect(t, status)
	}
	for _, bad := range []map[string]any{{"employment_end_date": "2026-03-01"}, {"employment_start_date": "2026-04-02"}} {
		if r := patch(bad, http.StatusUnprocessableEntity); !strings.Contains(string(r.Body), "/employment_end_date") {
			t.Errorf("%v: %s", bad, r.Body)
		}
	}
	got := tn.Do(t, "GET", "/v1/participants/"+id, tn.AdminToken, nil).Expect(t, http.StatusOK).Map(t)
	if got["version"] != float64(1) || got["employment_end_date"] != "2026-04-01" || got["employment_start_date"] != "2026-04-01" {
		t.Errorf("after refused patches %v", got)
	}
	if p := patch(map[string]any{"employment_end_date": "2026-12-31"}, http.StatusOK).Map(t); p["employment_end_date"] != "2026-12-31" {
		t.Errorf("patched %v", p)
	}
}

// The end month billed after a later month: the compensation due at the
// end is paid once, by the first run covering a month not before the end
// month (July's regular run, with no July hours approved yet); August's run
// pays nothing, and July's supplementary run, made after August's, pays
// the late July wages with their own accrual and not the earlier one again.
//
// A works 13.33 €/h on a 25 % card (born 1995), employed 1.4.–20.7.2026,
// under a year: 9 %.
func TestHolidayCompensationOnceWhenTheEndMonthIsBilledLate(t *testing.T) {
	w := newPayrollWorld(t, "subcontracting")
	a := w.participant(t, w.orgA, map[string]any{"kind": "supported_employment", "valid_from": "2026-04-01",
		"compensation": "hourly_wage", "hourly_wage_cents": 1333})
	patchParticipant(t, w, a, map[string]any{"personal_identity_code": identityCode("150695", '-', "123"),
		"employment_start_date": "2026-04-01", "employment_end_date": "2026-07-20"}, http.StatusOK)
	w.do(t, "finance", "POST", "/v1/participants/"+a+"/tax-cards", map[string]any{"year": 2026, "basic_bps": 2500,
		"additional_bps": 4000, "income_limit_cents": 3000000}).Expect(t, http.StatusCreated)
	may, mayCrew := w.crewShift(t, "2026-05-12", "08:00", "16:00", a)
	jul, julCrew := w.crewShift(t, "2026-07-14", "08:00", "14:00", a)
	run := func(at, period string) holidayRun {
		t.Helper()
		w.at(t, at)
		var r holidayRun
		w.do(t, "finance", "POST", "/v1/billing-runs", map[string]any{"period": period}).Expect(t, http.StatusCreated).Decode(t, &r)
		return r
	}

	// May: 480 min × 13.33 = 106.64 € accrues 9 % = 9.5976 → 9.60.
	w.workApproved(t, may, "2026-05-12T17:00:00Z", "08:00", "16:00", mayCrew, a)
	if p, _ := run("2026-06-02T08:00:00Z", "2026-05").payoutOf(a); p.Gross != 10664 || p.HolidayAccrued != 960 || p.HolidayCompensation != 0 {
		t.Errorf("May payout %+v", p)
	}

	// July's regular run, before July's hours are approved: the employment
	// ended in July, so its 9.60 is paid alone. 25 % = 2.40; below the
	// TyEL threshold; unemployment 0.89 % = 0.08544 → 0.09; net 9.60 −
	// 2.40 − 0.09 = 7.11. Employer: unemployment 0.31 % = 0.02976 → 0.03,
	// health 1.87 % = 0.17952 → 0.18; cost 9.81.
	want := payoutJSON{ParticipantID: a, PaymentDate: "2026-08-03", Withholding: 240, Unemployment: 9, Net: 711,
		EmployerUnemploy: 3, EmployerHealth: 18, EmployerCost: 981, HolidayCompensation: 960}
	if p, _ := run("2026-08-03T08:00:00Z", "2026-07").payoutOf(a); p != want {
		t.Errorf("July's regular run\n got  %+v\n want %+v", p, want)
	}
	// August: nothing is unpaid, so nothing is paid.
	if aug := run("2026-09-01T08:00:00Z", "2026-08"); len(aug.Payouts) != 0 {
		t.Errorf("August payouts %+v", aug.Payouts)
	}

	// July's hours approved late, billed by July's supplementary run after
	// August's: 360 min = 79.98 € accrues 7.1982 → 7.20, paid at once as
	// the employment has ended; the 9.60 is not paid again. Taxable 79.98 +
	// 7.20 = 87.18: 25 % = 21.795 → 21.80; TyEL 7.30 % = 6.36414 → 6.36;
	// unemployment 0.89 % = 0.775902 → 0.78; net 87.18 − 21.80 − 6.36 −
	// 0.78 = 58.24. Employer: TyEL 17.10 % = 14.90778 → 14.91,
	// unemployment 0.31 % = 0.270258 → 0.27, health 1.87 % = 1.630266 →
	// 1.63; cost 87.18 + 16.81 = 103.99.
	w.workApproved(t, jul, "2026-09-01T10:00:00Z", "08:00", "14:00", julCrew, a)
	late := run("2026-09-02T08:00:00Z", "2026-07")
	want = payoutJSON{ParticipantID: a, PaymentDate: "2026-09-02", Days: 1, Gross: 7998, Withholding: 2180, Pension: 636,
		Unemployment: 78, Net: 5824, EmployerPension: 1491, EmployerUnemploy: 27, EmployerHealth: 163, EmployerCost: 10399,
		HolidayAccrued: 720, HolidayCompensation: 720}
	if late.Kind != "supplementary" {
		t.Errorf("July's second run is %q", late.Kind)
	}
	if p, _ := late.payoutOf(a); p != want || len(late.Payouts) != 1 {
		t.Errorf("July's supplementary run %+v\n want %+v", late.Payouts, want)
	}
	// Everything accrued (9.60 + 7.20) is paid exactly once: September has
	// nothing left to pay.
	if sep := run("2026-10-01T08:00:00Z", "2026-09"); len(sep.Payouts) != 0 {
		t.Errorf("September payouts %+v", sep.Payouts)
	}
}
