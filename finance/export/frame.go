package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// The Finvoice transmission frame (Finvoice 3.0 implementation guidelines,
// Finance Finland, v2.2 of 17 December 2020, 9.1 "Message transmission
// frame"): an operator routes a Finvoice by a SOAP envelope with an ebXML
// message header (ebMS 2.0) written before the invoice in the same file. It
// names the sender and the receiver with their intermediators, and the
// message's identifier and timestamp, which repeat the Finvoice's own
// MessageTransmissionDetails. The frame's schema is not published with the
// Finvoice schema.
const (
	soapNS  = "http://schemas.xmlsoap.org/soap/envelope/"
	ebNS    = "http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd"
	xlinkNS = "http://www.w3.org/1999/xlink"
	// FinvoiceSchemaLocation is the Finvoice 3.0 schema the manifest names.
	FinvoiceSchemaLocation = "http://www.finanssiala.fi/finvoice/qualifiedschema/Finvoice3.0.xsd"
)

// Routing is a party's e-invoice address with its operator.
type Routing struct{ Address, Operator string }

// MissingRouting names the routing data an invoice lacks for a transmission
// frame, as "seller einvoice_address" and the like; none means it can be
// framed.
func MissingRouting(inv Invoice) []string {
	var out []string
	for _, p := range []struct {
		who  string
		side Party
	}{{"seller", inv.Seller}, {"buyer", inv.Buyer}} {
		if strings.TrimSpace(p.side.EinvoiceAddress) == "" {
			out = append(out, p.who+" einvoice_address")
		}
		if strings.TrimSpace(p.side.EinvoiceOperator) == "" {
			out = append(out, p.who+" einvoice_operator")
		}
	}
	return out
}

// WriteFinvoiceFramed writes the transmission frame followed by the
// Finvoice, which then carries the same MessageTransmissionDetails.
func WriteFinvoiceFramed(w io.Writer, inv Invoice) error {
	if missing := MissingRouting(inv); len(missing) > 0 {
		return fmt.Errorf("finvoice %s: no transmission frame without %s", inv.Number, strings.Join(missing, ", "))
	}
	doc, err := buildFinvoice(inv)
	if err != nil {
		return fmt.Errorf("finvoice %s: %w", inv.Number, err)
	}
	mt := doc.MessageTransmission
	var b bytes.Buffer
	esc := func(s string) string {
		var e bytes.Buffer
		_ = xml.EscapeText(&e, []byte(s)) // writing to a buffer cannot fail
		return e.String()
	}
	party := func(tag, id, role string) {
		fmt.Fprintf(&b, "      <eb:%s>\n        <eb:PartyId>%s</eb:PartyId>\n        <eb:Role>%s</eb:Role>\n      </eb:%s>\n", tag, esc(id), role, tag)
	}
	b.WriteString(xml.Header)
	fmt.Fprintf(&b, "<SOAP-ENV:Envelope xmlns:SOAP-ENV=%q xmlns:xlink=%q xmlns:eb=%q>\n", soapNS, xlinkNS, ebNS)
	b.WriteString("  <SOAP-ENV:Header>\n")
	b.WriteString("    <eb:MessageHeader SOAP-ENV:mustUnderstand=\"1\" eb:version=\"2.0\">\n")
	party("From", mt.FromIdentifier, "Sender")
	party("From", mt.FromIntermediator, "Intermediator")
	party("To", mt.ToIdentifier, "Receiver")
	party("To", mt.ToIntermediator, "Intermediator")
	b.WriteString("      <eb:CPAId>yoursandmycpa</eb:CPAId>\n")
	b.WriteString("      <eb:ConversationId></eb:ConversationId>\n")
	b.WriteString("      <eb:Service>Routing</eb:Service>\n")
	b.WriteString("      <eb:Action>ProcessInvoice</eb:Action>\n")
	fmt.Fprintf(&b, "      <eb:MessageData>\n        <eb:MessageId>%s</eb:MessageId>\n        <eb:Timestamp>%s</eb:Timestamp>\n      </eb:MessageData>\n",
		esc(mt.MessageIdentifier), esc(mt.MessageTimeStamp))
	b.WriteString("    </eb:MessageHeader>\n  </SOAP-ENV:Header>\n  <SOAP-ENV:Body>\n")
	b.WriteString("    <eb:Manifest eb:id=\"Manifest\" eb:version=\"2.0\">\n")
	fmt.Fprintf(&b, "      <eb:Reference eb:id=\"Finvoice\" xlink:href=\"%s\">\n", esc(mt.MessageIdentifier))
	fmt.Fprintf(&b, "        <eb:Schema eb:location=\"%s\" eb:version=\"3.0\"/>\n", FinvoiceSchemaLocation)
	b.WriteString("      </eb:Reference>\n    </eb:Manifest>\n  </SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n")
	if _, err := b.WriteTo(w); err != nil {
		return err
	}
	return encodeFinvoice(w, doc, inv.Number)
}

// messageTimestamp is when the message is sent: SentAt, or the invoice
// date's midnight.
func messageTimestamp(inv Invoice) string {
	ts := inv.SentAt
	if ts.IsZero() {
		ts = time.Date(inv.Date.Year(), inv.Date.Month(), inv.Date.Day(), 0, 0, 0, 0, inv.Date.Location())
	}
	return ts.Truncate(time.Second).Format(time.RFC3339)
}
