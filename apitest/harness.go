// Package apitest starts the real service (app.Main) on a random port and
// talks HTTP to it, on SQLite in a temporary directory or, when
// JOBCENTER_TEST_POSTGRES is set, on a fresh PostgreSQL database that is
// dropped afterwards. Every response is validated against openapi.yaml.
package apitest

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	_ "github.com/jackc/pgx/v5/stdlib"
	"golang.org/x/crypto/bcrypt"

	"jobcenter"
	"jobcenter/app"
	"jobcenter/auth"
	"jobcenter/store"
)

// Server is the running service shared by the tests of one package.
type Server struct {
	Main   *app.Main
	URL    string
	router routers.Router
}

var (
	shared     *Server
	sharedErr  error
	sharedOnce sync.Once
	cleanups   []func()
)

// Run is TestMain's body: it runs the tests, then stops the shared server and
// drops its database.
func Run(m *testing.M) int {
	code := m.Run()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	return code
}

// DatabaseURL makes a fresh database for a test run: a new PostgreSQL
// database beside JOBCENTER_TEST_POSTGRES, or a SQLite file in dir.
func DatabaseURL(dir string) (string, func(), error) {
	base := os.Getenv("JOBCENTER_TEST_POSTGRES")
	if base == "" {
		return "sqlite://" + dir + "/jobcenter.db", func() {}, nil
	}
	name := fmt.Sprintf("jobcenter_test_%d", rand.Uint64())
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create test database: %w", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	}
	return u.String(), drop, nil
}

// Start returns the package's shared server, starting it on first use.
func Start(t testing.TB) *Server {
	t.Helper()
	sharedOnce.Do(func() { shared, sharedErr = start() })
	if sharedErr != nil {
		t.Fatalf("start server: %v", sharedErr)
	}
	return shared
}

func start() (*Server, error) {
	auth.BcryptCost = bcrypt.MinCost // tests log in often; the cost is not under test
	dir, err := os.MkdirTemp("", "jobcenter-test-")
	if err != nil {
		return nil, err
	}
	cleanups = append(cleanups, func() { os.RemoveAll(dir) })
	dbURL, drop, err := DatabaseURL(dir)
	if err != nil {
		return nil, err
	}
	cleanups = append(cleanups, drop)
	cfg, err := testConfig(dbURL, dir, nil)
	if err != nil {
		return nil, err
	}
	s, err := launch(cfg)
	if err != nil {
		return nil, err
	}
	cleanups = append(cleanups, func() { s.Main.Close() })
	return s, nil
}

// startOwnServer starts a service of its own on dbURL with settings of extra
// over the test defaults, and makes it the package's server for the fixtures
// until the test ends.
func startOwnServer(t *testing.T, dbURL string, extra map[string]string) *Server {
	t.Helper()
	Start(t) // the shared server exists, to be put back afterwards
	cfg, err := testConfig(dbURL, t.TempDir(), extra)
	if err != nil {
		t.Fatal(err)
	}
	// Tests with a server of their own wait for the dispatcher's sends; a
	// short idle pause keeps them quick.
	cfg.NotifyPoll = 20 * time.Millisecond
	s, err := launch(cfg)
	if err != nil {
		t.Fatal(err)
	}
	prev := shared
	shared = s
	t.Cleanup(func() { shared = prev; s.Main.Close() })
	return s
}

// testConfig is the configuration of a test service on dbURL with its key
// file in dir: dev mode, the scheduler off (tests run jobs through
// /dev/jobs), and settings of extra over these.
func testConfig(dbURL, dir string, extra map[string]string) (app.Config, error) {
	settings := map[string]string{
		"JOBCENTER_DATABASE_URL": dbURL,
		"JOBCENTER_ADDR":         "127.0.0.1:0",
		"JOBCENTER_DEV":          "1",
		"JOBCENTER_SCHEDULER":    "off",
		"JOBCENTER_DEV_KEY_FILE": dir + "/dev-keys.json",
	}
	for k, v := range extra {
		settings[k] = v
	}
	cfg, err := app.ConfigFromEnv(func(k string) string { return settings[k] })
	if err != nil {
		return cfg, fmt.Errorf("test configuration: %w", err)
	}
	return cfg, nil
}

