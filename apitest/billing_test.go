package apitest

import (
	"fmt"
	"net/http"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
)

// billingWorld is the worked example of a billing run: two customers
// (standard VAT and a city-internal unit), two organisers (10 % and 12.5 %
// coordination fee), participants on all three compensation bases, an
// absence, a dispute corrected then approved, and a late cancellation, all
// in October 2026.
type billingWorld struct {
	tn                     *Tenant
	emails                 map[string]string // who → email
	tok                    map[string]string // who → token
	standard, internal     string            // customers
	orgA, orgB             string            // organisers
	taskType               string
	p1, p2, p3, p4         string // participants
	supA, supB             string // supervisor user ids
	shift1, shift2, shift3 string
	order1, order2, order3 string
	assign                 map[string]string // participant or supervisor → assignment on its shift
}

func (w *billingWorld) user(t *testing.T, who, role, org string) {
	t.Helper()
	w.emails[who] = ordUser(t, w.tn, role, org)
	w.tok[who] = w.tn.Login(t, w.emails[who])
}

// at moves the server clock and logs everyone in again.
func (w *billingWorld) at(t *testing.T, now string) {
	t.Helper()
	ordClock(t, w.tn.S, now)
	w.tn.Relogin(t)
	for who, email := range w.emails {
		w.tok[who] = w.tn.Login(t, email)
	}
}

func (w *billingWorld) do(t *testing.T, who, method, path string, body any) *Response {
	t.Helper()
	return w.tn.Do(t, method, path, w.tok[who], body)
}

func (w *billingWorld) id(t *testing.T, r *Response) string {
	t.Helper()
	return r.Expect(t, http.StatusCreated).Map(t)["id"].(string)
}

func (w *billingWorld) agreement(t *testing.T, customer string, participantPrice, supervisorPrice, minimum, window, fee, term int, model string) {
	t.Helper()
	w.id(t, w.do(t, "coord", "POST", "/v1/agreements", map[string]any{"customer_id": customer,
		"participant_hour_price_cents": participantPrice, "supervisor_hour_price_cents": supervisorPrice,
		"minimum_billable_minutes": minimum, "late_cancellation_window_hours": window, "late_cancellation_fee_cents": fee,
		"payment_term_days": term, "employment_model": model, "valid_from": "2026-01-01"}))
}

func (w *billingWorld) participant(t *testing.T, org string, decision map[string]any) string {
	t.Helper()
	id := newParticipant(t, w.tn, w.tok["coord"], org)
	w.do(t, "coord", "POST", "/v1/participants/"+id+"/service-decisions", decision).Expect(t, http.StatusCreated)
	return id
}

// order places a once order for a crew of 2 for customer and accepts it
// for organiser; it returns the order and its shift.
func (w *billingWorld) order(t *testing.T, customer, organiser, date, start, end string) (string, string) {
	t.Helper()
	return w.orderOfCrew(t, customer, organiser, date, start, end, 2)
}

// orderOfCrew is order for a crew of crew.
func (w *billingWorld) orderOfCrew(t *testing.T, customer, organiser, date, start, end string, crew int) (string, string) {
	t.Helper()
	id := w.id(t, w.do(t, "coord", "POST", "/v1/orders", map[string]any{"customer_id": customer, "task_type_id": w.taskType,
		"site_address": "Kalasatama, Helsinki", "crew_size": crew, "schedule": once(date, start, end)}))
	w.do(t, "coord", "POST", "/v1/orders/"+id+"/accept", map[string]any{"organiser_id": organiser}).Expect(t, http.StatusOK)
	var page struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	w.do(t, "coord", "GET", "/v1/shifts?order_id="+id, nil).Expect(t, 200).Decode(t, &page)
	return id, page.Items[0].ID
}

func (w *billingWorld) staff(t *testing.T, shift string, people ...map[string]any) {
	t.Helper()
	for _, p := range people {
		r := w.do(t, "coord", "POST", "/v1/shifts/"+shift+"/assignments", p).Expect(t, http.StatusCreated).Map(t)
		key, _ := p["participant_id"].(string)
		if key == "" {
			key = p["supervisor_id"].(string)
		}
		w.assign[key] = r["assignment_id"].(string)
	}
}

func worked(aid, start, end string, brk int) map[string]any {
	return map[string]any{"assignment_id": aid, "start_time": start, "end_time": end, "break_minutes": brk}
}

