package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"

	"jobcenter/app"
)

// An unreachable database is retried for JOBCENTER_DB_WAIT before the
// service gives up; with 0 it gives up at once.
func TestOpenWaitsForTheDatabase(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connections are refused
	for _, c := range []struct {
		wait    string
		retries int
	}{{"0", 0}, {"2500ms", 1}} {
		cfg, err := app.ConfigFromEnv(func(k string) string {
			return map[string]string{"JOBCENTER_DATABASE_URL": "postgres://nobody@" + addr + "/none?sslmode=disable&connect_timeout=1",
				"JOBCENTER_DEV": "1", "JOBCENTER_DEV_KEY_FILE": t.TempDir() + "/keys.json", "JOBCENTER_DB_WAIT": c.wait}[k]
		})
		if err != nil {
			t.Fatal(err)
		}
		var logs bytes.Buffer
		m := &app.Main{Config: cfg, Log: slog.New(slog.NewJSONHandler(&logs, nil))}
		err = m.Open(context.Background())
		if err == nil {
			t.Fatalf("wait %s: opened an unreachable database", c.wait)
		}
		if n := strings.Count(logs.String(), "database unreachable, retrying"); n != c.retries {
			t.Errorf("wait %s: %d retries logged, want %d\n%s", c.wait, n, c.retries, logs.String())
		}
		if c.retries > 0 && !strings.Contains(err.Error(), "still unreachable after 2 attempts") {
			t.Errorf("wait %s: %v", c.wait, err)
		}
	}
	if _, err := app.ConfigFromEnv(func(k string) string {
		return map[string]string{"JOBCENTER_DEV": "1", "JOBCENTER_DEV_KEY_FILE": t.TempDir() + "/k.json", "JOBCENTER_DB_WAIT": "soon"}[k]
	}); err == nil {
		t.Error("JOBCENTER_DB_WAIT=soon accepted")
	}
}
