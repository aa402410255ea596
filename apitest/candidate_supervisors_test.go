package apitest

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
)

// Candidates list the organiser's active supervisors not on the shift, free
// ones first; a participant on an overlapping shift is refused with a detail
// naming that shift, which only staff can be told.
func TestCandidatesListSupervisorsAndOverlapNamesTheShift(t *testing.T) {
	f := newStaffFixture(t)
	first := f.shiftsOf(t, 2, once("2026-11-05", "08:00", "12:00"))[0]
	second := f.shiftsOf(t, 2, once("2026-11-05", "10:00", "14:00"))[0]
	supervisor := func(name string) string {
		r := f.tn.Do(t, http.MethodPost, "/v1/users", f.tn.AdminToken, map[string]any{
			"email": fmt.Sprintf("sup-%x@example.fi", rand.Uint64()), "password": Password, "role": "supervisor",
			"organization_id": f.organiser, "name": name, "phone": "+358401234567"})
		return r.Expect(t, http.StatusCreated).Map(t)["id"].(string)
	}
	busy, free := supervisor("Aino Busy"), supervisor("Veikko Free")
	f.assign(t, f.coord, first, map[string]any{"supervisor_id": busy}).Expect(t, http.StatusCreated)

	var c struct {
		Supervisors []struct {
			SupervisorID string `json:"supervisor_id"`
			Name         string
			Available    bool
		}
	}
	f.tn.Do(t, http.MethodGet, "/v1/shifts/"+second+"/candidates", f.coord, nil).Expect(t, http.StatusOK).Decode(t, &c)
	if len(c.Supervisors) != 2 || c.Supervisors[0].SupervisorID != free || !c.Supervisors[0].Available ||
		c.Supervisors[1].SupervisorID != busy || c.Supervisors[1].Available || c.Supervisors[1].Name != "Aino Busy" {
		t.Errorf("supervisors of the second shift: %+v", c.Supervisors)
	}
	f.tn.Do(t, http.MethodGet, "/v1/shifts/"+first+"/candidates", f.coord, nil).Expect(t, http.StatusOK).Decode(t, &c)
	if len(c.Supervisors) != 1 || c.Supervisors[0].SupervisorID != free {
		t.Errorf("supervisors of the first shift (busy is on it): %+v", c.Supervisors)
	}

	person := f.participant(t, rehab("2026-01-01", ""))
	f.assign(t, f.coord, first, map[string]any{"participant_id": person}).Expect(t, http.StatusCreated)
	p := f.assign(t, f.coord, second, map[string]any{"participant_id": person}).Expect(t, http.StatusConflict).Map(t)
	detail, _ := p["detail"].(string)
	if p["code"] != "overlapping_shift" || !strings.Contains(detail, first) || !strings.Contains(detail, "2026-11-05 08:00–12:00") {
		t.Errorf("overlap: %v", p)
	}
	p = f.assign(t, f.coord, second, map[string]any{"supervisor_id": busy}).Expect(t, http.StatusConflict).Map(t)
	if detail, _ := p["detail"].(string); !strings.Contains(detail, first) {
		t.Errorf("supervisor overlap: %v", p)
	}
	// Customers cannot assign, so no customer reads a clashing shift.
	f.assign(t, f.cust, second, map[string]any{"participant_id": person}).Expect(t, http.StatusForbidden)
}
