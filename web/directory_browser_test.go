package web_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"jobcenter/apitest"
)

// accessEntry is an access-log entry as GET /v1/participants/{id}/access-log
// shows it.
type accessEntry struct {
	ID     string `json:"id"`
	UserID string `json:"user_id"`
	Role   string `json:"role"`
	Action string `json:"action"`
	Route  string `json:"route"`
}

// accessLog is the participant's access log by id (reading it logs nothing).
func (w *world) accessLog(t *testing.T, participant string) map[string]accessEntry {
	t.Helper()
	var page struct {
		Items []accessEntry `json:"items"`
	}
	w.tn.Do(t, http.MethodGet, "/v1/participants/"+participant+"/access-log?limit=200", w.coord, nil).Expect(t, http.StatusOK).Decode(t, &page)
	out := map[string]accessEntry{}
	for _, e := range page.Items {
		out[e.ID] = e
	}
	return out
}

// newEntries are the entries of after not in before, as "action by role
// user" sorted, and their routes.
func newEntries(before, after map[string]accessEntry) (who []string, routes []string) {
	for id, e := range after {
		if _, ok := before[id]; !ok {
			who = append(who, e.Action+" by "+e.Role+" "+e.UserID)
			routes = append(routes, e.Route)
		}
	}
	slices.Sort(who)
	return who, routes
}

