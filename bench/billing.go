package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"jobcenter/models"
)

// benchBilling: the monthly billing run of one tenant with 960,000 approved
// time entries over 300 customers and 20 organisers in an organiser's real
// mix of participants (MixPayroll: of those with a crew, 20 % on wages with
// payroll, tax cards and identity codes, 30 % on työosuusraha, 50 % in
// rehabilitative work activity), run by the real command
// (`jobcenter billing run`) so its wall time and peak RSS are its own. The
// floor, measured on the same rows first and rolled back, is one plain SQL
// statement aggregating them per customer × order × kind plus one UPDATE
// marking them billed.
func benchBilling(ctx context.Context, url string) error {
	sz := Size{Customers: 300, Organisers: 20, ParticipantsPerOrganiser: 500, SupervisorsPerOrganiser: 55, Orders: 4000,
		From: models.Date{Year: 2026, Month: 10, Day: 1}, To: models.Date{Year: 2026, Month: 10, Day: 31}, Slots: 4, CrewSize: 9,
		Crews: true, Approved: true, Mix: MixPayroll}
	step("generating %d orders' shifts with crews and approved hours", sz.Orders)
	w, err := Generate(ctx, url, sz)
	if err != nil {
		return err
	}
	staffed := w.Kinds[wages] + w.Kinds[allowance] + w.Kinds[rehabilitative]
	step("%d shifts, %d approved time entries; of %d participants with a crew, %d on wages (%.0f %%), %d on työosuusraha (%.0f %%), %d rehabilitative (%.0f %%)",
		w.Shifts, w.EntryCount, staffed, w.Kinds[wages], pct(w.Kinds[wages], staffed), w.Kinds[allowance], pct(w.Kinds[allowance], staffed),
		w.Kinds[rehabilitative], pct(w.Kinds[rehabilitative], staffed))
	raw, err := openAnalyzed(ctx, url)
	if err != nil {
		return err
	}
	defer raw.Close()
	floor := func() (float64, error) {
		d, err := timed(func() error {
			tx, err := raw.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			rows, err := tx.QueryContext(ctx, `SELECT s.customer_id, s.order_id, a.participant_id IS NOT NULL, SUM(te.worked_minutes)
			FROM time_entries te JOIN shifts s ON s.id = te.shift_id JOIN assignments a ON a.id = te.assignment_id
			WHERE s.tenant_id = $1 AND s.date BETWEEN '2026-10-01' AND '2026-10-31' AND s.timesheet_status = 'approved'
				AND te.billing_run_id IS NULL
			GROUP BY 1, 2, 3`, w.TenantID)
			if err != nil {
				return err
			}
			for rows.Next() {
			}
			if err := rows.Err(); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `UPDATE time_entries SET billing_run_id = 'floor' WHERE billing_run_id IS NULL AND shift_id IN
			(SELECT id FROM shifts WHERE tenant_id = $1 AND date BETWEEN '2026-10-01' AND '2026-10-31' AND timesheet_status = 'approved')`, w.TenantID)
			return err
		})
		return d.Seconds(), err
	}
	bin, err := buildService(ctx)
	if err != nil {
		return err
	}
	var peak float64
	billingRun := func(args ...string) (float64, error) {
		cmd := exec.CommandContext(ctx, bin, append([]string{"billing", "run", "--tenant", w.TenantID, "--period", "2026-10"}, args...)...)
		cmd.Env = serviceEnv(url)
		cmd.Stderr = os.Stderr
		var out strings.Builder
		cmd.Stdout = &out
		wall, err := timed(func() error {
			if err := cmd.Start(); err != nil {
				return err
			}
			stop := watchRSS(cmd.Process.Pid, func(_, hwm float64) { peak = max(peak, hwm) })
			defer stop()
			return cmd.Wait()
		})
		if err != nil {
			return 0, fmt.Errorf("billing run: %w", err)
		}
		fmt.Printf("  run: %s", out.String())
		return wall.Seconds(), nil
	}
	// The dry run does the whole run's work and rolls it back, so the rounds
	// bill the same rows; the real run follows once.
	step("jobcenter billing run --period 2026-10 --dry-run vs the floor, %d rounds", rounds)
	c, err := alternate(floor, func() (float64, error) { return billingRun("--dry-run") })
	if err != nil {
		return err
	}
	c.report("billing run (dry) wall time", "s", "≤ 2.0")
	step("jobcenter billing run --period 2026-10")
	real, err := billingRun()
	if err != nil {
		return err
	}
	fmt.Printf("%-44s %12.1f s    ratio to the median floor %.2f\n", "billing run (committed) wall time", real, real/median(c.floors))
	fmt.Printf("%-44s %12.1f MB   (target < 256 MB)\n", "billing run peak RSS", peak)
	return nil
}

func pct(n, of int) float64 { return 100 * float64(n) / float64(of) }

// buildService builds the jobcenter binary once into a temporary directory.
func buildService(ctx context.Context) (string, error) {
	dir, err := os.MkdirTemp("", "jobcenter-bench-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "jobcenter")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/jobcenter")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return "", fmt.Errorf("build: %w", err)
	}
	return bin, nil
}

// encryptionKey is the service's JOBCENTER_ENCRYPTION_KEY in the
// benchmarks; the generator seals personal data with it.
var encryptionKey = make([]byte, 32)

// serviceEnv configures the service for a benchmark database.
func serviceEnv(url string) []string {
	key := base64.StdEncoding.EncodeToString(encryptionKey)
	return append(os.Environ(), "JOBCENTER_DATABASE_URL="+url, "JOBCENTER_JWT_SECRET=bench-secret-bench-secret-bench-secret!",
		"JOBCENTER_ENCRYPTION_KEY="+key, "JOBCENTER_SCHEDULER=off", "JOBCENTER_DEV=")
}
