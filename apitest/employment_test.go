package apitest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// patchEmployment changes a participant's fields at its current version as
// the coordinator.
func (f *staffFixture) patchEmployment(t *testing.T, id string, body map[string]any) *Response {
	t.Helper()
	version := f.tn.Do(t, http.MethodGet, "/v1/participants/"+id, f.coord, nil).Expect(t, http.StatusOK).Map(t)["version"].(float64)
	return f.tn.S.Do(t, Request{Method: http.MethodPatch, Path: "/v1/participants/" + id, Token: f.coord,
		Header: map[string]string{"If-Match": `"` + strconv.Itoa(int(version)) + `"`}, Body: body})
}

// candidateReasons are the reason codes of the shift's ineligible candidates
// by participant.
func (f *staffFixture) candidateReasons(t *testing.T, shift string) map[string][]string {
	t.Helper()
	cands := f.tn.Do(t, http.MethodGet, "/v1/shifts/"+shift+"/candidates", f.coord, nil).Expect(t, http.StatusOK).Map(t)
	reasons := map[string][]string{}
	for _, c := range cands["ineligible"].([]any) {
		c := c.(map[string]any)
		id := c["participant_id"].(string)
		for _, r := range c["reasons"].([]any) {
			reasons[id] = append(reasons[id], r.(map[string]any)["code"].(string))
		}
	}
	return reasons
}

// A wage earner (supported employment) is staffed only within the
// employment: its last day is still fine, the day after is a 409
// employment_ended naming the end date, a day before the start a 409
// employment_not_started; the candidates list says so. Work activity after
// the employment, under a decision that follows it, is not bound by it.
func TestWageWorkOnlyWithinTheEmployment(t *testing.T) {
	f := newStaffFixture(t)
	ended := f.participant(t, supportedEmployment("2026-01-01"))
	f.patchEmployment(t, ended, map[string]any{"employment_start_date": "2026-06-01", "employment_end_date": "2026-11-10"}).Expect(t, http.StatusOK)
	starting := f.participant(t, supportedEmployment("2026-01-01"))
	f.patchEmployment(t, starting, map[string]any{"employment_start_date": "2026-11-12"}).Expect(t, http.StatusOK)
	// Employed until 10.11., in work activity from the day after.
	moved := newParticipant(t, f.tn, f.coord, f.organiser)
	employment := supportedEmployment("2026-01-01")
	employment["valid_until"] = "2026-11-10"
	for _, d := range []map[string]any{employment, disability("2026-11-11")} {
		f.tn.Do(t, http.MethodPost, "/v1/participants/"+moved+"/service-decisions", f.coord, d).Expect(t, http.StatusCreated)
	}
	f.patchEmployment(t, moved, map[string]any{"employment_start_date": "2026-06-01", "employment_end_date": "2026-11-10"}).Expect(t, http.StatusOK)

	lastDay := f.shiftsOf(t, 4, once("2026-11-10", "08:00", "12:00"))[0]
	f.assign(t, f.coord, lastDay, map[string]any{"participant_id": ended}).Expect(t, http.StatusCreated)
	f.assign(t, f.coord, lastDay, map[string]any{"participant_id": moved}).Expect(t, http.StatusCreated)

	after := f.shiftsOf(t, 4, once("2026-11-11", "08:00", "12:00"))[0]
	for who, want := range map[string]string{ended: "employment_ended", starting: "employment_not_started"} {
		r := f.assign(t, f.coord, after, map[string]any{"participant_id": who}).Expect(t, http.StatusConflict)
		if problemCode(t, r) != want {
			t.Errorf("code %q, want %s: %s", problemCode(t, r), want, r.Body)
		}
	}
	if r := f.assign(t, f.coord, after, map[string]any{"participant_id": ended}); !strings.Contains(string(r.Body), "ended on 2026-11-10") {
		t.Errorf("the detail does not name the end date: %s", r.Body)
	}
	if r := f.assign(t, f.coord, after, map[string]any{"participant_id": starting}); !strings.Contains(string(r.Body), "starts on 2026-11-12") {
		t.Errorf("the detail does not name the start date: %s", r.Body)
	}
	if n := f.activeAssignments(t, "shift_id = ?", after); n != 0 {
		t.Fatalf("refused assignments stored %d rows", n)
	}
	reasons := f.candidateReasons(t, after)
	if got := strings.Join(reasons[ended], ","); got != "employment_ended" {
		t.Errorf("ended employee's reasons %q", got)
	}
	if got := strings.Join(reasons[starting], ","); got != "employment_not_started" {
		t.Errorf("not yet employed participant's reasons %q", got)
	}
	if len(reasons[moved]) != 0 {
		t.Errorf("work activity after the employment refused: %v", reasons[moved])
	}
	f.assign(t, f.coord, after, map[string]any{"participant_id": moved}).Expect(t, http.StatusCreated)

	// From its first day the employment is no reason.
	first := f.shiftsOf(t, 4, once("2026-11-12", "08:00", "12:00"))[0]
	if got := f.candidateReasons(t, first)[starting]; len(got) != 0 {
		t.Errorf("first day of the employment: %v", got)
	}
	f.assign(t, f.coord, first, map[string]any{"participant_id": starting}).Expect(t, http.StatusCreated)
}