func newBillingWorld(t *testing.T) *billingWorld {
	t.Helper()
	ordClock(t, Start(t), "2026-10-01T06:00:00Z")
	w := &billingWorld{tn: NewTenant(t), emails: map[string]string{}, tok: map[string]string{}, assign: map[string]string{}}
	tn := w.tn
	w.standard, w.internal = tn.Customer(t, "standard"), tn.Customer(t, "internal")
	w.orgA, w.orgB = tn.Organiser(t, 1000), tn.Organiser(t, 1250)
	w.user(t, "coord", "coordinator", "")
	w.user(t, "finance", "finance", "")
	w.user(t, "custStd", "customer", w.standard)
	w.user(t, "custInt", "customer", w.internal)
	w.user(t, "supA", "supervisor", w.orgA)
	w.user(t, "supB", "supervisor", w.orgB)
	w.supA = w.do(t, "supA", "GET", "/v1/me", nil).Map(t)["id"].(string)
	w.supB = w.do(t, "supB", "GET", "/v1/me", nil).Map(t)["id"].(string)
	w.taskType = w.id(t, w.do(t, "coord", "POST", "/v1/task-types", map[string]any{"name": "Shelving"}))
	w.agreement(t, w.standard, 2500, 4500, 120, 48, 15000, 14, "subcontracting")
	w.agreement(t, w.internal, 2000, 4000, 180, 24, 10000, 30, "subcontracting")

	allowance := map[string]any{"kind": "disability_work_activity", "valid_from": "2026-01-01", "max_days_per_week": 4,
		"max_hours_per_day": 6, "compensation": "daily_allowance", "daily_allowance_cents": 1500}
	wage := map[string]any{"kind": "supported_employment", "valid_from": "2026-01-01", "compensation": "hourly_wage",
		"hourly_wage_cents": 1350, "withholding_bps": 1750}
	none := map[string]any{"kind": "disability_work_activity", "valid_from": "2026-01-01", "compensation": "none"}
	small := map[string]any{"kind": "disability_work_activity", "valid_from": "2026-01-01", "max_days_per_week": 4,
		"max_hours_per_day": 6, "compensation": "daily_allowance", "daily_allowance_cents": 900}
	w.p1, w.p2 = w.participant(t, w.orgA, allowance), w.participant(t, w.orgA, wage)
	w.p3, w.p4 = w.participant(t, w.orgB, none), w.participant(t, w.orgB, small)

	w.order1, w.shift1 = w.order(t, w.standard, w.orgA, "2026-10-06", "08:00", "12:00")
	w.order2, w.shift2 = w.order(t, w.internal, w.orgB, "2026-10-07", "08:00", "11:00")
	w.order3, w.shift3 = w.order(t, w.standard, w.orgA, "2026-10-08", "09:00", "12:00")
	w.staff(t, w.shift1, map[string]any{"participant_id": w.p1}, map[string]any{"participant_id": w.p2}, map[string]any{"supervisor_id": w.supA})
	w.staff(t, w.shift2, map[string]any{"participant_id": w.p3}, map[string]any{"participant_id": w.p4}, map[string]any{"supervisor_id": w.supB})

	// Tuesday: shift 1 is recorded with P2 until 11:00, disputed, corrected
	// to 10:05 and approved.
	w.at(t, "2026-10-06T10:00:00Z")
	w.do(t, "supA", "PUT", "/v1/shifts/"+w.shift1+"/time-entries", map[string]any{"entries": []map[string]any{
		worked(w.assign[w.p1], "08:00", "12:00", 30), worked(w.assign[w.p2], "08:00", "11:00", 0), worked(w.assign[w.supA], "08:00", "12:00", 0)}}).Expect(t, 200)
	w.do(t, "supA", "POST", "/v1/shifts/"+w.shift1+"/submit", nil).Expect(t, 200)
	w.do(t, "custStd", "POST", "/v1/shifts/"+w.shift1+"/dispute", map[string]any{"reason": "P2 left at 10:05"}).Expect(t, 200)
	w.do(t, "supA", "PUT", "/v1/shifts/"+w.shift1+"/time-entries", map[string]any{"entries": []map[string]any{
		worked(w.assign[w.p1], "08:00", "12:00", 30), worked(w.assign[w.p2], "08:00", "10:05", 0), worked(w.assign[w.supA], "08:00", "12:00", 0)}}).Expect(t, 200)
	w.do(t, "supA", "POST", "/v1/shifts/"+w.shift1+"/submit", nil).Expect(t, 200)
	w.do(t, "custStd", "POST", "/v1/shifts/"+w.shift1+"/approve", nil).Expect(t, 200)

	// Wednesday: shift 2 with an absence, approved by the city unit; the
	// standard customer cancels Thursday's shift 20 hours ahead (window 48 h).
	w.at(t, "2026-10-07T10:00:00Z")
	w.do(t, "supB", "PUT", "/v1/shifts/"+w.shift2+"/time-entries", map[string]any{"entries": []map[string]any{
		worked(w.assign[w.p3], "08:00", "11:00", 15), {"assignment_id": w.assign[w.p4], "absence": "sick"}, worked(w.assign[w.supB], "08:00", "11:00", 0)}}).Expect(t, 200)
	w.do(t, "supB", "POST", "/v1/shifts/"+w.shift2+"/submit", nil).Expect(t, 200)
	w.do(t, "custInt", "POST", "/v1/shifts/"+w.shift2+"/approve", nil).Expect(t, 200)
	late := w.do(t, "custStd", "POST", "/v1/shifts/"+w.shift3+"/cancel", map[string]any{"reason": "inventory moved"}).Expect(t, 200).Map(t)
	if late["late_cancellation"] != true {
		t.Fatalf("the cancellation was not late: %v", late)
	}
	w.at(t, "2026-11-02T08:00:00Z")
	return w
}

