package apitest

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"jobcenter/finance"
	"jobcenter/internal/xmlschema"
	"jobcenter/models"
	"jobcenter/store"
)

// The billing run's input flow (orders → shifts → hours → run) has its own
// tests; these build a stored run straight in the database, as the run
// writes it, and check what the exports make of it. Participants are
// created through the API so that their IBANs are sealed as in production.

// expName is a participant name that must survive XML and CSV escaping.
const (
	expFirst = "Åsa"
	expLast  = "<Ölander> & Søn"
)

// expIBAN makes the n-th valid Finnish test IBAN (mod 97 check digits).
func expIBAN(n int) string {
	bban := fmt.Sprintf("%014d", 10000000+n)
	num, _ := new(big.Int).SetString(bban+"151800", 10) // F=15, I=18, check 00
	check := 98 - new(big.Int).Mod(num, big.NewInt(97)).Int64()
	return fmt.Sprintf("FI%02d%s", check, bban)
}

type expParticipant struct {
	ID, First, Last, IBAN string
}

// expFixture is a tenant with one stored billing run of 2026-10: a standard
// invoice with hour and late-cancellation lines, an internal-charge invoice,
// a credit note of one line, payouts of three participants of one organiser
// (one of them zero), a balanced journal, and a customer_employs customer's
// billed hours.
type expFixture struct {
	tn                                   *Tenant
	finance, coordinator                 string // tokens
	organiser, customer, internal        string
	employer                             string // customer_employs: gets a payroll basis
	run                                  models.BillingRun
	invoice, internalInvoice, creditNote models.Invoice
	people                               []expParticipant
}

func expInsert(t testing.TB, tn *Tenant, table string, row map[string]any) {
	t.Helper()
	if err := tn.S.Main.DB.Gorm.Table(table).Create(row).Error; err != nil {
		t.Fatalf("insert %s: %v", table, err)
	}
}

func expCreate(t testing.TB, tn *Tenant, v any) {
	t.Helper()
	if err := tn.S.Main.DB.Gorm.CreateInBatches(v, 500).Error; err != nil {
		t.Fatalf("insert %T: %v", v, err)
	}
}

