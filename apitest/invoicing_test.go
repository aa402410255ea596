package apitest

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"jobcenter/billing"
	"jobcenter/internal/xmlschema"
	"jobcenter/models"
)

// patchTenant changes the tenant's settings as the admin.
func patchTenant(t *testing.T, tn *Tenant, body map[string]any) *Response {
	t.Helper()
	tn.Relogin(t) // the clock may have moved
	version := tn.Do(t, http.MethodGet, "/v1/tenant", tn.AdminToken, nil).Expect(t, http.StatusOK).Header.Get("ETag")
	return tn.S.Do(t, Request{Method: http.MethodPatch, Path: "/v1/tenant", Token: tn.AdminToken,
		Header: map[string]string{"If-Match": version}, Body: body})
}

// The seller's e-invoice address and operator are settings of the tenant,
// checked for their form: an OVT code with a valid business ID inside, or
// an IBAN; a wrong one is a 422 naming it and changes nothing.
func TestTenantEinvoiceAddressIsChecked(t *testing.T) {
	tn := NewTenant(t)
	for _, c := range []struct {
		body    map[string]any
		pointer string
	}{
		{map[string]any{"einvoice_address": "003702012567", "einvoice_operator": "003721291126"}, "/einvoice_address"}, // wrong check digit
		{map[string]any{"einvoice_address": "0037020125", "einvoice_operator": "003721291126"}, "/einvoice_address"},   // too short
		{map[string]any{"einvoice_address": "FI21 1234 5600 0007 85", "einvoice_operator": "OKOYFIHH"}, "/einvoice_address"},
		{map[string]any{"einvoice_address": "FI2112345600000786", "einvoice_operator": "OKOYFIHH"}, "/einvoice_address"},
		{map[string]any{"einvoice_address": "003702012566", "einvoice_operator": "OKOY FIHH"}, "/einvoice_operator"},
		{map[string]any{"einvoice_address": "003702012566"}, "/einvoice_operator"},
	} {
		r := patchTenant(t, tn, c.body).Expect(t, http.StatusUnprocessableEntity)
		if p := firstPointer(t, r); p != c.pointer {
			t.Errorf("%v: pointer %s, want %s", c.body, p, c.pointer)
		}
	}
	got := tn.Do(t, http.MethodGet, "/v1/tenant", tn.AdminToken, nil).Expect(t, http.StatusOK).Map(t)
	if got["einvoice_address"] != "" || got["version"].(float64) != 1 {
		t.Fatalf("a refused change was written: %v", got)
	}
	for _, ok := range []map[string]any{
		{"einvoice_address": "0037020125661001", "einvoice_operator": "BAWCFI22"},
		{"einvoice_address": "FI2112345600000785", "einvoice_operator": "OKOYFIHH"},
		{"einvoice_address": "003702012566", "einvoice_operator": "E204503"},
	} {
		got := patchTenant(t, tn, ok).Expect(t, http.StatusOK).Map(t)
		if got["einvoice_address"] != ok["einvoice_address"] || got["einvoice_operator"] != ok["einvoice_operator"] {
			t.Fatalf("tenant after %v: %v", ok, got)
		}
	}
}

// A customer's e-invoice address is checked the same way, and its invoice
// language is fi, sv or en (fi unless given).
func TestCustomerEinvoiceAddressAndLanguage(t *testing.T) {
	tn := NewTenant(t)
	id := tn.Customer(t, "standard")
	r := tn.Do(t, http.MethodGet, "/v1/organizations/"+id, tn.AdminToken, nil).Expect(t, http.StatusOK)
	if lang := r.Map(t)["language"]; lang != "fi" {
		t.Fatalf("default language %v, want fi", lang)
	}
	patch := func(body map[string]any) *Response {
		version := tn.Do(t, http.MethodGet, "/v1/organizations/"+id, tn.AdminToken, nil).Expect(t, http.StatusOK).Header.Get("ETag")
		return tn.S.Do(t, Request{Method: http.MethodPatch, Path: "/v1/organizations/" + id, Token: tn.AdminToken,
			Header: map[string]string{"If-Match": version}, Body: body})
	}
	for _, c := range []struct {
		body    map[string]any
		pointer string
	}{
		{map[string]any{"language": "de"}, "/language"},
		{map[string]any{"einvoice_address": "0037073754"}, "/einvoice_address"},
	} {
		if p := firstPointer(t, patch(c.body).Expect(t, http.StatusUnprocessableEntity)); p != c.pointer {
			t.Errorf("%v: pointer %s, want %s", c.body, p, c.pointer)
		}
	}
	if got := patch(map[string]any{"language": "sv"}).Expect(t, http.StatusOK).Map(t); got["language"] != "sv" {
		t.Fatalf("language after the change: %v", got["language"])
	}
}

