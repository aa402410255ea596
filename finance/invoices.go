package finance

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"jobcenter/auth"
	"jobcenter/finance/export"
	"jobcenter/models"
	"jobcenter/store"
)

// lineTexts name the invoice line kinds on the customer's invoice.
var lineTexts = map[string]string{
	models.KindParticipantHours: "Työryhmän tunnit",
	models.KindSupervisorHours:  "Työnohjaajan tunnit",
	models.KindLateCancellation: "Myöhäisen peruutuksen maksu",
}

// invoiceLine is a stored line with the order it bills.
type invoiceLine struct {
	models.InvoiceLine
	SiteAddress       string
	TaskTypeName      string
	CustomerReference string
}

// document is a stored invoice or credit note with everything a rendering
// of it needs: the seller (the tenant, the job center), the buyer (the
// customer) and the lines with their orders. Never a participant.
type document struct {
	inv    models.Invoice
	tenant models.Tenant
	buyer  models.Organization
	lines  []invoiceLine
	vat    []models.InvoiceVat
	// period is the month billed: the run's, or for a credit note the
	// credited invoice's run's.
	period   models.Period
	original *models.Invoice // a credit note's credited invoice
}

// loadDocument loads an invoice of the tenant; customerID, when set, limits
// it to that customer's invoices (another's is not found). The seller's
// business ID and IBAN must be set: no invoice goes out without them.
func (s *Service) loadDocument(ctx context.Context, tenantID, invoiceID, customerID string) (document, error) {
	var d document
	db := s.DB.Gorm.WithContext(ctx)
	q := db.Where("tenant_id = ? AND id = ?", tenantID, invoiceID)
	if customerID != "" {
		q = q.Where("customer_id = ?", customerID)
	}
	if err := q.Take(&d.inv).Error; err != nil {
		return d, store.NotFound(err, "invoice")
	}
	if err := db.Where("id = ?", tenantID).Take(&d.tenant).Error; err != nil {
		return d, store.NotFound(err, "tenant")
	}
	if d.tenant.BusinessID == "" || !models.ValidIBAN(d.tenant.IBAN) {
		return d, models.Conflict("seller_details_missing",
			"the job center's business ID and IBAN must be set (PATCH /v1/tenant) before invoices can be sent")
	}
	if err := db.Where("tenant_id = ? AND id = ? AND kind = ?", tenantID, d.inv.CustomerID, models.KindCustomer).Take(&d.buyer).Error; err != nil {
		return d, store.NotFound(err, "customer")
	}
	if err := db.Raw(`SELECT l.*, o.site_address, o.customer_reference, tt.name AS task_type_name FROM invoice_lines l
		JOIN orders o ON o.id = l.order_id JOIN task_types tt ON tt.id = o.task_type_id
		WHERE l.invoice_id = ? ORDER BY l.line_no`, d.inv.ID).Scan(&d.lines).Error; err != nil {
		return d, fmt.Errorf("invoice lines: %w", err)
	}
	if err := db.Where("invoice_id = ?", d.inv.ID).Order("vat_bps").Find(&d.vat).Error; err != nil {
		return d, fmt.Errorf("invoice VAT: %w", err)
	}
	runInvoice := d.inv
	if d.inv.CreditsInvoiceID != nil {
		var orig models.Invoice
		if err := db.Where("tenant_id = ? AND id = ?", tenantID, *d.inv.CreditsInvoiceID).Take(&orig).Error; err != nil {
			return d, fmt.Errorf("credited invoice: %w", err)
		}
		d.original, runInvoice = &orig, orig
	}
	if runInvoice.BillingRunID != nil {
		var run models.BillingRun
		if err := db.Where("id = ?", *runInvoice.BillingRunID).Take(&run).Error; err != nil {
			return d, fmt.Errorf("billing run of the invoice: %w", err)
		}
		per, err := models.ParsePeriod(run.Period)
		if err != nil {
			return d, fmt.Errorf("billing run period: %w", err)
		}
		d.period = per
	}
	return d, nil
}