func newExpFixture(t *testing.T) *expFixture {
	t.Helper()
	tn := NewTenant(t)
	f := &expFixture{tn: tn}
	_, f.finance = tn.User(t, "finance", "")
	coordinatorID, coordinator := tn.User(t, "coordinator", "")
	f.coordinator = coordinator
	f.organiser = tn.Organiser(t, 1000)
	f.customer, f.internal, f.employer = tn.Customer(t, "standard"), tn.Customer(t, "internal"), tn.Customer(t, "standard")
	for i, name := range [][2]string{{expFirst, expLast}, {"Matti", "Meikäläinen"}, {"Nolla", "Korvaus"}} {
		p := expParticipant{First: name[0], Last: name[1], IBAN: expIBAN(i + 1)}
		r := tn.Do(t, http.MethodPost, "/v1/participants", coordinator, map[string]any{"organiser_id": f.organiser,
			"first_name": p.First, "last_name": p.Last, "iban": p.IBAN})
		r.Expect(t, http.StatusCreated)
		p.ID = r.Map(t)["id"].(string)
		f.people = append(f.people, p)
	}

	now := time.Now().UTC()
	taskType := store.NewID()
	expInsert(t, tn, "task_types", map[string]any{"id": taskType, "tenant_id": tn.ID, "name": "Ulkosiivous", "created_at": now})
	order := func(customer string) string {
		id := store.NewID()
		expInsert(t, tn, "orders", map[string]any{"id": id, "tenant_id": tn.ID, "customer_id": customer, "task_type_id": taskType,
			"organiser_id": f.organiser, "site_address": "Työmaantie 3, Helsinki", "crew_size": 4, "status": "accepted",
			"schedule_kind": "once", "schedule_date": models.Date{Year: 2026, Month: 10, Day: 14}, "start_time": "08:00",
			"end_time": "14:30", "created_at": now, "updated_at": now})
		return id
	}

	runDate := models.Date{Year: 2026, Month: 11, Day: 1}
	f.run = models.BillingRun{ID: store.NewID(), TenantID: tn.ID, Period: "2026-10", Kind: models.RunRegular, CreatedAt: now}
	expCreate(t, tn, &f.run)
	seq := 0
	invoice := func(customer, treatment string, runID, credits *string, lines ...models.InvoiceLine) models.Invoice {
		seq++
		ref, err := models.FinnishReference(fmt.Sprintf("2026%06d", seq))
		if err != nil {
			t.Fatal(err)
		}
		inv := models.Invoice{ID: store.NewID(), TenantID: tn.ID, BillingRunID: runID, CustomerID: customer,
			InvoiceNumber: fmt.Sprintf("2026-%06d", seq), ReferenceNumber: ref, RFReference: models.RFReference(ref),
			InvoiceDate: runDate, DueDate: runDate.AddDays(14), VatTreatment: treatment, CreditsInvoiceID: credits, CreatedAt: now}
		groups := map[int64]models.Cents{}
		for i := range lines {
			l := &lines[i]
			l.ID, l.InvoiceID, l.LineNo, l.OrganiserID = store.NewID(), inv.ID, i+1, f.organiser
			groups[l.VatBps] += l.AmountCents
		}
		var vat []models.InvoiceVat
		for bps, net := range groups {
			v := models.InvoiceVat{InvoiceID: inv.ID, VatBps: bps, NetCents: net, VatCents: models.ApplyBps(net, bps)}
			vat = append(vat, v)
			inv.NetCents += v.NetCents
			inv.VatCents += v.VatCents
		}
		inv.GrossCents = inv.NetCents + inv.VatCents
		expCreate(t, tn, &inv)
		expCreate(t, tn, lines)
		expCreate(t, tn, vat)
		return inv
	}
	hours := func(orderID, kind string, minutes int64, price models.Cents, bps int64) models.InvoiceLine {
		return models.InvoiceLine{OrderID: orderID, Kind: kind, Minutes: minutes, UnitPriceCents: price,
			AmountCents: models.MinutesAmount(minutes, price), VatBps: bps}
	}
	customerOrder, internalOrder := order(f.customer), order(f.internal)
	f.invoice = invoice(f.customer, models.VatStandard, &f.run.ID, nil,
		hours(customerOrder, "participant_hours", 1200, 3500, 2550),
		hours(customerOrder, "supervisor_hours", 390, 4500, 2550),
		models.InvoiceLine{OrderID: customerOrder, Kind: "late_cancellation", Count: 1, UnitPriceCents: 15000, AmountCents: 15000, VatBps: 2550})
	f.internalInvoice = invoice(f.internal, models.VatInternal, &f.run.ID, nil, hours(internalOrder, "participant_hours", 245, 3000, 0))
	f.creditNote = invoice(f.customer, models.VatStandard, nil, &f.invoice.ID, hours(customerOrder, "supervisor_hours", -390, 4500, 2550))

	f.run.InvoiceCount = 2
	f.run.NetCents = f.invoice.NetCents + f.internalInvoice.NetCents
	f.run.VatCents = f.invoice.VatCents + f.internalInvoice.VatCents
	f.run.GrossCents = f.invoice.GrossCents + f.internalInvoice.GrossCents
	if err := tn.S.Main.DB.Gorm.Save(&f.run).Error; err != nil {
		t.Fatal(err)
	}

	payouts := []models.Payout{
		{Days: 3, Minutes: 1080, GrossCents: 3600, TaxFreeCents: 3600, NetCents: 3600},
		{Days: 2, Minutes: 510, GrossCents: 12345, WithholdingCents: 2469, NetCents: 9876, TaxableCents: 12345},
		{Days: 1, Minutes: 240}, // compensation "none": listed, not paid
	}
	for i := range payouts {
		p := &payouts[i]
		p.ID, p.TenantID, p.BillingRunID, p.ParticipantID, p.OrganiserID = store.NewID(), tn.ID, &f.run.ID, f.people[i].ID, f.organiser
		p.Period, p.PaymentDate = f.run.Period, runDate
	}
	expCreate(t, tn, payouts)

	var journal []models.JournalEntry
	post := func(account string, debit, credit models.Cents) {
		journal = append(journal, models.JournalEntry{ID: store.NewID(), TenantID: tn.ID, BillingRunID: &f.run.ID,
			LineNo: len(journal) + 1, EntryDate: runDate, Account: account, DebitCents: debit, CreditCents: credit, Memo: "Laskutus 2026-10"})
	}
	post("1700", f.run.GrossCents, 0)
	post("3000", 0, f.run.NetCents)
	post("2939", 0, f.run.VatCents)
	expCreate(t, tn, journal)

	// The employer's billed hours: one worked entry and one sick day.
	expInsert(t, tn, "agreements", map[string]any{"id": store.NewID(), "tenant_id": tn.ID, "customer_id": f.employer,
		"participant_hour_price_cents": 0, "supervisor_hour_price_cents": 4500, "minimum_billable_minutes": 0,
		"late_cancellation_window_hours": 24, "late_cancellation_fee_cents": 0, "payment_term_days": 14,
		"employment_model": "customer_employs", "valid_from": models.Date{Year: 2026, Month: 1, Day: 1}, "created_at": now})
	helsinki, _ := time.LoadLocation("Europe/Helsinki")
	start := time.Date(2026, 10, 14, 8, 0, 0, 0, helsinki)
	end := start.Add(6*time.Hour + 30*time.Minute)
	shift := store.NewID()
	expInsert(t, tn, "shifts", map[string]any{"id": shift, "tenant_id": tn.ID, "order_id": order(f.employer), "organiser_id": f.organiser,
		"customer_id": f.employer, "task_type_id": taskType, "date": models.Date{Year: 2026, Month: 10, Day: 14},
		"starts_at": start, "ends_at": end, "status": "completed", "crew_size": 4, "created_at": now, "timesheet_status": "approved"})
	for i, p := range f.people[:2] {
		assignment := store.NewID()
		expInsert(t, tn, "assignments", map[string]any{"id": assignment, "tenant_id": tn.ID, "shift_id": shift, "participant_id": p.ID,
			"person_id": p.ID, "starts_at": start, "ends_at": end, "created_by": coordinatorID, "created_at": now})
		entry := map[string]any{"id": store.NewID(), "tenant_id": tn.ID, "shift_id": shift, "assignment_id": assignment,
			"billing_run_id": f.run.ID, "created_at": now, "updated_at": now}
		if i == 0 {
			entry["start_at"], entry["end_at"], entry["break_minutes"], entry["worked_minutes"] = start, end, 30, 360
		} else {
			entry["absence"] = "sick"
		}
		expInsert(t, tn, "time_entries", entry)
	}
	return f
}

// expSellerDetails sets what Finvoice needs of the tenant, as its admin does.
func expSellerDetails(t *testing.T, tn *Tenant) {
	t.Helper()
	tn.Relogin(t) // the clock may have moved
	version := tn.Do(t, http.MethodGet, "/v1/tenant", tn.AdminToken, nil).Expect(t, http.StatusOK).Header.Get("ETag")
	tn.S.Do(t, Request{Method: http.MethodPatch, Path: "/v1/tenant", Token: tn.AdminToken, Header: map[string]string{"If-Match": version},
		Body: map[string]any{"business_id": "0201256-6", "iban": "FI21 1234 5600 0007 85", "bic": "OKOYFIHH",
			"address": map[string]string{"street": "Työpajankatu 2", "postal_code": "00580", "city": "Helsinki"}}}).Expect(t, http.StatusOK)
}

func (f *expFixture) get(t *testing.T, path string) *Response {
	t.Helper()
	return f.tn.Do(t, http.MethodGet, path, f.finance, nil)
}

// expFile checks the headers of a downloaded export.
func expFile(t *testing.T, r *Response, contentType, name string) {
	t.Helper()
	r.Expect(t, http.StatusOK)
	if got := r.Header.Get("Content-Type"); got != contentType {
		t.Errorf("Content-Type %q, want %q", got, contentType)
	}
	if got, want := r.Header.Get("Content-Disposition"), `attachment; filename="`+name+`"`; got != want {
		t.Errorf("Content-Disposition %q, want %q", got, want)
	}
	if r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control %q", r.Header.Get("Cache-Control"))
	}
}

