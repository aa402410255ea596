package apitest

import (
	"net/http"
	"strings"
	"testing"

	"jobcenter/handlers"
)

// Every problem type of the vocabulary has its page, served where the type
// URI points.
func TestEveryProblemTypeHasAPage(t *testing.T) {
	s := Start(t)
	codes := handlers.ProblemCodes()
	if len(codes) < 40 {
		t.Fatalf("only %d problem codes", len(codes))
	}
	for _, code := range codes {
		r := s.Do(t, Request{Method: http.MethodGet, Path: "/problems/" + code}).Expect(t, http.StatusOK)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.Body), "<h1>") {
			t.Errorf("%s: %s %s", code, r.Header.Get("Content-Type"), truncate(r.Body))
		}
	}
	s.Do(t, Request{Method: http.MethodGet, Path: "/problems/no_such_problem"}).Expect(t, http.StatusNotFound)
}

// A problem's type is an absolute URI on this service that answers with the
// page: for a validation error, a 409 code, a 404 and an unknown route.
func TestProblemTypesAreAbsoluteAndResolve(t *testing.T) {
	s := Start(t)
	tn := NewTenant(t)
	_, fin := tn.User(t, "finance", "")
	for _, c := range []struct {
		req    Request
		status int
		code   string
	}{
		{Request{Method: http.MethodPost, Path: "/v1/billing-runs", Token: fin, Body: map[string]any{"period": "2026-13"}}, 422, "validation"},
		{Request{Method: http.MethodPost, Path: "/v1/billing-runs", Token: fin, Body: map[string]any{"period": "2999-01"}}, 409, "period_not_ended"},
		{Request{Method: http.MethodGet, Path: "/v1/billing-runs/00000000-0000-4000-8000-000000000000", Token: fin}, 404, "not-found"},
		{Request{Method: http.MethodGet, Path: "/v1/no-such-route"}, 404, "not-found"},
		{Request{Method: http.MethodGet, Path: "/v1/me"}, 401, "unauthorized"},
	} {
		p := s.Do(t, c.req).Expect(t, c.status).Map(t)
		typ, _ := p["type"].(string)
		if typ != s.URL+"/problems/"+c.code {
			t.Errorf("%s %s: type %q, want %q", c.req.Method, c.req.Path, typ, s.URL+"/problems/"+c.code)
			continue
		}
		res, err := http.Get(typ)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s: %d", typ, res.StatusCode)
		}
	}
}
