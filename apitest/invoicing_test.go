package apitest

import (
	"net/http"
	"strings"
	"testing"
)

// patchTenant changes the tenant's settings as the admin.
func patchTenant(t *testing.T, tn *Tenant, body map[string]any) *Response {
	t.Helper()
	tn.Relogin(t) // the clock may have moved
	version := tn.Do(t, http.MethodGet, "/v1/tenant", tn.AdminToken, nil).Expect(t, http.StatusOK).Header.Get("ETag")
	return tn.S.Do(t, Request{Method: http.MethodPatch, Path: "/v1/tenant", Token: tn.AdminToken,
		Header: map[string]string{"If-Match": version}, Body: body})
}

// The seller's e-invoice address and operator are settings of the tenant,
// checked for their form: an OVT code with a valid business ID inside, or
// an IBAN; a wrong one is a 422 naming it and changes nothing.
func TestTenantEinvoiceAddressIsChecked(t *testing.T) {
	tn := NewTenant(t)
	for _, c := range []struct {
		body    map[string]any
		pointer string
	}{
		{map[string]any{"einvoice_address": "003702012567", "einvoice_operator": "003721291126"}, "/einvoice_address"}, // wrong check digit
		{map[string]any{"einvoice_address": "0037020125", "einvoice_operator": "003721291126"}, "/einvoice_address"},   // too short
		{map[string]any{"einvoice_address": "FI21 1234 5600 0007 85", "einvoice_operator": "OKOYFIHH"}, "/einvoice_address"},
		{map[string]any{"einvoice_address": "FI2112345600000786", "einvoice_operator": "OKOYFIHH"}, "/einvoice_address"},
		{map[string]any{"einvoice_address": "003702012566", "einvoice_operator": "OKOY FIHH"}, "/einvoice_operator"},
		{map[string]any{"einvoice_address": "003702012566"}, "/einvoice_operator"},
	} {
		r := patchTenant(t, tn, c.body).Expect(t, http.StatusUnprocessableEntity)
		if p := firstPointer(t, r); p != c.pointer {
			t.Errorf("%v: pointer %s, want %s", c.body, p, c.pointer)
		}
	}
	got := tn.Do(t, http.MethodGet, "/v1/tenant", tn.AdminToken, nil).Expect(t, http.StatusOK).Map(t)
	if got["einvoice_address"] != "" || got["version"].(float64) != 1 {
		t.Fatalf("a refused change was written: %v", got)
	}
	for _, ok := range []map[string]any{
		{"einvoice_address": "0037020125661001", "einvoice_operator": "BAWCFI22"},
		{"einvoice_address": "FI2112345600000785", "einvoice_operator": "OKOYFIHH"},
		{"einvoice_address": "003702012566", "einvoice_operator": "E204503"},
	} {
		got := patchTenant(t, tn, ok).Expect(t, http.StatusOK).Map(t)
		if got["einvoice_address"] != ok["einvoice_address"] || got["einvoice_operator"] != ok["einvoice_operator"] {
			t.Fatalf("tenant after %v: %v", ok, got)
		}
	}
}

// A customer's e-invoice address is checked the same way, and its invoice
// language is fi, sv or en (fi unless given).
func TestCustomerEinvoiceAddressAndLanguage(t *testing.T) {
	tn := NewTenant(t)
	id := tn.Customer(t, "standard")
	r := tn.Do(t, http.MethodGet, "/v1/organizations/"+id, tn.AdminToken, nil).Expect(t, http.StatusOK)
	if lang := r.Map(t)["language"]; lang != "fi" {
		t.Fatalf("default language %v, want fi", lang)
	}
	patch := func(body map[string]any) *Response {
		version := tn.Do(t, http.MethodGet, "/v1/organizations/"+id, tn.AdminToken, nil).Expect(t, http.StatusOK).Header.Get("ETag")
		return tn.S.Do(t, Request{Method: http.MethodPatch, Path: "/v1/organizations/" + id, Token: tn.AdminToken,
			Header: map[string]string{"If-Match": version}, Body: body})
	}
	for _, c := range []struct {
		body    map[string]any
		pointer string
	}{
		{map[string]any{"language": "de"}, "/language"},
		{map[string]any{"einvoice_address": "0037073754"}, "/einvoice_address"},
	} {
		if p := firstPointer(t, patch(c.body).Expect(t, http.StatusUnprocessableEntity)); p != c.pointer {
			t.Errorf("%v: pointer %s, want %s", c.body, p, c.pointer)
		}
	}
	if got := patch(map[string]any{"language": "sv"}).Expect(t, http.StatusOK).Map(t); got["language"] != "sv" {
		t.Fatalf("language after the change: %v", got["language"])
	}
}

// The customer's own reference on an order is at most 35 characters of
// printable text (it goes on every invoice row); a customer user sets it
// when ordering and sees it back.
func TestOrderCustomerReference(t *testing.T) {
	f := newOrdFixture(t, "2026-10-01T06:00:00Z")
	body := func(ref string) map[string]any {
		b := f.orderBody(once("2026-10-20", "08:00", "12:00"))
		b["customer_reference"] = ref
		return b
	}
	for _, bad := range []string{strings.Repeat("x", 36), "PO 123\n45", "cost\tcentre", "PO\u0085"} {
		r := f.tn.Do(t, http.MethodPost, "/v1/orders", f.cust, body(bad)).Expect(t, http.StatusUnprocessableEntity)
		if p := firstPointer(t, r); p != "/customer_reference" {
			t.Errorf("%q: pointer %s", bad, p)
		}
	}
	if n := f.rows(t, "orders"); n != 0 {
		t.Fatalf("%d orders written by refused requests", n)
	}
	ref := "TILAUS-2026/Åbo " + strings.Repeat("9", 19) // 35 characters
	r := f.tn.Do(t, http.MethodPost, "/v1/orders", f.cust, body(ref)).Expect(t, http.StatusCreated).Map(t)
	if r["customer_reference"] != ref {
		t.Fatalf("customer_reference %v, want %q", r["customer_reference"], ref)
	}
}
