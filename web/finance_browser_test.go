package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jobcenter/apitest"
	"jobcenter/internal/xmlschema"
)

// fetchText downloads a link of the page with the browser's session, as a
// click on it would.
func (p *page) fetchText(sel string) string {
	p.t.Helper()
	p.until(fmt.Sprintf(`!!document.querySelector(%q)`, sel))
	return eval[string](p, fmt.Sprintf(`fetch(document.querySelector(%q).href).then(r => r.ok ? r.text() : 'HTTP ' + r.status)`, sel),
		chromedp.EvalAwaitPromise)
}

// billableMonth is a tenant ready to bill October 2026: one shift worked by
// a participant paid a daily allowance, its hours approved, the seller's
// details set, and a finance user (its email returned). The clock stands
// on 2 November 2026.
func billableMonth(t *testing.T, s *apitest.Server) (*world, string) {
	t.Helper()
	setClock(t, s, "2026-10-05T06:00:00Z") // Monday
	w := newWorld(t, 0)
	// A participant paid a daily allowance, so that the run pays someone.
	pid := w.tn.Do(t, http.MethodPost, "/v1/participants", w.coord, map[string]any{"organiser_id": w.organiser,
		"first_name": "Aino", "last_name": "Virtanen", "iban": "FI2112345600000785"}).Expect(t, http.StatusCreated).Map(t)["id"].(string)
	w.tn.Do(t, http.MethodPost, "/v1/participants/"+pid+"/service-decisions", w.coord, map[string]any{"kind": "disability_work_activity",
		"valid_from": "2026-01-01", "max_days_per_week": 4, "max_hours_per_day": 6, "compensation": "daily_allowance",
		"daily_allowance_cents": 1500}).Expect(t, http.StatusCreated)
	w.participants = append(w.participants, pid)
	cust := w.tn.Login(t, w.custEmail)
	order := w.tn.Do(t, http.MethodPost, "/v1/orders", cust, map[string]any{"task_type_id": w.taskType, "site_address": "Hämeentie 3",
		"crew_size": 1, "schedule": map[string]any{"kind": "once", "date": "2026-10-06", "start_time": "08:00", "end_time": "12:00"}}).
		Expect(t, http.StatusCreated).Map(t)["id"].(string)
	shift := w.staff(t, order)[0]
	setClock(t, s, "2026-10-06T10:00:00Z")
	w.recordAndSubmit(t, w.tn.Login(t, w.supEmail), shift)
	w.tn.Do(t, http.MethodPost, "/v1/shifts/"+shift+"/approve", w.tn.Login(t, w.custEmail), nil).Expect(t, http.StatusOK)
	setClock(t, s, "2026-11-02T08:00:00Z")
	w.tn.Relogin(t)
	version := w.tn.Do(t, http.MethodGet, "/v1/tenant", w.tn.AdminToken, nil).Expect(t, http.StatusOK).Header.Get("ETag")
	s.Do(t, apitest.Request{Method: http.MethodPatch, Path: "/v1/tenant", Token: w.tn.AdminToken, Header: map[string]string{"If-Match": version},
		Body: map[string]any{"business_id": "0201256-6", "iban": "FI21 1234 5600 0007 85", "bic": "OKOYFIHH",
			"address": map[string]string{"street": "Työpajankatu 2", "postal_code": "00580", "city": "Helsinki"}}}).Expect(t, http.StatusOK)
	_, finEmail := user(t, w.tn, "finance", "", "Fiia Finance")
	return w, finEmail
}

