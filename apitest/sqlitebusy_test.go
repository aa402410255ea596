package apitest

import (
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"jobcenter/store"
)

// A write that meets the SQLite write lock held by another connection past
// the service's busy timeout answers 503 with Retry-After and saves nothing;
// retried with the same Idempotency-Key once the lock is free, it is done
// once.
func TestSQLiteBusyWriteAnswers503AndSavesNothing(t *testing.T) {
	if os.Getenv("JOBCENTER_TEST_POSTGRES") != "" {
		t.Skip("SQLite only (its database-wide write lock); PostgreSQL's lock timeouts are in pgfaults_test.go")
	}
	dbURL, drop, err := DatabaseURL(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	startOwnServer(t, dbURL+"?busy_timeout=50ms", nil)
	tn := NewTenant(t)
	post := func() *Response {
		return tn.S.Do(t, Request{Method: http.MethodPost, Path: "/v1/task-types", Token: tn.AdminToken,
			Body: map[string]any{"name": "Snow clearing"}, Header: map[string]string{"Idempotency-Key": "busy-1"}})
	}
	taskTypes := func() int {
		return len(tn.Do(t, http.MethodGet, "/v1/task-types", tn.AdminToken, nil).Expect(t, http.StatusOK).Map(t)["items"].([]any))
	}

	holder, err := store.Open(dbURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	lock, err := holder.SQL.BeginTx(context.Background(), nil) // BEGIN IMMEDIATE: the write lock
	if err != nil {
		t.Fatal(err)
	}
	r := post().Expect(t, http.StatusServiceUnavailable)
	if got := r.Header.Get("Retry-After"); got == "" {
		t.Error("503 without Retry-After")
	}
	if ct, typ := r.Header.Get("Content-Type"), r.Map(t)["type"].(string); ct != "application/problem+json" ||
		!strings.HasSuffix(typ, "/problems/unavailable") {
		t.Errorf("content type %q, problem type %q; want application/problem+json, …/problems/unavailable", ct, typ)
	}
	if n := taskTypes(); n != 0 { // WAL: reads go on while the lock is held
		t.Fatalf("%d task types after the refused write, want 0", n)
	}
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}

	post().Expect(t, http.StatusCreated)
	if n := taskTypes(); n != 1 {
		t.Fatalf("%d task types after the retry, want 1", n)
	}
}
