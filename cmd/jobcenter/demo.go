package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"jobcenter/app"
	"jobcenter/demo"
)

// demoLoad loads the demo data set (once) and prints how to log in; a second
// run changes nothing and prints the same.
func demoLoad(ctx context.Context, m *app.Main, out io.Writer) error {
	if err := m.Open(ctx); err != nil {
		return err
	}
	defer m.Close()
	res, err := demo.Load(ctx, m)
	if err != nil {
		return err
	}
	if res.Loaded {
		m.Log.Info("demo data loaded", "tenant_id", res.TenantID)
	} else {
		m.Log.Info("demo data already loaded; nothing changed", "tenant_id", res.TenantID)
	}
	url := baseURL(m.Config.Addr)
	fmt.Fprintf(out, "Demo job center %q: start `jobcenter serve`, then open %s/docs\n", demo.TenantName, url)
	fmt.Fprintf(out, "Log in with POST %s/v1/auth/token {\"email\": …, \"password\": …} as\n", url)
	for _, l := range demo.Logins() {
		fmt.Fprintf(out, "  %-12s %-40s %s\n", l.Role, l.Email, l.Password)
	}
	return nil
}

// baseURL is where `serve` on addr answers on this machine.
func baseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
