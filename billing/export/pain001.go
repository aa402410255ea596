package export

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"iter"
	"math"
	"strings"
	"time"

	"jobcenter/models"
)

// Pain001Namespace is the target namespace of pain.001.001.09.
const Pain001Namespace = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"

// PaymentBatch is the header of one SEPA credit transfer file: one debtor
// account, one execution date, one PmtInf block.
//
// Count and ControlSum are written before the rows (the schema puts them in
// GrpHdr and PmtInf ahead of the transactions, and the rows are streamed), so
// the caller must know them up front, e.g. from a SUM/COUNT query. The writer
// verifies them against the streamed rows at the end.
type PaymentBatch struct {
	MessageID     string    // GrpHdr/MsgId, unique per file, max 35 characters
	CreatedAt     time.Time // GrpHdr/CreDtTm, written with its UTC offset
	ExecutionDate time.Time // ReqdExctnDt/Dt: only the calendar date in its location is used
	DebtorName    string    // truncated to 70 characters (EPC limit)
	DebtorIBAN    string    // spaces allowed; checked with mod 97
	DebtorBIC     string    // optional; without it DbtrAgt is Othr/Id NOTPROVIDED
	PaymentInfoID string    // PmtInf/PmtInfId, max 35 characters
	Count         int       // number of payments the iterator will yield
	ControlSum    models.Cents
}

// Payment is one credit transfer (CdtTrfTxInf).
type Payment struct {
	EndToEndID     string // max 35 characters; empty → "NOTPROVIDED" (EPC rule)
	CreditorName   string // truncated to 70 characters by rune
	CreditorIBAN   string
	Amount         models.Cents // must be positive
	RemittanceInfo string       // unstructured, truncated to 140 characters; optional
}

// ErrControlMismatch is returned (wrapped) when the streamed payments do not
// add up to PaymentBatch.Count / ControlSum.
var ErrControlMismatch = errors.New("pain.001: payments do not match the batch header")

const (
	maxName    = 70 // EPC restricts Nm to 70 although ISO allows 140
	maxUstrd   = 140
	maxID      = 35
	notProvide = "NOTPROVIDED"
	flushEvery = 256 // rows between explicit flushes; the encoder also flushes when its buffer fills
)

// XML shapes of pain.001.001.09. Field order follows the XSD sequences.
type (
	p1GroupHeader struct {
		MsgID    string      `xml:"MsgId"`
		CreDtTm  string      `xml:"CreDtTm"`
		NbOfTxs  int         `xml:"NbOfTxs"`
		CtrlSum  string      `xml:"CtrlSum"`
		InitgPty p1PartyName `xml:"InitgPty"`
	}
	p1PartyName struct {
		Nm string `xml:"Nm"`
	}
	p1Account struct {
		IBAN string `xml:"Id>IBAN"`
	}
	// Nested pointers, not "a>b,omitempty" paths: encoding/xml would still
	// write the empty parent of an omitted leaf.
	p1Agent struct {
		FinInstnID p1FinInstn `xml:"FinInstnId"`
	}
	p1FinInstn struct {
		BICFI string  `xml:"BICFI,omitempty"`
		Othr  *p1Othr `xml:"Othr,omitempty"`
	}
	p1Othr struct {
		ID string `xml:"Id"`
	}
	p1Rmt struct {
		Ustrd string `xml:"Ustrd"`
	}
	p1PmtTpInf struct {
		SvcLvlCd string `xml:"SvcLvl>Cd"`
	}
	p1Amount struct {
		Ccy   string `xml:"Ccy,attr"`
		Value string `xml:",chardata"`
	}
	p1Tx struct {
		EndToEndID string      `xml:"PmtId>EndToEndId"`
		InstdAmt   p1Amount    `xml:"Amt>InstdAmt"`
		Cdtr       p1PartyName `xml:"Cdtr"`
		CdtrAcct   p1Account   `xml:"CdtrAcct"`
		RmtInf     *p1Rmt      `xml:"RmtInf,omitempty"`
		rmt        p1Rmt       // backing store for RmtInf, reused across rows
	}
)

