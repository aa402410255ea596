package export

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"iter"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"jobcenter/internal/xmlschema"
	"jobcenter/models"
)

var helsinki = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		return time.FixedZone("EET", 2*3600)
	}
	return loc
}()

func seqOf(ps ...Payment) iter.Seq2[Payment, error] {
	return func(yield func(Payment, error) bool) {
		for _, p := range ps {
			if !yield(p, nil) {
				return
			}
		}
	}
}

func testBatch(count int, sum models.Cents) PaymentBatch {
	return PaymentBatch{
		MessageID:     "PAYOUT-2026-10-ORG1",
		CreatedAt:     time.Date(2026, 11, 1, 2, 0, 0, 0, helsinki),
		ExecutionDate: time.Date(2026, 11, 3, 0, 0, 0, 0, helsinki),
		DebtorName:    "Työpaja Oy",
		DebtorIBAN:    "FI21 1234 5600 0007 85",
		PaymentInfoID: "RUN-42-ORG1",
		Count:         count,
		ControlSum:    sum,
	}
}

var threePayments = []Payment{
	{EndToEndID: "PO-1", CreditorName: "Åsa Ölander & <Søn>", CreditorIBAN: "FI0650001520000013", Amount: 12345, RemittanceInfo: "Päiväraha 10/2026 & <muut>"},
	{EndToEndID: "PO-2", CreditorName: "Дмитрий", CreditorIBAN: "FI3240050012345678", Amount: 1},
	{EndToEndID: "PO-3", CreditorName: "Matti Meikäläinen", CreditorIBAN: "FI6479771000012345", Amount: 100000},
}

// Test-side view of the document: just what we assert on.
type pain001Doc struct {
	XMLName xml.Name `xml:"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09 Document"`
	GrpHdr  struct {
		MsgID   string `xml:"MsgId"`
		NbOfTxs int    `xml:"NbOfTxs"`
		CtrlSum string `xml:"CtrlSum"`
	} `xml:"CstmrCdtTrfInitn>GrpHdr"`
	PmtInf []struct {
		PmtMtd    string `xml:"PmtMtd"`
		BtchBookg bool   `xml:"BtchBookg"`
		NbOfTxs   int    `xml:"NbOfTxs"`
		CtrlSum   string `xml:"CtrlSum"`
		SvcLvl    string `xml:"PmtTpInf>SvcLvl>Cd"`
		Dt        string `xml:"ReqdExctnDt>Dt"`
		ChrgBr    string `xml:"ChrgBr"`
		Othr      string `xml:"DbtrAgt>FinInstnId>Othr>Id"`
		Tx        []struct {
			EndToEndID string `xml:"PmtId>EndToEndId"`
			Amt        struct {
				Ccy   string `xml:"Ccy,attr"`
				Value string `xml:",chardata"`
			} `xml:"Amt>InstdAmt"`
			Name  string `xml:"Cdtr>Nm"`
			IBAN  string `xml:"CdtrAcct>Id>IBAN"`
			Ustrd string `xml:"RmtInf>Ustrd"`
		} `xml:"CdtTrfTxInf"`
	} `xml:"CstmrCdtTrfInitn>PmtInf"`
}

func TestPain001ThreePaymentsRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	sum := models.Cents(12345 + 1 + 100000)
	if err := WritePain001(&buf, testBatch(3, sum), seqOf(threePayments...)); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	xmlschema.Validate(t, "pain.001.001.09.xsd", out)
	if bytes.Contains(out, []byte("<Søn>")) || !bytes.Contains(out, []byte("&amp;")) {
		t.Fatalf("special characters not escaped:\n%s", out)
	}

	var doc pain001Doc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("unmarshal: %v\n%s", err, out)
	}
	if doc.GrpHdr.NbOfTxs != 3 || doc.GrpHdr.CtrlSum != "1123.46" {
		t.Errorf("GrpHdr = %+v", doc.GrpHdr)
	}
	if len(doc.PmtInf) != 1 {
		t.Fatalf("want one PmtInf, got %d", len(doc.PmtInf))
	}
	pi := doc.PmtInf[0]
	if pi.NbOfTxs != 3 || pi.CtrlSum != "1123.46" || pi.PmtMtd != "TRF" || !pi.BtchBookg ||
		pi.SvcLvl != "SEPA" || pi.ChrgBr != "SLEV" || pi.Dt != "2026-11-03" || pi.Othr != "NOTPROVIDED" {
		t.Errorf("PmtInf header = %+v", pi)
	}
	if len(pi.Tx) != 3 {
		t.Fatalf("want 3 transactions, got %d", len(pi.Tx))
	}
	wantAmt := []string{"123.45", "0.01", "1000.00"}
	var parsedSum int
	for i, tx := range pi.Tx {
		p := threePayments[i]
		if tx.EndToEndID != p.EndToEndID || tx.Name != p.CreditorName || tx.IBAN != p.CreditorIBAN ||
			tx.Amt.Ccy != "EUR" || tx.Amt.Value != wantAmt[i] || tx.Ustrd != p.RemittanceInfo {
			t.Errorf("tx %d = %+v, want %+v", i, tx, p)
		}
		var eur, ct int
		fmt.Sscanf(tx.Amt.Value, "%d.%d", &eur, &ct)
		parsedSum += eur*100 + ct
	}
	if parsedSum != int(sum) {
		t.Errorf("rows sum to %d cents, control sum %d", parsedSum, sum)
	}
}

