package main

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"jobcenter/apitest"
	"jobcenter/app"
)

// healthcheck runs with only the variables given: no secrets, no database URL.
func runHealthcheck(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := execute(context.Background(), append([]string{"healthcheck"}, args...), func(k string) string { return vars[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

// A ready server answers 0, on the port of JOBCENTER_ADDR; no server, a
// server that is not ready or a bad address answer 1.
func TestHealthcheckExitsZeroOnlyWhenTheServerIsReady(t *testing.T) {
	dir := t.TempDir()
	dbURL, drop, err := apitest.DatabaseURL(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	cfg, err := app.ConfigFromEnv(func(k string) string {
		return map[string]string{"JOBCENTER_DATABASE_URL": dbURL, "JOBCENTER_ADDR": "127.0.0.1:0", "JOBCENTER_DEV": "1",
			"JOBCENTER_DEV_KEY_FILE": dir + "/keys.json", "JOBCENTER_SCHEDULER": "off"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	m := &app.Main{Config: cfg, Log: slog.New(slog.DiscardHandler)}
	if err := m.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(m.URL(), "http://"))
	code, out, errOut := runHealthcheck(t, map[string]string{"JOBCENTER_ADDR": ":" + port})
	if code != 0 || !strings.Contains(out, "http://127.0.0.1:"+port+"/readyz 200") {
		t.Errorf("ready server: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := runHealthcheck(t, nil, "--url", m.URL()+"/readyz"); code != 0 {
		t.Errorf("ready server by --url: exit %d\n%s%s", code, out, errOut)
	}
	m.Close()
	// Nothing listens on the port any more.
	if code, out, errOut := runHealthcheck(t, map[string]string{"JOBCENTER_ADDR": "127.0.0.1:" + port}); code != exitFailed || !strings.Contains(errOut, "refused") {
		t.Errorf("no server: exit %d\n%s%s", code, out, errOut)
	}

	notReady := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, `{"status":"migrations pending"}`, http.StatusServiceUnavailable)
	}))
	defer notReady.Close()
	if code, out, errOut := runHealthcheck(t, nil, "--url", notReady.URL+"/readyz"); code != exitFailed || !strings.Contains(errOut, "503") {
		t.Errorf("server not ready: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := runHealthcheck(t, map[string]string{"JOBCENTER_ADDR": "8080"}); code != exitFailed || !strings.Contains(errOut, "not host:port") {
		t.Errorf("bad JOBCENTER_ADDR: exit %d\n%s%s", code, out, errOut)
	}
}

func TestReadyzURLIsOnThisHost(t *testing.T) {
	for addr, want := range map[string]string{
		"":               "http://127.0.0.1:8080/readyz",
		":9000":          "http://127.0.0.1:9000/readyz",
		"0.0.0.0:9000":   "http://127.0.0.1:9000/readyz",
		"[::]:9000":      "http://127.0.0.1:9000/readyz",
		"localhost:9000": "http://127.0.0.1:9000/readyz",
		"10.0.0.5:9000":  "http://10.0.0.5:9000/readyz", // listening on that address only
	} {
		if got, err := readyzURL(addr); err != nil || got != want {
			t.Errorf("readyzURL(%q) = %s, %v; want %s", addr, got, err, want)
		}
	}
}
