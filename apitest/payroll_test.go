package apitest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// The personal identity code is write-only, sealed at rest, masked in reads
// and checked: a malformed code or a wrong check character is a 422 on
// /personal_identity_code and writes nothing.
func TestParticipantIdentityCode(t *testing.T) {
	tn := NewTenant(t)
	org := tn.Organiser(t, 1000)
	body := func(code string) map[string]any {
		return map[string]any{"organiser_id": org, "first_name": "Aino", "last_name": "Virtanen", "iban": participantIBAN,
			"personal_identity_code": code, "language": "sv", "employment_start_date": "2025-09-01"}
	}
	for _, bad := range []string{"131052-308U", "131052Z308T", "310252-308Y", "1310523"} {
		r := tn.Do(t, "POST", "/v1/participants", tn.AdminToken, body(bad)).Expect(t, http.StatusUnprocessableEntity)
		if !strings.Contains(string(r.Body), "/personal_identity_code") {
			t.Errorf("%s: %s", bad, r.Body)
		}
	}
	if n := countRows(t, tn, "participants"); n != 0 {
		t.Fatalf("%d participants written from bad codes", n)
	}
	r := tn.Do(t, "POST", "/v1/participants", tn.AdminToken, body("131052-308t")).Expect(t, http.StatusCreated)
	p := r.Map(t)
	if p["masked_identity_code"] != "******-***T" || p["language"] != "sv" || p["employment_start_date"] != "2025-09-01" {
		t.Errorf("created %v", p)
	}
	id := p["id"].(string)
	got := tn.Do(t, "GET", "/v1/participants/"+id, tn.AdminToken, nil).Expect(t, http.StatusOK)
	if strings.Contains(string(got.Body), "131052") || got.Map(t)["masked_identity_code"] != "******-***T" {
		t.Errorf("read shows the code: %s", got.Body)
	}
	var raw string
	tn.S.Main.DB.Gorm.Raw("SELECT identity_code_encrypted FROM participants WHERE id = ?", id).Scan(&raw)
	if raw == "" || strings.Contains(raw, "131052") {
		t.Errorf("identity code at rest %q", raw)
	}
	tn.Do(t, "POST", "/v1/participants", tn.AdminToken, map[string]any{"organiser_id": org, "first_name": "A", "last_name": "B",
		"iban": participantIBAN, "language": "de"}).Expect(t, http.StatusUnprocessableEntity)
}

// Tax cards: one per participant and year; rates over 100 %, a negative
// limit and a second card for the year are refused and write nothing; finance
// may add and read them, and every read is in the access log.
func TestTaxCards(t *testing.T) {
	tn := NewTenant(t)
	org := tn.Organiser(t, 1000)
	_, finance := tn.User(t, "finance", "")
	_, customer := tn.User(t, "customer", tn.Customer(t, "standard"))
	id := newParticipant(t, tn, tn.AdminToken, org)
	path := "/v1/participants/" + id + "/tax-cards"
	card := map[string]any{"year": 2026, "basic_bps": 2500, "additional_bps": 4000, "income_limit_cents": 3000000}
	for pointer, mutate := range map[string]func(map[string]any){
		"/basic_bps":          func(b map[string]any) { b["basic_bps"] = 10001 },
		"/additional_bps":     func(b map[string]any) { b["additional_bps"] = -1 },
		"/income_limit_cents": func(b map[string]any) { b["income_limit_cents"] = -100 },
		"/year":               func(b map[string]any) { b["year"] = 1999 },
	} {
		b := map[string]any{}
		for k, v := range card {
			b[k] = v
		}
		mutate(b)
		r := tn.Do(t, "POST", path, finance, b).Expect(t, http.StatusUnprocessableEntity)
		if !strings.Contains(string(r.Body), pointer) {
			t.Errorf("%s: %s", pointer, r.Body)
		}
	}
	if n := countRows(t, tn, "tax_cards"); n != 0 {
		t.Fatalf("%d cards written from bad input", n)
	}
	tn.Do(t, "POST", path, customer, card).Expect(t, http.StatusForbidden)
	created := tn.Do(t, "POST", path, finance, card).Expect(t, http.StatusCreated).Map(t)
	if created["basic_bps"] != float64(2500) || created["income_limit_cents"] != float64(3000000) {
		t.Errorf("card %v", created)
	}
	r := tn.Do(t, "POST", path, tn.AdminToken, card).Expect(t, http.StatusConflict)
	if !strings.Contains(string(r.Body), "tax_card_exists") || countRows(t, tn, "tax_cards") != 1 {
		t.Errorf("second card: %s", r.Body)
	}
	list := tn.Do(t, "GET", path, finance, nil).Expect(t, http.StatusOK).Map(t)
	if items := list["items"].([]any); len(items) != 1 {
		t.Errorf("cards %v", list)
	}
	tn.Do(t, "GET", "/v1/participants/nope/tax-cards", finance, nil).Expect(t, http.StatusNotFound)
	var logged int64
	tn.S.Main.DB.Gorm.Raw("SELECT COUNT(*) FROM access_log_entries WHERE participant_id = ? AND route LIKE '%tax-cards'", id).Scan(&logged)
	if logged != 2 { // the card written and the list read
		t.Errorf("%d access-log rows for tax cards, want 2", logged)
	}
}

