package apitest

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/participants"
)

// participantIBAN is a valid test IBAN; its digits must never be in the
// database as plain text.
const (
	participantIBAN       = "FI21 1234 5600 0007 85"
	participantIBANDigits = "12345600000785"
)

// newParticipant creates a participant of organiserID as token and returns its id.
func newParticipant(t *testing.T, tn *Tenant, token, organiserID string) string {
	t.Helper()
	r := tn.Do(t, "POST", "/v1/participants", token, map[string]any{"organiser_id": organiserID,
		"first_name": "Aino", "last_name": "Virtanen", "email": "aino@example.fi", "phone": "+358401112233", "iban": participantIBAN})
	r.Expect(t, http.StatusCreated)
	return r.Map(t)["id"].(string)
}

// rehab is a valid rehabilitative decision body from..until (until "" is open-ended).
func rehab(from, until string) map[string]any {
	b := map[string]any{"kind": "rehabilitative_work_activity", "valid_from": from, "max_days_per_week": 3,
		"max_hours_per_day": 6, "compensation": "none"}
	if until != "" {
		b["valid_until"] = until
	}
	return b
}

// countRows counts a table's rows of the tenant straight from the database.
func countRows(t *testing.T, tn *Tenant, table string) int64 {
	t.Helper()
	var n int64
	if err := tn.S.Main.DB.Gorm.Table(table).Where("tenant_id = ?", tn.ID).Count(&n).Error; err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func TestParticipantRoleTable(t *testing.T) {
	tn := NewTenant(t)
	customer, own, other := tn.Customer(t, "standard"), tn.Organiser(t, 1000), tn.Organiser(t, 1000)
	tokens := roleTokens(t, tn, customer, own)
	_, tokens["supervisor-other"] = tn.User(t, "supervisor", other)
	p := newParticipant(t, tn, tn.AdminToken, own)
	pOther := newParticipant(t, tn, tn.AdminToken, other)

	base := "/v1/participants/" + p
	read := map[string]int{"admin": 200, "coordinator": 200, "supervisor": 200, "supervisor-other": 404,
		"customer": 403, "finance": 403, "anonymous": 401, "other-tenant": 404}
	outcome := map[string]any{"kind": "education", "date": "2026-09-01", "note": "vocational school"}
	availability := map[string]any{"windows": []map[string]any{{"weekday": 1, "start_time": "08:00", "end_time": "16:00"}}}
	cases := []roleCase{
		{"GET", "/v1/participants", nil, map[string]int{"admin": 200, "coordinator": 200, "supervisor": 200, "supervisor-other": 200,
			"customer": 403, "finance": 403, "anonymous": 401, "other-tenant": 200}},
		{"GET", base, nil, read},
		// Without If-Match: 428 only for those who may see the participant.
		{"PATCH", base, map[string]any{"phone": "+358409998877"}, map[string]int{"admin": 428, "coordinator": 428, "supervisor": 428,
			"supervisor-other": 404, "customer": 403, "finance": 403, "anonymous": 401, "other-tenant": 404}},
		{"GET", base + "/service-decisions", nil, read},
		{"POST", base + "/outcomes", outcome, map[string]int{"admin": 201, "coordinator": 201, "supervisor": 201, "supervisor-other": 404,
			"customer": 403, "finance": 403, "anonymous": 401, "other-tenant": 404}},
		{"GET", base + "/outcomes", nil, read},
		{"PUT", base + "/availability", availability, read},
		{"GET", base + "/availability", nil, read},
		{"GET", base + "/access-log", nil, map[string]int{"admin": 200, "coordinator": 200, "supervisor": 403, "supervisor-other": 403,
			"customer": 403, "finance": 403, "anonymous": 401, "other-tenant": 404}},
	}
	runRoleTable(t, tn, tokens, cases)

	// Decisions may not overlap, so each role adds one in its own year.
	year := 2030
	for who, want := range map[string]int{"admin": 201, "coordinator": 201, "supervisor": 201, "supervisor-other": 404,
		"customer": 403, "finance": 403, "anonymous": 401, "other-tenant": 404} {
		year++
		body := rehab(fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year))
		if r := tn.Do(t, "POST", base+"/service-decisions", tokens[who], body); r.Status != want {
			t.Errorf("POST decision as %s: status %d, want %d: %s", who, r.Status, want, truncate(r.Body))
		}
	}

	// Creating: a supervisor only for its own organiser (the default).
	create := func(org string) map[string]any {
		b := map[string]any{"first_name": "Eino", "last_name": "Laine", "iban": participantIBAN}
		if org != "" {
			b["organiser_id"] = org
		}
		return b
	}
	for _, c := range []struct {
		who    string
		org    string
		status int
	}{
		{"admin", own, 201}, {"coordinator", other, 201}, {"supervisor", own, 201}, {"supervisor", "", 201},
		{"supervisor", other, 422}, {"coordinator", "", 422}, {"customer", own, 403}, {"finance", own, 403},
		{"anonymous", own, 401}, {"other-tenant", own, 422},
	} {
		r := tn.Do(t, "POST", "/v1/participants", tokens[c.who], create(c.org))
		if r.Status != c.status {
			t.Errorf("POST participant of %q as %s: status %d, want %d: %s", c.org, c.who, r.Status, c.status, truncate(r.Body))
		}
		if c.status == 201 && c.who == "supervisor" && r.Map(t)["organiser_id"] != own {
			t.Errorf("supervisor created a participant of %v", r.Map(t)["organiser_id"])
		}
		if c.status == 422 && !strings.Contains(string(r.Body), `"pointer":"/organiser_id"`) {
			t.Errorf("POST participant of %q as %s: no /organiser_id error: %s", c.org, c.who, r.Body)
		}
	}

	// Lists are scoped: a supervisor sees only its organiser's participants,
	// another tenant none of them.
	for who, want := range map[string][2]bool{"coordinator": {true, true}, "supervisor": {true, false},
		"supervisor-other": {false, true}, "other-tenant": {false, false}} {
		body := string(tn.Do(t, "GET", "/v1/participants?limit=200", tokens[who], nil).Expect(t, 200).Body)
		if got := [2]bool{strings.Contains(body, p), strings.Contains(body, pOther)}; got != want {
			t.Errorf("%s lists (own, other) = %v, want %v", who, got, want)
		}
	}
}

