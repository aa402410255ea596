package apitest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

type kpiFigures struct {
	ParticipantMinutes int64 `json:"participant_minutes"`
	SupervisorMinutes  int64 `json:"supervisor_minutes"`
	Ordered            int64 `json:"shifts_ordered"`
	Staffed            int64 `json:"shifts_staffed"`
	Cancelled          int64 `json:"shifts_cancelled"`
	FillRate           int64 `json:"fill_rate_bps"`
	Active             int64 `json:"active_participants"`
	Paid               int64 `json:"paid_employment_participants"`
	PaidShare          int64 `json:"paid_employment_share_bps"`
	Revenue            int64 `json:"revenue_cents"`
	Payables           int64 `json:"organiser_payables_cents"`
}

func (f kpiFigures) String() string {
	return fmt.Sprintf("minutes %d+%d shifts %d/%d/%d fill %d active %d paid %d (%d bps) revenue %d payables %d",
		f.ParticipantMinutes, f.SupervisorMinutes, f.Ordered, f.Staffed, f.Cancelled, f.FillRate, f.Active, f.Paid, f.PaidShare, f.Revenue, f.Payables)
}

type kpiReport struct {
	From       string `json:"from"`
	To         string `json:"to"`
	Definition string `json:"paid_work_definition"`
	kpiFigures
	Target struct {
		Min int64 `json:"min_bps"`
		Max int64 `json:"max_bps"`
	} `json:"paid_employment_target"`
	Organisers []struct {
		ID string `json:"organiser_id"`
		kpiFigures
	} `json:"organisers"`
	TaskTypes []struct {
		ID   string `json:"task_type_id"`
		Name string `json:"name"`
		kpiFigures
	} `json:"task_types"`
}

// summary renders the report in a fixed order: the total, organiser A,
// organiser B, then the task types.
func (r kpiReport) summary(w *billingWorld) string {
	lines := []string{"total " + r.kpiFigures.String()}
	for _, org := range []string{w.orgA, w.orgB} {
		for _, o := range r.Organisers {
			if o.ID == org {
				lines = append(lines, map[string]string{w.orgA: "A", w.orgB: "B"}[org]+" "+o.kpiFigures.String())
			}
		}
	}
	for _, t := range r.TaskTypes {
		lines = append(lines, t.Name+" "+t.kpiFigures.String())
	}
	return strings.Join(lines, "\n")
}

func (w *billingWorld) kpi(t *testing.T, who, from, to string) kpiReport {
	t.Helper()
	var r kpiReport
	w.do(t, who, "GET", "/v1/reports/kpi?from="+from+"&to="+to, nil).Expect(t, http.StatusOK).Decode(t, &r)
	return r
}

// The billing world's October by hand: shift 1 (A) worked 210 + 125
// participant minutes and 240 supervisor minutes, shift 2 (B) 165 (P4 was
// sick) and 180, shift 3 (A) was cancelled: 3 ordered, 2 staffed, fill
// 2 / (3 − 1). P1, P2 and P3 worked; P1 reached paid work in October (P4
// too, but it never worked; P3's outcome is education); P2's outcome is
// dated in December, but P2 worked on 6 October in supported employment,
// as an employee, which is paid work too (DOMAIN.md, Outcome): 2 of 3 =
// 6667 bps, A 2 of 2. The run of 2 November invoiced 46958 (A) + 18000 (B)
// and settled 42262 + 15750.
const kpiOctoberNovember = `total minutes 500+420 shifts 3/2/1 fill 10000 active 3 paid 2 (6667 bps) revenue 64958 payables 58012
A minutes 335+240 shifts 2/1/1 fill 10000 active 2 paid 2 (10000 bps) revenue 46958 payables 42262
B minutes 165+180 shifts 1/1/0 fill 10000 active 1 paid 0 (0 bps) revenue 18000 payables 15750
Shelving minutes 500+420 shifts 3/2/1 fill 10000 active 3 paid 0 (0 bps) revenue 0 payables 0`