// expHours renders minutes as hours with two decimals and a decimal comma,
// rounded half away from zero.
func expHours(minutes int64) string {
	h := models.HalfUpDiv(minutes*100, 60)
	sign := ""
	if h < 0 {
		sign, h = "-", -h
	}
	return fmt.Sprintf("%s%d,%02d", sign, h/100, h%100)
}

// expCents parses an amount with two decimals and the given mark back to cents.
func expCents(t *testing.T, s string, mark string) models.Cents {
	t.Helper()
	whole, frac, ok := strings.Cut(s, mark)
	if !ok || len(frac) != 2 {
		t.Fatalf("amount %q is not in the form 0%s00", s, mark)
	}
	neg := strings.HasPrefix(whole, "-")
	w, err1 := strconv.ParseInt(strings.TrimPrefix(whole, "-"), 10, 64)
	c, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("amount %q: %v %v", s, err1, err2)
	}
	if neg {
		return models.Cents(-(w*100 + c))
	}
	return models.Cents(w*100 + c)
}

// expCSV parses a CSV export of the dialect into rows keyed by header, and
// checks the dialect's framing (BOM, separator, line ends).
func expCSV(t *testing.T, body []byte, dialect string) []map[string]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(body))
	if dialect == "excel-fi" {
		rest, ok := bytes.CutPrefix(body, []byte("\uFEFF"))
		if !ok || !bytes.HasSuffix(body, []byte("\r\n")) {
			t.Fatalf("excel-fi CSV needs a UTF-8 BOM and CRLF: %q", truncate(body))
		}
		r = csv.NewReader(bytes.NewReader(rest))
		r.Comma = ';'
	} else if bytes.HasPrefix(body, []byte("\uFEFF")) || bytes.Contains(body, []byte("\r\n")) {
		t.Fatalf("RFC 4180 CSV has a BOM or CRLF: %q", truncate(body))
	}
	recs, err := r.ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("parse %s CSV: %v\n%s", dialect, err, body)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		out = append(out, row)
	}
	return out
}

// expDialects are the CSV dialects with their decimal marks.
var expDialects = []struct{ name, query, mark string }{{"rfc4180", "", "."}, {"excel-fi", "&dialect=excel-fi", ","}}

type expPayout struct {
	ID            string       `json:"id"`
	ParticipantID string       `json:"participant_id"`
	OrganiserID   string       `json:"organiser_id"`
	Days          int64        `json:"days"`
	Minutes       int64        `json:"minutes"`
	Gross         models.Cents `json:"gross_cents"`
	Withholding   models.Cents `json:"withholding_cents"`
	Net           models.Cents `json:"net_cents"`
	Taxable       models.Cents `json:"taxable_cents"`
}

// apiPayouts is what GET /v1/payouts says of the run's payouts of the organiser.
func (f *expFixture) apiPayouts(t *testing.T) map[string]expPayout {
	t.Helper()
	var page struct{ Items []expPayout }
	f.get(t, "/v1/payouts?limit=200&run_id="+f.run.ID).Expect(t, http.StatusOK).Decode(t, &page)
	out := map[string]expPayout{}
	for _, p := range page.Items {
		if p.OrganiserID == f.organiser {
			out[p.ParticipantID] = p
		}
	}
	return out
}

// exportsLogged asserts which exports the participant's access log shows.
func (f *expFixture) exportsLogged(t *testing.T, participantID string) []string {
	t.Helper()
	var page struct {
		Items []struct{ Action, Route, Role string }
	}
	f.tn.Do(t, http.MethodGet, "/v1/participants/"+participantID+"/access-log?limit=200", f.tn.AdminToken, nil).
		Expect(t, http.StatusOK).Decode(t, &page)
	var routes []string
	for _, e := range page.Items {
		if e.Action == models.AccessExport && e.Role == models.RoleFinance {
			routes = append(routes, e.Route)
		}
	}
	return routes
}

// painDoc is the test's view of a pain.001.001.09 document.
type painDoc struct {
	MsgID   string `xml:"CstmrCdtTrfInitn>GrpHdr>MsgId"`
	NbOfTxs int    `xml:"CstmrCdtTrfInitn>GrpHdr>NbOfTxs"`
	CtrlSum string `xml:"CstmrCdtTrfInitn>GrpHdr>CtrlSum"`
	PmtInf  struct {
		BtchBookg   bool   `xml:"BtchBookg"`
		NbOfTxs     int    `xml:"NbOfTxs"`
		CtrlSum     string `xml:"CtrlSum"`
		ReqdExctnDt string `xml:"ReqdExctnDt>Dt"`
		Debtor      string `xml:"Dbtr>Nm"`
		DebtorIBAN  string `xml:"DbtrAcct>Id>IBAN"`
		Txs         []struct {
			EndToEndID string `xml:"PmtId>EndToEndId"`
			Amount     string `xml:"Amt>InstdAmt"`
			Name       string `xml:"Cdtr>Nm"`
			IBAN       string `xml:"CdtrAcct>Id>IBAN"`
		} `xml:"CdtTrfTxInf"`
	} `xml:"CstmrCdtTrfInitn>PmtInf"`
}

