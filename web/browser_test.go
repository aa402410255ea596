package web_test

import (
	"context"
	_ "embed"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"jobcenter/apitest"
)

// The browser tests drive Debian's headless Chromium through the real
// server (apitest's harness, SQLite or PostgreSQL), one browser for the
// package and a fresh browser context (cookies) per test.

//go:embed testdata/axe/axe.min.js
var axeJS string

const chromium = "/usr/bin/chromium"

var (
	browserOnce  sync.Once
	browserCtx   context.Context
	browserStop  func()
	browserError error
)

func TestMain(m *testing.M) {
	code := apitest.Run(m)
	if browserStop != nil {
		browserStop()
	}
	os.Exit(code)
}

// browser opens a tab in a new browser context, or skips when Chromium is
// missing outside CI (in CI a missing browser fails).
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := exec.LookPath(chromium); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("chromium is required in CI: %v", err)
		}
		t.Skipf("browser tests skipped: %s not found (apt-get install chromium)", chromium)
	}
	browserOnce.Do(func() {
		dir, err := os.MkdirTemp("", "jobcenter-chromium-")
		if err != nil {
			browserError = err
			return
		}
		opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(chromium), chromedp.UserDataDir(dir),
			chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true)}
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(alloc)
		browserError = chromedp.Do(ctx) // starts the browser
		browserCtx = ctx
		browserStop = func() { cancel(); cancelAlloc(); os.RemoveAll(dir) }
	})
	if browserError != nil {
		t.Fatalf("start chromium: %v", browserError)
	}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel() })
	return ctx
}

// page is a browser tab on the test server.
type page struct {
	t   *testing.T
	ctx context.Context
	url string
	out string
	n   int
}

func newPage(t *testing.T, s *apitest.Server) *page {
	out := os.Getenv("TEST_OUTPUT_DIR")
	if out == "" {
		out = t.TempDir()
	} else {
		out = filepath.Join(out, t.Name())
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return &page{t: t, ctx: browser(t), url: s.URL, out: out}
}

func (p *page) run(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
}

// eval is the value of a JavaScript expression on the page.
func eval[T any](p *page, js string, opts ...chromedp.EvaluateOption) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js, opts...))
	if err != nil {
		p.t.Fatalf("evaluate %.60s: %v", js, err)
	}
	return v
}

// until waits for a JavaScript condition to hold.
func (p *page) until(js string) {
	p.t.Helper()
	// Evaluated again and again rather than polled in the page, which a
	// full page load (the language form) would interrupt.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if ok, err := chromedp.Run(p.ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.t.Fatalf("waiting for %s (page shows %q)", js, p.text())
}

func (p *page) open(path string) { p.t.Helper(); p.run(chromedp.Navigate(p.url + path)) }

// heading waits until the page's h1 reads text (pages change in place
// with htmx, so there is no load event to wait for).
func (p *page) heading(text string) {
	p.t.Helper()
	p.until(fmt.Sprintf(`(() => { const h = document.querySelector('h1'); return !!h && h.textContent.trim() === %q; })()`, text))
}

func (p *page) text() string {
	p.t.Helper()
	s, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ''`))
	return s
}

// check runs axe-core on the page, fails on a serious or critical
// violation, checks the page fits its width, and saves a screenshot.
func (p *page) check(name string) {
	p.t.Helper()
	if !eval[bool](p, `typeof axe !== 'undefined'`) {
		eval[bool](p, axeJS+";\ntrue")
	}
	type violation struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any `json:"target"`
		} `json:"nodes"`
	}
	violations := eval[[]violation](p, `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}}).then(r => r.violations)`,
		chromedp.EvalAwaitPromise)
	for _, v := range violations {
		if v.Impact == "serious" || v.Impact == "critical" {
			p.t.Errorf("%s: axe %s (%s): %s at %v", name, v.ID, v.Impact, v.Help, v.Nodes)
		}
	}
	if eval[bool](p, `document.documentElement.scrollWidth > window.innerWidth`) {
		p.t.Errorf("%s: the page scrolls sideways", name)
	}
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	p.n++
	if err := os.WriteFile(filepath.Join(p.out, fmt.Sprintf("%02d-%s.png", p.n, name)), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
}

func (p *page) signIn(email string) {
	p.t.Helper()
	p.run(chromedp.SetValue(chromedp.CSS(`#email`), email), chromedp.SetValue(chromedp.CSS(`#password`), apitest.Password))
	p.click(`form[action="/app/login"] button[type=submit]`)
}