type runResult struct {
	ID           *string `json:"id"`
	Kind         string  `json:"kind"`
	DryRun       bool    `json:"dry_run"`
	InvoiceCount int     `json:"invoice_count"`
	Net          int64   `json:"net_cents"`
	Vat          int64   `json:"vat_cents"`
	Gross        int64   `json:"gross_cents"`
	Invoices     []struct {
		ID            string `json:"id"`
		CustomerID    string `json:"customer_id"`
		InvoiceNumber string `json:"invoice_number"`
		Reference     string `json:"reference_number"`
		RF            string `json:"rf_reference"`
		InvoiceDate   string `json:"invoice_date"`
		DueDate       string `json:"due_date"`
		Seller        string `json:"seller_business_id"`
		Buyer         string `json:"buyer_business_id"`
		Net           int64  `json:"net_cents"`
		Vat           int64  `json:"vat_cents"`
		Gross         int64  `json:"gross_cents"`
		Lines         []struct {
			OrderID   string `json:"order_id"`
			Kind      string `json:"kind"`
			Minutes   int64  `json:"minutes"`
			Count     int64  `json:"count"`
			UnitPrice int64  `json:"unit_price_cents"`
			Amount    int64  `json:"amount_cents"`
			VatBps    int64  `json:"vat_bps"`
		} `json:"lines"`
		VatBreakdown []struct {
			VatBps int64 `json:"vat_bps"`
			Net    int64 `json:"net_cents"`
			Vat    int64 `json:"vat_cents"`
		} `json:"vat_breakdown"`
	} `json:"invoices"`
	Settlements []struct {
		OrganiserID string `json:"organiser_id"`
		Gross       int64  `json:"gross_cents"`
		Fee         int64  `json:"fee_cents"`
		Payable     int64  `json:"payable_cents"`
	} `json:"settlements"`
	Payouts []struct {
		ParticipantID string `json:"participant_id"`
		Days          int64  `json:"days"`
		Minutes       int64  `json:"minutes"`
		Gross         int64  `json:"gross_cents"`
		Withholding   int64  `json:"withholding_cents"`
		Net           int64  `json:"net_cents"`
		Taxable       int64  `json:"taxable_cents"`
		CarriedNet    int64  `json:"carried_net_cents"`
	} `json:"payouts"`
	Journal []struct {
		Account string `json:"account"`
		Debit   int64  `json:"debit_cents"`
		Credit  int64  `json:"credit_cents"`
		Memo    string `json:"memo"`
	} `json:"journal"`
}

// invoiceOf is the id of the run's invoice to customer.
func (r runResult) invoiceOf(t *testing.T, customer string) string {
	t.Helper()
	for _, inv := range r.Invoices {
		if inv.CustomerID == customer {
			return inv.ID
		}
	}
	t.Fatalf("the run has no invoice to customer %s", customer)
	return ""
}

func (w *billingWorld) run(t *testing.T, dry bool, status int) runResult {
	t.Helper()
	var out runResult
	w.do(t, "finance", "POST", "/v1/billing-runs", map[string]any{"period": "2026-10", "dry_run": dry}).Expect(t, status).Decode(t, &out)
	return out
}

// summary renders the money of a run in a fixed order for comparison.
func (r runResult) summary(w *billingWorld) string {
	name := map[string]string{w.standard: "standard", w.internal: "internal", w.orgA: "A", w.orgB: "B",
		w.order1: "order1", w.order2: "order2", w.order3: "order3", w.p1: "P1", w.p2: "P2", w.p3: "P3", w.p4: "P4"}
	var b []string
	for _, inv := range r.Invoices {
		b = append(b, fmt.Sprintf("invoice %s net %d vat %d gross %d", name[inv.CustomerID], inv.Net, inv.Vat, inv.Gross))
		for _, l := range inv.Lines {
			b = append(b, fmt.Sprintf("  %s %s %dmin %dx %d = %d @%d", name[l.OrderID], l.Kind, l.Minutes, l.Count, l.UnitPrice, l.Amount, l.VatBps))
		}
		for _, v := range inv.VatBreakdown {
			b = append(b, fmt.Sprintf("  vat %d: %d + %d", v.VatBps, v.Net, v.Vat))
		}
	}
	for _, s := range r.Settlements {
		b = append(b, fmt.Sprintf("settlement %s %d - %d = %d", name[s.OrganiserID], s.Gross, s.Fee, s.Payable))
	}
	var payouts []string
	for _, p := range r.Payouts {
		payouts = append(payouts, fmt.Sprintf("payout %s %dd %dmin gross %d tax %d net %d taxable %d", name[p.ParticipantID], p.Days, p.Minutes, p.Gross, p.Withholding, p.Net, p.Taxable))
	}
	sort.Strings(payouts)
	return strings.Join(append(b, payouts...), "\n")
}