func TestExportPayouts(t *testing.T) {
	t.Parallel()
	f := newExpFixture(t)
	api := f.apiPayouts(t)
	query := "?run_id=" + f.run.ID + "&organiser_id=" + f.organiser

	before := models.DateOf(f.tn.S.Main.Clock.Now(), f.tn.S.Main.Loc)
	r := f.get(t, "/v1/exports/payouts.xml"+query)
	after := models.DateOf(f.tn.S.Main.Clock.Now(), f.tn.S.Main.Loc)
	expFile(t, r, "application/xml", "payouts-2026-10-work-activity-unit.xml")
	xmlschema.Validate(t, "pain.001.001.09.xsd", r.Body)
	if !bytes.Contains(r.Body, []byte("&lt;Ölander&gt; &amp; Søn")) {
		t.Error("the creditor name is not escaped as character data")
	}
	var doc painDoc
	if err := xml.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	var sum models.Cents
	count := 0
	for _, p := range api {
		if p.Net > 0 {
			count++
			sum += p.Net
		}
	}
	if doc.NbOfTxs != count || doc.PmtInf.NbOfTxs != count || len(doc.PmtInf.Txs) != count || count != 2 {
		t.Errorf("NbOfTxs %d/%d with %d transfers, the API has %d positive payouts", doc.NbOfTxs, doc.PmtInf.NbOfTxs, len(doc.PmtInf.Txs), count)
	}
	if expCents(t, doc.CtrlSum, ".") != sum || expCents(t, doc.PmtInf.CtrlSum, ".") != sum {
		t.Errorf("CtrlSum %s/%s, the API's net sum is %d", doc.CtrlSum, doc.PmtInf.CtrlSum, sum)
	}
	if !doc.PmtInf.BtchBookg || doc.PmtInf.Debtor != "Work Activity Unit" || doc.PmtInf.DebtorIBAN != "FI2112345600000785" {
		t.Errorf("batch booking %v, debtor %q %q", doc.PmtInf.BtchBookg, doc.PmtInf.Debtor, doc.PmtInf.DebtorIBAN)
	}
	execDate, err := models.ParseDate(doc.PmtInf.ReqdExctnDt)
	if err != nil {
		t.Fatal(err)
	}
	if execDate != finance.NextBankingDay(before) && execDate != finance.NextBankingDay(after) {
		t.Errorf("execution date %s is not the next banking day after %s", execDate, before)
	}
	for _, tx := range doc.PmtInf.Txs {
		i := slices.IndexFunc(f.people, func(p expParticipant) bool { return p.IBAN == tx.IBAN })
		if i < 0 {
			t.Fatalf("transfer to unknown IBAN %s", tx.IBAN)
		}
		p := api[f.people[i].ID]
		if tx.EndToEndID != strings.ReplaceAll(p.ID, "-", "") || expCents(t, tx.Amount, ".") != p.Net ||
			tx.Name != f.people[i].First+" "+f.people[i].Last {
			t.Errorf("transfer %+v, payout %+v of %s %s", tx, p, f.people[i].First, f.people[i].Last)
		}
	}
	// The same file downloaded again has the same ids: the bank sees a duplicate.
	var again painDoc
	if err := xml.Unmarshal(f.get(t, "/v1/exports/payouts.xml"+query).Expect(t, http.StatusOK).Body, &again); err != nil {
		t.Fatal(err)
	}
	if again.MsgID != doc.MsgID || again.PmtInf.Txs[0].EndToEndID != doc.PmtInf.Txs[0].EndToEndID {
		t.Errorf("ids differ between downloads: %s/%s", again.MsgID, doc.MsgID)
	}

	for _, d := range expDialects {
		r := f.get(t, "/v1/exports/payouts.csv"+query+d.query)
		expFile(t, r, "text/csv; charset=utf-8", "payouts-2026-10-work-activity-unit.csv")
		rows := expCSV(t, r.Body, d.name)
		if len(rows) != len(f.people) {
			t.Fatalf("%s: %d rows, want %d", d.name, len(rows), len(f.people))
		}
		for _, row := range rows {
			i := slices.IndexFunc(f.people, func(p expParticipant) bool { return p.ID == row["participant_id"] })
			if i < 0 {
				t.Fatalf("%s: unknown participant %q", d.name, row["participant_id"])
			}
			pt, p := f.people[i], api[row["participant_id"]]
			if row["first_name"] != pt.First || row["last_name"] != pt.Last || row["iban"] != pt.IBAN || row["pseudonym"] == "" ||
				row["days"] != strconv.FormatInt(p.Days, 10) || row["minutes"] != strconv.FormatInt(p.Minutes, 10) ||
				expCents(t, row["gross_eur"], d.mark) != p.Gross || expCents(t, row["withholding_eur"], d.mark) != p.Withholding ||
				expCents(t, row["net_eur"], d.mark) != p.Net || expCents(t, row["taxable_eur"], d.mark) != p.Taxable {
				t.Errorf("%s: row %v, payout %+v", d.name, row, p)
			}
		}
	}

	for i, p := range f.people {
		routes := f.exportsLogged(t, p.ID)
		if paid := i < 2; paid != slices.Contains(routes, "/v1/exports/payouts.xml") {
			t.Errorf("participant %d: payment file logged %v, paid %v", i, routes, paid)
		}
		if !slices.Contains(routes, "/v1/exports/payouts.csv") {
			t.Errorf("participant %d: CSV export not in the access log %v", i, routes)
		}
	}
}

// finvoiceDoc is the test's view of a Finvoice 3.0 document.
type finvoiceDoc struct {
	SellerID string `xml:"SellerPartyDetails>SellerPartyIdentifier"`
	BuyerID  string `xml:"BuyerPartyDetails>BuyerPartyIdentifier"`
	Buyer    string `xml:"BuyerPartyDetails>BuyerOrganisationName"`
	Details  struct {
		TypeCode string `xml:"InvoiceTypeCode"`
		Number   string `xml:"InvoiceNumber"`
		Original string `xml:"OriginalInvoiceNumber"`
		Net      string `xml:"InvoiceTotalVatExcludedAmount"`
		Vat      string `xml:"InvoiceTotalVatAmount"`
		Gross    string `xml:"InvoiceTotalVatIncludedAmount"`
		Due      string `xml:"PaymentTermsDetails>InvoiceDueDate"`
		VatSpecs []struct {
			Base   string `xml:"VatBaseAmount"`
			Amount string `xml:"VatRateAmount"`
			Code   string `xml:"VatCode"`
		} `xml:"VatSpecificationDetails"`
	} `xml:"InvoiceDetails"`
	Rows []struct {
		Quantity struct {
			Unit  string `xml:"QuantityUnitCode,attr"`
			Value string `xml:",chardata"`
		} `xml:"InvoicedQuantity"`
		Amount string `xml:"RowVatExcludedAmount"`
	} `xml:"InvoiceRow"`
	Reference string `xml:"EpiDetails>EpiPaymentInstructionDetails>EpiRemittanceInfoIdentifier"`
	EpiAmount string `xml:"EpiDetails>EpiPaymentInstructionDetails>EpiInstructedAmount"`
}

