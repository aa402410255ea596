package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"jobcenter/models"
	"jobcenter/staffing"
)

// benchLoad: an HTTP load run with wrk against `jobcenter serve` on a tenant
// of 100,000 shifts: GET /v1/shifts?limit=50 and PUT …/time-entries, 64
// connections for 30 s each, throughput and p50/p99 latency; the floor is
// the same list query run by pgbench with 64 clients. Also the idle RSS of
// serve and its peak RSS under the load.
func benchLoad(ctx context.Context, url string) error {
	const conns, duration = 64, "30s"
	sz := Size{Customers: 50, Organisers: 5, ParticipantsPerOrganiser: 200, SupervisorsPerOrganiser: 50, Orders: 1000,
		From: models.Date{Year: 2026, Month: 8, Day: 1}, To: models.Date{Year: 2026, Month: 11, Day: 8}, Slots: 4, CrewSize: 2, Crews: true}
	step("generating %d shifts with crews", sz.Orders*100)
	w, err := Generate(ctx, url, sz)
	if err != nil {
		return err
	}
	raw, err := openAnalyzed(ctx, url)
	if err != nil {
		return err
	}
	defer raw.Close()
	dir, err := os.MkdirTemp("", "jobcenter-load-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	// The floors' scripts: the first page of a coordinator's shift list.
	list := fmt.Sprintf("SELECT * FROM shifts WHERE shifts.tenant_id = '%s' ORDER BY shifts.starts_at, shifts.id LIMIT 51;\n", w.TenantID)
	ids, err := firstPageIDs(ctx, raw, w.TenantID)
	if err != nil {
		return err
	}
	page := list + strings.Replace(staffing.CrewsSQL, "IN ?", "IN ("+ids+")", 1) + ";\n"

	bin, err := buildService(ctx)
	if err != nil {
		return err
	}
	serve, base, err := startServe(ctx, bin, url)
	if err != nil {
		return err
	}
	defer stopServe(serve)
	time.Sleep(2 * time.Second)
	idle, _, err := readRSS(serve.Process.Pid)
	if err != nil {
		return err
	}
	token, err := login(base, w.Coordinator)
	if err != nil {
		return err
	}
	var peak float64
	stop := watchRSS(serve.Process.Pid, func(rss, _ float64) { peak = max(peak, rss) })
	defer stop()
	// Floors and load alternate; the floors run in the API's protocol
	// (statements prepared once per connection): the list query of the first
	// page of a coordinator's shift list, and the whole database work of that
	// page (the list query, then staffing.CrewsSQL: the crews and hours of its
	// 50 shifts).
	var pageFloors []float64
	var gets []wrkResult
	step("pgbench floors and wrk GET /v1/shifts?limit=50: %d connections, %s each, %d rounds", conns, duration, rounds)
	c, err := alternate(func() (float64, error) {
		f, err := pgbench(ctx, url, dir, list, conns, duration)
		if err != nil {
			return 0, err
		}
		pf, err := pgbench(ctx, url, dir, page, conns, duration)
		pageFloors = append(pageFloors, pf)
		return f, err
	}, func() (float64, error) {
		get, err := runWrk(ctx, base+"/v1/shifts?limit=50", token, conns, duration, "")
		gets = append(gets, get)
		return get.rps, err
	})
	if err != nil {
		return err
	}
	lua, err := timeEntriesScript(ctx, raw, dir, w.TenantID, token)
	if err != nil {
		return err
	}
	step("wrk PUT /v1/shifts/{id}/time-entries: %d connections, %s", conns, duration)
	put, err := runWrk(ctx, base, token, conns, duration, lua)
	if err != nil {
		return err
	}
	c.report("GET /v1/shifts?limit=50 requests per second", "/s", "≥ 0.4 of pgbench")
	(comparison{values: c.values, floors: pageFloors}).report("  against the page's queries (list, crews)", "/s", "none; shows where the time goes")
	p50s, p99s := make([]float64, len(gets)), make([]float64, len(gets))
	for i, g := range gets {
		p50s[i], p99s[i] = g.p50, g.p99
	}
	fmt.Printf("%-44s %12.1f ms p50 %8.1f ms p99, medians (target p99 ≤ 50 ms)\n", "  latency", median(p50s), median(p99s))
	fmt.Printf("%-44s %12.1f /s  (%d non-2xx)\n", "PUT …/time-entries requests per second", put.rps, put.errors)
	fmt.Printf("%-44s %12.1f ms p50 %8.1f ms p99\n", "  latency", put.p50, put.p99)
	fmt.Printf("%-44s %12.1f MB   (target < 60 MB)\n", "serve idle RSS", idle)
	fmt.Printf("%-44s %12.1f MB\n", "serve peak RSS under load", peak)
	return nil
}

// pgbench runs one script of SQL statements as a transaction with conns
// clients for duration, statements prepared once per connection, with
// options added, and returns its transactions per second.
func pgbench(ctx context.Context, url, dir, script string, conns int, duration string, options ...string) (float64, error) {
	f, err := os.CreateTemp(dir, "floor-*.sql")
	if err != nil {
		return 0, err
	}
	if _, err := f.WriteString(script); err != nil {
		f.Close()
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	args := append([]string{"-n", "-M", "prepared", "-c", strconv.Itoa(conns), "-j", "2", "-T", strings.TrimSuffix(duration, "s")},
		options...)
	out, err := exec.CommandContext(ctx, "pgbench", append(args, "-f", f.Name(), url)...).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench: %v\n%s", err, out)
	}
	return floatAfter(string(out), `tps = ([0-9.]+)`)
}

// firstPageIDs are the quoted ids of the first 50 shifts of the tenant's
// list, as SQL literals.
func firstPageIDs(ctx context.Context, db *sql.DB, tenantID string) (string, error) {
	var ids string
	err := db.QueryRowContext(ctx, `SELECT string_agg(quote_literal(id), ',') FROM
		(SELECT id FROM shifts WHERE tenant_id = $1 ORDER BY starts_at, id LIMIT 50) page`, tenantID).Scan(&ids)
	return ids, err
}

type wrkResult struct {
	rps, p50, p99 float64
	errors        int
}

// runWrk runs wrk against target, with a Lua script when given.
func runWrk(ctx context.Context, target, token string, conns int, duration, script string) (wrkResult, error) {
	args := []string{"-t2", "-c" + strconv.Itoa(conns), "-d" + duration, "--latency", "-H", "Authorization: Bearer " + token}
	if script != "" {
		args = append(args, "-s", script)
	}
	out, err := exec.CommandContext(ctx, "wrk", append(args, target)...).CombinedOutput()
	if err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %v\n%s", err, out)
	}
	text := string(out)
	var r wrkResult
	if r.rps, err = floatAfter(text, `Requests/sec:\s+([0-9.]+)`); err != nil {
		return r, fmt.Errorf("%v\n%s", err, text)
	}
	if r.p50, err = latency(text, "50%"); err != nil {
		return r, err
	}
	if r.p99, err = latency(text, "99%"); err != nil {
		return r, err
	}
	if m := regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`).FindStringSubmatch(text); m != nil {
		r.errors, _ = strconv.Atoi(m[1])
	}
	return r, nil
}

func floatAfter(text, pattern string) (float64, error) {
	m := regexp.MustCompile(pattern).FindStringSubmatch(text)
	if m == nil {
		return 0, fmt.Errorf("no %q in output", pattern)
	}
	return strconv.ParseFloat(m[1], 64)
}

// latency reads a percentile of wrk's latency distribution in ms.
func latency(text, pct string) (float64, error) {
	m := regexp.MustCompile(`\s` + pct + `\s+([0-9.]+)(us|ms|s)`).FindStringSubmatch(text)
	if m == nil {
		return 0, fmt.Errorf("no %s latency in wrk output", pct)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	return v * map[string]float64{"us": 0.001, "ms": 1, "s": 1000}[m[2]], err
}

// timeEntriesScript writes a wrk Lua script that records the hours of 1,000
// past shifts in turn (each PUT replaces the draft of its shift).
func timeEntriesScript(ctx context.Context, db *sql.DB, dir, tenantID, token string) (string, error) {
	rows, err := db.QueryContext(ctx, `SELECT s.id, a.id, s.starts_at, s.ends_at FROM shifts s JOIN assignments a ON a.shift_id = s.id
		WHERE s.tenant_id = $1 AND s.id IN (SELECT id FROM shifts WHERE tenant_id = $1 AND ends_at < now() ORDER BY starts_at DESC LIMIT 1000)
		ORDER BY s.id, a.id`, tenantID)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	bodies := map[string][]map[string]any{}
	var order []string
	for rows.Next() {
		var shift, assignment string
		var starts, ends time.Time
		if err := rows.Scan(&shift, &assignment, &starts, &ends); err != nil {
			return "", err
		}
		if _, ok := bodies[shift]; !ok {
			order = append(order, shift)
		}
		bodies[shift] = append(bodies[shift], map[string]any{"assignment_id": assignment,
			"start_time": starts.In(helsinki).Format("15:04"), "end_time": ends.In(helsinki).Format("15:04"), "break_minutes": 15})
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	var lua bytes.Buffer
	lua.WriteString("local requests = {\n")
	for _, shift := range order {
		body, err := json.Marshal(map[string]any{"entries": bodies[shift]})
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&lua, "  {%q, %q},\n", "/v1/shifts/"+shift+"/time-entries", string(body))
	}
	fmt.Fprintf(&lua, `}
