package export

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"jobcenter/internal/xmlschema"
	"jobcenter/models"
)

var (
	testSeller = Party{
		Name: "Kaupungin Työkeskus", BusinessID: "1234567-1",
		Street: "Työkatu 1", PostalCode: "00100", City: "Helsinki", CountryCode: "FI",
		EinvoiceAddress: "003712345671", EinvoiceOperator: "003723327487",
		IBAN: "FI21 1234 5600 0007 85", BIC: "OKOYFIHH",
	}
	testBuyer = Party{
		Name: "Asiakas & <Søn> Oy", BusinessID: "7654321-2",
		Street: "Ostajantie 5 B", PostalCode: "33100", City: "Tampere",
		EinvoiceAddress: "003776543212", EinvoiceOperator: "NDEAFIHH",
	}
)

// invoiceFrom derives the breakdown and totals the way billing does (VAT per
// group on the group's net, half-up), so each test only lists rows.
func invoiceFrom(treatment string, rows ...InvoiceRow) Invoice {
	inv := Invoice{
		Number:       "2026-000123",
		Date:         time.Date(2026, 11, 1, 0, 0, 0, 0, helsinki),
		DueDate:      time.Date(2026, 11, 15, 0, 0, 0, 0, helsinki),
		Seller:       testSeller,
		Buyer:        testBuyer,
		Reference:    "1234561",
		Rows:         rows,
		VatTreatment: treatment,
		Currency:     "EUR",
	}
	idx := map[int64]int{}
	for _, r := range rows {
		i, ok := idx[r.VatBps]
		if !ok {
			i = len(inv.VatBreakdown)
			idx[r.VatBps] = i
			inv.VatBreakdown = append(inv.VatBreakdown, VatGroup{VatBps: r.VatBps})
		}
		inv.VatBreakdown[i].Net += r.Amount
		inv.Net += r.Amount
	}
	for i := range inv.VatBreakdown {
		g := &inv.VatBreakdown[i]
		g.Vat = models.ApplyBps(g.Net, g.VatBps)
		inv.Vat += g.Vat
	}
	inv.Gross = inv.Net + inv.Vat
	return inv
}

func hoursRow(desc string, minutes int64, price models.Cents, bps int64) InvoiceRow {
	return InvoiceRow{Description: desc, Minutes: minutes, UnitPrice: price,
		Amount: models.MinutesAmount(minutes, price), VatBps: bps}
}

// Test-side view of a Finvoice document.
type finvoiceDoc struct {
	Version string `xml:"Version,attr"`
	To      string `xml:"MessageTransmissionDetails>MessageReceiverDetails>ToIdentifier"`
	Seller  struct {
		ID      string `xml:"SellerPartyIdentifier"`
		Name    string `xml:"SellerOrganisationName"`
		TaxCode string `xml:"SellerOrganisationTaxCode"`
	} `xml:"SellerPartyDetails"`
	SellerRecipient struct {
		Address  string `xml:"InvoiceRecipientAddress"`
		Operator string `xml:"InvoiceRecipientIntermediatorAddress"`
	} `xml:"SellerInformationDetails>InvoiceRecipientDetails"`
	Buyer struct {
		ID      string `xml:"BuyerPartyIdentifier"`
		Name    string `xml:"BuyerOrganisationName"`
		TaxCode string `xml:"BuyerOrganisationTaxCode"`
	} `xml:"BuyerPartyDetails"`
	Details struct {
		TypeCode    string `xml:"InvoiceTypeCode"`
		Number      string `xml:"InvoiceNumber"`
		Original    string `xml:"OriginalInvoiceNumber"`
		Net         string `xml:"InvoiceTotalVatExcludedAmount"`
		Vat         string `xml:"InvoiceTotalVatAmount"`
		Gross       string `xml:"InvoiceTotalVatIncludedAmount"`
		VatFreeText string `xml:"InvoiceVatFreeText"`
		Specs       []struct {
			Base     string   `xml:"VatBaseAmount"`
			Percent  string   `xml:"VatRatePercent"`
			Code     string   `xml:"VatCode"`
			Amount   string   `xml:"VatRateAmount"`
			FreeText []string `xml:"VatFreeText"`
		} `xml:"VatSpecificationDetails"`
		DueDate string `xml:"PaymentTermsDetails>InvoiceDueDate"`
	} `xml:"InvoiceDetails"`
	Rows []struct {
		Name     string `xml:"ArticleName"`
		Quantity struct {
			Unit  string `xml:"QuantityUnitCode,attr"`
			Value string `xml:",chardata"`
		} `xml:"DeliveredQuantity"`
		Net string `xml:"RowVatExcludedAmount"`
	} `xml:"InvoiceRow"`
	Epi struct {
		Ref struct {
			Scheme string `xml:"IdentificationSchemeName,attr"`
			Value  string `xml:",chardata"`
		} `xml:"EpiPaymentInstructionDetails>EpiRemittanceInfoIdentifier"`
		Account string `xml:"EpiPartyDetails>EpiBeneficiaryPartyDetails>EpiAccountID"`
		BIC     string `xml:"EpiPartyDetails>EpiBfiPartyDetails>EpiBfiIdentifier"`
		Amount  string `xml:"EpiPaymentInstructionDetails>EpiInstructedAmount"`
		DueDate string `xml:"EpiPaymentInstructionDetails>EpiDateOptionDate"`
	} `xml:"EpiDetails"`
}

