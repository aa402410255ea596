package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/staffing"
)

// benchBoard: the coordinators' staffing board, GET /app/board, showing one
// organiser's week in a tenant of 100,000 shifts (a year of them, ten
// organisers, so a week of one organiser is some 200 staffed shifts), read
// by 8 signed-in browsers at once with wrk for 20 s: requests per second,
// p50 and p99 latency, the page's queries plus its rendering. The floor is
// the page's own statements, one transaction per page view, run by pgbench
// with 8 clients.
func benchBoard(ctx context.Context, dbURL string) error {
	const conns, duration = 8, "20s"
	sz := Size{Customers: 50, Organisers: 10, ParticipantsPerOrganiser: 100, SupervisorsPerOrganiser: 20, Orders: 274,
		From: models.Date{Year: 2026, Month: 1, Day: 1}, To: models.Date{Year: 2026, Month: 12, Day: 31}, Slots: 4, CrewSize: 2, Crews: true}
	step("generating %d shifts with crews", sz.Orders*365)
	w, err := Generate(ctx, dbURL, sz)
	if err != nil {
		return err
	}
	raw, err := openAnalyzed(ctx, dbURL)
	if err != nil {
		return err
	}
	defer raw.Close()
	dir, err := os.MkdirTemp("", "jobcenter-board-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	bin, err := buildService(ctx)
	if err != nil {
		return err
	}
	serve, base, err := startServe(ctx, bin, dbURL)
	if err != nil {
		return err
	}
	defer stopServe(serve)
	session, csrf, err := signIn(base, w.Coordinator)
	if err != nil {
		return err
	}
	monday, organiser := models.Date{Year: 2026, Month: 6, Day: 15}, w.Organisers[0]
	target := base + "/app/board?" + url.Values{"week": {monday.String()}, "organiser": {organiser}}.Encode()
	cookie := "jc_session=" + session + "; jc_csrf=" + csrf
	script, err := boardSQL(ctx, raw, w.TenantID, organiser, session, monday)
	if err != nil {
		return err
	}
	page, err := fetchBoard(target, cookie)
	if err != nil {
		return err
	}
	if want := fmt.Sprintf("/app/board/shifts/%s", script.firstShift); !strings.Contains(page, want) {
		return fmt.Errorf("the board does not show the week's first shift %s", script.firstShift)
	}
	step("the board of organiser %s, week of %s: %d shifts, %d bytes of HTML", organiser, monday, script.shifts, len(page))
	lua := filepath.Join(dir, "board.lua")
	if err := os.WriteFile(lua, []byte(fmt.Sprintf("wrk.headers[%q] = %q\n", "Cookie", cookie)), 0o600); err != nil {
		return err
	}

	var floors, pages []wrkResult
	step("pgbench of the board's statements and wrk GET /app/board: %d connections, %s each, %d rounds", conns, duration, rounds)
	c, err := alternate(func() (float64, error) {
		f, err := pgbenchLatencies(ctx, dbURL, dir, script.sql, conns, duration)
		floors = append(floors, f)
		return f.rps, err
	}, func() (float64, error) {
		r, err := runWrk(ctx, target, "", conns, duration, lua)
		if err == nil && r.errors > 0 {
			err = fmt.Errorf("wrk: %d non-2xx answers", r.errors)
		}
		pages = append(pages, r)
		return r.rps, err
	})
	if err != nil {
		return err
	}
	// A lost session would answer every request with a redirect to the
	// sign-in page, which wrk counts as a success: the board must still be
	// the board.
	if page, err := fetchBoard(target, cookie); err != nil || !strings.Contains(page, script.firstShift) {
		return fmt.Errorf("the board after the load is not the board (%v)", err)
	}
	c.report("GET /app/board (one organiser's week) req/s", "/s", "none; p99 ≤ 100 ms")
	pct := func(rs []wrkResult, f func(wrkResult) float64) float64 {
		xs := make([]float64, len(rs))
		for i, r := range rs {
			xs[i] = f(r)
		}
		return median(xs)
	}
	p50 := func(r wrkResult) float64 { return r.p50 }
	p99 := func(r wrkResult) float64 { return r.p99 }
	fmt.Printf("%-44s %12.1f ms p50 %8.1f ms p99, medians (target p99 ≤ 100 ms)\n", "  latency", pct(pages, p50), pct(pages, p99))
	fmt.Printf("%-44s %12.1f ms p50 %8.1f ms p99, medians\n", "  floor latency", pct(floors, p50), pct(floors, p99))
	fmt.Printf("%-44s %12.2f p50 %11.2f p99\n", "  latency ratio", pct(pages, p50)/pct(floors, p50), pct(pages, p99)/pct(floors, p99))
	return nil
}

// signIn signs in through the web app's form as a browser does: the login
// page gives the CSRF cookie, the form posts it back, and the answer sets
// the session cookie. The cookies are Secure outside development mode, so
// they are read from the answers rather than kept in a cookie jar.
func signIn(base, email string) (session, csrf string, err error) {
	res, err := http.Get(base + "/app/login")
	if err != nil {
		return "", "", err
	}
	res.Body.Close()
	for _, ck := range res.Cookies() {
		if ck.Name == "jc_csrf" {
			csrf = ck.Value
		}
	}
	if csrf == "" {
		return "", "", fmt.Errorf("the login page set no CSRF cookie (%d)", res.StatusCode)
	}
	form := url.Values{"email": {email}, "password": {Password}, "csrf": {csrf}, "next": {"/app/"}}
	req, err := http.NewRequest(http.MethodPost, base+"/app/login", strings.NewReader(form.Encode()))
	if err != nil {
		return "", "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "jc_csrf", Value: csrf})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err = client.Do(req)
	if err != nil {
		return "", "", err
	}
	res.Body.Close()
	for _, ck := range res.Cookies() {
		switch ck.Name {
		case "jc_session":
			session = ck.Value
		case "jc_csrf":
			csrf = ck.Value
		}
	}
	if res.StatusCode != http.StatusSeeOther || session == "" {
		return "", "", fmt.Errorf("sign-in failed (%d)", res.StatusCode)
	}
	return session, csrf, nil
}

// fetchBoard is the board's HTML, which must come with 200.
func fetchBoard(target, cookie string) (string, error) {
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		return "", err
	}
	req.Header.Set("Cookie", cookie)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return "", err
	}
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %d", target, res.StatusCode)
	}
	return string(body), nil
}