// The hand-computed cents of the worked example.
const workedExample = `invoice standard net 46958 vat 11974 gross 58932
  order1 participant_hours 335min 0x 2500 = 13958 @2550
  order1 supervisor_hours 240min 0x 4500 = 18000 @2550
  order3 late_cancellation 0min 1x 15000 = 15000 @2550
  vat 2550: 46958 + 11974
invoice internal net 18000 vat 0 gross 18000
  order2 participant_hours 180min 0x 2000 = 6000 @0
  order2 supervisor_hours 180min 0x 4000 = 12000 @0
  vat 0: 18000 + 0
settlement A 46958 - 4696 = 42262
settlement B 18000 - 2250 = 15750
payout P1 1d 210min gross 1500 tax 180 net 1320 taxable 300
payout P2 1d 125min gross 2813 tax 1688 net 1100 taxable 0
payout P3 1d 165min gross 0 tax 0 net 0 taxable 0`

// Worked example, by hand:
//   - standard, order 1: P1 worked 240−30 = 210 min, P2 125 min (both over
//     the 120 min minimum): 335 min × 25.00 €/h = 139.5833 € → 13958;
//     supervisor 240 min × 45.00 €/h = 18000; the late cancellation 15000.
//     Net 46958, VAT 25.5 % = 11974.29 → 11974, gross 58932.
//   - internal, order 2: P3 worked 165 min, billed at the 180 min minimum:
//     180 × 20.00 €/h = 6000; supervisor 180 × 40.00 = 12000; P4 was sick
//     (nothing). Net 18000 at 0 %.
//   - settlements: A 46958 × 10 % = 4695.8 → 4696, payable 42262;
//     B 18000 × 12.5 % = 2250, payable 15750.
//   - payouts: P1 one day at 15.00 €, 3.00 € of it taxable; P2 125 min ×
//     13.50 €/h = 28.125 € → 2813, withholding 17.5 % = 492.275 → 492, net
//     2321; P3 has no compensation (days and minutes show).
func TestBillingRunWorkedExample(t *testing.T) {
	w := newBillingWorld(t)
	expSellerDetails(t, w.tn)
	dry := w.run(t, true, http.StatusOK)
	if !dry.DryRun || dry.ID != nil || dry.summary(w) != workedExample {
		t.Fatalf("dry run:\n%s\nwant\n%s", dry.summary(w), workedExample)
	}
	if n := countRows(t, w.tn, "invoices") + countRows(t, w.tn, "billing_runs") + countRows(t, w.tn, "invoice_series"); n != 0 {
		t.Fatalf("the dry run wrote %d rows", n)
	}
	run := w.run(t, false, http.StatusCreated)
	if got := run.summary(w); got != workedExample {
		t.Fatalf("run:\n%s\nwant\n%s", got, workedExample)
	}
	if run.Kind != "regular" || run.InvoiceCount != 2 || run.Net != 64958 || run.Vat != 11974 || run.Gross != 76932 {
		t.Errorf("run totals %+v", run)
	}
	// The dry run consumed no number: the series starts at 1.
	numbers := []string{run.Invoices[0].InvoiceNumber, run.Invoices[1].InvoiceNumber}
	sort.Strings(numbers)
	if numbers[0] != "2026-000001" || numbers[1] != "2026-000002" {
		t.Errorf("invoice numbers %v", numbers)
	}
	for _, inv := range run.Invoices {
		want := map[string]string{w.standard: "2026-11-16", w.internal: "2026-12-02"}[inv.CustomerID]
		if inv.Seller != "0201256-6" || inv.Buyer != "0737546-2" {
			t.Errorf("invoice %s parties %q → %q", inv.InvoiceNumber, inv.Seller, inv.Buyer)
		}
		if inv.InvoiceDate != "2026-11-02" || inv.DueDate != want || !strings.HasPrefix(inv.RF, "RF") || !strings.HasSuffix(inv.RF, inv.Reference) {
			t.Errorf("invoice %s dates/references %s %s %s %s", inv.InvoiceNumber, inv.InvoiceDate, inv.DueDate, inv.Reference, inv.RF)
		}
	}
	var debit, credit int64
	memos := map[string]int{}
	for _, j := range run.Journal {
		debit, credit = debit+j.Debit, credit+j.Credit
		memos[j.Memo]++
	}
	// Pay: wages 1500 + 2813 + 253 holiday compensation accrued, social
	// costs 9 + 53.
	if debit != credit || debit != 76932+42262+15750+4628 {
		t.Errorf("journal debits %d credits %d", debit, credit)
	}
	// A bookkeeper reads postings by invoice number and name: the standard
	// invoice posts receivables, sales and VAT; the internal one has no VAT;
	// each organiser's settlement posts purchases and payables; A's pay posts
	// wages, social costs, withholding, health insurance, unemployment
	// insurance, the holiday liability and net wages (no pension: P2 earned
	// less than the TyEL threshold).
	want := map[string]int{"settlement Work Activity Unit": 4, "payroll Work Activity Unit": 7}
	for _, inv := range run.Invoices {
		want["invoice "+inv.InvoiceNumber+" Customer Oy"] = map[string]int{w.standard: 3, w.internal: 2}[inv.CustomerID]
	}
	if !reflect.DeepEqual(memos, want) {
		t.Errorf("journal memos %v, want %v", memos, want)
	}

	// Running again bills nothing twice.
	again := w.run(t, false, http.StatusCreated)
	if again.Kind != "supplementary" || again.InvoiceCount != 0 || len(again.Payouts) != 0 || again.Net != 0 {
		t.Errorf("second run billed again: %+v", again)
	}
	// Billed hours are locked.
	w.do(t, "supA", "PUT", "/v1/shifts/"+w.shift1+"/time-entries", map[string]any{"entries": []any{}}).Expect(t, http.StatusConflict)
	entries := w.do(t, "coord", "GET", "/v1/shifts/"+w.shift1+"/time-entries", nil).Expect(t, 200)
	if !strings.Contains(string(entries.Body), `"billed":true`) {
		t.Error("entries are not shown as billed")
	}

	// Read side: customers see their own invoices only, supervisors their
	// organiser's payouts.
	own := w.do(t, "custInt", "GET", "/v1/invoices", nil).Expect(t, 200).Map(t)["items"].([]any)
	if len(own) != 1 || own[0].(map[string]any)["customer_id"] != w.internal {
		t.Errorf("internal customer sees %v", own)
	}
	for _, inv := range run.Invoices {
		status := map[string]int{w.internal: 200, w.standard: 404}[inv.CustomerID]
		w.do(t, "custInt", "GET", "/v1/invoices/"+inv.ID, nil).Expect(t, status)
	}
	payouts := w.do(t, "supB", "GET", "/v1/payouts?run_id="+*run.ID, nil).Expect(t, 200).Map(t)["items"].([]any)
	if len(payouts) != 1 || payouts[0].(map[string]any)["participant_id"] != w.p3 {
		t.Errorf("supervisor B sees payouts %v", payouts)
	}
	w.do(t, "custStd", "GET", "/v1/payouts", nil).Expect(t, 403)
	w.do(t, "coord", "POST", "/v1/billing-runs", map[string]any{"period": "2026-10"}).Expect(t, 403)
	w.do(t, "finance", "POST", "/v1/billing-runs", map[string]any{"period": "2026-13"}).Expect(t, 422)
	w.do(t, "finance", "GET", "/v1/billing-runs/"+*run.ID, nil).Expect(t, 200)
	w.tn.S.Do(t, Request{Method: "GET", Path: "/v1/billing-runs/" + *run.ID, Token: NewTenant(t).AdminToken}).Expect(t, 404)
}