// writeAndCheck writes inv, validates it against the XSD and checks that the
// totals in the file equal the inputs.
func writeAndCheck(t *testing.T, inv Invoice) finvoiceDoc {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteFinvoice(&buf, inv); err != nil {
		t.Fatal(err)
	}
	xmlschema.Validate(t, "Finvoice3.0.xsd", buf.Bytes())
	var doc finvoiceDoc
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	eur := func(c models.Cents) string { return FormatEuros(c, ',') }
	d := doc.Details
	if doc.Version != "3.0" || d.Number != inv.Number {
		t.Errorf("version %q number %q", doc.Version, d.Number)
	}
	if d.Net != eur(inv.Net) || d.Vat != eur(inv.Vat) || d.Gross != eur(inv.Gross) || doc.Epi.Amount != eur(inv.Gross) {
		t.Errorf("totals %s/%s/%s epi %s, want %s/%s/%s", d.Net, d.Vat, d.Gross, doc.Epi.Amount,
			eur(inv.Net), eur(inv.Vat), eur(inv.Gross))
	}
	if len(d.Specs) != len(inv.VatBreakdown) {
		t.Fatalf("%d VAT specs, want %d", len(d.Specs), len(inv.VatBreakdown))
	}
	for i, g := range inv.VatBreakdown {
		if d.Specs[i].Base != eur(g.Net) || d.Specs[i].Amount != eur(g.Vat) {
			t.Errorf("VAT spec %d = %+v, want %+v", i, d.Specs[i], g)
		}
	}
	if len(doc.Rows) != len(inv.Rows) {
		t.Fatalf("%d rows, want %d", len(doc.Rows), len(inv.Rows))
	}
	for i, r := range inv.Rows {
		if doc.Rows[i].Net != eur(r.Amount) || doc.Rows[i].Name != r.Description {
			t.Errorf("row %d = %+v", i, doc.Rows[i])
		}
	}
	if doc.Epi.Ref.Value != "1234561" || doc.Epi.Ref.Scheme != "SPY" || doc.Epi.Account != "FI2112345600000785" ||
		doc.Epi.BIC != "OKOYFIHH" || doc.Epi.DueDate != "20261115" || d.DueDate != "20261115" {
		t.Errorf("EPI = %+v due %s", doc.Epi, d.DueDate)
	}
	return doc
}

func TestFinvoiceStandardTwoRates(t *testing.T) {
	inv := invoiceFrom(models.VatStandard,
		hoursRow("Osallistujatunnit, tilaus 17", 440, 3500, 2550),
		hoursRow("Ohjaajatunnit, tilaus 17", 120, 4500, 2550),
		InvoiceRow{Description: "Myöhäinen peruutus", Quantity: 1, Unit: "kpl", UnitPrice: 5000, Amount: 5000, VatBps: 1400},
	)
	doc := writeAndCheck(t, inv)
	if doc.Details.TypeCode != "INV01" || doc.Details.Original != "" {
		t.Errorf("type %q original %q", doc.Details.TypeCode, doc.Details.Original)
	}
	specs := doc.Details.Specs
	if specs[0].Percent != "25,5" || specs[0].Code != "S" || specs[1].Percent != "14" || specs[1].Code != "S" {
		t.Errorf("VAT specs %+v", specs)
	}
	if q := doc.Rows[0].Quantity; q.Value != "7,33" || q.Unit != "h" {
		t.Errorf("hours quantity %+v", q)
	}
	if q := doc.Rows[2].Quantity; q.Value != "1" || q.Unit != "kpl" {
		t.Errorf("count quantity %+v", q)
	}
	if doc.Buyer.Name != "Asiakas & <Søn> Oy" || doc.Buyer.TaxCode != "FI76543212" || doc.Buyer.ID != "7654321-2" {
		t.Errorf("buyer %+v", doc.Buyer)
	}
	if doc.Seller.TaxCode != "FI12345671" || doc.To != "003776543212" {
		t.Errorf("seller %+v to %q", doc.Seller, doc.To)
	}
}