func TestParticipantIBANEncryptedAndMasked(t *testing.T) {
	tn := NewTenant(t)
	org := tn.Organiser(t, 1000)
	r := tn.Do(t, "POST", "/v1/participants", tn.AdminToken, map[string]any{"organiser_id": org,
		"first_name": "Aino", "last_name": "Virtanen", "iban": participantIBAN}).Expect(t, 201)
	created := r.Map(t)
	id := created["id"].(string)
	masked := models.MaskIBAN(participantIBAN)
	if created["iban"] != masked {
		t.Errorf("created iban %v, want masked %q", created["iban"], masked)
	}
	if ps, _ := created["pseudonym"].(string); !strings.Contains(ps, "-") || len(ps) < 7 {
		t.Errorf("pseudonym %q", ps)
	}
	got := tn.Do(t, "GET", "/v1/participants/"+id, tn.AdminToken, nil).Expect(t, 200)
	list := tn.Do(t, "GET", "/v1/participants", tn.AdminToken, nil).Expect(t, 200)
	for _, body := range [][]byte{r.Body, got.Body, list.Body} {
		if strings.Contains(string(body), participantIBANDigits[4:]) {
			t.Errorf("a response shows the IBAN: %s", body)
		}
	}
	if got.Map(t)["iban"] != masked {
		t.Errorf("GET iban %v, want %q", got.Map(t)["iban"], masked)
	}

	var raw string
	if err := tn.S.Main.DB.Gorm.Raw("SELECT iban_encrypted FROM participants WHERE id = ?", id).Scan(&raw).Error; err != nil {
		t.Fatal(err)
	}
	if raw == "" || strings.Contains(raw, participantIBANDigits) || strings.Contains(raw, "FI21") || strings.Contains(raw, "0785") {
		t.Errorf("iban_encrypted %q holds the IBAN in plain text", raw)
	}
	// The same IBAN seals differently each time (random nonce).
	id2 := newParticipant(t, tn, tn.AdminToken, org)
	var raw2 string
	tn.S.Main.DB.Gorm.Raw("SELECT iban_encrypted FROM participants WHERE id = ?", id2).Scan(&raw2)
	if raw2 == raw {
		t.Error("two participants with the same IBAN have the same ciphertext")
	}
}

