package main

import (
	"context"
	"encoding/json"

	"github.com/spf13/cobra"
)

func init() {
	register(func(e *env) *cobra.Command {
		var tenant, email, password string
		c := &cobra.Command{Use: "bootstrap --tenant NAME --email E --password P",
			Short: "Create a tenant and its first admin (idempotent)",
			Long: "bootstrap creates a tenant and its first admin user unless they exist, and prints\n" +
				`{"tenant_id": …, "user_id": …}; running it again changes nothing and prints the same.`,
			RunE: e.run(func(ctx context.Context) error {
				m, err := e.openMain(ctx)
				if err != nil {
					return err
				}
				defer m.Close()
				tid, uid, err := m.Directory.Bootstrap(ctx, tenant, email, password)
				if err != nil {
					return err
				}
				return json.NewEncoder(e.out).Encode(map[string]string{"tenant_id": tid, "user_id": uid})
			})}
		c.Flags().StringVar(&tenant, "tenant", "", "tenant name")
		c.Flags().StringVar(&email, "email", "", "the admin's email")
		c.Flags().StringVar(&password, "password", "", "the admin's password (at least 12 characters)")
		for _, f := range []string{"tenant", "email", "password"} {
			_ = c.MarkFlagRequired(f) // cannot fail: the flag exists
		}
		return c
	})
}
