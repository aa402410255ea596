package apitest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// extremes replace one field of a valid request at a time: out-of-range and
// overflowing numbers, huge and odd text, wrong types and nulls.
var extremes = []any{int64(1) << 31, int64(1) << 62, -(int64(1) << 62), -1, 0, 1.5,
	strings.Repeat("x", 5000), strings.Repeat("😀", 300), "", " ", "9999-12-31", "0001-01-01", "24:00", `\`, nil, true,
	[]any{}, []any{int64(1) << 62}, map[string]any{}}

// mutations calls fn with a copy of body for each leaf and extreme value,
// and the JSON pointer of the leaf.
func mutations(body any, fn func(pointer string, mutated any)) {
	var walk func(v any, pointer string, set func(any) any)
	walk = func(v any, pointer string, set func(any) any) {
		switch v := v.(type) {
		case map[string]any:
			for k := range v {
				walk(v[k], pointer+"/"+k, func(x any) any { return set(with(v, k, x)) })
			}
		case []any:
			for i := range v {
				walk(v[i], fmt.Sprintf("%s/%d", pointer, i), func(x any) any {
					c := append([]any(nil), v...)
					c[i] = x
					return set(c)
				})
			}
		}
		for _, x := range extremes {
			fn(pointer, set(x))
		}
	}
	walk(body, "", func(x any) any { return x })
}

// with is a copy of m with k set to x.
func with(m map[string]any, k string, x any) map[string]any {
	c := make(map[string]any, len(m))
	for key, val := range m {
		c[key] = val
	}
	c[k] = x
	return c
}

// asJSON turns a Go literal into the generic JSON form mutations walks.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// No request answers 500: every field of the writing requests, one at a
// time, set to an extreme value is bad input (4xx) or accepted, on both
// databases. PostgreSQL's integer columns and text without NUL are where
// such input used to fail.
func TestMutatedRequestsNeverFailTheServer(t *testing.T) {
	c := newCrewedShift(t)
	c.at(t, "2026-11-10T11:00:00Z") // the crewed shift has started; hours can be recorded
	participant := c.participantA
	etag := func(path, token string) string {
		return c.tn.Do(t, http.MethodGet, path, token, nil).Expect(t, http.StatusOK).Header.Get("ETag")
	}
	userID, _ := c.tn.User(t, "finance", "")
	future := c.shiftsOf(t, 2, once("2026-11-20", "08:00", "12:00"))[0]
	requests := []struct {
		method, path string
		token        func() string
		body         any
		ifMatch      string // the path whose ETag the request needs
	}{
		{"POST", "/v1/organizations", func() string { return c.coord }, map[string]any{"kind": "customer", "name": "Mutant Oy",
			"business_id": "0737546-2", "vat_treatment": "standard", "sector": "company", "einvoice_address": "003707375462", "einvoice_operator": "003721291126",
			"billing_address": map[string]any{"street": "Katu 1", "postal_code": "00100", "city": "Helsinki", "country": "FI"}}, ""},
		{"PATCH", "/v1/organizations/" + c.organiser, func() string { return c.coord }, map[string]any{"name": "Unit",
			"iban": "FI2112345600000785", "coordination_fee_bps": 500}, "/v1/organizations/" + c.organiser},
		{"POST", "/v1/agreements", func() string { return c.coord }, map[string]any{"customer_id": c.customer,
			"participant_hour_price_cents": 2500, "supervisor_hour_price_cents": 4500, "minimum_billable_minutes": 120,
			"late_cancellation_window_hours": 48, "late_cancellation_fee_cents": 15000, "payment_term_days": 14,
			"employment_model": "subcontracting", "valid_from": "2031-01-01", "valid_until": nil}, ""},
		{"POST", "/v1/orders", func() string { return c.cust }, c.orderBody(weekly([]int{1, 3}, "08:00", "12:00", "2027-01-04", "2027-01-31")), ""},
		{"POST", "/v1/participants", func() string { return c.coord }, map[string]any{"organiser_id": c.organiser,
			"first_name": "Aino", "last_name": "Virtanen", "email": "a@example.fi", "phone": "+358401112233", "iban": participantIBAN}, ""},
		{"PATCH", "/v1/participants/" + participant, func() string { return c.coord }, map[string]any{"first_name": "Aino",
			"phone": "+358401", "iban": participantIBAN, "active": true}, "/v1/participants/" + participant},
		{"POST", "/v1/participants/" + participant + "/service-decisions", func() string { return c.coord }, map[string]any{
			"kind": "supported_employment", "valid_from": "2032-01-01", "valid_until": "2032-06-30", "max_days_per_week": 5,
			"max_hours_per_day": 8, "compensation": "hourly_wage", "hourly_wage_cents": 1350, "withholding_bps": 1750}, ""},
		{"POST", "/v1/participants/" + participant + "/outcomes", func() string { return c.coord }, map[string]any{
			"kind": "education", "date": "2026-11-01", "note": "started vocational school"}, ""},
		{"PUT", "/v1/participants/" + participant + "/availability", func() string { return c.coord }, map[string]any{
			"weekdays": []int{1, 2}, "note": "mornings"}, ""},
		{"PUT", "/v1/shifts/" + c.shift + "/time-entries", func() string { return c.supervisor }, c.entries(), ""},
		{"POST", "/v1/shifts/" + future + "/assignments", func() string { return c.coord }, map[string]any{"participant_id": c.particiB}, ""},
		{"POST", "/v1/shifts/" + future + "/cancel", func() string { return c.cust }, map[string]any{"reason": "no work"}, ""},
		{"PATCH", "/v1/tenant", func() string { return c.tn.AdminToken }, map[string]any{"name": "City", "horizon_weeks": 8,
			"max_crew_per_supervisor": 8, "auto_approve_days": 3, "iban": "FI2112345600000785"}, "/v1/tenant"},
		{"POST", "/v1/users", func() string { return c.tn.AdminToken }, map[string]any{"email": "m@example.fi",
			"password": Password, "role": "coordinator", "name": "M", "phone": "1"}, ""},
		{"PATCH", "/v1/users/" + userID, func() string { return c.tn.AdminToken }, map[string]any{"name": "F", "phone": "2",
			"active": true}, "/v1/users/" + userID},
		{"POST", "/v1/billing-runs", func() string { _, tok := c.tn.User(t, "finance", ""); return tok }, map[string]any{"period": "2026-11", "dry_run": true}, ""},
	}
	sent := 0
	for _, rq := range requests {
		token := rq.token()
		mutations(asJSON(t, rq.body), func(pointer string, body any) {
			h := map[string]string{}
			if rq.ifMatch != "" {
				h["If-Match"] = etag(rq.ifMatch, token)
			}
			r := c.tn.S.Do(t, Request{Method: rq.method, Path: rq.path, Token: token, Body: body, Header: h})
			sent++
			if r.Status >= 500 {
				t.Errorf("%s %s with %s = %v: %d %s", rq.method, rq.path, pointer, body, r.Status, r.Body)
			}
		})
	}
	t.Logf("%d mutated requests", sent)
}