func TestLateApprovalGoesToASupplementaryRun(t *testing.T) {
	w := newBillingWorld(t)
	// A fourth shift in October is worked but approved only after the run.
	w.at(t, "2026-10-01T06:00:00Z")
	order4, shift4 := w.order(t, w.internal, w.orgB, "2026-10-20", "08:00", "12:00")
	w.staff(t, shift4, map[string]any{"supervisor_id": w.supB})
	w.at(t, "2026-10-20T10:00:00Z")
	w.do(t, "supB", "PUT", "/v1/shifts/"+shift4+"/time-entries", map[string]any{"entries": []map[string]any{
		worked(w.assign[w.supB], "08:00", "12:00", 0)}}).Expect(t, 200)
	w.do(t, "supB", "POST", "/v1/shifts/"+shift4+"/submit", nil).Expect(t, 200)
	w.at(t, "2026-11-01T06:00:00Z") // October has ended; shift 4 is not yet answered
	first := w.run(t, false, http.StatusCreated)
	if first.Net != 64958 {
		t.Fatalf("first run net %d", first.Net)
	}
	w.do(t, "custInt", "POST", "/v1/shifts/"+shift4+"/approve", nil).Expect(t, 200)
	second := w.run(t, false, http.StatusCreated)
	if second.Kind != "supplementary" || second.InvoiceCount != 1 || len(second.Invoices[0].Lines) != 1 {
		t.Fatalf("supplementary run %+v", second)
	}
	l := second.Invoices[0].Lines[0]
	if l.OrderID != order4 || l.Kind != "supervisor_hours" || l.Minutes != 240 || l.Amount != 16000 || second.Invoices[0].InvoiceNumber != "2026-000003" {
		t.Errorf("supplementary line %+v number %s", l, second.Invoices[0].InvoiceNumber)
	}
}

