package apitest

import (
	"net/http"
	"testing"
)

// A path that is no route is 404 with or without a token; a route without a
// token is still 401.
func TestUnknownRouteIsNotFoundEvenWithoutAToken(t *testing.T) {
	s := Start(t)
	tn := NewTenant(t)
	for _, path := range []string{"/v1/nope", "/v1/shifts/x/nope", "/v1", "/v1/", "/nope"} {
		s.Do(t, Request{Method: http.MethodGet, Path: path}).Expect(t, http.StatusNotFound)
		s.Do(t, Request{Method: http.MethodGet, Path: path, Token: tn.AdminToken}).Expect(t, http.StatusNotFound)
	}
	s.Do(t, Request{Method: http.MethodGet, Path: "/v1/me"}).Expect(t, http.StatusUnauthorized)
	s.Do(t, Request{Method: http.MethodGet, Path: "/v1/me", Token: tn.AdminToken}).Expect(t, http.StatusOK)
}
