package apitest

import (
	"net/http"
	"testing"

	"jobcenter/auth"
	"jobcenter/models"
)

// Access-log entries are kept two years; the daily job deletes older ones,
// and older files with their subjects.
func TestAccessLogRetentionJob(t *testing.T) {
	ordClock(t, Start(t), "2026-11-02T06:00:00Z")
	tn := NewTenant(t)
	organiser := tn.Organiser(t, 0)
	_, coord := tn.User(t, "coordinator", "")
	financeID, _ := tn.User(t, "finance", "")
	finance := auth.Principal{TenantID: tn.ID, UserID: financeID, Role: models.RoleFinance}
	id, other := newParticipant(t, tn, coord, organiser), newParticipant(t, tn, coord, organiser)
	tn.Do(t, http.MethodGet, "/v1/participants/"+id, coord, nil).Expect(t, http.StatusOK)
	logFile(t, tn, finance, "/v1/exports/payouts.xml", id, other)
	ordClock(t, tn.S, "2027-03-01T06:00:00Z")
	logFile(t, tn, finance, "/v1/exports/payouts.csv", id)
	// left is what is kept of the log: single entries, files, subjects.
	left := func() [3]int64 {
		return [3]int64{countWhere(t, tn, "access_log_entries", "participant_id = ?", id),
			countWhere(t, tn, "access_log_files", "tenant_id = ?", tn.ID),
			countWhere(t, tn, "access_log_file_subjects", "participant_id IN ?", []string{id, other})}
	}
	run := func() {
		tn.S.Do(t, Request{Method: http.MethodPost, Path: "/dev/jobs/access-log-retention/run"}).Expect(t, http.StatusOK)
	}
	ordClock(t, tn.S, "2028-11-01T06:00:00Z") // a day short of two years
	run()
	if n := left(); n != [3]int64{1, 2, 3} {
		t.Fatalf("%v entries, files and subjects after 2 years less a day, want [1 2 3]", n)
	}
	ordClock(t, tn.S, "2028-11-03T06:00:00Z")
	run()
	if n := left(); n != [3]int64{0, 1, 1} {
		t.Fatalf("%v entries, files and subjects after two years, want the newer file's only: [0 1 1]", n)
	}
}

// The daily expired-records job deletes stored idempotent responses after
// their day (they can hold personal data), refresh tokens after their 30
// days, and login failures after their 15 minutes.
func TestExpiredRecordsJob(t *testing.T) {
	ordClock(t, Start(t), "2026-11-02T06:00:00Z")
	tn := NewTenant(t)
	tn.S.Do(t, Request{Method: http.MethodPost, Path: "/v1/task-types", Token: tn.AdminToken,
		Body: map[string]any{"name": "Shelving"}, Header: map[string]string{"Idempotency-Key": "k-1"}}).Expect(t, http.StatusCreated)
	login(t, tn, tn.adminEmail, "wrong password!!").Expect(t, http.StatusUnauthorized)
	count := func(table, where string, args ...any) int64 {
		var n int64
		if err := tn.S.Main.DB.Gorm.Table(table).Where(where, args...).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	keys := func() int64 { return count("idempotency_keys", "tenant_id = ?", tn.ID) }
	tokens := func() int64 { return count("refresh_tokens", "tenant_id = ?", tn.ID) }
	failures := func() int64 { return count("login_failures", "kind = 'email' AND subject = ?", tn.adminEmail) }
	run := func(now string) {
		ordClock(t, tn.S, now)
		tn.S.Do(t, Request{Method: http.MethodPost, Path: "/dev/jobs/expired-records/run"}).Expect(t, http.StatusOK)
	}
	if keys() != 1 || tokens() == 0 || failures() != 1 {
		t.Fatalf("before: %d keys, %d tokens, %d failures", keys(), tokens(), failures())
	}
	run("2026-11-02T06:10:00Z")
	if keys() != 1 || tokens() == 0 || failures() != 1 {
		t.Fatalf("after 10 minutes: %d keys, %d tokens, %d failures; nothing has expired", keys(), tokens(), failures())
	}
	run("2026-11-03T06:30:00Z")
	if keys() != 0 || tokens() == 0 || failures() != 0 {
		t.Fatalf("after a day: %d keys, %d tokens, %d failures; want the tokens only", keys(), tokens(), failures())
	}
	run("2026-12-03T06:30:00Z")
	if tokens() != 0 {
		t.Fatalf("%d refresh tokens kept past their 30 days", tokens())
	}
}
