package export

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"jobcenter/models"
)

// Party is a seller (the tenant) or a buyer (the customer).
type Party struct {
	Name        string
	BusinessID  string // Y-tunnus "1234567-8"; the FI VAT number is derived from it
	Street      string
	PostalCode  string
	City        string
	CountryCode string // ISO 3166 alpha-2; empty means FI

	EinvoiceAddress  string // OVT / e-invoice address, e.g. "003712345678"
	EinvoiceOperator string // operator (intermediator) id, e.g. "003723327487" or a BIC

	IBAN string // seller: the account the invoice is paid to (required)
	BIC  string // seller: optional
}

// InvoiceRow is one line. The quantity is either time or a count:
//   - time-based (Unit == ""): Minutes, shown as hours with 2 decimals, unit "h",
//     UnitPrice is per hour;
//   - count-based (Unit != ""): Quantity in Unit (e.g. 1 "kpl" for a
//     cancellation fee), UnitPrice is per unit; Minutes is ignored.
//
// Amount is authoritative (net, already rounded by billing); quantity × price
// is informational and may differ from it by rounding.
type InvoiceRow struct {
	Description string
	Minutes     int64
	Quantity    int64
	Unit        string
	UnitPrice   models.Cents
	Amount      models.Cents // net
	VatBps      int64        // 2550 = 25.5 %
	// OrderReference is the buyer's own reference of the row's order (its
	// purchase order or cost centre), at most 35 characters; optional.
	OrderReference string
}

// VatGroup is one EN 16931 VAT breakdown line: VAT computed on the group's
// net sum, rounded half-up.
type VatGroup struct {
	VatBps   int64
	Net, Vat models.Cents
}

// Invoice is an invoice or, with CreditsNumber set, a credit note. A credit
// note carries negative amounts (rows, breakdown and totals) exactly as the
// billing run stored them; the writer does not flip signs.
type Invoice struct {
	Number string    // "2026-000123", max 20 characters
	Date   time.Time // invoice date: calendar date only
	// PeriodStart and PeriodEnd are the invoicing period (the month billed);
	// optional, both or neither.
	PeriodStart, PeriodEnd time.Time
	DueDate                time.Time
	SentAt                 time.Time // optional message timestamp; zero → Date at 00:00
	Seller                 Party
	Buyer                  Party
	Reference              string // Finnish reference with check digit ("1234561") or RF form

	Rows         []InvoiceRow
	VatBreakdown []VatGroup
	Net, Vat     models.Cents
	Gross        models.Cents

	VatTreatment    string    // models.VatStandard | models.VatInternal | models.VatExempt
	VatExemptReason string    // required for models.VatExempt
	CreditsNumber   string    // credit note: number of the invoice it credits
	CreditsDate     time.Time // credit note: date of the invoice it credits
	Currency        string    // "EUR" or empty (= EUR); nothing else is supported
}

// InternalChargeText marks an internal charge between units of the same city.
// It fits InvoiceVatFreeText (70 characters) whole.
const InternalChargeText = "Sisäinen veloitus, ei arvonlisäverollista myyntiä (internal charge)"

// --- XML shapes (Finvoice 3.0, no namespace). Order follows the XSD. ---

type fvAmount struct {
	Currency string `xml:"AmountCurrencyIdentifier,attr"`
	Value    string `xml:",chardata"`
}

type fvDate struct {
	Format string `xml:"Format,attr"`
	Value  string `xml:",chardata"`
}

type fvIDAttr struct {
	SchemeID string `xml:"SchemeID,attr,omitempty"`
	Value    string `xml:",chardata"`
}

type fvSchemeValue struct {
	Scheme string `xml:"IdentificationSchemeName,attr,omitempty"`
	Value  string `xml:",chardata"`
}

type fvQuantity struct {
	Unit   string `xml:"QuantityUnitCode,attr,omitempty"`
	UnitUN string `xml:"QuantityUnitCodeUN,attr,omitempty"`
	Value  string `xml:",chardata"`
}

type fvMessageTransmission struct {
	FromIdentifier    string `xml:"MessageSenderDetails>FromIdentifier"`
	FromIntermediator string `xml:"MessageSenderDetails>FromIntermediator"`
	ToIdentifier      string `xml:"MessageReceiverDetails>ToIdentifier"`
	ToIntermediator   string `xml:"MessageReceiverDetails>ToIntermediator"`
	MessageIdentifier string `xml:"MessageDetails>MessageIdentifier"`
	MessageTimeStamp  string `xml:"MessageDetails>MessageTimeStamp"`
}

