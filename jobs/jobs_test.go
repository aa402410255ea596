package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"jobcenter/apitest"
	"jobcenter/clock"
	"jobcenter/jobs"
	"jobcenter/store"
)

var helsinki, _ = time.LoadLocation("Europe/Helsinki")

// replicas opens n schedulers on one fresh database, as n service replicas.
func replicas(t *testing.T, n int, job jobs.Job, now time.Time) []*jobs.Scheduler {
	t.Helper()
	url, first := apitest.OpenDB(t, true)
	c := &clock.Settable{}
	c.Set(now)
	var out []*jobs.Scheduler
	for i := 0; i < n; i++ {
		db := first
		if i > 0 {
			var err error
			if db, err = store.Open(url, nil); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
		}
		out = append(out, &jobs.Scheduler{DB: db, Clock: c, Loc: helsinki, Log: slog.New(slog.DiscardHandler), Jobs: []jobs.Job{job}})
	}
	return out
}

func TestConcurrentReplicasRunASlotOnce(t *testing.T) {
	var runs atomic.Int32
	job := jobs.Job{Name: "count", Spec: "0 3 * * *", Run: func(context.Context, time.Time) error { runs.Add(1); return nil }}
	scheds := replicas(t, 4, job, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	var wg sync.WaitGroup
	for _, s := range scheds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.RunNow(context.Background(), "count"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if runs.Load() != 1 {
		t.Fatalf("the slot ran %d times across 4 replicas", runs.Load())
	}
}

func TestLastSlotIsInLocalTime(t *testing.T) {
	s := &jobs.Scheduler{Loc: helsinki}
	cases := []struct {
		spec, now, want string
	}{
		{"0 2 1 * *", "2026-11-24T12:00:00Z", "2026-11-01T02:00:00+02:00"}, // monthly billing
		{"0 3 * * *", "2026-11-24T00:30:00Z", "2026-11-23T03:00:00+02:00"}, // 02:30 local: yesterday's slot
		{"0 3 * * *", "2026-11-24T01:00:00Z", "2026-11-24T03:00:00+02:00"}, // 03:00 local
		{"0 1 * * *", "2026-03-29T12:00:00Z", "2026-03-29T01:00:00+02:00"}, // DST day
	}
	for _, c := range cases {
		now, _ := time.Parse(time.RFC3339, c.now)
		got, err := s.LastSlot(c.spec, now)
		if err != nil || got.Format(time.RFC3339) != c.want {
			t.Errorf("LastSlot(%s, %s) = %s, %v; want %s", c.spec, c.now, got.Format(time.RFC3339), err, c.want)
		}
	}
}

func TestFailedSlotRunsAgainAndAMissedSlotIsCaughtUp(t *testing.T) {
	var runs atomic.Int32
	fail := true
	job := jobs.Job{Name: "flaky", Spec: "0 3 * * *", Run: func(context.Context, time.Time) error {
		runs.Add(1)
		if fail {
			return errors.New("database away")
		}
		return nil
	}}
	s := replicas(t, 1, job, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))[0]
	if _, err := s.RunNow(context.Background(), "flaky"); err == nil {
		t.Fatal("the failure was not reported")
	}
	fail = false
	// Start catches up the slot the failed run left open, once.
	s.Start(context.Background())
	s.Stop()
	if status, err := s.RunNow(context.Background(), "flaky"); err != nil || status != jobs.Skipped {
		t.Fatalf("after catch-up: %s, %v", status, err)
	}
	if runs.Load() != 2 {
		t.Fatalf("%d runs, want the failed one and its catch-up", runs.Load())
	}
}

// Every run logs its start and its end with outcome and duration, and is
// counted by job: last success, duration, failures.
func TestRunsAreLoggedAndCounted(t *testing.T) {
	fail := false
	job := jobs.Job{Name: "flaky", Spec: "0 3 * * *", Run: func(context.Context, time.Time) error {
		if fail {
			return errors.New("database away")
		}
		return nil
	}}
	s := replicas(t, 1, job, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))[0]
	var logs bytes.Buffer
	s.Log = slog.New(slog.NewJSONHandler(&logs, nil))
	reg := prometheus.NewRegistry()
	s.Metrics = jobs.NewMetrics(reg, s.Jobs)
	if n := testutil.ToFloat64(s.Metrics.Failures("flaky")); n != 0 {
		t.Fatalf("failures before any run: %v", n)
	}
	ctx := context.Background()
	fail = true
	if _, err := s.RunNow(ctx, "flaky"); err == nil {
		t.Fatal("the failure was not reported")
	}
	if n := testutil.ToFloat64(s.Metrics.Failures("flaky")); n != 1 {
		t.Errorf("failures after a failed run: %v", n)
	}
	if n, _ := testutil.GatherAndCount(reg, "jobcenter_job_last_success_timestamp_seconds"); n != 0 {
		t.Errorf("a failed run set the last success")
	}
	fail = false
	before := float64(time.Now().Unix())
	if status, err := s.RunNow(ctx, "flaky"); err != nil || status != jobs.Ran {
		t.Fatalf("second run: %s, %v", status, err)
	}
	if status, _ := s.RunNow(ctx, "flaky"); status != jobs.Skipped {
		t.Fatalf("third run: %s", status)
	}
	if last := testutil.ToFloat64(s.Metrics.LastSuccess("flaky")); last < before {
		t.Errorf("last success %v, want at least %v", last, before)
	}
	if n := testutil.ToFloat64(s.Metrics.Failures("flaky")); n != 1 {
		t.Errorf("failures after a success and a skip: %v", n)
	}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP jobcenter_job_failures_total Runs of the job that failed on this replica, a slot that could not be claimed included.
# TYPE jobcenter_job_failures_total counter
jobcenter_job_failures_total{job="flaky"} 1
`), "jobcenter_job_failures_total"); err != nil {
		t.Error(err)
	}
	var lines []map[string]any
	dec := json.NewDecoder(&logs)
	for dec.More() {
		var l map[string]any
		if err := dec.Decode(&l); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, l)
	}
	// failed run: started, finished; succeeded run: started, finished; skipped.
	want := []struct{ msg, outcome string }{
		{"job started", ""}, {"job finished", "failed"}, {"job started", ""}, {"job finished", "succeeded"},
		{"job skipped: another run has this slot", ""},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d log lines, want %d:\n%s", len(lines), len(want), logs.String())
	}
	for i, w := range want {
		l := lines[i]
		if l["msg"] != w.msg || l["job"] != "flaky" || l["slot"] != "2026-11-24T03:00:00+02:00" {
			t.Errorf("line %d: %v", i, l)
		}
		if w.outcome == "" {
			continue
		}
		if l["outcome"] != w.outcome {
			t.Errorf("line %d: outcome %v, want %s", i, l["outcome"], w.outcome)
		}
		if _, ok := l["duration_ms"].(float64); !ok {
			t.Errorf("line %d has no duration: %v", i, l)
		}
		if w.outcome == "failed" && !strings.Contains(fmt.Sprint(l["error"]), "database away") {
			t.Errorf("line %d does not say why it failed: %v", i, l)
		}
	}
}
