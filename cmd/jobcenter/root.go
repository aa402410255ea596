package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"jobcenter/app"
)

// env is what every command runs with: the environment, standard output and
// the log. Commands read the configuration only when they run (openMain), so
// help and usage need none of it.
type env struct {
	getenv  func(string) string
	out     io.Writer
	log     *slog.Logger
	started bool // a command's own code ran: its errors are failures, not usage
}

// commands are the top-level commands; each file adds its own in init.
var commands []func(*env) *cobra.Command

func register(c func(*env) *cobra.Command) { commands = append(commands, c) }

const configHelp = `Configuration (environment variables):
  JOBCENTER_DATABASE_URL    postgres://… or sqlite://PATH (default sqlite://jobcenter.db)
  JOBCENTER_ADDR            listen address of the API (default :8080)
  JOBCENTER_OPS_ADDR        also serve /metrics to anyone on this address (default: none)
  JOBCENTER_PUBLIC_URL      the service's address as clients see it, base of problem type URIs (default: the request's host)
  JOBCENTER_DB_WAIT         how long to wait and retry an unreachable database at start (default 60s; 0: fail at once)
  JOBCENTER_JWT_SECRET      HMAC key, at least 32 bytes; required unless JOBCENTER_DEV=1
  JOBCENTER_ENCRYPTION_KEY  32-byte key in base64 for IBANs at rest; required unless JOBCENTER_DEV=1
  JOBCENTER_TIMEZONE        time zone of schedules and billing periods (default Europe/Helsinki)
  JOBCENTER_SCHEDULER       on or off: run the scheduled jobs in this process (default on)
  JOBCENTER_DEV             1: development mode (generated keys, the settable clock, /dev routes)
  JOBCENTER_DEV_KEY_FILE    where development mode keeps its generated keys (default jobcenter.dev-keys.json)
  JOBCENTER_INCOMES_REGISTER_TEST
                            1: Incomes Register files are test deliveries (default 1 with JOBCENTER_DEV=1, else 0)
`

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "jobcenter",
		Short: "The ordering, staffing and billing service of a job center",
		Long: "jobcenter orders, staffs and bills group work by people in work activity.\n" +
			"Run a command with --help for its flags.\n\n" + configHelp,
		Args:          noSubcommand,
		RunE:          func(*cobra.Command, []string) error { return usagef("a command is needed") },
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err} })
	for _, c := range commands {
		root.AddCommand(c(e))
	}
	return root
}

// group is a command that only holds subcommands, like `billing run`.
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	g := &cobra.Command{Use: use, Short: short, Args: noSubcommand,
		RunE: func(cmd *cobra.Command, _ []string) error { return usagef("%s needs a subcommand", cmd.CommandPath()) }}
	g.AddCommand(subs...)
	return g
}

// noSubcommand refuses a word that names no subcommand.
func noSubcommand(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unknown command %q for %q", args[0], cmd.CommandPath())
	}
	return nil
}

// run adapts a command's body to cobra: it marks the command as started and
// refuses arguments the command does not take.
func (e *env) run(body func(ctx context.Context) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return usagef("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
		}
		e.started = true
		return body(cmd.Context())
	}
}

// openMain reads the configuration and opens the database (applying pending
// migrations). The caller closes the Main.
func (e *env) openMain(ctx context.Context) (*app.Main, error) {
	m, err := e.newMain()
	if err != nil {
		return nil, err
	}
	if err := m.Open(ctx); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

// newMain reads the configuration without opening anything.
func (e *env) newMain() (*app.Main, error) {
	cfg, err := app.ConfigFromEnv(e.getenv)
	if err != nil {
		return nil, err
	}
	return &app.Main{Config: cfg, Log: e.log}, nil
}

// usageError is a command line that names no valid command or lacks a flag.
type usageError struct{ err error }

func (u *usageError) Error() string { return u.err.Error() }
func (u *usageError) Unwrap() error { return u.err }

func usagef(format string, a ...any) error { return &usageError{fmt.Errorf(format, a...)} }