// click clicks the element as a user would, through its click() method: the
// form submits with the button as its submitter. It waits until the element
// exists and htmx has no request, swap or settle in progress, so a slow
// machine does not click into a panel being replaced.
func (p *page) click(sel string) {
	p.t.Helper()
	p.until(fmt.Sprintf(`!!document.querySelector(%q) && !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')`, sel))
	eval[bool](p, fmt.Sprintf(`(() => { document.querySelector(%q).click(); return true; })()`, sel))
}

func (p *page) set(sel, value string) {
	p.t.Helper()
	p.run(chromedp.SetValue(chromedp.CSS(sel), value))
}

// world is a tenant with a customer, an organiser and their people.
type world struct {
	tn                      *apitest.Tenant
	s                       *apitest.Server
	customer, organiser     string
	taskType, coord         string
	coordEmail              string
	custEmail, supEmail     string
	supID                   string
	participants            []string
	participantFirstNames   []string
	participantLastNamePart string
}

func setClock(t *testing.T, s *apitest.Server, now string) {
	t.Helper()
	s.Do(t, apitest.Request{Method: http.MethodPut, Path: "/dev/clock", Body: map[string]string{"now": now}}).Expect(t, http.StatusOK)
	t.Cleanup(func() { s.Do(t, apitest.Request{Method: http.MethodDelete, Path: "/dev/clock"}) })
}

// user creates a user and returns its id and email.
func user(t *testing.T, tn *apitest.Tenant, role, org, name string) (string, string) {
	t.Helper()
	email := fmt.Sprintf("web-%s-%x@example.fi", role, rand.Uint64())
	body := map[string]any{"email": email, "password": apitest.Password, "role": role, "name": name, "phone": "+358 40 765 4321"}
	if org != "" {
		body["organization_id"] = org
	}
	id := tn.Do(t, http.MethodPost, "/v1/users", tn.AdminToken, body).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	return id, email
}

func newWorld(t *testing.T, participants int) *world {
	t.Helper()
	tn := apitest.NewTenant(t)
	w := &world{tn: tn, s: tn.S, customer: tn.Customer(t, "standard"), organiser: tn.Organiser(t, 1000), participantLastNamePart: "Virtanen"}
	w.taskType = tn.Do(t, http.MethodPost, "/v1/task-types", tn.AdminToken, map[string]any{"name": "Outdoor cleaning"}).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	_, w.coordEmail = user(t, tn, "coordinator", "", "Kaisa Coordinator")
	w.coord = tn.Login(t, w.coordEmail)
	_, w.custEmail = user(t, tn, "customer", w.customer, "Pekka Customer")
	w.supID, w.supEmail = user(t, tn, "supervisor", w.organiser, "Sanna Supervisor")
	tn.Do(t, http.MethodPost, "/v1/agreements", w.coord, map[string]any{
		"customer_id": w.customer, "participant_hour_price_cents": 2500, "supervisor_hour_price_cents": 4500,
		"minimum_billable_minutes": 120, "late_cancellation_window_hours": 48, "late_cancellation_fee_cents": 15000,
		"payment_term_days": 14, "employment_model": "subcontracting", "valid_from": "2026-01-01"}).Expect(t, http.StatusCreated)
	for i := range participants {
		first := []string{"Aino", "Eero", "Helmi", "Onni"}[i]
		id := tn.Do(t, http.MethodPost, "/v1/participants", w.coord, map[string]any{"organiser_id": w.organiser,
			"first_name": first, "last_name": "Virtanen", "email": "p@example.fi", "phone": "+358401112233", "iban": "FI2112345600000785"}).
			Expect(t, http.StatusCreated).Map(t)["id"].(string)
		tn.Do(t, http.MethodPost, "/v1/participants/"+id+"/service-decisions", w.coord, map[string]any{"kind": "rehabilitative_work_activity",
			"valid_from": "2026-01-01", "max_days_per_week": 4, "max_hours_per_day": 6, "compensation": "none"}).Expect(t, http.StatusCreated)
		w.participants = append(w.participants, id)
		w.participantFirstNames = append(w.participantFirstNames, first)
	}
	return w
}

