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

// irFile is the part of a WageReportsRequestToIR the tests read.
type irFile struct {
	DeliveryID string `xml:"DeliveryData>DeliveryId"`
	Payment    string `xml:"DeliveryData>PaymentPeriod>PaymentDate"`
	Start      string `xml:"DeliveryData>PaymentPeriod>StartDate"`
	End        string `xml:"DeliveryData>PaymentPeriod>EndDate"`
	Reports    []struct {
		Action       int    `xml:"ReportData>ActionCode"`
		ReportID     string `xml:"ReportData>ReportId"`
		Code         string `xml:"IncomeEarner>IncomeEarnerIds>Id>Code"`
		Provider     string `xml:"IncomeEarner>PensionInsurance>PensionProvIdCode"`
		Policy       string `xml:"IncomeEarner>PensionInsurance>PensionPolicyNo"`
		Transactions []struct {
			Code   int    `xml:"TransactionBasic>TransactionCode"`
			Amount string `xml:"TransactionBasic>Amount"`
		} `xml:"Transactions>Transaction"`
	} `xml:"DeliveryData>Reports>Report"`
}

type irDeliveryJSON struct {
	ID                 string  `json:"id"`
	BillingRunID       string  `json:"billing_run_id"`
	PaymentDate        string  `json:"payment_date"`
	DueDate            string  `json:"due_date"`
	ExportCount        int     `json:"export_count"`
	DeliveredAt        *string `json:"delivered_at"`
	Overdue            bool    `json:"overdue"`
	ReplacementPending bool    `json:"replacement_pending"`
}

// cents parses a decimal2 amount.
func cents(t *testing.T, s string) int64 {
	t.Helper()
	euros, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(euros, "-")
	n, err := strconv.ParseInt(strings.TrimPrefix(euros, "-")+frac, 10, 64)
	if err != nil || len(frac) != 2 {
		t.Fatalf("amount %q is not a decimal with 2 decimals", s)
	}
	if neg {
		n = -n
	}
	return n
}