// Concurrent runs of one tenant: each either completes or answers 409
// run_in_progress at once (it does not queue behind the lock); whatever the
// interleaving, the month is billed once and the numbers stay gapless. A run
// after them all finds nothing new.
func TestConcurrentBillingRunsAreSerialised(t *testing.T) {
	w := newBillingWorld(t)
	results := make([]runResult, 4)
	responses := make([]*Response, 4)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			responses[i] = w.do(t, "finance", "POST", "/v1/billing-runs", map[string]any{"period": "2026-10"})
		}()
	}
	wg.Wait()
	var numbers []string
	regular, done := 0, 0
	for i, r := range responses {
		switch r.Status {
		case http.StatusCreated:
			done++
			r.Decode(t, &results[i])
		case http.StatusConflict:
			if code := r.Map(t)["code"]; code != "run_in_progress" {
				t.Fatalf("409 with code %v", code)
			}
			continue
		default:
			t.Fatalf("concurrent run answered %d: %s", r.Status, r.Body)
		}
		if results[i].Kind == "regular" {
			regular++
		}
		for _, inv := range results[i].Invoices {
			numbers = append(numbers, inv.InvoiceNumber)
		}
	}
	sort.Strings(numbers)
	if done == 0 || regular != 1 || strings.Join(numbers, ",") != "2026-000001,2026-000002" {
		t.Fatalf("%d runs done, %d regular, invoice numbers %v", done, regular, numbers)
	}
	if again := w.run(t, false, http.StatusCreated); again.Kind != "supplementary" || again.InvoiceCount != 0 {
		t.Fatalf("a later run billed again: %+v", again)
	}
	if n := countRows(t, w.tn, "invoices"); n != 2 {
		t.Fatalf("%d invoices stored", n)
	}
}

