package apitest

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// roleCase is one row of a role × tenant × route table.
type roleCase struct {
	method, path string
	body         any
	want         map[string]int // role (or "other-tenant", "anonymous") → status
}

// roleTokens makes one user per role in tn (customer and supervisor in the
// given organizations), an admin of another tenant, and no token.
func roleTokens(t *testing.T, tn *Tenant, customerID, organiserID string) map[string]string {
	t.Helper()
	tokens := map[string]string{"admin": tn.AdminToken, "anonymous": ""}
	for _, role := range []string{"coordinator", "finance"} {
		_, tokens[role] = tn.User(t, role, "")
	}
	_, tokens["customer"] = tn.User(t, "customer", customerID)
	_, tokens["supervisor"] = tn.User(t, "supervisor", organiserID)
	tokens["other-tenant"] = NewTenant(t).AdminToken
	return tokens
}

func runRoleTable(t *testing.T, tn *Tenant, tokens map[string]string, cases []roleCase) {
	t.Helper()
	for _, c := range cases {
		for who, want := range c.want {
			t.Run(fmt.Sprintf("%s %s as %s", c.method, c.path, who), func(t *testing.T) {
				r := tn.Do(t, c.method, c.path, tokens[who], c.body)
				if r.Status != want {
					t.Errorf("status %d, want %d: %s", r.Status, want, truncate(r.Body))
				}
			})
		}
	}
}

func TestDirectoryRoleTable(t *testing.T) {
	tn := NewTenant(t)
	customer, organiser := tn.Customer(t, "standard"), tn.Organiser(t, 1000)
	tokens := roleTokens(t, tn, customer, organiser)
	n := 0
	newUser := func() map[string]any {
		n++
		return map[string]any{"email": fmt.Sprintf("new-%d-%s@example.fi", n, tn.ID[:8]), "password": Password, "role": "finance"}
	}
	newTaskType := func() map[string]any { n++; return map[string]any{"name": fmt.Sprintf("Shelving %d", n)} }
	org := "/v1/organizations/" + customer
	cases := []roleCase{
		{"GET", "/v1/me", nil, map[string]int{"admin": 200, "coordinator": 200, "supervisor": 200, "customer": 200, "finance": 200, "anonymous": 401}},
		{"GET", "/v1/users", nil, map[string]int{"admin": 200, "coordinator": 403, "supervisor": 403, "customer": 403, "finance": 403, "anonymous": 401}},
		{"GET", "/v1/organizations", nil, map[string]int{"admin": 200, "coordinator": 200, "supervisor": 403, "customer": 403, "finance": 403, "anonymous": 401, "other-tenant": 200}},
		{"GET", org, nil, map[string]int{"admin": 200, "coordinator": 200, "supervisor": 403, "customer": 403, "finance": 403, "anonymous": 401, "other-tenant": 404}},
		{"PATCH", org, map[string]any{"name": "x"}, map[string]int{"supervisor": 403, "customer": 403, "finance": 403, "anonymous": 401, "other-tenant": 404}},
		{"GET", "/v1/task-types", nil, map[string]int{"admin": 200, "coordinator": 200, "supervisor": 200, "customer": 200, "finance": 200, "anonymous": 401}},
	}
	runRoleTable(t, tn, tokens, cases)
	// Creating: each allowed role makes its own object.
	for who, want := range map[string]int{"admin": 201, "coordinator": 403, "supervisor": 403, "customer": 403, "finance": 403, "anonymous": 401} {
		tn.Do(t, "POST", "/v1/users", tokens[who], newUser()).Expect(t, want)
	}
	for who, want := range map[string]int{"admin": 201, "coordinator": 201, "supervisor": 403, "customer": 403, "finance": 403, "anonymous": 401} {
		tn.Do(t, "POST", "/v1/task-types", tokens[who], newTaskType()).Expect(t, want)
	}
	// Another tenant's list does not contain this tenant's organizations.
	other := tn.Do(t, "GET", "/v1/organizations", tokens["other-tenant"], nil).Expect(t, 200)
	if strings.Contains(string(other.Body), customer) {
		t.Error("another tenant lists this tenant's organization")
	}
}