// finvoice is the document as the Finvoice writer takes it.
func (s *Service) finvoice(d document) export.Invoice {
	inv, tenant, buyer := d.inv, d.tenant, d.buyer
	doc := export.Invoice{
		Number:  inv.InvoiceNumber,
		Date:    localDate(inv.InvoiceDate, s.Loc),
		DueDate: localDate(inv.DueDate, s.Loc),
		SentAt:  s.Clock.Now().In(s.Loc),
		Seller: export.Party{Name: tenant.Name, BusinessID: tenant.BusinessID, Street: tenant.Street,
			PostalCode: tenant.PostalCode, City: tenant.City, IBAN: tenant.IBAN, BIC: tenant.BIC,
			EinvoiceAddress: tenant.EinvoiceAddress, EinvoiceOperator: tenant.EinvoiceOperator},
		Buyer: export.Party{Name: buyer.Name, BusinessID: buyer.BusinessID, Street: buyer.BillingStreet,
			PostalCode: buyer.BillingPostalCode, City: buyer.BillingCity, CountryCode: buyer.BillingCountry,
			EinvoiceAddress: buyer.EinvoiceAddress, EinvoiceOperator: buyer.EinvoiceOperator},
		Reference:       inv.ReferenceNumber,
		Net:             inv.NetCents,
		Vat:             inv.VatCents,
		Gross:           inv.GrossCents,
		VatTreatment:    inv.VatTreatment,
		VatExemptReason: inv.VatExemptReason,
	}
	if d.period != (models.Period{}) {
		doc.PeriodStart, doc.PeriodEnd = localDate(d.period.FirstDay(), s.Loc), localDate(d.period.LastDay(), s.Loc)
	}
	if d.original != nil {
		doc.CreditsNumber, doc.CreditsDate = d.original.InvoiceNumber, localDate(d.original.InvoiceDate, s.Loc)
	}
	for _, l := range d.lines {
		row := export.InvoiceRow{Description: fmt.Sprintf("%s: %s, %s", lineTexts[l.Kind], l.TaskTypeName, l.SiteAddress),
			UnitPrice: l.UnitPriceCents, Amount: l.AmountCents, VatBps: l.VatBps, OrderReference: l.CustomerReference}
		if l.Kind == models.KindLateCancellation {
			row.Quantity, row.Unit = l.Count, "kpl"
		} else {
			row.Minutes = l.Minutes
		}
		doc.Rows = append(doc.Rows, row)
	}
	for _, v := range d.vat {
		doc.VatBreakdown = append(doc.VatBreakdown, export.VatGroup{VatBps: v.VatBps, Net: v.NetCents, Vat: v.VatCents})
	}
	return doc
}

// routingFields name, for a coordinator, where each piece of routing data
// is filled in.
var routingFields = map[string]string{
	"seller einvoice_address":  "the job center's einvoice_address (PATCH /v1/tenant)",
	"seller einvoice_operator": "the job center's einvoice_operator (PATCH /v1/tenant)",
	"buyer einvoice_address":   "the customer's einvoice_address (PATCH /v1/organizations/{id})",
	"buyer einvoice_operator":  "the customer's einvoice_operator (PATCH /v1/organizations/{id})",
}

// Finvoice prepares one invoice or credit note as Finvoice 3.0: the tenant
// (the job center) sells, the customer buys. With envelope, the file starts
// with the SOAP transmission frame an e-invoice operator routes by, which
// needs both parties' e-invoice addresses and operators. The document is
// small, so it is rendered whole here and any inconsistency is a 500, not a
// cut file.
func (s *Service) Finvoice(ctx context.Context, p auth.Principal, invoiceID string, envelope bool) (File, error) {
	if err := financeOnly(p); err != nil {
		return File{}, err
	}
	d, err := s.loadDocument(ctx, p.TenantID, invoiceID, "")
	if err != nil {
		return File{}, err
	}
	doc := s.finvoice(d)
	var buf bytes.Buffer
	name := fmt.Sprintf("finvoice-%s-%s.xml", d.inv.InvoiceNumber, slug(d.buyer.Name))
	if envelope {
		if missing := export.MissingRouting(doc); len(missing) > 0 {
			what := make([]string, len(missing))
			for i, m := range missing {
				what[i] = routingFields[m]
			}
			return File{}, models.Conflict("einvoice_routing_missing",
				"an e-invoice operator cannot route this invoice: fill in "+strings.Join(what, ", "))
		}
		err = export.WriteFinvoiceFramed(&buf, doc)
		name = fmt.Sprintf("finvoice-%s-%s-framed.xml", d.inv.InvoiceNumber, slug(d.buyer.Name))
	} else {
		err = export.WriteFinvoice(&buf, doc)
	}
	if err != nil {
		return File{}, err
	}
	return File{
		Name:        name,
		ContentType: ContentTypeXML,
		Write: func(w io.Writer) error {
			_, err := buf.WriteTo(w)
			return err
		},
	}, nil
}

// invoiceRow is one invoice or credit note of the invoices CSV.
type invoiceRow struct {
	Number, CustomerID, CustomerName, BusinessID, Reference, RF, VatTreatment string
	Credits                                                                   *string
	Date, Due                                                                 models.Date
	Net, Vat, Gross                                                           models.Cents
}

