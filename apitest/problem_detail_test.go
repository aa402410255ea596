package apitest

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// A problem's detail is plain words for a person: it does not end in the
// vocabulary word its status already says (": invalid", ": malformed
// request", ": not found") nor name database constraints.
func TestProblemDetailsHaveNoInternalSuffixes(t *testing.T) {
	s := Start(t)
	tn := NewTenant(t)
	_, fin := tn.User(t, "finance", "")
	for _, c := range []struct {
		method, path string
		token        string
		body         any
		status       int
	}{
		{http.MethodPost, "/v1/billing-runs", fin, map[string]any{"period": "2026-13"}, http.StatusUnprocessableEntity},
		{http.MethodPost, "/v1/billing-runs", fin, "not an object", http.StatusBadRequest},
		{http.MethodGet, "/v1/billing-runs?period=x&nope=1", fin, nil, http.StatusBadRequest},
		{http.MethodGet, "/v1/billing-runs/00000000-0000-4000-8000-000000000000", fin, nil, http.StatusNotFound},
		{http.MethodPost, "/v1/organizations", tn.AdminToken, map[string]any{"kind": "customer", "name": "", "business_id": "1234567-1"}, http.StatusUnprocessableEntity},
	} {
		p := s.Do(t, Request{Method: c.method, Path: c.path, Token: c.token, Body: c.body}).Expect(t, c.status).Map(t)
		detail, _ := p["detail"].(string)
		if errs, _ := p["errors"].([]any); len(errs) > 0 {
			detail += ": " + errs[0].(map[string]any)["detail"].(string)
		}
		parts := strings.Split(detail, ": ")
		for _, bad := range []string{"invalid", "malformed request", "not found", "conflict"} {
			if detail == "" || strings.Contains(detail, "constraint") || (len(parts) > 1 && slices.Contains(parts, bad)) {
				t.Errorf("%s %s: detail %q", c.method, c.path, detail)
				break
			}
		}
	}
}
