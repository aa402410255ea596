package notify

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"jobcenter/models"
)

// CrewMember is one participant on a shift as a customer may see them: the
// pseudonym, and once hours are recorded the minutes worked or the absence.
type CrewMember struct {
	Pseudonym     string  `json:"pseudonym"`
	WorkedMinutes *int    `json:"worked_minutes,omitempty"`
	Absence       *string `json:"absence,omitempty"`
}

// ShiftData is what a shift or timesheet event tells. It goes to the
// customer, so the crew appears by pseudonym only.
type ShiftData struct {
	ShiftID         string       `json:"shift_id"`
	OrderID         string       `json:"order_id"`
	CustomerID      string       `json:"customer_id"`
	OrganiserID     string       `json:"organiser_id"`
	Date            models.Date  `json:"date"`
	StartsAt        time.Time    `json:"starts_at"`
	EndsAt          time.Time    `json:"ends_at"`
	Status          string       `json:"status"`
	TimesheetStatus *string      `json:"timesheet_status"`
	AutoApproved    bool         `json:"timesheet_auto_approved,omitempty"`
	Reason          string       `json:"reason,omitempty"`
	Crew            []CrewMember `json:"crew"`
}

// EmitShift emits a shift or timesheet event of the shift as tx now sees it.
func EmitShift(tx *gorm.DB, now time.Time, eventType, shiftID string) error {
	sh, err := loadShift(tx, shiftID)
	if err != nil {
		return fmt.Errorf("emit %s: %w", eventType, err)
	}
	return EmitShiftOf(tx, now, eventType, sh)
}

func loadShift(tx *gorm.DB, id string) (models.Shift, error) {
	var sh models.Shift
	if err := tx.Where("id = ?", id).Take(&sh).Error; err != nil {
		return sh, fmt.Errorf("load shift %s: %w", id, err)
	}
	return sh, nil
}

// EmitShiftOf emits a shift or timesheet event of sh, the shift as the
// caller holds it in tx (locked and changed there), without reading it
// again.
func EmitShiftOf(tx *gorm.DB, now time.Time, eventType string, sh models.Shift) error {
	d, err := shiftData(tx, sh)
	if err != nil {
		return fmt.Errorf("emit %s: %w", eventType, err)
	}
	return Emit(tx, now, Event{TenantID: sh.TenantID, Type: eventType, Data: d})
}

// EmitShifts emits the event for each of the shifts.
func EmitShifts(tx *gorm.DB, now time.Time, eventType string, shiftIDs []string) error {
	for _, id := range shiftIDs {
		if err := EmitShift(tx, now, eventType, id); err != nil {
			return err
		}
	}
	return nil
}

func shiftData(tx *gorm.DB, sh models.Shift) (ShiftData, error) {
	d := ShiftData{ShiftID: sh.ID, OrderID: sh.OrderID, CustomerID: sh.CustomerID, OrganiserID: sh.OrganiserID, Date: sh.Date,
		StartsAt: sh.StartsAt.UTC(), EndsAt: sh.EndsAt.UTC(), Status: sh.Status, TimesheetStatus: sh.TimesheetStatus,
		AutoApproved: sh.TimesheetAutoApproved, Reason: sh.CancelReason, Crew: []CrewMember{}}
	if sh.TimesheetStatus != nil && *sh.TimesheetStatus == models.TimesheetDisputed {
		d.Reason = sh.DisputeReason
	}
	// Only the pseudonym is selected: the participant's name never enters
	// an event.
	if err := tx.Raw(`SELECT p.pseudonym, te.worked_minutes, te.absence FROM assignments a
		JOIN participants p ON p.id = a.participant_id
		LEFT JOIN time_entries te ON te.assignment_id = a.id
		WHERE a.shift_id = ? AND (a.active OR te.id IS NOT NULL) ORDER BY p.pseudonym`, sh.ID).Scan(&d.Crew).Error; err != nil {
		return ShiftData{}, fmt.Errorf("load crew of shift %s: %w", sh.ID, err)
	}
	return d, nil
}

