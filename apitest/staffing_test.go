package apitest

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// staffFixture is an ordering fixture on Monday 2026-11-02 with helpers to
// make shifts, eligible participants and supervisors.
type staffFixture struct {
	*ordFixture
}

func newStaffFixture(t *testing.T) *staffFixture {
	return &staffFixture{newOrdFixture(t, "2026-11-02T06:00:00Z")}
}

// shiftsOf places and accepts an order with crew size crew and returns its
// shift ids in time order.
func (f *staffFixture) shiftsOf(t *testing.T, crew int, schedule map[string]any) []string {
	t.Helper()
	body := f.orderBody(schedule)
	body["crew_size"] = crew
	id := f.tn.Do(t, http.MethodPost, "/v1/orders", f.cust, body).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	f.tn.Do(t, http.MethodPost, "/v1/orders/"+id+"/accept", f.coord, map[string]any{"organiser_id": f.organiser}).Expect(t, http.StatusOK)
	var ids []string
	for _, s := range f.shifts(t, f.coord, "order_id="+id) {
		ids = append(ids, s.ID)
	}
	return ids
}

func once(date, start, end string) map[string]any {
	return map[string]any{"kind": "once", "date": date, "start_time": start, "end_time": end}
}

// participant creates a participant of the organiser with a decision.
func (f *staffFixture) participant(t *testing.T, decision map[string]any) string {
	t.Helper()
	id := newParticipant(t, f.tn, f.coord, f.organiser)
	f.tn.Do(t, http.MethodPost, "/v1/participants/"+id+"/service-decisions", f.coord, decision).Expect(t, http.StatusCreated)
	return id
}

func (f *staffFixture) assign(t *testing.T, token, shift string, body map[string]any) *Response {
	t.Helper()
	return f.tn.Do(t, http.MethodPost, "/v1/shifts/"+shift+"/assignments", token, body)
}

func (f *staffFixture) shift(t *testing.T, token, id string) map[string]any {
	t.Helper()
	return f.tn.Do(t, http.MethodGet, "/v1/shifts/"+id, token, nil).Expect(t, http.StatusOK).Map(t)
}

func (f *staffFixture) activeAssignments(t *testing.T, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := f.tn.S.Main.DB.Gorm.Table("assignments").Where("tenant_id = ? AND active", f.tn.ID).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// concurrently runs n requests at once and returns their statuses and codes.
func concurrently(n int, do func(i int) *Response) (statuses []int, codes []string) {
	statuses, codes = make([]int, n), make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			r := do(i)
			statuses[i] = r.Status
			if r.Status == http.StatusConflict {
				codes[i] = strings.Split(strings.Split(string(r.Body), `"code":"`)[1], `"`)[0]
			}
		}()
	}
	close(start)
	wg.Wait()
	return statuses, codes
}

func TestConcurrentAssignmentsNeverOverfillACrew(t *testing.T) {
	f := newStaffFixture(t)
	shift := f.shiftsOf(t, 5, once("2026-11-10", "08:00", "12:00"))[0]
	people := make([]string, 20)
	for i := range people {
		people[i] = f.participant(t, rehab("2026-01-01", ""))
	}
	statuses, codes := concurrently(20, func(i int) *Response {
		return f.assign(t, f.coord, shift, map[string]any{"participant_id": people[i]})
	})
	if got := countStatus(statuses, http.StatusCreated); got != 5 {
		t.Fatalf("%d assignments succeeded, want 5: %v", got, statuses)
	}
	if got := countStatus(statuses, http.StatusConflict); got != 15 {
		t.Fatalf("%d conflicts, want 15: %v", got, statuses)
	}
	for i, c := range codes {
		if statuses[i] == http.StatusConflict && c != "crew_full" {
			t.Errorf("conflict code %q, want crew_full", c)
		}
	}
	if n := f.activeAssignments(t, "shift_id = ?", shift); n != 5 {
		t.Fatalf("%d assignments stored, want 5", n)
	}
	if got := f.shift(t, f.coord, shift)["crew_count"]; got != float64(5) {
		t.Errorf("crew_count %v", got)
	}
}

func TestConcurrentOverlappingShiftsTakeOnePerson(t *testing.T) {
	f := newStaffFixture(t)
	var shifts []string
	for i := 0; i < 10; i++ {
		// Ten orders whose shifts all overlap 09:00–11:00.
		shifts = append(shifts, f.shiftsOf(t, 3, once("2026-11-11", fmt.Sprintf("%02d:00", 8+i%2), fmt.Sprintf("%02d:00", 11+i%3)))...)
	}
	person := f.participant(t, rehab("2026-01-01", ""))
	statuses, codes := concurrently(10, func(i int) *Response {
		return f.assign(t, f.coord, shifts[i], map[string]any{"participant_id": person})
	})
	if got := countStatus(statuses, http.StatusCreated); got != 1 {
		t.Fatalf("%d of 10 overlapping assignments succeeded: %v", got, statuses)
	}
	for i, c := range codes {
		if statuses[i] == http.StatusConflict && c != "overlapping_shift" {
			t.Errorf("conflict code %q, want overlapping_shift", c)
		}
	}
	if n := f.activeAssignments(t, "person_id = ?", person); n != 1 {
		t.Fatalf("%d assignments of the person stored", n)
	}
}

