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
	irTransaction struct {
		Code   int    `xml:"TransactionBasic>TransactionCode"`
		Amount string `xml:"TransactionBasic>Amount"`
	}
	irReport struct {
		ActionCode   int             `xml:"ReportData>ActionCode"`
		ReportID     string          `xml:"ReportData>ReportId"`
		EarnerID     irID            `xml:"IncomeEarner>IncomeEarnerIds>Id"`
		Employed     bool            `xml:"IncomeEarner>Employment>Employed"`
		PaymentType  int             `xml:"IncomeEarner>Employment>PaymentTypes>PaymentType"`
		PensionAct   int             `xml:"IncomeEarner>PensionInsurance>PensionActCode"`
		Provider     string          `xml:"IncomeEarner>PensionInsurance>PensionProvIdCode"`
		PolicyNo     string          `xml:"IncomeEarner>PensionInsurance>PensionPolicyNo"`
		Transactions []irTransaction `xml:"Transactions>Transaction"`
	}
)

// WriteWageReports streams an earnings payment report delivery
// (WageReportsRequestToIR) to w: the delivery data token by token, then
// each report encoded and forgotten, so memory stays constant whatever the
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
	enc.Indent("", "  ")
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
	n := 0
	var rep irReport // reused: one report in memory at a time
	start := xml.StartElement{Name: xml.Name{Local: "Report"}}
	for r, err := range reports {
		if err != nil {
			return fmt.Errorf("wage reports: report %d: %w", n+1, err)
		}
		n++
		if err := fillReport(&rep, r); err != nil {
			return fmt.Errorf("wage reports: report %d (%s): %w", n, r.ReportID, err)
		}
		if err := enc.EncodeElement(&rep, start); err != nil {
			return fmt.Errorf("wage reports: write report %d: %w", n, err)
		}
		if n%flushEvery == 0 {
			if err := enc.Flush(); err != nil {
				return fmt.Errorf("wage reports: %w", err)
			}
		}
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
	_, err := io.WriteString(w, "\n")
	return err
}

// fillReport checks r and maps it onto the reusable rep.
func fillReport(rep *irReport, r *WageReport) error {
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
	*rep = irReport{ActionCode: r.ActionCode, ReportID: r.ReportID, EarnerID: irID{IDTypePersonalID, r.IdentityCode},
		Employed: true, PaymentType: PaymentTypeHourly, PensionAct: PensionActEmployee, Provider: r.PensionProvider,
		PolicyNo: r.PolicyNumber, Transactions: rep.Transactions[:0]}
	for _, t := range r.Transactions {
		rep.Transactions = append(rep.Transactions, irTransaction{Code: t.Code, Amount: FormatEuros(t.Amount, '.')})
	}
	return nil
}