type fvSellerParty struct {
	Identifier *fvIDAttr        `xml:"SellerPartyIdentifier,omitempty"`
	Name       string           `xml:"SellerOrganisationName"`
	TaxCode    string           `xml:"SellerOrganisationTaxCode,omitempty"`
	Address    *fvSellerAddress `xml:"SellerPostalAddressDetails,omitempty"`
}

type fvSellerAddress struct {
	Street      string `xml:"SellerStreetName"`
	Town        string `xml:"SellerTownName"`
	PostCode    string `xml:"SellerPostCodeIdentifier"`
	CountryCode string `xml:"CountryCode,omitempty"`
}

type fvSellerInfo struct {
	HomeTown         string                 `xml:"SellerHomeTownName,omitempty"`
	Accounts         []fvSellerAccount      `xml:"SellerAccountDetails"`
	RecipientDetails []fvInvoiceRecipDetail `xml:"InvoiceRecipientDetails"`
}

type fvSellerAccount struct {
	AccountID fvSchemeValue `xml:"SellerAccountID"`
	BIC       fvSchemeValue `xml:"SellerBic"`
}

type fvInvoiceRecipDetail struct {
	Address      string `xml:"InvoiceRecipientAddress"`
	Intermediary string `xml:"InvoiceRecipientIntermediatorAddress"`
}

type fvBuyerParty struct {
	Identifier *fvIDAttr       `xml:"BuyerPartyIdentifier,omitempty"`
	Name       string          `xml:"BuyerOrganisationName"`
	TaxCode    string          `xml:"BuyerOrganisationTaxCode,omitempty"`
	Address    *fvBuyerAddress `xml:"BuyerPostalAddressDetails,omitempty"`
}

type fvBuyerAddress struct {
	Street      string `xml:"BuyerStreetName"`
	Town        string `xml:"BuyerTownName"`
	PostCode    string `xml:"BuyerPostCodeIdentifier"`
	CountryCode string `xml:"CountryCode,omitempty"`
}

type fvInvoiceDetails struct {
	TypeCode              string         `xml:"InvoiceTypeCode"`
	TypeCodeUN            string         `xml:"InvoiceTypeCodeUN"`
	TypeText              string         `xml:"InvoiceTypeText"`
	OriginCode            string         `xml:"OriginCode"`
	Number                string         `xml:"InvoiceNumber"`
	Date                  fvDate         `xml:"InvoiceDate"`
	OriginalInvoiceNumber string         `xml:"OriginalInvoiceNumber,omitempty"`
	OriginalInvoiceDate   *fvDate        `xml:"OriginalInvoiceDate,omitempty"`
	PeriodStart           *fvDate        `xml:"InvoicingPeriodStartDate,omitempty"`
	PeriodEnd             *fvDate        `xml:"InvoicingPeriodEndDate,omitempty"`
	OrderIdentifier       string         `xml:"OrderIdentifier,omitempty"`
	BuyerReference        string         `xml:"BuyerReferenceIdentifier,omitempty"`
	RowsTotalVatExcluded  fvAmount       `xml:"RowsTotalVatExcludedAmount"`
	TotalVatExcluded      fvAmount       `xml:"InvoiceTotalVatExcludedAmount"`
	TotalVat              fvAmount       `xml:"InvoiceTotalVatAmount"`
	TotalVatIncluded      fvAmount       `xml:"InvoiceTotalVatIncludedAmount"`
	VatSpecifications     []fvVatSpec    `xml:"VatSpecificationDetails"`
	VatFreeText           string         `xml:"InvoiceVatFreeText,omitempty"`
	PaymentTerms          fvPaymentTerms `xml:"PaymentTermsDetails"`
}

type fvVatSpec struct {
	Base     fvAmount `xml:"VatBaseAmount"`
	Percent  string   `xml:"VatRatePercent"`
	Code     string   `xml:"VatCode"`
	Amount   fvAmount `xml:"VatRateAmount"`
	FreeText []string `xml:"VatFreeText"`
}

type fvPaymentTerms struct {
	FreeText string `xml:"PaymentTermsFreeText,omitempty"`
	DueDate  fvDate `xml:"InvoiceDueDate"`
}