func TestFinanceRunsBillingAndCreditsAnInvoice(t *testing.T) {
	s := apitest.Start(t)
	w, finEmail := billableMonth(t, s)

	p := newPage(t, s)
	p.open("/app/")
	p.heading("Kirjaudu sisään")
	p.signIn(finEmail)
	p.heading("Laskutusajot")
	if got := eval[string](p, `document.getElementById('period').value`); got != "2026-10" {
		t.Errorf("the month offered is %q, want last month 2026-10", got)
	}
	p.check("billing")

	// A month not given is a problem next to the field.
	p.set(`#period`, "")
	p.click(`button[name=action][value=dry]`)
	p.until(`!!document.getElementById('period-error')`)
	p.set(`#period`, "2026-10")
	p.click(`button[name=action][value=dry]`)
	p.until(`!!document.getElementById('preview-title')`)
	if txt := p.text(); !strings.Contains(txt, "Customer Oy") || !strings.Contains(txt, "Work Activity Unit") || !strings.Contains(txt, "1 osallistujan") {
		t.Errorf("the dry run does not show its invoices, settlements and payouts: %q", txt)
	}
	var runs struct {
		Items []any `json:"items"`
	}
	fin := w.tn.Login(t, finEmail)
	w.tn.Do(t, http.MethodGet, "/v1/billing-runs", fin, nil).Expect(t, http.StatusOK).Decode(t, &runs)
	if len(runs.Items) != 0 {
		t.Fatalf("the dry run wrote %d runs", len(runs.Items))
	}
	p.check("billing-dry-run")

	p.click(`button[name=action][value=run]`)
	p.heading("Laskutusajo")
	if !strings.Contains(p.text(), "Laskutus ajettu") {
		t.Errorf("no message after the run: %q", p.text())
	}
	p.check("billing-run")
	pain := p.fetchText(`a[href*="/payouts.xml"]`)
	xmlschema.Validate(t, "pain.001.001.09.xsd", []byte(pain))
	finvoice := p.fetchText(`a[href$="/finvoice.xml"]`)
	xmlschema.Validate(t, "Finvoice3.0.xsd", []byte(finvoice))
	for _, sel := range []string{`a[href$="/invoice.pdf"]`, `a[href*="/payslip.pdf"]`,
		`a[href*="/attendance.csv"]`, `a[href$="/journal.csv"]`, `a[href$="/invoices.csv"]`, `a[href*="/payouts.csv"]`} {
		if body := p.fetchText(sel); strings.HasPrefix(body, "HTTP ") || body == "" {
			t.Errorf("%s: %q", sel, body)
		}
	}

	// A daily allowance is not wages: nothing goes to the Incomes Register.
	if !strings.Contains(p.text(), "Ajossa ei ollut palkkoja ilmoitettavaksi") || eval[bool](p, `!!document.querySelector('a[href*="/incomes-register.xml"]')`) {
		t.Errorf("the run page offers an Incomes Register file without wages: %q", p.text())
	}

	// A second run of the month, as from another browser, bills nothing
	// new and says so.
	p.click(`a[href="/app/billing"]`)
	p.heading("Laskutusajot")
	p.click(`button[name=action][value=run]`)
	p.heading("Laskutusajo")
	if !strings.Contains(p.text(), "ei ollut mitään uutta laskutettavaa") {
		t.Errorf("the second run's message: %q", p.text())
	}

	// Credit the first line of the invoice, after confirming.
	p.click(`a[href="/app/invoices"]`)
	p.heading("Laskut")
	p.check("invoices")
	p.click(`.card h2 a[href^="/app/invoices/"]`)
	p.heading("Lasku")
	p.check("invoice")
	p.click(`#line-1`)
	p.click(`form[action$="/credit"] button`)
	p.until(`!!document.getElementById('confirm-title')`)
	if !strings.Contains(p.text(), "Hyvitetään 1 riviä") {
		t.Errorf("the confirmation: %q", p.text())
	}
	p.check("credit-confirm")
	p.click(`form[method=post][action$="/credit"] button`)
	p.until(`document.body.innerText.includes('Hyvityslasku tehty')`)
	if !strings.Contains(p.text(), "hyvityslasku") {
		t.Errorf("the credit note's page: %q", p.text())
	}
	p.check("credit-note")
	var invoices struct {
		Items []struct {
			CreditsInvoiceID *string `json:"credits_invoice_id"`
			GrossCents       int64   `json:"gross_cents"`
		} `json:"items"`
	}
	w.tn.Do(t, http.MethodGet, "/v1/invoices", fin, nil).Expect(t, http.StatusOK).Decode(t, &invoices)
	credits := 0
	for _, inv := range invoices.Items {
		if inv.CreditsInvoiceID != nil {
			credits++
			if inv.GrossCents >= 0 {
				t.Errorf("the credit note's total is %d, want negative", inv.GrossCents)
			}
		}
	}
	if credits != 1 {
		t.Errorf("%d credit notes, want 1", credits)
	}

	// The coordinator's dashboard shows the same figures as the KPI report.
	p.click(`form[action="/app/logout"] button`)
	p.heading("Kirjaudu sisään")
	p.signIn(w.coordEmail)
	p.heading("Miehitys")
	p.open("/app/dashboard?from=2026-10-01&to=2026-10-31")
	p.heading("Tunnusluvut")
	kpi := w.tn.Do(t, http.MethodGet, "/v1/reports/kpi?from=2026-10-01&to=2026-10-31", w.tn.Login(t, w.coordEmail), nil).Expect(t, http.StatusOK).Map(t)
	hours := eval[[]string](p, `[...document.querySelectorAll('#chart-hours rect')].map(r => r.dataset.value)`)
	share := eval[string](p, `document.querySelector('#chart-share rect[data-value]').dataset.value`)
	want := fmt.Sprint(kpi["participant_minutes"].(float64) + kpi["supervisor_minutes"].(float64))
	if len(hours) != 1 || hours[0] != want || share != fmt.Sprint(kpi["paid_employment_share_bps"]) {
		t.Errorf("the charts show hours %v and share %s; the report %v", hours, share, kpi)
	}
	if want == "0" {
		t.Error("the report has no hours: the comparison proves nothing")
	}
	p.check("dashboard")
}
