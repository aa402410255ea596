package finance

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"

	"jobcenter/auth"
	"jobcenter/billing"
	"jobcenter/billing/export"
	"jobcenter/models"
	"jobcenter/store"
)

// lineTexts name the invoice line kinds on the customer's invoice.
var lineTexts = map[string]string{
	billing.KindParticipantHours: "Työryhmän tunnit",
	billing.KindSupervisorHours:  "Työnohjaajan tunnit",
	billing.KindLateCancellation: "Myöhäisen peruutuksen maksu",
}

// invoiceLine is a stored line with the order it bills.
type invoiceLine struct {
	models.InvoiceLine
	SiteAddress  string
	TaskTypeName string
}

// Finvoice prepares one invoice or credit note as Finvoice 3.0: the tenant
// (the job center) sells, the customer buys. The document is small, so it
// is rendered whole here and any inconsistency is a 500, not a cut file.
func (s *Service) Finvoice(ctx context.Context, p auth.Principal, invoiceID string) (File, error) {
	if err := financeOnly(p); err != nil {
		return File{}, err
	}
	db := s.DB.Gorm.WithContext(ctx)
	var inv models.Invoice
	if err := db.Where("tenant_id = ? AND id = ?", p.TenantID, invoiceID).Take(&inv).Error; err != nil {
		return File{}, store.NotFound(err, "invoice")
	}
	var tenant models.Tenant
	if err := db.Where("id = ?", p.TenantID).Take(&tenant).Error; err != nil {
		return File{}, store.NotFound(err, "tenant")
	}
	if tenant.BusinessID == "" || !models.ValidIBAN(tenant.IBAN) {
		return File{}, models.Conflict("seller_details_missing",
			"the job center's business ID and IBAN must be set before invoices can be sent as e-invoices")
	}
	buyer, err := s.organization(ctx, p, inv.CustomerID, models.KindCustomer)
	if err != nil {
		return File{}, err
	}
	var lines []invoiceLine
	if err := db.Raw(`SELECT l.*, o.site_address, tt.name AS task_type_name FROM invoice_lines l
		JOIN orders o ON o.id = l.order_id JOIN task_types tt ON tt.id = o.task_type_id
		WHERE l.invoice_id = ? ORDER BY l.line_no`, inv.ID).Scan(&lines).Error; err != nil {
		return File{}, fmt.Errorf("invoice lines: %w", err)
	}
	var vat []models.InvoiceVat
	if err := db.Where("invoice_id = ?", inv.ID).Order("vat_bps").Find(&vat).Error; err != nil {
		return File{}, fmt.Errorf("invoice VAT: %w", err)
	}
	doc := export.Invoice{
		Number:  inv.InvoiceNumber,
		Date:    localDate(inv.InvoiceDate, s.Loc),
		DueDate: localDate(inv.DueDate, s.Loc),
		SentAt:  s.Clock.Now().In(s.Loc),
		Seller: export.Party{Name: tenant.Name, BusinessID: tenant.BusinessID, Street: tenant.Street,
			PostalCode: tenant.PostalCode, City: tenant.City, IBAN: tenant.IBAN, BIC: tenant.BIC},
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
	if inv.CreditsInvoiceID != nil {
		var orig models.Invoice
		if err := db.Where("tenant_id = ? AND id = ?", p.TenantID, *inv.CreditsInvoiceID).Take(&orig).Error; err != nil {
			return File{}, fmt.Errorf("credited invoice: %w", err)
		}
		doc.CreditsNumber = orig.InvoiceNumber
	}
	for _, l := range lines {
		row := export.InvoiceRow{Description: fmt.Sprintf("%s: %s, %s", lineTexts[l.Kind], l.TaskTypeName, l.SiteAddress),
			UnitPrice: l.UnitPriceCents, Amount: l.AmountCents, VatBps: l.VatBps}
		if l.Kind == billing.KindLateCancellation {
			row.Quantity, row.Unit = l.Count, "kpl"
		} else {
			row.Minutes = l.Minutes
		}
		doc.Rows = append(doc.Rows, row)
	}
	for _, v := range vat {
		doc.VatBreakdown = append(doc.VatBreakdown, export.VatGroup{VatBps: v.VatBps, Net: v.NetCents, Vat: v.VatCents})
	}
	var buf bytes.Buffer
	if err := export.WriteFinvoice(&buf, doc); err != nil {
		return File{}, err
	}
	return File{
		Name:        fmt.Sprintf("finvoice-%s-%s.xml", inv.InvoiceNumber, slug(buyer.Name)),
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