type fvRow struct {
	ArticleName       string     `xml:"ArticleName"`
	DeliveredQuantity fvQuantity `xml:"DeliveredQuantity"`
	InvoicedQuantity  fvQuantity `xml:"InvoicedQuantity"`
	UnitPrice         fvAmount   `xml:"UnitPriceAmount"`
	RowIdentifier     string     `xml:"RowIdentifier,omitempty"`
	RowBuyerReference string     `xml:"RowBuyerReferenceIdentifier,omitempty"`
	VatRatePercent    string     `xml:"RowVatRatePercent"`
	VatCode           string     `xml:"RowVatCode"`
	VatAmount         fvAmount   `xml:"RowVatAmount"`
	VatExcludedAmount fvAmount   `xml:"RowVatExcludedAmount"`
	Amount            fvAmount   `xml:"RowAmount"`
}

type fvEpi struct {
	Date      fvDate `xml:"EpiIdentificationDetails>EpiDate"`
	Reference string `xml:"EpiIdentificationDetails>EpiReference"`

	BfiIdentifier *fvSchemeValue `xml:"EpiPartyDetails>EpiBfiPartyDetails>EpiBfiIdentifier,omitempty"`
	// EpiBfiPartyDetails is mandatory even when empty.
	BfiName     string        `xml:"EpiPartyDetails>EpiBfiPartyDetails>EpiBfiName,omitempty"`
	Beneficiary string        `xml:"EpiPartyDetails>EpiBeneficiaryPartyDetails>EpiNameAddressDetails"`
	Bei         string        `xml:"EpiPartyDetails>EpiBeneficiaryPartyDetails>EpiBei,omitempty"`
	AccountID   fvSchemeValue `xml:"EpiPartyDetails>EpiBeneficiaryPartyDetails>EpiAccountID"`

	RemittanceInfo fvSchemeValue `xml:"EpiPaymentInstructionDetails>EpiRemittanceInfoIdentifier"`
	Amount         fvAmount      `xml:"EpiPaymentInstructionDetails>EpiInstructedAmount"`
	Charge         fvCharge      `xml:"EpiPaymentInstructionDetails>EpiCharge"`
	DueDate        fvDate        `xml:"EpiPaymentInstructionDetails>EpiDateOptionDate"`
	MeansCode      string        `xml:"EpiPaymentInstructionDetails>EpiPaymentMeansCode"`
}

type fvCharge struct {
	Option string `xml:"ChargeOption,attr"`
	Value  string `xml:",chardata"`
}

type fvDoc struct {
	XMLName                      xml.Name               `xml:"Finvoice"`
	Version                      string                 `xml:"Version,attr"`
	MessageTransmission          *fvMessageTransmission `xml:"MessageTransmissionDetails,omitempty"`
	SellerPartyDetails           fvSellerParty          `xml:"SellerPartyDetails"`
	SellerOrganisationUnitNumber string                 `xml:"SellerOrganisationUnitNumber,omitempty"`
	SellerInformationDetails     *fvSellerInfo          `xml:"SellerInformationDetails,omitempty"`
	BuyerPartyDetails            fvBuyerParty           `xml:"BuyerPartyDetails"`
	BuyerOrganisationUnitNumber  string                 `xml:"BuyerOrganisationUnitNumber,omitempty"`
	InvoiceDetails               fvInvoiceDetails       `xml:"InvoiceDetails"`
	Rows                         []fvRow                `xml:"InvoiceRow"`
	Epi                          fvEpi                  `xml:"EpiDetails"`
}

var (
	businessIDRe = regexp.MustCompile(`^[0-9]{7}-[0-9]$`)
	nmtokenRe    = regexp.MustCompile(`^[A-Za-z0-9._:-]+$`) // \c* of the XSD, ASCII subset
)

// WriteFinvoice writes one Finvoice 3.0 invoice or credit note to w. It checks
// the totals first (rows = net, breakdown = net/VAT, net + VAT = gross, VAT of
// each group = half-up(net × rate)) and writes nothing when they disagree.
func WriteFinvoice(w io.Writer, inv Invoice) error {
	doc, err := buildFinvoice(inv)
	if err != nil {
		return fmt.Errorf("finvoice %s: %w", inv.Number, err)
	}
	return encodeFinvoice(w, doc, inv.Number)
}

