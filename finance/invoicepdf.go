package finance

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"jobcenter/auth"
	"jobcenter/finance/export"
	"jobcenter/finance/pdf"
	"jobcenter/models"
)

// ContentTypePDF is the content type of the PDF documents.
const ContentTypePDF = "application/pdf"

// InvoicePDF prepares an invoice or credit note as a PDF in the customer's
// language, with what the VAT Act (Arvonlisäverolaki 1501/1993, 209 a §)
// requires of an invoice: date and number, both parties with their
// business IDs, the service's kind and quantity, the period it was done in,
// the net per VAT rate with the rate and the VAT, and for a credit note the
// invoice it amends; and the payment details with the bank barcode. Finance
// and admins get any invoice of the tenant, a customer user only its own.
// No participant is named: lines are orders and kinds.
func (s *Service) InvoicePDF(ctx context.Context, p auth.Principal, invoiceID string) (File, error) {
	customer := ""
	switch p.Role {
	case models.RoleFinance, models.RoleAdmin:
	case models.RoleCustomer:
		customer = p.OrganizationID
	default:
		return File{}, fmt.Errorf("role %s may not read invoices: %w", p.Role, models.ErrForbidden)
	}
	d, err := s.loadDocument(ctx, p.TenantID, invoiceID, customer)
	if err != nil {
		return File{}, err
	}
	var buf bytes.Buffer
	if err := s.renderInvoice(&buf, d); err != nil {
		return File{}, err
	}
	return File{
		Name:        fmt.Sprintf("invoice-%s.pdf", d.inv.InvoiceNumber),
		ContentType: ContentTypePDF,
		Write: func(w io.Writer) error {
			_, err := buf.WriteTo(w)
			return err
		},
	}, nil
}