func TestConcurrentAssignmentsKeepDaysPerWeek(t *testing.T) {
	f := newStaffFixture(t)
	// Monday and Thursday of one ISO week.
	shifts := f.shiftsOf(t, 10, weekly([]int{1, 4}, "08:00", "12:00", "2026-11-09", "2026-11-15"))
	if len(shifts) != 2 {
		t.Fatalf("%d shifts", len(shifts))
	}
	for round := 0; round < 5; round++ {
		decision := rehab("2026-01-01", "")
		decision["max_days_per_week"] = 1
		person := f.participant(t, decision)
		statuses, codes := concurrently(2, func(i int) *Response {
			return f.assign(t, f.coord, shifts[i], map[string]any{"participant_id": person})
		})
		if countStatus(statuses, http.StatusCreated) != 1 || codes[0]+codes[1] != "over_max_days_per_week" {
			t.Fatalf("round %d: statuses %v codes %v, want one success and over_max_days_per_week", round, statuses, codes)
		}
		if n := f.activeAssignments(t, "person_id = ?", person); n != 1 {
			t.Fatalf("round %d: %d days booked with a limit of 1", round, n)
		}
	}
}

func TestStaffedAndOpenFollowTheCrew(t *testing.T) {
	f := newStaffFixture(t)
	shift := f.shiftsOf(t, 2, once("2026-11-10", "08:00", "12:00"))[0]
	a, b := f.participant(t, rehab("2026-01-01", "")), f.participant(t, rehab("2026-01-01", ""))
	supervisor, _ := f.tn.User(t, "supervisor", f.organiser)
	f.assign(t, f.coord, shift, map[string]any{"participant_id": a}).Expect(t, http.StatusCreated)
	first := f.assign(t, f.coord, shift, map[string]any{"participant_id": b}).Expect(t, http.StatusCreated).Map(t)
	if first["shift"].(map[string]any)["status"] != "open" {
		t.Fatalf("full crew without a supervisor is %v", first["shift"].(map[string]any)["status"])
	}
	sup := f.assign(t, f.coord, shift, map[string]any{"supervisor_id": supervisor}).Expect(t, http.StatusCreated).Map(t)
	if sup["shift"].(map[string]any)["status"] != "staffed" {
		t.Fatalf("full crew with its supervisor is %v", sup["shift"].(map[string]any)["status"])
	}
	aid := first["assignment_id"].(string)
	f.tn.Do(t, http.MethodDelete, "/v1/shifts/"+shift+"/assignments/"+aid, f.coord, nil).Expect(t, http.StatusNoContent)
	if got := f.shift(t, f.coord, shift)["status"]; got != "open" {
		t.Fatalf("after removing a participant the shift is %v", got)
	}
	f.tn.Do(t, http.MethodDelete, "/v1/shifts/"+shift+"/assignments/"+aid, f.coord, nil).Expect(t, http.StatusNotFound)
}