// BillingRunData is what billing_run.completed tells.
type BillingRunData struct {
	BillingRunID string       `json:"billing_run_id"`
	Period       string       `json:"period"`
	Kind         string       `json:"kind"`
	InvoiceCount int          `json:"invoice_count"`
	NetCents     models.Cents `json:"net_cents"`
	VatCents     models.Cents `json:"vat_cents"`
	GrossCents   models.Cents `json:"gross_cents"`
}

// InvoiceData is what invoice.issued tells.
type InvoiceData struct {
	InvoiceID        string       `json:"invoice_id"`
	BillingRunID     *string      `json:"billing_run_id"`
	CustomerID       string       `json:"customer_id"`
	InvoiceNumber    string       `json:"invoice_number"`
	ReferenceNumber  string       `json:"reference_number"`
	InvoiceDate      models.Date  `json:"invoice_date"`
	DueDate          models.Date  `json:"due_date"`
	NetCents         models.Cents `json:"net_cents"`
	VatCents         models.Cents `json:"vat_cents"`
	GrossCents       models.Cents `json:"gross_cents"`
	CreditsInvoiceID *string      `json:"credits_invoice_id"`
}

// EmitBillingRun emits billing_run.completed for the run and invoice.issued
// for each invoice tx has stored for it.
func EmitBillingRun(tx *gorm.DB, now time.Time, run models.BillingRun) error {
	if err := Emit(tx, now, Event{TenantID: run.TenantID, Type: BillingRunCompleted, Data: BillingRunData{BillingRunID: run.ID,
		Period: run.Period, Kind: run.Kind, InvoiceCount: run.InvoiceCount, NetCents: run.NetCents, VatCents: run.VatCents,
		GrossCents: run.GrossCents}}); err != nil {
		return err
	}
	var invoices []models.Invoice
	if err := tx.Where("billing_run_id = ?", run.ID).Order("invoice_number").Find(&invoices).Error; err != nil {
		return fmt.Errorf("emit %s: load invoices: %w", InvoiceIssued, err)
	}
	for _, inv := range invoices {
		if err := EmitInvoice(tx, now, inv); err != nil {
			return err
		}
	}
	return nil
}

// EmitInvoice emits invoice.issued.
func EmitInvoice(tx *gorm.DB, now time.Time, inv models.Invoice) error {
	return Emit(tx, now, Event{TenantID: inv.TenantID, Type: InvoiceIssued, Data: InvoiceData{InvoiceID: inv.ID,
		BillingRunID: inv.BillingRunID, CustomerID: inv.CustomerID, InvoiceNumber: inv.InvoiceNumber,
		ReferenceNumber: inv.ReferenceNumber, InvoiceDate: inv.InvoiceDate, DueDate: inv.DueDate, NetCents: inv.NetCents,
		VatCents: inv.VatCents, GrossCents: inv.GrossCents, CreditsInvoiceID: inv.CreditsInvoiceID}})
}

// IncomesRegisterData is what incomes_register.due tells finance: an
// earnings payment report of an organiser's wages is due.
type IncomesRegisterData struct {
	DeliveryID   string      `json:"delivery_id"`
	BillingRunID string      `json:"billing_run_id"`
	OrganiserID  string      `json:"organiser_id"`
	PaymentDate  models.Date `json:"payment_date"`
	DueDate      models.Date `json:"due_date"`
}

// EmitIncomesRegisterDue is the hook for the Incomes Register deliveries:
// whoever finds a delivery due calls it inside its transaction. The event
// is recorded once per delivery.
func EmitIncomesRegisterDue(tx *gorm.DB, now time.Time, tenantID string, d IncomesRegisterData) error {
	return Emit(tx, now, Event{TenantID: tenantID, Type: IncomesRegisterDue, Data: d, Key: IncomesRegisterDue + ":" + d.DeliveryID})
}