// A month with two wage earners and a työosuusraha participant, reported to
// the Incomes Register: the file is valid against the official schema and
// its amounts are the payouts' to the cent; a credit note makes the next
// file a replacement with the same report ids; the due date skips a weekend
// and Easter Monday; finance is reminded until the delivery is recorded.
func TestIncomesRegister(t *testing.T) {
	w := newPayrollWorld(t, "subcontracting")
	tn := w.tn
	w.orgB = tn.Organiser(t, 1000)

	// The pension provider code and policy number are checked on writing.
	patchA := func(body map[string]any, version string, status int) {
		tn.S.Do(t, Request{Method: "PATCH", Path: "/v1/organizations/" + w.orgA, Token: tn.AdminToken,
			Header: map[string]string{"If-Match": version}, Body: body}).Expect(t, status)
	}
	patchA(map[string]any{"pension_insurer": "Elo"}, `"1"`, http.StatusUnprocessableEntity)
	patchA(map[string]any{"pension_insurer": "54", "pension_policy_number": "55-0123456T"}, `"1"`, http.StatusUnprocessableEntity)
	patchA(map[string]any{"pension_insurer": "54", "pension_policy_number": "54-123456T"}, `"1"`, http.StatusUnprocessableEntity)

	wage := map[string]any{"kind": "supported_employment", "valid_from": "2026-01-01", "compensation": "hourly_wage", "hourly_wage_cents": 1333}
	code := func(id, c string) {
		var p struct {
			Version int `json:"version"`
		}
		w.do(t, "coord", "GET", "/v1/participants/"+id, nil).Expect(t, 200).Decode(t, &p)
		tn.S.Do(t, Request{Method: "PATCH", Path: "/v1/participants/" + id, Token: w.tok["coord"],
			Header: map[string]string{"If-Match": `"` + strconv.Itoa(p.Version) + `"`},
			Body:   map[string]any{"personal_identity_code": c, "employment_start_date": "2025-09-01"}}).Expect(t, http.StatusOK)
	}
	adult := w.participant(t, w.orgA, wage)
	code(adult, identityCode("150695", '-', "123"))
	second := w.participant(t, w.orgA, wage) // its identity code comes later
	allowance := w.participant(t, w.orgA, map[string]any{"kind": "disability_work_activity", "valid_from": "2026-01-01",
		"compensation": "daily_allowance", "daily_allowance_cents": 1500})
	w.do(t, "finance", "POST", "/v1/participants/"+adult+"/tax-cards", map[string]any{"year": 2026, "basic_bps": 2500,
		"additional_bps": 4000, "income_limit_cents": 3000000}).Expect(t, http.StatusCreated)

	// Two 8-hour days in January for the wage earners, one for the
	// työosuusraha participant, a 4-hour day in March.
	shift := func(date, start, end string, people ...string) {
		id, assigned := w.crewShift(t, date, start, end, people...)
		w.workApproved(t, id, date+"T17:00:00Z", start, end, assigned, people...)
	}
	shift("2026-01-12", "08:00", "16:00", adult, second)
	shift("2026-01-13", "08:00", "16:00", adult, second)
	shift("2026-01-14", "08:00", "16:00", allowance)
	shift("2026-03-02", "08:00", "12:00", adult)

	// The January run on Monday 2 February 2026: due Saturday 7 February,
	// so Monday 9 February.
	w.at(t, "2026-02-02T08:00:00Z")
	var jan struct {
		ID       string `json:"id"`
		Invoices []struct {
			ID string `json:"id"`
		} `json:"invoices"`
	}
	w.do(t, "finance", "POST", "/v1/billing-runs", map[string]any{"period": "2026-01"}).Expect(t, http.StatusCreated).Decode(t, &jan)

	export := func(run, org string) *Response {
		return w.do(t, "finance", "GET", "/v1/exports/incomes-register.xml?run_id="+run+"&organiser_id="+org, nil)
	}
	deliveries := func() []irDeliveryJSON {
		var page struct {
			Items []irDeliveryJSON `json:"items"`
		}
		w.do(t, "finance", "GET", "/v1/incomes-register/deliveries", nil).Expect(t, 200).Decode(t, &page)
		return page.Items
	}
	w.do(t, "coord", "GET", "/v1/exports/incomes-register.xml?run_id="+jan.ID+"&organiser_id="+w.orgA, nil).Expect(t, http.StatusForbidden)
	w.do(t, "coord", "GET", "/v1/incomes-register/deliveries", nil).Expect(t, http.StatusForbidden)
	// The other organiser paid no wages in the run.
	if r := export(jan.ID, w.orgB).Expect(t, http.StatusNotFound); !strings.Contains(r.Map(t)["detail"].(string), "no wages") {
		t.Errorf("404 detail %v", r.Map(t)["detail"])
	}
	// The organiser lacks its pension insurance and contact person.
	if c := export(jan.ID, w.orgA).Expect(t, http.StatusConflict).Map(t)["code"]; c != "organiser_employer_data_missing" {
		t.Errorf("409 code %v", c)
	}
	patchA(map[string]any{"pension_insurer": "54", "pension_policy_number": "54-0123456T",
		"contact_name": "Palkanlaskenta Esimerkki", "contact_phone": "+358 40 123 4567", "contact_email": "payroll@example.fi"}, `"1"`, http.StatusOK)
	// The second wage earner has no identity code: named, nothing written.
	var pseudo struct {
		Pseudonym string `json:"pseudonym"`
	}
	w.do(t, "coord", "GET", "/v1/participants/"+second, nil).Expect(t, 200).Decode(t, &pseudo)
	missing := export(jan.ID, w.orgA).Expect(t, http.StatusConflict).Map(t)
	if d, _ := missing["detail"].(string); missing["code"] != "identity_code_missing" || !strings.Contains(d, second) ||
		!strings.Contains(d, pseudo.Pseudonym) || strings.Contains(d, adult) || strings.Contains(d, allowance) {
		t.Errorf("409 %v", missing)
	}
	ds := deliveries()
	if len(ds) != 1 || ds[0].PaymentDate != "2026-02-02" || ds[0].DueDate != "2026-02-09" || ds[0].ExportCount != 0 ||
		ds[0].DeliveredAt != nil || ds[0].Overdue || ds[0].ReplacementPending {
		t.Fatalf("deliveries %+v", ds)
	}
	code(second, identityCode("010190", '-', "902"))

	// payouts sums each earner's payouts (the run's and its credit notes').
	type sums struct{ wage, holiday, withholding, pension, unemployment int64 }
	payouts := func() map[string]sums {
		var page struct {
			Items []struct {
				ParticipantID string  `json:"participant_id"`
				RunID         *string `json:"billing_run_id"`
				Gross         int64   `json:"gross_cents"`
				TaxFree       int64   `json:"tax_free_cents"`
				Taxable       int64   `json:"taxable_cents"`
				Holiday       int64   `json:"holiday_compensation_cents"`
				Withholding   int64   `json:"withholding_cents"`
				Pension       int64   `json:"pension_cents"`
				Unemployment  int64   `json:"unemployment_insurance_cents"`
				PaymentDate   string  `json:"payment_date"`
			} `json:"items"`
		}
		w.do(t, "finance", "GET", "/v1/payouts?limit=100", nil).Expect(t, 200).Decode(t, &page)
		out := map[string]sums{}
		for _, p := range page.Items {
			if p.RunID != nil && *p.RunID != jan.ID || p.PaymentDate > "2026-03-31" {
				continue // the March run's
			}
			s := out[p.ParticipantID]
			s.wage += p.Gross - p.TaxFree - p.Taxable
			s.holiday += p.Holiday
			s.withholding += p.Withholding
			s.pension += p.Pension
			s.unemployment += p.Unemployment
			out[p.ParticipantID] = s
		}
		return out
	}
	// check exports the January file, validates it and compares every
	// amount with the payouts; it returns the report ids by identity code.
	check := func(action int) map[string]string {
		t.Helper()
		body := export(jan.ID, w.orgA).Expect(t, http.StatusOK).Body
		xmlschema.Validate(t, "incomes-register/WageReportsToIR.xsd", body)
		var f irFile
		if err := xml.Unmarshal(body, &f); err != nil {
			t.Fatal(err)
		}
		if f.Payment != "2026-02-02" || f.Start != "2026-01-01" || f.End != "2026-01-31" {
			t.Errorf("payment period %+v", f)
		}
		want := payouts()
		byCode := map[string]string{identityCode("150695", '-', "123"): adult, identityCode("010190", '-', "902"): second}
		if len(f.Reports) != 2 {
			t.Fatalf("%d reports, want the two wage earners (työosuusraha is not reported)\n%s", len(f.Reports), body)
		}
		ids := map[string]string{}
		for _, r := range f.Reports {
			who, ok := byCode[r.Code]
			if !ok {
				t.Fatalf("report for an unknown earner %s", r.Code)
			}
			ids[r.Code] = r.ReportID
			if r.Action != action || r.Provider != "54" || r.Policy != "54-0123456T" {
				t.Errorf("report %+v, want action %d and the organiser's pension insurance", r, action)
			}
			got := sums{}
			for _, tr := range r.Transactions {
				a := cents(t, tr.Amount)
				switch tr.Code {
				case 201:
					got.wage = a
				case 234:
					got.holiday = a
				case 402:
					got.withholding = a
				case 413:
					got.pension = a
				case 414:
					got.unemployment = a
				default:
					t.Errorf("unexpected income type %d", tr.Code)
				}
			}
			if got != want[who] || got.wage == 0 {
				t.Errorf("report of %s: %+v, payouts %+v", who, got, want[who])
			}
		}
		return ids
	}
	first := check(1)
	// Exported again with no correction in between, the file says the
	// same: new reports with the same ids and amounts.
	if again := check(1); !maps.Equal(again, first) {
		t.Errorf("report ids of the second file %v, first %v", again, first)
	}
	// Every earner in the file, and only they, is in the access log.
	for who, want := range map[string]bool{adult: true, second: true, allowance: false} {
		var log struct {
			Items []struct {
				Action string `json:"action"`
				Route  string `json:"route"`
			} `json:"items"`
		}
		w.do(t, "coord", "GET", "/v1/participants/"+who+"/access-log", nil).Expect(t, 200).Decode(t, &log)
		found := false
		for _, e := range log.Items {
			found = found || e.Action == "export" && strings.Contains(e.Route, "incomes-register")
		}
		if found != want {
			t.Errorf("participant %s export logged %v, want %v", who, found, want)
		}
	}

	// reminders lists finance's Incomes Register reminders.
	reminders := func() []map[string]any {
		var page struct {
			Items []map[string]any `json:"items"`
		}
		w.do(t, "finance", "GET", "/v1/reminders", nil).Expect(t, 200).Decode(t, &page)
		return page.Items
	}
	if r := reminders(); len(r) != 0 {
		t.Errorf("reminders a week before the due date: %v", r)
	}
	// dueEvents counts the tenant's incomes_register.due events after the
	// daily reminders job has run.
	dueEvents := func() int64 {
		tn.S.Do(t, Request{Method: "POST", Path: "/dev/jobs/reminders/run"}).Expect(t, 200)
		var n int64
		if err := tn.S.Main.DB.Gorm.Raw(`SELECT COUNT(*) FROM outbox WHERE tenant_id = ? AND type = 'incomes_register.due'`,
			tn.ID).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := dueEvents(); n != 0 {
		t.Errorf("%d incomes_register.due events a week before the due date", n)
	}
	w.at(t, "2026-02-07T08:00:00Z") // two days before the due date
	if r := reminders(); len(r) != 1 || r[0]["kind"] != "incomes_register_due" || r[0]["due_date"] != "2026-02-09" || r[0]["overdue"] != false {
		t.Errorf("reminders two days before: %v", r)
	}
	// The job tells finance once per delivery, however often it runs.
	if n := dueEvents(); n != 1 {
		t.Errorf("%d incomes_register.due events two days before the due date, want 1", n)
	}
	if n := dueEvents(); n != 1 {
		t.Errorf("%d incomes_register.due events after the job ran again, want 1", n)
	}
	w.at(t, "2026-02-10T08:00:00Z")
	if r := reminders(); len(r) != 1 || r[0]["overdue"] != true {
		t.Errorf("reminders after the due date: %v", r)
	}
	if ds := deliveries(); !ds[0].Overdue {
		t.Errorf("not overdue after the due date: %+v", ds[0])
	}
	delivered := "/v1/incomes-register/deliveries/" + ds[0].ID + "/delivered"
	w.do(t, "finance", "POST", delivered, map[string]any{"delivered_at": "2026-02-11T08:00:00Z"}).Expect(t, http.StatusUnprocessableEntity)
	w.do(t, "finance", "POST", delivered, map[string]any{}).Expect(t, http.StatusUnprocessableEntity)
	w.do(t, "coord", "POST", delivered, map[string]any{"delivered_at": "2026-02-10T07:00:00Z"}).Expect(t, http.StatusForbidden)
	w.do(t, "finance", "POST", delivered, map[string]any{"delivered_at": "2026-02-10T07:00:00Z"}).Expect(t, http.StatusOK)
	if r := reminders(); len(r) != 0 {
		t.Errorf("reminders once delivered: %v", r)
	}
	if ds := deliveries(); ds[0].Overdue || ds[0].DeliveredAt == nil || ds[0].ReplacementPending {
		t.Errorf("delivered %+v", ds[0])
	}

	// A credit note of the first day's participant hours changes both
	// reports: a replacement is pending, and the next file replaces the
	// same report ids with the corrected amounts.
	w.do(t, "finance", "POST", "/v1/invoices/"+jan.Invoices[0].ID+"/credit-note", map[string]any{"lines": []int{1}}).Expect(t, http.StatusCreated)
	if ds := deliveries(); !ds[0].ReplacementPending {
		t.Errorf("no replacement pending after the credit note: %+v", ds[0])
	}
	if again := check(2); len(again) != 2 || again[identityCode("150695", '-', "123")] != first[identityCode("150695", '-', "123")] ||
		again[identityCode("010190", '-', "902")] != first[identityCode("010190", '-', "902")] {
		t.Errorf("replacement report ids %v, first %v", again, first)
	}
	w.do(t, "finance", "POST", delivered, map[string]any{"delivered_at": "2026-02-10T08:00:00Z"}).Expect(t, http.StatusOK)
	if ds := deliveries(); ds[0].ReplacementPending {
		t.Errorf("replacement still pending once sent: %+v", ds[0])
	}

	// The March run on Wednesday 1 April 2026: five days on is Easter
	// Monday (6 April), so the report is due on Tuesday 7 April.
	w.at(t, "2026-04-01T08:00:00Z")
	w.do(t, "finance", "POST", "/v1/billing-runs", map[string]any{"period": "2026-03"}).Expect(t, http.StatusCreated)
	ds = deliveries()
	if len(ds) != 2 || ds[0].PaymentDate != "2026-04-01" || ds[0].DueDate != "2026-04-07" || ds[0].BillingRunID == jan.ID {
		t.Errorf("March delivery %+v", ds)
	}
	w.do(t, "finance", "POST", "/v1/incomes-register/deliveries/"+ds[0].ID+"/delivered",
		map[string]any{"delivered_at": "2026-04-01T07:00:00Z"}).Expect(t, http.StatusConflict)
}
