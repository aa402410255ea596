package apitest

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"jobcenter"

	"github.com/getkin/kin-openapi/openapi3"
)

// expectMalformed checks a 400 naming pointer.
func expectMalformed(t *testing.T, r *Response, pointer string) {
	t.Helper()
	r.Expect(t, http.StatusBadRequest)
	if got := firstPointer(t, r); got != pointer {
		t.Errorf("400 names %q, want %q: %s", got, pointer, r.Body)
	}
}

// listRoutes are the GET routes of openapi.yaml that take a cursor.
func listRoutes(t *testing.T) []string {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(jobcenter.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for path, item := range doc.Paths.Map() {
		if item.Get == nil {
			continue
		}
		for _, p := range item.Get.Parameters {
			if p.Value != nil && p.Value.Name == "cursor" {
				out = append(out, path)
			}
		}
	}
	if len(out) < 15 {
		t.Fatalf("found only %d list routes in openapi.yaml", len(out))
	}
	return out
}

// Every list refuses, with one 400 naming cursor, a cursor it did not
// return: not base64, base64 of bytes that are not UTF-8 (PostgreSQL
// answered 500), a bare id (the old format), and a real cursor of another
// list (SQLite answered an empty page).
func TestEveryListRefusesForeignCursors(t *testing.T) {
	tn := NewTenant(t)
	finance, _ := tn.User(t, "finance", "")
	financeToken := tn.Login(t, userEmail(t, tn, finance))
	org := tn.Organiser(t, 0)
	participant := newParticipant(t, tn, tn.AdminToken, org)
	for i := 0; i < 2; i++ {
		tn.Do(t, "POST", "/v1/task-types", tn.AdminToken, map[string]any{"name": fmt.Sprintf("Cursor %d", i)}).Expect(t, 201)
	}
	var page struct {
		NextCursor *string `json:"next_cursor"`
	}
	tn.Do(t, "GET", "/v1/task-types?limit=1", tn.AdminToken, nil).Expect(t, 200).Decode(t, &page)
	if page.NextCursor == nil {
		t.Fatal("no next cursor")
	}
	taskTypeCursor := *page.NextCursor
	tn.Do(t, "GET", "/v1/task-types?limit=1&cursor="+url.QueryEscape(taskTypeCursor), tn.AdminToken, nil).Expect(t, 200)

	b64 := base64.RawURLEncoding.EncodeToString
	bad := map[string]string{
		"not base64":        "!!",
		"not UTF-8":         b64([]byte{0xff, 0xfe, 0x00}),
		"bare id":           b64([]byte(participant)),
		"another list":      taskTypeCursor,
		"time on id list":   b64([]byte("c1|users|2026-10-01T00:00:00Z|" + participant)),
		"SQL in the id":     b64([]byte("c1|orders||x' OR '1'='1")),
		"too long":          strings.Repeat("A", 600),
		"forged list empty": b64([]byte("c1|||" + participant)),
	}
	// A list under a parent needs a real parent: an unknown one is a 404.
	// The webhook's event is one this test never emits, so nothing is sent.
	var hook struct {
		ID string `json:"id"`
	}
	tn.Do(t, "POST", "/v1/webhooks", tn.AdminToken, map[string]any{"url": "https://198.51.100.7/hooks",
		"events": []string{"incomes_register.due"}}).Expect(t, 201).Decode(t, &hook)
	for _, path := range listRoutes(t) {
		if strings.HasPrefix(path, "/v1/webhooks/{id}") {
			path = strings.ReplaceAll(path, "{id}", hook.ID)
		}
		path = strings.ReplaceAll(path, "{id}", participant)
		token := tn.AdminToken
		if strings.Contains(path, "billing") || strings.Contains(path, "invoices") || strings.Contains(path, "settlements") ||
			strings.Contains(path, "payouts") || strings.Contains(path, "incomes-register") {
			token = financeToken
		}
		for name, c := range bad {
			if name == "another list" && path == "/v1/task-types" {
				continue
			}
			r := tn.Do(t, "GET", path+"?cursor="+url.QueryEscape(c), token, nil)
			if r.Status != http.StatusBadRequest || firstPointer(t, r) != "/cursor" {
				t.Errorf("GET %s with a %s cursor: %d %s", path, name, r.Status, r.Body)
			}
		}
	}
}

// userEmail reads a user's email, to log in as them.
func userEmail(t *testing.T, tn *Tenant, id string) string {
	t.Helper()
	return tn.Do(t, "GET", "/v1/users/"+id, tn.AdminToken, nil).Expect(t, 200).Map(t)["email"].(string)
}

// An Idempotency-Key that is not printable ASCII or is too long is a 400
// naming the header, and nothing is written (PostgreSQL answered 500 to
// invalid UTF-8).
func TestIdempotencyKeyIsCheckedBeforeSQL(t *testing.T) {
	tn := NewTenant(t)
	before := countRows(t, tn, "task_types")
	for name, key := range map[string]string{
		"not UTF-8": "k\xff\xfe", "non-ASCII": "avain-ä", "too long": strings.Repeat("k", 256),
	} {
		r := tn.S.Do(t, Request{Method: "POST", Path: "/v1/task-types", Token: tn.AdminToken,
			Body: map[string]any{"name": "Key " + name}, Header: map[string]string{"Idempotency-Key": key}})
		expectMalformed(t, r, "/Idempotency-Key")
	}
	if after := countRows(t, tn, "task_types"); after != before {
		t.Errorf("%d task types written", after-before)
	}
	tn.S.Do(t, Request{Method: "POST", Path: "/v1/task-types", Token: tn.AdminToken,
		Body: map[string]any{"name": "Key ok"}, Header: map[string]string{"Idempotency-Key": strings.Repeat("k", 255)}}).Expect(t, 201)
}

// Invalid UTF-8 in a JSON body is a 400 and half a surrogate pair a 422;
// neither is stored with replacement characters.
func TestJSONBodyMustBeUTF8(t *testing.T) {
	tn := NewTenant(t)
	before := countRows(t, tn, "task_types")
	expectMalformed(t, tn.Do(t, "POST", "/v1/task-types", tn.AdminToken, []byte("{\"name\":\"Siivous\xff\"}")), "")
	for _, name := range []string{`"Siivous \ud800"`, `"Siivous \udc00"`, `"\ud800\u0041"`} {
		r := tn.Do(t, "POST", "/v1/task-types", tn.AdminToken, []byte(`{"name":`+name+`}`))
		r.Expect(t, http.StatusUnprocessableEntity)
	}
	if after := countRows(t, tn, "task_types"); after != before {
		t.Fatalf("%d task types written", after-before)
	}
	// A whole surrogate pair is a character and is kept.
	r := tn.Do(t, "POST", "/v1/task-types", tn.AdminToken, []byte(`{"name":"Siivous \ud83e\uddf9"}`)).Expect(t, 201)
	if got := r.Map(t)["name"]; got != "Siivous 🧹" {
		t.Errorf("name %q", got)
	}
}

// A period's year must be 2000–2999 wherever a period is read: the run's
// body, the runs filter and the exports (year 0 reached the database).
func TestPeriodYearRange(t *testing.T) {
	tn := NewTenant(t)
	_, token := tn.User(t, "finance", "")
	for _, p := range []string{"0000-01", "1999-12", "3000-01", "2026-1", "02026-01"} {
		r := tn.Do(t, "POST", "/v1/billing-runs", token, map[string]any{"period": p}).Expect(t, http.StatusUnprocessableEntity)
		if got := firstPointer(t, r); got != "/period" {
			t.Errorf("run %s: pointer %q", p, got)
		}
		r = tn.Do(t, "GET", "/v1/billing-runs?period="+p, token, nil).Expect(t, http.StatusUnprocessableEntity)
		if got := firstPointer(t, r); got != "/period" {
			t.Errorf("runs of %s: pointer %q", p, got)
		}
		r = tn.Do(t, "GET", "/v1/exports/journal.csv?period="+p, token, nil).Expect(t, http.StatusUnprocessableEntity)
		if got := firstPointer(t, r); got != "/period" {
			t.Errorf("journal of %s: pointer %q", p, got)
		}
	}
	tn.Do(t, "POST", "/v1/billing-runs", token, map[string]any{"period": "2000-01", "dry_run": true}).Expect(t, http.StatusOK)
	tn.Do(t, "GET", "/v1/billing-runs?period=2999-12", token, nil).Expect(t, http.StatusOK)
}

// Path ids that cannot be ids are 404 like unknown ones; id filters in the
// query and other query values that are not UTF-8 are 400 naming them.
func TestPathAndQueryValuesAreCheckedBeforeSQL(t *testing.T) {
	tn := NewTenant(t)
	_, finance := tn.User(t, "finance", "")
	for _, id := range []string{"%FF%FE", "a%20b", "x'%20OR%20'1'='1", strings.Repeat("a", 101)} {
		tn.Do(t, "GET", "/v1/users/"+id, tn.AdminToken, nil).Expect(t, http.StatusNotFound)
		tn.S.Do(t, Request{Method: "PATCH", Path: "/v1/users/" + id, Token: tn.AdminToken, Body: map[string]any{},
			Header: map[string]string{"If-Match": `"1"`}}).Expect(t, http.StatusNotFound)
		tn.Do(t, "GET", "/v1/invoices/"+id, finance, nil).Expect(t, http.StatusNotFound)
	}
	expectMalformed(t, tn.Do(t, "GET", "/v1/invoices?run_id=%FF", finance, nil), "/run_id")
	expectMalformed(t, tn.Do(t, "GET", "/v1/invoices?run_id=a%20b", finance, nil), "/run_id")
	expectMalformed(t, tn.Do(t, "GET", "/v1/orders?status=%FF", tn.AdminToken, nil), "/status")
	expectMalformed(t, tn.Do(t, "GET", "/v1/organizations?kind="+strings.Repeat("k", 1025), tn.AdminToken, nil), "/kind")
}

// The four PATCH handlers share one shape: 404 for an unknown object before
// any precondition, 428 without If-Match, 412 when stale, ETag on success.
func TestVersionedPatchShape(t *testing.T) {
	tn := NewTenant(t)
	org := tn.Organiser(t, 0)
	participant := newParticipant(t, tn, tn.AdminToken, org)
	user, _ := tn.User(t, "coordinator", "")
	missing := "0190f2a0-0000-7000-8000-000000000000"
	patch := func(path string, ifMatch string, body any) *Response {
		h := map[string]string{}
		if ifMatch != "" {
			h["If-Match"] = ifMatch
		}
		return tn.S.Do(t, Request{Method: "PATCH", Path: path, Token: tn.AdminToken, Body: body, Header: h})
	}
	for _, c := range []struct {
		path, missing string
		body          map[string]any
	}{
		{"/v1/organizations/" + org, "/v1/organizations/" + missing, map[string]any{"name": "Renamed Oy"}},
		{"/v1/participants/" + participant, "/v1/participants/" + missing, map[string]any{"phone": "+358401112234"}},
		{"/v1/users/" + user, "/v1/users/" + missing, map[string]any{"name": "Renamed"}},
		{"/v1/tenant", "", map[string]any{"name": "Renamed city"}},
	} {
		if c.missing != "" {
			patch(c.missing, "", c.body).Expect(t, http.StatusNotFound)
		}
		patch(c.path, "", c.body).Expect(t, http.StatusPreconditionRequired)
		etag := tn.Do(t, "GET", c.path, tn.AdminToken, nil).Expect(t, 200).Header.Get("ETag")
		r := patch(c.path, etag, c.body).Expect(t, http.StatusOK)
		if r.Header.Get("ETag") == "" || r.Header.Get("ETag") == etag {
			t.Errorf("%s: ETag %q after %q", c.path, r.Header.Get("ETag"), etag)
		}
		patch(c.path, etag, c.body).Expect(t, http.StatusPreconditionFailed)
	}
}
