package apitest

import (
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"jobcenter"
)

// allowedRoles is who may call each route at all, from API.md: any other
// role answers 403 whatever the object. Every /v1 route of openapi.yaml must
// be listed here, so a new route cannot skip the table.
var allowedRoles = map[string][]string{
	"GET /v1/tenant":                                      {"admin", "finance"},
	"PATCH /v1/tenant":                                    {"admin"},
	"GET /v1/me":                                          {"admin", "coordinator", "supervisor", "customer", "finance"},
	"POST /v1/users":                                      {"admin"},
	"GET /v1/users":                                       {"admin"},
	"GET /v1/users/{id}":                                  {"admin"},
	"PATCH /v1/users/{id}":                                {"admin"},
	"POST /v1/organizations":                              {"admin", "coordinator"},
	"GET /v1/organizations":                               {"admin", "coordinator"},
	"GET /v1/organizations/{id}":                          {"admin", "coordinator"},
	"PATCH /v1/organizations/{id}":                        {"admin", "coordinator"},
	"POST /v1/task-types":                                 {"admin", "coordinator"},
	"GET /v1/task-types":                                  {"admin", "coordinator", "supervisor", "customer", "finance"},
	"POST /v1/agreements":                                 {"admin", "coordinator", "finance"},
	"GET /v1/agreements":                                  {"admin", "coordinator", "finance"},
	"GET /v1/agreements/{id}":                             {"admin", "coordinator", "finance"},
	"POST /v1/participants":                               {"admin", "coordinator", "supervisor"},
	"GET /v1/participants":                                {"admin", "coordinator", "supervisor"},
	"GET /v1/participants/{id}":                           {"admin", "coordinator", "supervisor"},
	"PATCH /v1/participants/{id}":                         {"admin", "coordinator", "supervisor"},
	"POST /v1/participants/{id}/service-decisions":        {"admin", "coordinator", "supervisor"},
	"GET /v1/participants/{id}/service-decisions":         {"admin", "coordinator", "supervisor"},
	"POST /v1/participants/{id}/outcomes":                 {"admin", "coordinator", "supervisor"},
	"GET /v1/participants/{id}/outcomes":                  {"admin", "coordinator", "supervisor"},
	"PUT /v1/participants/{id}/availability":              {"admin", "coordinator", "supervisor"},
	"GET /v1/participants/{id}/availability":              {"admin", "coordinator", "supervisor"},
	"GET /v1/participants/{id}/access-log":                {"admin", "coordinator"},
	"POST /v1/participants/{id}/tax-cards":                {"admin", "coordinator", "supervisor", "finance"},
	"GET /v1/participants/{id}/tax-cards":                 {"admin", "coordinator", "supervisor", "finance"},
	"POST /v1/orders":                                     {"admin", "coordinator", "customer"},
	"GET /v1/orders":                                      {"admin", "coordinator", "customer"},
	"GET /v1/orders/{id}":                                 {"admin", "coordinator", "customer"},
	"POST /v1/orders/{id}/accept":                         {"admin", "coordinator"},
	"POST /v1/orders/{id}/reject":                         {"admin", "coordinator"},
	"POST /v1/orders/{id}/complete":                       {"admin", "coordinator"},
	"POST /v1/orders/{id}/cancel":                         {"admin", "coordinator", "customer"},
	"GET /v1/shifts":                                      {"admin", "coordinator", "supervisor", "customer", "finance"},
	"GET /v1/shifts/{id}":                                 {"admin", "coordinator", "supervisor", "customer", "finance"},
	"POST /v1/shifts/{id}/cancel":                         {"admin", "coordinator", "customer"},
	"GET /v1/shifts/{id}/candidates":                      {"admin", "coordinator", "supervisor"},
	"POST /v1/shifts/{id}/assignments":                    {"admin", "coordinator", "supervisor"},
	"DELETE /v1/shifts/{id}/assignments/{aid}":            {"admin", "coordinator", "supervisor"},
	"PUT /v1/shifts/{id}/time-entries":                    {"admin", "coordinator", "supervisor"},
	"GET /v1/shifts/{id}/time-entries":                    {"admin", "coordinator", "supervisor", "customer", "finance"},
	"POST /v1/shifts/{id}/submit":                         {"admin", "coordinator", "supervisor"},
	"POST /v1/shifts/{id}/approve":                        {"admin", "coordinator", "customer"},
	"POST /v1/shifts/{id}/dispute":                        {"admin", "coordinator", "customer"},
	"GET /v1/shifts/{id}/history":                         {"admin", "coordinator", "finance"},
	"GET /v1/reminders":                                   {"admin", "coordinator", "supervisor", "customer", "finance"},
	"POST /v1/billing-runs":                               {"admin", "finance"},
	"GET /v1/billing-runs":                                {"admin", "finance"},
	"GET /v1/billing-runs/{id}":                           {"admin", "finance"},
	"GET /v1/invoices":                                    {"admin", "finance", "customer"},
	"GET /v1/invoices/{id}":                               {"admin", "finance", "customer"},
	"GET /v1/invoices/{id}/invoice.pdf":                   {"admin", "finance", "customer"},
	"POST /v1/invoices/{id}/credit-note":                  {"finance"},
	"GET /v1/settlements":                                 {"admin", "finance", "supervisor"},
	"GET /v1/payouts":                                     {"admin", "finance", "supervisor"},
	"GET /v1/exports/payouts.csv":                         {"finance"},
	"GET /v1/exports/payouts.xml":                         {"finance"},
	"GET /v1/exports/incomes-register.xml":                {"finance"},
	"GET /v1/incomes-register/deliveries":                 {"finance"},
	"POST /v1/incomes-register/deliveries/{id}/delivered": {"finance"},
	"GET /v1/exports/invoices/{id}/finvoice.xml":          {"finance"},
	"GET /v1/exports/invoices.csv":                        {"finance"},
	"GET /v1/exports/journal.csv":                         {"finance"},
	"GET /v1/exports/payroll-basis.csv":                   {"finance"},
	"GET /v1/exports/attendance.csv":                      {"finance", "coordinator"},
	"GET /v1/reports/kpi":                                 {"admin", "coordinator"},
	"GET /v1/payouts/{id}/payslip.pdf":                    {"finance", "supervisor"},
	"POST /v1/webhooks":                                   {"admin"},
	"GET /v1/webhooks":                                    {"admin"},
	"GET /v1/webhooks/{id}":                               {"admin"},
	"DELETE /v1/webhooks/{id}":                            {"admin"},
	"GET /v1/webhooks/{id}/deliveries":                    {"admin"},
	"POST /v1/webhooks/{id}/deliveries/{did}/retry":       {"admin"},
	"GET /v1/me/notifications":                            {"admin", "coordinator", "supervisor", "customer", "finance"},
	"PUT /v1/me/notifications":                            {"admin", "coordinator", "supervisor", "customer", "finance"},
}