type expInvoice struct {
	InvoiceNumber   string       `json:"invoice_number"`
	ReferenceNumber string       `json:"reference_number"`
	DueDate         string       `json:"due_date"`
	Net             models.Cents `json:"net_cents"`
	Vat             models.Cents `json:"vat_cents"`
	Gross           models.Cents `json:"gross_cents"`
	Lines           []struct {
		Kind    string       `json:"kind"`
		Minutes int64        `json:"minutes"`
		Count   int64        `json:"count"`
		Amount  models.Cents `json:"amount_cents"`
	} `json:"lines"`
	VatBreakdown []struct {
		Net models.Cents `json:"net_cents"`
		Vat models.Cents `json:"vat_cents"`
	} `json:"vat_breakdown"`
}

func TestExportFinvoice(t *testing.T) {
	t.Parallel()
	f := newExpFixture(t)
	path := func(id string) string { return "/v1/exports/invoices/" + id + "/finvoice.xml" }
	r := f.get(t, path(f.invoice.ID)).Expect(t, http.StatusConflict)
	if code := r.Map(t)["code"]; code != "seller_details_missing" {
		t.Errorf("code %v, want seller_details_missing", code)
	}
	expSellerDetails(t, f.tn)

	for _, tc := range []struct {
		name     string
		inv      models.Invoice
		typeCode string
		original string
		vatCode  string
	}{
		{"invoice", f.invoice, "INV01", "", "S"},
		{"internal charge", f.internalInvoice, "INV01", "", "O"},
		{"credit note", f.creditNote, "INV02", f.invoice.InvoiceNumber, "S"},
	} {
		var api expInvoice
		f.get(t, "/v1/invoices/"+tc.inv.ID).Expect(t, http.StatusOK).Decode(t, &api)
		r := f.get(t, path(tc.inv.ID))
		expFile(t, r, "application/xml", "finvoice-"+tc.inv.InvoiceNumber+"-customer-oy.xml")
		xmlschema.Validate(t, "Finvoice3.0.xsd", r.Body)
		var doc finvoiceDoc
		if err := xml.Unmarshal(r.Body, &doc); err != nil {
			t.Fatal(err)
		}
		d := doc.Details
		if d.TypeCode != tc.typeCode || d.Original != tc.original || d.Number != api.InvoiceNumber ||
			doc.SellerID != "0201256-6" || doc.BuyerID != "0737546-2" || doc.Reference != api.ReferenceNumber ||
			d.Due != strings.ReplaceAll(api.DueDate, "-", "") {
			t.Errorf("%s: details %+v, seller %q buyer %q reference %q", tc.name, d, doc.SellerID, doc.BuyerID, doc.Reference)
		}
		if expCents(t, d.Net, ",") != api.Net || expCents(t, d.Vat, ",") != api.Vat || expCents(t, d.Gross, ",") != api.Gross ||
			expCents(t, doc.EpiAmount, ",") != api.Gross {
			t.Errorf("%s: totals %s + %s = %s (EPI %s), API %d + %d = %d", tc.name, d.Net, d.Vat, d.Gross, doc.EpiAmount, api.Net, api.Vat, api.Gross)
		}
		if len(d.VatSpecs) != len(api.VatBreakdown) {
			t.Fatalf("%s: %d VAT groups, API %d", tc.name, len(d.VatSpecs), len(api.VatBreakdown))
		}
		for i, g := range api.VatBreakdown {
			s := d.VatSpecs[i]
			if expCents(t, s.Base, ",") != g.Net || expCents(t, s.Amount, ",") != g.Vat || s.Code != tc.vatCode {
				t.Errorf("%s: VAT group %+v, API %+v", tc.name, s, g)
			}
		}
		if len(doc.Rows) != len(api.Lines) {
			t.Fatalf("%s: %d rows, API %d lines", tc.name, len(doc.Rows), len(api.Lines))
		}
		for i, l := range api.Lines {
			row := doc.Rows[i]
			// Hours with two decimals, half-up: 245 min → 4,08.
			want, unit := expHours(l.Minutes), "h"
			if l.Kind == "late_cancellation" {
				want, unit = strconv.FormatInt(l.Count, 10), "kpl"
			}
			if row.Quantity.Value != want || row.Quantity.Unit != unit || expCents(t, row.Amount, ",") != l.Amount {
				t.Errorf("%s: row %d %+v, line %+v", tc.name, i+1, row, l)
			}
		}
	}
}

func TestExportInvoicesAndJournal(t *testing.T) {
	t.Parallel()
	f := newExpFixture(t)
	var run struct {
		Net   models.Cents `json:"net_cents"`
		Vat   models.Cents `json:"vat_cents"`
		Gross models.Cents `json:"gross_cents"`
	}
	f.get(t, "/v1/billing-runs/"+f.run.ID).Expect(t, http.StatusOK).Decode(t, &run)
	apiInvoices := map[string]expInvoice{}
	for _, inv := range []models.Invoice{f.invoice, f.internalInvoice} {
		var api expInvoice
		f.get(t, "/v1/invoices/"+inv.ID).Expect(t, http.StatusOK).Decode(t, &api)
		apiInvoices[api.InvoiceNumber] = api
	}
	for _, d := range expDialects {
		r := f.get(t, "/v1/exports/invoices.csv?run_id="+f.run.ID+d.query)
		expFile(t, r, "text/csv; charset=utf-8", "invoices-2026-10.csv")
		rows := expCSV(t, r.Body, d.name)
		if len(rows) != len(apiInvoices) {
			t.Fatalf("%s: %d invoices, want the run's %d (credit notes belong to no run)", d.name, len(rows), len(apiInvoices))
		}
		var net, vat, gross models.Cents
		for _, row := range rows {
			api, ok := apiInvoices[row["invoice_number"]]
			if !ok || row["reference_number"] != api.ReferenceNumber || row["due_date"] != api.DueDate || row["business_id"] != "0737546-2" ||
				row["customer_name"] != "Customer Oy" || !strings.HasPrefix(row["rf_reference"], "RF") || row["invoice_date"] != "2026-11-01" ||
				expCents(t, row["net_eur"], d.mark) != api.Net || expCents(t, row["vat_eur"], d.mark) != api.Vat ||
				expCents(t, row["gross_eur"], d.mark) != api.Gross {
				t.Errorf("%s: row %v, API %+v", d.name, row, api)
			}
			net += expCents(t, row["net_eur"], d.mark)
			vat += expCents(t, row["vat_eur"], d.mark)
			gross += expCents(t, row["gross_eur"], d.mark)
		}
		if net != run.Net || vat != run.Vat || gross != run.Gross {
			t.Errorf("%s: invoices sum to %d/%d/%d, the run to %d/%d/%d", d.name, net, vat, gross, run.Net, run.Vat, run.Gross)
		}

		r = f.get(t, "/v1/exports/journal.csv?run_id="+f.run.ID+d.query)
		expFile(t, r, "text/csv; charset=utf-8", "journal-2026-10.csv")
		var debit, credit models.Cents
		rows = expCSV(t, r.Body, d.name)
		for i, row := range rows {
			if row["line_no"] != strconv.Itoa(i+1) || row["entry_date"] != "2026-11-01" || row["account"] == "" {
				t.Errorf("%s: journal row %v", d.name, row)
			}
			debit += expCents(t, row["debit_eur"], d.mark)
			credit += expCents(t, row["credit_eur"], d.mark)
		}
		if len(rows) != 3 || debit != credit || debit != run.Gross {
			t.Errorf("%s: %d journal rows, debits %d, credits %d, run gross %d", d.name, len(rows), debit, credit, run.Gross)
		}
	}
}