func TestParticipantValidation(t *testing.T) {
	tn := NewTenant(t)
	org, customer := tn.Organiser(t, 1000), tn.Customer(t, "standard")
	body := func(change func(map[string]any)) map[string]any {
		b := map[string]any{"organiser_id": org, "first_name": "Aino", "last_name": "Virtanen", "iban": participantIBAN}
		change(b)
		return b
	}
	cases := []struct {
		name    string
		body    any
		status  int
		pointer string
	}{
		{"malformed", `{"first_name":`, 400, ""},
		{"malformed iban", body(func(b map[string]any) { b["iban"] = "FI2112345600000786" }), 422, "/iban"},
		{"missing iban", body(func(b map[string]any) { delete(b, "iban") }), 422, "/iban"},
		{"unknown organiser", body(func(b map[string]any) { b["organiser_id"] = "nope" }), 422, "/organiser_id"},
		{"customer as organiser", body(func(b map[string]any) { b["organiser_id"] = customer }), 422, "/organiser_id"},
		{"no first name", body(func(b map[string]any) { b["first_name"] = " " }), 422, "/first_name"},
		{"bad email", body(func(b map[string]any) { b["email"] = "aino.example.fi" }), 422, "/email"},
		{"pseudonym is generated", body(func(b map[string]any) { b["pseudonym"] = "Me" }), 422, "/pseudonym"},
		{"active is not set at creation", body(func(b map[string]any) { b["active"] = false }), 422, "/active"},
	}
	before := countRows(t, tn, "participants")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := tn.Do(t, "POST", "/v1/participants", tn.AdminToken, c.body).Expect(t, c.status)
			if c.pointer != "" && !strings.Contains(string(r.Body), `"pointer":"`+c.pointer+`"`) {
				t.Errorf("no error for %s: %s", c.pointer, r.Body)
			}
			if strings.Contains(string(r.Body), "12345600000786") {
				t.Errorf("the error repeats the IBAN: %s", r.Body)
			}
		})
	}
	if after := countRows(t, tn, "participants"); after != before {
		t.Errorf("invalid requests wrote %d participants", after-before)
	}
}

func TestParticipantPatch(t *testing.T) {
	tn := NewTenant(t)
	id := newParticipant(t, tn, tn.AdminToken, tn.Organiser(t, 1000))
	path := "/v1/participants/" + id
	get := tn.Do(t, "GET", path, tn.AdminToken, nil).Expect(t, 200)
	tag := get.Header.Get("ETag")
	patch := func(ifMatch string, body any) *Response {
		h := map[string]string{}
		if ifMatch != "" {
			h["If-Match"] = ifMatch
		}
		return tn.S.Do(t, Request{Method: "PATCH", Path: path, Token: tn.AdminToken, Body: body, Header: h})
	}
	patch("", map[string]any{"phone": "+358405556677"}).Expect(t, 428)
	patch(`"0"`, map[string]any{"phone": "+358405556677"}).Expect(t, 412)
	bad := patch(tag, map[string]any{"iban": "FI00 0000"}).Expect(t, 422)
	if !strings.Contains(string(bad.Body), `"pointer":"/iban"`) {
		t.Errorf("no /iban error: %s", bad.Body)
	}
	tn.Do(t, "PATCH", path, tn.AdminToken, map[string]any{"pseudonym": "Me"}).Expect(t, 422) // the pseudonym never changes

	ok := patch(tag, map[string]any{"phone": "+358405556677", "active": false, "iban": "FI4950009420028730"}).Expect(t, 200)
	m := ok.Map(t)
	if m["version"].(float64) != 2 || m["active"] != false || m["phone"] != "+358405556677" || ok.Header.Get("ETag") == tag {
		t.Errorf("patched: %v, ETag %s", m, ok.Header.Get("ETag"))
	}
	if m["iban"] != models.MaskIBAN("FI4950009420028730") || m["pseudonym"] != get.Map(t)["pseudonym"] {
		t.Errorf("patched iban %v, pseudonym %v", m["iban"], m["pseudonym"])
	}
	patch(tag, map[string]any{"phone": "+358400000000"}).Expect(t, 412)
	if v := tn.Do(t, "GET", path, tn.AdminToken, nil).Expect(t, 200).Map(t)["version"]; v.(float64) != 2 {
		t.Errorf("version %v after failed PATCHes", v)
	}
	tn.Do(t, "GET", "/v1/participants?active=false", tn.AdminToken, nil).Expect(t, 200)
	tn.Do(t, "GET", "/v1/participants?active=maybe", tn.AdminToken, nil).Expect(t, 422)
}

