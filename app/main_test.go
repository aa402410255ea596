package app_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"jobcenter/apitest"
	"jobcenter/app"
)

// TestGracefulShutdown: Close stops accepting connections but lets a request
// that is already arriving finish with its answer.
func TestGracefulShutdown(t *testing.T) {
	m := startMain(t, nil)
	addr := strings.TrimPrefix(m.URL(), "http://")

	// A login whose body is still on its way when the shutdown starts.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"email":"nobody@example.fi","password":"not the password"}`
	if _, err := conn.Write([]byte("POST /v1/auth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
		strconv.Itoa(len(body)) + "\r\n\r\n" + body[:10])); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	closed := make(chan error, 1)
	start := time.Now()
	go func() { closed <- m.Close() }()
	time.Sleep(200 * time.Millisecond)
	if _, err := http.Get(m.URL() + "/healthz"); err == nil {
		t.Error("the server accepted a new connection while shutting down")
	}
	if _, err := conn.Write([]byte(body[10:])); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the in-flight request got no answer: %v", err)
	}
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("in-flight login answered %d", res.StatusCode)
	}
	if err := <-closed; err != nil {
		t.Fatalf("close: %v", err)
	}
	if took := time.Since(start); took > app.ShutdownTimeout {
		t.Errorf("shutdown took %s", took)
	}
}

// startMain runs the service on SQLite (or PostgreSQL, see apitest) with
// extra environment variables.
func startMain(t *testing.T, extra map[string]string) *app.Main {
	t.Helper()
	dir := t.TempDir()
	url, drop, err := apitest.DatabaseURL(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	env := map[string]string{"JOBCENTER_DATABASE_URL": url, "JOBCENTER_ADDR": "127.0.0.1:0", "JOBCENTER_DEV": "1",
		"JOBCENTER_DEV_KEY_FILE": dir + "/keys.json"}
	for k, v := range extra {
		env[k] = v
	}
	cfg, err := app.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	m := &app.Main{Config: cfg, Log: slog.New(slog.DiscardHandler)}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return m
}

// The ops listener serves the metrics to anyone, for a scraper elsewhere.
func TestOpsListenerServesMetrics(t *testing.T) {
	m := startMain(t, map[string]string{"JOBCENTER_OPS_ADDR": "127.0.0.1:0"})
	defer m.Close()
	res, err := http.Get(m.OpsURL() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "go_sql_max_open_connections") {
		t.Fatalf("ops /metrics: %d %.200s", res.StatusCode, body)
	}
}
