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

// PaymentBatch is the header of a SEPA credit transfer file of one PmtInf
// block: one debtor account, one execution date (WritePain001).
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
	// InitiatingPartyID identifies the payer to its bank in
	// GrpHdr/InitgPty/Id/OrgId/Othr/Id with SchmeNm/Cd BANK: Finnish banks
	// take their service ID there, usually the business ID; optional.
	InitiatingPartyID string
	PaymentInfoID     string // PmtInf/PmtInfId, max 35 characters
	CategoryPurpose   string // PmtTpInf/CtgyPurp/Cd (ISO external code, e.g. SALA); optional
	Count             int    // number of payments the iterator will yield
	ControlSum        models.Cents
}

// PaymentBlock is one PmtInf block of a file with several (WritePain001Blocks).
type PaymentBlock struct {
	PaymentInfoID   string // max 35 characters, unique in the file
	CategoryPurpose string // PmtTpInf/CtgyPurp/Cd; optional
	Count           int    // announced up front, verified at the end
	ControlSum      models.Cents
	Payments        iter.Seq2[Payment, error]
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
)

// XML shapes of pain.001.001.09. Field order follows the XSD sequences.
type (
	p1GroupHeader struct {
		MsgID    string     `xml:"MsgId"`
		CreDtTm  string     `xml:"CreDtTm"`
		NbOfTxs  int        `xml:"NbOfTxs"`
		CtrlSum  string     `xml:"CtrlSum"`
		InitgPty p1InitgPty `xml:"InitgPty"`
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
	p1PmtTpInf struct {
		SvcLvlCd   string  `xml:"SvcLvl>Cd"`
		CtgyPurpCd *p1Code `xml:"CtgyPurp,omitempty"`
	}
	p1Code struct {
		Cd string `xml:"Cd"`
	}
	p1InitgPty struct {
		Nm string     `xml:"Nm"`
		ID *p1PartyID `xml:"Id,omitempty"`
	}
	p1PartyID struct {
		Othr p1OrgOthrID `xml:"OrgId>Othr"`
	}
	p1OrgOthrID struct {
		ID        string `xml:"Id"`
		SchmeNmCd string `xml:"SchmeNm>Cd"`
	}
)

// WritePain001 streams a pain.001.001.09 credit transfer initiation of one
// PmtInf block to w (WritePain001Blocks).
func WritePain001(w io.Writer, b PaymentBatch, payments iter.Seq2[Payment, error]) error {
	return WritePain001Blocks(w, b, PaymentBlock{PaymentInfoID: b.PaymentInfoID, CategoryPurpose: b.CategoryPurpose,
		Count: b.Count, ControlSum: b.ControlSum, Payments: payments})
}

// WritePain001Blocks streams a pain.001.001.09 credit transfer initiation
// with one PmtInf block per block, all from b's debtor on b's execution
// date; b's PaymentInfoID, CategoryPurpose, Count and ControlSum are
// ignored (the group header sums the blocks'). Separate blocks let the
// bank treat wages (category purpose SALA) apart from other payments.
//
// Memory stays constant whatever the number of payments: the header is written
// token by token, each CdtTrfTxInf is written and forgotten (rowWriter). Because the output
// is already on its way when a problem shows up (an iterator error, an invalid
// row, or a Count/ControlSum mismatch that can only be seen at the end), the
// writer then stops WITHOUT closing the document: the partial output is not
// well-formed XML and cannot be mistaken for a valid file. Callers must discard
// the output when an error is returned (write to a temp file, or abort the
// HTTP response).
func WritePain001Blocks(w io.Writer, b PaymentBatch, blocks ...PaymentBlock) error {
	if err := checkID("MessageID", b.MessageID, maxID); err != nil {
		return err
	}
	if b.CreatedAt.IsZero() || b.ExecutionDate.IsZero() {
		return errors.New("pain.001: CreatedAt and ExecutionDate are required")
	}
	if len(blocks) == 0 {
		return errors.New("pain.001: a file needs at least one payment block")
	}
	var count int
	var total models.Cents
	for _, bl := range blocks {
		if err := checkID("PaymentInfoID", bl.PaymentInfoID, maxID); err != nil {
			return err
		}
		if bl.Count <= 0 || bl.ControlSum <= 0 {
			return errors.New("pain.001: a batch needs at least one payment and a positive control sum")
		}
		if len(bl.CategoryPurpose) > 4 {
			return fmt.Errorf("pain.001: category purpose %q is longer than 4 characters", bl.CategoryPurpose)
		}
		count += bl.Count
		total += bl.ControlSum
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
	initg := p1InitgPty{Nm: debtorName}
	if id := strings.TrimSpace(b.InitiatingPartyID); id != "" {
		if err := checkID("InitiatingPartyID", id, maxID); err != nil {
			return err
		}
		initg.ID = &p1PartyID{Othr: p1OrgOthrID{ID: id, SchmeNmCd: "BANK"}}
	}

	enc := xml.NewEncoder(w)
	docStart := xml.StartElement{
		Name: xml.Name{Local: "Document"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: Pain001Namespace}},
	}
	initn := xml.StartElement{Name: xml.Name{Local: "CstmrCdtTrfInitn"}}
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
				NbOfTxs:  count,
				CtrlSum:  FormatEuros(total, '.'),
				InitgPty: initg,
			}, xml.StartElement{Name: xml.Name{Local: "GrpHdr"}})
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return fmt.Errorf("pain.001: write header: %w", err)
		}
	}
	for _, bl := range blocks {
		if err := writeBlock(enc, w, b, bl, debtorName, debtorIBAN, agent); err != nil {
			return err
		}
	}
	for _, end := range []xml.EndElement{initn.End(), docStart.End()} {
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

// writeBlock streams one PmtInf block and checks its rows against its
// announced count and sum.
func writeBlock(enc *xml.Encoder, w io.Writer, b PaymentBatch, bl PaymentBlock, debtorName, debtorIBAN string, agent p1Agent) error {
	ctrlSum := FormatEuros(bl.ControlSum, '.')
	pmtInf := xml.StartElement{Name: xml.Name{Local: "PmtInf"}}
	tpInf := p1PmtTpInf{SvcLvlCd: "SEPA"}
	if bl.CategoryPurpose != "" {
		tpInf.CtgyPurpCd = &p1Code{Cd: bl.CategoryPurpose}
	}
	// The PmtInf children that precede the transactions, in XSD order.
	steps := []func() error{
		func() error { return enc.EncodeToken(pmtInf) },
		elem(enc, "PmtInfId", bl.PaymentInfoID),
		elem(enc, "PmtMtd", "TRF"),
		elem(enc, "BtchBookg", true),
		elem(enc, "NbOfTxs", bl.Count),
		elem(enc, "CtrlSum", ctrlSum),
		elem(enc, "PmtTpInf", tpInf),
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
			return fmt.Errorf("pain.001: write header of %s: %w", bl.PaymentInfoID, err)
		}
	}
	rows, flush, err := rowsAfter(enc, w)
	if err != nil {
		return fmt.Errorf("pain.001: %w", err)
	}
	var (
		n   int
		sum int64
	)
	for p, err := range bl.Payments {
		if err != nil {
			return fmt.Errorf("pain.001: payment %d: %w", n+1, err)
		}
		n++
		if n > bl.Count {
			// Fail before writing a row the header does not announce.
			return fmt.Errorf("%w: more than the %d payments announced", ErrControlMismatch, bl.Count)
		}
		tx, err := checkPayment(p)
		if err != nil {
			return fmt.Errorf("pain.001: payment %d (%s): %w", n, tx.EndToEndID, err)
		}
		if sum > math.MaxInt64-int64(p.Amount) {
			return fmt.Errorf("pain.001: payment %d: control sum overflows", n)
		}
		sum += int64(p.Amount)
		rows.transfer(tx)
	}
	if err := flush(); err != nil {
		return fmt.Errorf("pain.001: %w", err)
	}
	if n != bl.Count || sum != int64(bl.ControlSum) {
		return fmt.Errorf("%w: header says %d payments / %s EUR, rows have %d / %s EUR",
			ErrControlMismatch, bl.Count, ctrlSum, n, FormatEuros(models.Cents(sum), '.'))
	}
	if err := enc.EncodeToken(pmtInf.End()); err != nil {
		return fmt.Errorf("pain.001: %w", err)
	}
	return nil
}