type boardScript struct {
	sql        string
	firstShift string
	shifts     int
}

// boardSQL is the database work of one view of the board, statement by
// statement as the service sends them (PostgreSQL's statement log with
// log_min_duration_statement = 0 shows the same nine): the session's
// refresh token and user (directory.WebSession), the organisers and the
// customers for the filters (directory.ListOrganizations, one page of 200),
// the organiser's shifts of the week (staffing.ListShifts, one page of
// 200), their crews (staffing.CrewsSQL) and the names of their customers,
// task types and sites (staffing.LabelsFor), with the values the page
// binds written in.
func boardSQL(ctx context.Context, db *sql.DB, tenantID, organiser, session string, monday models.Date) (boardScript, error) {
	sunday := monday.AddDays(6)
	var s boardScript
	rows, err := db.QueryContext(ctx, `SELECT id, customer_id, task_type_id, order_id FROM shifts
		WHERE tenant_id = $1 AND date >= $2 AND date <= $3 AND organiser_id = $4 ORDER BY starts_at, id`,
		tenantID, monday.String(), sunday.String(), organiser)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	var shifts, customers, types, orders []string
	for rows.Next() {
		var id, customer, taskType, order string
		if err := rows.Scan(&id, &customer, &taskType, &order); err != nil {
			return s, err
		}
		shifts, customers, types, orders = append(shifts, id), append(customers, customer), append(types, taskType), append(orders, order)
	}
	if err := rows.Err(); err != nil {
		return s, err
	}
	if len(shifts) == 0 || len(shifts) > 200 {
		return s, fmt.Errorf("the week has %d shifts of the organiser; the floor assumes one page of 1 to 200", len(shifts))
	}
	s.firstShift, s.shifts = shifts[0], len(shifts)
	var userID string
	if err := db.QueryRowContext(ctx, `SELECT user_id FROM refresh_tokens WHERE token_hash = $1`, auth.HashRefreshToken(session)).Scan(&userID); err != nil {
		return s, fmt.Errorf("session: %w", err)
	}
	in := func(ids []string) string {
		ids = slices.Compact(slices.Sorted(slices.Values(ids)))
		quoted := make([]string, len(ids))
		for i, id := range ids {
			quoted[i] = quote(id)
		}
		return "(" + strings.Join(quoted, ",") + ")"
	}
	label := func(table, column string, ids []string) string {
		return fmt.Sprintf("SELECT id, %s AS label FROM %s WHERE tenant_id = %s AND id IN %s;\n", column, table, quote(tenantID), in(ids))
	}
	crewIn := "("
	for i, id := range shifts {
		if i > 0 {
			crewIn += ","
		}
		crewIn += quote(id)
	}
	crewIn += ")"
	s.sql = fmt.Sprintf("SELECT * FROM refresh_tokens WHERE token_hash = %s LIMIT 1;\n", quote(auth.HashRefreshToken(session))) +
		fmt.Sprintf("SELECT * FROM users WHERE id = %s LIMIT 1;\n", quote(userID)) +
		fmt.Sprintf("SELECT * FROM organizations WHERE tenant_id = %s AND kind = 'organiser' ORDER BY organizations.id LIMIT 201;\n", quote(tenantID)) +
		fmt.Sprintf("SELECT * FROM organizations WHERE tenant_id = %s AND kind = 'customer' ORDER BY organizations.id LIMIT 201;\n", quote(tenantID)) +
		fmt.Sprintf("SELECT %s FROM shifts WHERE shifts.tenant_id = %s AND date >= %s AND date <= %s AND organiser_id = %s ORDER BY shifts.starts_at, shifts.id LIMIT 201;\n",
			strings.Join(strings.Fields(shiftColumnsSQL), " "), quote(tenantID), quote(monday.String()), quote(sunday.String()), quote(organiser)) +
		strings.Join(strings.Fields(strings.Replace(staffing.CrewsSQL, "IN ?", "IN "+crewIn, 1)), " ") + ";\n" +
		label("organizations", "name", customers) + label("task_types", "name", types) + label("orders", "site_address", orders)
	return s, nil
}

