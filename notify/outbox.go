// Package notify tells people and systems what happened: the use cases write
// events into a transactional outbox inside their own transactions (Emit),
// and a dispatcher in every serve process fans each event out to the
// tenant's webhook subscriptions and to the users who must act, then sends
// them at least once: signed webhooks (Standard Webhooks) and e-mail over
// SMTP. Receivers dedupe by the event id.
package notify

import (
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"jobcenter/models"
	"jobcenter/store"
)

// Event types of API.md, offered to webhook subscriptions.
const (
	OrderSubmitted       = "order.submitted"
	OrderAccepted        = "order.accepted"
	OrderRejected        = "order.rejected"
	ShiftStaffed         = "shift.staffed"
	ShiftCancelled       = "shift.cancelled"
	TimesheetSubmitted   = "timesheet.submitted"
	TimesheetApproved    = "timesheet.approved"
	TimesheetDisputed    = "timesheet.disputed"
	BillingRunCompleted  = "billing_run.completed"
	InvoiceIssued        = "invoice.issued"
	IncomesRegisterDue   = "incomes_register.due"
	shiftTomorrow        = "shift.tomorrow"   // mail only: supervisors, the day before
	hoursMissing         = "hours.missing"    // mail only: supervisors
	webhookDisabled      = "webhook.disabled" // mail only: admins
	typeMaxPayloadLength = 64 << 10
)

// EventTypes are the types a webhook may subscribe to, in API.md's order.
var EventTypes = []string{OrderSubmitted, OrderAccepted, OrderRejected, ShiftStaffed, ShiftCancelled,
	TimesheetSubmitted, TimesheetApproved, TimesheetDisputed, BillingRunCompleted, InvoiceIssued, IncomesRegisterDue}

// Public reports whether webhooks may subscribe to the event type.
func Public(eventType string) bool {
	for _, t := range EventTypes {
		if t == eventType {
			return true
		}
	}
	return false
}

// Event is one fact to tell. Data becomes the webhook payload's data and
// the mail's facts; an event about a customer's work carries pseudonyms,
// never a participant's name.
type Event struct {
	TenantID string
	Type     string
	Data     any
	// Key, when set, records the event once: a second Emit with the same
	// key does nothing (daily notices).
	Key string
}

// outboxRow is a stored event.
type outboxRow struct {
	ID          string
	TenantID    string
	Type        string
	DedupeKey   *string
	Data        string
	CreatedAt   time.Time
	FannedOutAt *time.Time
}

func (outboxRow) TableName() string { return "outbox" }

// Emit writes e into the outbox inside tx, the transaction of the change it
// reports: a rolled-back change leaves no event. The event's time is the
// transaction's (the service clock's) now.
func Emit(tx *gorm.DB, now time.Time, e Event) error {
	data, err := json.Marshal(e.Data)
	if err != nil {
		return fmt.Errorf("emit %s: %w", e.Type, err)
	}
	if len(data) > typeMaxPayloadLength {
		return fmt.Errorf("emit %s: payload of %d bytes is too large", e.Type, len(data))
	}
	row := outboxRow{ID: store.NewID(), TenantID: e.TenantID, Type: e.Type, Data: string(data), CreatedAt: now.UTC()}
	q := tx
	if e.Key != "" {
		row.DedupeKey = &e.Key
		q = tx.Clauses(clause.OnConflict{DoNothing: true})
	}
	if err := q.Create(&row).Error; err != nil {
		return fmt.Errorf("emit %s: %w", e.Type, err)
	}
	return nil
}

// OrderData is what an order event tells.
type OrderData struct {
	OrderID     string  `json:"order_id"`
	CustomerID  string  `json:"customer_id"`
	OrganiserID *string `json:"organiser_id"`
	Status      string  `json:"status"`
	SiteAddress string  `json:"site_address"`
	Reason      string  `json:"reason,omitempty"`
}

// EmitOrder emits an order event of the order as it now is.
func EmitOrder(tx *gorm.DB, now time.Time, eventType string, o models.Order) error {
	reason := o.RejectReason
	return Emit(tx, now, Event{TenantID: o.TenantID, Type: eventType, Data: OrderData{OrderID: o.ID, CustomerID: o.CustomerID,
		OrganiserID: o.OrganiserID, Status: o.Status, SiteAddress: o.SiteAddress, Reason: reason}})
}
