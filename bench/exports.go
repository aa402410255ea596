package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/store"
)

// benchExports: the wage files of one billing run's organiser, the Incomes
// Register earnings payment reports (GET /v1/exports/incomes-register.xml)
// and the pain.001 payouts (GET /v1/exports/payouts.xml), downloaded from
// `jobcenter serve` for 1,000 and for 10,000 wage earners. The payouts are
// made by the real billing run (`jobcenter billing run`) over generated
// approved hours. Each size has a serve process of its own, whose peak RSS
// (VmHWM) shows whether the files stream in constant memory; each file's
// floor is a plain COPY … TO STDOUT of the same payout rows joined with what
// the file needs, measured alternately with the download.
func benchExports(ctx context.Context, url string) error {
	bin, err := buildService(ctx)
	if err != nil {
		return err
	}
	raw, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	defer raw.Close()
	type sized struct {
		earners           int
		w                 World
		runID, finance    string
		irFloor, irFile   comparison
		payFloor, payFile comparison
		peak              float64
	}
	sizes := []*sized{{earners: 1000}, {earners: 10000}}
	for _, s := range sizes {
		// One organiser, crews of 10 in one slot a day, three days of
		// October: every participant works each day, all on wages, and each
		// crew has a supervisor of its own.
		sz := Size{Customers: 10, Organisers: 1, ParticipantsPerOrganiser: s.earners, SupervisorsPerOrganiser: s.earners / 10, Orders: s.earners / 10,
			From: models.Date{Year: 2026, Month: 10, Day: 5}, To: models.Date{Year: 2026, Month: 10, Day: 7}, Slots: 1, CrewSize: 10,
			Crews: true, Approved: true, Mix: MixWages}
		step("generating %d wage earners with three days of approved hours", s.earners)
		if s.w, err = Generate(ctx, url, sz); err != nil {
			return err
		}
		if s.finance, err = addFinanceUser(ctx, raw, s.w.TenantID); err != nil {
			return err
		}
	}
	if _, err := raw.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	for _, s := range sizes {
		cmd := exec.CommandContext(ctx, bin, "billing", "run", "--tenant", s.w.TenantID, "--period", "2026-10")
		cmd.Env = serviceEnv(url)
		cmd.Stderr = os.Stderr
		var out strings.Builder
		cmd.Stdout = &out
		wall, err := timed(cmd.Run)
		if err != nil {
			return fmt.Errorf("billing run: %w", err)
		}
		step("billing run of the %d earners: %.1f s: %s", s.earners, wall.Seconds(), strings.TrimSpace(out.String()))
		if err := raw.QueryRowContext(ctx, `SELECT id FROM billing_runs WHERE tenant_id = $1`, s.w.TenantID).Scan(&s.runID); err != nil {
			return fmt.Errorf("billing run id: %w", err)
		}
	}
	for _, s := range sizes {
		organiser := s.w.Organisers[0]
		where := fmt.Sprintf(`FROM payouts po JOIN participants pt ON pt.id = po.participant_id JOIN organizations o ON o.id = po.organiser_id
			WHERE po.tenant_id = '%s' AND po.billing_run_id = '%s' AND po.organiser_id = '%s'`, s.w.TenantID, s.runID, organiser)
		irRows := `SELECT po.participant_id, pt.pseudonym, pt.identity_code_encrypted, po.wage_cents, po.holiday_compensation_cents,
			po.withholding_cents, po.pension_cents, po.unemployment_insurance_cents, o.business_id, o.pension_insurer, o.pension_policy_number ` +
			where + ` AND (po.wage_cents <> 0 OR po.holiday_compensation_cents <> 0) ORDER BY po.participant_id`
		payRows := `SELECT po.id, pt.first_name, pt.last_name, pt.iban_encrypted, po.net_cents, po.wage_cents, o.name, o.iban, o.business_id ` +
			where + ` AND po.net_cents > 0 ORDER BY po.id`
		var n int
		if err := raw.QueryRowContext(ctx, "SELECT COUNT(*) FROM ("+irRows+") x").Scan(&n); err != nil {
			return err
		}
		step("%d earners' payouts: `jobcenter serve` of its own, %d rounds of each file against its COPY", n, rounds)
		// VmHWM is the process's high-water mark, so it includes the start.
		serve, base, err := startServe(ctx, bin, url)
		if err != nil {
			return err
		}
		stop := watchRSS(serve.Process.Pid, func(_, hwm float64) { s.peak = max(s.peak, hwm) })
		measure := func() error {
			token, err := login(base, s.finance)
			if err != nil {
				return err
			}
			query := "?run_id=" + s.runID + "&organiser_id=" + organiser
			if s.irFile, err = alternate(copyFloor(ctx, url, irRows), download(base+"/v1/exports/incomes-register.xml"+query, token)); err != nil {
				return fmt.Errorf("incomes register file: %w", err)
			}
			s.payFile, err = alternate(copyFloor(ctx, url, payRows), download(base+"/v1/exports/payouts.xml"+query, token))
			return err
		}
		err = measure()
		stop()
		stopServe(serve)
		if err != nil {
			return err
		}
	}
	for _, s := range sizes {
		s.irFile.report(fmt.Sprintf("incomes-register.xml, %d earners", s.earners), "ms", "≤ 3.0")
		s.payFile.report(fmt.Sprintf("payouts.xml (pain.001), %d earners", s.earners), "ms", "≤ 3.0")
		fmt.Printf("%-44s %12.1f MB\n", "  serve peak RSS (VmHWM)", s.peak)
	}
	fmt.Printf("%-44s %12.1f MB   (target ≤ 20 MB)\n", "peak RSS, 10,000 earners over 1,000", sizes[1].peak-sizes[0].peak)
	return nil
}

// copyFloor times a plain COPY (query) TO STDOUT into nothing, in ms, on a
// connection opened beforehand (as the service's pool has its own).
func copyFloor(ctx context.Context, url, query string) func() (float64, error) {
	return func() (float64, error) {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			return 0, err
		}
		defer conn.Close(ctx)
		d, err := timed(func() error {
			_, err := conn.PgConn().CopyTo(ctx, io.Discard, "COPY ("+query+") TO STDOUT")
			return err
		})
		return float64(d) / float64(time.Millisecond), err
	}
}

// download times one GET of an export read to its end, in ms.
func download(url, token string) func() (float64, error) {
	return func() (float64, error) {
		var status int
		d, err := timed(func() error {
			req, err := http.NewRequest(http.MethodGet, url, nil)
			if err != nil {
				return err
			}
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			defer res.Body.Close()
			status = res.StatusCode
			if status != http.StatusOK {
				body, _ := io.ReadAll(res.Body)
				return fmt.Errorf("GET %s: %d %s", url, status, body)
			}
			_, err = io.Copy(io.Discard, res.Body)
			return err
		})
		return float64(d) / float64(time.Millisecond), err
	}
}

// addFinanceUser adds a finance user to the tenant and returns its email
// (the password is Password).
func addFinanceUser(ctx context.Context, db *sql.DB, tenantID string) (string, error) {
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return "", err
	}
	email := "finance-" + store.NewID()[24:] + "@bench.example"
	if _, err := db.ExecContext(ctx, `INSERT INTO users (id, tenant_id, email, password_hash, role, name, phone, created_at)
		VALUES ($1, $2, $3, $4, 'finance', 'Bench Finance', '', now())`, store.NewID(), tenantID, email, hash); err != nil {
		return "", fmt.Errorf("finance user: %w", err)
	}
	return email, nil
}