func TestCoordinatorReadsParticipantsAndEditsOrganisation(t *testing.T) {
	s := apitest.Start(t)
	setClock(t, s, "2026-11-02T06:00:00Z")
	w := newWorld(t, 2)
	const code, iban = "131052-308T", "FI2112345600000785"
	kalle := w.tn.Do(t, http.MethodPost, "/v1/participants", w.coord, map[string]any{"organiser_id": w.organiser,
		"first_name": "Kalle", "last_name": "Korhonen", "iban": iban, "personal_identity_code": code}).
		Expect(t, http.StatusCreated).Map(t)
	kid := kalle["id"].(string)
	w.tn.Do(t, http.MethodPost, "/v1/participants/"+kid+"/service-decisions", w.coord, map[string]any{"kind": "disability_work_activity",
		"valid_from": "2026-01-01", "max_days_per_week": 3, "max_hours_per_day": 5, "compensation": "daily_allowance",
		"daily_allowance_cents": 1200}).Expect(t, http.StatusCreated)
	w.tn.Do(t, http.MethodPost, "/v1/participants/"+kid+"/tax-cards", w.coord, map[string]any{"year": 2026, "basic_bps": 1250,
		"additional_bps": 3000, "income_limit_cents": 1500000}).Expect(t, http.StatusCreated)
	w.tn.Do(t, http.MethodPost, "/v1/participants/"+kid+"/outcomes", w.coord, map[string]any{"kind": "education", "date": "2026-10-20",
		"note": "Vocational school"}).Expect(t, http.StatusCreated)
	w.tn.Do(t, http.MethodPut, "/v1/participants/"+kid+"/availability", w.coord, map[string]any{"windows": []map[string]any{
		{"weekday": 2, "start_time": "08:00", "end_time": "14:00"}}}).Expect(t, http.StatusOK)

	p := newPage(t, s)
	p.phone()
	p.open("/app/participants")
	p.heading("Kirjaudu sisään")
	p.signIn(w.coordEmail)
	p.heading("Osallistujat")
	for _, name := range []string{"Virtanen Aino", "Virtanen Eero", "Korhonen Kalle"} {
		if !strings.Contains(p.text(), name) {
			t.Errorf("the list lacks %q: %q", name, p.text())
		}
	}
	p.check("participants")

	// A search by pseudonym finds Kalle alone, and logs a list read of him
	// only.
	before := w.accessLog(t, kid)
	beforeAino := w.accessLog(t, w.participants[0])
	p.set(`#q`, kalle["pseudonym"].(string))
	p.click(`form[role=search] button`)
	p.until(`document.querySelectorAll('.cards li').length === 1 && document.body.innerText.includes('Korhonen Kalle')`)
	if who, routes := newEntries(before, w.accessLog(t, kid)); len(who) != 1 || !strings.HasPrefix(who[0], "list by coordinator") || routes[0] != "/app/participants" {
		t.Errorf("the search logged %v at %v, want one list read at /app/participants", who, routes)
	}
	if who, _ := newEntries(beforeAino, w.accessLog(t, w.participants[0])); len(who) != 0 {
		t.Errorf("the search logged %v of a participant it did not show", who)
	}
	p.set(`#q`, "nobody-by-this-name")
	p.click(`form[role=search] button`)
	p.until(`document.body.innerText.includes('nobody-by-this-name')`)
	p.check("participants-none-found")

	// The participant page reads through the API's use cases, so it logs
	// exactly the reads of the API's GETs of the same data.
	before = w.accessLog(t, kid)
	for _, path := range []string{"", "/service-decisions", "/tax-cards", "/outcomes", "/availability"} {
		w.tn.Do(t, http.MethodGet, "/v1/participants/"+kid+path, w.coord, nil).Expect(t, http.StatusOK)
	}
	afterAPI := w.accessLog(t, kid)
	apiWho, _ := newEntries(before, afterAPI)
	p.open("/app/participants/" + kid)
	p.heading("Osallistuja")
	pageWho, pageRoutes := newEntries(afterAPI, w.accessLog(t, kid))
	if len(apiWho) != 5 || !slices.Equal(apiWho, pageWho) {
		t.Errorf("the page logged %v; the API's reads logged %v", pageWho, apiWho)
	}
	for _, r := range pageRoutes {
		if r != "/app/participants/:id" {
			t.Errorf("the page logged the route %q", r)
		}
	}
	txt := p.text()
	for _, want := range []string{"******-***T", "FI** **** **** **07 85", "Vammaisten työtoiminta", "3 päivää viikossa, 5 tuntia päivässä",
		"12,00\u00a0€", "12,50 %", "koulutus: Vocational school", "Tiistai 08:00–14:00", "Lokitiedot", "/v1/participants/:id/tax-cards"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the participant page lacks %q: %q", want, txt)
		}
	}
	if strings.Contains(txt, code) || strings.Contains(txt, iban) || strings.Contains(txt, "1234 5600") {
		t.Errorf("the participant page shows the identity code or the IBAN unmasked: %q", txt)
	}
	p.check("participant")
	p.click(`button[name=lang][value=en]`)
	p.heading("Participant")
	p.check("participant-en")
	p.click(`button[name=lang][value=fi]`)
	p.heading("Osallistuja")

	// The organiser's details: a form shown at one version, saved after
	// someone else changed the organiser, keeps the user's input and shows
	// the current version instead of overwriting it.
	p.click(`a[href="/app/organizations"]`)
	p.heading("Organisaatiot")
	p.check("organizations")
	p.click(fmt.Sprintf(`a[href="/app/organizations/%s"]`, w.organiser))
	p.heading("Organisaation tiedot")
	p.check("organization")
	etag := w.tn.Do(t, http.MethodGet, "/v1/organizations/"+w.organiser, w.coord, nil).Expect(t, http.StatusOK).Header.Get("ETag")
	s.Do(t, apitest.Request{Method: http.MethodPatch, Path: "/v1/organizations/" + w.organiser, Token: w.coord,
		Header: map[string]string{"If-Match": etag}, Body: map[string]any{"contact_phone": "+358 9 310 1111"}}).Expect(t, http.StatusOK)
	p.set(`#name`, "Työtoimintakeskus Itä")
	p.click(`#org-form button[type=submit]`)
	p.until(`!!document.getElementById('current')`)
	if txt := p.text(); !strings.Contains(txt, "Joku muu muutti") || !strings.Contains(eval[string](p, `document.getElementById('current').innerText`), "+358 9 310 1111") {
		t.Errorf("the stale form does not show the current version: %q", txt)
	}
	if got := eval[string](p, `document.getElementById('name').value`); got != "Työtoimintakeskus Itä" {
		t.Errorf("the user's input was not kept: name %q", got)
	}
	org := w.tn.Do(t, http.MethodGet, "/v1/organizations/"+w.organiser, w.coord, nil).Expect(t, http.StatusOK).Map(t)
	if org["name"] == "Työtoimintakeskus Itä" || org["contact_phone"] != "+358 9 310 1111" {
		t.Errorf("the stale form overwrote the change: %v", org)
	}
	p.check("organization-stale")

	// A wrong business ID is a problem next to its field; the input stays.
	p.set(`#business_id`, "1234567-8")
	p.click(`#org-form button[type=submit]`)
	p.until(`!!document.getElementById('business_id-error')`)
	p.check("organization-invalid")
	p.set(`#business_id`, "0201256-6")
	p.click(`#org-form button[type=submit]`)
	p.until(`document.body.innerText.includes('Tiedot tallennettu')`)
	org = w.tn.Do(t, http.MethodGet, "/v1/organizations/"+w.organiser, w.coord, nil).Expect(t, http.StatusOK).Map(t)
	// Saving again is the user's deliberate choice: the form as it is wins.
	if org["name"] != "Työtoimintakeskus Itä" || org["business_id"] != "0201256-6" || org["contact_phone"] != "" {
		t.Errorf("after saving again the organiser is %v", org)
	}

	// The customer's page lists its agreements, in Swedish too.
	p.open("/app/organizations/" + w.customer)
	p.heading("Organisaation tiedot")
	if txt := p.text(); !strings.Contains(txt, "25,00\u00a0€") || !strings.Contains(txt, "14 päivää") {
		t.Errorf("the customer's agreements: %q", txt)
	}
	// A new agreement version: an amount with three decimals is refused
	// next to its field with the input kept; a version before the current
	// one is added; one overlapping it is refused in words.
	fill := func(from, until, price string) {
		p.set(`#valid_from`, from)
		p.set(`#valid_until`, until)
		p.set(`#participant_hour_price_cents`, price)
		p.set(`#supervisor_hour_price_cents`, "45,00")
		p.set(`#late_cancellation_fee_cents`, "150")
		p.set(`#minimum_billable_minutes`, "120")
		p.set(`#late_cancellation_window_hours`, "48")
		p.set(`#payment_term_days`, "14")
		p.click(`#agreement-form button[type=submit]`)
	}
	fill("2025-01-01", "2025-12-31", "24,505")
	p.until(`!!document.getElementById('participant_hour_price_cents-error')`)
	if got := eval[string](p, `document.getElementById('participant_hour_price_cents').value`); got != "24,505" {
		t.Errorf("the agreement form lost the input: %q", got)
	}
	p.check("agreement-invalid")
	fill("2025-01-01", "2025-12-31", "24,5")
	p.until(`document.body.innerText.includes('Sopimusversio lisätty')`)
	var agreements struct {
		Items []map[string]any `json:"items"`
	}
	w.tn.Do(t, http.MethodGet, "/v1/agreements?customer_id="+w.customer, w.coord, nil).Expect(t, http.StatusOK).Decode(t, &agreements)
	prices := []float64{}
	for _, a := range agreements.Items {
		prices = append(prices, a["participant_hour_price_cents"].(float64))
	}
	if slices.Sort(prices); !slices.Equal(prices, []float64{2450, 2500}) {
		t.Errorf("after adding a version the participant-hour prices are %v", prices)
	}
	fill("2027-01-01", "", "26,00")
	p.until(`document.body.innerText.includes('Asiakkaalla on jo sopimusversio')`)
	if got := eval[string](p, `document.getElementById('participant_hour_price_cents').value`); got != "26,00" {
		t.Errorf("the refused version lost the input: %q", got)
	}
	p.check("agreement-overlap")

	// The customer's sector, saved after someone else changed the customer,
	// is a stale form first and saved when sent again.
	etag = w.tn.Do(t, http.MethodGet, "/v1/organizations/"+w.customer, w.coord, nil).Expect(t, http.StatusOK).Header.Get("ETag")
	s.Do(t, apitest.Request{Method: http.MethodPatch, Path: "/v1/organizations/" + w.customer, Token: w.coord,
		Header: map[string]string{"If-Match": etag}, Body: map[string]any{"einvoice_operator": "003721291126"}}).Expect(t, http.StatusOK)
	p.set(`#sector`, "non_profit")
	p.click(`#org-form button[type=submit]`)
	p.until(`!!document.getElementById('current')`)
	p.check("organization-customer-stale")
	p.click(`#org-form button[type=submit]`)
	p.until(`document.body.innerText.includes('Tiedot tallennettu')`)
	if org := w.tn.Do(t, http.MethodGet, "/v1/organizations/"+w.customer, w.coord, nil).Expect(t, http.StatusOK).Map(t); org["sector"] != "non_profit" {
		t.Errorf("the customer's sector is %v", org["sector"])
	}

	// The organiser's coordination fee in percent with a decimal comma.
	p.open("/app/organizations/" + w.organiser)
	p.heading("Organisaation tiedot")
	p.set(`#coordination_fee_bps`, "12,5")
	p.click(`#org-form button[type=submit]`)
	p.until(`document.body.innerText.includes('Tiedot tallennettu')`)
	if org := w.tn.Do(t, http.MethodGet, "/v1/organizations/"+w.organiser, w.coord, nil).Expect(t, http.StatusOK).Map(t); org["coordination_fee_bps"] != float64(1250) {
		t.Errorf("the organiser's coordination fee is %v bps", org["coordination_fee_bps"])
	}
	if got := eval[string](p, `document.getElementById('coordination_fee_bps').value`); got != "12,50" {
		t.Errorf("the fee is shown as %q", got)
	}

	p.open("/app/organizations/" + w.customer)
	p.click(`button[name=lang][value=sv]`)
	p.heading("Organisationens uppgifter")
	p.check("organization-customer-sv")

	// A supervisor sees its organiser's participants, without the access log.
	sp := newPage(t, s)
	sp.phone()
	sp.open("/app/participants/" + kid)
	sp.heading("Kirjaudu sisään")
	sp.signIn(w.supEmail)
	sp.heading("Osallistuja")
	if txt := sp.text(); strings.Contains(txt, "Lokitiedot") || !strings.Contains(txt, "Korhonen Kalle") {
		t.Errorf("the supervisor's participant page: %q", txt)
	}
	sp.check("participant-supervisor")
	sp.open("/app/organizations")
	sp.heading("Ei oikeutta")
}
