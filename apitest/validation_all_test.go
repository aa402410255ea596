package apitest

import (
	"net/http"
	"slices"
	"testing"
)

// One 422 lists every problem of a request: an unknown field, a value of the
// wrong type, a missing time and the rules' findings together, each field
// once, and nothing is written.
func TestOrderValidationListsEveryProblem(t *testing.T) {
	f := newOrdFixture(t, "2026-10-01T09:00:00Z")
	body := f.orderBody(map[string]any{"kind": "once", "date": "2026-09-30", "end_time": "12:00"})
	body["price"] = 1
	body["site_address"] = " "
	body["crew_size"] = "four"
	body["task_type_id"] = "00000000-0000-4000-8000-000000000000"
	r := f.tn.Do(t, http.MethodPost, "/v1/orders", f.cust, body).Expect(t, http.StatusUnprocessableEntity)
	var p struct {
		Errors []struct{ Pointer, Detail string }
	}
	r.Decode(t, &p)
	var got []string
	for _, e := range p.Errors {
		got = append(got, e.Pointer)
	}
	want := []string{"/price", "/crew_size", "/schedule/start_time", "/task_type_id", "/site_address", "/schedule/date"}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("errors %v lack %s", got, w)
		}
	}
	slices.Sort(got)
	if len(slices.Compact(got)) != len(p.Errors) {
		t.Errorf("a field is reported twice: %+v", p.Errors)
	}
	if n := f.rows(t, "orders"); n != 0 {
		t.Errorf("%d orders written", n)
	}
	// A missing schedule is one problem, not one per schedule field.
	delete(body, "schedule")
	r = f.tn.Do(t, http.MethodPost, "/v1/orders", f.cust, body).Expect(t, http.StatusUnprocessableEntity)
	r.Decode(t, &p)
	for _, e := range p.Errors {
		if len(e.Pointer) > len("/schedule/") && e.Pointer[:len("/schedule/")] == "/schedule/" {
			t.Errorf("a missing schedule also reports %s", e.Pointer)
		}
	}
}