// launch runs the service with cfg and routes its answers through
// openapi.yaml for validation; the caller closes s.Main.
func launch(cfg app.Config) (*Server, error) {
	level := slog.LevelError
	if os.Getenv("JOBCENTER_TEST_LOG") != "" {
		level = slog.LevelInfo
	}
	m := &app.Main{Config: cfg, Log: slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))}
	if err := m.Run(context.Background()); err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(jobcenter.OpenAPI)
	if err != nil {
		m.Close()
		return nil, fmt.Errorf("load openapi.yaml: %w", err)
	}
	doc.Servers = openapi3.Servers{{URL: m.URL()}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		m.Close()
		return nil, fmt.Errorf("route openapi.yaml: %w", err)
	}
	return &Server{Main: m, URL: m.URL(), router: router}, nil
}

func init() {
	// Files are checked for their content type only; their content has its
	// own tests (CSV parsing, xmllint).
	for _, ct := range []string{"text/html", "application/yaml", "text/plain", "text/csv", "application/xml", "application/javascript", "text/javascript"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
}

// Response is one HTTP answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Decode unmarshals the body into v.
func (r *Response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// Map is the body as a JSON object.
func (r *Response) Map(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.Decode(t, &m)
	return m
}

// Request is one call: Body is marshalled to JSON unless it is a string or
// []byte (sent as is).
type Request struct {
	Method string
	Path   string
	Token  string
	Body   any
	Header map[string]string
}

// Do sends req and validates the response against openapi.yaml: the route,
// the status code and the body schema must all be in the spec.
func (s *Server) Do(t testing.TB, req Request) *Response {
	t.Helper()
	var body io.Reader
	var raw []byte
	switch b := req.Body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			t.Fatalf("marshal body: %v", err)
		}
	}
	if raw != nil {
		body = bytes.NewReader(raw)
	}
	hr, err := http.NewRequest(req.Method, s.URL+req.Path, body)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	if raw != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if req.Token != "" {
		hr.Header.Set("Authorization", "Bearer "+req.Token)
	}
	for k, v := range req.Header {
		hr.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.Path, err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read response: %v", err)
	}
	resp := &Response{Status: res.StatusCode, Header: res.Header, Body: out}
	s.validate(t, hr, raw, resp)
	return resp
}

// validate checks a response against the spec. Requests are not validated
// here: sending invalid requests is what many tests do on purpose.
func (s *Server) validate(t testing.TB, hr *http.Request, _ []byte, resp *Response) {
	t.Helper()
	route, params, err := s.router.FindRoute(hr)
	if err != nil {
		if resp.Status == http.StatusNotFound || resp.Status == http.StatusMethodNotAllowed {
			return // a route that does not exist, asked for on purpose
		}
		t.Errorf("%s %s: not in openapi.yaml: %v", hr.Method, hr.URL.Path, err)
		return
	}
	in := &openapi3filter.RequestValidationInput{Request: hr, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.Status, Header: resp.Header,
		Body: io.NopCloser(bytes.NewReader(resp.Body)), Options: in.Options}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s → %d does not match openapi.yaml: %v\nbody: %s", hr.Method, hr.URL.Path, resp.Status, firstLine(err.Error()), truncate(resp.Body))
	}
}

func firstLine(s string) string {
	if i := strings.Index(s, "\n"); i > 0 {
		return s[:i]
	}
	return s
}

func truncate(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// Expect fails the test unless the response has the status.
func (r *Response) Expect(t testing.TB, status int) *Response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, truncate(r.Body))
	}
	return r
}

// OpenDB opens a fresh database of the dialect under test (see DatabaseURL),
// migrated when migrate is set, and closes and drops it after the test.
func OpenDB(t testing.TB, migrate bool) (string, *store.DB) {
	t.Helper()
	url, drop, err := DatabaseURL(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	db, err := store.Open(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if migrate {
		if _, err := db.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	return url, db
}
