package apitest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"testing"
)

// Tenant is a fresh tenant of the shared server with its admin logged in.
// Tests make their own tenant, so they never see each other's data.
type Tenant struct {
	S          *Server
	ID         string
	AdminToken string
	adminEmail string
	n          int
	lastEmail  string // of the user User made last
}

// Password is every test user's password.
const Password = "correct horse battery staple"

// NewTenant bootstraps a tenant with a unique name and logs its admin in.
func NewTenant(t testing.TB) *Tenant {
	t.Helper()
	s := Start(t)
	suffix := fmt.Sprintf("%x", rand.Uint64())
	tid, _, err := s.Main.Directory.Bootstrap(context.Background(), "City "+suffix, "admin-"+suffix+"@example.fi", Password)
	if err != nil {
		t.Fatalf("bootstrap: %v", err)
	}
	tn := &Tenant{S: s, ID: tid, adminEmail: "admin-" + suffix + "@example.fi"}
	tn.Relogin(t)
	return tn
}

// Relogin renews the admin's token: tokens expire by the server clock, so
// a test that moves the clock logs in again.
func (tn *Tenant) Relogin(t testing.TB) { tn.AdminToken = tn.Login(t, tn.adminEmail) }

// Login returns an access token for email.
func (tn *Tenant) Login(t testing.TB, email string) string {
	t.Helper()
	r := tn.S.Do(t, Request{Method: http.MethodPost, Path: "/v1/auth/token", Body: map[string]string{"email": email, "password": Password}})
	r.Expect(t, http.StatusOK)
	return r.Map(t)["access_token"].(string)
}

// User creates a user of role (in organization orgID for customer and
// supervisor users) and returns its id and access token.
func (tn *Tenant) User(t testing.TB, role, orgID string) (id, token string) {
	t.Helper()
	tn.n++
	email := fmt.Sprintf("%s-%d-%x@example.fi", role, tn.n, rand.Uint32())
	tn.lastEmail = email
	body := map[string]any{"email": email, "password": Password, "role": role, "name": "Test " + role, "phone": "+358401234567"}
	if orgID != "" {
		body["organization_id"] = orgID
	}
	r := tn.S.Do(t, Request{Method: http.MethodPost, Path: "/v1/users", Token: tn.AdminToken, Body: body})
	r.Expect(t, http.StatusCreated)
	return r.Map(t)["id"].(string), tn.Login(t, email)
}

// Customer creates a customer organization with the VAT treatment: a city
// unit (sector public) when internal, else an association (non_profit), so
// every kind of decision may work for it.
func (tn *Tenant) Customer(t testing.TB, vat string) string {
	t.Helper()
	sector := "non_profit"
	if vat == "internal" {
		sector = "public"
	}
	return tn.CustomerIn(t, vat, sector)
}

// CustomerIn creates a customer organization with the VAT treatment and sector.
func (tn *Tenant) CustomerIn(t testing.TB, vat, sector string) string {
	t.Helper()
	body := map[string]any{"kind": "customer", "name": "Customer Oy", "business_id": "0737546-2", "vat_treatment": vat, "sector": sector,
		"billing_address":  map[string]string{"street": "Mannerheimintie 1", "postal_code": "00100", "city": "Helsinki", "country": "FI"},
		"einvoice_address": "003707375462", "einvoice_operator": "003721291126"}
	if vat == "exempt" {
		body["vat_exempt_reason"] = "Social welfare service, VAT Act 37 §"
	}
	r := tn.S.Do(t, Request{Method: http.MethodPost, Path: "/v1/organizations", Token: tn.AdminToken, Body: body})
	r.Expect(t, http.StatusCreated)
	return r.Map(t)["id"].(string)
}

// Organiser creates an organiser with a coordination fee.
func (tn *Tenant) Organiser(t testing.TB, feeBps int) string {
	t.Helper()
	body := map[string]any{"kind": "organiser", "name": "Work Activity Unit", "business_id": "0201256-6",
		"iban": "FI2112345600000785", "coordination_fee_bps": feeBps}
	r := tn.S.Do(t, Request{Method: http.MethodPost, Path: "/v1/organizations", Token: tn.AdminToken, Body: body})
	r.Expect(t, http.StatusCreated)
	return r.Map(t)["id"].(string)
}

// Do sends a request with token.
func (tn *Tenant) Do(t testing.TB, method, path, token string, body any) *Response {
	t.Helper()
	return tn.S.Do(t, Request{Method: method, Path: path, Token: token, Body: body})
}