// WritePain001 streams a pain.001.001.09 credit transfer initiation to w.
//
// Memory stays constant whatever the number of payments: the header is written
// token by token, each CdtTrfTxInf is encoded and forgotten. Because the output
// is already on its way when a problem shows up (an iterator error, an invalid
// row, or a Count/ControlSum mismatch that can only be seen at the end), the
// writer then stops WITHOUT closing the document: the partial output is not
// well-formed XML and cannot be mistaken for a valid file. Callers must discard
// the output when an error is returned (write to a temp file, or abort the
// HTTP response).
func WritePain001(w io.Writer, b PaymentBatch, payments iter.Seq2[Payment, error]) error {
	if err := checkID("MessageID", b.MessageID, maxID); err != nil {
		return err
	}
	if err := checkID("PaymentInfoID", b.PaymentInfoID, maxID); err != nil {
		return err
	}
	if b.CreatedAt.IsZero() || b.ExecutionDate.IsZero() {
		return errors.New("pain.001: CreatedAt and ExecutionDate are required")
	}
	if b.Count <= 0 || b.ControlSum <= 0 {
		return errors.New("pain.001: a batch needs at least one payment and a positive control sum")
	}
	debtorName := truncRunes(b.DebtorName, maxName)
	if debtorName == "" {
		return errors.New("pain.001: DebtorName is required")
	}
	debtorIBAN, err := normIBAN(b.DebtorIBAN)
	if err != nil {
		return fmt.Errorf("pain.001: debtor: %w", err)
	}
	agent := p1Agent{FinInstnID: p1FinInstn{Othr: &p1Othr{ID: notProvide}}}
	if strings.TrimSpace(b.DebtorBIC) != "" {
		bic, err := normBIC(b.DebtorBIC)
		if err != nil {
			return fmt.Errorf("pain.001: debtor: %w", err)
		}
		agent = p1Agent{FinInstnID: p1FinInstn{BICFI: bic}}
	}

	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	ctrlSum := FormatEuros(b.ControlSum, '.')
	docStart := xml.StartElement{
		Name: xml.Name{Local: "Document"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: Pain001Namespace}},
	}
	initn := xml.StartElement{Name: xml.Name{Local: "CstmrCdtTrfInitn"}}
	pmtInf := xml.StartElement{Name: xml.Name{Local: "PmtInf"}}

	// Header: GrpHdr, then the PmtInf children that precede the transactions,
	// in XSD order.
	steps := []func() error{
		func() error {
			return enc.EncodeToken(xml.ProcInst{Target: "xml", Inst: []byte(`version="1.0" encoding="UTF-8"`)})
		},
		func() error { return enc.EncodeToken(docStart) },
		func() error { return enc.EncodeToken(initn) },
		func() error {
			return enc.EncodeElement(p1GroupHeader{
				MsgID:    b.MessageID,
				CreDtTm:  b.CreatedAt.Truncate(time.Second).Format(time.RFC3339),
				NbOfTxs:  b.Count,
				CtrlSum:  ctrlSum,
				InitgPty: p1PartyName{Nm: debtorName},
			}, xml.StartElement{Name: xml.Name{Local: "GrpHdr"}})
		},
		func() error { return enc.EncodeToken(pmtInf) },
		elem(enc, "PmtInfId", b.PaymentInfoID),
		elem(enc, "PmtMtd", "TRF"),
		elem(enc, "BtchBookg", true),
		elem(enc, "NbOfTxs", b.Count),
		elem(enc, "CtrlSum", ctrlSum),
		elem(enc, "PmtTpInf", p1PmtTpInf{SvcLvlCd: "SEPA"}),
		elem(enc, "ReqdExctnDt", struct {
			Dt string `xml:"Dt"`
		}{b.ExecutionDate.Format(time.DateOnly)}),
		elem(enc, "Dbtr", p1PartyName{Nm: debtorName}),
		elem(enc, "DbtrAcct", p1Account{IBAN: debtorIBAN}),
		elem(enc, "DbtrAgt", agent),
		elem(enc, "ChrgBr", "SLEV"),
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("pain.001: write header: %w", err)
		}
	}

	var (
		n   int
		sum int64
		tx  p1Tx // reused: one row in memory at a time
	)
	txStart := xml.StartElement{Name: xml.Name{Local: "CdtTrfTxInf"}}
	for p, err := range payments {
		if err != nil {
			return fmt.Errorf("pain.001: payment %d: %w", n+1, err)
		}
		n++
		if n > b.Count {
			// Fail before writing a row the header does not announce.
			return fmt.Errorf("%w: more than the %d payments announced", ErrControlMismatch, b.Count)
		}
		if err := fillTx(&tx, p); err != nil {
			return fmt.Errorf("pain.001: payment %d (%s): %w", n, tx.EndToEndID, err)
		}
		if sum > math.MaxInt64-int64(p.Amount) {
			return fmt.Errorf("pain.001: payment %d: control sum overflows", n)
		}
		sum += int64(p.Amount)
		if err := enc.EncodeElement(&tx, txStart); err != nil {
			return fmt.Errorf("pain.001: write payment %d: %w", n, err)
		}
		if n%flushEvery == 0 {
			if err := enc.Flush(); err != nil {
				return fmt.Errorf("pain.001: %w", err)
			}
		}
	}
	if n != b.Count || sum != int64(b.ControlSum) {
		return fmt.Errorf("%w: header says %d payments / %s EUR, rows have %d / %s EUR",
			ErrControlMismatch, b.Count, ctrlSum, n, FormatEuros(models.Cents(sum), '.'))
	}
	for _, end := range []xml.EndElement{pmtInf.End(), initn.End(), docStart.End()} {
		if err := enc.EncodeToken(end); err != nil {
			return fmt.Errorf("pain.001: %w", err)
		}
	}
	if err := enc.Flush(); err != nil {
		return fmt.Errorf("pain.001: %w", err)
	}
	// A trailing newline keeps the file friendly to line-oriented tools.
	_, err = io.WriteString(w, "\n")
	return err
}

// elem returns a step that encodes v as <name>…</name>.
func elem(enc *xml.Encoder, name string, v any) func() error {
	return func() error {
		return enc.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: name}})
	}
}

// fillTx validates p and maps it onto the reusable tx.
func fillTx(tx *p1Tx, p Payment) error {
	tx.EndToEndID = strings.TrimSpace(p.EndToEndID)
	if tx.EndToEndID == "" {
		tx.EndToEndID = notProvide
	}
	if err := checkID("EndToEndID", tx.EndToEndID, maxID); err != nil {
		return err
	}
	if p.Amount <= 0 {
		return fmt.Errorf("amount %s must be positive", FormatEuros(p.Amount, '.'))
	}
	tx.InstdAmt = p1Amount{Ccy: "EUR", Value: FormatEuros(p.Amount, '.')}
	tx.Cdtr.Nm = truncRunes(p.CreditorName, maxName)
	if tx.Cdtr.Nm == "" {
		return errors.New("creditor name is required")
	}
	iban, err := normIBAN(p.CreditorIBAN)
	if err != nil {
		return fmt.Errorf("creditor: %w", err)
	}
	tx.CdtrAcct.IBAN = iban
	tx.RmtInf = nil
	if u := truncRunes(p.RemittanceInfo, maxUstrd); u != "" {
		tx.rmt.Ustrd = u
		tx.RmtInf = &tx.rmt
	}
	return nil
}