// encodeFinvoice writes doc as an XML document of its own.
func encodeFinvoice(w io.Writer, doc *fvDoc, number string) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("finvoice %s: %w", number, err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func buildFinvoice(inv Invoice) (*fvDoc, error) {
	if err := checkID("invoice number", inv.Number, 20); err != nil {
		return nil, err
	}
	if inv.Date.IsZero() || inv.DueDate.IsZero() {
		return nil, errors.New("invoice date and due date are required")
	}
	if c := strings.TrimSpace(inv.Currency); c != "" && c != "EUR" {
		return nil, fmt.Errorf("currency %q is not supported, only EUR", c)
	}
	credit := inv.CreditsNumber != ""
	if credit {
		if err := checkID("CreditsNumber", inv.CreditsNumber, 20); err != nil {
			return nil, err
		}
	}
	if err := checkTotals(inv, credit); err != nil {
		return nil, err
	}
	ref, refScheme, err := normReference(inv.Reference)
	if err != nil {
		return nil, err
	}

	// VAT category (UNTDID 5305) and free text per treatment.
	var vatText string
	switch inv.VatTreatment {
	case models.VatStandard:
	case models.VatInternal:
		vatText = InternalChargeText
	case models.VatExempt:
		vatText = strings.TrimSpace(inv.VatExemptReason)
		if vatText == "" {
			return nil, errors.New("an exempt invoice needs VatExemptReason (EN 16931 BR-E-10)")
		}
	default:
		return nil, fmt.Errorf("unknown VAT treatment %q", inv.VatTreatment)
	}
	vatCode := func(bps int64) string {
		switch inv.VatTreatment {
		case models.VatInternal:
			return "O" // not subject to VAT
		case models.VatExempt:
			return "E"
		}
		if bps == 0 {
			return "Z"
		}
		return "S"
	}

	seller, buyer := inv.Seller, inv.Buyer
	// An internal charge is no sale under the VAT Act: neither party's VAT
	// number belongs on it (Finvoice VAT category O).
	taxCode := vatNumber
	if inv.VatTreatment == models.VatInternal {
		taxCode = func(Party) string { return "" }
	}
	sellerName := truncRunes(seller.Name, 70)
	buyerName := truncRunes(buyer.Name, 70)
	if len([]rune(sellerName)) < 2 || len([]rune(buyerName)) < 2 {
		return nil, errors.New("seller and buyer names need at least 2 characters")
	}
	sellerIBAN, err := normIBAN(seller.IBAN)
	if err != nil {
		return nil, fmt.Errorf("seller: %w", err)
	}
	var sellerBIC string
	if strings.TrimSpace(seller.BIC) != "" {
		if sellerBIC, err = normBIC(seller.BIC); err != nil {
			return nil, fmt.Errorf("seller: %w", err)
		}
	}

	eur := func(c models.Cents) fvAmount { return fvAmount{Currency: "EUR", Value: FormatEuros(c, ',')} }
	date := func(t time.Time) fvDate { return fvDate{Format: "CCYYMMDD", Value: t.Format("20060102")} }

	doc := &fvDoc{Version: "3.0"}

	// Routing: both ends' e-invoice addresses go in the transmission frame.
	if seller.EinvoiceAddress != "" && seller.EinvoiceOperator != "" &&
		buyer.EinvoiceAddress != "" && buyer.EinvoiceOperator != "" {
		doc.MessageTransmission = &fvMessageTransmission{
			FromIdentifier:    truncRunes(seller.EinvoiceAddress, 35),
			FromIntermediator: truncRunes(seller.EinvoiceOperator, 35),
			ToIdentifier:      truncRunes(buyer.EinvoiceAddress, 35),
			ToIntermediator:   truncRunes(buyer.EinvoiceOperator, 35),
			MessageIdentifier: inv.Number,
			MessageTimeStamp:  messageTimestamp(inv),
		}
	}

	doc.SellerPartyDetails = fvSellerParty{
		Identifier: partyID(seller.BusinessID),
		Name:       sellerName,
		TaxCode:    taxCode(seller),
		Address: func() *fvSellerAddress {
			if a, ok := address(seller); ok {
				return &fvSellerAddress{a[0], a[1], a[2], a[3]}
			}
			return nil
		}(),
	}
	doc.SellerOrganisationUnitNumber = truncRunes(seller.EinvoiceAddress, 35)
	info := &fvSellerInfo{HomeTown: truncRunes(seller.City, 35)}
	if sellerBIC != "" {
		info.Accounts = []fvSellerAccount{{
			AccountID: fvSchemeValue{Scheme: "IBAN", Value: sellerIBAN},
			BIC:       fvSchemeValue{Scheme: "BIC", Value: sellerBIC},
		}}
	}
	// InvoiceRecipientDetails here is the SELLER's own receiving e-invoice
	// address (where the buyer can send e-invoices back); the schema limits the
	// intermediator to an 8–11 character token, so longer operator ids only go
	// into the transmission frame.
	if op := strings.TrimSpace(seller.EinvoiceOperator); seller.EinvoiceAddress != "" &&
		len(op) >= 8 && len(op) <= 11 && nmtokenRe.MatchString(op) {
		info.RecipientDetails = []fvInvoiceRecipDetail{{
			Address:      truncRunes(seller.EinvoiceAddress, 35),
			Intermediary: op,
		}}
	}
	doc.SellerInformationDetails = info

	doc.BuyerPartyDetails = fvBuyerParty{
		Identifier: partyID(buyer.BusinessID),
		Name:       buyerName,
		TaxCode:    taxCode(buyer),
		Address: func() *fvBuyerAddress {
			if a, ok := address(buyer); ok {
				return &fvBuyerAddress{a[0], a[1], a[2], a[3]}
			}
			return nil
		}(),
	}
	// Finvoice practice: the buyer's e-invoice address (OVT) as unit number.
	doc.BuyerOrganisationUnitNumber = truncRunes(buyer.EinvoiceAddress, 35)

	det := fvInvoiceDetails{
		TypeCode:             "INV01",
		TypeCodeUN:           "380",
		TypeText:             "LASKU",
		OriginCode:           "Original",
		Number:               inv.Number,
		Date:                 date(inv.Date),
		RowsTotalVatExcluded: eur(inv.Net),
		TotalVatExcluded:     eur(inv.Net),
		TotalVat:             eur(inv.Vat),
		TotalVatIncluded:     eur(inv.Gross),
		VatFreeText:          wholeNote(vatText, 70),
		PaymentTerms:         fvPaymentTerms{DueDate: date(inv.DueDate)},
	}
	if credit {
		det.TypeCode, det.TypeCodeUN, det.TypeText = "INV02", "381", "HYVITYSLASKU"
		det.OriginalInvoiceNumber = inv.CreditsNumber
		if !inv.CreditsDate.IsZero() {
			d := date(inv.CreditsDate)
			det.OriginalInvoiceDate = &d
		}
	}
	if inv.PeriodStart.IsZero() != inv.PeriodEnd.IsZero() || inv.PeriodEnd.Before(inv.PeriodStart) {
		return nil, errors.New("the invoicing period needs a start and an end, in order")
	}
	if !inv.PeriodStart.IsZero() {
		start, end := date(inv.PeriodStart), date(inv.PeriodEnd)
		det.PeriodStart, det.PeriodEnd = &start, &end
	}
	// The buyer's order reference at invoice level when every row has the
	// same one; each row carries its own anyway.
	if ref, ok := commonReference(inv.Rows); ok {
		det.OrderIdentifier, det.BuyerReference = ref, ref
	}
	if days := daysBetween(inv.Date, inv.DueDate); days >= 0 {
		det.PaymentTerms.FreeText = fmt.Sprintf("%d pv netto", days)
	}
	for _, g := range inv.VatBreakdown {
		pct, err := formatPercent(g.VatBps)
		if err != nil {
			return nil, err
		}
		det.VatSpecifications = append(det.VatSpecifications, fvVatSpec{
			Base:     eur(g.Net),
			Percent:  pct,
			Code:     vatCode(g.VatBps),
			Amount:   eur(g.Vat),
			FreeText: wrapWords(vatText, 70, 3),
		})
	}
	doc.InvoiceDetails = det

	for i, r := range inv.Rows {
		pct, err := formatPercent(r.VatBps)
		if err != nil {
			return nil, err
		}
		q, err := rowQuantity(r)
		if err != nil {
			return nil, fmt.Errorf("row %d: %w", i+1, err)
		}
		// Row VAT is informational (EN 16931 computes VAT per group).
		rowVat := models.ApplyBps(r.Amount, r.VatBps)
		doc.Rows = append(doc.Rows, fvRow{
			ArticleName:       truncRunes(r.Description, 100),
			DeliveredQuantity: fvQuantity{Unit: q.Unit, Value: q.Value},
			InvoicedQuantity:  q,
			UnitPrice:         eur(r.UnitPrice),
			RowIdentifier:     truncRunes(r.OrderReference, 35),
			RowBuyerReference: truncRunes(r.OrderReference, 70),
			VatRatePercent:    pct,
			VatCode:           vatCode(r.VatBps),
			VatAmount:         eur(rowVat),
			VatExcludedAmount: eur(r.Amount),
			Amount:            eur(r.Amount + rowVat),
		})
	}

	doc.Epi = fvEpi{
		Date:           date(inv.Date),
		Reference:      "", // optional EPI reference; the payment reference goes below
		Beneficiary:    truncRunes(sellerName, 35),
		AccountID:      fvSchemeValue{Scheme: "IBAN", Value: sellerIBAN},
		RemittanceInfo: fvSchemeValue{Scheme: refScheme, Value: ref},
		Amount:         eur(inv.Gross),
		Charge:         fvCharge{Option: "SHA", Value: "SHA"},
		DueDate:        date(inv.DueDate),
		MeansCode:      "58", // SEPA credit transfer (UNTDID 4461), EN 16931 BT-81
	}
	if sellerBIC != "" {
		doc.Epi.BfiIdentifier = &fvSchemeValue{Scheme: "BIC", Value: sellerBIC}
	}
	if id := strings.TrimSpace(seller.BusinessID); len(id) >= 8 && len(id) <= 11 && nmtokenRe.MatchString(id) {
		doc.Epi.Bei = id
	}
	if len([]rune(doc.Epi.Beneficiary)) < 2 {
		return nil, errors.New("seller name too short for EpiNameAddressDetails")
	}
	return doc, nil
}

// checkTotals makes the file impossible to disagree with itself or with the
// billing run: rows, breakdown and totals must all agree.
func checkTotals(inv Invoice, credit bool) error {
	if len(inv.Rows) == 0 {
		return errors.New("an invoice needs at least one row")
	}
	if len(inv.VatBreakdown) == 0 {
		return errors.New("an invoice needs a VAT breakdown (one 0 % group for internal/exempt)")
	}
	if inv.Net+inv.Vat != inv.Gross {
		return fmt.Errorf("net %s + VAT %s ≠ gross %s", FormatEuros(inv.Net, '.'),
			FormatEuros(inv.Vat, '.'), FormatEuros(inv.Gross, '.'))
	}
	if credit && inv.Gross > 0 {
		return errors.New("a credit note must have a negative (or zero) gross amount")
	}
	if !credit && inv.Gross < 0 {
		return errors.New("an invoice with a negative gross amount must be a credit note (set CreditsNumber)")
	}
	rowNet := map[int64]models.Cents{}
	var sumRows models.Cents
	for _, r := range inv.Rows {
		rowNet[r.VatBps] += r.Amount
		sumRows += r.Amount
	}
	if sumRows != inv.Net {
		return fmt.Errorf("rows sum to %s, net is %s", FormatEuros(sumRows, '.'), FormatEuros(inv.Net, '.'))
	}
	var sumNet, sumVat models.Cents
	seen := map[int64]bool{}
	for _, g := range inv.VatBreakdown {
		if seen[g.VatBps] {
			return fmt.Errorf("VAT rate %d bps appears twice in the breakdown", g.VatBps)
		}
		seen[g.VatBps] = true
		if rowNet[g.VatBps] != g.Net {
			return fmt.Errorf("VAT group %d bps: rows sum to %s, group net is %s", g.VatBps,
				FormatEuros(rowNet[g.VatBps], '.'), FormatEuros(g.Net, '.'))
		}
		if want := models.ApplyBps(g.Net, g.VatBps); g.Vat != want {
			return fmt.Errorf("VAT group %d bps: VAT %s, expected %s", g.VatBps,
				FormatEuros(g.Vat, '.'), FormatEuros(want, '.'))
		}
		if inv.VatTreatment != models.VatStandard && (g.VatBps != 0 || g.Vat != 0) {
			return fmt.Errorf("a %s invoice can only have a 0 %% VAT group", inv.VatTreatment)
		}
		sumNet += g.Net
		sumVat += g.Vat
	}
	for bps := range rowNet {
		if !seen[bps] {
			return fmt.Errorf("rows at %d bps have no VAT breakdown group", bps)
		}
	}
	if sumNet != inv.Net || sumVat != inv.Vat {
		return fmt.Errorf("breakdown sums to %s net / %s VAT, totals are %s / %s",
			FormatEuros(sumNet, '.'), FormatEuros(sumVat, '.'), FormatEuros(inv.Net, '.'), FormatEuros(inv.Vat, '.'))
	}
	return nil
}

// normReference accepts a Finnish reference or an RF reference (ISO 11649)
// and returns it with its Finvoice scheme name (SPY or ISO).
func normReference(s string) (ref, scheme string, err error) {
	s = models.NormalizeIBAN(s) // the same normal form: no spaces, upper case
	switch {
	case strings.HasPrefix(s, "RF") && models.ValidRFReference(s):
		return s, "ISO", nil
	case models.ValidFinnishReference(s):
		return s, "SPY", nil
	}
	return "", "", errors.New("not a valid Finnish or RF reference")
}

// formatPercent renders basis points as a Finvoice percentage: 2550 → "25,5",
// 1400 → "14", 0 → "0" (pattern [1-9]?[0-9]{1,2}(,[0-9]{1,3})?).
func formatPercent(bps int64) (string, error) {
	if bps < 0 || bps >= 100000 {
		return "", fmt.Errorf("VAT rate %d bps is out of range", bps)
	}
	s := strconv.FormatInt(bps/100, 10)
	if frac := bps % 100; frac != 0 {
		s += "," + strings.TrimRight(fmt.Sprintf("%02d", frac), "0")
	}
	return s, nil
}

// rowQuantity maps a row's time or count to a Finvoice quantity.
func rowQuantity(r InvoiceRow) (fvQuantity, error) {
	if unit := strings.TrimSpace(r.Unit); unit != "" {
		return fvQuantity{Unit: truncRunes(unit, 14), Value: strconv.FormatInt(r.Quantity, 10)}, nil
	}
	if r.Quantity != 0 {
		return fvQuantity{}, errors.New("Quantity needs a Unit (time rows use Minutes)")
	}
	// Hours with two decimals, rounded half-up: 440 min → "7,33".
	hundredths := models.HalfUpDiv(r.Minutes*100, 60)
	return fvQuantity{Unit: "h", UnitUN: "HUR", Value: formatFixed2(hundredths, ',')}, nil
}

// partyID is the business ID with scheme 0212 (Finnish organisation id) when
// it has the Y-tunnus form.
func partyID(id string) *fvIDAttr {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil
	}
	v := &fvIDAttr{Value: truncRunes(id, 35)}
	if businessIDRe.MatchString(id) {
		v.SchemeID = "0212"
	}
	return v
}

