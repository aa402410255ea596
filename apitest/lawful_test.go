package apitest

import (
	"net/http"
	"strings"
	"testing"
)

// lawfulFixture is the staffing fixture (its customer an association,
// sector non_profit) with a company and a city unit (public) as further
// customers, each with a user and an agreement.
type lawfulFixture struct {
	*staffFixture
	company, city         string // customer ids
	companyTok, cityTok   string // their users' tokens
	companyMail, cityMail string
}

func newLawfulFixture(t *testing.T) *lawfulFixture {
	t.Helper()
	f := &lawfulFixture{staffFixture: newStaffFixture(t)}
	f.company = f.tn.CustomerIn(t, "standard", "company")
	f.city = f.tn.CustomerIn(t, "internal", "public")
	f.companyMail, f.cityMail = ordUser(t, f.tn, "customer", f.company), ordUser(t, f.tn, "customer", f.city)
	f.companyTok, f.cityTok = f.tn.Login(t, f.companyMail), f.tn.Login(t, f.cityMail)
	f.agreement(t, f.company, "2026-01-01", nil, 48).Expect(t, http.StatusCreated)
	f.agreement(t, f.city, "2026-01-01", nil, 48).Expect(t, http.StatusCreated)
	return f
}

// shiftFor places an order as the customer user behind token, accepts it for
// the organiser and returns its one shift.
func (f *lawfulFixture) shiftFor(t *testing.T, token string, crew int, schedule map[string]any) string {
	t.Helper()
	body := f.orderBody(schedule)
	body["crew_size"] = crew
	id := f.tn.Do(t, http.MethodPost, "/v1/orders", token, body).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	f.tn.Do(t, http.MethodPost, "/v1/orders/"+id+"/accept", f.coord, map[string]any{"organiser_id": f.organiser}).Expect(t, http.StatusOK)
	shifts := f.shifts(t, f.coord, "order_id="+id)
	if len(shifts) != 1 {
		t.Fatalf("%d shifts for a one-off order", len(shifts))
	}
	return shifts[0].ID
}

func disability(from string) map[string]any {
	return map[string]any{"kind": "disability_work_activity", "valid_from": from, "compensation": "daily_allowance",
		"daily_allowance_cents": 1500}
}

func supportedEmployment(from string) map[string]any {
	return map[string]any{"kind": "supported_employment", "valid_from": from, "compensation": "hourly_wage",
		"hourly_wage_cents": 1333, "withholding_bps": 2000}
}

func TestDecisionCompensationMustFitKind(t *testing.T) {
	tn := NewTenant(t)
	lawful := map[[2]string]bool{
		{"rehabilitative_work_activity", "none"}:        true,
		{"disability_work_activity", "daily_allowance"}: true,
		{"disability_work_activity", "none"}:            true,
		{"supported_employment", "hourly_wage"}:         true,
	}
	organiser := tn.Organiser(t, 1000)
	for _, kind := range []string{"rehabilitative_work_activity", "disability_work_activity", "supported_employment"} {
		for _, comp := range []string{"daily_allowance", "hourly_wage", "none"} {
			id := newParticipant(t, tn, tn.AdminToken, organiser)
			body := map[string]any{"kind": kind, "valid_from": "2026-01-01", "max_days_per_week": 3, "max_hours_per_day": 6,
				"compensation": comp}
			switch comp {
			case "daily_allowance":
				body["daily_allowance_cents"], body["withholding_bps"] = 1500, 2500 // withholding stays accepted
			case "hourly_wage":
				body["hourly_wage_cents"], body["withholding_bps"] = 1333, 2000
			}
			r := tn.Do(t, http.MethodPost, "/v1/participants/"+id+"/service-decisions", tn.AdminToken, body)
			if lawful[[2]string{kind, comp}] {
				r.Expect(t, http.StatusCreated)
				continue
			}
			r.Expect(t, http.StatusUnprocessableEntity)
			if p := firstPointer(t, r); p != "/compensation" {
				t.Errorf("%s with %s: pointer %q: %s", kind, comp, p, r.Body)
			}
			if !strings.Contains(string(r.Body), "compensation must be") {
				t.Errorf("%s with %s: the detail does not say what is lawful: %s", kind, comp, r.Body)
			}
			list := tn.Do(t, http.MethodGet, "/v1/participants/"+id+"/service-decisions", tn.AdminToken, nil).Expect(t, http.StatusOK)
			if n := len(list.Map(t)["items"].([]any)); n != 0 {
				t.Errorf("%s with %s: refused decision wrote %d rows", kind, comp, n)
			}
		}
	}
	// The plain-words reason of the commonest mistake.
	id := newParticipant(t, tn, tn.AdminToken, organiser)
	r := tn.Do(t, http.MethodPost, "/v1/participants/"+id+"/service-decisions", tn.AdminToken, map[string]any{
		"kind": "rehabilitative_work_activity", "valid_from": "2026-01-01", "max_days_per_week": 3, "max_hours_per_day": 6,
		"compensation": "daily_allowance", "daily_allowance_cents": 900}).Expect(t, http.StatusUnprocessableEntity)
	if !strings.Contains(string(r.Body), "not paid by the organiser") || !strings.Contains(string(r.Body), "Kela") {
		t.Errorf("rehabilitative allowance detail: %s", r.Body)
	}
}

