package apitest

import (
	"net/http"
	"strings"
	"testing"
)

// crewedShift is a shift on Tuesday 2026-11-10 08:00–12:00 Helsinki with two
// participants and a supervisor, and the supervisor's token.
type crewedShift struct {
	*staffFixture
	shift                  string
	assignA, assignB, sup  string
	supervisor, supEmail   string
	participantA, particiB string
}

func newCrewedShift(t *testing.T) *crewedShift {
	t.Helper()
	f := newStaffFixture(t)
	c := &crewedShift{staffFixture: f, shift: f.shiftsOf(t, 2, once("2026-11-10", "08:00", "12:00"))[0]}
	c.participantA, c.particiB = f.participant(t, rehab("2026-01-01", "")), f.participant(t, rehab("2026-01-01", ""))
	c.supEmail = ordUser(t, f.tn, "supervisor", f.organiser)
	c.supervisor = f.tn.Login(t, c.supEmail)
	supID := f.tn.Do(t, http.MethodGet, "/v1/me", c.supervisor, nil).Map(t)["id"].(string)
	c.assignA = f.assign(t, f.coord, c.shift, map[string]any{"participant_id": c.participantA}).Expect(t, 201).Map(t)["assignment_id"].(string)
	c.assignB = f.assign(t, f.coord, c.shift, map[string]any{"participant_id": c.particiB}).Expect(t, 201).Map(t)["assignment_id"].(string)
	c.sup = f.assign(t, c.supervisor, c.shift, map[string]any{"supervisor_id": supID}).Expect(t, 201).Map(t)["assignment_id"].(string)
	return c
}

// at moves the clock and logs everyone in again.
func (c *crewedShift) at(t *testing.T, now string) {
	t.Helper()
	ordClock(t, c.tn.S, now)
	c.login(t)
	c.tn.Relogin(t)
	c.supervisor = c.tn.Login(t, c.supEmail)
}

func (c *crewedShift) entries() map[string]any {
	return map[string]any{"entries": []map[string]any{
		{"assignment_id": c.assignA, "start_time": "08:00", "end_time": "12:00", "break_minutes": 30},
		{"assignment_id": c.assignB, "absence": "sick", "note": "Aino Virtanen called in with the flu"},
		{"assignment_id": c.sup, "start_time": "07:45", "end_time": "12:15"},
	}}
}

func (c *crewedShift) record(t *testing.T, token string, body any) *Response {
	t.Helper()
	return c.tn.Do(t, http.MethodPut, "/v1/shifts/"+c.shift+"/time-entries", token, body)
}

func (c *crewedShift) step(t *testing.T, token, action string, body any) *Response {
	t.Helper()
	return c.tn.Do(t, http.MethodPost, "/v1/shifts/"+c.shift+"/"+action, token, body)
}

