package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"jobcenter/demo"
)

func init() {
	register(func(e *env) *cobra.Command {
		var force bool
		c := &cobra.Command{Use: "demo [--force]", Short: "Load the demo job center (idempotent) and print its logins",
			Long: "demo loads a demo job center into the configured database (once; a rerun changes nothing)\n" +
				"and prints how to log in. Its users' password is published, so it runs only in\n" +
				"development mode (JOBCENTER_DEV=1). --force loads it anywhere with a random password\n" +
				"per user, printed once, when the demo is loaded.",
			RunE: e.run(func(ctx context.Context) error { return e.demo(ctx, force) })}
		c.Flags().BoolVar(&force, "force", false, "load outside development mode, with random passwords printed once")
		return c
	})
}

var errDemoNotDev = errors.New("demo creates users whose password is published; it runs only with JOBCENTER_DEV=1, " +
	"or with --force, which gives every demo user a random password printed once")

// demo loads the demo data set (once) and prints how to log in; a second
// run changes nothing.
func (e *env) demo(ctx context.Context, force bool) error {
	if e.getenv("JOBCENTER_DEV") != "1" && !force {
		return errDemoNotDev
	}
	m, err := e.openMain(ctx)
	if err != nil {
		return err
	}
	defer m.Close()
	load := demo.Load
	if force {
		load = demo.LoadWithRandomPasswords
	}
	res, err := load(ctx, m)
	if err != nil {
		return err
	}
	if res.Loaded {
		m.Log.Info("demo data loaded", "tenant_id", res.TenantID)
	} else {
		m.Log.Info("demo data already loaded; nothing changed", "tenant_id", res.TenantID)
	}
	url := m.Config.LocalBase()
	fmt.Fprintf(e.out, "Demo job center %q: start `jobcenter serve`, then open %s/docs\n", demo.TenantName, url)
	if len(res.Logins) == 0 {
		fmt.Fprintln(e.out, "It was loaded before with random passwords, printed then; an admin can set new ones.")
		return nil
	}
	fmt.Fprintf(e.out, "Log in with POST %s/v1/auth/token {\"email\": …, \"password\": …} as\n", url)
	if force {
		fmt.Fprintln(e.out, "(random passwords, shown this once: keep them now)")
	}
	for _, l := range res.Logins {
		fmt.Fprintf(e.out, "  %-12s %-44s %s\n", l.Role, l.Email, l.Password)
	}
	return nil
}