func TestAssignmentRules(t *testing.T) {
	f := newStaffFixture(t)
	shifts := f.shiftsOf(t, 3, weekly([]int{1, 2}, "08:00", "16:00", "2026-11-09", "2026-11-10"))
	person := f.participant(t, rehab("2026-01-01", ""))
	otherOrganiser := f.tn.Organiser(t, 500)
	stranger := newParticipant(t, f.tn, f.coord, otherOrganiser)
	_, foreignSupervisor := f.tn.User(t, "supervisor", otherOrganiser)
	_, ownSupervisor := f.tn.User(t, "supervisor", f.organiser)
	_, finance := f.tn.User(t, "finance", "")
	expired := f.participant(t, rehab("2025-01-01", "2025-12-31"))
	inactive := f.participant(t, rehab("2026-01-01", ""))
	f.tn.S.Do(t, Request{Method: http.MethodPatch, Path: "/v1/participants/" + inactive, Token: f.coord,
		Body: map[string]any{"active": false}, Header: map[string]string{"If-Match": `"1"`}}).Expect(t, http.StatusOK)

	code := func(r *Response) string { return problemCode(t, r) }
	if r := f.assign(t, f.coord, shifts[0], map[string]any{"participant_id": stranger}).Expect(t, 422); firstPointer(t, r) != "/participant_id" {
		t.Error("a participant of another organiser names /participant_id")
	}
	f.assign(t, f.coord, shifts[0], map[string]any{"participant_id": person, "supervisor_id": "x"}).Expect(t, 422)
	f.assign(t, f.coord, shifts[0], map[string]any{}).Expect(t, 422)
	if c := code(f.assign(t, f.coord, shifts[0], map[string]any{"participant_id": expired}).Expect(t, 409)); c != "no_valid_decision" {
		t.Errorf("expired decision: %s", c)
	}
	if c := code(f.assign(t, f.coord, shifts[0], map[string]any{"participant_id": inactive}).Expect(t, 409)); c != "inactive" {
		t.Errorf("inactive participant: %s", c)
	}
	// 8 hours a day against a limit of 6.
	if c := code(f.assign(t, f.coord, shifts[0], map[string]any{"participant_id": person}).Expect(t, 409)); c != "over_max_hours_per_day" {
		t.Errorf("hours per day: %s", c)
	}
	f.assign(t, foreignSupervisor, shifts[0], map[string]any{"participant_id": person}).Expect(t, 404)
	f.assign(t, f.cust, shifts[0], map[string]any{"participant_id": person}).Expect(t, 403)
	f.assign(t, finance, shifts[0], map[string]any{"participant_id": person}).Expect(t, 403)
	f.assign(t, NewTenant(t).AdminToken, shifts[0], map[string]any{"participant_id": person}).Expect(t, 404)
	// A supervisor of another organiser, or a user who is no supervisor,
	// cannot lead the crew.
	foreignID := f.tn.Do(t, http.MethodGet, "/v1/me", foreignSupervisor, nil).Map(t)["id"].(string)
	financeID := f.tn.Do(t, http.MethodGet, "/v1/me", finance, nil).Map(t)["id"].(string)
	for _, id := range []string{foreignID, financeID} {
		if r := f.assign(t, f.coord, shifts[0], map[string]any{"supervisor_id": id}).Expect(t, 422); firstPointer(t, r) != "/supervisor_id" {
			t.Errorf("supervisor %s: %s", id, r.Body)
		}
	}
	sup := f.tn.Do(t, http.MethodGet, "/v1/me", ownSupervisor, nil).Map(t)["id"].(string)
	f.assign(t, ownSupervisor, shifts[0], map[string]any{"supervisor_id": sup}).Expect(t, 201)
	if c := code(f.assign(t, ownSupervisor, shifts[0], map[string]any{"supervisor_id": sup}).Expect(t, 409)); c != "already_assigned" {
		t.Errorf("twice on one shift: %s", c)
	}
	// A cancelled shift frees its people and takes nobody.
	f.tn.Do(t, http.MethodPost, "/v1/shifts/"+shifts[1]+"/cancel", f.coord, map[string]any{"reason": "rain"}).Expect(t, 200)
	if c := code(f.assign(t, f.coord, shifts[1], map[string]any{"participant_id": person}).Expect(t, 409)); c != "shift_not_open" {
		t.Errorf("cancelled shift: %s", c)
	}
	if n := f.activeAssignments(t, "1 = 1"); n != 1 {
		t.Errorf("%d active assignments after the rejected requests, want 1", n)
	}
	// After the shift has ended its crew is fixed.
	ordClock(t, f.tn.S, "2026-11-09T15:00:00Z")
	f.login(t)
	if c := code(f.assign(t, f.coord, shifts[0], map[string]any{"participant_id": person}).Expect(t, 409)); c != "shift_ended" {
		t.Errorf("ended shift: %s", c)
	}
}

func TestCustomerSeesCrewOnlyByPseudonym(t *testing.T) {
	f := newStaffFixture(t)
	shift := f.shiftsOf(t, 2, once("2026-11-10", "08:00", "12:00"))[0]
	person := f.participant(t, rehab("2026-01-01", ""))
	supervisorID, _ := f.tn.User(t, "supervisor", f.organiser)
	f.assign(t, f.coord, shift, map[string]any{"participant_id": person}).Expect(t, 201)
	f.assign(t, f.coord, shift, map[string]any{"supervisor_id": supervisorID}).Expect(t, 201)
	r := f.tn.Do(t, http.MethodGet, "/v1/shifts/"+shift, f.cust, nil).Expect(t, 200)
	body := string(r.Body)
	for _, secret := range []string{"Aino", "Virtanen", person, participantIBANDigits, "aino@example.fi"} {
		if strings.Contains(body, secret) {
			t.Errorf("the customer's view of the shift contains %q: %s", secret, body)
		}
	}
	m := r.Map(t)
	if m["crew_count"] != float64(1) || m["supervisor"].(map[string]any)["phone"] != "+358401234567" {
		t.Errorf("customer view lacks the count or the supervisor's contact: %s", body)
	}
	pseudonym := m["assignments"].([]any)[0].(map[string]any)["pseudonym"].(string)
	if pseudonym == "" {
		t.Error("no pseudonym shown")
	}
	list := f.tn.Do(t, http.MethodGet, "/v1/shifts", f.cust, nil).Expect(t, 200)
	if strings.Contains(string(list.Body), "Virtanen") || strings.Contains(string(list.Body), person) {
		t.Error("the customer's shift list shows the participant")
	}
}