func TestExportPayrollBasis(t *testing.T) {
	t.Parallel()
	f := newExpFixture(t)
	for _, d := range expDialects {
		r := f.get(t, "/v1/exports/payroll-basis.csv?run_id="+f.run.ID+"&customer_id="+f.employer+d.query)
		expFile(t, r, "text/csv; charset=utf-8", "payroll-basis-2026-10-customer-oy.csv")
		rows := expCSV(t, r.Body, d.name)
		if len(rows) != 2 {
			t.Fatalf("%s: %d rows, want 2: %v", d.name, len(rows), rows)
		}
		byID := map[string]map[string]string{rows[0]["participant_id"]: rows[0], rows[1]["participant_id"]: rows[1]}
		worked, sick := byID[f.people[0].ID], byID[f.people[1].ID]
		if worked["first_name"] != expFirst || worked["last_name"] != expLast || worked["date"] != "2026-10-14" ||
			worked["start_time"] != "08:00" || worked["end_time"] != "14:30" || worked["break_minutes"] != "30" ||
			worked["worked_minutes"] != "360" || worked["absence"] != "" || worked["pseudonym"] == "" {
			t.Errorf("%s: worked row %v", d.name, worked)
		}
		if sick["absence"] != "sick" || sick["start_time"] != "" || sick["worked_minutes"] != "0" || sick["last_name"] != "Meikäläinen" {
			t.Errorf("%s: absence row %v", d.name, sick)
		}
	}
	// A subcontracting customer pays no wages: its payroll basis is empty.
	r := f.get(t, "/v1/exports/payroll-basis.csv?run_id="+f.run.ID+"&customer_id="+f.customer)
	if rows := expCSV(t, r.Expect(t, http.StatusOK).Body, "rfc4180"); len(rows) != 0 {
		t.Errorf("subcontracting customer's payroll basis has %d rows", len(rows))
	}
	for i, p := range f.people {
		if logged := slices.Contains(f.exportsLogged(t, p.ID), "/v1/exports/payroll-basis.csv"); logged != (i < 2) {
			t.Errorf("participant %d: payroll export logged %v", i, logged)
		}
	}
}