func TestServiceDecisions(t *testing.T) {
	tn := NewTenant(t)
	id := newParticipant(t, tn, tn.AdminToken, tn.Organiser(t, 1000))
	path := "/v1/participants/" + id + "/service-decisions"

	// A daily allowance above the tax-free 1200 cents is accepted and marked.
	body := rehab("2026-01-01", "2026-12-31")
	body["kind"], body["compensation"], body["daily_allowance_cents"] = "disability_work_activity", "daily_allowance", 1500
	first := tn.Do(t, "POST", path, tn.AdminToken, body).Expect(t, 201).Map(t)
	if first["taxable_cents_per_day"].(float64) != 300 {
		t.Errorf("taxable_cents_per_day %v, want 300", first["taxable_cents_per_day"])
	}
	later := tn.Do(t, "POST", path, tn.AdminToken, rehab("2027-03-01", "")).Expect(t, 201).Map(t)

	before := countRows(t, tn, "service_decisions")
	invalid := []struct {
		name    string
		change  func(map[string]any)
		pointer string
	}{
		{"rehabilitative 5 days", func(b map[string]any) { b["max_days_per_week"] = 5 }, "/max_days_per_week"},
		{"rehabilitative 9 hours", func(b map[string]any) { b["max_hours_per_day"] = 9 }, "/max_hours_per_day"},
		{"end before start", func(b map[string]any) { b["valid_until"] = "2025-12-31" }, "/valid_until"},
		{"malformed date", func(b map[string]any) { b["valid_from"] = "1.1.2026" }, "/valid_from"},
		{"unknown kind", func(b map[string]any) { b["kind"] = "volunteering" }, "/kind"},
		{"wage without wage", func(b map[string]any) { b["compensation"] = "hourly_wage" }, "/hourly_wage_cents"},
	}
	for _, c := range invalid {
		b := rehab("2026-06-01", "2026-06-30")
		c.change(b)
		r := tn.Do(t, "POST", path, tn.AdminToken, b).Expect(t, 422)
		if !strings.Contains(string(r.Body), `"pointer":"`+c.pointer+`"`) {
			t.Errorf("%s: no %s error: %s", c.name, c.pointer, r.Body)
		}
	}
	// Overlaps are a 409 without supersede, and with it when the new
	// decision also reaches into another one.
	for _, b := range []map[string]any{rehab("2026-06-01", "2026-06-30"), rehab("2025-12-01", "2026-01-31"), rehab("2027-01-01", "")} {
		r := tn.Do(t, "POST", path, tn.AdminToken, b).Expect(t, 409)
		if r.Map(t)["code"] != participants.CodeDecisionOverlap {
			t.Errorf("overlap code %v", r.Map(t)["code"])
		}
	}
	reaching := rehab("2026-07-01", "2027-06-30")
	reaching["supersede"] = true
	tn.Do(t, "POST", path, tn.AdminToken, reaching).Expect(t, 409)
	// A decision starting the same day cannot end the day before it starts.
	same := rehab("2026-01-01", "2026-03-31")
	same["supersede"] = true
	tn.Do(t, "POST", path, tn.AdminToken, same).Expect(t, 409)
	if after := countRows(t, tn, "service_decisions"); after != before {
		t.Errorf("refused decisions wrote %d rows", after-before)
	}
	if first2 := decisionByID(t, tn, path, first["id"].(string)); first2["valid_until"] != "2026-12-31" {
		t.Errorf("a refused supersede changed the old decision: %v", first2)
	}

	// Supersede: the decision covering the new valid_from ends the day before.
	change := rehab("2026-07-01", "2027-02-28")
	change["max_days_per_week"] = 4
	change["supersede"] = true
	created := tn.Do(t, "POST", path, tn.AdminToken, change).Expect(t, 201).Map(t)
	old := decisionByID(t, tn, path, first["id"].(string))
	if old["valid_until"] != "2026-06-30" || old["superseded_by"] != created["id"] {
		t.Errorf("superseded decision: %v", old)
	}
	if l := decisionByID(t, tn, path, later["id"].(string)); l["valid_until"] != nil || l["superseded_by"] != nil {
		t.Errorf("another decision changed: %v", l)
	}

	// What staffing reads for eligibility.
	byID, err := participants.Decisions(tn.S.Main.DB.Gorm, tn.ID, []string{id})
	if terms := byID[id]; err != nil || len(terms) != 3 {
		t.Fatalf("Decisions: %d decisions, %v", len(terms), err)
	}
	loc, _ := time.LoadLocation("Europe/Helsinki")
	day := models.Date{Year: 2026, Month: 7, Day: 6}
	slot := models.ShiftSlot{Date: day, StartsAt: day.At(8*60, loc), EndsAt: day.At(14*60, loc)}
	if reasons := models.Eligibility(models.Participant{Active: true}, byID[id], nil, slot, loc); len(reasons) != 0 {
		t.Errorf("eligible under the new decision, got %v", reasons)
	}
	if crossed, err := participants.Decisions(tn.S.Main.DB.Gorm, NewTenant(t).ID, []string{id}); err != nil || len(crossed) != 0 {
		t.Errorf("Decisions crossed tenants: %v, %v", crossed, err)
	}
}

