package apitest

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"jobcenter/billing"
	"jobcenter/store"
)

// pgOnly skips a test of PostgreSQL server behaviour on SQLite.
func pgOnly(t *testing.T) string {
	t.Helper()
	base := os.Getenv("JOBCENTER_TEST_POSTGRES")
	if base == "" {
		t.Skip("PostgreSQL only (terminated backends, lock and statement timeouts have no SQLite counterpart); " +
			"run with JOBCENTER_TEST_POSTGRES, as .ci/run's PostgreSQL suite does")
	}
	return base
}

// adminDB is a connection beside the service's pool, as a database
// administrator's would be.
func adminDB(t *testing.T, base string) *sql.DB {
	t.Helper()
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// serviceDatabase is the name of the service's database.
func serviceDatabase(t *testing.T, s *Server) string {
	t.Helper()
	var name string
	if err := s.Main.DB.Gorm.Raw("SELECT current_database()").Scan(&name).Error; err != nil {
		t.Fatal(err)
	}
	return name
}

// terminate ends the backends of database that match filter (an extra SQL
// condition on pg_stat_activity) and waits until those are gone; the
// service's new connections are not waited for.
func terminate(t *testing.T, admin *sql.DB, database, filter string, args ...any) int {
	t.Helper()
	args = append([]any{database}, args...)
	var pids []string
	rows, err := admin.Query("SELECT pg_terminate_backend(pid), pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND "+filter,
		args...)
	if err != nil {
		t.Fatalf("terminate backends: %v", err)
	}
	for rows.Next() {
		var (
			ok  bool
			pid string
		)
		if err := rows.Scan(&ok, &pid); err != nil {
			t.Fatal(err)
		}
		pids = append(pids, pid)
	}
	rows.Close()
	set := "{" + strings.Join(pids, ",") + "}"
	for left := len(pids); left > 0; {
		if err := admin.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY($1::int[])", set).Scan(&left); err != nil {
			t.Fatal(err)
		}
	}
	return len(pids)
}

// When PostgreSQL terminates the service's backends (failover, restart, an
// administrator), a read in flight is retried on a fresh connection or
// answers 503 with Retry-After, a write answers 201 or 503, never 500, and
// the service is healthy afterwards.
func TestTerminatedBackendsNever500(t *testing.T) {
	base := pgOnly(t)
	tn := NewTenant(t)
	admin := adminDB(t, base)
	database := serviceDatabase(t, tn.S)

	// Every pooled connection dead: the next read still answers 200, by the
	// retry on a fresh connection.
	for i := 0; i < 5; i++ {
		tn.Do(t, "GET", "/v1/task-types", tn.AdminToken, nil).Expect(t, http.StatusOK)
	}
	if n := terminate(t, admin, database, "true"); n == 0 {
		t.Fatal("no backend of the service to terminate")
	}
	tn.Do(t, "GET", "/v1/task-types", tn.AdminToken, nil).Expect(t, http.StatusOK)

	// Terminations while requests are in flight.
	var (
		mu       sync.Mutex
		statuses = map[string]map[int]int{"read": {}, "write": {}}
	)
	record := func(kind string, r *Response) {
		mu.Lock()
		defer mu.Unlock()
		statuses[kind][r.Status]++
		if r.Status == http.StatusServiceUnavailable && r.Header.Get("Retry-After") == "" {
			t.Errorf("503 without Retry-After: %s", r.Body)
		}
	}
	for round := 0; round < 10; round++ {
		var wg sync.WaitGroup
		for i := 0; i < 6; i++ {
			wg.Add(2)
			go func() {
				defer wg.Done()
				record("read", tn.Do(t, "GET", "/v1/users", tn.AdminToken, nil))
			}()
			go func() {
				defer wg.Done()
				record("write", tn.S.Do(t, Request{Method: "POST", Path: "/v1/task-types", Token: tn.AdminToken,
					Body:   map[string]any{"name": fmt.Sprintf("Fault %d-%d", round, i)},
					Header: map[string]string{"Idempotency-Key": fmt.Sprintf("fault-%d-%d", round, i)}}))
			}()
		}
		terminate(t, admin, database, "true")
		wg.Wait()
	}
	t.Logf("statuses under termination: %v", statuses)
	for kind, byStatus := range statuses {
		for status := range byStatus {
			ok := status == http.StatusOK || status == http.StatusServiceUnavailable ||
				(kind == "write" && (status == http.StatusCreated || status == http.StatusConflict))
			if !ok {
				t.Errorf("%s answered %d under backend termination", kind, status)
			}
		}
	}
	// Healthy afterwards.
	tn.S.Do(t, Request{Method: "GET", Path: "/readyz"}).Expect(t, http.StatusOK)
	tn.Do(t, "GET", "/v1/users", tn.AdminToken, nil).Expect(t, http.StatusOK)
	tn.Do(t, "POST", "/v1/task-types", tn.AdminToken, map[string]any{"name": "After the faults"}).Expect(t, http.StatusCreated)
}