func TestHoursCycleWithDisputeAndCorrection(t *testing.T) {
	c := newCrewedShift(t)
	if code := problemCode(t, c.record(t, c.supervisor, c.entries()).Expect(t, 409)); code != "shift_not_started" {
		t.Fatalf("recording before the start: %s", code)
	}
	c.at(t, "2026-11-10T11:00:00Z")
	got := c.record(t, c.supervisor, c.entries()).Expect(t, 200).Map(t)["items"].([]any)
	if len(got) != 3 || got[0].(map[string]any)["worked_minutes"] != float64(210) || got[2].(map[string]any)["worked_minutes"] != float64(270) ||
		got[1].(map[string]any)["note"] != "Aino Virtanen called in with the flu" {
		t.Fatalf("entries %v", got)
	}
	c.step(t, c.cust, "approve", nil).Expect(t, 409) // a draft cannot be approved
	if s := c.step(t, c.supervisor, "submit", nil).Expect(t, 200).Map(t); s["timesheet_status"] != "submitted" || s["status"] != "completed" {
		t.Fatalf("after submit %v / %v", s["timesheet_status"], s["status"])
	}
	c.step(t, c.supervisor, "submit", nil).Expect(t, 409)
	c.record(t, c.supervisor, c.entries()).Expect(t, 409) // submitted hours wait for the customer

	otherCustomer := c.tn.Customer(t, "standard")
	_, otherCust := c.tn.User(t, "customer", otherCustomer)
	c.step(t, otherCust, "approve", nil).Expect(t, 404)
	c.step(t, c.cust, "dispute", map[string]any{"reason": " "}).Expect(t, 422)
	if s := c.step(t, c.cust, "dispute", map[string]any{"reason": "Aino left at 11"}).Expect(t, 200).Map(t); s["timesheet_status"] != "disputed" {
		t.Fatalf("after dispute %v", s["timesheet_status"])
	}
	corrected := c.entries()
	corrected["entries"].([]map[string]any)[0]["end_time"] = "11:00"
	c.record(t, c.supervisor, corrected).Expect(t, 200)
	c.step(t, c.supervisor, "submit", nil).Expect(t, 200)
	if s := c.step(t, c.cust, "approve", nil).Expect(t, 200).Map(t); s["timesheet_status"] != "approved" || s["timesheet_auto_approved"] != false {
		t.Fatalf("after approval %v", s)
	}
	c.step(t, c.cust, "approve", nil).Expect(t, 409)

	// Customers see the entries by pseudonym only.
	view := c.tn.Do(t, http.MethodGet, "/v1/shifts/"+c.shift+"/time-entries", c.cust, nil).Expect(t, 200)
	for _, secret := range []string{"Aino", "Virtanen", c.participantA} {
		if strings.Contains(string(view.Body), secret) {
			t.Errorf("customer's time entries contain %q", secret)
		}
	}
	if first := view.Map(t)["items"].([]any)[0].(map[string]any); first["worked_minutes"] != float64(150) || first["pseudonym"] == "" {
		t.Errorf("corrected entry %v", first)
	}

	// The shift carries the same entries, one shift alone and in a list;
	// the customer's copy hides who the participants are as well.
	custShift := c.tn.Do(t, http.MethodGet, "/v1/shifts/"+c.shift, c.cust, nil).Expect(t, 200)
	for _, secret := range []string{"Aino", "Virtanen", c.participantA} {
		if strings.Contains(string(custShift.Body), secret) {
			t.Errorf("customer's shift contains %q", secret)
		}
	}
	orderID := custShift.Map(t)["order_id"].(string)
	listed := c.tn.Do(t, http.MethodGet, "/v1/shifts?order_id="+orderID, c.coord, nil).Expect(t, 200).Map(t)["items"].([]any)
	for _, shift := range []map[string]any{custShift.Map(t), listed[0].(map[string]any)} {
		entries := shift["time_entries"].([]any)
		if len(entries) != 3 {
			t.Fatalf("shift has %d time entries, want 3", len(entries))
		}
		first, sick := entries[0].(map[string]any), entries[1].(map[string]any)
		if first["assignment_id"] != c.assignA || first["worked_minutes"] != float64(150) || sick["absence"] != "sick" {
			t.Errorf("shift's entries %v", entries)
		}
	}
	if id := listed[0].(map[string]any)["time_entries"].([]any)[0].(map[string]any)["participant_id"]; id != c.participantA {
		t.Errorf("coordinator sees participant %v in the shift's entries, want %s", id, c.participantA)
	}

	history := c.history(t)
	var actions []string
	for _, e := range history {
		actions = append(actions, e.Action)
		if e.UserID == nil {
			t.Errorf("%s has no user", e.Action)
		}
	}
	if strings.Join(actions, ",") != "recorded,submitted,disputed,corrected,submitted,approved" {
		t.Errorf("history %v", actions)
	}
	_, finance := c.tn.User(t, "finance", "")
	c.tn.Do(t, http.MethodGet, "/v1/shifts/"+c.shift+"/history", finance, nil).Expect(t, 200)
	c.tn.Do(t, http.MethodGet, "/v1/shifts/"+c.shift+"/history", c.cust, nil).Expect(t, 403)
}

func TestTimesheetValidationChangesNothing(t *testing.T) {
	c := newCrewedShift(t)
	c.at(t, "2026-11-10T11:00:00Z")
	entry := func(mod func(m map[string]any)) map[string]any {
		b := c.entries()
		mod(b["entries"].([]map[string]any)[0])
		return b
	}
	cases := map[string]struct {
		body    any
		pointer string
	}{
		"end equals start": {entry(func(m map[string]any) { m["end_time"] = "08:00" }), "/entries/0/end_time"},
		"break too long":   {entry(func(m map[string]any) { m["break_minutes"] = 240 }), "/entries/0/break_minutes"},
		// 2^62 minutes overflows a time.Duration to a negative one.
		"break overflows": {entry(func(m map[string]any) { m["break_minutes"] = int64(1) << 62 }), "/entries/0/break_minutes"},
		"bad time":        {entry(func(m map[string]any) { m["start_time"] = "8am" }), "/entries/0/start_time"},
		// 13:00 to 12:30 ends the next day at 12:30, more than 24 h after the
		// planned end at 12:00.
		"beyond 24 h":    {entry(func(m map[string]any) { m["start_time"], m["end_time"] = "13:00", "12:30" }), "/entries/0/end_time"},
		"unknown person": {entry(func(m map[string]any) { m["assignment_id"] = "nobody" }), "/entries/0/assignment_id"},
		"other needs note": {entry(func(m map[string]any) {
			delete(m, "start_time")
			delete(m, "end_time")
			delete(m, "break_minutes")
			m["absence"] = "other"
		}), "/entries/0/note"},
		"not covered": {map[string]any{"entries": c.entries()["entries"].([]map[string]any)[:2]}, "/entries"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r := c.record(t, c.supervisor, tc.body).Expect(t, 422)
			if p := firstPointer(t, r); p != tc.pointer {
				t.Errorf("pointer %q, want %q: %s", p, tc.pointer, r.Body)
			}
		})
	}
	if n := countRows(t, c.tn, "time_entries"); n != 0 {
		t.Fatalf("invalid timesheets wrote %d entries", n)
	}
	c.tn.Do(t, http.MethodPost, "/v1/shifts/"+c.shift+"/cancel", c.coord, map[string]any{"reason": "storm"}).Expect(t, 409) // started
	// A cancelled shift has no hours, even once its time has come.
	other := c.shiftsOf(t, 2, once("2026-11-11", "09:00", "10:00"))[0]
	c.tn.Do(t, http.MethodPost, "/v1/shifts/"+other+"/cancel", c.coord, map[string]any{"reason": "storm"}).Expect(t, 200)
	c.at(t, "2026-11-11T09:00:00Z")
	r := c.tn.Do(t, http.MethodPut, "/v1/shifts/"+other+"/time-entries", c.coord, map[string]any{"entries": []any{}})
	if r.Status != 409 || problemCode(t, r) != "shift_cancelled" {
		t.Errorf("recording on a cancelled shift: %d %s", r.Status, r.Body)
	}
}