// staff accepts an order and puts every participant and the supervisor on
// its shifts; it returns the shift ids in time order.
func (w *world) staff(t *testing.T, orderID string) []string {
	t.Helper()
	w.tn.Do(t, http.MethodPost, "/v1/orders/"+orderID+"/accept", w.coord, map[string]any{"organiser_id": w.organiser}).Expect(t, http.StatusOK)
	var list struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	w.tn.Do(t, http.MethodGet, "/v1/shifts?order_id="+orderID, w.coord, nil).Expect(t, http.StatusOK).Decode(t, &list)
	var ids []string
	for _, s := range list.Items {
		for _, p := range w.participants {
			w.tn.Do(t, http.MethodPost, "/v1/shifts/"+s.ID+"/assignments", w.coord, map[string]any{"participant_id": p}).Expect(t, http.StatusCreated)
		}
		w.tn.Do(t, http.MethodPost, "/v1/shifts/"+s.ID+"/assignments", w.coord, map[string]any{"supervisor_id": w.supID}).Expect(t, http.StatusCreated)
		ids = append(ids, s.ID)
	}
	return ids
}

func (w *world) shift(t *testing.T, token, id string) map[string]any {
	t.Helper()
	return w.tn.Do(t, http.MethodGet, "/v1/shifts/"+id, token, nil).Expect(t, http.StatusOK).Map(t)
}

// recordAndSubmit records every assignment of a shift from its start to its
// end through the API and sends the timesheet.
func (w *world) recordAndSubmit(t *testing.T, token, id string) {
	t.Helper()
	var entries []map[string]any
	for _, a := range w.shift(t, token, id)["assignments"].([]any) {
		entries = append(entries, map[string]any{"assignment_id": a.(map[string]any)["id"], "start_time": "08:00", "end_time": "12:00"})
	}
	w.tn.Do(t, http.MethodPut, "/v1/shifts/"+id+"/time-entries", token, map[string]any{"entries": entries}).Expect(t, http.StatusOK)
	w.tn.Do(t, http.MethodPost, "/v1/shifts/"+id+"/submit", token, nil).Expect(t, http.StatusOK)
}

func (w *world) noParticipantNames(t *testing.T, where, text string) {
	t.Helper()
	for _, name := range append([]string{w.participantLastNamePart}, w.participantFirstNames...) {
		if strings.Contains(text, name) {
			t.Errorf("%s shows the participant's name %q to the customer", where, name)
		}
	}
}