func TestOrganizationValidation(t *testing.T) {
	tn := NewTenant(t)
	cases := []struct {
		name    string
		body    string
		status  int
		pointer string
	}{
		{"malformed", `{"kind": "customer",`, 400, ""},
		{"not an object", `[1,2]`, 400, ""},
		{"unknown field", `{"kind":"customer","name":"A","business_id":"0737546-2","vat_treatment":"standard","is_admin":true}`, 422, "/is_admin"},
		{"wrong type", `{"kind":"organiser","name":"A","iban":"FI2112345600000785","coordination_fee_bps":"ten"}`, 422, "/coordination_fee_bps"},
		{"bad check digit", `{"kind":"customer","name":"A","business_id":"0737546-3","vat_treatment":"standard"}`, 422, "/business_id"},
		{"bad iban", `{"kind":"organiser","name":"A","iban":"FI2112345600000786"}`, 422, "/iban"},
		{"exempt without reason", `{"kind":"customer","name":"A","business_id":"0737546-2","vat_treatment":"exempt"}`, 422, "/vat_exempt_reason"},
		{"unknown kind", `{"kind":"bank","name":"A"}`, 422, "/kind"},
		{"fee over 100 %", `{"kind":"organiser","name":"A","iban":"FI2112345600000785","coordination_fee_bps":10001}`, 422, "/coordination_fee_bps"},
	}
	count := func() int {
		r := tn.Do(t, "GET", "/v1/organizations?limit=200", tn.AdminToken, nil).Expect(t, 200)
		return len(r.Map(t)["items"].([]any))
	}
	before := count()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := tn.Do(t, "POST", "/v1/organizations", tn.AdminToken, c.body).Expect(t, c.status)
			if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
			if c.pointer == "" {
				return
			}
			if !strings.Contains(string(r.Body), `"pointer":"`+c.pointer+`"`) {
				t.Errorf("no error for %s: %s", c.pointer, r.Body)
			}
		})
	}
	if after := count(); after != before {
		t.Errorf("invalid requests wrote %d organizations", after-before)
	}
}

func TestOrganizationPatchNeedsCurrentIfMatch(t *testing.T) {
	tn := NewTenant(t)
	id := tn.Organiser(t, 1000)
	path := "/v1/organizations/" + id
	get := tn.Do(t, "GET", path, tn.AdminToken, nil).Expect(t, 200)
	tag := get.Header.Get("ETag")
	if tag != `"1"` {
		t.Fatalf("ETag %q", tag)
	}
	patch := func(ifMatch string, body any) *Response {
		h := map[string]string{}
		if ifMatch != "" {
			h["If-Match"] = ifMatch
		}
		return tn.S.Do(t, Request{Method: "PATCH", Path: path, Token: tn.AdminToken, Body: body, Header: h})
	}
	patch("", map[string]any{"name": "Renamed"}).Expect(t, http.StatusPreconditionRequired)
	r := patch(tag, map[string]any{"name": "Renamed", "coordination_fee_bps": 1250}).Expect(t, 200)
	if r.Header.Get("ETag") != `"2"` || r.Map(t)["name"] != "Renamed" || r.Map(t)["coordination_fee_bps"] != float64(1250) {
		t.Fatalf("patch result %s (ETag %s)", r.Body, r.Header.Get("ETag"))
	}
	patch(tag, map[string]any{"name": "Stale"}).Expect(t, http.StatusPreconditionFailed)
	patch(`"2"`, map[string]any{"iban": "FI00"}).Expect(t, 422)
	patch(`"2"`, map[string]any{"kind": "customer"}).Expect(t, 422) // kind is not a patchable field
	if got := tn.Do(t, "GET", path, tn.AdminToken, nil).Map(t); got["name"] != "Renamed" || got["version"] != float64(2) {
		t.Errorf("failed patches changed the object: %v", got)
	}
	tn.S.Do(t, Request{Method: "PATCH", Path: "/v1/organizations/nope", Token: tn.AdminToken, Body: map[string]any{}}).Expect(t, 404)
}

