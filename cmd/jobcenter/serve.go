package main

import (
	"context"

	"github.com/spf13/cobra"
)

func init() {
	register(func(e *env) *cobra.Command {
		return &cobra.Command{Use: "serve", Short: "Apply pending migrations, serve the API and run the scheduler",
			Long: "serve applies pending migrations, serves the HTTP API and runs the scheduled jobs\n" +
				"(unless JOBCENTER_SCHEDULER=off) until SIGINT or SIGTERM, then stops gracefully.",
			RunE: e.run(e.serve)}
	})
}

func (e *env) serve(ctx context.Context) error {
	m, err := e.newMain()
	if err != nil {
		return err
	}
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
