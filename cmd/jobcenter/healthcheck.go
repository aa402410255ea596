package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"jobcenter/app"
)

func init() {
	register(func(e *env) *cobra.Command {
		var url string
		var timeout time.Duration
		c := &cobra.Command{Use: "healthcheck [--url URL]",
			Short: "Exit 0 if the local server is ready, 1 if not (a container healthcheck)",
			Long: "healthcheck GETs /readyz of the server on this host, at the port of JOBCENTER_ADDR\n" +
				"(or --url), and exits 0 on 200 and 1 otherwise. It reads no secrets and opens no\n" +
				"database, so an image without curl can use it as its healthcheck.",
			RunE: e.run(func(ctx context.Context) error {
				if url == "" {
					var err error
					if url, err = readyzURL(e.getenv("JOBCENTER_ADDR")); err != nil {
						return err
					}
				}
				return healthcheck(ctx, url, timeout, e)
			})}
		c.Flags().StringVar(&url, "url", "", "the URL to check (default http://127.0.0.1:PORT/readyz, PORT from JOBCENTER_ADDR)")
		c.Flags().DurationVar(&timeout, "timeout", 5*time.Second, "how long to wait for the answer")
		return c
	})
}

// readyzURL is /readyz of the server listening on addr (JOBCENTER_ADDR, by
// default :8080): on 127.0.0.1 unless addr names one interface's address.
func readyzURL(addr string) (string, error) {
	if addr == "" {
		addr = ":8080"
	}
	// 127.0.0.1, not localhost: localhost may resolve to ::1, which a
	// server on 0.0.0.0 does not answer.
	base, err := app.LocalURL(addr, "127.0.0.1")
	if err != nil {
		return "", fmt.Errorf("JOBCENTER_ADDR: %w", err)
	}
	return base + "/readyz", nil
}

// healthcheck answers nil if url answers 200 within timeout.
func healthcheck(ctx context.Context, url string, timeout time.Duration, e *env) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck %s: %w", url, err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck %s: %w", url, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck %s: %s", url, resp.Status)
	}
	fmt.Fprintf(e.out, "healthy: %s %s\n", url, resp.Status)
	return nil
}