func TestIdempotencyKey(t *testing.T) {
	tn := NewTenant(t)
	post := func(key string, name string) *Response {
		return tn.S.Do(t, Request{Method: "POST", Path: "/v1/task-types", Token: tn.AdminToken,
			Body: map[string]any{"name": name}, Header: map[string]string{"Idempotency-Key": key}})
	}
	first := post("k1", "Outdoor cleaning").Expect(t, 201)
	again := post("k1", "Outdoor cleaning").Expect(t, 201)
	if string(first.Body) != string(again.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry did not return the first response: %s vs %s", first.Body, again.Body)
	}
	post("k1", "Shelving").Expect(t, 422)
	// A stored 4xx is replayed too: the key names one attempt.
	post("k2", "Outdoor cleaning").Expect(t, 409)
	list := tn.Do(t, "GET", "/v1/task-types", tn.AdminToken, nil).Map(t)["items"].([]any)
	if len(list) != 1 {
		t.Fatalf("%d task types, want 1", len(list))
	}
}

func TestIdempotencyKeyConcurrentDuplicates(t *testing.T) {
	tn := NewTenant(t)
	var wg sync.WaitGroup
	statuses := make([]int, 8)
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = tn.S.Do(t, Request{Method: "POST", Path: "/v1/task-types", Token: tn.AdminToken,
				Body: map[string]any{"name": "Office cleaning"}, Header: map[string]string{"Idempotency-Key": "same"}}).Status
		}()
	}
	wg.Wait()
	for _, s := range statuses {
		if s != 201 && s != 409 {
			t.Errorf("status %d among %v", s, statuses)
		}
	}
	list := tn.Do(t, "GET", "/v1/task-types", tn.AdminToken, nil).Map(t)["items"].([]any)
	if len(list) != 1 {
		t.Fatalf("%d task types, want 1", len(list))
	}
}

func TestCursorPagination(t *testing.T) {
	tn := NewTenant(t)
	for i := 0; i < 5; i++ {
		tn.Do(t, "POST", "/v1/task-types", tn.AdminToken, map[string]any{"name": fmt.Sprintf("Type %d", i)}).Expect(t, 201)
	}
	var names []string
	path := "/v1/task-types?limit=2"
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("too many pages")
		}
		var page struct {
			Items      []map[string]any `json:"items"`
			NextCursor *string          `json:"next_cursor"`
		}
		tn.Do(t, "GET", path, tn.AdminToken, nil).Expect(t, 200).Decode(t, &page)
		for _, it := range page.Items {
			names = append(names, it["name"].(string))
		}
		if page.NextCursor == nil {
			break
		}
		path = "/v1/task-types?limit=2&cursor=" + *page.NextCursor
	}
	if strings.Join(names, ",") != "Type 0,Type 1,Type 2,Type 3,Type 4" {
		t.Errorf("pages gave %v", names)
	}
	tn.Do(t, "GET", "/v1/task-types?limit=0", tn.AdminToken, nil).Expect(t, 422)
	tn.Do(t, "GET", "/v1/task-types?limit=201", tn.AdminToken, nil).Expect(t, 422)
	tn.Do(t, "GET", "/v1/task-types?cursor=!!", tn.AdminToken, nil).Expect(t, 400) // a cursor this list did not return is malformed
}

func TestUserRulesAndBodyLimit(t *testing.T) {
	tn := NewTenant(t)
	customer, organiser := tn.Customer(t, "internal"), tn.Organiser(t, 0)
	post := func(body map[string]any) *Response { return tn.Do(t, "POST", "/v1/users", tn.AdminToken, body) }
	base := func(role string, org any) map[string]any {
		return map[string]any{"email": role + "-" + tn.ID[:8] + "@example.fi", "password": Password, "role": role, "organization_id": org}
	}
	post(base("customer", nil)).Expect(t, 422)
	post(base("customer", organiser)).Expect(t, 422) // a customer user belongs to a customer
	post(base("supervisor", customer)).Expect(t, 422)
	post(base("finance", customer)).Expect(t, 422)
	post(base("janitor", nil)).Expect(t, 422)
	short := base("finance", nil)
	short["password"] = "short"
	post(short).Expect(t, 422)
	post(base("supervisor", organiser)).Expect(t, 201)
	post(base("supervisor", organiser)).Expect(t, 409) // same email
	big := strings.Repeat("x", 2<<20)
	tn.Do(t, "POST", "/v1/task-types", tn.AdminToken, `{"name":"`+big+`"}`).Expect(t, http.StatusRequestEntityTooLarge)
}