// publicRoutes need no token.
var publicRoutes = []string{"POST /v1/auth/token", "POST /v1/auth/refresh"}

// TestRoleRouteTable calls every /v1 route as every role and without a
// token: a role that may not call the route gets 403, one that may never
// gets 401, 403 or a server error (unknown ids give 404 or 422), and no
// token gets 401. Every answer is checked against openapi.yaml.
func TestRoleRouteTable(t *testing.T) {
	tn := NewTenant(t)
	tokens := roleTokens(t, tn, tn.Customer(t, "standard"), tn.Organiser(t, 1000))
	doc, err := openapi3.NewLoader().LoadFromData(jobcenter.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`\{[a-z_]+\}`)
	var routes []string
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, "/v1/") {
			continue
		}
		for method := range item.Operations() {
			routes = append(routes, method+" "+path)
		}
	}
	sort.Strings(routes)
	if len(routes) < len(allowedRoles) {
		t.Fatalf("openapi.yaml has %d /v1 routes, the role table %d", len(routes), len(allowedRoles))
	}
	for _, route := range routes {
		if slices.Contains(publicRoutes, route) {
			continue
		}
		allowed, ok := allowedRoles[route]
		if !ok {
			t.Errorf("%s is not in the role table", route)
			continue
		}
		method, path, _ := strings.Cut(route, " ")
		path = param.ReplaceAllString(path, "00000000-0000-0000-0000-000000000000")
		var body any
		if method != http.MethodGet && method != http.MethodDelete {
			body = map[string]any{}
		}
		for _, role := range []string{"admin", "coordinator", "supervisor", "customer", "finance", "anonymous"} {
			r := tn.S.Do(t, Request{Method: method, Path: path, Token: tokens[role], Body: body, Header: map[string]string{"If-Match": `"1"`}})
			switch {
			case role == "anonymous" && r.Status != http.StatusUnauthorized:
				t.Errorf("%s without a token: %d", route, r.Status)
			case role == "anonymous":
			case !slices.Contains(allowed, role) && r.Status != http.StatusForbidden:
				t.Errorf("%s as %s: %d, want 403", route, role, r.Status)
			case slices.Contains(allowed, role) && (r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden || r.Status >= 500):
				t.Errorf("%s as %s (allowed): %d %s", route, role, r.Status, truncate(r.Body))
			}
		}
	}
}