// identityCode makes a valid personal identity code for a birth date
// ddmmyy, century sign and individual number.
func identityCode(ddmmyy string, sign byte, individual string) string {
	n, _ := strconv.Atoi(ddmmyy + individual)
	return ddmmyy + string(sign) + individual + string("0123456789ABCDEFHJKLMNPRSTUVWXY"[n%31])
}

type payoutJSON struct {
	ParticipantID       string `json:"participant_id"`
	PaymentDate         string `json:"payment_date"`
	Days                int64  `json:"days"`
	Gross               int64  `json:"gross_cents"`
	Withholding         int64  `json:"withholding_cents"`
	Pension             int64  `json:"pension_cents"`
	Unemployment        int64  `json:"unemployment_insurance_cents"`
	Net                 int64  `json:"net_cents"`
	EmployerPension     int64  `json:"employer_pension_cents"`
	EmployerUnemploy    int64  `json:"employer_unemployment_cents"`
	EmployerHealth      int64  `json:"employer_health_insurance_cents"`
	EmployerCost        int64  `json:"employer_cost_cents"`
	HolidayAccrued      int64  `json:"holiday_accrued_cents"`
	HolidayCompensation int64  `json:"holiday_compensation_cents"`
	TaxFree             int64  `json:"tax_free_cents"`
	Taxable             int64  `json:"taxable_cents"`
}

