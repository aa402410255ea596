package apitest

import (
	"net/http"
	"testing"
)

// newPayrollWorld is the setting of the payroll tests on 1 January 2026: a
// standard customer with an agreement of model (25 € and 45 € an hour, net
// 14 days), organiser orgA with supervisor supA, a coordinator, a finance
// user and the customer's user.
func newPayrollWorld(t *testing.T, model string) *billingWorld {
	t.Helper()
	ordClock(t, Start(t), "2026-01-01T06:00:00Z")
	w := &billingWorld{tn: NewTenant(t), emails: map[string]string{}, tok: map[string]string{}, assign: map[string]string{}}
	w.standard = w.tn.Customer(t, "standard")
	w.orgA = w.tn.Organiser(t, 1000)
	for who, role := range map[string]string{"coord": "coordinator", "finance": "finance"} {
		w.user(t, who, role, "")
	}
	w.user(t, "custStd", "customer", w.standard)
	w.user(t, "supA", "supervisor", w.orgA)
	w.supA = w.do(t, "supA", "GET", "/v1/me", nil).Map(t)["id"].(string)
	w.taskType = w.id(t, w.do(t, "coord", "POST", "/v1/task-types", map[string]any{"name": "Shelving"}))
	w.agreement(t, w.standard, 2500, 4500, 0, 24, 0, 14, model)
	return w
}

// crewShift places a one-day order for a crew of 6 at the standard
// customer, organised by orgA, and staffs it with supA and people; it
// returns the shift and each person's assignment on it.
func (w *billingWorld) crewShift(t *testing.T, date, start, end string, people ...string) (string, map[string]string) {
	t.Helper()
	_, id := w.orderOfCrew(t, w.standard, w.orgA, date, start, end, 6)
	w.staff(t, id, map[string]any{"supervisor_id": w.supA})
	for _, p := range people {
		w.staff(t, id, map[string]any{"participant_id": p})
	}
	assigned := map[string]string{}
	for _, p := range append(people, w.supA) {
		assigned[p] = w.assign[p]
	}
	return id, assigned
}

// workApproved records supA and people on the shift from start to end as
// of at, submits the timesheet and has the customer approve it; assigned
// is each person's assignment on the shift.
func (w *billingWorld) workApproved(t *testing.T, shift, at, start, end string, assigned map[string]string, people ...string) {
	t.Helper()
	w.at(t, at)
	entries := []map[string]any{worked(assigned[w.supA], start, end, 0)}
	for _, p := range people {
		entries = append(entries, worked(assigned[p], start, end, 0))
	}
	w.do(t, "supA", "PUT", "/v1/shifts/"+shift+"/time-entries", map[string]any{"entries": entries}).Expect(t, http.StatusOK)
	w.do(t, "supA", "POST", "/v1/shifts/"+shift+"/submit", nil).Expect(t, http.StatusOK)
	w.do(t, "custStd", "POST", "/v1/shifts/"+shift+"/approve", nil).Expect(t, http.StatusOK)
}
