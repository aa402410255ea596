package apitest

import (
	"net/http"
	"testing"
)

// Access-log entries are kept two years; the daily job deletes older ones.
func TestAccessLogRetentionJob(t *testing.T) {
	ordClock(t, Start(t), "2026-11-02T06:00:00Z")
	tn := NewTenant(t)
	organiser := tn.Organiser(t, 0)
	_, coord := tn.User(t, "coordinator", "")
	id := newParticipant(t, tn, coord, organiser)
	tn.Do(t, http.MethodGet, "/v1/participants/"+id, coord, nil).Expect(t, http.StatusOK)
	entries := func() int64 {
		var n int64
		if err := tn.S.Main.DB.Gorm.Table("access_log_entries").Where("participant_id = ?", id).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	run := func() {
		tn.S.Do(t, Request{Method: http.MethodPost, Path: "/dev/jobs/access-log-retention/run"}).Expect(t, http.StatusOK)
	}
	ordClock(t, tn.S, "2028-11-01T06:00:00Z") // a day short of two years
	run()
	if n := entries(); n != 1 {
		t.Fatalf("%d entries after 2 years less a day, want 1", n)
	}
	ordClock(t, tn.S, "2028-11-03T06:00:00Z")
	run()
	if n := entries(); n != 0 {
		t.Fatalf("%d entries older than two years kept", n)
	}
}