func TestCustomerOrdersWeeklyCrewAndApprovesHours(t *testing.T) {
	s := apitest.Start(t)
	setClock(t, s, "2026-11-02T06:00:00Z") // Monday 08:00 in Helsinki
	w := newWorld(t, 2)
	p := newPage(t, s)

	// An unsigned visitor asking for a page signs in and lands on it.
	p.open("/app/orders")
	p.heading("Kirjaudu sisään")
	p.check("sign-in")
	p.signIn(w.custEmail)
	p.heading("Tilaukset")
	if !strings.Contains(p.text(), "Ei vielä tilauksia") {
		t.Errorf("the empty order list does not say what to do next: %q", p.text())
	}
	p.check("orders-empty")

	// A weekly order without weekdays and with no crew: the problems show
	// next to their fields and the input stays.
	p.click(`a[href="/app/orders/new"]`)
	p.heading("Uusi tilaus")
	p.check("order-form")
	p.set(`#site_address`, "Mannerheimintie 1, Helsinki")
	p.set(`#crew_size`, "0")
	p.set(`#customer_reference`, "PO-4711")
	p.click(`input[name=kind][value=weekly]`)
	p.set(`#first_date`, "2026-11-03")
	p.set(`#last_date`, "2026-11-12")
	p.set(`#start_time`, "08:00")
	p.set(`#end_time`, "12:00")
	p.click(`form[action="/app/orders"] button[type=submit]`)
	p.until(fmt.Sprintf(`!!document.querySelector(%q)`, `#crew_size-error`))
	var crewErr, weekdaysErr, kept string
	crewErr = eval[string](p, `document.querySelector('#crew_size-error').textContent`)
	weekdaysErr = eval[string](p, `document.querySelector('#weekdays-error') ? document.querySelector('#weekdays-error').textContent : ''`)
	kept = eval[string](p, `document.querySelector('#site_address').value`)
	if !strings.Contains(crewErr, "1–50") || !strings.Contains(weekdaysErr, "viikonpäivä") || kept != "Mannerheimintie 1, Helsinki" {
		t.Errorf("form errors: crew %q, weekdays %q, kept address %q", crewErr, weekdaysErr, kept)
	}
	p.check("order-form-errors")

	p.set(`#crew_size`, "2")
	p.click(`input[name=weekdays][value="2"]`)
	p.click(`input[name=weekdays][value="4"]`)
	p.click(`form[action="/app/orders"] button[type=submit]`)
	p.heading("Tilaus")
	if txt := p.text(); !strings.Contains(txt, "Tilaus lähetetty") || !strings.Contains(txt, "PO-4711") {
		t.Errorf("order page after sending: %q", txt)
	}
	p.check("order-sent")

	var orders struct {
		Items []struct {
			ID                string `json:"id"`
			CrewSize          int    `json:"crew_size"`
			CustomerReference string `json:"customer_reference"`
			Schedule          struct {
				Kind     string `json:"kind"`
				Weekdays []int  `json:"weekdays"`
			} `json:"schedule"`
		} `json:"items"`
	}
	w.tn.Do(t, http.MethodGet, "/v1/orders?customer_id="+w.customer, w.coord, nil).Expect(t, http.StatusOK).Decode(t, &orders)
	if len(orders.Items) != 1 || orders.Items[0].Schedule.Kind != "weekly" || fmt.Sprint(orders.Items[0].Schedule.Weekdays) != "[2 4]" ||
		orders.Items[0].CrewSize != 2 || orders.Items[0].CustomerReference != "PO-4711" {
		t.Fatalf("the order saved is %+v", orders.Items)
	}
	shifts := w.staff(t, orders.Items[0].ID)
	if len(shifts) != 4 {
		t.Fatalf("%d shifts, want 4 (Tue and Thu of two weeks)", len(shifts))
	}

	// Both shifts of the first week are worked and their hours sent.
	setClock(t, s, "2026-11-05T12:00:00Z")
	sup := w.tn.Login(t, w.supEmail)
	w.recordAndSubmit(t, sup, shifts[0])
	w.recordAndSubmit(t, sup, shifts[1])

	p.click(`a[href="/app/shifts"]`)
	p.heading("Vuorot")
	txt := p.text()
	for _, want := range []string{"Sanna Supervisor", "+358 40 765 4321", "2/2 henkilöä", "Tulevat vuorot", "Menneet vuorot"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the shift list lacks %q: %q", want, txt)
		}
	}
	custShift := w.shift(t, w.tn.Login(t, w.custEmail), shifts[0])
	for _, a := range custShift["assignments"].([]any) {
		if ps := a.(map[string]any)["pseudonym"].(string); ps != "" && a.(map[string]any)["supervisor_id"] == nil && !strings.Contains(txt, ps) {
			t.Errorf("the shift list lacks the pseudonym %q", ps)
		}
	}
	w.noParticipantNames(t, "the shift list", txt)
	p.check("shifts")

	p.open("/app/shifts/" + shifts[0])
	p.heading("Vuoro")
	w.noParticipantNames(t, "the shift page", p.text())
	p.check("shift")

	p.click(`a[href="/app/timesheets"]`)
	p.heading("Hyväksyttävät tunnit")
	w.noParticipantNames(t, "the timesheets page", p.text())
	p.check("timesheets")
	p.click(fmt.Sprintf(`form[action="/app/shifts/%s/approve"] button`, shifts[0]))
	p.until(fmt.Sprintf(`!!document.querySelector(%q)`, `.flash`))
	if txt := p.text(); !strings.Contains(txt, "Tunnit hyväksytty") {
		t.Errorf("after approval: %q", txt)
	}
	// A dispute needs a reason, said next to the field.
	p.click(fmt.Sprintf(`form[action="/app/shifts/%s/dispute"] button`, shifts[1]))
	p.until(fmt.Sprintf(`!!document.querySelector(%q)`, fmt.Sprintf(`#reason-%s-error`, shifts[1])))
	p.check("timesheets-dispute-error")
	p.set(fmt.Sprintf(`#reason-%s`, shifts[1]), "Eero left at 11")
	p.click(fmt.Sprintf(`form[action="/app/shifts/%s/dispute"] button`, shifts[1]))
	p.until(`document.body.innerText.includes('Tunnit palautettu korjattaviksi')`)
	if !strings.Contains(p.text(), "Ei hyväksyttäviä tunteja") {
		t.Errorf("the list is not empty after approving and disputing: %q", p.text())
	}
	p.check("timesheets-done")
	coord := w.tn.Login(t, w.coordEmail)
	if a, d := w.shift(t, coord, shifts[0]), w.shift(t, coord, shifts[1]); a["timesheet_status"] != "approved" || d["timesheet_status"] != "disputed" || d["dispute_reason"] != "Eero left at 11" {
		t.Errorf("timesheets after the customer: %v, %v (%v)", a["timesheet_status"], d["timesheet_status"], d["dispute_reason"])
	}

	p.click(`a[href="/app/invoices"]`)
	p.heading("Laskut")
	p.check("invoices-empty")

	// Another customer's order is a 404 page, like one that does not exist.
	w.tn.Relogin(t)
	other := w.tn.Customer(t, "standard")
	_, otherEmail := user(t, w.tn, "customer", other, "Other Customer")
	otherOrder := w.tn.Do(t, http.MethodPost, "/v1/orders", w.tn.Login(t, otherEmail), map[string]any{"task_type_id": w.taskType,
		"site_address": "Aleksanterinkatu 1", "crew_size": 1, "schedule": map[string]any{"kind": "once", "date": "2026-11-20",
			"start_time": "08:00", "end_time": "12:00"}}).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	for _, path := range []string{"/app/orders/" + otherOrder, "/app/shifts/" + shifts[0] + "x", "/app/no-such-page"} {
		p.open(path)
		p.heading("Sivua ei löydy")
	}
	p.check("not-found")
}