local i = 0
request = function()
  i = i + 1
  local r = requests[(i %% #requests) + 1]
  return wrk.format("PUT", r[1], {["Content-Type"] = "application/json", ["Authorization"] = %q}, r[2])
end
`, "Bearer "+token)
	path := filepath.Join(dir, "time-entries.lua")
	return path, os.WriteFile(path, lua.Bytes(), 0o600)
}

// startServe runs `jobcenter serve` of bin against dbURL on a free local
// address and waits until it is ready; stopServe ends it.
func startServe(ctx context.Context, bin, dbURL string) (*exec.Cmd, string, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, "", err
	}
	serve := exec.CommandContext(ctx, bin, "serve")
	serve.Env = append(serviceEnv(dbURL), "JOBCENTER_ADDR="+addr)
	if err := serve.Start(); err != nil {
		return nil, "", err
	}
	base := "http://" + addr
	if err := waitReady(base); err != nil {
		stopServe(serve)
		return nil, "", err
	}
	return serve, base, nil
}

// stopServe stops serve gracefully and waits for it to end.
func stopServe(serve *exec.Cmd) {
	serve.Process.Signal(os.Interrupt)
	serve.Wait()
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func waitReady(base string) error {
	for i := 0; i < 300; i++ {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("serve did not become ready")
}

func login(base, email string) (string, error) {
	body, _ := json.Marshal(map[string]string{"email": email, "password": Password})
	res, err := http.Post(base+"/v1/auth/token", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(res.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		return "", fmt.Errorf("login failed (%d): %v", res.StatusCode, err)
	}
	return tok.AccessToken, nil
}
