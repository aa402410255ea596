package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"jobcenter/apitest"
)

// phone narrows the tab to a small phone's width: check then fails on any
// page that scrolls sideways there.
func (p *page) phone() {
	p.t.Helper()
	p.run(chromedp.EmulateViewport(360, 740))
}

// walkFinance runs billing of October 2026 from the billing page and opens
// the run, the invoices and an invoice, each checked, in the page's
// language, whose headings are titles (billing, run, invoices, invoice).
func walkFinance(p *page, lang string, titles [4]string) {
	p.t.Helper()
	p.click(`a[href="/app/billing"]`)
	p.heading(titles[0])
	p.check("billing-" + lang)
	p.set(`#period`, "2026-10")
	p.click(`button[name=action][value=dry]`)
	p.until(`!!document.getElementById('preview-title')`)
	p.check("billing-dry-run-" + lang)
	p.click(`button[name=action][value=run]`)
	p.heading(titles[1])
	p.check("billing-run-" + lang)
	p.click(`a[href="/app/invoices"]`)
	p.heading(titles[2])
	p.check("invoices-" + lang)
	p.click(`.card h2 a[href^="/app/invoices/"]`)
	p.heading(titles[3])
	p.check("invoice-" + lang)
}

// TestFinanceAndDashboardOnAPhoneInEveryLanguage walks the finance desk,
// the staffing board and the dashboard 360 px wide, in Finnish, Swedish
// and English.
func TestFinanceAndDashboardOnAPhoneInEveryLanguage(t *testing.T) {
	s := apitest.Start(t)
	w, finEmail := billableMonth(t, s)
	p := newPage(t, s)
	p.phone()
	p.open("/app/")
	p.heading("Kirjaudu sisään")
	p.signIn(finEmail)
	p.heading("Laskutusajot")
	walkFinance(p, "fi", [4]string{"Laskutusajot", "Laskutusajo", "Laskut", "Lasku"})
	p.click(`button[name=lang][value=sv]`)
	p.heading("Faktura")
	walkFinance(p, "sv", [4]string{"Faktureringskörningar", "Faktureringskörning", "Fakturor", "Faktura"})
	p.click(`button[name=lang][value=en]`)
	p.heading("Invoice")
	walkFinance(p, "en", [4]string{"Billing runs", "Billing run", "Invoices", "Invoice"})

	// One run billed the month; the later ones found nothing new.
	var runs struct {
		Items []struct {
			InvoiceCount int `json:"invoice_count"`
		} `json:"items"`
	}
	w.tn.Do(t, http.MethodGet, "/v1/billing-runs", w.tn.Login(t, finEmail), nil).Expect(t, http.StatusOK).Decode(t, &runs)
	billed := 0
	for _, r := range runs.Items {
		billed += r.InvoiceCount
	}
	if billed != 1 {
		t.Errorf("the runs wrote %d invoices, want 1", billed)
	}

	p.click(`form[action="/app/logout"] button`)
	p.heading("Sign in")
	p.signIn(w.coordEmail)
	p.heading("Staffing board")
	p.open("/app/board?week=2026-10-05")
	p.heading("Staffing board")
	p.until(`document.querySelectorAll('[id^="shift-"]').length === 1`)
	p.check("board-en")
	for _, lang := range []struct{ code, title string }{{"en", "Dashboard"}, {"sv", "Nyckeltal"}, {"fi", "Tunnusluvut"}} {
		if lang.code != "en" {
			p.click(`button[name=lang][value=` + lang.code + `]`)
			p.heading(lang.title)
		} else {
			p.open("/app/dashboard?from=2026-10-01&to=2026-10-31")
			p.heading(lang.title)
		}
		if !eval[bool](p, `!!document.querySelector('#chart-hours rect')`) {
			t.Errorf("the %s dashboard has no hours chart", lang.code)
		}
		p.check("dashboard-" + lang.code)
	}
	p.open("/app/board?week=2026-10-05")
	p.heading("Miehitys")
	p.check("board-fi")
}

// TestTwoSessionsRunTheSameMonthAtOnce: two finance users press "Run
// billing" for the same month at the same moment. The month is billed once;
// the other session says in words that another run was in progress or that
// it found nothing new.
func TestTwoSessionsRunTheSameMonthAtOnce(t *testing.T) {
	s := apitest.Start(t)
	w, finEmail := billableMonth(t, s)
	_, otherEmail := user(t, w.tn, "finance", "", "Frans Finance")
	var pages []*page
	for _, email := range []string{finEmail, otherEmail} {
		p := newPage(t, s)
		p.open("/app/billing")
		p.heading("Kirjaudu sisään")
		p.signIn(email)
		p.heading("Laskutusajot")
		p.set(`#period`, "2026-10")
		pages = append(pages, p)
	}
	// Both forms are sent before either answer arrives.
	for _, p := range pages {
		eval[bool](p, `(() => { document.querySelector('button[name=action][value=run]').click(); return true; })()`)
	}
	done, refused := 0, 0
	for _, p := range pages {
		p.until(`document.body.innerText.includes('Laskutus ajettu') || document.body.innerText.includes('ei ollut mitään uutta laskutettavaa') ||
			document.body.innerText.includes('Toinen laskutusajo on juuri käynnissä')`)
		switch txt := p.text(); {
		case strings.Contains(txt, "Laskutus ajettu"):
			done++
		default:
			refused++
			p.check("second-session")
		}
	}
	if done != 1 || refused != 1 {
		t.Errorf("%d sessions ran the month and %d were told it was taken, want 1 and 1", done, refused)
	}
	var invoices struct {
		Items []any `json:"items"`
	}
	w.tn.Do(t, http.MethodGet, "/v1/invoices", w.tn.Login(t, finEmail), nil).Expect(t, http.StatusOK).Decode(t, &invoices)
	if len(invoices.Items) != 1 {
		t.Errorf("%d invoices, want the month billed once", len(invoices.Items))
	}
}
