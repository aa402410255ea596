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

// invoiceRow is one invoice of the invoices CSV.
type invoiceRow struct {
	Number, CustomerID, CustomerName, BusinessID, Reference, RF, VatTreatment string
	Date, Due                                                                 models.Date
	Net, Vat, Gross                                                           models.Cents
}

// InvoicesCSV prepares the run's invoices for accounting, in number order.
// Credit notes belong to no run; they are exported one by one as Finvoice.
func (s *Service) InvoicesCSV(ctx context.Context, p auth.Principal, runID string, d export.Dialect) (File, error) {
	run, err := s.prepare(ctx, p, runID)
	if err != nil {
		return File{}, err
	}
	header := []string{"invoice_number", "invoice_date", "due_date", "customer_id", "customer_name", "business_id",
		"reference_number", "rf_reference", "net_eur", "vat_eur", "gross_eur", "vat_treatment"}
	scan := func(rs *sql.Rows, r *invoiceRow) error {
		return rs.Scan(&r.Number, &r.Date, &r.Due, &r.CustomerID, &r.CustomerName, &r.BusinessID, &r.Reference, &r.RF,
			&r.Net, &r.Vat, &r.Gross, &r.VatTreatment)
	}
	seq := rows(ctx, s.DB.Gorm, scan, `SELECT i.invoice_number, i.invoice_date, i.due_date, i.customer_id, o.name, o.business_id,
		i.reference_number, i.rf_reference, i.net_cents, i.vat_cents, i.gross_cents, i.vat_treatment
		FROM invoices i JOIN organizations o ON o.id = i.customer_id
		WHERE i.tenant_id = ? AND i.billing_run_id = ? ORDER BY i.invoice_number`, p.TenantID, run.ID)
	return File{
		Name:        fmt.Sprintf("invoices-%s.csv", runLabel(run)),
		ContentType: ContentTypeCSV,
		Write: func(w io.Writer) error {
			return writeCSV(w, d, header, seq, func(r *invoiceRow) []any {
				return []any{r.Number, r.Date.String(), r.Due.String(), r.CustomerID, r.CustomerName, r.BusinessID,
					r.Reference, r.RF, r.Net, r.Vat, r.Gross, r.VatTreatment}
			})
		},
	}, nil
}

// JournalCSV prepares the run's journal in posting order; its debit and
// credit columns sum to the same amount (the run checked it when it wrote).
func (s *Service) JournalCSV(ctx context.Context, p auth.Principal, runID string, d export.Dialect) (File, error) {
	run, err := s.prepare(ctx, p, runID)
	if err != nil {
		return File{}, err
	}
	header := []string{"line_no", "entry_date", "account", "debit_eur", "credit_eur", "memo"}
	scan := func(rs *sql.Rows, j *models.JournalEntry) error {
		return rs.Scan(&j.LineNo, &j.EntryDate, &j.Account, &j.DebitCents, &j.CreditCents, &j.Memo)
	}
	seq := rows(ctx, s.DB.Gorm, scan, `SELECT line_no, entry_date, account, debit_cents, credit_cents, memo
		FROM journal_entries WHERE tenant_id = ? AND billing_run_id = ? ORDER BY line_no`, p.TenantID, run.ID)
	return File{
		Name:        fmt.Sprintf("journal-%s.csv", runLabel(run)),
		ContentType: ContentTypeCSV,
		Write: func(w io.Writer) error {
			return writeCSV(w, d, header, seq, func(j *models.JournalEntry) []any {
				return []any{j.LineNo, j.EntryDate.String(), j.Account, j.DebitCents, j.CreditCents, j.Memo}
			})
		},
	}, nil
}