// The customer's own reference on an order is at most 35 characters of
// printable text (it goes on every invoice row); a customer user sets it
// when ordering and sees it back.
func TestOrderCustomerReference(t *testing.T) {
	f := newOrdFixture(t, "2026-10-01T06:00:00Z")
	body := func(ref string) map[string]any {
		b := f.orderBody(once("2026-10-20", "08:00", "12:00"))
		b["customer_reference"] = ref
		return b
	}
	for _, bad := range []string{strings.Repeat("x", 36), "PO 123\n45", "cost\tcentre", "PO\u0085"} {
		r := f.tn.Do(t, http.MethodPost, "/v1/orders", f.cust, body(bad)).Expect(t, http.StatusUnprocessableEntity)
		if p := firstPointer(t, r); p != "/customer_reference" {
			t.Errorf("%q: pointer %s", bad, p)
		}
	}
	if n := f.rows(t, "orders"); n != 0 {
		t.Fatalf("%d orders written by refused requests", n)
	}
	ref := "TILAUS-2026/Åbo " + strings.Repeat("9", 19) // 35 characters
	r := f.tn.Do(t, http.MethodPost, "/v1/orders", f.cust, body(ref)).Expect(t, http.StatusCreated).Map(t)
	if r["customer_reference"] != ref {
		t.Fatalf("customer_reference %v, want %q", r["customer_reference"], ref)
	}
}

// Test-side view of the Finvoice transmission frame. Its schema is not
// published with Finvoice 3.0 (nor kept in schemas/), so the elements the
// Finvoice 3.0 implementation guidelines (Finance Finland, v2.2 of
// 17 December 2020, 9.1 "Message transmission frame") require are checked
// here one by one (by local name; the envelope's namespace is checked); the
// Finvoice after it is validated against its schema.
type soapFrame struct {
	XMLName xml.Name `xml:"http://schemas.xmlsoap.org/soap/envelope/ Envelope"`
	Header  struct {
		MustUnderstand string    `xml:"mustUnderstand,attr"`
		Version        string    `xml:"version,attr"`
		From           []ebParty `xml:"From"`
		To             []ebParty `xml:"To"`
		CPAId          string    `xml:"CPAId"`
		Service        string    `xml:"Service"`
		Action         string    `xml:"Action"`
		MessageID      string    `xml:"MessageData>MessageId"`
		Timestamp      string    `xml:"MessageData>Timestamp"`
	} `xml:"Header>MessageHeader"`
	Reference struct {
		Href   string `xml:"href,attr"`
		Schema struct {
			Location string `xml:"location,attr"`
		} `xml:"Schema"`
	} `xml:"Body>Manifest>Reference"`
}

type ebParty struct {
	PartyID string `xml:"PartyId"`
	Role    string `xml:"Role"`
}

// Test-side view of the Finvoice's routing and period.
type framedFinvoice struct {
	From             string `xml:"MessageTransmissionDetails>MessageSenderDetails>FromIdentifier"`
	FromIntermediary string `xml:"MessageTransmissionDetails>MessageSenderDetails>FromIntermediator"`
	To               string `xml:"MessageTransmissionDetails>MessageReceiverDetails>ToIdentifier"`
	ToIntermediary   string `xml:"MessageTransmissionDetails>MessageReceiverDetails>ToIntermediator"`
	MessageID        string `xml:"MessageTransmissionDetails>MessageDetails>MessageIdentifier"`
	Timestamp        string `xml:"MessageTransmissionDetails>MessageDetails>MessageTimeStamp"`
	PeriodStart      string `xml:"InvoiceDetails>InvoicingPeriodStartDate"`
	PeriodEnd        string `xml:"InvoiceDetails>InvoicingPeriodEndDate"`
}

