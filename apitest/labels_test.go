package apitest

import (
	"net/http"
	"testing"
)

// A customer reads the task types it must name in an order, and lists of
// orders and shifts show the names a person needs next to the ids; another
// customer sees none of them.
func TestListsShowNamesAndCustomersReadTaskTypes(t *testing.T) {
	f := newStaffFixture(t)
	types := f.tn.Do(t, http.MethodGet, "/v1/task-types", f.cust, nil).Expect(t, http.StatusOK).Map(t)["items"].([]any)
	if len(types) != 1 || types[0].(map[string]any)["id"] != f.taskType {
		t.Fatalf("the customer reads task types %v, want %s", types, f.taskType)
	}
	shifts := f.shiftsOf(t, 2, once("2026-11-05", "08:00", "12:00"))
	org := f.tn.Do(t, http.MethodGet, "/v1/organizations/"+f.customer, f.coord, nil).Expect(t, http.StatusOK).Map(t)
	customerName := org["name"].(string)

	for _, token := range []string{f.cust, f.coord} {
		orders := f.tn.Do(t, http.MethodGet, "/v1/orders", token, nil).Expect(t, http.StatusOK).Map(t)["items"].([]any)
		if len(orders) != 1 {
			t.Fatalf("%d orders", len(orders))
		}
		o := orders[0].(map[string]any)
		if o["customer_name"] != customerName || o["task_type_name"] != "Outdoor cleaning" {
			t.Errorf("order names %v / %v, want %s / Outdoor cleaning", o["customer_name"], o["task_type_name"], customerName)
		}
		list := f.tn.Do(t, http.MethodGet, "/v1/shifts", token, nil).Expect(t, http.StatusOK).Map(t)["items"].([]any)
		if len(list) != len(shifts) {
			t.Fatalf("%d shifts, want %d", len(list), len(shifts))
		}
		for _, it := range append(list, any(f.shift(t, token, shifts[0]))) {
			s := it.(map[string]any)
			if s["customer_name"] != customerName || s["task_type_name"] != "Outdoor cleaning" || s["site_address"] != "Mannerheimintie 1, Helsinki" {
				t.Errorf("shift labels %v / %v / %v", s["customer_name"], s["task_type_name"], s["site_address"])
			}
		}
	}
	// Another customer's user lists nothing of this customer's.
	other := f.tn.Customer(t, "standard")
	otherTok := f.tn.Login(t, ordUser(t, f.tn, "customer", other))
	for _, path := range []string{"/v1/orders", "/v1/shifts"} {
		if items := f.tn.Do(t, http.MethodGet, path, otherTok, nil).Expect(t, http.StatusOK).Map(t)["items"].([]any); len(items) != 0 {
			t.Errorf("another customer lists %d of %s", len(items), path)
		}
	}
}