// The worked example of PAYROLL.md section 5 through the API: 40 h ×
// 13.33 € in January 2026 on a 25 % card, aged 30, paid on 5 February 2026
// (the run's date), to the cent; beside it a 17-year-old without a card (no
// unemployment insurance, 60 %), a card whose income limit is crossed
// mid-month, a työosuusraha of 15 € a day over 3 days and a rehabilitative
// participant who gets no money. The holiday compensation accrued in
// January is paid with the March payout, when the credit year ends.
func TestPayrollWorkedExample(t *testing.T) {
	w := newPayrollWorld(t, "subcontracting")
	tn := w.tn

	wage := map[string]any{"kind": "supported_employment", "valid_from": "2026-01-01", "compensation": "hourly_wage", "hourly_wage_cents": 1333}
	person := func(code string, decision map[string]any) string {
		id := w.participant(t, w.orgA, decision)
		if code != "" {
			tn.S.Do(t, Request{Method: "PATCH", Path: "/v1/participants/" + id, Token: w.tok["coord"], Header: map[string]string{"If-Match": `"1"`},
				Body: map[string]any{"personal_identity_code": code, "employment_start_date": "2025-09-01"}}).Expect(t, http.StatusOK)
		}
		return id
	}
	adult := person(identityCode("150695", '-', "123"), wage) // 30 on the payment date
	young := person(identityCode("010608", 'A', "123"), wage) // 17
	limit := person(identityCode("150690", '-', "456"), wage)
	allowance := person("", map[string]any{"kind": "disability_work_activity", "valid_from": "2026-01-01",
		"compensation": "daily_allowance", "daily_allowance_cents": 1500})
	rehab := person("", map[string]any{"kind": "rehabilitative_work_activity", "valid_from": "2026-01-01", "max_days_per_week": 4,
		"max_hours_per_day": 8, "compensation": "none"})
	card := func(id string, basic, additional, limit int) {
		w.do(t, "finance", "POST", "/v1/participants/"+id+"/tax-cards", map[string]any{"year": 2026, "basic_bps": basic,
			"additional_bps": additional, "income_limit_cents": limit}).Expect(t, http.StatusCreated)
	}
	card(adult, 2500, 4000, 3000000)
	card(limit, 2000, 4500, 40000)
	card(allowance, 2000, 2000, 0)

	assigned := map[string]map[string]string{} // shift → person → assignment
	shift := func(date, start, end string, people ...string) string {
		id, a := w.crewShift(t, date, start, end, people...)
		assigned[id] = a
		return id
	}
	work := func(id, at, start, end string, people ...string) {
		w.workApproved(t, id, at, start, end, assigned[id], people...)
	}
	// Five 8-hour days: 40 h for the wage earners; the first three also for
	// the allowance and the rehabilitative participant.
	days := []string{"2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15", "2026-01-16"}
	ids := make([]string, len(days))
	for i, d := range days {
		people := []string{adult, young, limit}
		if i < 3 {
			people = append(people, allowance, rehab)
		}
		ids[i] = shift(d, "08:00", "16:00", people...)
	}
	march := shift("2026-03-02", "08:00", "12:00", adult)
	for i, d := range days {
		people := []string{adult, young, limit}
		if i < 3 {
			people = append(people, allowance, rehab)
		}
		work(ids[i], d+"T15:00:00Z", "08:00", "16:00", people...)
	}

	run := func(at, period string) map[string]payoutJSON {
		w.at(t, at)
		var res struct {
			Payouts []payoutJSON `json:"payouts"`
		}
		w.do(t, "finance", "POST", "/v1/billing-runs", map[string]any{"period": period}).Expect(t, http.StatusCreated).Decode(t, &res)
		by := map[string]payoutJSON{}
		for _, p := range res.Payouts {
			by[p.ParticipantID] = p
			if p.Net != p.Gross+p.HolidayCompensation-p.Withholding-p.Pension-p.Unemployment {
				t.Errorf("net identity broken: %+v", p)
			}
		}
		return by
	}
	jan := run("2026-02-05T08:00:00Z", "2026-01")

	// PAYROLL.md section 5, to the cent.
	want := payoutJSON{ParticipantID: adult, PaymentDate: "2026-02-05", Days: 5, Gross: 53320, Withholding: 13330, Pension: 3892,
		Unemployment: 475, Net: 35623, EmployerPension: 9118, EmployerUnemploy: 165, EmployerHealth: 997, EmployerCost: 63600,
		HolidayAccrued: 4799}
	if jan[adult] != want {
		t.Errorf("worked example\n got  %+v\n want %+v", jan[adult], want)
	}
	// 17: TyEL yes (from the month after the 17th birthday), unemployment
	// insurance no; no card: 60 % = 319.92.
	if p := jan[young]; p.Pension != 3892 || p.Unemployment != 0 || p.EmployerUnemploy != 0 || p.Withholding != 31992 || p.Net != 17436 {
		t.Errorf("17-year-old %+v", p)
	}
	// The card's 400 € limit is crossed within the month: 400 × 20 % +
	// 133.20 × 45 % = 80 + 59.94.
	if p := jan[limit]; p.Withholding != 13994 {
		t.Errorf("income limit crossed: withholding %d, want 13994", p.Withholding)
	}
	// Työosuusraha 15 €/day × 3: 36 € tax-free, 9 € taxable, 20 % of it
	// withheld; no social contributions, no holiday compensation.
	if p := jan[allowance]; p.Gross != 4500 || p.TaxFree != 3600 || p.Taxable != 900 || p.Withholding != 180 || p.Net != 4320 ||
		p.Pension != 0 || p.Unemployment != 0 || p.EmployerCost != 0 || p.HolidayAccrued != 0 {
		t.Errorf("työosuusraha %+v", p)
	}
	// Rehabilitative work activity: the days show, no money.
	if p := jan[rehab]; p.Days != 3 || p.Gross != 0 || p.Net != 0 {
		t.Errorf("rehabilitative %+v", p)
	}

	// March ends the holiday credit year: its payout pays January's 47.99
	// and March's own 53.32 × 9 % = 4.80.
	work(march, "2026-03-02T12:00:00Z", "08:00", "12:00", adult)
	mar := run("2026-04-03T08:00:00Z", "2026-03")
	if p := mar[adult]; p.Gross != 5332 || p.HolidayAccrued != 480 || p.HolidayCompensation != 5279 || p.PaymentDate != "2026-04-03" {
		t.Errorf("March payout %+v", p)
	}
}