func TestFinvoiceInternalCharge(t *testing.T) {
	inv := invoiceFrom(models.VatInternal, hoursRow("Osallistujatunnit", 600, 3000, 0))
	inv.Buyer.EinvoiceAddress, inv.Buyer.EinvoiceOperator = "", "" // no transmission frame
	inv.Seller.EinvoiceOperator = "OKOYFIHH"                       // fits InvoiceRecipientDetails (8–11)
	doc := writeAndCheck(t, inv)
	if doc.To != "" || doc.SellerRecipient.Address != "003712345671" || doc.SellerRecipient.Operator != "OKOYFIHH" {
		t.Errorf("routing: to %q, seller recipient details %+v", doc.To, doc.SellerRecipient)
	}
	s := doc.Details.Specs[0]
	if inv.Vat != 0 || s.Percent != "0" || s.Code != "O" || len(s.FreeText) == 0 ||
		!strings.Contains(doc.Details.VatFreeText, "Sisäinen veloitus") {
		t.Errorf("internal charge spec %+v, free text %q", s, doc.Details.VatFreeText)
	}
}

func TestFinvoiceExempt(t *testing.T) {
	inv := invoiceFrom(models.VatExempt, hoursRow("Kuntouttava työtoiminta", 480, 2500, 0))
	inv.VatExemptReason = "AVL 37 §: sosiaalihuoltona annettu palvelu on arvonlisäverotonta; " +
		"veroton myynti koskee koko laskua ja kaikkia sen rivejä"
	doc := writeAndCheck(t, inv)
	s := doc.Details.Specs[0]
	if s.Code != "E" || s.Percent != "0" || len(s.FreeText) != 2 || !strings.HasPrefix(s.FreeText[0], "AVL 37 §") {
		t.Errorf("exempt spec %+v", s)
	}
	inv.VatExemptReason = ""
	if err := WriteFinvoice(&bytes.Buffer{}, inv); err == nil {
		t.Error("exempt invoice without a reason accepted")
	}
}

func TestFinvoiceCreditNote(t *testing.T) {
	inv := invoiceFrom(models.VatStandard, hoursRow("Hyvitys: osallistujatunnit", -440, 3500, 2550))
	inv.Number = "2026-000130"
	inv.CreditsNumber = "2026-000123"
	if inv.Gross >= 0 {
		t.Fatalf("test setup: credit note gross %d", inv.Gross)
	}
	doc := writeAndCheck(t, inv)
	if doc.Details.TypeCode != "INV02" || doc.Details.Original != "2026-000123" {
		t.Errorf("type %q original %q", doc.Details.TypeCode, doc.Details.Original)
	}
	if !strings.HasPrefix(doc.Details.Gross, "-") || doc.Rows[0].Quantity.Value != "-7,33" {
		t.Errorf("gross %q quantity %q", doc.Details.Gross, doc.Rows[0].Quantity.Value)
	}
}

func TestFinvoiceRejectsInconsistentInput(t *testing.T) {
	base := func() Invoice {
		return invoiceFrom(models.VatStandard, hoursRow("Tunnit", 60, 3000, 2550), hoursRow("Tunnit", 60, 3000, 1400))
	}
	cases := map[string]func(*Invoice){
		"gross ≠ net + vat":     func(i *Invoice) { i.Gross++ },
		"rows ≠ net":            func(i *Invoice) { i.Rows[0].Amount++ },
		"group VAT not half-up": func(i *Invoice) { i.VatBreakdown[0].Vat++; i.Vat++; i.Gross++ },
		"row rate missing":      func(i *Invoice) { i.Rows[1].VatBps = 1000 },
		"bad reference":         func(i *Invoice) { i.Reference = "1234562" },
		"unknown treatment":     func(i *Invoice) { i.VatTreatment = "reverse" },
		"internal with VAT":     func(i *Invoice) { i.VatTreatment = models.VatInternal },
		"credit note positive":  func(i *Invoice) { i.CreditsNumber = "2026-000001" },
		"currency":              func(i *Invoice) { i.Currency = "SEK" },
		"number too long":       func(i *Invoice) { i.Number = strings.Repeat("9", 21) },
		"seller IBAN missing":   func(i *Invoice) { i.Seller.IBAN = "" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			inv := base()
			mutate(&inv)
			var buf bytes.Buffer
			if err := WriteFinvoice(&buf, inv); err == nil {
				t.Fatal("want an error")
			}
			if buf.Len() != 0 {
				t.Error("output written despite the error")
			}
		})
	}
}

