package apitest

import (
	"net/http"
	"testing"
)

// Shifts filter by timesheet status; a status outside the vocabulary is a
// 422 naming the parameter.
func TestShiftsFilterByTimesheetStatus(t *testing.T) {
	c := newCrewedShift(t)
	c.at(t, "2026-11-10T11:00:00Z")
	c.record(t, c.supervisor, c.entries()).Expect(t, http.StatusOK)
	count := func(status string) int {
		return len(c.tn.Do(t, http.MethodGet, "/v1/shifts?timesheet_status="+status, c.coord, nil).Expect(t, http.StatusOK).Map(t)["items"].([]any))
	}
	if n := count("draft"); n != 1 {
		t.Errorf("%d draft timesheets, want 1", n)
	}
	c.step(t, c.supervisor, "submit", nil).Expect(t, http.StatusOK)
	if d, s := count("draft"), count("submitted"); d != 0 || s != 1 {
		t.Errorf("after submit: %d draft, %d submitted", d, s)
	}
	if n := count("approved"); n != 0 {
		t.Errorf("%d approved", n)
	}
	c.tn.Do(t, http.MethodGet, "/v1/shifts?timesheet_status=done", c.coord, nil).Expect(t, http.StatusUnprocessableEntity)
}

// Invoices filter by customer and by what credit notes did to them.
func TestInvoicesFilterByCustomerAndStatus(t *testing.T) {
	w := newBillingWorld(t)
	run := w.run(t, false, http.StatusCreated)
	std := run.invoiceOf(t, w.standard)
	var note struct {
		ID string `json:"id"`
	}
	w.do(t, "finance", "POST", "/v1/invoices/"+std+"/credit-note", map[string]any{"lines": []int{1}}).Expect(t, http.StatusCreated).Decode(t, &note)
	ids := func(query string) []string {
		var page struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		w.do(t, "finance", "GET", "/v1/invoices?"+query, nil).Expect(t, http.StatusOK).Decode(t, &page)
		var out []string
		for _, it := range page.Items {
			out = append(out, it.ID)
		}
		return out
	}
	if got := ids("customer_id=" + w.standard); len(got) != 2 {
		t.Errorf("the standard customer's invoices and notes: %v", got)
	}
	if got := ids("status=credited"); len(got) != 1 || got[0] != std {
		t.Errorf("credited: %v, want [%s]", got, std)
	}
	if got := ids("status=credit_note"); len(got) != 1 || got[0] != note.ID {
		t.Errorf("credit notes: %v, want [%s]", got, note.ID)
	}
	open := ids("status=open")
	if len(open) != len(run.Invoices)-1 {
		t.Errorf("open: %v of %d invoices", open, len(run.Invoices))
	}
	for _, id := range open {
		if id == std || id == note.ID {
			t.Errorf("open lists %s", id)
		}
	}
	if got := ids("status=open&customer_id=" + w.standard); len(got) != 0 {
		t.Errorf("open invoices of the credited customer: %v", got)
	}
	w.do(t, "finance", "GET", "/v1/invoices?status=paid", nil).Expect(t, http.StatusUnprocessableEntity)
}