func TestCustomerSector(t *testing.T) {
	tn := NewTenant(t)
	post := func(body map[string]any) *Response {
		return tn.Do(t, http.MethodPost, "/v1/organizations", tn.AdminToken, body)
	}
	customer := func(sector any) map[string]any {
		b := map[string]any{"kind": "customer", "name": "Puisto Oy", "business_id": "0737546-2", "vat_treatment": "standard"}
		if sector != nil {
			b["sector"] = sector
		}
		return b
	}
	count := func() int {
		return len(tn.Do(t, http.MethodGet, "/v1/organizations?limit=200", tn.AdminToken, nil).Expect(t, http.StatusOK).Map(t)["items"].([]any))
	}
	before := count()
	for name, body := range map[string]map[string]any{
		"missing":   customer(nil),
		"empty":     customer(""),
		"unknown":   customer("charity"),
		"organiser": {"kind": "organiser", "name": "Unit", "iban": "FI2112345600000785", "sector": "public"},
	} {
		r := post(body).Expect(t, http.StatusUnprocessableEntity)
		if p := firstPointer(t, r); p != "/sector" {
			t.Errorf("%s: pointer %q: %s", name, p, r.Body)
		}
	}
	if after := count(); after != before {
		t.Fatalf("refused organizations wrote %d rows", after-before)
	}
	created := post(customer("company")).Expect(t, http.StatusCreated)
	m := created.Map(t)
	if m["sector"] != "company" {
		t.Fatalf("created customer: %s", created.Body)
	}
	path := "/v1/organizations/" + m["id"].(string)
	patch := func(tag string, body any) *Response {
		return tn.S.Do(t, Request{Method: http.MethodPatch, Path: path, Token: tn.AdminToken, Body: body, Header: map[string]string{"If-Match": tag}})
	}
	patch(created.Header.Get("ETag"), map[string]any{"sector": "nonprofit"}).Expect(t, http.StatusUnprocessableEntity)
	r := patch(created.Header.Get("ETag"), map[string]any{"sector": "non_profit"}).Expect(t, http.StatusOK)
	if r.Map(t)["sector"] != "non_profit" {
		t.Errorf("patched sector: %s", r.Body)
	}
	org := tn.Do(t, http.MethodGet, "/v1/organizations/"+tn.Organiser(t, 1000), tn.AdminToken, nil).Expect(t, http.StatusOK)
	if s, ok := org.Map(t)["sector"]; !ok || s != nil {
		t.Errorf("organiser sector %v (present %v), want null", s, ok)
	}
}

func TestRehabilitativeWorkActivityIsNotForCompanies(t *testing.T) {
	f := newLawfulFixture(t)
	rehabilitative := f.participant(t, rehab("2026-01-01", ""))
	other := f.participant(t, disability("2026-01-01"))
	employee := f.participant(t, supportedEmployment("2026-01-01"))

	companyShift := f.shiftFor(t, f.companyTok, 4, once("2026-11-10", "08:00", "12:00"))
	r := f.assign(t, f.coord, companyShift, map[string]any{"participant_id": rehabilitative}).Expect(t, http.StatusConflict)
	if problemCode(t, r) != "customer_sector" || !strings.Contains(string(r.Body), "company") {
		t.Errorf("rehabilitative on a company's shift: %s", r.Body)
	}
	if n := f.activeAssignments(t, "shift_id = ?", companyShift); n != 0 {
		t.Fatalf("refused assignment stored %d rows", n)
	}
	// The candidates say why, and only for the rehabilitative participant.
	cands := f.tn.Do(t, http.MethodGet, "/v1/shifts/"+companyShift+"/candidates", f.coord, nil).Expect(t, http.StatusOK).Map(t)
	reasons := map[string][]string{}
	for _, c := range cands["ineligible"].([]any) {
		c := c.(map[string]any)
		for _, rs := range c["reasons"].([]any) {
			reasons[c["participant_id"].(string)] = append(reasons[c["participant_id"].(string)], rs.(map[string]any)["code"].(string))
		}
	}
	if got := reasons[rehabilitative]; len(got) != 1 || got[0] != "customer_sector" {
		t.Errorf("rehabilitative candidate reasons %v, want [customer_sector]", got)
	}
	if len(reasons[other]) != 0 || len(reasons[employee]) != 0 {
		t.Errorf("lawful candidates refused: %v", reasons)
	}
	for _, id := range []string{other, employee} {
		f.assign(t, f.coord, companyShift, map[string]any{"participant_id": id}).Expect(t, http.StatusCreated)
	}

	// A city unit (public) and an association (non_profit) may take them.
	cityShift := f.shiftFor(t, f.cityTok, 4, once("2026-11-11", "08:00", "12:00"))
	f.assign(t, f.coord, cityShift, map[string]any{"participant_id": rehabilitative}).Expect(t, http.StatusCreated)
	associationShift := f.shiftFor(t, f.cust, 4, once("2026-11-12", "08:00", "12:00"))
	f.assign(t, f.coord, associationShift, map[string]any{"participant_id": rehabilitative}).Expect(t, http.StatusCreated)
	f.tn.Do(t, http.MethodGet, "/v1/shifts/"+cityShift+"/candidates", f.coord, nil).Expect(t, http.StatusOK)
}