func TestTenantSettings(t *testing.T) {
	tn := NewTenant(t)
	_, finance := tn.User(t, "finance", "")
	got := tn.Do(t, http.MethodGet, "/v1/tenant", finance, nil).Expect(t, 200)
	m := got.Map(t)
	if m["horizon_weeks"] != float64(8) || m["max_crew_per_supervisor"] != float64(8) || m["auto_approve_days"] != float64(3) || got.Header.Get("ETag") != `"1"` {
		t.Fatalf("defaults %v (ETag %s)", m, got.Header.Get("ETag"))
	}
	patch := func(token, ifMatch string, body any) *Response {
		h := map[string]string{}
		if ifMatch != "" {
			h["If-Match"] = ifMatch
		}
		return tn.S.Do(t, Request{Method: http.MethodPatch, Path: "/v1/tenant", Token: token, Body: body, Header: h})
	}
	patch(finance, `"1"`, map[string]any{"auto_approve_days": 5}).Expect(t, 403)
	patch(tn.AdminToken, "", map[string]any{"auto_approve_days": 5}).Expect(t, 428)
	if r := patch(tn.AdminToken, `"1"`, map[string]any{"iban": "FI00 0000"}).Expect(t, 422); firstPointer(t, r) != "/iban" {
		t.Errorf("bad IBAN: %s", r.Body)
	}
	// Out of range, however large: 422, never a database overflow.
	for field, value := range map[string]int64{"max_crew_per_supervisor": 51, "auto_approve_days": 1 << 31, "horizon_weeks": 1 << 62} {
		if r := patch(tn.AdminToken, `"1"`, map[string]any{field: value}).Expect(t, 422); firstPointer(t, r) != "/"+field {
			t.Errorf("%s %d: %s", field, value, r.Body)
		}
	}
	if r := patch(tn.AdminToken, `"1"`, map[string]any{"accounts": map[string]string{"receivables": "1700", "pension_payable": " "}}).Expect(t, 422); firstPointer(t, r) != "/accounts/pension_payable" {
		t.Errorf("empty account: %s", r.Body)
	}
	r := patch(tn.AdminToken, `"1"`, map[string]any{"auto_approve_days": 5, "business_id": "0201256-6", "iban": "fi21 1234 5600 0007 85"}).Expect(t, 200)
	if m := r.Map(t); m["auto_approve_days"] != float64(5) || m["iban"] != "FI2112345600000785" || r.Header.Get("ETag") != `"2"` {
		t.Fatalf("after patch %v", m)
	}
	patch(tn.AdminToken, `"1"`, map[string]any{"auto_approve_days": 6}).Expect(t, 412)
	if m := tn.Do(t, http.MethodGet, "/v1/tenant", tn.AdminToken, nil).Map(t); m["auto_approve_days"] != float64(5) {
		t.Errorf("a stale patch changed the settings: %v", m)
	}
}

// A NUL character cannot be stored in PostgreSQL text; anywhere in a request
// it is bad input (422 in a body, 400 in the URL), not a server error, and
// nothing is written.
func TestNULCharactersAreRefused(t *testing.T) {
	tn := NewTenant(t)
	before := countRows(t, tn, "task_types")
	post := func(body string) *Response {
		return tn.S.Do(t, Request{Method: http.MethodPost, Path: "/v1/task-types", Token: tn.AdminToken, Body: []byte(body)})
	}
	post(`{"name":"Shelving\u0000"}`).Expect(t, http.StatusUnprocessableEntity)
	tn.S.Do(t, Request{Method: http.MethodPost, Path: "/v1/auth/token", Body: []byte(`{"email":"a\u0000@example.fi","password":"x"}`)}).
		Expect(t, http.StatusUnprocessableEntity)
	for _, path := range []string{"/v1/shifts/%00", "/v1/shifts?order_id=%00", "/v1/organizations/a%00b"} {
		tn.Do(t, http.MethodGet, path, tn.AdminToken, nil).Expect(t, http.StatusBadRequest)
	}
	if after := countRows(t, tn, "task_types"); after != before {
		t.Fatalf("refused requests wrote %d task types", after-before)
	}
	// An escaped backslash followed by the letters u0000 is plain text.
	if name := post(`{"name":"C:\\u0000 cleaning"}`).Expect(t, http.StatusCreated).Map(t)["name"]; name != `C:\u0000 cleaning` {
		t.Errorf("name %q", name)
	}
}
