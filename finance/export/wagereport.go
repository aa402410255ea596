package export

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"iter"
	"time"

	"jobcenter/models"
)

// WageReportsNamespace is the target namespace of the Incomes Register's
// WageReportsToIR.xsd, whose root element is WageReportsRequestToIR.
const WageReportsNamespace = "http://www.tulorekisteri.fi/2017/1/WageReportsToIR"

// Codes of the Incomes Register used in an earnings payment report.
const (
	DeliveryDataTypeWages = 100 // earnings payment reports
	IDTypeBusinessID      = 1   // Y-tunnus
	IDTypePersonalID      = 2   // henkilötunnus
	ActionNew             = 1   // new report
	ActionReplacement     = 2   // replacement report: replaces the report with the same ReportId
	PaymentTypeHourly     = 2   // form of payment: hourly wage
	PensionActEmployee    = 1   // employee's earnings-related pension insurance (TyEL)
	// FaultyControl 1: only the faulty reports of a delivery are rejected,
	// the others are saved.
	FaultyControlReports = 1
)

// WageDelivery is the DeliveryData of one file: one payer, one payment date.
type WageDelivery struct {
	Timestamp  time.Time
	Source     string // max 30 characters
	DeliveryID string // max 40 characters, unique per delivery
	Production bool
	// Business IDs of the owner (the payer), creator and sender.
	Owner, Creator, Sender string
	PaymentDate            models.Date
	PeriodStart, PeriodEnd models.Date
	ContactName            string
	ContactPhone           string
	ContactEmail           string // optional
	PayerName              string
}

// WageTransaction is one income type and its amount.
type WageTransaction struct {
	Code   int
	Amount models.Cents
}

// WageReport is one income earner's report.
type WageReport struct {
	ActionCode      int
	ReportID        string // the payer's report reference, max 40 characters
	IdentityCode    string // personal identity code
	PensionProvider string // the pension provider code
	PolicyNumber    string
	Transactions    []WageTransaction
}

// XML shapes of WageReportsToIRTypes.xsd, fields in sequence order.
type (
	irID struct {
		Type int    `xml:"Type"`
		Code string `xml:"Code"`
	}
	irContact struct {
		Name      string `xml:"Name"`
		Telephone string `xml:"Telephone"`
		Email     string `xml:"Email,omitempty"`
	}
	irPeriod struct {
		PaymentDate string `xml:"PaymentDate"`
		StartDate   string `xml:"StartDate"`
		EndDate     string `xml:"EndDate"`
	}
	irPayer struct {
		ID          irID   `xml:"PayerIds>Id"`
		CompanyName string `xml:"PayerBasic>CompanyName"`
	}
)