// deadClient is a PostgreSQL client that ran sql and died without closing
// its session: its backend goes on (pg_sleep stands for a long UPDATE) with
// its locks until the server ends it.
func deadClient(t *testing.T, admin *sql.DB, serviceURL, name, sql string) {
	t.Helper()
	u, err := url.Parse(serviceURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", name)
	u.RawQuery = q.Encode()
	conn, err := pgconn.Connect(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.Exec(context.Background(), sql).Close(); err != nil {
		t.Fatalf("dead client's statements: %v", err)
	}
	// The client sends a long statement and dies: its socket closes with no
	// Terminate message and no cancel request (pgconn would send one on a
	// broken read, so the statement goes out on the hijacked socket).
	hc, err := conn.Hijack()
	if err != nil {
		t.Fatal(err)
	}
	hc.Frontend.Send(&pgproto3.Query{String: "SELECT pg_sleep(600)"})
	if err := hc.Frontend.Flush(); err != nil {
		t.Fatal(err)
	}
	for active := 0; active == 0; {
		if err := admin.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE 'SELECT pg_sleep%'",
			name).Scan(&active); err != nil {
			t.Fatal(err)
		}
	}
	hc.Conn.Close()
	t.Cleanup(func() {
		admin.Exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", name)
	})
}

// A billing run whose client died mid-run keeps its backend, its lock and its
// row locks for a while. A rerun answers 409 run_in_progress at once instead
// of queueing; rows locked by anything else are waited for at most the lock
// timeout (503); once the dead backend is gone the rerun completes.
func TestBillingRunAfterItsClientDied(t *testing.T) {
	base := pgOnly(t)
	w := newBillingWorld(t)
	admin := adminDB(t, base)
	database := serviceDatabase(t, w.tn.S)
	serviceURL := w.tn.S.Main.Config.DatabaseURL
	rows := fmt.Sprintf("SELECT id FROM time_entries WHERE tenant_id = '%s' FOR UPDATE", w.tn.ID)

	// A run's transaction: the tenant's billing lock, then the rows it marks.
	deadClient(t, admin, serviceURL, "dead-billing-run",
		fmt.Sprintf("BEGIN; SELECT pg_advisory_xact_lock(hashtext('%s')); %s", store.LockKey("billing", w.tn.ID), rows))
	r := w.do(t, "finance", "POST", "/v1/billing-runs", map[string]any{"period": "2026-10"}).Expect(t, http.StatusConflict)
	if code := r.Map(t)["code"]; code != "run_in_progress" {
		t.Fatalf("code %v", code)
	}
	terminate(t, admin, database, "application_name = $2", "dead-billing-run")

	// Something else holds the entries' rows: the run waits the lock timeout,
	// not for ever, and answers 503 with Retry-After.
	deadClient(t, admin, serviceURL, "dead-row-locker", "BEGIN; "+rows)
	start := time.Now()
	r = w.do(t, "finance", "POST", "/v1/billing-runs", map[string]any{"period": "2026-10"})
	if waited := time.Since(start); waited > billing.RunLockTimeout+15*time.Second {
		t.Errorf("the run waited %s for the locked rows, past its lock timeout of %s", waited, billing.RunLockTimeout)
	}
	var run runResult
	if r.Status == http.StatusCreated {
		// Only acceptable if the locker was gone before the lock timeout
		// ran out (a busy machine can lose such a backend); never while it
		// still held the rows.
		var alive int
		if err := admin.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'dead-row-locker'").Scan(&alive); err != nil {
			t.Fatal(err)
		}
		if alive > 0 {
			t.Fatalf("the run billed rows another backend still held: %s", r.Body)
		}
		t.Log("the row locker's backend ended before the lock timeout; the run billed")
		r.Decode(t, &run)
	} else {
		r.Expect(t, http.StatusServiceUnavailable)
		if r.Header.Get("Retry-After") == "" {
			t.Error("503 without Retry-After")
		}
		terminate(t, admin, database, "application_name = $2", "dead-row-locker")
		run = w.run(t, false, http.StatusCreated)
	}
	if run.Kind != "regular" || run.InvoiceCount != 2 || run.Invoices[0].InvoiceNumber != "2026-000001" {
		t.Fatalf("rerun %+v", run)
	}
}