// splitFramed cuts a framed Finvoice file into the frame and the Finvoice,
// each an XML document of its own.
func splitFramed(t *testing.T, body []byte) (frame, finvoice []byte) {
	t.Helper()
	i := bytes.Index(body[1:], []byte("<?xml"))
	if !bytes.HasPrefix(body, []byte("<?xml")) || i < 0 {
		t.Fatalf("not a frame followed by a Finvoice:\n%s", body)
	}
	return body[:i+1], body[i+1:]
}

// GET …/finvoice.xml?envelope=true: the Finvoice in its SOAP transmission
// frame, routed from the job center's e-invoice address to the customer's;
// without routing data a 409 says what to fill in; without the parameter
// the bare Finvoice as before.
func TestFinvoiceTransmissionFrame(t *testing.T) {
	w := newBillingWorld(t)
	expSellerDetails(t, w.tn)
	run := w.run(t, false, http.StatusCreated)
	id := run.invoiceOf(t, w.standard)
	path := "/v1/exports/invoices/" + id + "/finvoice.xml"
	r := w.do(t, "finance", "GET", path+"?envelope=true", nil).Expect(t, http.StatusConflict)
	if detail, _ := r.Map(t)["detail"].(string); problemCode(t, r) != "einvoice_routing_missing" ||
		!strings.Contains(detail, "job center's einvoice_address") || !strings.Contains(detail, "job center's einvoice_operator") ||
		strings.Contains(detail, "customer's") {
		t.Fatalf("missing routing: %s", r.Body)
	}
	if p := firstPointer(t, w.do(t, "finance", "GET", path+"?envelope=yes", nil).Expect(t, http.StatusUnprocessableEntity)); p != "/envelope" {
		t.Fatalf("envelope=yes: pointer %s", p)
	}
	patchTenant(t, w.tn, map[string]any{"einvoice_address": "003702012566", "einvoice_operator": "OKOYFIHH"}).Expect(t, http.StatusOK)

	r = w.do(t, "finance", "GET", path+"?envelope=true", nil).Expect(t, http.StatusOK)
	frameXML, finvoiceXML := splitFramed(t, r.Body)
	xmlschema.Validate(t, "Finvoice3.0.xsd", finvoiceXML)
	var frame soapFrame
	if err := xml.Unmarshal(frameXML, &frame); err != nil {
		t.Fatalf("frame: %v\n%s", err, frameXML)
	}
	var fv framedFinvoice
	if err := xml.Unmarshal(finvoiceXML, &fv); err != nil {
		t.Fatalf("finvoice: %v", err)
	}
	h := frame.Header
	wantFrom := []ebParty{{"003702012566", "Sender"}, {"OKOYFIHH", "Intermediator"}}
	wantTo := []ebParty{{"003707375462", "Receiver"}, {"003721291126", "Intermediator"}} // the fixture customer's
	if !slices.Equal(h.From, wantFrom) || !slices.Equal(h.To, wantTo) {
		t.Errorf("frame parties: from %v to %v", h.From, h.To)
	}
	if h.MustUnderstand != "1" || h.Version != "2.0" || h.CPAId != "yoursandmycpa" || h.Service != "Routing" || h.Action != "ProcessInvoice" {
		t.Errorf("frame header: %+v", h)
	}
	if h.MessageID == "" || h.Timestamp == "" || frame.Reference.Href != h.MessageID ||
		!strings.HasSuffix(frame.Reference.Schema.Location, "Finvoice3.0.xsd") {
		t.Errorf("frame message data: id %q timestamp %q reference %+v", h.MessageID, h.Timestamp, frame.Reference)
	}
	// The Finvoice repeats the frame's routing and message data.
	if fv.From != wantFrom[0].PartyID || fv.FromIntermediary != wantFrom[1].PartyID || fv.To != wantTo[0].PartyID ||
		fv.ToIntermediary != wantTo[1].PartyID || fv.MessageID != h.MessageID || fv.Timestamp != h.Timestamp {
		t.Errorf("Finvoice transmission details %+v disagree with the frame %+v", fv, h)
	}
	if fv.PeriodStart != "20261001" || fv.PeriodEnd != "20261031" {
		t.Errorf("invoicing period %s–%s, want the month billed", fv.PeriodStart, fv.PeriodEnd)
	}

	bare := w.do(t, "finance", "GET", path, nil).Expect(t, http.StatusOK).Body
	if bytes.Contains(bare, []byte("Envelope")) || bytes.Count(bare, []byte("<?xml")) != 1 {
		t.Errorf("the bare Finvoice has a frame:\n%s", bare)
	}
	xmlschema.Validate(t, "Finvoice3.0.xsd", bare)

	// The customer without an operator cannot be routed either.
	version := w.do(t, "coord", "GET", "/v1/organizations/"+w.standard, nil).Expect(t, http.StatusOK).Header.Get("ETag")
	w.tn.S.Do(t, Request{Method: http.MethodPatch, Path: "/v1/organizations/" + w.standard, Token: w.tok["coord"],
		Header: map[string]string{"If-Match": version}, Body: map[string]any{"einvoice_address": "", "einvoice_operator": ""}}).Expect(t, http.StatusOK)
	r = w.do(t, "finance", "GET", path+"?envelope=true", nil).Expect(t, http.StatusConflict)
	if detail, _ := r.Map(t)["detail"].(string); !strings.Contains(detail, "customer's einvoice_address") || strings.Contains(detail, "job center's") {
		t.Errorf("missing buyer routing: %s", detail)
	}
}