func (s *Service) renderInvoice(w io.Writer, d document) error {
	inv, t, b := d.inv, d.tenant, d.buyer
	doc := pdf.NewDocument(b.Language, localDate(inv.InvoiceDate, s.Loc))
	euros := func(c models.Cents) string { return export.FormatEuros(c, ',') + " €" }
	percent := func(bps int64) string {
		if bps%100 == 0 {
			return fmt.Sprintf("%d", bps/100)
		}
		return fmt.Sprintf("%d,%d", bps/100, bps%100/10)
	}
	vatNo := func(id string) string { return "FI" + id[:7] + id[8:] }

	title := doc.T("invoice")
	if d.original != nil {
		title = doc.T("credit_note")
	}
	party := func(role, name, id, street, postal, city string) []string {
		lines := []string{doc.T(role) + ": " + name, street, postal + " " + city, doc.T("business_id") + " " + id}
		if inv.VatTreatment != models.VatInternal && len(id) == 9 {
			lines = append(lines, doc.T("vat_number")+" "+vatNo(id))
		}
		return lines
	}
	doc.Header(title,
		party("seller", t.Name, t.BusinessID, t.Street, t.PostalCode, t.City),
		party("buyer", b.Name, b.BusinessID, b.BillingStreet, b.BillingPostalCode, b.BillingCity))

	fields := []pdf.Field{
		{Label: doc.T("invoice_number"), Value: inv.InvoiceNumber},
		{Label: doc.T("invoice_date"), Value: finnishDate(inv.InvoiceDate)},
	}
	if d.period != (models.Period{}) {
		fields = append(fields, pdf.Field{Label: doc.T("invoicing_period"),
			Value: finnishDate(d.period.FirstDay()) + "–" + finnishDate(d.period.LastDay())})
	}
	if d.original != nil {
		fields = append(fields, pdf.Field{Label: doc.T("credits_invoice"),
			Value: d.original.InvoiceNumber + " (" + finnishDate(d.original.InvoiceDate) + ")"})
	}
	days := int(localDate(inv.DueDate, time.UTC).Sub(localDate(inv.InvoiceDate, time.UTC)).Hours() / 24)
	fields = append(fields,
		pdf.Field{Label: doc.T("payment_terms"), Value: fmt.Sprintf(doc.T("payment_terms_days"), days)},
		pdf.Field{Label: doc.T("due_date"), Value: finnishDate(inv.DueDate)},
		pdf.Field{Label: doc.T("iban"), Value: formatIBAN(t.IBAN)},
		pdf.Field{Label: doc.T("bic"), Value: t.BIC},
		pdf.Field{Label: doc.T("reference"), Value: inv.ReferenceNumber + "  /  " + inv.RFReference})
	doc.Fields(fields)

	cols := []pdf.Column{{Heading: doc.T("col_order"), Width: 0.30, Align: "L"}, {Heading: doc.T("col_kind"), Width: 0.22, Align: "L"},
		{Heading: doc.T("col_quantity"), Width: 0.12, Align: "R"}, {Heading: doc.T("col_unit_price"), Width: 0.12, Align: "R"},
		{Heading: doc.T("col_vat"), Width: 0.09, Align: "R"}, {Heading: doc.T("col_amount"), Width: 0.15, Align: "R"}}
	var rows [][]string
	for _, l := range d.lines {
		order := l.TaskTypeName + ", " + l.SiteAddress
		if l.CustomerReference != "" {
			order = l.CustomerReference + " · " + order
		}
		qty := export.FormatEuros(models.Cents(models.HalfUpDiv(l.Minutes*100, 60)), ',') + " " + doc.T("unit_hours")
		if l.Kind == "late_cancellation" {
			qty = fmt.Sprintf("%d %s", l.Count, doc.T("unit_pieces"))
		}
		rows = append(rows, []string{order, doc.T(l.Kind), qty, euros(l.UnitPriceCents), percent(l.VatBps), euros(l.AmountCents)})
	}
	doc.Table(cols, rows)

	var vatRows [][]string
	for _, v := range d.vat {
		vatRows = append(vatRows, []string{fmt.Sprintf(doc.T("vat_rate_row"), percent(v.VatBps)), euros(v.NetCents), euros(v.VatCents)})
	}
	doc.Table([]pdf.Column{{Heading: doc.T("col_vat"), Width: 0.5, Align: "L"}, {Heading: doc.T("vat_base"), Width: 0.25, Align: "R"},
		{Heading: doc.T("vat_amount"), Width: 0.25, Align: "R"}}, vatRows)
	gross := doc.T("gross_total")
	if d.original != nil {
		gross = doc.T("credit_total")
	}
	doc.Totals([]pdf.Field{{Label: doc.T("net_total"), Value: euros(inv.NetCents)},
		{Label: doc.T("vat_total"), Value: euros(inv.VatCents)}, {Label: gross, Value: euros(inv.GrossCents)}})
	switch inv.VatTreatment {
	case models.VatInternal:
		doc.Text(doc.T("internal_charge"))
	case models.VatExempt:
		doc.Text(fmt.Sprintf(doc.T("exempt"), inv.VatExemptReason))
	}

	if inv.GrossCents <= 0 {
		doc.Text(doc.T("credit_note_no_pay"))
		return doc.Write(w)
	}
	// The RF form makes a version 5 barcode; both forms name the same payment.
	code, err := pdf.VirtualBarcode(t.IBAN, inv.ReferenceNumber, inv.GrossCents, inv.DueDate)
	if err != nil {
		return fmt.Errorf("bank barcode of invoice %s: %w", inv.InvoiceNumber, err)
	}
	doc.Text(doc.T("virtual_barcode") + ": " + code)
	if err := doc.Code128(code, 13); err != nil {
		return err
	}
	return doc.Write(w)
}

// finnishDate writes a date as 1.11.2026, as Finnish, Swedish and English
// invoices in Finland all do.
func finnishDate(d models.Date) string { return fmt.Sprintf("%d.%d.%d", d.Day, int(d.Month), d.Year) }

// formatIBAN groups an IBAN in fours for reading.
func formatIBAN(iban string) string {
	s := models.NormalizeIBAN(iban)
	var out []byte
	for i := 0; i < len(s); i++ {
		if i > 0 && i%4 == 0 {
			out = append(out, ' ')
		}
		out = append(out, s[i])
	}
	return string(out)
}