// InvoicesCSV prepares the invoices of the books (a run's, or every invoice
// and credit note dated in a posting month) for accounting, in number order.
// A credit note names the invoice it credits.
func (s *Service) InvoicesCSV(ctx context.Context, p auth.Principal, b Books, d export.Dialect) (File, error) {
	sel, err := s.books(ctx, p, b, "i.billing_run_id", "i.invoice_date")
	if err != nil {
		return File{}, err
	}
	header := []string{"invoice_number", "invoice_date", "due_date", "customer_id", "customer_name", "business_id",
		"reference_number", "rf_reference", "net_eur", "vat_eur", "gross_eur", "vat_treatment", "credits_invoice_number"}
	scan := func(rs *sql.Rows, r *invoiceRow) error {
		return rs.Scan(&r.Number, &r.Date, &r.Due, &r.CustomerID, &r.CustomerName, &r.BusinessID, &r.Reference, &r.RF,
			&r.Net, &r.Vat, &r.Gross, &r.VatTreatment, &r.Credits)
	}
	seq := rows(ctx, s.DB.Gorm, scan, `SELECT i.invoice_number, i.invoice_date, i.due_date, i.customer_id, o.name, o.business_id,
		i.reference_number, i.rf_reference, i.net_cents, i.vat_cents, i.gross_cents, i.vat_treatment, ci.invoice_number
		FROM invoices i JOIN organizations o ON o.id = i.customer_id LEFT JOIN invoices ci ON ci.id = i.credits_invoice_id
		WHERE i.tenant_id = ? AND `+sel.where()+` ORDER BY i.invoice_number`, sel.args(p.TenantID)...)
	return File{
		Name:        fmt.Sprintf("invoices-%s.csv", sel.label),
		ContentType: ContentTypeCSV,
		Write: func(w io.Writer) error {
			return writeCSV(w, d, header, seq, func(r *invoiceRow) []any {
				credits := ""
				if r.Credits != nil {
					credits = *r.Credits
				}
				return []any{r.Number, r.Date.String(), r.Due.String(), r.CustomerID, r.CustomerName, r.BusinessID,
					r.Reference, r.RF, r.Net, r.Vat, r.Gross, r.VatTreatment, credits}
			})
		},
	}, nil
}

// journalRow is one posting with the document it belongs to.
type journalRow struct {
	models.JournalEntry
	run        models.BillingRun
	creditNote *string
}

// document names the posting's voucher: the run, or the credit note's
// number.
func (j *journalRow) document() string {
	if j.creditNote != nil {
		return *j.creditNote
	}
	return runLabel(j.run)
}

// JournalCSV prepares the journal of the books (a run, or every run and
// credit note posted in a month) in posting order; its debit and credit
// columns sum to the same amount, as each document's do (checked when it
// was written).
func (s *Service) JournalCSV(ctx context.Context, p auth.Principal, b Books, d export.Dialect) (File, error) {
	sel, err := s.books(ctx, p, b, "j.billing_run_id", "j.entry_date")
	if err != nil {
		return File{}, err
	}
	header := []string{"document", "line_no", "entry_date", "account", "debit_eur", "credit_eur", "memo"}
	scan := func(rs *sql.Rows, j *journalRow) error {
		var runID, period, kind *string
		err := rs.Scan(&j.LineNo, &j.EntryDate, &j.Account, &j.DebitCents, &j.CreditCents, &j.Memo, &runID, &period, &kind, &j.creditNote)
		if runID != nil {
			j.run = models.BillingRun{ID: *runID, Period: *period, Kind: *kind}
		}
		return err
	}
	seq := rows(ctx, s.DB.Gorm, scan, `SELECT j.line_no, j.entry_date, j.account, j.debit_cents, j.credit_cents, j.memo,
			r.id, r.period, r.kind, ci.invoice_number
		FROM journal_entries j LEFT JOIN billing_runs r ON r.id = j.billing_run_id LEFT JOIN invoices ci ON ci.id = j.invoice_id
		WHERE j.tenant_id = ? AND `+sel.where()+` ORDER BY j.entry_date, COALESCE(j.billing_run_id, j.invoice_id), j.line_no`,
		sel.args(p.TenantID)...)
	return File{
		Name:        fmt.Sprintf("journal-%s.csv", sel.label),
		ContentType: ContentTypeCSV,
		Write: func(w io.Writer) error {
			return writeCSV(w, d, header, seq, func(j *journalRow) []any {
				return []any{j.document(), j.LineNo, j.EntryDate.String(), j.Account, j.DebitCents, j.CreditCents, j.Memo}
			})
		},
	}, nil
}