func TestSupervisorRecordsHoursOnPhone(t *testing.T) {
	s := apitest.Start(t)
	setClock(t, s, "2026-11-02T06:00:00Z")
	w := newWorld(t, 3)
	cust := w.tn.Login(t, w.custEmail)
	order := w.tn.Do(t, http.MethodPost, "/v1/orders", cust, map[string]any{"task_type_id": w.taskType, "site_address": "Hämeentie 3",
		"crew_size": 3, "schedule": map[string]any{"kind": "once", "date": "2026-11-04", "start_time": "08:00", "end_time": "12:00"}}).
		Expect(t, http.StatusCreated).Map(t)["id"].(string)
	shift := w.staff(t, order)[0]
	setClock(t, s, "2026-11-04T09:30:00Z") // Wednesday 11:30, the shift under way

	p := newPage(t, s)
	p.run(chromedp.EmulateViewport(360, 740, chromedp.EmulateMobile))
	p.open("/app/")
	p.heading("Kirjaudu sisään")
	p.signIn(w.supEmail)
	p.heading("Vuorot")
	if txt := p.text(); !strings.Contains(txt, "Hämeentie") && !strings.Contains(txt, "3/3") {
		t.Errorf("today's shift is not listed: %q", txt)
	}
	p.check("supervisor-shifts")
	p.click(fmt.Sprintf(`a[href="/app/shifts/%s"]`, shift))
	p.heading("Vuoro")
	type line struct {
		ID    string `json:"id"`
		Start string `json:"start"`
		End   string `json:"end"`
	}
	lines := eval[[]line](p, `[...document.querySelectorAll('fieldset.member')].map(f => ({id: f.querySelector('input[type=radio]').name.split('.')[1],
		start: f.querySelector('input[name^="start."]').value, end: f.querySelector('input[name^="end."]').value}))`)
	if len(lines) != 4 {
		t.Fatalf("%d rows in the hours form, want 3 participants and the supervisor", len(lines))
	}
	for _, l := range lines {
		if l.Start != "08:00" || l.End != "12:00" {
			t.Errorf("row %s is prefilled %s–%s, want the shift's 08:00–12:00", l.ID, l.Start, l.End)
		}
	}
	p.check("hours-form")
	// The second participant was ill; the first took a half-hour break.
	p.click(fmt.Sprintf(`input[name="presence.%s"][value=sick]`, lines[1].ID))
	p.set(fmt.Sprintf(`input[name="break.%s"]`, lines[0].ID), "30")
	p.set(fmt.Sprintf(`input[name="break.%s"]`, lines[2].ID), "300") // longer than the time worked
	p.click(`button[name=action][value=submit]`)
	p.until(fmt.Sprintf(`!!document.getElementById("break.%s-error")`, lines[2].ID))
	var kept string
	kept = eval[string](p, fmt.Sprintf(`document.querySelector('input[name="break.%s"]').value`, lines[0].ID))
	if kept != "30" {
		t.Errorf("the form lost the input: break %q", kept)
	}
	p.check("hours-form-error")
	p.set(fmt.Sprintf(`input[name="break.%s"]`, lines[2].ID), "0")
	p.click(`button[name=action][value=submit]`)
	p.until(`document.body.innerText.includes('Tunnit lähetetty asiakkaalle')`)
	p.check("hours-submitted")

	got := w.shift(t, w.tn.Login(t, w.supEmail), shift)
	if got["timesheet_status"] != "submitted" {
		t.Fatalf("timesheet %v, want submitted", got["timesheet_status"])
	}
	byAssignment := map[string]map[string]any{}
	for _, e := range got["time_entries"].([]any) {
		byAssignment[e.(map[string]any)["assignment_id"].(string)] = e.(map[string]any)
	}
	if e := byAssignment[lines[1].ID]; e == nil || e["absence"] != "sick" {
		t.Errorf("the ill participant's entry is %v", e)
	}
	if e := byAssignment[lines[0].ID]; e == nil || e["worked_minutes"] != float64(210) {
		t.Errorf("the first participant's entry is %v, want 210 minutes worked", e)
	}
	if len(byAssignment) != 4 {
		t.Errorf("%d entries, want 4", len(byAssignment))
	}
}