// vatChangeRate is a standard VAT rate from vatChangeDay on, for testing
// only: no such change has been enacted. VAT rates are national, one table
// for every tenant, so the test removes it when it ends.
const (
	vatChangeDay  = "2031-03-15"
	vatChangeRate = 2600
)

// vatChangeWorld bills March 2031 for one weekly order of one customer,
// with a shift on each side of a VAT rate change on 15 March: Wednesday
// 12 March at the 25.5 % in force and Wednesday 19 March at the new rate.
type vatChangeWorld struct {
	*billingWorld
	order, reference string
	invoice          map[string]any
}

func newVatChangeWorld(t *testing.T) *vatChangeWorld {
	t.Helper()
	s := Start(t)
	ordClock(t, s, "2031-03-01T06:00:00Z")
	day, err := models.ParseDate(vatChangeDay)
	if err != nil {
		t.Fatal(err)
	}
	// The function behind `jobcenter vat-rate add`.
	if err := s.Main.Billing.AddVatRate(context.Background(), billing.VatRate{ValidFrom: day, RateBps: vatChangeRate}); err != nil {
		t.Fatalf("add VAT rate: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Main.DB.Gorm.Exec(`DELETE FROM vat_rates WHERE valid_from = ?`, day).Error; err != nil {
			t.Errorf("remove the test VAT rate: %v", err)
		}
	})
	w := &vatChangeWorld{billingWorld: &billingWorld{tn: NewTenant(t), emails: map[string]string{}, tok: map[string]string{}, assign: map[string]string{}},
		reference: "PO 2031/17 Åbo"}
	tn := w.tn
	w.standard, w.orgA = tn.Customer(t, "standard"), tn.Organiser(t, 1000)
	w.user(t, "coord", "coordinator", "")
	w.user(t, "finance", "finance", "")
	w.user(t, "custStd", "customer", w.standard)
	w.user(t, "supA", "supervisor", w.orgA)
	w.supA = w.do(t, "supA", "GET", "/v1/me", nil).Map(t)["id"].(string)
	w.taskType = w.id(t, w.do(t, "coord", "POST", "/v1/task-types", map[string]any{"name": "Shelving"}))
	w.agreement(t, w.standard, 2500, 4500, 120, 48, 15000, 14, "subcontracting")
	w.p1 = w.participant(t, w.orgA, map[string]any{"kind": "disability_work_activity", "valid_from": "2026-01-01", "compensation": "none"})

	w.order = w.id(t, w.do(t, "custStd", "POST", "/v1/orders", map[string]any{"task_type_id": w.taskType,
		"site_address": "Kalasatama, Helsinki", "crew_size": 1, "customer_reference": w.reference,
		"schedule": weekly([]int{3}, "08:00", "12:00", "2031-03-12", "2031-03-19")}))
	w.do(t, "coord", "POST", "/v1/orders/"+w.order+"/accept", map[string]any{"organiser_id": w.orgA}).Expect(t, http.StatusOK)
	var page struct {
		Items []struct {
			ID   string `json:"id"`
			Date string `json:"date"`
		} `json:"items"`
	}
	w.do(t, "coord", "GET", "/v1/shifts?order_id="+w.order, nil).Expect(t, http.StatusOK).Decode(t, &page)
	if len(page.Items) != 2 || page.Items[0].Date != "2031-03-12" || page.Items[1].Date != "2031-03-19" {
		t.Fatalf("shifts %+v", page.Items)
	}
	for i, sh := range page.Items {
		w.staff(t, sh.ID, map[string]any{"participant_id": w.p1}, map[string]any{"supervisor_id": w.supA})
		participantEnd, supervisorEnd := "11:50", "12:00" // 230 and 240 minutes
		if i == 1 {
			participantEnd, supervisorEnd = "10:55", "11:00" // 175 and 180 minutes
		}
		w.at(t, sh.Date+"T10:00:00Z")
		w.do(t, "supA", "PUT", "/v1/shifts/"+sh.ID+"/time-entries", map[string]any{"entries": []map[string]any{
			worked(w.assign[w.p1], "08:00", participantEnd, 0), worked(w.assign[w.supA], "08:00", supervisorEnd, 0)}}).Expect(t, http.StatusOK)
		w.do(t, "supA", "POST", "/v1/shifts/"+sh.ID+"/submit", nil).Expect(t, http.StatusOK)
		w.do(t, "custStd", "POST", "/v1/shifts/"+sh.ID+"/approve", nil).Expect(t, http.StatusOK)
		delete(w.assign, w.p1)
		delete(w.assign, w.supA)
	}
	w.at(t, "2031-04-01T08:00:00Z")
	expSellerDetails(t, w.tn)
	w.do(t, "finance", "POST", "/v1/billing-runs", map[string]any{"period": "2031-03"}).Expect(t, http.StatusCreated)
	var invoices struct {
		Items []map[string]any `json:"items"`
	}
	w.do(t, "finance", "GET", "/v1/invoices", nil).Expect(t, http.StatusOK).Decode(t, &invoices)
	if len(invoices.Items) != 1 {
		t.Fatalf("%d invoices", len(invoices.Items))
	}
	w.invoice = w.do(t, "finance", "GET", "/v1/invoices/"+invoices.Items[0]["id"].(string), nil).Expect(t, http.StatusOK).Map(t)
	return w
}