func decisionByID(t *testing.T, tn *Tenant, path, id string) map[string]any {
	t.Helper()
	r := tn.Do(t, "GET", path, tn.AdminToken, nil).Expect(t, 200)
	for _, it := range r.Map(t)["items"].([]any) {
		if d := it.(map[string]any); d["id"] == id {
			return d
		}
	}
	t.Fatalf("decision %s not listed", id)
	return nil
}

func TestAccessLog(t *testing.T) {
	tn := NewTenant(t)
	org := tn.Organiser(t, 1000)
	coordID, coord := tn.User(t, "coordinator", "")
	supID, sup := tn.User(t, "supervisor", org)
	id := newParticipant(t, tn, sup, org)
	other := newParticipant(t, tn, sup, org)
	base := "/v1/participants/" + id
	logPath := base + "/access-log"
	if n := len(tn.Do(t, "GET", logPath, coord, nil).Expect(t, 200).Map(t)["items"].([]any)); n != 0 {
		t.Fatalf("creating logged %d reads", n)
	}

	tn.Do(t, "GET", base, coord, nil).Expect(t, 200)
	tn.Do(t, "GET", "/v1/participants", sup, nil).Expect(t, 200)
	tn.Do(t, "GET", base+"/service-decisions", coord, nil).Expect(t, 200)
	tn.Do(t, "GET", base+"/availability", sup, nil).Expect(t, 200)
	tn.Do(t, "GET", base+"/outcomes", coord, nil).Expect(t, 200)
	tn.S.Do(t, Request{Method: "PATCH", Path: base, Token: sup, Body: map[string]any{"phone": "+358409998877"},
		Header: map[string]string{"If-Match": `"1"`}}).Expect(t, 200)
	// Refused reads and the access log itself log nothing.
	_, customer := tn.User(t, "customer", tn.Customer(t, "standard"))
	tn.Do(t, "GET", base, customer, nil).Expect(t, 403)
	tn.Do(t, "GET", logPath, coord, nil).Expect(t, 200)

	// An entry older than two years is kept but not shown.
	old := tn.S.Main.Clock.Now().AddDate(-2, 0, -1)
	if err := participants.LogAccess(tn.S.Main.DB.Gorm, auth.Principal{TenantID: tn.ID, UserID: coordID, Role: "coordinator"},
		old, "/v1/participants/:id", models.AccessRead, id); err != nil {
		t.Fatal(err)
	}

	want := []struct{ user, action, route string }{
		{supID, "update", "/v1/participants/:id"},
		{coordID, "read", "/v1/participants/:id/outcomes"},
		{supID, "read", "/v1/participants/:id/availability"},
		{coordID, "read", "/v1/participants/:id/service-decisions"},
		{supID, "list", "/v1/participants"},
		{coordID, "read", "/v1/participants/:id"},
	}
	var got []map[string]any
	cursor := ""
	for page := 0; page < 5; page++ {
		r := tn.Do(t, "GET", logPath+"?limit=2"+cursor, tn.AdminToken, nil).Expect(t, 200).Map(t)
		for _, it := range r["items"].([]any) {
			got = append(got, it.(map[string]any))
		}
		next, _ := r["next_cursor"].(string)
		if next == "" {
			break
		}
		cursor = "&cursor=" + next
	}
	if len(got) != len(want) {
		t.Fatalf("%d entries, want %d: %v", len(got), len(want), got)
	}
	var prev time.Time
	for i, w := range want {
		e := got[i]
		if e["user_id"] != w.user || e["action"] != w.action || e["route"] != w.route || e["participant_id"] != id {
			t.Errorf("entry %d = %v, want %v", i, e, w)
		}
		at, err := time.Parse(time.RFC3339Nano, e["at"].(string))
		if err != nil || (i > 0 && at.After(prev)) {
			t.Errorf("entry %d at %v is not newest first (%v)", i, e["at"], err)
		}
		prev = at
	}
	// The list read logged the other participant on the page too.
	var n int64
	tn.S.Main.DB.Gorm.Table("access_log_entries").Where("participant_id = ? AND action = 'list'", other).Count(&n)
	if n != 1 {
		t.Errorf("list logged the other participant %d times", n)
	}
	tn.Do(t, "GET", logPath+"?cursor=!!", tn.AdminToken, nil).Expect(t, 400)
}

