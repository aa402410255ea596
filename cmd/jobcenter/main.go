// Command jobcenter runs the job-center service: serve, migrate, bootstrap,
// demo, billing run, vat-rate, payroll-rate, healthcheck, version. Each
// command is one file that registers itself; help and usage read no
// configuration, so they need no secrets and touch no database.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Europe/Helsinki without the host's zoneinfo
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := execute(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes: 0 done (help included), 1 the command failed, 2 a usage error.
const (
	exitFailed = 1
	exitUsage  = 2
)

// execute runs the command line args with the environment getenv and
// returns the exit code.
func execute(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, out: stdout, log: slog.New(slog.NewJSONHandler(stderr, nil))}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	var ue *usageError
	if !e.started || errors.As(err, &ue) {
		// Cobra's own errors (unknown command or flag, missing flag) come
		// before a command starts: they are usage errors too.
		fmt.Fprintf(stderr, "jobcenter: %v\n\n%s", err, cmd.UsageString())
		return exitUsage
	}
	e.log.Error("jobcenter failed", "command", cmd.CommandPath(), "error", err)
	return exitFailed
}
