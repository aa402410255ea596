package apitest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"testing"
)

// ordFixture is a tenant with a customer (and its user), an organiser, a
// task type, a coordinator and an agreement, made at a fixed server clock.
// Access tokens follow the clock: after moving it, call login again.
type ordFixture struct {
	tn                    *Tenant
	customer, organiser   string
	taskType              string
	coordEmail, custEmail string
	coord, cust           string
}

// ordClock sets the server clock for the rest of the test.
func ordClock(t *testing.T, s *Server, now string) {
	t.Helper()
	s.Do(t, Request{Method: http.MethodPut, Path: "/dev/clock", Body: map[string]string{"now": now}}).Expect(t, http.StatusOK)
	t.Cleanup(func() { s.Do(t, Request{Method: http.MethodDelete, Path: "/dev/clock"}) })
}

// ordUser creates a user and returns its email.
func ordUser(t *testing.T, tn *Tenant, role, orgID string) string {
	t.Helper()
	email := fmt.Sprintf("ord-%s-%x@example.fi", role, rand.Uint64())
	body := map[string]any{"email": email, "password": Password, "role": role}
	if orgID != "" {
		body["organization_id"] = orgID
	}
	tn.Do(t, http.MethodPost, "/v1/users", tn.AdminToken, body).Expect(t, http.StatusCreated)
	return email
}

func newOrdFixture(t *testing.T, now string) *ordFixture {
	t.Helper()
	ordClock(t, Start(t), now)
	tn := NewTenant(t)
	f := &ordFixture{tn: tn, customer: tn.Customer(t, "standard"), organiser: tn.Organiser(t, 1000)}
	r := tn.Do(t, http.MethodPost, "/v1/task-types", tn.AdminToken, map[string]any{"name": "Outdoor cleaning"})
	f.taskType = r.Expect(t, http.StatusCreated).Map(t)["id"].(string)
	f.coordEmail = ordUser(t, tn, "coordinator", "")
	f.custEmail = ordUser(t, tn, "customer", f.customer)
	f.login(t)
	f.agreement(t, f.customer, "2026-01-01", nil, 48).Expect(t, http.StatusCreated)
	return f
}

func (f *ordFixture) login(t *testing.T) {
	t.Helper()
	f.coord, f.cust = f.tn.Login(t, f.coordEmail), f.tn.Login(t, f.custEmail)
}

func (f *ordFixture) agreement(t *testing.T, customer, from string, until *string, windowHours int) *Response {
	t.Helper()
	return f.tn.Do(t, http.MethodPost, "/v1/agreements", f.coord, map[string]any{
		"customer_id": customer, "participant_hour_price_cents": 2500, "supervisor_hour_price_cents": 4500,
		"minimum_billable_minutes": 120, "late_cancellation_window_hours": windowHours, "late_cancellation_fee_cents": 15000,
		"payment_term_days": 14, "employment_model": "subcontracting", "valid_from": from, "valid_until": until})
}

func (f *ordFixture) orderBody(schedule map[string]any) map[string]any {
	return map[string]any{"task_type_id": f.taskType, "site_address": "Mannerheimintie 1, Helsinki",
		"description": "Leaf clearing", "crew_size": 4, "schedule": schedule}
}

func weekly(days []int, start, end, first string, last any) map[string]any {
	return map[string]any{"kind": "weekly", "weekdays": days, "start_time": start, "end_time": end, "first_date": first, "last_date": last}
}

// order places an order as the customer user and returns its id.
func (f *ordFixture) order(t *testing.T, schedule map[string]any) string {
	t.Helper()
	r := f.tn.Do(t, http.MethodPost, "/v1/orders", f.cust, f.orderBody(schedule)).Expect(t, http.StatusCreated)
	return r.Map(t)["id"].(string)
}

// accepted places an order and accepts it for the organiser.
func (f *ordFixture) accepted(t *testing.T, schedule map[string]any) string {
	t.Helper()
	id := f.order(t, schedule)
	f.tn.Do(t, http.MethodPost, "/v1/orders/"+id+"/accept", f.coord, map[string]any{"organiser_id": f.organiser}).Expect(t, http.StatusOK)
	return id
}

type ordShift struct {
	ID               string `json:"id"`
	OrderID          string `json:"order_id"`
	CustomerID       string `json:"customer_id"`
	Date             string `json:"date"`
	StartsAt         string `json:"starts_at"`
	EndsAt           string `json:"ends_at"`
	Status           string `json:"status"`
	LateCancellation bool   `json:"late_cancellation"`
}