// Many rehabilitative participants at once on a company's shift: none gets
// on, and a lawful participant still does.
func TestConcurrentRehabilitativeAssignmentsToACompanyShift(t *testing.T) {
	f := newLawfulFixture(t)
	shift := f.shiftFor(t, f.companyTok, 12, once("2026-11-10", "08:00", "12:00"))
	people := make([]string, 12)
	for i := range people {
		people[i] = f.participant(t, rehab("2026-01-01", ""))
	}
	lawful := f.participant(t, disability("2026-01-01"))
	statuses, codes := concurrently(len(people)+1, func(i int) *Response {
		if i == len(people) {
			return f.assign(t, f.coord, shift, map[string]any{"participant_id": lawful})
		}
		return f.assign(t, f.coord, shift, map[string]any{"participant_id": people[i]})
	})
	for i, st := range statuses[:len(people)] {
		if st != http.StatusConflict || codes[i] != "customer_sector" {
			t.Errorf("rehabilitative participant %d: %d %q", i, st, codes[i])
		}
	}
	if statuses[len(people)] != http.StatusCreated {
		t.Errorf("lawful participant: %d", statuses[len(people)])
	}
	if n := f.activeAssignments(t, "shift_id = ?", shift); n != 1 {
		t.Fatalf("%d assignments stored, want only the lawful one", n)
	}
	f.assign(t, f.coord, shift, map[string]any{"participant_id": f.participant(t, supportedEmployment("2026-01-01"))}).Expect(t, http.StatusCreated)
}

// Hours under a customer_employs agreement are paid work even when the
// participant's decision on that date is not supported employment (here
// it was changed after the assignment); hours in work activity are not.
func TestKPICountsCustomerEmploysHoursAsPaidWork(t *testing.T) {
	f := newLawfulFixture(t)
	employer := f.tn.CustomerIn(t, "standard", "company")
	employerTok := f.tn.Login(t, ordUser(t, f.tn, "customer", employer))
	f.tn.Do(t, http.MethodPost, "/v1/agreements", f.coord, map[string]any{
		"customer_id": employer, "participant_hour_price_cents": 2500, "supervisor_hour_price_cents": 4500,
		"minimum_billable_minutes": 120, "late_cancellation_window_hours": 24, "late_cancellation_fee_cents": 0,
		"payment_term_days": 14, "employment_model": "customer_employs", "valid_from": "2026-01-01", "valid_until": nil}).
		Expect(t, http.StatusCreated)
	employed := f.namedParticipant(t, "Kalle", "Salo", supportedEmployment("2026-01-01"))
	activity := f.namedParticipant(t, "Satu", "Turunen", disability("2026-01-01"))

	employerShift := f.shiftFor(t, employerTok, 2, once("2026-11-10", "08:00", "12:00"))
	cityShift := f.shiftFor(t, f.cityTok, 2, once("2026-11-10", "13:00", "16:00"))
	f.hours(t, employerShift, employed, "")
	f.hours(t, cityShift, activity, "")
	next := disability("2026-11-01")
	next["supersede"] = true
	f.tn.Do(t, http.MethodPost, "/v1/participants/"+employed+"/service-decisions", f.coord, next).Expect(t, http.StatusCreated)

	var r kpiReport
	f.tn.Do(t, http.MethodGet, "/v1/reports/kpi?from=2026-11-01&to=2026-11-30", f.coord, nil).Expect(t, http.StatusOK).Decode(t, &r)
	if r.Active != 2 || r.Paid != 1 || r.PaidShare != 5000 {
		t.Errorf("paid work: %s, want 1 of 2 active", r.kpiFigures)
	}
}
