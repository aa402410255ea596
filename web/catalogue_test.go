package web

import (
	"io/fs"
	"net/http"
	"regexp"
	"testing"

	"jobcenter/models"
)

// TestCataloguesComplete fails when a language lacks a message another has,
// or a template names a key no catalogue has.
func TestCataloguesComplete(t *testing.T) {
	cat, err := loadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Languages {
		for key := range cat["en"] {
			if _, ok := cat[lang][key]; !ok {
				t.Errorf("%s lacks %q", lang, key)
			}
		}
		if len(cat[lang]) != len(cat["en"]) {
			t.Errorf("%s has %d messages, en %d", lang, len(cat[lang]), len(cat["en"]))
		}
	}
	used := regexp.MustCompile(`\{\{t "([^"]+)"`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	for _, f := range files {
		b, _ := fs.ReadFile(templateFS, f)
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			if _, ok := cat["en"][m[1]]; !ok {
				t.Errorf("%s uses %q, which no catalogue has", f, m[1])
			}
		}
	}
	// Keys built from values: every status, absence and weekday has a text.
	var keys []string
	for _, s := range []string{models.OrderSubmitted, models.OrderAccepted, models.OrderRejected, models.OrderCompleted, models.OrderCancelled} {
		keys = append(keys, "order.status."+s)
	}
	for _, s := range []string{models.ShiftOpen, models.ShiftStaffed, models.ShiftCompleted, models.ShiftCancelled} {
		keys = append(keys, "shift.status."+s)
	}
	for _, s := range []string{models.TimesheetDraft, models.TimesheetSubmitted, models.TimesheetApproved, models.TimesheetDisputed} {
		keys = append(keys, "timesheet.status."+s)
	}
	for _, s := range presences {
		keys = append(keys, "presence."+s)
	}
	for _, s := range models.Absences {
		keys = append(keys, "absence."+s)
	}
	// Every eligibility reason a candidate list can show.
	for _, s := range []string{models.ReasonInactive, models.ReasonNoValidDecision, models.ReasonEmploymentNotStarted,
		models.ReasonEmploymentEnded, models.ReasonKindNotAllowed, models.ReasonCustomerSector, models.ReasonMaxHoursPerDay,
		models.ReasonMaxDaysPerWeek, models.ReasonOverlap} {
		keys = append(keys, "reason."+s)
	}
	for _, k := range keys {
		if _, ok := cat["en"][k]; !ok {
			t.Errorf("no message %q", k)
		}
	}
}

func TestMoneyAndDatesInLocale(t *testing.T) {
	a := &App{}
	for _, tc := range []struct{ lang, money, date string }{
		{"fi", "1\u00a0234,50\u00a0€", "2.3.2027"},
		{"sv", "1\u00a0234,50\u00a0€", "2027-03-02"},
		{"en", "€1,234.50", "2 Mar 2027"},
	} {
		f := formats{lang: tc.lang, p: a.printer(tc.lang)}
		if got := f.money(123450); got != tc.money {
			t.Errorf("%s money %q, want %q", tc.lang, got, tc.money)
		}
		if got := f.date(models.Date{Year: 2027, Month: 3, Day: 2}); got != tc.date {
			t.Errorf("%s date %q, want %q", tc.lang, got, tc.date)
		}
	}
}

// TestCookiesSecureOutsideDevelopment: outside development mode every
// cookie of the app is Secure, HttpOnly and SameSite=Lax.
func TestCookiesSecureOutsideDevelopment(t *testing.T) {
	for _, name := range []string{sessionCookie, csrfCookie, languageCookie, flashCookie} {
		c := (&App{Secure: true}).cookie(name, "v", 0)
		if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != Prefix {
			t.Errorf("%s: %+v", name, c)
		}
	}
}

func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{"/app/orders?x=1": "/app/orders?x=1", "/app": "/app", "//evil.example": "/app/",
		"/app//evil.example": "/app/", "https://evil.example/app/": "/app/", "/v1/me": "/app/", "/app/\\evil": "/app/", "": "/app/"} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}
