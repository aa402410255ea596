package staffing

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"jobcenter/models"
	"jobcenter/store"
)

// Staffing owns time entries, timesheets and shifts. The billing run and
// credit notes change their billing state only through the steps below, each
// taking the caller's transaction.

// AgreementOnShiftDate joins the agreement version ag valid on the date of
// the shift s: the version that prices the shift.
var AgreementOnShiftDate = `JOIN agreements ag ON ag.tenant_id = s.tenant_id AND ag.customer_id = s.customer_id AND ` +
	store.ValidOn("ag", "s.date")

// MarkBilled marks with runID every approved, not yet billed time entry and
// every unbilled late-cancellation fee of the tenant's shifts dated first to
// last. The run marks first and then aggregates what is marked, so an
// approval committed in between is either wholly in this run or wholly in
// the next.
func MarkBilled(tx *gorm.DB, tenantID, runID string, first, last models.Date) error {
	if err := tx.Exec(`UPDATE time_entries SET billing_run_id = ? WHERE billing_run_id IS NULL AND shift_id IN
		(SELECT id FROM shifts WHERE tenant_id = ? AND date BETWEEN ? AND ? AND timesheet_status = ?)`,
		runID, tenantID, first, last, models.TimesheetApproved).Error; err != nil {
		return fmt.Errorf("mark time entries: %w", err)
	}
	if err := tx.Exec(`UPDATE shifts SET late_fee_billing_run_id = ? WHERE tenant_id = ? AND date BETWEEN ? AND ?
		AND late_cancellation AND late_fee_billing_run_id IS NULL`, runID, tenantID, first, last).Error; err != nil {
		return fmt.Errorf("mark late cancellations: %w", err)
	}
	return nil
}

// LinkLateFees links the late-cancellation fees marked with runID to the
// run's invoice of each shift's customer, where a credit note finds them.
func LinkLateFees(tx *gorm.DB, runID string) error {
	if err := tx.Exec(`UPDATE shifts SET late_fee_invoice_id = i.id FROM invoices i
		WHERE shifts.late_fee_billing_run_id = ? AND i.billing_run_id = ? AND i.customer_id = shifts.customer_id`,
		runID, runID).Error; err != nil {
		return fmt.Errorf("link late cancellations: %w", err)
	}
	return nil
}

// WaiveLateFees waives the late-cancellation fees of an order billed on an
// invoice that a credit note reverses: the shifts are no longer late
// cancellations and nothing bills them again.
func WaiveLateFees(tx *gorm.DB, invoiceID, orderID string) error {
	if err := tx.Exec(`UPDATE shifts SET late_cancellation = false, late_fee_billing_run_id = NULL, late_fee_invoice_id = NULL
		WHERE late_fee_invoice_id = ? AND order_id = ?`, invoiceID, orderID).Error; err != nil {
		return fmt.Errorf("waive late fee: %w", err)
	}
	return nil
}

// FreeCredited unlocks the credited time entries and sends each shift whose
// hours are no longer billed at all back to disputed (its absences freed
// with it), with reason in its history, so its hours can be corrected and
// billed again.
func FreeCredited(tx *gorm.DB, tenantID string, entries []string, userID, reason string, at time.Time) error {
	if len(entries) == 0 {
		return nil
	}
	var shifts []string
	if err := tx.Raw(`SELECT DISTINCT shift_id FROM time_entries WHERE id IN ?`, entries).Scan(&shifts).Error; err != nil {
		return fmt.Errorf("credited shifts: %w", err)
	}
	if err := tx.Exec(`UPDATE time_entries SET billing_run_id = NULL WHERE id IN ?`, entries).Error; err != nil {
		return fmt.Errorf("free time entries: %w", err)
	}
	for _, id := range shifts {
		var stillBilled int64
		if err := tx.Raw(`SELECT COUNT(*) FROM time_entries WHERE shift_id = ? AND billing_run_id IS NOT NULL AND absence IS NULL`, id).
			Scan(&stillBilled).Error; err != nil {
			return fmt.Errorf("credited shift: %w", err)
		}
		if stillBilled > 0 {
			continue
		}
		if err := tx.Exec(`UPDATE time_entries SET billing_run_id = NULL WHERE shift_id = ?`, id).Error; err != nil {
			return fmt.Errorf("free absences: %w", err)
		}
		sh := models.Shift{ID: id, TenantID: tenantID}
		if err := setTimesheet(tx, sh, models.TimesheetDisputed, map[string]any{"dispute_reason": reason}); err != nil {
			return err
		}
		if err := recordEvent(tx, sh, &userID, at, "credited", reason); err != nil {
			return err
		}
	}
	return nil
}