// shifts walks every page of GET /v1/shifts?query with small pages.
func (f *ordFixture) shifts(t *testing.T, token, query string) []ordShift {
	t.Helper()
	var all []ordShift
	cursor := ""
	for {
		path := "/v1/shifts?limit=3&" + query
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		var page struct {
			Items      []ordShift `json:"items"`
			NextCursor *string    `json:"next_cursor"`
		}
		f.tn.Do(t, http.MethodGet, path, token, nil).Expect(t, http.StatusOK).Decode(t, &page)
		all = append(all, page.Items...)
		if page.NextCursor == nil {
			return all
		}
		cursor = *page.NextCursor
	}
}

func (f *ordFixture) rows(t *testing.T, table string) int64 {
	t.Helper()
	var n int64
	if err := f.tn.S.Main.DB.Gorm.Table(table).Where("tenant_id = ?", f.tn.ID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func problemCode(t *testing.T, r *Response) string {
	t.Helper()
	code, _ := r.Map(t)["code"].(string)
	return code
}

func firstPointer(t *testing.T, r *Response) string {
	t.Helper()
	errs, _ := r.Map(t)["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	return errs[0].(map[string]any)["pointer"].(string)
}

// A weekly order across the last Sunday of October 2026 (EEST → EET) keeps
// its 08:00 wall-clock start: 05:00 UTC before the change, 06:00 after.
func TestWeeklyOrderKeepsWallClockAcrossDST(t *testing.T) {
	f := newOrdFixture(t, "2026-10-01T09:00:00Z")
	id := f.accepted(t, weekly([]int{1, 2, 3, 4, 5}, "08:00", "12:00", "2026-10-19", "2026-10-30"))
	got := f.shifts(t, f.coord, "order_id="+id)
	want := []struct{ date, start, end string }{
		{"2026-10-19", "05:00", "09:00"}, {"2026-10-20", "05:00", "09:00"}, {"2026-10-21", "05:00", "09:00"},
		{"2026-10-22", "05:00", "09:00"}, {"2026-10-23", "05:00", "09:00"},
		{"2026-10-26", "06:00", "10:00"}, {"2026-10-27", "06:00", "10:00"}, {"2026-10-28", "06:00", "10:00"},
		{"2026-10-29", "06:00", "10:00"}, {"2026-10-30", "06:00", "10:00"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d shifts, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		s := got[i]
		if s.Date != w.date || s.StartsAt != w.date+"T"+w.start+":00Z" || s.EndsAt != w.date+"T"+w.end+":00Z" || s.Status != "open" {
			t.Errorf("shift %d = %s %s–%s %s, want %s %s–%s UTC open", i, s.Date, s.StartsAt, s.EndsAt, s.Status, w.date, w.start, w.end)
		}
	}
	o := f.tn.Do(t, http.MethodGet, "/v1/orders/"+id, f.cust, nil).Expect(t, http.StatusOK).Map(t)
	if o["status"] != "accepted" || o["organiser_id"] != f.organiser {
		t.Errorf("order after acceptance: %v", o)
	}
	// The date filters are local dates, inclusive.
	if n := len(f.shifts(t, f.coord, "order_id="+id+"&from=2026-10-23&to=2026-10-26")); n != 2 {
		t.Errorf("from/to filter: %d shifts, want 2", n)
	}
}

// A 22:00–06:00 shift ends the next morning.
func TestOvernightShift(t *testing.T) {
	f := newOrdFixture(t, "2026-10-01T09:00:00Z")
	id := f.accepted(t, map[string]any{"kind": "once", "date": "2026-10-10", "start_time": "22:00", "end_time": "06:00"})
	got := f.shifts(t, f.coord, "order_id="+id)
	if len(got) != 1 || got[0].Date != "2026-10-10" || got[0].StartsAt != "2026-10-10T19:00:00Z" || got[0].EndsAt != "2026-10-11T03:00:00Z" {
		t.Fatalf("overnight shift: %+v", got)
	}
}

// The horizon of an open-ended order moves with the clock; extending it is
// idempotent, run twice, by two goroutines at once, or through the job.
func TestShiftHorizonExtendsIdempotently(t *testing.T) {
	f := newOrdFixture(t, "2026-10-01T09:00:00Z") // a Thursday
	id := f.accepted(t, weekly([]int{1}, "08:00", "12:00", "2026-10-05", nil))
	count := func(want int) {
		t.Helper()
		f.login(t)
		got := f.shifts(t, f.coord, "order_id="+id)
		if len(got) != want {
			t.Fatalf("%d shifts, want %d", len(got), want)
		}
		seen := map[string]bool{}
		for _, s := range got {
			if seen[s.Date] {
				t.Fatalf("shift on %s twice", s.Date)
			}
			seen[s.Date] = true
		}
	}
	count(8) // Mondays 2026-10-05 … 2026-11-23, within 8 weeks of 2026-10-01

	s := f.tn.S
	ordClock(t, s, "2026-10-15T09:00:00Z") // horizon to 2026-12-10
	for range 2 {
		if _, err := s.Main.Staffing.ExtendHorizon(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	count(10)

	ordClock(t, s, "2026-10-22T09:00:00Z") // horizon to 2026-12-17
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Main.Staffing.ExtendHorizon(context.Background())
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	count(11)

	ordClock(t, s, "2026-10-29T09:00:00Z") // horizon to 2026-12-24
	s.Do(t, Request{Method: http.MethodPost, Path: "/dev/jobs/shift-horizon/run"}).Expect(t, http.StatusOK)
	count(12)

	// A completed order is extended no more, and its future shifts are cancelled.
	f.tn.Do(t, http.MethodPost, "/v1/orders/"+id+"/complete", f.coord, nil).Expect(t, http.StatusOK)
	ordClock(t, s, "2026-11-05T09:00:00Z")
	if _, err := s.Main.Staffing.ExtendHorizon(context.Background()); err != nil {
		t.Fatal(err)
	}
	count(12)
	for _, sh := range f.shifts(t, f.coord, "order_id="+id) {
		if want := map[bool]string{true: "open", false: "cancelled"}[sh.Date < "2026-10-29"]; sh.Status != want {
			t.Errorf("shift %s is %s after completion on 2026-10-29, want %s", sh.Date, sh.Status, want)
		}
	}
}

// A customer's cancellation inside the agreement's window (48 h) is a
// billable late cancellation; outside it, or by a coordinator, it is not.
func TestLateCancellation(t *testing.T) {
	f := newOrdFixture(t, "2026-10-01T09:00:00Z")
	id := f.accepted(t, weekly([]int{1, 2, 3, 4, 5}, "08:00", "12:00", "2026-10-05", "2026-10-09"))
	byDate := func() map[string]ordShift {
		m := map[string]ordShift{}
		for _, s := range f.shifts(t, f.coord, "order_id="+id) {
			m[s.Date] = s
		}
		return m
	}
	sh := byDate()
	ordClock(t, f.tn.S, "2026-10-04T09:00:00Z") // Monday's shift starts in 20 h
	f.login(t)
	cancel := func(token, date string) *Response {
		return f.tn.Do(t, http.MethodPost, "/v1/shifts/"+sh[date].ID+"/cancel", token, map[string]any{"reason": "no work that day"})
	}
	if late := cancel(f.cust, "2026-10-05").Expect(t, http.StatusOK).Map(t)["late_cancellation"]; late != true {
		t.Errorf("customer inside the window: late_cancellation %v, want true", late)
	}
	if late := cancel(f.cust, "2026-10-08").Expect(t, http.StatusOK).Map(t)["late_cancellation"]; late != false {
		t.Errorf("customer outside the window: late_cancellation %v, want false", late)
	}
	if late := cancel(f.coord, "2026-10-06").Expect(t, http.StatusOK).Map(t)["late_cancellation"]; late != false {
		t.Errorf("coordinator inside the window: late_cancellation %v, want false", late)
	}
	if r := cancel(f.cust, "2026-10-05").Expect(t, http.StatusConflict); problemCode(t, r) != "invalid_transition" {
		t.Errorf("cancel a cancelled shift: code %q", problemCode(t, r))
	}
	f.tn.Do(t, http.MethodPost, "/v1/shifts/"+sh["2026-10-07"].ID+"/cancel", f.cust, map[string]any{"reason": " "}).
		Expect(t, http.StatusUnprocessableEntity)

	ordClock(t, f.tn.S, "2026-10-07T06:00:00Z") // Wednesday's shift started at 05:00 UTC
	f.login(t)
	if r := cancel(f.coord, "2026-10-07").Expect(t, http.StatusConflict); problemCode(t, r) != "shift_started" {
		t.Errorf("cancel a started shift: code %q", problemCode(t, r))
	}
	// Cancelling the order cancels the shifts that have not started:
	// Friday's, 47 h ahead, is late.
	f.tn.Do(t, http.MethodPost, "/v1/orders/"+id+"/cancel", f.cust, map[string]any{"reason": "budget cut"}).Expect(t, http.StatusOK)
	after := byDate()
	for date, want := range map[string]struct {
		status string
		late   bool
	}{"2026-10-05": {"cancelled", true}, "2026-10-06": {"cancelled", false}, "2026-10-07": {"open", false},
		"2026-10-08": {"cancelled", false}, "2026-10-09": {"cancelled", true}} {
		if s := after[date]; s.Status != want.status || s.LateCancellation != want.late {
			t.Errorf("%s: %s late=%v, want %s late=%v", date, s.Status, s.LateCancellation, want.status, want.late)
		}
	}
}

// Bad input answers 4xx naming the field, and writes nothing.
func TestOrderBadInput(t *testing.T) {
	f := newOrdFixture(t, "2026-10-01T09:00:00Z")
	once := func(date, start, end string) map[string]any {
		return map[string]any{"kind": "once", "date": date, "start_time": start, "end_time": end}
	}
	withCrew := func(n int) map[string]any {
		b := f.orderBody(once("2026-10-10", "08:00", "12:00"))
		b["crew_size"] = n
		return b
	}
	noStart := f.orderBody(once("2026-10-10", "08:00", "12:00"))
	delete(noStart["schedule"].(map[string]any), "start_time")
	for name, c := range map[string]struct {
		body    map[string]any
		pointer string
	}{
		"end equals start": {f.orderBody(once("2026-10-10", "08:00", "08:00")), "/schedule/end_time"},
		"empty weekdays":   {f.orderBody(weekly([]int{}, "08:00", "12:00", "2026-10-05", nil)), "/schedule/weekdays"},
		"crew size 0":      {withCrew(0), "/crew_size"},
		"crew size 51":     {withCrew(51), "/crew_size"},
		"date in the past": {f.orderBody(once("2026-09-30", "08:00", "12:00")), "/schedule/date"},
		"first date past":  {f.orderBody(weekly([]int{1}, "08:00", "12:00", "2026-09-28", nil)), "/schedule/first_date"},
		"no start time":    {noStart, "/schedule/start_time"},
		"unknown field":    {map[string]any{"task_type_id": f.taskType, "price": 1}, "/price"},
	} {
		r := f.tn.Do(t, http.MethodPost, "/v1/orders", f.cust, c.body).Expect(t, http.StatusUnprocessableEntity)
		if p := firstPointer(t, r); p != c.pointer {
			t.Errorf("%s: pointer %q, want %q: %s", name, p, c.pointer, r.Body)
		}
	}
	// A customer user ordering for another customer finds no such customer.
	other := f.tn.Customer(t, "internal")
	b := f.orderBody(once("2026-10-10", "08:00", "12:00"))
	b["customer_id"] = other
	f.tn.Do(t, http.MethodPost, "/v1/orders", f.cust, b).Expect(t, http.StatusNotFound)
	// A coordinator must name a customer.
	f.tn.Do(t, http.MethodPost, "/v1/orders", f.coord, f.orderBody(once("2026-10-10", "08:00", "12:00"))).Expect(t, http.StatusUnprocessableEntity)
	if n := f.rows(t, "orders"); n != 0 {
		t.Fatalf("%d orders written by bad requests", n)
	}

	// Accepting with another tenant's organiser or a customer organization.
	id := f.order(t, once("2026-10-10", "08:00", "12:00"))
	foreign := NewTenant(t).Organiser(t, 500)
	for _, org := range []string{foreign, other, ""} {
		r := f.tn.Do(t, http.MethodPost, "/v1/orders/"+id+"/accept", f.coord, map[string]any{"organiser_id": org}).Expect(t, http.StatusUnprocessableEntity)
		if p := firstPointer(t, r); p != "/organiser_id" {
			t.Errorf("accept with %q: pointer %q", org, p)
		}
	}
	if n := f.rows(t, "shifts"); n != 0 {
		t.Fatalf("%d shifts written by refused acceptances", n)
	}
	// Without an agreement on the first shift's date nothing can be priced.
	b["customer_id"] = other
	r := f.tn.Do(t, http.MethodPost, "/v1/orders", f.coord, b).Expect(t, http.StatusCreated)
	noAgreement := r.Map(t)["id"].(string)
	r = f.tn.Do(t, http.MethodPost, "/v1/orders/"+noAgreement+"/accept", f.coord, map[string]any{"organiser_id": f.organiser}).Expect(t, http.StatusConflict)
	if problemCode(t, r) != "no_agreement" {
		t.Errorf("accept without agreement: %s", r.Body)
	}
	if st := f.tn.Do(t, http.MethodGet, "/v1/orders/"+noAgreement, f.coord, nil).Map(t)["status"]; st != "submitted" {
		t.Errorf("refused acceptance left the order %v", st)
	}
}

// Only the lifecycle's transitions are allowed; every other answers 409
// invalid_transition.
func TestOrderTransitions(t *testing.T) {
	f := newOrdFixture(t, "2026-10-01T09:00:00Z")
	once := map[string]any{"kind": "once", "date": "2026-10-10", "start_time": "08:00", "end_time": "12:00"}
	act := func(id, action, token string, body any) *Response {
		return f.tn.Do(t, http.MethodPost, "/v1/orders/"+id+"/"+action, token, body)
	}
	accept := map[string]any{"organiser_id": f.organiser}
	reason := map[string]any{"reason": "no crew available"}

	rejected := f.order(t, once)
	act(rejected, "reject", f.coord, map[string]any{"reason": ""}).Expect(t, http.StatusUnprocessableEntity)
	if r := act(rejected, "reject", f.coord, reason).Expect(t, http.StatusOK).Map(t); r["reject_reason"] != "no crew available" {
		t.Errorf("rejected order: %v", r)
	}
	accepted := f.accepted(t, once)
	completed := f.accepted(t, once)
	act(completed, "complete", f.coord, nil).Expect(t, http.StatusOK)
	submitted := f.order(t, once)
	cancelled := f.order(t, once)
	act(cancelled, "cancel", f.cust, reason).Expect(t, http.StatusOK)

	for _, c := range []struct {
		id, action string
		body       any
	}{
		{rejected, "accept", accept}, {rejected, "cancel", reason}, {rejected, "complete", nil},
		{accepted, "accept", accept}, {accepted, "reject", reason},
		{completed, "cancel", reason}, {completed, "complete", nil},
		{submitted, "complete", nil},
		{cancelled, "accept", accept}, {cancelled, "cancel", reason},
	} {
		r := act(c.id, c.action, f.coord, c.body).Expect(t, http.StatusConflict)
		if problemCode(t, r) != "invalid_transition" {
			t.Errorf("%s: %s", c.action, r.Body)
		}
	}
	// Roles: a customer may cancel but not accept, reject or complete.
	for _, action := range []string{"accept", "reject", "complete"} {
		act(submitted, action, f.cust, accept).Expect(t, http.StatusForbidden)
	}
	act(submitted, "cancel", f.cust, reason).Expect(t, http.StatusOK)
}

func TestAgreementRules(t *testing.T) {
	f := newOrdFixture(t, "2026-10-01T09:00:00Z")
	// The fixture's agreement runs from 2026-01-01 until further notice.
	r := f.agreement(t, f.customer, "2027-01-01", nil, 24).Expect(t, http.StatusConflict)
	if problemCode(t, r) != "overlapping_agreement" {
		t.Errorf("overlap: %s", r.Body)
	}
	pb := f.tn.Do(t, http.MethodPost, "/v1/organizations", f.tn.AdminToken, map[string]any{"kind": "customer", "name": "City of Vantaa",
		"business_id": "0124610-9", "vat_treatment": "internal", "sector": "public", "public_buyer": true}).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	body := map[string]any{"customer_id": pb, "participant_hour_price_cents": 2500, "supervisor_hour_price_cents": 4500,
		"minimum_billable_minutes": 120, "late_cancellation_window_hours": 24, "late_cancellation_fee_cents": 10000,
		"payment_term_days": 45, "employment_model": "subcontracting", "valid_from": "2026-01-01", "valid_until": "2026-06-30"}
	r = f.tn.Do(t, http.MethodPost, "/v1/agreements", f.coord, body).Expect(t, http.StatusUnprocessableEntity)
	if p := firstPointer(t, r); p != "/payment_term_days" {
		t.Errorf("public buyer 45 days: %s", r.Body)
	}
	body["payment_term_days"] = 31 // one over the public buyer's 30
	f.tn.Do(t, http.MethodPost, "/v1/agreements", f.coord, body).Expect(t, http.StatusUnprocessableEntity)
	body["payment_term_days"], body["valid_until"] = 30, "2025-12-31"
	r = f.tn.Do(t, http.MethodPost, "/v1/agreements", f.coord, body).Expect(t, http.StatusUnprocessableEntity)
	if p := firstPointer(t, r); p != "/valid_until" {
		t.Errorf("until before from: %s", r.Body)
	}
	if n := f.rows(t, "agreements"); n != 1 {
		t.Fatalf("%d agreements after refused ones, want 1", n)
	}
	// Consecutive versions are fine, and finance may manage them too.
	finance := f.tn.Login(t, ordUser(t, f.tn, "finance", ""))
	body["valid_until"] = "2026-06-30"
	first := f.tn.Do(t, http.MethodPost, "/v1/agreements", finance, body).Expect(t, http.StatusCreated).Map(t)
	body["valid_from"], body["valid_until"] = "2026-07-01", nil
	f.tn.Do(t, http.MethodPost, "/v1/agreements", finance, body).Expect(t, http.StatusCreated)
	body["valid_from"] = "2026-06-30"
	f.tn.Do(t, http.MethodPost, "/v1/agreements", finance, body).Expect(t, http.StatusConflict)
	got := f.tn.Do(t, http.MethodGet, "/v1/agreements/"+first["id"].(string), finance, nil).Expect(t, http.StatusOK).Map(t)
	if got["valid_until"] != "2026-06-30" || got["payment_term_days"] != float64(30) {
		t.Errorf("agreement: %v", got)
	}
	var page struct {
		Items []map[string]any `json:"items"`
	}
	f.tn.Do(t, http.MethodGet, "/v1/agreements?customer_id="+pb, finance, nil).Expect(t, http.StatusOK).Decode(t, &page)
	if len(page.Items) != 2 {
		t.Errorf("%d agreements of the public buyer, want 2", len(page.Items))
	}
	f.tn.Do(t, http.MethodGet, "/v1/agreements", f.cust, nil).Expect(t, http.StatusForbidden)
	f.tn.Do(t, http.MethodPost, "/v1/agreements", f.cust, body).Expect(t, http.StatusForbidden)
}

// Customers see their own orders and shifts only; supervisors their
// organiser's shifts; another tenant nothing.
func TestShiftVisibility(t *testing.T) {
	f := newOrdFixture(t, "2026-10-01T09:00:00Z")
	once := map[string]any{"kind": "once", "date": "2026-10-10", "start_time": "08:00", "end_time": "12:00"}
	mine := f.accepted(t, once)

	other := f.tn.Customer(t, "standard")
	f.agreement(t, other, "2026-01-01", nil, 24).Expect(t, http.StatusCreated)
	otherTok := f.tn.Login(t, ordUser(t, f.tn, "customer", other))
	r := f.tn.Do(t, http.MethodPost, "/v1/orders", otherTok, f.orderBody(once)).Expect(t, http.StatusCreated)
	theirs := r.Map(t)["id"].(string)
	f.tn.Do(t, http.MethodPost, "/v1/orders/"+theirs+"/accept", f.coord, map[string]any{"organiser_id": f.organiser}).Expect(t, http.StatusOK)
	theirShift := f.shifts(t, f.coord, "order_id="+theirs)[0].ID

	for _, s := range f.shifts(t, f.cust, "") {
		if s.OrderID != mine || s.CustomerID != f.customer {
			t.Errorf("customer sees shift %+v of another customer", s)
		}
	}
	if n := len(f.shifts(t, f.cust, "")); n != 1 {
		t.Errorf("customer sees %d shifts, want 1", n)
	}
	if n := len(f.shifts(t, f.cust, "order_id="+theirs)); n != 0 {
		t.Errorf("customer filtering by another's order sees %d shifts", n)
	}
	f.tn.Do(t, http.MethodGet, "/v1/shifts/"+theirShift, f.cust, nil).Expect(t, http.StatusNotFound)
	f.tn.Do(t, http.MethodGet, "/v1/orders/"+theirs, f.cust, nil).Expect(t, http.StatusNotFound)
	f.tn.Do(t, http.MethodPost, "/v1/orders/"+theirs+"/cancel", f.cust, map[string]any{"reason": "x"}).Expect(t, http.StatusNotFound)
	f.tn.Do(t, http.MethodPost, "/v1/shifts/"+theirShift+"/cancel", f.cust, map[string]any{"reason": "x"}).Expect(t, http.StatusNotFound)
	var orders struct {
		Items []map[string]any `json:"items"`
	}
	f.tn.Do(t, http.MethodGet, "/v1/orders", f.cust, nil).Expect(t, http.StatusOK).Decode(t, &orders)
	if len(orders.Items) != 1 || orders.Items[0]["id"] != mine {
		t.Errorf("customer lists orders %v", orders.Items)
	}

	// The organiser's supervisor sees both shifts; another organiser's none.
	sup := f.tn.Login(t, ordUser(t, f.tn, "supervisor", f.organiser))
	if n := len(f.shifts(t, sup, "")); n != 2 {
		t.Errorf("supervisor sees %d shifts, want 2", n)
	}
	otherSup := f.tn.Login(t, ordUser(t, f.tn, "supervisor", f.tn.Organiser(t, 0)))
	if n := len(f.shifts(t, otherSup, "")); n != 0 {
		t.Errorf("another organiser's supervisor sees %d shifts", n)
	}
	f.tn.Do(t, http.MethodGet, "/v1/shifts/"+theirShift, otherSup, nil).Expect(t, http.StatusNotFound)
	f.tn.Do(t, http.MethodPost, "/v1/orders", sup, f.orderBody(once)).Expect(t, http.StatusForbidden)

	// Another tenant's staff find nothing.
	stranger := NewTenant(t)
	strangerTok := stranger.Login(t, ordUser(t, stranger, "coordinator", ""))
	stranger.Do(t, http.MethodGet, "/v1/shifts/"+theirShift, strangerTok, nil).Expect(t, http.StatusNotFound)
	stranger.Do(t, http.MethodGet, "/v1/orders/"+theirs, strangerTok, nil).Expect(t, http.StatusNotFound)
	if n := len(f.shifts(t, strangerTok, "")); n != 0 {
		t.Errorf("another tenant sees %d shifts", n)
	}
	// Bad filters are named.
	for q, p := range map[string]string{"from=2026-13-01": "/from", "status=done": "/status", "cursor=!!": "/cursor"} {
		want := http.StatusUnprocessableEntity
		if p == "/cursor" {
			want = http.StatusBadRequest // not a cursor this list returned
		}
		r := f.tn.Do(t, http.MethodGet, "/v1/shifts?"+q, f.coord, nil).Expect(t, want)
		if got := firstPointer(t, r); got != p {
			t.Errorf("%s: pointer %q, want %q", q, got, p)
		}
	}
}

// Concurrent requests cannot break the rules: of overlapping agreement
// versions and of acceptances of one order, exactly one wins.
func TestOrderingUnderConcurrency(t *testing.T) {
	f := newOrdFixture(t, "2026-10-01T09:00:00Z")
	customer := f.tn.Customer(t, "exempt")
	const n = 8
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = f.agreement(t, customer, fmt.Sprintf("2026-%02d-01", i+1), nil, 24).Status
		}()
	}
	wg.Wait()
	if created := countStatus(statuses, http.StatusCreated); created != 1 || countStatus(statuses, http.StatusConflict) != n-1 {
		t.Errorf("overlapping agreements at once: %v, want one 201 and the rest 409", statuses)
	}

	id := f.order(t, weekly([]int{1, 3, 5}, "08:00", "12:00", "2026-10-05", "2026-10-30"))
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = f.tn.Do(t, http.MethodPost, "/v1/orders/"+id+"/accept", f.coord, map[string]any{"organiser_id": f.organiser}).Status
		}()
	}
	wg.Wait()
	if countStatus(statuses, http.StatusOK) != 1 || countStatus(statuses, http.StatusConflict) != n-1 {
		t.Errorf("acceptances at once: %v, want one 200 and the rest 409", statuses)
	}
	if got := len(f.shifts(t, f.coord, "order_id="+id)); got != 12 {
		t.Errorf("%d shifts, want 12", got)
	}
}

func countStatus(statuses []int, status int) int {
	n := 0
	for _, s := range statuses {
		if s == status {
			n++
		}
	}
	return n
}
