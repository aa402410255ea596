// Package jobs is the thin cron wiring: which job runs on which schedule, the
// job_runs bookkeeping that makes every slot run once across replicas, and
// catching up a slot missed while the service was down. The work itself
// lives in the use-case packages.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"
	"gorm.io/gorm"

	"jobcenter/clock"
	"jobcenter/models"
	"jobcenter/store"
)

// Job is one scheduled piece of work. Run gets the slot's time: the
// activation of Spec that it stands for (in the scheduler's location).
type Job struct {
	Name string
	Spec string // cron expression, minute hour dom month dow
	Run  func(ctx context.Context, slot time.Time) error
}

// Scheduler runs jobs on their schedules.
type Scheduler struct {
	DB    *store.DB
	Clock clock.Clock
	Loc   *time.Location
	Log   *slog.Logger
	Jobs  []Job
	// Metrics, when set, counts the runs for /metrics.
	Metrics *Metrics
	cron    *cron.Cron
}

// jobRun is a row of job_runs: (job, slot) is the primary key, so only one
// replica can claim a slot.
type jobRun struct {
	Job        string
	Slot       string
	StartedAt  time.Time
	FinishedAt *time.Time
	Status     string
	Error      string
}

// Outcome of RunSlot.
const (
	Ran     = "succeeded"
	Skipped = "skipped" // another run has or had this slot
)

// RunSlot runs job for slot unless another run (another replica, or an
// earlier start) already claimed it. A failed slot may be claimed again.
// Every run logs its start and its end with duration and outcome, and is
// counted in Metrics; durations are wall time, not the service clock, which
// development mode may hold still.
func (s *Scheduler) RunSlot(ctx context.Context, job Job, slot time.Time) (string, error) {
	key := slot.In(s.Loc).Format(time.RFC3339)
	log := s.Log.With("job", job.Name, "slot", key)
	start := time.Now()
	outcome, err := s.runSlot(ctx, job, slot, key, func() { log.Info("job started") })
	end := time.Now()
	if outcome == Skipped {
		log.Info("job skipped: another run has this slot")
		return outcome, nil
	}
	took := end.Sub(start)
	s.Metrics.observe(job.Name, took, end, err != nil)
	if err != nil {
		log.Error("job finished", "outcome", "failed", "duration_ms", took.Milliseconds(), "error", err)
		return "", err
	}
	log.Info("job finished", "outcome", outcome, "duration_ms", took.Milliseconds())
	return outcome, nil
}

// runSlot claims the slot, calls started and runs the job.
func (s *Scheduler) runSlot(ctx context.Context, job Job, slot time.Time, key string, started func()) (string, error) {
	claimed := false
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		claimed = false
		var prior jobRun
		err := tx.Where("job = ? AND slot = ?", job.Name, key).Take(&prior).Error
		now := s.Clock.Now()
		switch {
		case errors.Is(err, gorm.ErrRecordNotFound):
			err = tx.Create(&jobRun{Job: job.Name, Slot: key, StartedAt: now, Status: "running"}).Error
		case err == nil && prior.Status == "failed":
			err = tx.Model(&jobRun{}).Where("job = ? AND slot = ? AND status = 'failed'", job.Name, key).
				Updates(map[string]any{"status": "running", "started_at": now, "error": ""}).Error
		case err == nil:
			return nil
		}
		claimed = err == nil
		return err
	})
	if errors.Is(err, models.ErrConflict) {
		return Skipped, nil // the other replica's insert won
	}
	if err != nil {
		return "", fmt.Errorf("claim %s slot %s: %w", job.Name, key, err)
	}
	if !claimed {
		return Skipped, nil
	}
	started()
	runErr := job.Run(ctx, slot)
	status, msg := "succeeded", ""
	if runErr != nil {
		status, msg = "failed", runErr.Error()
	}
	finished := s.Clock.Now()
	if err := s.DB.Gorm.WithContext(context.WithoutCancel(ctx)).Model(&jobRun{}).Where("job = ? AND slot = ?", job.Name, key).
		Updates(map[string]any{"status": status, "finished_at": finished, "error": msg}).Error; err != nil {
		return "", fmt.Errorf("record %s slot %s: %w", job.Name, key, err)
	}
	if runErr != nil {
		return "", fmt.Errorf("job %s slot %s: %w", job.Name, key, runErr)
	}
	return Ran, nil
}

// LastSlot is the latest activation of spec at or before now.
func (s *Scheduler) LastSlot(spec string, now time.Time) (time.Time, error) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return time.Time{}, fmt.Errorf("schedule %q: %w", spec, err)
	}
	now = now.In(s.Loc)
	// Every schedule used here fires at least monthly.
	t := sched.Next(now.AddDate(0, -2, 0))
	if t.After(now) {
		return time.Time{}, fmt.Errorf("schedule %q fires less than every two months", spec)
	}
	for {
		next := sched.Next(t)
		if next.After(now) {
			return t, nil
		}
		t = next
	}
}

// RunNow runs the named job for its latest slot by the service clock; the
// dev route and catch-up use it.
func (s *Scheduler) RunNow(ctx context.Context, name string) (string, error) {
	for _, j := range s.Jobs {
		if j.Name != name {
			continue
		}
		slot, err := s.LastSlot(j.Spec, s.Clock.Now())
		if err != nil {
			return "", err
		}
		return s.RunSlot(ctx, j, slot)
	}
	return "", fmt.Errorf("job %q: %w", name, models.ErrNotFound)
}

// Start catches up every job's latest slot if no run has it (the service was
// down at that time), then runs the jobs on their schedules until Stop.
func (s *Scheduler) Start(ctx context.Context) {
	for _, j := range s.Jobs {
		if _, err := s.RunNow(ctx, j.Name); err != nil {
			s.Log.Error("catch-up run failed", "job", j.Name, "error", err)
		}
	}
	logger := cron.PrintfLogger(slog.NewLogLogger(s.Log.Handler(), slog.LevelInfo))
	s.cron = cron.New(cron.WithLocation(s.Loc), cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	for _, j := range s.Jobs {
		j := j
		_, err := s.cron.AddFunc(j.Spec, func() {
			if _, err := s.RunNow(ctx, j.Name); err != nil {
				s.Log.Error("scheduled run failed", "job", j.Name, "error", err)
			}
		})
		if err != nil {
			s.Log.Error("bad job schedule", "job", j.Name, "error", err)
		}
	}
	s.cron.Start()
}

// Stop stops scheduling and waits for running jobs to finish, so no job is
// cut mid-transaction.
func (s *Scheduler) Stop() {
	if s.cron != nil {
		<-s.cron.Stop().Done()
	}
}