func TestAvailabilityAndOutcomes(t *testing.T) {
	tn := NewTenant(t)
	id := newParticipant(t, tn, tn.AdminToken, tn.Organiser(t, 1000))
	path := "/v1/participants/" + id + "/availability"
	windows := func(ws ...[3]any) map[string]any {
		out := []map[string]any{}
		for _, w := range ws {
			out = append(out, map[string]any{"weekday": w[0], "start_time": w[1], "end_time": w[2]})
		}
		return map[string]any{"windows": out}
	}
	put := tn.Do(t, "PUT", path, tn.AdminToken, windows([3]any{3, "12:00", "16:00"}, [3]any{1, "08:00", "16:00"}, [3]any{3, "08:00", "11:00"})).Expect(t, 200)
	want := `{"windows":[{"weekday":1,"start_time":"08:00","end_time":"16:00"},{"weekday":3,"start_time":"08:00","end_time":"11:00"},{"weekday":3,"start_time":"12:00","end_time":"16:00"}]}`
	if got := strings.TrimSpace(string(put.Body)); got != want {
		t.Errorf("PUT answered %s", got)
	}
	if got := strings.TrimSpace(string(tn.Do(t, "GET", path, tn.AdminToken, nil).Expect(t, 200).Body)); got != want {
		t.Errorf("GET answered %s", got)
	}
	for _, c := range []struct {
		body    map[string]any
		pointer string
	}{
		{windows([3]any{8, "08:00", "16:00"}), "/windows/0/weekday"},
		{windows([3]any{1, "8:00", "16:00"}), "/windows/0/start_time"},
		{windows([3]any{1, "08:00", "24:00"}), "/windows/0/end_time"},
		{windows([3]any{1, "16:00", "08:00"}), "/windows/0/end_time"},
		{windows([3]any{2, "08:00", "12:00"}, [3]any{2, "11:00", "15:00"}), "/windows/1/start_time"},
		{map[string]any{}, "/windows"},
	} {
		r := tn.Do(t, "PUT", path, tn.AdminToken, c.body).Expect(t, 422)
		if !strings.Contains(string(r.Body), `"pointer":"`+c.pointer+`"`) {
			t.Errorf("no %s error: %s", c.pointer, r.Body)
		}
	}
	if n := countRows(t, tn, "availability_windows"); n != 3 {
		t.Errorf("refused PUTs left %d windows, want 3", n)
	}
	tn.Do(t, "PUT", path, tn.AdminToken, windows()).Expect(t, 200)
	if n := countRows(t, tn, "availability_windows"); n != 0 {
		t.Errorf("an empty PUT left %d windows", n)
	}

	outcomes := "/v1/participants/" + id + "/outcomes"
	r := tn.Do(t, "POST", outcomes, tn.AdminToken, map[string]any{"kind": "paid_employment", "date": "2026-11-02", "note": " Shelving at the customer "}).Expect(t, 201)
	if m := r.Map(t); m["date"] != "2026-11-02" || m["note"] != "Shelving at the customer" {
		t.Errorf("outcome %v", m)
	}
	for body, pointer := range map[string]string{`{"kind":"retired","date":"2026-11-02"}`: "/kind", `{"kind":"ended"}`: "/date", `{"kind":"ended","date":"2026-13-01"}`: "/date"} {
		r := tn.Do(t, "POST", outcomes, tn.AdminToken, body).Expect(t, 422)
		if !strings.Contains(string(r.Body), `"pointer":"`+pointer+`"`) {
			t.Errorf("%s: no %s error: %s", body, pointer, r.Body)
		}
	}
	if items := tn.Do(t, "GET", outcomes, tn.AdminToken, nil).Expect(t, 200).Map(t)["items"].([]any); len(items) != 1 {
		t.Errorf("%d outcomes, want 1", len(items))
	}
}