// WriteWageReports streams an earnings payment report delivery
// (WageReportsRequestToIR) to w: the delivery data token by token, then
// each report written and forgotten (rowWriter), so memory stays constant whatever the
// number of earners. On an error after the first bytes the document is left
// unclosed (not well-formed), so partial output cannot pass for a file; the
// caller must discard it. A delivery needs at least one report.
func WriteWageReports(w io.Writer, d WageDelivery, reports iter.Seq2[*WageReport, error]) error {
	if err := checkID("DeliveryID", d.DeliveryID, 40); err != nil {
		return fmt.Errorf("wage reports: %w", err)
	}
	if d.Timestamp.IsZero() || d.PaymentDate.IsZero() || d.PeriodStart.IsZero() || d.PeriodEnd.IsZero() {
		return errors.New("wage reports: timestamp, payment date and pay period are required")
	}
	if d.ContactName == "" || d.ContactPhone == "" || d.Owner == "" || d.Creator == "" || d.Sender == "" {
		return errors.New("wage reports: contact person and business IDs are required")
	}
	enc := xml.NewEncoder(w)
	// encoding/xml cannot bind a prefix to a namespace itself; the root is
	// the only qualified element (the types schema is unqualified), so the
	// prefix is written literally.
	root := xml.StartElement{Name: xml.Name{Local: "wrtir:WageReportsRequestToIR"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns:wrtir"}, Value: WageReportsNamespace}}}
	delivery := xml.StartElement{Name: xml.Name{Local: "DeliveryData"}}
	reportsStart := xml.StartElement{Name: xml.Name{Local: "Reports"}}
	steps := []func() error{
		func() error {
			return enc.EncodeToken(xml.ProcInst{Target: "xml", Inst: []byte(`version="1.0" encoding="UTF-8"`)})
		},
		func() error { return enc.EncodeToken(root) },
		func() error { return enc.EncodeToken(delivery) },
		elem(enc, "Timestamp", d.Timestamp.Truncate(time.Second).Format(time.RFC3339)),
		elem(enc, "Source", truncRunes(d.Source, 30)),
		elem(enc, "DeliveryDataType", DeliveryDataTypeWages),
		elem(enc, "DeliveryId", d.DeliveryID),
		elem(enc, "FaultyControl", FaultyControlReports),
		elem(enc, "ProductionEnvironment", d.Production),
		elem(enc, "DeliveryDataOwner", irID{IDTypeBusinessID, d.Owner}),
		elem(enc, "DeliveryDataCreator", irID{IDTypeBusinessID, d.Creator}),
		elem(enc, "DeliveryDataSender", irID{IDTypeBusinessID, d.Sender}),
		elem(enc, "PaymentPeriod", irPeriod{d.PaymentDate.String(), d.PeriodStart.String(), d.PeriodEnd.String()}),
		elem(enc, "ContactPersons", struct {
			C irContact `xml:"ContactPerson"`
		}{irContact{truncRunes(d.ContactName, 200), truncRunes(d.ContactPhone, 40), truncRunes(d.ContactEmail, 70)}}),
		elem(enc, "Payer", irPayer{ID: irID{IDTypeBusinessID, d.Owner}, CompanyName: truncRunes(d.PayerName, 200)}),
		func() error { return enc.EncodeToken(reportsStart) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("wage reports: write delivery data: %w", err)
		}
	}
	rows, flush, err := rowsAfter(enc, w)
	if err != nil {
		return fmt.Errorf("wage reports: %w", err)
	}
	n := 0
	for r, err := range reports {
		if err != nil {
			return fmt.Errorf("wage reports: report %d: %w", n+1, err)
		}
		n++
		if err := checkReport(r); err != nil {
			return fmt.Errorf("wage reports: report %d (%s): %w", n, r.ReportID, err)
		}
		rows.report(r)
	}
	if err := flush(); err != nil {
		return fmt.Errorf("wage reports: %w", err)
	}
	if n == 0 {
		return errors.New("wage reports: a delivery needs at least one report")
	}
	for _, end := range []xml.EndElement{reportsStart.End(), delivery.End(), root.End()} {
		if err := enc.EncodeToken(end); err != nil {
			return fmt.Errorf("wage reports: %w", err)
		}
	}
	if err := enc.Flush(); err != nil {
		return fmt.Errorf("wage reports: %w", err)
	}
	_, err = io.WriteString(w, "\n")
	return err
}

// checkReport checks what the schema and the Incomes Register require of r.
func checkReport(r *WageReport) error {
	if r.ActionCode != ActionNew && r.ActionCode != ActionReplacement {
		return fmt.Errorf("action code %d is neither new nor replacement", r.ActionCode)
	}
	if err := checkID("ReportID", r.ReportID, 40); err != nil {
		return err
	}
	if _, ok := models.IdentityCodeBirthDate(r.IdentityCode); !ok {
		return errors.New("the income earner's personal identity code is not valid")
	}
	if !models.ValidPensionProvider(r.PensionProvider) || !models.ValidPensionPolicyNumber(r.PolicyNumber) {
		return errors.New("the pension provider code or policy number is not valid")
	}
	if len(r.Transactions) == 0 {
		return errors.New("a report needs at least one transaction")
	}
	return nil
}

// report writes one Report in the sequence order of WageReportsToIRTypes.xsd:
// an employee paid by the hour, insured under TyEL.
func (x rowWriter) report(r *WageReport) {
	x.open("Report")
	x.open("ReportData")
	x.leafInt("ActionCode", r.ActionCode)
	x.leaf("ReportId", r.ReportID)
	x.close("ReportData")
	x.open("IncomeEarner")
	x.open("IncomeEarnerIds")
	x.open("Id")
	x.leafInt("Type", IDTypePersonalID)
	x.leaf("Code", r.IdentityCode)
	x.close("Id")
	x.close("IncomeEarnerIds")
	x.open("Employment")
	x.leaf("Employed", "true")
	x.open("PaymentTypes")
	x.leafInt("PaymentType", PaymentTypeHourly)
	x.close("PaymentTypes")
	x.close("Employment")
	x.open("PensionInsurance")
	x.leafInt("PensionActCode", PensionActEmployee)
	x.leaf("PensionProvIdCode", r.PensionProvider)
	x.leaf("PensionPolicyNo", r.PolicyNumber)
	x.close("PensionInsurance")
	x.close("IncomeEarner")
	x.open("Transactions")
	for _, t := range r.Transactions {
		x.open("Transaction")
		x.open("TransactionBasic")
		x.leafInt("TransactionCode", t.Code)
		x.leaf("Amount", FormatEuros(t.Amount, '.'))
		x.close("TransactionBasic")
		x.close("Transaction")
	}
	x.close("Transactions")
	x.close("Report")
}