func TestAutoApprovalAfterConfiguredDays(t *testing.T) {
	c := newCrewedShift(t)
	c.at(t, "2026-11-10T11:00:00Z")
	c.record(t, c.supervisor, c.entries()).Expect(t, 200)
	c.step(t, c.supervisor, "submit", nil).Expect(t, 200)
	run := func() string {
		return c.tn.S.Do(t, Request{Method: http.MethodPost, Path: "/dev/jobs/auto-approve/run"}).Expect(t, 200).Map(t)["status"].(string)
	}
	// Two days and some hours later the customer still has time.
	c.at(t, "2026-11-13T05:00:00Z")
	run()
	if s := c.staffFixture.shift(t, c.coord, c.shift)["timesheet_status"]; s != "submitted" {
		t.Fatalf("approved too early: %v", s)
	}
	// Three days after submission the nightly job approves it, once per slot.
	c.at(t, "2026-11-14T05:00:00Z")
	if status := run(); status != "succeeded" {
		t.Fatalf("job %s", status)
	}
	if status := run(); status != "skipped" {
		t.Fatalf("second run of the same slot: %s", status)
	}
	s := c.staffFixture.shift(t, c.coord, c.shift)
	if s["timesheet_status"] != "approved" || s["timesheet_auto_approved"] != true {
		t.Fatalf("after the job: %v auto %v", s["timesheet_status"], s["timesheet_auto_approved"])
	}
	history := c.history(t)
	last := history[len(history)-1]
	if last.Action != "auto_approved" || last.UserID != nil {
		t.Errorf("last event %+v", last)
	}
}

func TestRemindersForMissingHoursAndWaitingApprovals(t *testing.T) {
	c := newCrewedShift(t)
	c.at(t, "2026-11-10T12:00:00Z") // the shift ended at 10:00 UTC
	c.tn.S.Do(t, Request{Method: http.MethodPost, Path: "/dev/jobs/reminders/run"}).Expect(t, 200)
	kinds := func(token string) string {
		var page struct {
			Items []struct {
				Kind    string `json:"kind"`
				ShiftID string `json:"shift_id"`
			} `json:"items"`
		}
		c.tn.Do(t, http.MethodGet, "/v1/reminders", token, nil).Expect(t, 200).Decode(t, &page)
		var out []string
		for _, r := range page.Items {
			if r.ShiftID == c.shift {
				out = append(out, r.Kind)
			}
		}
		return strings.Join(out, ",")
	}
	if k := kinds(c.supervisor); k != "hours_missing" {
		t.Fatalf("supervisor reminders %q", k)
	}
	if k := kinds(c.cust); k != "" {
		t.Fatalf("customer reminders before submission %q", k)
	}
	c.record(t, c.supervisor, c.entries()).Expect(t, 200)
	c.step(t, c.supervisor, "submit", nil).Expect(t, 200)
	c.at(t, "2026-11-11T12:00:00Z")
	c.tn.S.Do(t, Request{Method: http.MethodPost, Path: "/dev/jobs/reminders/run"}).Expect(t, 200)
	if k := kinds(c.supervisor); k != "" {
		t.Errorf("supervisor still reminded after recording: %q", k)
	}
	if k := kinds(c.cust); k != "approval_waiting" {
		t.Errorf("customer reminders %q", k)
	}
	c.step(t, c.cust, "approve", nil).Expect(t, 200)
	if k := kinds(c.coord); k != "" {
		t.Errorf("reminders after approval %q", k)
	}
	_, finance := c.tn.User(t, "finance", "")
	// Finance gets only its Incomes Register reminders, none here.
	if r := c.tn.Do(t, http.MethodGet, "/v1/reminders", finance, nil).Expect(t, 200).Map(t); len(r["items"].([]any)) != 0 {
		t.Errorf("finance reminders %v", r)
	}
}

type shiftEvent struct {
	Action string  `json:"action"`
	UserID *string `json:"user_id"`
}

// history is the shift's audit trail as a coordinator reads it.
func (c *crewedShift) history(t *testing.T) []shiftEvent {
	t.Helper()
	var page struct {
		Items []shiftEvent `json:"items"`
	}
	c.tn.Do(t, http.MethodGet, "/v1/shifts/"+c.shift+"/history", c.coord, nil).Expect(t, 200).Decode(t, &page)
	return page.Items
}
