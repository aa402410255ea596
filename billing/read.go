package billing

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/store"
)

// ListRuns pages the tenant's stored runs, optionally of one period.
func (s *Service) ListRuns(ctx context.Context, p auth.Principal, period string, limit int, cursor string) (store.Page[models.BillingRun], error) {
	q := s.DB.Gorm.WithContext(ctx).Where("tenant_id = ?", p.TenantID)
	if period != "" {
		q = q.Where("period = ?", period)
	}
	return store.List[models.BillingRun](q, "billing_runs", limit, cursor)
}

// GetRun loads one run.
func (s *Service) GetRun(ctx context.Context, p auth.Principal, id string) (models.BillingRun, error) {
	var r models.BillingRun
	err := s.DB.Gorm.WithContext(ctx).Where("tenant_id = ? AND id = ?", p.TenantID, id).Take(&r).Error
	return r, store.NotFound(err, "billing run")
}

// invoiceScope limits invoices to the caller: a customer user sees only its
// own customer's.
func invoiceScope(q *gorm.DB, p auth.Principal) *gorm.DB {
	q = q.Where("tenant_id = ?", p.TenantID)
	if p.Role == models.RoleCustomer {
		q = q.Where("customer_id = ?", p.OrganizationID)
	}
	return q
}

// ListInvoices pages invoices and credit notes with their lines.
func (s *Service) ListInvoices(ctx context.Context, p auth.Principal, f InvoiceFilter, limit int, cursor string) (store.Page[StoredInvoice], error) {
	db := s.DB.Gorm.WithContext(ctx)
	q := invoiceScope(db, p)
	if f.RunID != "" {
		q = q.Where("billing_run_id = ?", f.RunID)
	}
	if f.CustomerID != "" {
		q = q.Where("customer_id = ?", f.CustomerID)
	}
	credited := db.Table("invoices AS cn").Select("cn.credits_invoice_id").Where("cn.credits_invoice_id IS NOT NULL")
	switch f.Status {
	case InvoiceOpen:
		q = q.Where("credits_invoice_id IS NULL AND id NOT IN (?)", credited)
	case InvoiceCredited:
		q = q.Where("id IN (?)", credited)
	case InvoiceCreditNote:
		q = q.Where("credits_invoice_id IS NOT NULL")
	}
	page, err := store.List[models.Invoice](q, "invoices", limit, cursor)
	if err != nil {
		return store.Page[StoredInvoice]{}, err
	}
	out := store.Page[StoredInvoice]{NextCursor: page.NextCursor, Items: make([]StoredInvoice, len(page.Items))}
	for i, inv := range page.Items {
		if out.Items[i], err = s.withLines(ctx, inv); err != nil {
			return out, err
		}
	}
	return out, nil
}

// Invoice statuses for listing. No payments are recorded here, so an
// invoice's status says what credit notes did to it: `open` is a regular
// invoice no credit note credits, `credited` one that at least one credit
// note (full or partial) credits, `credit_note` a credit note itself.
const (
	InvoiceOpen       = "open"
	InvoiceCredited   = "credited"
	InvoiceCreditNote = "credit_note"
)

// InvoiceStatuses are the values of InvoiceFilter.Status.
var InvoiceStatuses = []string{InvoiceOpen, InvoiceCredited, InvoiceCreditNote}

// InvoiceFilter narrows a list of invoices; empty fields do not.
type InvoiceFilter struct {
	RunID, CustomerID, Status string
}

// GetInvoice loads one invoice with its lines and VAT breakdown.
func (s *Service) GetInvoice(ctx context.Context, p auth.Principal, id string) (StoredInvoice, error) {
	var inv models.Invoice
	if err := invoiceScope(s.DB.Gorm.WithContext(ctx), p).Where("id = ?", id).Take(&inv).Error; err != nil {
		return StoredInvoice{}, store.NotFound(err, "invoice")
	}
	return s.withLines(ctx, inv)
}

func (s *Service) withLines(ctx context.Context, inv models.Invoice) (StoredInvoice, error) {
	out := StoredInvoice{Invoice: inv}
	db := s.DB.Gorm.WithContext(ctx)
	if err := db.Where("invoice_id = ?", inv.ID).Order("line_no").Find(&out.Lines).Error; err != nil {
		return out, fmt.Errorf("invoice lines: %w", err)
	}
	if err := db.Where("invoice_id = ?", inv.ID).Order("vat_bps").Find(&out.Vat).Error; err != nil {
		return out, fmt.Errorf("invoice VAT: %w", err)
	}
	return out, nil
}

// organiserScope limits settlements and payouts to the caller: a supervisor
// sees only its own organiser's.
func organiserScope(q *gorm.DB, p auth.Principal, runID string) *gorm.DB {
	q = q.Where("tenant_id = ?", p.TenantID)
	if runID != "" {
		q = q.Where("billing_run_id = ?", runID)
	}
	if p.Role == models.RoleSupervisor {
		q = q.Where("organiser_id = ?", p.OrganizationID)
	}
	return q
}

// ListSettlements pages organiser settlements, of one run if given.
func (s *Service) ListSettlements(ctx context.Context, p auth.Principal, runID string, limit int, cursor string) (store.Page[models.Settlement], error) {
	return store.List[models.Settlement](organiserScope(s.DB.Gorm.WithContext(ctx), p, runID), "settlements", limit, cursor)
}

// ListPayouts pages participant payouts, of one run if given.
func (s *Service) ListPayouts(ctx context.Context, p auth.Principal, runID string, limit int, cursor string) (store.Page[models.Payout], error) {
	return store.List[models.Payout](organiserScope(s.DB.Gorm.WithContext(ctx), p, runID), "payouts", limit, cursor)
}

// PaidGroups are the groups a run paid a participant by: per service
// decision, the days and minutes worked and the decision's rates. A payslip
// shows its wage as hours × rate from them.
func PaidGroups(tx *gorm.DB, runID, participantID string) ([]PayoutGroup, error) {
	var groups []PayoutGroup
	if err := tx.Raw(payoutGroups(`te.billing_run_id = ? AND a.participant_id = ?`),
		runID, participantID).Scan(&groups).Error; err != nil {
		return nil, fmt.Errorf("paid groups: %w", err)
	}
	return groups, nil
}
