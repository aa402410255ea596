package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildBinary builds the command into a temporary directory, the way a user
// builds it, so that its build info carries the VCS stamp (-buildvcs=auto
// overrides a GOFLAGS that turns it off).
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "jobcenter")
	if out, err := exec.Command("go", "build", "-buildvcs=auto", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runBare runs the binary with no environment at all in an empty directory
// and reports what the directory holds afterwards: a command that opened the
// default SQLite database or wrote development keys leaves a file there.
func runBare(t *testing.T, bin string, args ...string) (code int, stdout, stderr string, files []string) {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(bin, args...)
	cmd.Env, cmd.Dir = []string{}, dir
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatalf("run %v: %v", args, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		files = append(files, e.Name())
	}
	return code, out.String(), errOut.String(), files
}

// Help, usage and version need no environment (no secrets), run nothing and
// touch no database; each command's help is its own.
func TestHelpAndVersionRunWithNoEnvironment(t *testing.T) {
	bin := buildBinary(t)
	for _, c := range []struct {
		args []string
		want string // in the help: the command's own usage line
	}{
		{[]string{"--help"}, "jobcenter [command]"},
		{[]string{"-h"}, "jobcenter [command]"},
		{[]string{"help"}, "jobcenter [command]"},
		{[]string{"serve", "--help"}, "jobcenter serve"},
		{[]string{"migrate", "--help"}, "jobcenter migrate"},
		{[]string{"bootstrap", "--help"}, "jobcenter bootstrap --tenant NAME --email E --password P"},
		{[]string{"demo", "--help"}, "jobcenter demo [--force]"},
		{[]string{"billing", "--help"}, "jobcenter billing [command]"},
		{[]string{"billing", "run", "--help"}, "jobcenter billing run --tenant ID --period YYYY-MM [--dry-run]"},
		{[]string{"vat-rate", "--help"}, "jobcenter vat-rate [command]"},
		{[]string{"vat-rate", "list", "--help"}, "jobcenter vat-rate list"},
		{[]string{"vat-rate", "add", "--help"}, "jobcenter vat-rate add --from YYYY-MM-DD --bps N"},
		{[]string{"help", "billing", "run"}, "jobcenter billing run --tenant ID"},
		{[]string{"demo", "--force", "--help"}, "jobcenter demo [--force]"},
		{[]string{"healthcheck", "--help"}, "jobcenter healthcheck [--url URL]"},
	} {
		code, out, errOut, files := runBare(t, bin, c.args...)
		if code != 0 || !strings.Contains(out, "Usage:\n") || !strings.Contains(out, c.want) || len(files) > 0 {
			t.Errorf("%v: exit %d, files %v, want usage %q\nstdout: %s\nstderr: %s", c.args, code, files, c.want, out, errOut)
		}
	}
	// The root help lists every variable of the configuration.
	_, out, _, _ := runBare(t, bin, "--help")
	for _, v := range []string{"JOBCENTER_DATABASE_URL", "JOBCENTER_ADDR", "JOBCENTER_OPS_ADDR", "JOBCENTER_JWT_SECRET",
		"JOBCENTER_ENCRYPTION_KEY", "JOBCENTER_TIMEZONE", "JOBCENTER_SCHEDULER", "JOBCENTER_DEV ", "JOBCENTER_DEV_KEY_FILE",
		"JOBCENTER_PUBLIC_URL", "JOBCENTER_DB_WAIT"} {
		if !strings.Contains(out, v) {
			t.Errorf("the usage does not name %s", v)
		}
	}

	code, out, errOut, files := runBare(t, bin, "version")
	if code != 0 || !strings.HasPrefix(out, "jobcenter ") || !strings.Contains(out, "\ncommit ") || len(files) > 0 {
		t.Errorf("version: exit %d, files %v\n%s%s", code, files, out, errOut)
	}
	// The go command stamps the commit in a git clone (a .git directory; it
	// does not in a linked worktree, whose .git is a file), as CI's fresh
	// clone is.
	if fi, err := os.Stat("../../.git"); err == nil && fi.IsDir() {
		head, err := exec.Command("git", "rev-parse", "HEAD").Output()
		if err != nil {
			t.Fatalf("git rev-parse: %v", err)
		}
		if !strings.Contains(out, "commit "+strings.TrimSpace(string(head))) {
			t.Errorf("version does not name the commit %s:\n%s", head, out)
		}
	}
}

// A command line that names no command, an unknown one or lacks a flag gets
// the usage and exit code 2, still without environment or database.
func TestUsageErrorsExitTwoWithoutTouchingAnything(t *testing.T) {
	bin := buildBinary(t)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "a command is needed"},
		{[]string{"nonsense"}, `unknown command "nonsense" for "jobcenter"`},
		{[]string{"billing"}, "jobcenter billing needs a subcommand"},
		{[]string{"billing", "nonsense"}, `unknown command "nonsense" for "jobcenter billing"`},
		{[]string{"vat-rate", "remove"}, `unknown command "remove" for "jobcenter vat-rate"`},
		{[]string{"serve", "extra"}, `jobcenter serve takes no arguments, got "extra"`},
		{[]string{"serve", "--port", "1"}, "unknown flag: --port"},
		{[]string{"billing", "run", "--tenant", "t"}, `required flag(s) "period" not set`},
		{[]string{"bootstrap", "--tenant", "T"}, `required flag(s) "email", "password" not set`},
	} {
		code, out, errOut, files := runBare(t, bin, c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) || !strings.Contains(errOut, "Usage:") || len(files) > 0 {
			t.Errorf("%v: exit %d, files %v, want %q\nstdout: %s\nstderr: %s", c.args, code, files, c.want, out, errOut)
		}
	}
}
