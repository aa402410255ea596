package apitest

import (
	"net/http"
	"testing"
)

// The nine payroll accounts are tenant settings like the journal's other
// accounts: a new tenant gets the defaults, a PATCH changes only the
// accounts it names, and an empty one is refused naming its pointer.
func TestTenantPayrollAccounts(t *testing.T) {
	tn := NewTenant(t)
	accounts := func() map[string]any {
		return tn.Do(t, http.MethodGet, "/v1/tenant", tn.AdminToken, nil).Expect(t, 200).Map(t)["accounts"].(map[string]any)
	}
	want := map[string]any{"receivables": "1700", "sales": "3000", "vat_payable": "2939", "purchases": "4000", "organiser_payables": "2871",
		"wages": "5000", "social_costs": "6100", "withholding_payable": "2930", "social_security_payable": "2931", "pension_payable": "2935",
		"unemployment_payable": "2936", "accident_insurance_payable": "2937", "holiday_liability": "2950", "net_wages_payable": "2940"}
	got := accounts()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("default %s = %v, want %v", k, got[k], v)
		}
	}
	patch := func(ifMatch string, acc map[string]string) *Response {
		return tn.S.Do(t, Request{Method: http.MethodPatch, Path: "/v1/tenant", Token: tn.AdminToken,
			Header: map[string]string{"If-Match": ifMatch}, Body: map[string]any{"accounts": acc}})
	}
	if r := patch(`"1"`, map[string]string{"net_wages_payable": ""}).Expect(t, 422); firstPointer(t, r) != "/accounts/net_wages_payable" {
		t.Errorf("empty account: %s", r.Body)
	}
	patch(`"1"`, map[string]string{"wages": "5010", "holiday_liability": "2951"}).Expect(t, 200)
	want["wages"], want["holiday_liability"] = "5010", "2951"
	got = accounts()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("after patch %s = %v, want %v", k, got[k], v)
		}
	}
}
