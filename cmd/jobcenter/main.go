// Command jobcenter runs the job-center service: serve, migrate, bootstrap.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // Europe/Helsinki without the host's zoneinfo

	"jobcenter/app"
)

const usage = `usage: jobcenter <command> [flags]

commands:
  serve                                       apply migrations, serve the API and run the scheduler
  migrate                                     apply pending migrations and exit
  bootstrap --tenant NAME --email E --password P
                                              create a tenant and its first admin (idempotent)

configuration: JOBCENTER_DATABASE_URL, JOBCENTER_ADDR, JOBCENTER_JWT_SECRET,
JOBCENTER_TIMEZONE, JOBCENTER_SCHEDULER, JOBCENTER_ENCRYPTION_KEY, JOBCENTER_DEV
`

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if err := run(os.Args[1:], log); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(os.Stderr, usage)
			os.Exit(2)
		}
		log.Error("jobcenter failed", "error", err)
		os.Exit(1)
	}
}

func run(args []string, log *slog.Logger) error {
	if len(args) == 0 {
		return flag.ErrHelp
	}
	cfg, err := app.ConfigFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	m := &app.Main{Config: cfg, Log: log}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	switch args[0] {
	case "serve":
		return serve(ctx, m)
	case "migrate":
		defer m.Close()
		return m.Open(ctx)
	case "bootstrap":
		return bootstrap(ctx, m, args[1:])
	}
	return flag.ErrHelp
}

func serve(ctx context.Context, m *app.Main) error {
	for _, k := range m.Config.Generated {
		m.Log.Warn("development mode: using a generated key kept in the development key file; never use it in production", "variable", k)
	}
	if err := m.Run(ctx); err != nil {
		m.Close()
		return err
	}
	<-ctx.Done()
	m.Log.Info("shutting down")
	return m.Close()
}

func bootstrap(ctx context.Context, m *app.Main, args []string) error {
	fs := flag.NewFlagSet("bootstrap", flag.ContinueOnError)
	tenant := fs.String("tenant", "", "tenant name")
	email := fs.String("email", "", "admin email")
	password := fs.String("password", "", "admin password")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	tid, uid, err := m.Directory.Bootstrap(ctx, *tenant, *email, *password)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]string{"tenant_id": tid, "user_id": uid})
}
