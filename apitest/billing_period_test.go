package apitest

import (
	"net/http"
	"strings"
	"testing"
)

// Only an ended month can be billed, by the service clock in Helsinki time:
// at 23:59 on 30 November November is refused (a dry run previews it), one
// minute later (22:00 UTC, still 30 November in UTC) it runs. Future months
// are refused, dry run or not, and a refusal writes nothing.
func TestBillingRunRefusesAPeriodThatHasNotEnded(t *testing.T) {
	s := Start(t)
	ordClock(t, s, "2026-11-30T21:59:00Z")
	tn := NewTenant(t)
	_, fin := tn.User(t, "finance", "")
	post := func(period string, dry bool, status int) *Response {
		t.Helper()
		return s.Do(t, Request{Method: http.MethodPost, Path: "/v1/billing-runs", Token: fin,
			Body: map[string]any{"period": period, "dry_run": dry}}).Expect(t, status)
	}
	refused := func(r *Response, opens string) {
		t.Helper()
		if p := r.Map(t); p["code"] != "period_not_ended" || !strings.Contains(p["detail"].(string), opens) {
			t.Errorf("want period_not_ended naming %s: %v", opens, p)
		}
	}
	refused(post("2026-11", false, http.StatusConflict), "2026-12-01")
	refused(post("2026-12", false, http.StatusConflict), "2027-01-01")
	refused(post("2026-12", true, http.StatusConflict), "2027-01-01")
	refused(post("2027-05", false, http.StatusConflict), "2027-06-01")
	post("2026-11", true, http.StatusOK)
	post("2026-10", false, http.StatusCreated)
	var runs struct {
		Items []map[string]any `json:"items"`
	}
	s.Do(t, Request{Method: http.MethodGet, Path: "/v1/billing-runs", Token: fin}).Expect(t, http.StatusOK).Decode(t, &runs)
	if len(runs.Items) != 1 || runs.Items[0]["period"] != "2026-10" {
		t.Fatalf("only October's run is stored: %v", runs.Items)
	}

	ordClock(t, s, "2026-11-30T22:00:00Z") // 00:00 on 1 December in Helsinki
	post("2026-11", false, http.StatusCreated)
	refused(post("2026-12", false, http.StatusConflict), "2027-01-01")
	post("2026-12", true, http.StatusOK)
}