func TestFinvoiceRFReference(t *testing.T) {
	inv := invoiceFrom(models.VatStandard, hoursRow("Tunnit", 60, 3000, 2550))
	inv.Reference = "RF34 1234 561"
	var buf bytes.Buffer
	if err := WriteFinvoice(&buf, inv); err != nil {
		t.Fatal(err)
	}
	xmlschema.Validate(t, "Finvoice3.0.xsd", buf.Bytes())
	if !bytes.Contains(buf.Bytes(), []byte(`IdentificationSchemeName="ISO">RF341234561<`)) {
		t.Errorf("RF reference not written:\n%s", buf.Bytes())
	}
}

func TestFormatPercent(t *testing.T) {
	for bps, want := range map[int64]string{2550: "25,5", 1400: "14", 0: "0", 1234: "12,34", 1005: "10,05"} {
		if got, err := formatPercent(bps); err != nil || got != want {
			t.Errorf("formatPercent(%d) = %q, %v; want %q", bps, got, err, want)
		}
	}
}

// An internal charge carries no VAT number of either party; the invoicing
// period, the original's date on a credit note and the buyer's order
// reference on the invoice and each row are where the schema puts them.
func TestFinvoiceInternalPeriodAndReferences(t *testing.T) {
	row := hoursRow("Osallistujatunnit", -600, 3000, 0)
	row.OrderReference = "PO-4711/Åbo"
	inv := invoiceFrom(models.VatInternal, row, row)
	inv.CreditsNumber, inv.CreditsDate = "2026-000100", time.Date(2026, 11, 1, 0, 0, 0, 0, helsinki)
	inv.PeriodStart, inv.PeriodEnd = time.Date(2026, 10, 1, 0, 0, 0, 0, helsinki), time.Date(2026, 10, 31, 0, 0, 0, 0, helsinki)
	var buf bytes.Buffer
	if err := WriteFinvoice(&buf, inv); err != nil {
		t.Fatal(err)
	}
	xmlschema.Validate(t, "Finvoice3.0.xsd", buf.Bytes())
	out := buf.String()
	for _, want := range []string{
		`<OriginalInvoiceNumber>2026-000100</OriginalInvoiceNumber>`,
		`<OriginalInvoiceDate Format="CCYYMMDD">20261101</OriginalInvoiceDate>`,
		`<InvoicingPeriodStartDate Format="CCYYMMDD">20261001</InvoicingPeriodStartDate>`,
		`<InvoicingPeriodEndDate Format="CCYYMMDD">20261031</InvoicingPeriodEndDate>`,
		`<OrderIdentifier>PO-4711/Åbo</OrderIdentifier>`,
		`<BuyerReferenceIdentifier>PO-4711/Åbo</BuyerReferenceIdentifier>`,
		`<InvoiceVatFreeText>` + InternalChargeText + `</InvoiceVatFreeText>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s", want)
		}
	}
	if n := strings.Count(out, "<RowIdentifier>PO-4711/Åbo</RowIdentifier>"); n != 2 {
		t.Errorf("%d rows carry the order reference, want 2", n)
	}
	if strings.Contains(out, "TaxCode") {
		t.Errorf("an internal charge carries a VAT number:\n%s", out)
	}
	// A standard invoice keeps both VAT numbers.
	std := invoiceFrom(models.VatStandard, hoursRow("Osallistujatunnit", 600, 3000, 2550))
	buf.Reset()
	if err := WriteFinvoice(&buf, std); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "TaxCode>FI"); n != 2 {
		t.Errorf("standard invoice: %d VAT numbers, want the seller's and the buyer's", n)
	}
}
