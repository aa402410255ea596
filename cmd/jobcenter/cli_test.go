package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"jobcenter/app"
	"jobcenter/demo"
)

// cli runs the command line in this process with exactly the environment
// vars (nothing inherited).
type cli struct {
	vars map[string]string
	db   string // the SQLite file
}

func newCLI(t *testing.T, dev bool) *cli {
	t.Helper()
	db := filepath.Join(t.TempDir(), "jobcenter.db")
	vars := map[string]string{
		"JOBCENTER_DATABASE_URL":   "sqlite://" + db,
		"JOBCENTER_JWT_SECRET":     strings.Repeat("s", 32),
		"JOBCENTER_ENCRYPTION_KEY": base64.StdEncoding.EncodeToString(make([]byte, 32)),
	}
	if dev {
		vars["JOBCENTER_DEV"] = "1"
	}
	return &cli{vars: vars, db: db}
}

func (c *cli) run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = execute(context.Background(), args, func(k string) string { return c.vars[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

func (c *cli) dbExists() bool {
	_, err := os.Stat(c.db)
	return err == nil
}

// Outside development mode demo is refused before it opens the database; with
// --force every user gets a random password, printed once, that logs in.
func TestDemoOutsideDevelopmentModeNeedsForceAndGetsRandomPasswords(t *testing.T) {
	c := newCLI(t, false)
	code, out, errOut := c.run(t, "demo")
	if code != exitFailed || !strings.Contains(errOut, "JOBCENTER_DEV=1") || !strings.Contains(errOut, "--force") || c.dbExists() {
		t.Fatalf("demo without development mode: exit %d, database created %v\n%s%s", code, c.dbExists(), out, errOut)
	}

	code, out, errOut = c.run(t, "demo", "--force")
	if code != 0 {
		t.Fatalf("demo --force: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(out, demo.Password) {
		t.Fatalf("demo --force printed the published password:\n%s", out)
	}
	passwords := map[string]string{}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 3 && strings.Contains(f[1], "@") {
			passwords[f[1]] = f[2]
		}
	}
	admin := demo.Logins()[0].Email
	if len(passwords) < len(demo.Logins()) || passwords[admin] == "" {
		t.Fatalf("demo --force printed %d logins:\n%s", len(passwords), out)
	}
	seen := map[string]bool{}
	for _, pw := range passwords {
		if len(pw) < 20 || seen[pw] {
			t.Errorf("password %q is short or shared", pw)
		}
		seen[pw] = true
	}

	cfg, err := app.ConfigFromEnv(func(k string) string { return c.vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	m := &app.Main{Config: cfg}
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if _, err := m.Directory.Login(context.Background(), admin, passwords[admin]); err != nil {
		t.Errorf("log in with the printed password: %v", err)
	}
	if _, err := m.Directory.Login(context.Background(), admin, demo.Password); err == nil {
		t.Error("the published password logs in after demo --force")
	}

	// Printed once: a rerun loads nothing and shows no password.
	code, out, errOut = c.run(t, "demo", "--force")
	if code != 0 || strings.Contains(out, passwords[admin]) || !strings.Contains(out, "loaded before") {
		t.Errorf("second demo --force: exit %d\n%s%s", code, out, errOut)
	}
}

// The command line's billing run refuses a month that has not ended, like the
// API (the rule is the billing service's; its edges are tested there and over
// HTTP with the development clock). Next month is never billable today, the
// month after it cannot even be previewed, and two months ago always can.
func TestBillingRunCommandRefusesAPeriodThatHasNotEnded(t *testing.T) {
	c := newCLI(t, false)
	code, out, errOut := c.run(t, "bootstrap", "--tenant", "Testikaupunki", "--email", "admin@testikaupunki.example.fi", "--password", "correct horse battery")
	if code != 0 {
		t.Fatalf("bootstrap: exit %d\n%s%s", code, out, errOut)
	}
	var ids struct {
		TenantID string `json:"tenant_id"`
	}
	if err := json.Unmarshal([]byte(out), &ids); err != nil || ids.TenantID == "" {
		t.Fatalf("bootstrap printed %q: %v", out, err)
	}
	hel, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(hel)
	month := func(add int) string {
		return time.Date(now.Year(), now.Month()+time.Month(add), 1, 12, 0, 0, 0, hel).Format("2006-01")
	}

	for _, args := range [][]string{{"--period", month(1)}, {"--period", month(2), "--dry-run"}} {
		code, out, errOut = c.run(t, append([]string{"billing", "run", "--tenant", ids.TenantID}, args...)...)
		if code != exitFailed || !strings.Contains(errOut, "period_not_ended") {
			t.Errorf("billing run %v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	code, out, errOut = c.run(t, "billing", "run", "--tenant", ids.TenantID, "--period", month(-2))
	if code != 0 || !strings.Contains(out, `"kind":"regular"`) {
		t.Errorf("billing run of an ended month: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = c.run(t, "billing", "run", "--tenant", ids.TenantID, "--period", "2026-13")
	if code != exitUsage || !strings.Contains(errOut, "want YYYY-MM") {
		t.Errorf("a malformed period: exit %d\n%s", code, errOut)
	}
}
