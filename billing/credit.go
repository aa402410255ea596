package billing

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"

	"jobcenter/models"
	"jobcenter/notify"
	"jobcenter/staffing"
	"jobcenter/store"
)

// CreditNote reverses an invoice, wholly (lineNos empty) or by lines. It has
// its own number in the same series, refers to the original, reverses the
// original's journal, settlement share and the payouts of the freed hours,
// and frees the hours it credits: their timesheets go back to disputed, to
// be corrected, approved and billed again in a later (supplementary) run. A
// credited late-cancellation fee is waived. Every line is credited once. It
// takes the tenant's billing lock like a run: while a run or another credit
// note holds it, the answer is 409 billing_in_progress at once.
func (s *Service) CreditNote(ctx context.Context, tenantID, invoiceID string, lineNos []int, userID string) (StoredInvoice, error) {
	var note StoredInvoice
	busy := models.Conflict("billing_in_progress", "a billing run or another credit note of this tenant is in progress; "+
		"nothing was credited, try again when it has finished")
	err := s.withBillingLock(ctx, tenantID, busy, func(tx *gorm.DB) error {
		var orig models.Invoice
		if err := tx.Where("tenant_id = ? AND id = ?", tenantID, invoiceID).Take(&orig).Error; err != nil {
			return store.NotFound(err, "invoice")
		}
		if orig.CreditsInvoiceID != nil {
			return models.Conflict("credit_note", "a credit note cannot be credited")
		}
		lines, err := linesToCredit(tx, orig.ID, lineNos)
		if err != nil {
			return err
		}
		in := Input{Customers: map[string]Customer{orig.CustomerID: {VatTreatment: orig.VatTreatment, VatExemptReason: orig.VatExemptReason}},
			Organisers: map[string]Organiser{}}
		for _, l := range lines {
			in.Lines = append(in.Lines, LineGroup{CustomerID: orig.CustomerID, OrderID: l.OrderID, OrganiserID: l.OrganiserID,
				Kind: l.Kind, UnitPrice: l.UnitPriceCents, Minutes: -l.Minutes, Count: -l.Count, VatBps: l.VatBps})
		}
		freed, err := s.freeEntries(tx, orig, lines)
		if err != nil {
			return err
		}
		if len(freed) > 0 {
			if err := tx.Raw(payoutGroups(`te.id IN ?`), freed).Scan(&in.Payouts).Error; err != nil {
				return fmt.Errorf("reverse payouts: %w", err)
			}
			for i := range in.Payouts {
				in.Payouts[i].Days, in.Payouts[i].Minutes = -in.Payouts[i].Days, -in.Payouts[i].Minutes
			}
		}
		// Each credited line repeats the original line's VAT rate; pay is
		// reversed by the rates, card and ages of the original payment date
		// (the run's date, its invoice date), below.
		if err := s.settings(tx, tenantID, &in); err != nil {
			return err
		}
		var period models.Period
		var runPeriod []string
		if err := tx.Raw(`SELECT period FROM billing_runs WHERE id = ?`, orig.BillingRunID).Scan(&runPeriod).Error; err != nil || len(runPeriod) != 1 {
			return fmt.Errorf("credited run's period: %w", err)
		}
		if period, err = models.ParsePeriod(runPeriod[0]); err != nil {
			return fmt.Errorf("credited run's period: %w", err)
		}
		if len(in.Payouts) > 0 {
			if in.Payroll, err = s.payrollContext(tx, tenantID, in.Payouts, period, orig.InvoiceDate); err != nil {
				return err
			}
			in.Payroll.Reversal = true
		}
		res, err := Compute(in)
		if err != nil {
			return fmt.Errorf("compute credit note: %w", err)
		}
		today := models.DateOf(s.Clock.Now(), s.Loc)
		if note, err = s.storeInvoice(tx, tenantID, nil, &orig.ID, res.Invoices[0], today, today); err != nil {
			return err
		}
		if _, _, _, err := storeSettlement(tx, tenantID, nil, &note.ID, res, map[string]string{orig.CustomerID: note.InvoiceNumber}, period.String(), today); err != nil {
			return err
		}
		for _, l := range lines {
			if err := tx.Model(&models.InvoiceLine{}).Where("id = ?", l.ID).Update("credited_by", note.ID).Error; err != nil {
				return fmt.Errorf("mark credited line: %w", err)
			}
		}
		if err := staffing.FreeCredited(tx, tenantID, freed, userID, "credited by credit note "+note.InvoiceNumber, s.Clock.Now()); err != nil {
			return err
		}
		if err := checkJournal(tx, "invoice_id", note.ID); err != nil {
			return err
		}
		return notify.EmitInvoice(tx, s.Clock.Now(), note.Invoice)
	})
	return note, err
}

// linesToCredit loads the invoice's lines by number (every line not yet
// credited when lineNos is empty); an unknown number is invalid, a credited
// line a conflict.
func linesToCredit(tx *gorm.DB, invoiceID string, lineNos []int) ([]models.InvoiceLine, error) {
	var all []models.InvoiceLine
	if err := tx.Where("invoice_id = ?", invoiceID).Order("line_no").Find(&all).Error; err != nil {
		return nil, fmt.Errorf("load invoice lines: %w", err)
	}
	var out []models.InvoiceLine
	v := &models.ValidationError{}
	for i, n := range lineNos {
		if !slices.ContainsFunc(all, func(l models.InvoiceLine) bool { return l.LineNo == n }) {
			v.Add(fmt.Sprintf("/lines/%d", i), fmt.Sprintf("the invoice has no line %d", n))
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	for _, l := range all {
		switch {
		case len(lineNos) == 0 && l.CreditedBy != nil:
			continue // crediting "the rest"
		case len(lineNos) > 0 && !slices.Contains(lineNos, l.LineNo):
			continue
		case l.CreditedBy != nil:
			return nil, models.Conflict("already_credited", fmt.Sprintf("line %d is already credited", l.LineNo))
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, models.Conflict("already_credited", "every line of the invoice is already credited")
	}
	return out, nil
}

// freeEntries unlocks the time entries behind the credited hour lines and
// waives credited late-cancellation fees; it returns the freed entries.
func (s *Service) freeEntries(tx *gorm.DB, inv models.Invoice, lines []models.InvoiceLine) ([]string, error) {
	var freed []string
	for _, l := range lines {
		h, hours := hourLineOf(l.Kind)
		if !hours {
			if err := staffing.WaiveLateFees(tx, inv.ID, l.OrderID); err != nil {
				return nil, err
			}
			continue
		}
		var ids []string
		if err := tx.Raw(`SELECT te.id FROM time_entries te JOIN shifts s ON s.id = te.shift_id JOIN assignments a ON a.id = te.assignment_id `+
			staffing.AgreementOnShiftDate+` WHERE te.billing_run_id = ? AND s.customer_id = ? AND s.order_id = ? AND `+h.role+` AND `+h.price+` = ?`,
			inv.BillingRunID, inv.CustomerID, l.OrderID, l.UnitPriceCents).Scan(&ids).Error; err != nil {
			return nil, fmt.Errorf("find credited entries: %w", err)
		}
		freed = append(freed, ids...)
	}
	return freed, nil
}
