package apitest

import (
	"context"
	"encoding/base64"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/participants"
)

// logFile logs, as p at the server's clock time, an export under route of
// the given participants, each selected twice so that the log must make
// them distinct.
func logFile(t *testing.T, tn *Tenant, p auth.Principal, route string, ids ...string) {
	t.Helper()
	const once = `SELECT id FROM participants WHERE tenant_id = ? AND id IN ?`
	err := tn.S.Main.DB.WithTx(context.Background(), func(tx *gorm.DB) error {
		return participants.LogAccessSelected(tx, p, tn.S.Main.Clock.Now(), route, models.AccessExport,
			once+" UNION ALL "+once, tn.ID, ids, tn.ID, ids)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// countWhere counts table's rows that match where.
func countWhere(t *testing.T, tn *Tenant, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := tn.S.Main.DB.Gorm.Table(table).Where(where, args...).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// logged is an access-log entry as the API shows it.
type logged struct {
	ID            string    `json:"id"`
	ParticipantID string    `json:"participant_id"`
	UserID        string    `json:"user_id"`
	Role          string    `json:"role"`
	Action        string    `json:"action"`
	Route         string    `json:"route"`
	At            time.Time `json:"at"`
}

// keys writes entries as text for comparing and showing them.
func keys(es []logged) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = strings.Join([]string{e.At.UTC().Format(time.RFC3339Nano), e.ID, e.ParticipantID, e.UserID, e.Role, e.Action, e.Route}, " ")
	}
	return out
}

func lines(es []logged) string { return strings.Join(keys(es), "\n") }

// walkAccessLog reads a participant's whole access log page by page,
// starting after cursor ("" from the newest).
func walkAccessLog(t *testing.T, tn *Tenant, participantID string, limit int, cursor string) []logged {
	t.Helper()
	var all []logged
	for range 50 {
		path := "/v1/participants/" + participantID + "/access-log?limit=" + strconv.Itoa(limit)
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		var page struct {
			Items      []logged `json:"items"`
			NextCursor *string  `json:"next_cursor"`
		}
		tn.Do(t, http.MethodGet, path, tn.AdminToken, nil).Expect(t, http.StatusOK).Decode(t, &page)
		if len(page.Items) > limit {
			t.Fatalf("%d items on a page of %d", len(page.Items), limit)
		}
		all = append(all, page.Items...)
		if page.NextCursor == nil {
			return all
		}
		cursor = *page.NextCursor
	}
	t.Fatal("the access log did not end after 50 pages")
	return nil
}

// An export writes one file row and one subject row per distinct
// participant in it, not an entry per participant; every participant's
// access log shows the export once, among the single reads in time order,
// and pages across both kinds of entries.
func TestAccessLogOfExportedFiles(t *testing.T) {
	ordClock(t, Start(t), "2026-11-02T10:00:00Z")
	tn := NewTenant(t)
	org := tn.Organiser(t, 1000)
	coordID, coord := tn.User(t, "coordinator", "")
	financeID, _ := tn.User(t, "finance", "")
	finance := auth.Principal{TenantID: tn.ID, UserID: financeID, Role: models.RoleFinance}
	a, b, c, d := newParticipant(t, tn, coord, org), newParticipant(t, tn, coord, org), newParticipant(t, tn, coord, org),
		newParticipant(t, tn, coord, org)
	const single, payouts, csv, register = "/v1/participants/:id", "/v1/exports/payouts.xml", "/v1/exports/payouts.csv",
		"/v1/exports/incomes-register.xml"

	// Written in this order, shown in time order: the clock goes back and
	// forth, so neither the order of writing nor the ids give the answer
	// (and stays within the tokens' 15 minutes).
	read := func(now string) {
		ordClock(t, tn.S, now)
		tn.Do(t, http.MethodGet, "/v1/participants/"+a, coord, nil).Expect(t, http.StatusOK)
	}
	read("2026-11-02T10:01:00Z")
	ordClock(t, tn.S, "2026-11-02T10:04:00Z")
	logFile(t, tn, finance, payouts, a, b, c)
	if files, subjects := countWhere(t, tn, "access_log_files", "tenant_id = ?", tn.ID),
		countWhere(t, tn, "access_log_file_subjects", "participant_id IN ?", []string{a, b, c, d}); files != 1 || subjects != 3 {
		t.Fatalf("an export of 3 participants wrote %d file rows and %d subject rows, want 1 and 3", files, subjects)
	}
	if n := countWhere(t, tn, "access_log_entries", "tenant_id = ? AND action = 'export'", tn.ID); n != 0 {
		t.Fatalf("an export wrote %d single entries", n)
	}
	read("2026-11-02T10:03:00Z")
	ordClock(t, tn.S, "2026-11-02T09:00:00Z")
	logFile(t, tn, finance, csv, a, b)
	ordClock(t, tn.S, "2026-11-02T10:03:00Z") // the same time as a single read
	logFile(t, tn, finance, register, a)
	logFile(t, tn, finance, "/v1/exports/attendance.csv", "no-such-participant")
	if n := countWhere(t, tn, "access_log_files", "route = ?", "/v1/exports/attendance.csv"); n != 0 {
		t.Errorf("an export of nobody wrote %d file rows", n)
	}

	// What each participant's log must show, the ids looked up: file
	// entries carry the file's id and the participant asked about.
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	readAt := func(when string) logged {
		var id string
		tn.S.Main.DB.Gorm.Raw(`SELECT id FROM access_log_entries WHERE participant_id = ? AND at = ?`, a, at(when)).Scan(&id)
		return logged{ID: id, ParticipantID: a, UserID: coordID, Role: models.RoleCoordinator, Action: models.AccessRead,
			Route: single, At: at(when)}
	}
	export := func(who, route, when string) logged {
		var id string
		tn.S.Main.DB.Gorm.Raw(`SELECT id FROM access_log_files WHERE tenant_id = ? AND route = ?`, tn.ID, route).Scan(&id)
		return logged{ID: id, ParticipantID: who, UserID: financeID, Role: models.RoleFinance, Action: models.AccessExport,
			Route: route, At: at(when)}
	}
	// Entries of the same time come by id, newest first, like any other.
	tied := []logged{readAt("2026-11-02T10:03:00Z"), export(a, register, "2026-11-02T10:03:00Z")}
	slices.SortFunc(tied, func(x, y logged) int { return strings.Compare(y.ID, x.ID) })
	want := map[string][]logged{
		a: slices.Concat([]logged{export(a, payouts, "2026-11-02T10:04:00Z")}, tied,
			[]logged{readAt("2026-11-02T10:01:00Z"), export(a, csv, "2026-11-02T09:00:00Z")}),
		b: {export(b, payouts, "2026-11-02T10:04:00Z"), export(b, csv, "2026-11-02T09:00:00Z")},
		c: {export(c, payouts, "2026-11-02T10:04:00Z")},
		d: nil,
	}
	for who, w := range want {
		for _, limit := range []int{1, 2} {
			if got := walkAccessLog(t, tn, who, limit, ""); !slices.Equal(keys(got), keys(w)) {
				t.Errorf("access log of %s by pages of %d:\n%s\nwant\n%s", who, limit, lines(got), lines(w))
			}
		}
	}

	// A cursor as the log of single reads alone gave it (store/cursor.go:
	// version, list, time, id) goes on after that read.
	for i, e := range want[a] {
		if e.Action != models.AccessRead {
			continue
		}
		old := base64.RawURLEncoding.EncodeToString([]byte("c1|access_log_entries|" + e.At.UTC().Format(time.RFC3339Nano) + "|" + e.ID))
		if got := walkAccessLog(t, tn, a, 2, old); !slices.Equal(keys(got), keys(want[a][i+1:])) {
			t.Errorf("after the read at %s:\n%s\nwant\n%s", e.At, lines(got), lines(want[a][i+1:]))
		}
	}
}