func TestCreditNoteFreesHoursToBeBilledAgain(t *testing.T) {
	w := newBillingWorld(t)
	run := w.run(t, false, http.StatusCreated)
	std := run.invoiceOf(t, w.standard)
	w.do(t, "coord", "POST", "/v1/invoices/"+std+"/credit-note", map[string]any{}).Expect(t, 403)
	w.do(t, "finance", "POST", "/v1/invoices/"+std+"/credit-note", map[string]any{"lines": []int{9}}).Expect(t, 422)
	// Credit the participant-hours line (line 1) only.
	var note struct {
		ID       string `json:"id"`
		Number   string `json:"invoice_number"`
		Credits  string `json:"credits_invoice_id"`
		Net, Vat int64
		NetC     int64 `json:"net_cents"`
		VatC     int64 `json:"vat_cents"`
	}
	w.do(t, "finance", "POST", "/v1/invoices/"+std+"/credit-note", map[string]any{"lines": []int{1}}).Expect(t, 201).Decode(t, &note)
	// −13958 net, VAT −3559.29 → −3559.
	if note.Number != "2026-000003" || note.Credits != std || note.NetC != -13958 || note.VatC != -3559 {
		t.Fatalf("credit note %+v", note)
	}
	w.do(t, "finance", "POST", "/v1/invoices/"+std+"/credit-note", map[string]any{"lines": []int{1}}).Expect(t, 409)
	// The settlement share and the payouts of the freed hours are reversed.
	var setts, pays struct {
		Items []map[string]any `json:"items"`
	}
	w.do(t, "finance", "GET", "/v1/settlements", nil).Expect(t, 200).Decode(t, &setts)
	w.do(t, "finance", "GET", "/v1/payouts", nil).Expect(t, 200).Decode(t, &pays)
	var reversal, reversedPay int64
	for _, s := range setts.Items {
		if s["invoice_id"] == note.ID {
			reversal += int64(s["payable_cents"].(float64))
		}
	}
	for _, p := range pays.Items {
		if p["invoice_id"] == note.ID {
			reversedPay += int64(p["net_cents"].(float64))
		}
	}
	// −13958 with a 10 % fee of −1395.8 → −1396: payable −12562. Payouts
	// reversed, without tax cards (60 %): P1 −1320, P2 −1100.
	if reversal != -12562 || reversedPay != -2420 {
		t.Errorf("reversed payable %d, payouts %d", reversal, reversedPay)
	}
	// Shift 1 still has its supervisor hours billed, so it stays locked.
	if s := w.do(t, "coord", "GET", "/v1/shifts/"+w.shift1, nil).Map(t); s["timesheet_status"] != "approved" {
		t.Fatalf("partly credited shift is %v", s["timesheet_status"])
	}
	// Credit the rest: the shift reopens as disputed, is corrected and billed
	// again in a supplementary run.
	w.do(t, "finance", "POST", "/v1/invoices/"+std+"/credit-note", map[string]any{}).Expect(t, 201)
	if s := w.do(t, "coord", "GET", "/v1/shifts/"+w.shift1, nil).Map(t); s["timesheet_status"] != "disputed" {
		t.Fatalf("credited shift is %v", s["timesheet_status"])
	}
	w.do(t, "supA", "PUT", "/v1/shifts/"+w.shift1+"/time-entries", map[string]any{"entries": []map[string]any{
		worked(w.assign[w.p1], "08:00", "12:00", 30), worked(w.assign[w.p2], "08:00", "10:00", 0), worked(w.assign[w.supA], "08:00", "12:00", 0)}}).Expect(t, 200)
	w.do(t, "supA", "POST", "/v1/shifts/"+w.shift1+"/submit", nil).Expect(t, 200)
	w.do(t, "custStd", "POST", "/v1/shifts/"+w.shift1+"/approve", nil).Expect(t, 200)
	rebill := w.run(t, false, http.StatusCreated)
	if rebill.InvoiceCount != 1 || len(rebill.Invoices[0].Lines) != 2 {
		t.Fatalf("re-bill %s", rebill.summary(w))
	}
	// 330 min × 25 €/h = 13750; the waived late fee is not billed again.
	if l := rebill.Invoices[0].Lines[0]; l.Minutes != 330 || l.Amount != 13750 {
		t.Errorf("re-billed line %+v", l)
	}
	// The participants were paid for the first billing already: the credit
	// note's reversals are carried into the re-bill's payouts. P1's unchanged
	// day nets to zero; P2's 120 min (2700 − 473 = 2227) less the 2321 paid
	// for 125 min leaves −94, a balance for P2's next payout. Nothing is paid
	// twice, so the organiser's payment file has nothing to pay.
	var got []string
	for _, p := range rebill.Payouts {
		got = append(got, fmt.Sprintf("%s %dd %dmin gross %d tax %d net %d carried %d",
			map[string]string{w.p1: "P1", w.p2: "P2"}[p.ParticipantID], p.Days, p.Minutes, p.Gross, p.Withholding, p.Net, p.CarriedNet))
	}
	sort.Strings(got)
	if want := "P1 0d 0min gross 0 tax 0 net 0 carried -1320\nP2 0d -5min gross -113 tax -68 net -44 carried -1100"; strings.Join(got, "\n") != want {
		t.Errorf("re-bill payouts\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
	w.do(t, "finance", "GET", "/v1/payouts", nil).Expect(t, 200).Decode(t, &pays)
	open := 0
	for _, p := range pays.Items {
		switch {
		case p["invoice_id"] == note.ID && p["carried_into"] == nil:
			t.Errorf("credit note payout %v not carried", p)
		case p["carried_into"] == nil && p["net_cents"].(float64) < 0:
			open++
		}
	}
	if open != 1 {
		t.Errorf("%d open balances, want P2's −94", open)
	}
	// Organiser A likewise: the re-bill's settlement carries both credit
	// notes' reversals (everything A was paid for the shift), so what to pay
	// is its own payable less them; below zero, A owes it back and the
	// settlement stays open for A's next run. The journal posts the run's own.
	w.do(t, "finance", "GET", "/v1/settlements", nil).Expect(t, 200).Decode(t, &setts)
	var reversed int64
	var rebillA map[string]any
	for _, st := range setts.Items {
		switch {
		case st["invoice_id"] != nil && st["organiser_id"] == w.orgA:
			reversed += int64(st["payable_cents"].(float64))
			if st["carried_into"] == nil {
				t.Errorf("credit note settlement %v not carried", st)
			}
		case st["billing_run_id"] == *rebill.ID:
			rebillA = st
		}
	}
	payable := int64(rebillA["payable_cents"].(float64))
	if rebillA["carried_cents"] != float64(reversed) || rebillA["to_pay_cents"] != float64(payable+reversed) ||
		payable != 28575 || rebillA["carried_into"] != nil {
		t.Errorf("re-bill settlement %v; reversed %d", rebillA, reversed)
	}
	problem := w.do(t, "finance", "GET", "/v1/exports/payouts.xml?run_id="+*rebill.ID+"&organiser_id="+w.orgA, nil).Expect(t, 409)
	if code := problemCode(t, problem); code != "nothing_to_pay" {
		t.Errorf("payment file of a run that pays nothing: %s", code)
	}

	// P2 works again in November, for A: November's run carries in what the
	// re-bill left below zero. P2: 240 min × 13.50 €/h = 5400, withholding
	// 945, net 4455, less 94 → gross 5287, withholding 926, net 4361. A:
	// 240 min × 25.00 + 240 min × 45.00 = 28000, fee 2800, payable 25200,
	// less the 13687 A still owed → 11513 to pay.
	_, november := w.order(t, w.standard, w.orgA, "2026-11-10", "08:00", "12:00")
	w.staff(t, november, map[string]any{"participant_id": w.p2}, map[string]any{"supervisor_id": w.supA})
	w.at(t, "2026-11-10T10:00:00Z")
	w.do(t, "supA", "PUT", "/v1/shifts/"+november+"/time-entries", map[string]any{"entries": []map[string]any{
		worked(w.assign[w.p2], "08:00", "12:00", 0), worked(w.assign[w.supA], "08:00", "12:00", 0)}}).Expect(t, 200)
	w.do(t, "supA", "POST", "/v1/shifts/"+november+"/submit", nil).Expect(t, 200)
	w.do(t, "custStd", "POST", "/v1/shifts/"+november+"/approve", nil).Expect(t, 200)
	w.at(t, "2026-12-01T08:00:00Z")
	var nov runResult
	w.do(t, "finance", "POST", "/v1/billing-runs", map[string]any{"period": "2026-11"}).Expect(t, http.StatusCreated).Decode(t, &nov)
	if len(nov.Payouts) != 1 {
		t.Fatalf("November payouts %+v", nov.Payouts)
	}
	if p := nov.Payouts[0]; p.ParticipantID != w.p2 || p.Minutes != 235 || p.Gross != 5287 || p.Withholding != 3172 || p.Net != 2068 || p.CarriedNet != -44 {
		t.Errorf("November payout %+v", p)
	}
	w.do(t, "finance", "GET", "/v1/settlements?run_id="+*nov.ID, nil).Expect(t, 200).Decode(t, &setts)
	if len(setts.Items) != 1 || setts.Items[0]["payable_cents"] != float64(25200) || setts.Items[0]["carried_cents"] != float64(-13687) ||
		setts.Items[0]["to_pay_cents"] != float64(11513) {
		t.Errorf("November settlements %v", setts.Items)
	}
}

func TestCustomerEmploysBillsSupervisorHoursOnly(t *testing.T) {
	ordClock(t, Start(t), "2026-10-01T06:00:00Z")
	w := &billingWorld{tn: NewTenant(t), emails: map[string]string{}, tok: map[string]string{}, assign: map[string]string{}}
	w.standard, w.orgA = w.tn.Customer(t, "standard"), w.tn.Organiser(t, 1000)
	w.user(t, "coord", "coordinator", "")
	w.user(t, "finance", "finance", "")
	w.user(t, "supA", "supervisor", w.orgA)
	w.supA = w.do(t, "supA", "GET", "/v1/me", nil).Map(t)["id"].(string)
	w.taskType = w.id(t, w.do(t, "coord", "POST", "/v1/task-types", map[string]any{"name": "Office cleaning"}))
	w.agreement(t, w.standard, 2500, 4500, 0, 24, 0, 14, "customer_employs")
	rehabilitative := w.participant(t, w.orgA, rehab("2026-01-01", ""))
	employed := w.participant(t, w.orgA, map[string]any{"kind": "supported_employment", "valid_from": "2026-01-01",
		"compensation": "hourly_wage", "hourly_wage_cents": 1400, "withholding_bps": 1000})
	_, shift := w.order(t, w.standard, w.orgA, "2026-10-13", "08:00", "12:00")
	// Paid employment needs a supported-employment decision.
	r := w.do(t, "coord", "POST", "/v1/shifts/"+shift+"/assignments", map[string]any{"participant_id": rehabilitative}).Expect(t, 409)
	if problemCode(t, r) != "decision_kind_not_allowed_for_paid_work" {
		t.Errorf("rehabilitative participant on paid work: %s", r.Body)
	}
	w.staff(t, shift, map[string]any{"participant_id": employed}, map[string]any{"supervisor_id": w.supA})
	w.at(t, "2026-10-13T10:00:00Z")
	w.do(t, "supA", "PUT", "/v1/shifts/"+shift+"/time-entries", map[string]any{"entries": []map[string]any{
		worked(w.assign[employed], "08:00", "12:00", 0), worked(w.assign[w.supA], "08:00", "12:00", 0)}}).Expect(t, 200)
	w.do(t, "supA", "POST", "/v1/shifts/"+shift+"/submit", nil).Expect(t, 200)
	w.do(t, "coord", "POST", "/v1/shifts/"+shift+"/approve", nil).Expect(t, 200)
	w.at(t, "2026-11-02T08:00:00Z")
	run := w.run(t, false, http.StatusCreated)
	if run.InvoiceCount != 1 || len(run.Invoices[0].Lines) != 1 || run.Invoices[0].Lines[0].Kind != "supervisor_hours" || run.Net != 18000 {
		t.Fatalf("customer_employs run %+v", run)
	}
	if len(run.Payouts) != 0 {
		t.Errorf("the customer pays the wages, but payouts were made: %+v", run.Payouts)
	}
}

// The monthly job bills the previous month at 02:00 Helsinki time on the
// 1st, once per slot, through the same run as the API.
func TestMonthlyBillingJobBillsThePreviousMonth(t *testing.T) {
	w := newBillingWorld(t)
	w.at(t, "2026-11-01T00:30:00Z") // 02:30 in Helsinki
	job := func() string {
		return w.tn.S.Do(t, Request{Method: "POST", Path: "/dev/jobs/billing/run"}).Expect(t, 200).Map(t)["status"].(string)
	}
	if s := job(); s != "succeeded" {
		t.Fatalf("billing job %s", s)
	}
	if s := job(); s != "skipped" {
		t.Fatalf("second run of the slot: %s", s)
	}
	var runs struct {
		Items []struct {
			Kind string `json:"kind"`
			Net  int64  `json:"net_cents"`
		} `json:"items"`
	}
	w.do(t, "finance", "GET", "/v1/billing-runs?period=2026-10", nil).Expect(t, 200).Decode(t, &runs)
	if len(runs.Items) != 1 || runs.Items[0].Kind != "regular" || runs.Items[0].Net != 64958 {
		t.Fatalf("runs of October %+v", runs.Items)
	}
}