// TestExportOfARealBillingRun exports the billing tests' worked example,
// billed by the real run: the files validate and add up to the run's cents.
func TestExportOfARealBillingRun(t *testing.T) {
	w := newBillingWorld(t) // sets the clock to 2026-11-02T08:00Z, a Monday
	run := w.run(t, false, http.StatusCreated)
	expSellerDetails(t, w.tn)
	get := func(path string) *Response { return w.do(t, "finance", http.MethodGet, path, nil) }
	query := "?run_id=" + *run.ID

	r := get("/v1/exports/payouts.xml" + query + "&organiser_id=" + w.orgA)
	expFile(t, r, "application/xml", "payouts-2026-10-work-activity-unit.xml")
	xmlschema.Validate(t, "pain.001.001.09.xsd", r.Body)
	var doc painDoc
	if err := xml.Unmarshal(r.Body, &doc); err != nil {
		t.Fatal(err)
	}
	// P1 13.20 and P2 11.00 (the worked example's net payouts of organiser A).
	if doc.NbOfTxs != 2 || doc.CtrlSum != "24.20" || doc.PmtInf.ReqdExctnDt != "2026-11-03" {
		t.Errorf("payment file: %d transfers, %s EUR, execution %s", doc.NbOfTxs, doc.CtrlSum, doc.PmtInf.ReqdExctnDt)
	}
	// Organiser B's only payout (P3, compensation "none") is zero.
	get("/v1/exports/payouts.xml"+query+"&organiser_id="+w.orgB).Expect(t, http.StatusConflict)
	if rows := expCSV(t, get("/v1/exports/payouts.csv"+query+"&organiser_id="+w.orgB).Expect(t, http.StatusOK).Body, "rfc4180"); len(rows) != 1 ||
		rows[0]["participant_id"] != w.p3 || rows[0]["net_eur"] != "0.00" || rows[0]["minutes"] != "165" {
		t.Errorf("organiser B's payouts CSV %v", rows)
	}

	std := run.invoiceOf(t, w.standard)
	var note struct {
		ID     string `json:"id"`
		Number string `json:"invoice_number"`
		Gross  int64  `json:"gross_cents"`
	}
	w.do(t, "finance", http.MethodPost, "/v1/invoices/"+std+"/credit-note", map[string]any{"lines": []int{1}}).Expect(t, http.StatusCreated).Decode(t, &note)
	ids := []string{note.ID}
	for _, inv := range run.Invoices {
		ids = append(ids, inv.ID)
	}
	for _, id := range ids {
		var api expInvoice
		get("/v1/invoices/"+id).Expect(t, http.StatusOK).Decode(t, &api)
		r := get("/v1/exports/invoices/"+id+"/finvoice.xml").Expect(t, http.StatusOK)
		xmlschema.Validate(t, "Finvoice3.0.xsd", r.Body)
		var doc finvoiceDoc
		if err := xml.Unmarshal(r.Body, &doc); err != nil {
			t.Fatal(err)
		}
		if expCents(t, doc.Details.Gross, ",") != api.Gross || len(doc.Rows) != len(api.Lines) {
			t.Errorf("invoice %s: gross %s with %d rows, API %d with %d lines", api.InvoiceNumber, doc.Details.Gross, len(doc.Rows), api.Gross, len(api.Lines))
		}
	}

	var gross models.Cents
	for _, row := range expCSV(t, get("/v1/exports/invoices.csv"+query+"&dialect=excel-fi").Expect(t, http.StatusOK).Body, "excel-fi") {
		gross += expCents(t, row["gross_eur"], ",")
	}
	var debit, credit models.Cents
	for _, row := range expCSV(t, get("/v1/exports/journal.csv"+query).Expect(t, http.StatusOK).Body, "rfc4180") {
		debit += expCents(t, row["debit_eur"], ".")
		credit += expCents(t, row["credit_eur"], ".")
	}
	if gross != models.Cents(run.Gross) || debit != credit || debit == 0 {
		t.Errorf("invoices CSV gross %d (run %d), journal debits %d credits %d", gross, run.Gross, debit, credit)
	}
	// The posting month holds the run and the credit note (both dated
	// 2026-11-02): the note names the invoice it credits, and its postings
	// are in the journal under its number.
	stdNumber := ""
	for _, inv := range run.Invoices {
		if inv.ID == std {
			stdNumber = inv.InvoiceNumber
		}
	}
	r = get("/v1/exports/invoices.csv?period=2026-11").Expect(t, http.StatusOK)
	expFile(t, r, "text/csv; charset=utf-8", "invoices-posted-2026-11.csv")
	gross = 0
	credited := map[string]string{}
	for _, row := range expCSV(t, r.Body, "rfc4180") {
		gross += expCents(t, row["gross_eur"], ".")
		credited[row["invoice_number"]] = row["credits_invoice_number"]
	}
	if len(credited) != len(run.Invoices)+1 || credited[note.Number] != stdNumber || credited[stdNumber] != "" ||
		gross != models.Cents(run.Gross+note.Gross) {
		t.Errorf("posting month's invoices %v, gross %d; want the run's and credit note %s of %s, gross %d",
			credited, gross, note.Number, stdNumber, run.Gross+note.Gross)
	}
	r = get("/v1/exports/journal.csv?period=2026-11&dialect=excel-fi").Expect(t, http.StatusOK)
	expFile(t, r, "text/csv; charset=utf-8", "journal-posted-2026-11.csv")
	debit, credit = 0, 0
	documents := map[string]models.Cents{}
	for _, row := range expCSV(t, r.Body, "excel-fi") {
		d, c := expCents(t, row["debit_eur"], ","), expCents(t, row["credit_eur"], ",")
		debit, credit = debit+d, credit+c
		documents[row["document"]] += d - c
		if row["document"] == note.Number && !strings.HasPrefix(row["memo"], "credit note "+note.Number+" ") &&
			!strings.HasPrefix(row["memo"], "settlement ") && !strings.HasPrefix(row["memo"], "payroll ") {
			t.Errorf("credit note posting memo %q", row["memo"])
		}
	}
	if debit != credit || len(documents) != 2 || documents["2026-10"] != 0 || documents[note.Number] != 0 {
		t.Errorf("posting month's journal: debits %d credits %d, balance per document %v", debit, credit, documents)
	}
	if rows := expCSV(t, get("/v1/exports/journal.csv?period=2026-10").Expect(t, http.StatusOK).Body, "rfc4180"); len(rows) != 0 {
		t.Errorf("October has %d postings; the run of October is posted in November", len(rows))
	}
	for _, bad := range []string{"?period=2026-13", "?period=2026-11&run_id=" + *run.ID, ""} {
		get("/v1/exports/journal.csv"+bad).Expect(t, http.StatusUnprocessableEntity)
		get("/v1/exports/invoices.csv"+bad).Expect(t, http.StatusUnprocessableEntity)
	}
}

