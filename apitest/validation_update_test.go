package apitest

import (
	"net/http"
	"slices"
	"testing"
)

// everyProblem checks a 422 lists each wanted pointer, and each pointer once.
func everyProblem(t *testing.T, r *Response, want ...string) {
	t.Helper()
	r.Expect(t, http.StatusUnprocessableEntity)
	var p struct {
		Errors []struct{ Pointer, Detail string }
	}
	r.Decode(t, &p)
	var got []string
	for _, e := range p.Errors {
		got = append(got, e.Pointer)
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("errors %+v lack %s", p.Errors, w)
		}
	}
	slices.Sort(got)
	if len(slices.Compact(got)) != len(p.Errors) {
		t.Errorf("a field is reported twice: %+v", p.Errors)
	}
}

// The PATCH routes of organizations and participants answer one 422 with
// every problem of a body (wrong types and unknown fields beside the rules'
// findings) and change nothing.
func TestPatchRoutesListEveryProblem(t *testing.T) {
	f := newOrdFixture(t, "2026-10-01T09:00:00Z")
	participant := f.tn.Do(t, http.MethodPost, "/v1/participants", f.coord, map[string]any{"organiser_id": f.organiser,
		"first_name": "Aino", "last_name": "Virtanen", "iban": "FI2112345600000785"}).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	cases := []struct {
		name, path string
		body       map[string]any
		want       []string
	}{
		{"organization", "/v1/organizations/" + f.customer,
			map[string]any{"name": " ", "business_id": "123", "coordination_fee_bps": "ten", "colour": "red"},
			[]string{"/coordination_fee_bps", "/colour", "/name", "/business_id"}},
		{"participant", "/v1/participants/" + participant,
			map[string]any{"first_name": " ", "last_name": 7, "iban": "FI00", "employment_start_date": "soon", "nickname": "Ai"},
			[]string{"/last_name", "/nickname", "/first_name", "/iban", "/employment_start_date"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := f.tn.Do(t, http.MethodGet, c.path, f.tn.AdminToken, nil).Expect(t, http.StatusOK).Map(t)
			r := f.tn.S.Do(t, Request{Method: http.MethodPatch, Path: c.path, Token: f.tn.AdminToken, Body: c.body,
				Header: map[string]string{"If-Match": `"1"`}})
			everyProblem(t, r, c.want...)
			// Without If-Match the body's own problems are still the answer.
			everyProblem(t, f.tn.Do(t, http.MethodPatch, c.path, f.tn.AdminToken, c.body), c.want[:2]...)
			after := f.tn.Do(t, http.MethodGet, c.path, f.tn.AdminToken, nil).Expect(t, http.StatusOK).Map(t)
			if after["version"] != before["version"] || after["name"] != before["name"] || after["first_name"] != before["first_name"] {
				t.Errorf("changed: %v → %v", before, after)
			}
		})
	}
}

// PUT time-entries answers one 422 with the problems inside the entries
// (a wrong type, an unknown field, a malformed time) together with the
// timesheet's rules, and records nothing.
func TestRecordHoursListsEveryProblem(t *testing.T) {
	c := newCrewedShift(t)
	c.at(t, "2026-11-10T11:00:00Z")
	body := map[string]any{"entries": []map[string]any{
		{"assignment_id": c.assignA, "start_time": "8am", "end_time": "12:00"},
		{"assignment_id": c.assignB, "absence": "holiday", "mood": "grumpy"},
		{"assignment_id": c.sup, "start_time": "07:45", "end_time": "12:15", "break_minutes": "long"},
	}}
	everyProblem(t, c.record(t, c.supervisor, body),
		"/entries/0/start_time", "/entries/1/mood", "/entries/1/absence", "/entries/2/break_minutes")
	if n := c.rows(t, "time_entries"); n != 0 {
		t.Errorf("%d time entries recorded", n)
	}
	if s := c.tn.Do(t, http.MethodGet, "/v1/shifts/"+c.shift, c.coord, nil).Expect(t, http.StatusOK).Map(t); s["timesheet_status"] != nil {
		t.Errorf("timesheet %v", s["timesheet_status"])
	}
	// The same body put right is recorded.
	body["entries"].([]map[string]any)[0]["start_time"] = "08:00"
	delete(body["entries"].([]map[string]any)[1], "mood")
	body["entries"].([]map[string]any)[1]["absence"] = "sick"
	body["entries"].([]map[string]any)[2]["break_minutes"] = 15
	c.record(t, c.supervisor, body).Expect(t, http.StatusOK)
}
