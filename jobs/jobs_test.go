package jobs_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