// vatNumber derives the Finnish VAT number (FI + Y-tunnus digits) for a
// Finnish party; foreign parties get none rather than a wrong one.
func vatNumber(p Party) string {
	id := strings.TrimSpace(p.BusinessID)
	cc := strings.ToUpper(strings.TrimSpace(p.CountryCode))
	if !businessIDRe.MatchString(id) || (cc != "" && cc != "FI") {
		return ""
	}
	return "FI" + strings.ReplaceAll(id, "-", "")
}

// address returns street, town, postcode, country when the postal address is
// complete enough for the schema (2–35 characters each).
func address(p Party) ([4]string, bool) {
	a := [4]string{truncRunes(p.Street, 35), truncRunes(p.City, 35), truncRunes(p.PostalCode, 35), ""}
	for _, s := range a[:3] {
		if len([]rune(s)) < 2 {
			return a, false
		}
	}
	cc := strings.ToUpper(strings.TrimSpace(p.CountryCode))
	if cc == "" {
		cc = "FI"
	}
	if len(cc) == 2 && nmtokenRe.MatchString(cc) {
		a[3] = cc
	}
	return a, true
}

func daysBetween(a, b time.Time) int {
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(db.Sub(da) / (24 * time.Hour))
}

// commonReference is the order reference all rows share, if they share a
// non-empty one.
func commonReference(rows []InvoiceRow) (string, bool) {
	if len(rows) == 0 || strings.TrimSpace(rows[0].OrderReference) == "" {
		return "", false
	}
	for _, r := range rows[1:] {
		if r.OrderReference != rows[0].OrderReference {
			return "", false
		}
	}
	return truncRunes(rows[0].OrderReference, 70), true
}

// wholeNote is s when it fits n characters, else nothing: a single-element
// note is never cut (the VAT specification carries it wrapped in full).
func wholeNote(s string, n int) string {
	if s = strings.TrimSpace(s); utf8.RuneCountInString(s) <= n {
		return s
	}
	return ""
}