func TestPain001WithBICAndLongName(t *testing.T) {
	b := testBatch(1, 500)
	b.DebtorBIC = "okoyfihh"
	long := strings.Repeat("Ä", 69) + "Öö" // 71 runes, 142 bytes
	var buf bytes.Buffer
	err := WritePain001(&buf, b, seqOf(Payment{CreditorName: long, CreditorIBAN: "FI1810001000012345", Amount: 500}))
	if err != nil {
		t.Fatal(err)
	}
	xmlschema.Validate(t, "pain.001.001.09.xsd", buf.Bytes())
	var doc pain001Doc
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	tx := doc.PmtInf[0].Tx[0]
	if tx.Name != strings.Repeat("Ä", 69)+"Ö" || tx.EndToEndID != "NOTPROVIDED" {
		t.Errorf("name %q (want 70 runes), e2e %q", tx.Name, tx.EndToEndID)
	}
	if !bytes.Contains(buf.Bytes(), []byte("<BICFI>OKOYFIHH</BICFI>")) {
		t.Error("BIC not written")
	}
}

func TestPain001HeaderMismatch(t *testing.T) {
	sum := models.Cents(12345 + 1 + 100000)
	cases := map[string]PaymentBatch{
		"fewer rows than Count": testBatch(4, sum),
		"more rows than Count":  testBatch(2, sum),
		"control sum differs":   testBatch(3, sum+1),
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			err := WritePain001(&buf, b, seqOf(threePayments...))
			if !errors.Is(err, ErrControlMismatch) {
				t.Fatalf("want ErrControlMismatch, got %v", err)
			}
			// The partial output must not be a complete document.
			if bytes.Contains(buf.Bytes(), []byte("</Document>")) {
				t.Error("document was closed despite the error")
			}
		})
	}
}

func TestPain001RowErrors(t *testing.T) {
	iterErr := errors.New("db gone")
	cases := map[string]iter.Seq2[Payment, error]{
		"iterator error": func(yield func(Payment, error) bool) { yield(Payment{}, iterErr) },
		"zero amount":    seqOf(Payment{CreditorName: "A", CreditorIBAN: "FI2112345600000785"}),
		"bad IBAN":       seqOf(Payment{CreditorName: "A", CreditorIBAN: "FI2112345600000786", Amount: 1}),
		"long id":        seqOf(Payment{EndToEndID: strings.Repeat("x", 36), CreditorName: "A", CreditorIBAN: "FI2112345600000785", Amount: 1}),
	}
	for name, seq := range cases {
		t.Run(name, func(t *testing.T) {
			err := WritePain001(io.Discard, testBatch(1, 1), seq)
			if err == nil {
				t.Fatal("want an error")
			}
			if strings.Contains(err.Error(), "12345600000786") {
				t.Errorf("error leaks the IBAN: %v", err)
			}
		})
	}
	if err := WritePain001(io.Discard, testBatch(1, 1), seqOf()); !errors.Is(err, ErrControlMismatch) {
		t.Errorf("empty stream: %v", err)
	}
}

// genPayments yields n payments without keeping any of them alive.
func genPayments(n int, sample func(i int)) iter.Seq2[Payment, error] {
	return func(yield func(Payment, error) bool) {
		for i := range n {
			if sample != nil {
				sample(i)
			}
			p := Payment{
				EndToEndID:     fmt.Sprintf("PO-%d", i),
				CreditorName:   "Åsa Ölander & <Søn>",
				CreditorIBAN:   "FI0650001520000013",
				Amount:         models.Cents(100 + i%1000),
				RemittanceInfo: "Päiväraha",
			}
			if !yield(p, nil) {
				return
			}
		}
	}
}

func sumPayments(n int) models.Cents {
	var s models.Cents
	for i := range n {
		s += models.Cents(100 + i%1000)
	}
	return s
}

// peakLiveHeap writes n payments to io.Discard and returns the highest live
// heap (after a forced GC) seen at regular points while streaming.
func peakLiveHeap(t *testing.T, n int) uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	var peak uint64
	sample := func(i int) {
		if i%10000 != 0 {
			return
		}
		runtime.GC()
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
	}
	if err := WritePain001(io.Discard, testBatch(n, sumPayments(n)), genPayments(n, sample)); err != nil {
		t.Fatal(err)
	}
	if peak < base {
		return 0
	}
	return peak - base
}

func TestPain001StreamsInConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 220,000 payments")
	}
	const slack = 4 << 20 // generous: GC and runtime noise, never per-row growth
	small := peakLiveHeap(t, 20_000)
	large := peakLiveHeap(t, 200_000)
	t.Logf("peak live heap above baseline: 20k rows %d B, 200k rows %d B", small, large)
	if large > small+slack {
		t.Fatalf("memory grows with the row count: 20k → %d B, 200k → %d B", small, large)
	}
	// Each row allocates only a bounded, small amount (no accumulation).
	allocs := testing.AllocsPerRun(3, func() {
		_ = WritePain001(io.Discard, testBatch(1000, sumPayments(1000)), genPayments(1000, nil))
	})
	if perRow := allocs / 1000; perRow > 100 {
		t.Errorf("%.1f allocations per row", perRow)
	}
}

func TestPain001NotSorted(t *testing.T) {
	// Sanity: the writer keeps input order (callers sort, e.g. by name).
	var buf bytes.Buffer
	ps := slices.Clone(threePayments)
	slices.Reverse(ps)
	if err := WritePain001(&buf, testBatch(3, 112346), seqOf(ps...)); err != nil {
		t.Fatal(err)
	}
	var doc pain001Doc
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.PmtInf[0].Tx[0].EndToEndID != "PO-3" {
		t.Error("order not kept")
	}
}
