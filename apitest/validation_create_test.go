package apitest

import (
	"net/http"
	"testing"
)

// Every create route answers one 422 with all the problems of a body: a
// value of the wrong type and an unknown field beside the rules' findings,
// and writes nothing.
func TestCreateRoutesListEveryProblem(t *testing.T) {
	f := newOrdFixture(t, "2026-10-01T09:00:00Z")
	participant := f.tn.Do(t, http.MethodPost, "/v1/participants", f.coord, map[string]any{"organiser_id": f.organiser,
		"first_name": "Aino", "last_name": "Virtanen", "iban": "FI2112345600000785"}).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	cases := []struct {
		name, path, table string
		body              map[string]any
		want              []string
	}{
		{"organization", "/v1/organizations", "organizations",
			map[string]any{"kind": "organiser", "name": " ", "business_id": "123", "coordination_fee_bps": "ten", "colour": "red"},
			[]string{"/coordination_fee_bps", "/colour", "/name", "/business_id"}},
		{"user", "/v1/users", "users",
			map[string]any{"email": "nobody", "password": "short", "role": "boss", "phone": 401234567, "name": "Aino"},
			[]string{"/phone", "/email", "/password", "/role"}},
		{"agreement", "/v1/agreements", "agreements",
			map[string]any{"customer_id": f.organiser, "participant_hour_price_cents": "lots", "supervisor_hour_price_cents": 4500,
				"minimum_billable_minutes": 120, "late_cancellation_window_hours": 48, "late_cancellation_fee_cents": 15000,
				"payment_term_days": 14, "employment_model": "lending", "valid_from": "2026-01-01", "discount": 5},
			[]string{"/participant_hour_price_cents", "/discount", "/customer_id", "/employment_model"}},
		{"participant", "/v1/participants", "participants",
			map[string]any{"organiser_id": f.organiser, "first_name": " ", "last_name": 7, "iban": "FI00",
				"employment_start_date": "soon"},
			[]string{"/last_name", "/first_name", "/iban", "/employment_start_date"}},
		{"service decision", "/v1/participants/" + participant + "/service-decisions", "service_decisions",
			map[string]any{"kind": "nonsense", "valid_from": "2026-13-01", "max_days_per_week": "five", "max_hours_per_day": 6},
			[]string{"/max_days_per_week", "/valid_from", "/kind"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := f.rows(t, c.table)
			everyProblem(t, f.tn.Do(t, http.MethodPost, c.path, f.tn.AdminToken, c.body), c.want...)
			if n := f.rows(t, c.table); n != before {
				t.Errorf("%d rows written to %s", n-before, c.table)
			}
		})
	}
}