func TestLanguagesAndSessionCookie(t *testing.T) {
	s := apitest.Start(t)
	w := newWorld(t, 0)
	p := newPage(t, s)
	p.open("/app/login")
	p.heading("Kirjaudu sisään")
	p.signIn(w.custEmail)
	p.heading("Tilaukset")

	res, err := chromedp.Call(p.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{s.URL + "/app/"}})
	if err != nil {
		t.Fatal(err)
	}
	cookies := res.Cookies
	found := false
	for _, c := range cookies {
		if c.Name == "jc_session" {
			found = true
			// The test server runs in development mode on plain HTTP, so
			// Secure is off here; TestCookiesSecureOutsideDevelopment checks it.
			if !c.HTTPOnly || c.SameSite != network.CookieSameSiteLax || c.Path != "/app" || c.Secure {
				t.Errorf("session cookie %+v", c)
			}
		}
	}
	if !found {
		t.Fatalf("no session cookie among %v", cookies)
	}

	p.click(`button[name=lang][value=sv]`)
	p.heading("Beställningar")
	var lang string
	lang = eval[string](p, `document.documentElement.lang`)
	if lang != "sv" || !strings.Contains(p.text(), "Inga beställningar ännu") {
		t.Errorf("Swedish page: lang %q, %q", lang, p.text())
	}
	p.check("orders-sv")
	p.click(`a[href="/app/orders/new"]`)
	p.heading("Ny beställning")
	p.check("order-form-sv")
	p.click(`button[name=lang][value=en]`)
	p.heading("New order")
	p.open("/app/timesheets") // the choice is remembered
	p.heading("Hours to approve")
	p.check("timesheets-en")

	p.click(`form[action="/app/logout"] button`)
	p.heading("Sign in")
	if !strings.Contains(p.text(), "You have signed out") {
		t.Errorf("no sign-out message: %q", p.text())
	}
	p.open("/app/orders")
	p.heading("Sign in")
}
