package apitest

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"jobcenter"
	"jobcenter/web"
)

// TestSpecValid fails when openapi.yaml is not a valid OpenAPI document.
func TestSpecValid(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(jobcenter.OpenAPI)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is invalid: %v", err)
	}
}

// TestSpecMatchesRouter fails when a route exists in the router and not in
// the spec, or the other way round.
func TestSpecMatchesRouter(t *testing.T) {
	s := Start(t)
	doc, err := openapi3.NewLoader().LoadFromData(jobcenter.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	var inSpec []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			inSpec = append(inSpec, method+" "+path)
		}
	}
	param := regexp.MustCompile(`:([a-z_]+)`)
	var inRouter []string
	for _, r := range s.Main.Routes() {
		if r.Method == "echo_route_not_found" || strings.HasPrefix(r.Method, "RouteNotFound") {
			continue
		}
		// The web app's HTML pages and assets are outside the JSON API.
		if r.Path == web.Prefix || strings.HasPrefix(r.Path, web.Prefix+"/") {
			continue
		}
		inRouter = append(inRouter, r.Method+" "+param.ReplaceAllString(r.Path, "{$1}"))
	}
	for _, r := range inRouter {
		if !slices.Contains(inSpec, r) {
			t.Errorf("route %s is served but not in openapi.yaml", r)
		}
	}
	for _, r := range inSpec {
		if strings.Contains(r, " "+web.Prefix+"/") || strings.HasSuffix(r, " "+web.Prefix) {
			t.Errorf("route %s is the web app's, not the API's: it does not belong in openapi.yaml", r)
		}
		if !slices.Contains(inRouter, r) {
			t.Errorf("route %s is in openapi.yaml but not served", r)
		}
	}
}

func TestMetaRoutes(t *testing.T) {
	s := Start(t)
	for _, path := range []string{"/healthz", "/readyz", "/openapi.yaml", "/docs", "/metrics"} {
		r := s.Do(t, Request{Method: http.MethodGet, Path: path})
		r.Expect(t, http.StatusOK)
	}
	metrics := s.Do(t, Request{Method: http.MethodGet, Path: "/metrics"})
	for _, want := range []string{"jobcenter_http_requests_total", "jobcenter_http_request_duration_seconds", "go_sql_max_open_connections"} {
		if !strings.Contains(string(metrics.Body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	docs := s.Do(t, Request{Method: http.MethodGet, Path: "/docs"})
	if !strings.Contains(string(docs.Body), "/docs/assets/") {
		t.Errorf("docs page does not load its embedded script")
	}
}