// VAT follows the day the work was done: a month billed across a rate
// change has one line per rate and one VAT row per rate, in the API and in
// the Finvoice. By hand (25 €/h participant, 45 €/h supervisor):
//   - 12 March at 25.5 %: 230 min → 95.8333 € → 9583; 240 min → 18000;
//     net 27583, VAT 7033.665 → 7034;
//   - 19 March at 26 %: 175 min → 72.9166 € → 7292; 180 min → 13500;
//     net 20792, VAT 5405.92 → 5406;
//   - net 48375, VAT 12440, gross 60815.
//
// Taxed by the invoice date (1 April) all of it would be one 26 % row.
func TestVatFollowsTheWorkDate(t *testing.T) {
	w := newVatChangeWorld(t)
	inv := w.invoice
	type vatRow struct{ Bps, Net, Vat int64 }
	var rows []vatRow
	for _, r := range inv["vat_breakdown"].([]any) {
		m := r.(map[string]any)
		rows = append(rows, vatRow{int64(m["vat_bps"].(float64)), int64(m["net_cents"].(float64)), int64(m["vat_cents"].(float64))})
	}
	if want := []vatRow{{2550, 27583, 7034}, {2600, 20792, 5406}}; !slices.Equal(rows, want) {
		t.Errorf("vat_breakdown %v, want %v", rows, want)
	}
	if inv["net_cents"].(float64) != 48375 || inv["vat_cents"].(float64) != 12440 || inv["gross_cents"].(float64) != 60815 {
		t.Errorf("totals %v / %v / %v", inv["net_cents"], inv["vat_cents"], inv["gross_cents"])
	}
	var lines []string
	for _, l := range inv["lines"].([]any) {
		m := l.(map[string]any)
		lines = append(lines, fmt.Sprintf("%s %v min = %v @%v", m["kind"], m["minutes"], m["amount_cents"], m["vat_bps"]))
	}
	want := []string{"participant_hours 230 min = 9583 @2550", "participant_hours 175 min = 7292 @2600",
		"supervisor_hours 240 min = 18000 @2550", "supervisor_hours 180 min = 13500 @2600"}
	if !slices.Equal(lines, want) {
		t.Errorf("lines\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}

	body := w.do(t, "finance", "GET", "/v1/exports/invoices/"+inv["id"].(string)+"/finvoice.xml", nil).Expect(t, http.StatusOK).Body
	xmlschema.Validate(t, "Finvoice3.0.xsd", body)
	var fv struct {
		Specs []struct {
			Base    string `xml:"VatBaseAmount"`
			Percent string `xml:"VatRatePercent"`
			Amount  string `xml:"VatRateAmount"`
		} `xml:"InvoiceDetails>VatSpecificationDetails"`
		OrderIdentifier string   `xml:"InvoiceDetails>OrderIdentifier"`
		PeriodStart     string   `xml:"InvoiceDetails>InvoicingPeriodStartDate"`
		PeriodEnd       string   `xml:"InvoiceDetails>InvoicingPeriodEndDate"`
		RowReferences   []string `xml:"InvoiceRow>RowIdentifier"`
	}
	if err := xml.Unmarshal(body, &fv); err != nil {
		t.Fatal(err)
	}
	var specs []string
	for _, s := range fv.Specs {
		specs = append(specs, s.Percent+" % of "+s.Base+" = "+s.Amount)
	}
	if want := []string{"25,5 % of 275,83 = 70,34", "26 % of 207,92 = 54,06"}; !slices.Equal(specs, want) {
		t.Errorf("Finvoice VAT specifications %v, want %v", specs, want)
	}
	if fv.OrderIdentifier != w.reference || len(fv.RowReferences) != 4 || fv.RowReferences[3] != w.reference ||
		fv.PeriodStart != "20310301" || fv.PeriodEnd != "20310331" {
		t.Errorf("Finvoice references and period: %+v", fv)
	}

	// The PDF prints the same two VAT rows, each rate with its base and VAT.
	text := pdfText(t, w.do(t, "finance", "GET", "/v1/invoices/"+inv["id"].(string)+"/invoice.pdf", nil).Expect(t, http.StatusOK).Body)
	for _, row := range [][]string{{"25,5 %", "275,83", "70,34"}, {"26 %", "207,92", "54,06"}} {
		for _, want := range row {
			if !strings.Contains(text, want) {
				t.Errorf("invoice PDF lacks %q of the VAT row %v:\n%s", want, row, text)
			}
		}
	}
}

// pdfText is the text of a PDF as pdftotext (poppler-utils) reads it.
// Without pdftotext the test fails in CI and is skipped elsewhere.
func pdfText(t *testing.T, body []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext not installed (apt-get install -y poppler-utils): the PDF cannot be checked")
		}
		t.Skip("pdftotext not installed (apt-get install -y poppler-utils)")
	}
	cmd := exec.Command(bin, "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(body)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// GET /v1/invoices/{id}/invoice.pdf: the invoice in the customer's
// language with every field the VAT Act (209 a §) asks for, VAT per rate
// across the change (hand-computed in TestVatFollowsTheWorkDate), payment
// details and the bank barcode; the customer gets its own, another
// customer a 404; no participant's name anywhere.
func TestInvoicePDF(t *testing.T) {
	w := newVatChangeWorld(t)
	id := w.invoice["id"].(string)
	number, ref := w.invoice["invoice_number"].(string), w.invoice["reference_number"].(string)
	path := "/v1/invoices/" + id + "/invoice.pdf"
	// 608,15 € to FI21 1234 5600 0007 85 by 15 April 2031 (14 days).
	barcode := "4" + "2112345600000785" + "00060815" + "000" + fmt.Sprintf("%020s", ref) + "310415"
	if len(barcode) != 54 {
		t.Fatalf("test setup: barcode %s", barcode)
	}
	common := []string{"Customer Oy", "0737546-2", "FI07375462", "0201256-6", "FI02012566", number, "1.4.2031", "15.4.2031",
		"1.3.2031–31.3.2031", "FI21 1234 5600 0007 85", "OKOYFIHH", ref, w.reference, "3,83 h", "2,92 h", "4,00 h", "3,00 h",
		"25,00 €", "45,00 €", "95,83 €", "72,92 €", "180,00 €", "135,00 €", "275,83 €", "70,34 €", "207,92 €", "54,06 €",
		"483,75 €", "124,40 €", "608,15 €", "25,5", "26", barcode}
	langs := map[string][]string{
		"fi": {"LASKU", "Myyjä", "Ostaja", "Y-tunnus", "Laskun numero", "Laskutuskausi", "Eräpäivä", "14 päivää netto",
			"Viitenumero", "Työryhmän tunnit", "Työnohjaajan tunnit", "ALV 25,5 %", "ALV 26 %", "Maksettava yhteensä", "Virtuaaliviivakoodi"},
		"sv": {"FAKTURA", "Säljare", "Köpare", "FO-nummer", "Fakturanummer", "Faktureringsperiod", "Förfallodag", "14 dagar netto",
			"Referensnummer", "Arbetsgruppens timmar", "Arbetshandledarens timmar", "Moms 25,5 %", "Moms 26 %", "Att betala totalt", "Virtuell streckkod"},
		"en": {"INVOICE", "Seller", "Buyer", "Business ID", "Invoice number", "Invoicing period", "Due date", "14 days net",
			"Reference number", "Work crew hours", "Supervisor hours", "VAT 25,5 %", "VAT 26 %", "Total to pay", "Virtual bank barcode"},
	}
	for _, lang := range []string{"fi", "sv", "en"} {
		version := w.do(t, "coord", "GET", "/v1/organizations/"+w.standard, nil).Expect(t, http.StatusOK).Header.Get("ETag")
		w.tn.S.Do(t, Request{Method: http.MethodPatch, Path: "/v1/organizations/" + w.standard, Token: w.tok["coord"],
			Header: map[string]string{"If-Match": version}, Body: map[string]any{"language": lang}}).Expect(t, http.StatusOK)
		for _, who := range []string{"finance", "custStd"} {
			r := w.do(t, who, "GET", path, nil).Expect(t, http.StatusOK)
			if ct := r.Header.Get("Content-Type"); ct != "application/pdf" {
				t.Fatalf("%s: content type %s", who, ct)
			}
			text := pdfText(t, r.Body)
			for _, want := range append(langs[lang], common...) {
				if !strings.Contains(text, want) {
					t.Errorf("%s PDF for %s lacks %q", lang, who, want)
				}
			}
			for _, name := range []string{"Aino", "Virtanen"} { // the participant
				if strings.Contains(text, name) {
					t.Errorf("%s PDF names the participant: %s", lang, name)
				}
			}
		}
	}
	// Another customer of the tenant cannot tell the invoice exists.
	other := w.tn.Customer(t, "standard")
	w.user(t, "other", "customer", other)
	w.do(t, "other", "GET", path, nil).Expect(t, http.StatusNotFound)
	w.do(t, "supA", "GET", path, nil).Expect(t, http.StatusForbidden)

	// A credit note says so, names the invoice it credits and asks no payment.
	note := w.do(t, "finance", "POST", "/v1/invoices/"+id+"/credit-note", map[string]any{}).Expect(t, http.StatusCreated).Map(t)
	text := pdfText(t, w.do(t, "custStd", "GET", "/v1/invoices/"+note["id"].(string)+"/invoice.pdf", nil).Expect(t, http.StatusOK).Body)
	for _, want := range []string{"CREDIT NOTE", "Credited invoice", number + " (1.4.2031)", "-608,15 €", "Credit note: nothing to pay."} {
		if !strings.Contains(text, want) {
			t.Errorf("credit note PDF lacks %q:\n%s", want, text)
		}
	}
}
