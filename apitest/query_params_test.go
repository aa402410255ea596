package apitest

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"jobcenter"
)

// Every route answers a query parameter it does not take with a 400 naming
// it (a misspelt filter must not silently list everything), before it reads
// anything; the parameters it does take pass.
func TestUnknownQueryParameterIsRefusedOnEveryRoute(t *testing.T) {
	s := Start(t)
	tn := NewTenant(t)
	doc, err := openapi3.NewLoader().LoadFromData(jobcenter.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	pathParam := regexp.MustCompile(`\{[a-z_]+\}`)
	tried := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if strings.HasPrefix(path, "/dev/") && method != http.MethodGet {
				continue // moves the clock or runs a job
			}
			url := pathParam.ReplaceAllString(path, "00000000-0000-4000-8000-000000000000")
			r := s.Do(t, Request{Method: method, Path: url + "?limt=10", Token: tn.AdminToken}).Expect(t, http.StatusBadRequest)
			detail, _ := r.Map(t)["detail"].(string)
			if !strings.Contains(detail, `"limt"`) {
				t.Errorf("%s %s: the 400 does not name the parameter: %q", method, path, detail)
			}
			var takes []string
			for _, p := range append(item.Parameters, op.Parameters...) {
				if p.Value.In == openapi3.ParameterInQuery {
					takes = append(takes, p.Value.Name)
				}
			}
			for _, name := range takes {
				if !strings.Contains(detail, name) {
					t.Errorf("%s %s: the 400 does not say the route takes %s: %q", method, path, name, detail)
				}
			}
			tried++
		}
	}
	if tried < 50 {
		t.Fatalf("only %d routes tried", tried)
	}
	// Declared parameters are not refused.
	_, fin := tn.User(t, "finance", "")
	s.Do(t, Request{Method: http.MethodGet, Path: "/v1/billing-runs?period=2026-10&limit=5", Token: fin}).Expect(t, http.StatusOK)
	s.Do(t, Request{Method: http.MethodGet, Path: "/v1/organizations?kind=customer", Token: tn.AdminToken}).Expect(t, http.StatusOK)
}
