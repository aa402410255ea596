// Command jobcenter runs the job-center service: serve, migrate, bootstrap,
// demo, billing run, vat-rate, payroll-rate.
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
	"jobcenter/billing"
	"jobcenter/models"
)

const usage = `usage: jobcenter <command> [flags]

commands:
  serve                                       apply migrations, serve the API and run the scheduler
  migrate                                     apply pending migrations and exit
  bootstrap --tenant NAME --email E --password P
                                              create a tenant and its first admin (idempotent)
  demo                                        load the demo job center (idempotent) and print its logins
  billing run --tenant ID --period YYYY-MM [--dry-run]
                                              the billing run of the API and the monthly job
  vat-rate list                               the standard VAT rates and the dates they apply from
  vat-rate add --from YYYY-MM-DD --bps N      a change of the rate by law, from a day after today
  payroll-rate list                           the national payroll rates and the dates they apply from
  payroll-rate add --name NAME --from YYYY-MM-DD --value N
                                              a change of a payroll rate by law, from a day after today

configuration: JOBCENTER_DATABASE_URL, JOBCENTER_ADDR, JOBCENTER_JWT_SECRET,
JOBCENTER_TIMEZONE, JOBCENTER_SCHEDULER, JOBCENTER_ENCRYPTION_KEY, JOBCENTER_DEV,
JOBCENTER_INCOMES_REGISTER_TEST (1: Incomes Register files are test deliveries;
default 1 with JOBCENTER_DEV=1, else 0)
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
	case "demo":
		return demoLoad(ctx, m, os.Stdout)
	case "billing":
		if len(args) < 2 || args[1] != "run" {
			return flag.ErrHelp
		}
		return billingRun(ctx, m, args[2:])
	case "vat-rate":
		return vatRate(ctx, m, args[1:])
	case "payroll-rate":
		return payrollRate(ctx, m, args[1:])
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

func billingRun(ctx context.Context, m *app.Main, args []string) error {
	fs := flag.NewFlagSet("billing run", flag.ContinueOnError)
	tenant := fs.String("tenant", "", "tenant id")
	period := fs.String("period", "", "period YYYY-MM")
	dry := fs.Bool("dry-run", false, "compute and show without writing")
	if err := fs.Parse(args); err != nil {
		return err
	}
	p, err := models.ParsePeriod(*period)
	if err != nil || *tenant == "" {
		return fmt.Errorf("billing run needs --tenant ID and --period YYYY-MM: %w", flag.ErrHelp)
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	out, err := m.Billing.Run(ctx, billing.RunRequest{TenantID: *tenant, Period: p, DryRun: *dry})
	if err != nil {
		return err
	}
	var id any = out.Run.ID
	if out.DryRun {
		id = nil // nothing was stored
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{"id": id, "period": out.Run.Period, "kind": out.Run.Kind,
		"dry_run": out.DryRun, "invoice_count": out.Run.InvoiceCount, "net_cents": out.Run.NetCents,
		"vat_cents": out.Run.VatCents, "gross_cents": out.Run.GrossCents})
}

func vatRate(ctx context.Context, m *app.Main, args []string) error {
	if len(args) == 0 || (args[0] != "list" && args[0] != "add") {
		return flag.ErrHelp
	}
	fs := flag.NewFlagSet("vat-rate add", flag.ContinueOnError)
	from := fs.String("from", "", "first day of the rate, YYYY-MM-DD")
	bps := fs.Int64("bps", -1, "the rate in basis points (2550 = 25.5 %)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	if args[0] == "add" {
		day, err := models.ParseDate(*from)
		if err != nil {
			return fmt.Errorf("vat-rate add needs --from YYYY-MM-DD: %w", flag.ErrHelp)
		}
		if err := m.Billing.AddVatRate(ctx, billing.VatRate{ValidFrom: day, RateBps: *bps}); err != nil {
			return err
		}
	}
	rates, err := m.Billing.VatRates(ctx)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(rates)
}

func payrollRate(ctx context.Context, m *app.Main, args []string) error {
	if len(args) == 0 || (args[0] != "list" && args[0] != "add") {
		return flag.ErrHelp
	}
	fs := flag.NewFlagSet("payroll-rate add", flag.ContinueOnError)
	name := fs.String("name", "", "the rate's name, e.g. employee_pension_bps")
	from := fs.String("from", "", "first day of the rate, YYYY-MM-DD")
	value := fs.Int64("value", -1, "basis points for *_bps, cents for *_cents")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	if args[0] == "add" {
		day, err := models.ParseDate(*from)
		if err != nil || *name == "" {
			return fmt.Errorf("payroll-rate add needs --name NAME --from YYYY-MM-DD --value N: %w", flag.ErrHelp)
		}
		if err := m.Billing.AddPayrollRate(ctx, billing.PayrollRate{Name: *name, ValidFrom: day, Value: *value}); err != nil {
			return err
		}
	}
	rates, err := m.Billing.PayrollRates(ctx)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(rates)
}