// shiftColumnsSQL are the columns staffing.ListShifts selects.
const shiftColumnsSQL = `shifts.id, shifts.tenant_id, shifts.order_id, shifts.organiser_id, shifts.customer_id, shifts.task_type_id,
	shifts.date, shifts.starts_at, shifts.ends_at, shifts.status, shifts.crew_size, shifts.late_cancellation, shifts.cancelled_at,
	shifts.cancel_reason, shifts.created_at, shifts.version, shifts.timesheet_status, shifts.timesheet_submitted_at,
	shifts.timesheet_approved_at, shifts.timesheet_auto_approved, shifts.dispute_reason`

// quote is s as an SQL string literal (ids and dates: no quotes inside).
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// pgbenchLatencies runs script through the load benchmark's pgbench, with
// every transaction's latency logged, and returns its transactions per
// second and the p50 and p99 of those latencies in ms.
func pgbenchLatencies(ctx context.Context, dbURL, dir, script string, conns int, duration string) (wrkResult, error) {
	logs, err := os.MkdirTemp(dir, "log-")
	if err != nil {
		return wrkResult{}, err
	}
	defer os.RemoveAll(logs)
	var r wrkResult
	if r.rps, err = pgbench(ctx, dbURL, dir, script, conns, duration, "-l", "--log-prefix", filepath.Join(logs, "tx")); err != nil {
		return r, err
	}
	// Each log line: client_id transaction_no time_us script_no time_epoch time_us.
	files, err := filepath.Glob(filepath.Join(logs, "tx*"))
	if err != nil {
		return r, err
	}
	var lat []float64
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			return r, err
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			if fields := strings.Fields(line); len(fields) >= 3 {
				us, err := strconv.ParseFloat(fields[2], 64)
				if err != nil {
					return r, fmt.Errorf("pgbench log %s: %w", name, err)
				}
				lat = append(lat, us/1000)
			}
		}
	}
	if len(lat) == 0 {
		return r, fmt.Errorf("pgbench logged no transactions")
	}
	slices.Sort(lat)
	r.p50, r.p99 = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
	return r, nil
}