func TestKPIReport(t *testing.T) {
	w := newBillingWorld(t)
	w.tok["admin"] = w.tn.AdminToken
	for who, outcome := range map[string]map[string]any{
		w.p1: {"kind": "paid_employment", "date": "2026-10-20"},
		w.p2: {"kind": "paid_employment", "date": "2026-12-01"},
		w.p3: {"kind": "education", "date": "2026-10-21"},
		w.p4: {"kind": "paid_employment", "date": "2026-10-21"},
	} {
		w.do(t, "coord", "POST", "/v1/participants/"+who+"/outcomes", outcome).Expect(t, http.StatusCreated)
	}
	run := w.run(t, false, http.StatusCreated)

	r := w.kpi(t, "coord", "2026-10-01", "2026-11-30")
	if got := r.summary(w); got != kpiOctoberNovember {
		t.Fatalf("October–November:\n%s\nwant\n%s", got, kpiOctoberNovember)
	}
	if r.From != "2026-10-01" || r.To != "2026-11-30" || r.Target.Min != 5000 || r.Target.Max != 7000 {
		t.Errorf("period %s–%s target %+v", r.From, r.To, r.Target)
	}
	if !strings.Contains(r.Definition, "supported_employment") || !strings.Contains(r.Definition, "customer_employs") {
		t.Errorf("paid_work_definition %q does not state the employee rule", r.Definition)
	}
	// Shifts count by their date, money by the invoice date.
	october := w.kpi(t, "admin", "2026-10-01", "2026-10-31")
	if october.Ordered != 3 || october.ParticipantMinutes != 500 || october.Revenue != 0 || october.Payables != 0 {
		t.Errorf("October: %s", october.kpiFigures)
	}
	november := w.kpi(t, "coord", "2026-11-01", "2026-11-30")
	if november.Ordered != 0 || november.FillRate != 0 || november.Active != 0 || november.Paid != 0 || november.Revenue != 64958 {
		t.Errorf("November: %s", november.kpiFigures)
	}
	// Only who had worked by the end of the period counts: P1 worked on
	// 6 October, so a period ending on the 5th does not count its outcome.
	if early := w.kpi(t, "coord", "2026-10-01", "2026-10-05"); early.Paid != 0 || early.Ordered != 0 {
		t.Errorf("1–5 October: %s", early.kpiFigures)
	}

	// A credit note of shift 1's participant hours (−13958, A's payable
	// −12562) is revenue of its own date; the hours stay delivered.
	std := run.invoiceOf(t, w.standard)
	w.do(t, "finance", "POST", "/v1/invoices/"+std+"/credit-note", map[string]any{"lines": []int{1}}).Expect(t, http.StatusCreated)
	after := w.kpi(t, "coord", "2026-10-01", "2026-11-30")
	if after.Revenue != 51000 || after.Payables != 45450 || after.ParticipantMinutes != 500 {
		t.Errorf("after the credit note: %s", after.kpiFigures)
	}
	for _, o := range after.Organisers {
		if o.ID == w.orgA && (o.Revenue != 33000 || o.Payables != 29700) {
			t.Errorf("A after the credit note: %s", o.kpiFigures)
		}
	}

	// Another tenant sees none of it.
	other := NewTenant(t)
	var empty kpiReport
	other.Do(t, "GET", "/v1/reports/kpi?from=2026-10-01&to=2026-11-30", other.AdminToken, nil).Expect(t, http.StatusOK).Decode(t, &empty)
	if empty.kpiFigures != (kpiFigures{}) || len(empty.Organisers) != 0 || len(empty.TaskTypes) != 0 {
		t.Errorf("another tenant's report: %+v", empty)
	}
}

func TestKPIReportAccessAndValidation(t *testing.T) {
	w := newBillingWorld(t)
	w.tok["admin"] = w.tn.AdminToken
	for who, status := range map[string]int{"admin": 200, "coord": 200, "finance": 403, "supA": 403, "custStd": 403} {
		w.do(t, who, "GET", "/v1/reports/kpi?from=2026-10-01&to=2026-10-31", nil).Expect(t, status)
	}
	w.tn.S.Do(t, Request{Method: "GET", Path: "/v1/reports/kpi?from=2026-10-01&to=2026-10-31"}).Expect(t, http.StatusUnauthorized)
	for query, pointer := range map[string]string{
		"":                               "/from",
		"?from=2026-10-01":               "/to",
		"?from=2026-10-31&to=2026-10-01": "/to",
		"?from=2026-13-01&to=2026-10-31": "/from",
		"?from=2026-10-01&to=31.10.2026": "/to",
	} {
		r := w.do(t, "coord", "GET", "/v1/reports/kpi"+query, nil).Expect(t, http.StatusUnprocessableEntity)
		if got := firstPointer(t, r); got != pointer {
			t.Errorf("%q: pointer %q, want %q", query, got, pointer)
		}
	}
	// One day is a valid period.
	w.do(t, "coord", "GET", "/v1/reports/kpi?from=2026-10-06&to=2026-10-06", nil).Expect(t, http.StatusOK)
}