func TestExportAccessAndErrors(t *testing.T) {
	t.Parallel()
	f := newExpFixture(t)
	expSellerDetails(t, f.tn)
	run := "run_id=" + f.run.ID
	routes := []string{
		"/v1/exports/payouts.xml?" + run + "&organiser_id=" + f.organiser,
		"/v1/exports/payouts.csv?" + run + "&organiser_id=" + f.organiser,
		"/v1/exports/invoices/" + f.invoice.ID + "/finvoice.xml",
		"/v1/exports/invoices.csv?" + run,
		"/v1/exports/journal.csv?" + run,
		"/v1/exports/payroll-basis.csv?" + run + "&customer_id=" + f.employer,
	}
	_, supervisor := f.tn.User(t, "supervisor", f.organiser)
	_, customer := f.tn.User(t, "customer", f.customer)
	for who, token := range map[string]string{"admin": f.tn.AdminToken, "coordinator": f.coordinator, "supervisor": supervisor, "customer": customer} {
		for _, path := range routes {
			if r := f.tn.Do(t, http.MethodGet, path, token, nil); r.Status != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", who, path, r.Status)
			}
		}
	}
	for _, path := range routes {
		f.get(t, path).Expect(t, http.StatusOK)
	}

	// Another tenant's finance sees none of it, and this tenant's run with
	// the other tenant's organiser or customer is not found either.
	other := NewTenant(t)
	_, otherFinance := other.User(t, "finance", "")
	for _, path := range routes {
		if r := other.Do(t, http.MethodGet, path, otherFinance, nil); r.Status != http.StatusNotFound {
			t.Errorf("other tenant GET %s: %d, want 404", path, r.Status)
		}
	}
	otherOrganiser, otherCustomer := other.Organiser(t, 1000), other.Customer(t, "standard")
	for _, path := range []string{
		"/v1/exports/payouts.xml?" + run + "&organiser_id=" + otherOrganiser,
		"/v1/exports/payouts.csv?" + run + "&organiser_id=" + otherOrganiser,
		"/v1/exports/payroll-basis.csv?" + run + "&customer_id=" + otherCustomer,
		"/v1/exports/payouts.csv?" + run + "&organiser_id=" + f.customer, // a customer is no organiser
	} {
		f.get(t, path).Expect(t, http.StatusNotFound)
	}

	for _, path := range []string{
		"/v1/exports/payouts.csv?" + run + "&organiser_id=" + f.organiser + "&dialect=excel",
		"/v1/exports/invoices.csv?" + run + "&dialect=tsv",
		"/v1/exports/journal.csv?dialect=excel-fi",
		"/v1/exports/payouts.xml?" + run,
		"/v1/exports/payroll-basis.csv?" + run,
	} {
		f.get(t, path).Expect(t, http.StatusUnprocessableEntity)
	}

	// An organiser with nothing to pay has no payment file, only an empty
	// list; one without an IBAN cannot pay at all.
	idle := f.tn.Organiser(t, 1000)
	r := f.get(t, "/v1/exports/payouts.xml?"+run+"&organiser_id="+idle).Expect(t, http.StatusConflict)
	if code := r.Map(t)["code"]; code != "nothing_to_pay" {
		t.Errorf("code %v, want nothing_to_pay", code)
	}
	if rows := expCSV(t, f.get(t, "/v1/exports/payouts.csv?"+run+"&organiser_id="+idle).Expect(t, http.StatusOK).Body, "rfc4180"); len(rows) != 0 {
		t.Errorf("idle organiser's payouts CSV has %d rows", len(rows))
	}
	if err := f.tn.S.Main.DB.Gorm.Exec(`UPDATE organizations SET iban = '' WHERE id = ?`, f.organiser).Error; err != nil {
		t.Fatal(err)
	}
	r = f.get(t, "/v1/exports/payouts.xml?"+run+"&organiser_id="+f.organiser).Expect(t, http.StatusConflict)
	if code := r.Map(t)["code"]; code != "organiser_iban_missing" {
		t.Errorf("code %v, want organiser_iban_missing", code)
	}
}

// TestExportStreamsInBoundedMemory compares the process's peak heap growth
// while a client reads the payment file of 2,000 and of 20,000 payouts in
// small chunks: a streamed export grows the heap by about the same amount
// for both; one built in memory first would hold ten times more for the
// larger run. It asserts on memory, never on time.
func TestExportStreamsInBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("inserts 22,000 payouts")
	}
	tn := NewTenant(t)
	_, token := tn.User(t, "finance", "")
	organiser := tn.Organiser(t, 1000)
	const small, large = 2000, 20000
	now := time.Now().UTC()
	cipher := tn.S.Main.Participants.Cipher
	people := make([]models.Participant, large)
	for i := range people {
		p := &people[i]
		p.ID, p.TenantID, p.OrganiserID = store.NewID(), tn.ID, organiser
		p.FirstName, p.LastName, p.Pseudonym = "Bulk", fmt.Sprintf("Person %05d", i), fmt.Sprintf("Bulk-%05d", i)
		p.Active, p.Version, p.CreatedAt, p.UpdatedAt = true, 1, now, now
		sealed, err := cipher.Seal(expIBAN(i), tn.ID+"/"+p.ID)
		if err != nil {
			t.Fatal(err)
		}
		p.IBANEncrypted, p.Language = sealed, "fi"
	}
	expCreate(t, tn, people)
	run := func(period string, n int) string {
		r := models.BillingRun{ID: store.NewID(), TenantID: tn.ID, Period: period, Kind: models.RunRegular, CreatedAt: now}
		expCreate(t, tn, &r)
		payouts := make([]models.Payout, n)
		for i := range payouts {
			net := models.Cents(1000 + i%500)
			payouts[i] = models.Payout{ID: store.NewID(), TenantID: tn.ID, BillingRunID: &r.ID, ParticipantID: people[i].ID,
				OrganiserID: organiser, Period: r.Period, PaymentDate: models.DateOf(r.CreatedAt, time.UTC), Days: 1, Minutes: 240,
				GrossCents: net, TaxFreeCents: net, NetCents: net}
		}
		expCreate(t, tn, payouts)
		return r.ID
	}
	smallRun, largeRun := run("2026-11", small), run("2026-12", large)

	growth := func(runID string, n int) uint64 {
		req, err := http.NewRequest(http.MethodGet, tn.S.URL+"/v1/exports/payouts.xml?run_id="+runID+"&organiser_id="+organiser, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		// A low GC target makes the heap track live memory closely, so
		// garbage does not hide (or fake) what the export holds.
		defer debug.SetGCPercent(debug.SetGCPercent(10))
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base, peak := ms.HeapAlloc, ms.HeapAlloc
		var mu sync.Mutex
		done := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			tick := time.NewTicker(2 * time.Millisecond)
			defer tick.Stop()
			var ms runtime.MemStats
			for {
				select {
				case <-done:
					return
				case <-tick.C:
					runtime.ReadMemStats(&ms)
					mu.Lock()
					peak = max(peak, ms.HeapAlloc)
					mu.Unlock()
				}
			}
		}()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		buf := make([]byte, 4096)
		var total int
		var tail []byte // the last bytes read, to see that the document is complete
		for {
			k, err := res.Body.Read(buf)
			total += k
			tail = append(tail, buf[:k]...)
			tail = append(tail[:0], tail[max(0, len(tail)-64):]...)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		close(done)
		<-sampled
		if !bytes.Contains(tail, []byte("</Document>")) || total < n*200 {
			t.Fatalf("%d payouts: %d bytes, ending %q", n, total, tail)
		}
		return peak - base
	}
	growthSmall, growthLarge := growth(smallRun, small), growth(largeRun, large)
	t.Logf("peak heap growth: %d payouts %d KiB, %d payouts %d KiB", small, growthSmall>>10, large, growthLarge>>10)
	// The larger file is about 8 MiB; holding it, or its rows, would add
	// well over the margin.
	const margin = 4 << 20
	if growthLarge > growthSmall+margin {
		t.Errorf("heap grew %d KiB for %d payouts but %d KiB for %d: the export does not stream", growthLarge>>10, large, growthSmall>>10, small)
	}
}