func TestCandidatesRankForFairRotation(t *testing.T) {
	f := newStaffFixture(t)
	// An earlier shift that two participants worked, and the shift to staff.
	earlier := f.shiftsOf(t, 3, once("2026-11-03", "08:00", "12:00"))[0]
	target := f.shiftsOf(t, 3, once("2026-11-12", "08:00", "12:00"))[0]
	busy, rested, fresh := f.participant(t, rehab("2026-01-01", "")), f.participant(t, rehab("2026-01-01", "")), f.participant(t, rehab("2026-01-01", ""))
	undecided := newParticipant(t, f.tn, f.coord, f.organiser)
	f.assign(t, f.coord, earlier, map[string]any{"participant_id": busy}).Expect(t, 201)
	f.assign(t, f.coord, earlier, map[string]any{"participant_id": rested}).Expect(t, 201)
	// busy worked 4 hours there; rested is marked available on Thursdays.
	f.workedMinutes(t, earlier, busy, 240)
	f.tn.Do(t, http.MethodPut, "/v1/participants/"+fresh+"/availability", f.coord,
		map[string]any{"windows": []map[string]any{{"weekday": 4, "start_time": "07:00", "end_time": "13:00"}}}).Expect(t, 200)

	var got struct {
		Eligible []struct {
			ParticipantID string  `json:"participant_id"`
			Worked        int     `json:"worked_minutes_28d"`
			Last          *string `json:"last_shift_date"`
			Available     bool    `json:"available"`
		} `json:"eligible"`
		Ineligible []struct {
			ParticipantID string `json:"participant_id"`
			Reasons       []struct {
				Code string `json:"code"`
			} `json:"reasons"`
		} `json:"ineligible"`
	}
	f.tn.Do(t, http.MethodGet, "/v1/shifts/"+target+"/candidates", f.coord, nil).Expect(t, 200).Decode(t, &got)
	var order []string
	for _, c := range got.Eligible {
		order = append(order, c.ParticipantID)
	}
	// fresh: 0 minutes and available; rested: 0 minutes, last shift 11-03;
	// busy: 240 minutes.
	if want := []string{fresh, rested, busy}; fmt.Sprint(order) != fmt.Sprint(want) {
		t.Fatalf("eligible order %v, want fresh, rested, busy %v", order, want)
	}
	if got.Eligible[2].Worked != 240 || got.Eligible[1].Last == nil || *got.Eligible[1].Last != "2026-11-03" || !got.Eligible[0].Available {
		t.Errorf("ranking figures wrong: %+v", got.Eligible)
	}
	if len(got.Ineligible) != 1 || got.Ineligible[0].ParticipantID != undecided || got.Ineligible[0].Reasons[0].Code != "no_valid_decision" {
		t.Errorf("ineligible %+v", got.Ineligible)
	}
	// Reading candidates is written to the participants' access log.
	log := f.tn.Do(t, http.MethodGet, "/v1/participants/"+fresh+"/access-log", f.coord, nil).Expect(t, 200)
	if !strings.Contains(string(log.Body), "/candidates") {
		t.Errorf("access log lacks the candidates read: %s", log.Body)
	}
	_, foreign := f.tn.User(t, "supervisor", f.tn.Organiser(t, 0))
	f.tn.Do(t, http.MethodGet, "/v1/shifts/"+target+"/candidates", foreign, nil).Expect(t, 404)
	f.tn.Do(t, http.MethodGet, "/v1/shifts/"+target+"/candidates", f.cust, nil).Expect(t, 403)
}

// workedMinutes records worked minutes for a participant's assignment
// directly, as the hours of a past shift.
func (f *staffFixture) workedMinutes(t *testing.T, shift, participant string, minutes int) {
	t.Helper()
	db := f.tn.S.Main.DB.Gorm
	var aid string
	if err := db.Table("assignments").Select("id").Where("shift_id = ? AND participant_id = ?", shift, participant).Scan(&aid).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec(`INSERT INTO time_entries (id, tenant_id, shift_id, assignment_id, start_at, end_at, break_minutes, worked_minutes, created_at, updated_at)
		SELECT ?, tenant_id, shift_id, id, starts_at, ends_at, 0, ?, starts_at, starts_at FROM assignments WHERE id = ?`, "te-"+aid, minutes, aid).Error; err != nil {
		t.Fatal(err)
	}
}
