package main

import (
	"context"

	"github.com/spf13/cobra"
)

func init() {
	register(func(e *env) *cobra.Command {
		return &cobra.Command{Use: "migrate", Short: "Apply pending migrations and exit",
			RunE: e.run(func(ctx context.Context) error {
				m, err := e.openMain(ctx)
				if err != nil {
					return err
				}
				return m.Close()
			})}
	})
}