// elem returns a step that encodes v as <name>…</name>.
func elem(enc *xml.Encoder, name string, v any) func() error {
	return func() error {
		return enc.EncodeElement(v, xml.StartElement{Name: xml.Name{Local: name}})
	}
}

// checkPayment validates p and returns it as written: trimmed, truncated,
// the IBAN in its electronic form.
func checkPayment(p Payment) (Payment, error) {
	p.EndToEndID = strings.TrimSpace(p.EndToEndID)
	if p.EndToEndID == "" {
		p.EndToEndID = notProvide
	}
	if err := checkID("EndToEndID", p.EndToEndID, maxID); err != nil {
		return p, err
	}
	if p.Amount <= 0 {
		return p, fmt.Errorf("amount %s must be positive", FormatEuros(p.Amount, '.'))
	}
	p.CreditorName = truncRunes(p.CreditorName, maxName)
	if p.CreditorName == "" {
		return p, errors.New("creditor name is required")
	}
	iban, err := normIBAN(p.CreditorIBAN)
	if err != nil {
		return p, fmt.Errorf("creditor: %w", err)
	}
	p.CreditorIBAN = iban
	p.RemittanceInfo = truncRunes(p.RemittanceInfo, maxUstrd)
	return p, nil
}

// transfer writes one CdtTrfTxInf in the sequence order of pain.001.001.09.
func (x rowWriter) transfer(p Payment) {
	x.open("CdtTrfTxInf")
	x.open("PmtId")
	x.leaf("EndToEndId", p.EndToEndID)
	x.close("PmtId")
	x.open("Amt")
	x.leafAttr("InstdAmt", "Ccy", "EUR", FormatEuros(p.Amount, '.'))
	x.close("Amt")
	x.open("Cdtr")
	x.leaf("Nm", p.CreditorName)
	x.close("Cdtr")
	x.open("CdtrAcct")
	x.open("Id")
	x.leaf("IBAN", p.CreditorIBAN)
	x.close("Id")
	x.close("CdtrAcct")
	if p.RemittanceInfo != "" {
		x.open("RmtInf")
		x.leaf("Ustrd", p.RemittanceInfo)
		x.close("RmtInf")
	}
	x.close("CdtTrfTxInf")
}
