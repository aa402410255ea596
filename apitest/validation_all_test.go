package apitest

import (
	"net/http"
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
	everyProblem(t, f.tn.Do(t, http.MethodPost, "/v1/orders", f.cust, body),
		"/price", "/crew_size", "/schedule/start_time", "/task_type_id", "/site_address", "/schedule/date")
	if n := f.rows(t, "orders"); n != 0 {
		t.Errorf("%d orders written", n)
	}
	// A missing schedule is one problem, not one per schedule field.
	delete(body, "schedule")
	var p struct {
		Errors []struct{ Pointer, Detail string }
	}
	f.tn.Do(t, http.MethodPost, "/v1/orders", f.cust, body).Expect(t, http.StatusUnprocessableEntity).Decode(t, &p)
	for _, e := range p.Errors {
		if len(e.Pointer) > len("/schedule/") && e.Pointer[:len("/schedule/")] == "/schedule/" {
			t.Errorf("a missing schedule also reports %s", e.Pointer)
		}
	}
}