// Employment dates that would leave a wage earner on shifts outside the
// employment are a 409 assigned_outside_employment naming those shifts, and
// nothing changes; once the participant is off them the same dates are
// accepted. Shifts of work activity do not hold the dates back, and a
// change of other fields does not look at them.
func TestEmploymentDatesMustCoverAssignedWageShifts(t *testing.T) {
	f := newStaffFixture(t)
	employee := f.participant(t, supportedEmployment("2026-01-01"))
	activity := f.participant(t, disability("2026-01-01"))
	shifts := map[string]string{}
	assignments := map[string]string{}
	for _, day := range []string{"2026-11-10", "2026-11-11", "2026-11-12"} {
		shifts[day] = f.shiftsOf(t, 4, once(day, "08:00", "12:00"))[0]
		r := f.assign(t, f.coord, shifts[day], map[string]any{"participant_id": employee}).Expect(t, http.StatusCreated)
		assignments[day] = r.Map(t)["assignment_id"].(string)
		f.assign(t, f.coord, shifts[day], map[string]any{"participant_id": activity}).Expect(t, http.StatusCreated)
	}
	before := f.tn.Do(t, http.MethodGet, "/v1/participants/"+employee, f.coord, nil).Expect(t, http.StatusOK).Map(t)

	for _, tc := range []struct {
		body         map[string]any
		named, clear []string // shift days the detail names, and does not
	}{
		{map[string]any{"employment_end_date": "2026-11-10"}, []string{"2026-11-11", "2026-11-12"}, []string{"2026-11-10"}},
		{map[string]any{"employment_start_date": "2026-11-11"}, []string{"2026-11-10"}, []string{"2026-11-11", "2026-11-12"}},
		{map[string]any{"employment_start_date": "2026-11-11", "employment_end_date": "2026-11-11"},
			[]string{"2026-11-10", "2026-11-12"}, []string{"2026-11-11"}},
	} {
		r := f.patchEmployment(t, employee, tc.body).Expect(t, http.StatusConflict)
		if problemCode(t, r) != "assigned_outside_employment" {
			t.Errorf("%v: %s", tc.body, r.Body)
		}
		for _, day := range tc.named {
			if !strings.Contains(string(r.Body), "shift "+shifts[day]+" on "+day) {
				t.Errorf("%v: the detail does not name the shift of %s: %s", tc.body, day, r.Body)
			}
		}
		for _, day := range tc.clear {
			if strings.Contains(string(r.Body), shifts[day]) {
				t.Errorf("%v: the detail names the shift of %s within the employment: %s", tc.body, day, r.Body)
			}
		}
	}
	got := f.tn.Do(t, http.MethodGet, "/v1/participants/"+employee, f.coord, nil).Expect(t, http.StatusOK).Map(t)
	if got["version"] != before["version"] || got["employment_start_date"] != nil || got["employment_end_date"] != nil {
		t.Errorf("refused patches changed the participant: %v", got)
	}

	f.patchEmployment(t, employee, map[string]any{"phone": "+358401234567"}).Expect(t, http.StatusOK)
	f.patchEmployment(t, activity, map[string]any{"employment_end_date": "2026-11-10"}).Expect(t, http.StatusOK)
	for _, day := range []string{"2026-11-11", "2026-11-12"} {
		f.tn.Do(t, http.MethodDelete, "/v1/shifts/"+shifts[day]+"/assignments/"+assignments[day], f.coord, nil).Expect(t, http.StatusNoContent)
	}
	if p := f.patchEmployment(t, employee, map[string]any{"employment_end_date": "2026-11-10"}).Expect(t, http.StatusOK).Map(t); p["employment_end_date"] != "2026-11-10" {
		t.Errorf("end date after the later shifts were left: %v", p)
	}
}

// An end date and an assignment after it, sent at once for many employees:
// for each, exactly one of the two is accepted, so nobody is left on a
// shift after their employment ended.
func TestConcurrentEndDateAndAssignment(t *testing.T) {
	f := newStaffFixture(t)
	people := make([]string, 6)
	versions := make([]string, len(people))
	for i := range people {
		people[i] = f.participant(t, supportedEmployment("2026-01-01"))
		v := f.tn.Do(t, http.MethodGet, "/v1/participants/"+people[i], f.coord, nil).Expect(t, http.StatusOK).Map(t)["version"].(float64)
		versions[i] = `"` + strconv.Itoa(int(v)) + `"`
	}
	shift := f.shiftsOf(t, len(people), once("2026-11-11", "08:00", "12:00"))[0]
	statuses, codes := concurrently(2*len(people), func(i int) *Response {
		who := people[i/2]
		if i%2 == 0 {
			return f.assign(t, f.coord, shift, map[string]any{"participant_id": who})
		}
		return f.tn.S.Do(t, Request{Method: http.MethodPatch, Path: "/v1/participants/" + who, Token: f.coord,
			Header: map[string]string{"If-Match": versions[i/2]}, Body: map[string]any{"employment_end_date": "2026-11-10"}})
	})
	for i := range people {
		assigned, ended := statuses[2*i] == http.StatusCreated, statuses[2*i+1] == http.StatusOK
		if assigned == ended {
			t.Errorf("employee %d: assignment %d %q, end date %d %q; want exactly one accepted",
				i, statuses[2*i], codes[2*i], statuses[2*i+1], codes[2*i+1])
		}
		if !assigned && codes[2*i] != "employment_ended" || !ended && codes[2*i+1] != "assigned_outside_employment" {
			t.Errorf("employee %d refused with %q / %q", i, codes[2*i], codes[2*i+1])
		}
	}
	var left int64
	if err := f.tn.S.Main.DB.Gorm.Raw(`SELECT COUNT(*) FROM assignments a JOIN participants p ON p.id = a.participant_id
		JOIN shifts s ON s.id = a.shift_id WHERE a.tenant_id = ? AND a.active AND s.date > p.employment_end_date`, f.tn.ID).
		Scan(&left).Error; err != nil {
		t.Fatal(err)
	}
	if left != 0 {
		t.Errorf("%d assignments after the employment ended", left)
	}
}
