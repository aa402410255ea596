package models

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Employment models of an agreement.
const (
	// EmploymentSubcontracting: the organiser pays its participants and the
	// customer is billed participant and supervisor hours.
	EmploymentSubcontracting = "subcontracting"
	// EmploymentCustomerEmploys: the customer employs the participants and
	// pays their wages itself; it is billed supervisor hours only.
	EmploymentCustomerEmploys = "customer_employs"
)

// PublicBuyerMaxPaymentTermDays is the longest payment term a public
// authority may agree to (Act 30/2013 on payment terms in commercial
// contracts).
const PublicBuyerMaxPaymentTermDays = 30

// Agreement is one version of a customer's price list. Versions of a
// customer never overlap, so every date has at most one price.
type Agreement struct {
	ID                          string
	TenantID                    string
	CustomerID                  string
	ParticipantHourPriceCents   Cents
	SupervisorHourPriceCents    Cents
	MinimumBillableMinutes      int
	LateCancellationWindowHours int
	LateCancellationFeeCents    Cents
	PaymentTermDays             int
	EmploymentModel             string
	ValidFrom                   Date
	ValidUntil                  *Date // nil: until further notice
	CreatedAt                   time.Time
}

// GetID lets store.List page agreements.
func (a Agreement) GetID() string { return a.ID }

// Validate checks the fields; publicBuyer is whether the customer is a
// public authority, whose payment term is capped.
func (a *Agreement) Validate(publicBuyer bool) error {
	v := &ValidationError{}
	if a.ParticipantHourPriceCents < 0 {
		v.Add("/participant_hour_price_cents", "must not be negative")
	}
	if a.SupervisorHourPriceCents < 0 {
		v.Add("/supervisor_hour_price_cents", "must not be negative")
	}
	if a.MinimumBillableMinutes < 0 || a.MinimumBillableMinutes > 24*60 {
		v.Add("/minimum_billable_minutes", "must be 0–1440")
	}
	if a.LateCancellationWindowHours < 0 || a.LateCancellationWindowHours > 720 {
		v.Add("/late_cancellation_window_hours", "must be 0–720")
	}
	if a.LateCancellationFeeCents < 0 {
		v.Add("/late_cancellation_fee_cents", "must not be negative")
	}
	switch {
	case a.PaymentTermDays < 0 || a.PaymentTermDays > 365:
		v.Add("/payment_term_days", "must be 0–365")
	case publicBuyer && a.PaymentTermDays > PublicBuyerMaxPaymentTermDays:
		v.Add("/payment_term_days", fmt.Sprintf("must be at most %d for a public buyer", PublicBuyerMaxPaymentTermDays))
	}
	if a.EmploymentModel != EmploymentSubcontracting && a.EmploymentModel != EmploymentCustomerEmploys {
		v.Add("/employment_model", "must be subcontracting or customer_employs")
	}
	if a.ValidFrom.IsZero() {
		v.Add("/valid_from", "is required")
	} else if a.ValidUntil != nil && a.ValidUntil.Before(a.ValidFrom) {
		v.Add("/valid_until", "must not be before valid_from")
	}
	return v.Err()
}

// Covers reports whether the version is valid on day.
func (a Agreement) Covers(day Date) bool {
	return !day.Before(a.ValidFrom) && (a.ValidUntil == nil || !day.After(*a.ValidUntil))
}

// Overlaps reports whether two versions share a day.
func (a Agreement) Overlaps(o Agreement) bool {
	return (a.ValidUntil == nil || !a.ValidUntil.Before(o.ValidFrom)) &&
		(o.ValidUntil == nil || !o.ValidUntil.Before(a.ValidFrom))
}

// Order statuses.
const (
	OrderSubmitted = "submitted"
	OrderAccepted  = "accepted"
	OrderRejected  = "rejected"
	OrderCompleted = "completed"
	OrderCancelled = "cancelled"
)

// orderTransitions is the order lifecycle: every status a status may become.
var orderTransitions = map[string][]string{
	OrderSubmitted: {OrderAccepted, OrderRejected, OrderCancelled},
	OrderAccepted:  {OrderCompleted, OrderCancelled},
}

// OrderTransition is nil when an order may go from one status to another,
// else a 409 invalid_transition.
func OrderTransition(from, to string) error {
	if slices.Contains(orderTransitions[from], to) {
		return nil
	}
	return Conflict("invalid_transition", fmt.Sprintf("an order that is %s cannot become %s", from, to))
}

// Limits of an order.
const (
	MaxCrewSize = 50
	// MaxFiniteScheduleDays bounds a finite weekly schedule, whose shifts are
	// all generated at acceptance; longer work is ordered open-ended.
	MaxFiniteScheduleDays = 366
)

// Order is what a customer asks for. The schedule is stored as columns;
// Schedule() assembles it.
type Order struct {
	ID          string
	TenantID    string
	CustomerID  string
	TaskTypeID  string
	OrganiserID *string // set on acceptance
	SiteAddress string
	Description string
	// CustomerReference is the customer's purchase order or cost centre,
	// repeated on the invoice.
	CustomerReference string
	CrewSize          int
	Status            string
	ScheduleKind      string
	ScheduleDate      *Date
	Weekdays          string // ISO weekdays, "1,2,3,4,5"
	StartTime         ClockTime
	EndTime           ClockTime
	FirstDate         *Date
	LastDate          *Date
	RejectReason      string
	CancelReason      string
	CancelledAt       *time.Time
	Version           int
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// GetID lets store.List page orders.
func (o Order) GetID() string { return o.ID }

// Schedule returns the order's schedule.
func (o Order) Schedule() Schedule {
	s := Schedule{Kind: o.ScheduleKind, Date: o.ScheduleDate, StartTime: o.StartTime, EndTime: o.EndTime,
		FirstDate: o.FirstDate, LastDate: o.LastDate}
	if o.Weekdays != "" {
		for _, p := range strings.Split(o.Weekdays, ",") {
			wd, _ := strconv.Atoi(p)
			s.Weekdays = append(s.Weekdays, wd)
		}
	}
	return s
}

// SetSchedule stores s in the order's columns.
func (o *Order) SetSchedule(s Schedule) {
	o.ScheduleKind, o.ScheduleDate, o.StartTime, o.EndTime, o.FirstDate, o.LastDate =
		s.Kind, s.Date, s.StartTime, s.EndTime, s.FirstDate, s.LastDate
	// Kept in the given order, so validation errors point at the request's indexes.
	parts := make([]string, len(s.Weekdays))
	for i, d := range s.Weekdays {
		parts[i] = strconv.Itoa(d)
	}
	o.Weekdays = strings.Join(parts, ",")
}

// FirstDay is the local date the schedule starts on.
func (s Schedule) FirstDay() Date {
	if s.Kind == ScheduleOnce && s.Date != nil {
		return *s.Date
	}
	if s.FirstDate != nil {
		return *s.FirstDate
	}
	return Date{}
}

// FirstOccurrence is the schedule's first shift; ok is false when the
// schedule has none.
func (s Schedule) FirstOccurrence(loc *time.Location) (Occurrence, bool) {
	first := s.FirstDay()
	occ := s.Expand(first, first.AddDays(6), loc)
	if len(occ) == 0 {
		return Occurrence{}, false
	}
	return occ[0], true
}

// Validate checks a new order; today is the local date by the service
// clock, before which no work can be ordered.
func (o *Order) Validate(today Date, loc *time.Location) error {
	v := &ValidationError{}
	if strings.TrimSpace(o.SiteAddress) == "" {
		v.Add("/site_address", "is required")
	}
	CheckCustomerReference(v, o.CustomerReference)
	if o.CrewSize < 1 || o.CrewSize > MaxCrewSize {
		v.Add("/crew_size", fmt.Sprintf("must be 1–%d", MaxCrewSize))
	}
	s := o.Schedule()
	if err := s.Validate(); err != nil {
		var sv *ValidationError
		if errors.As(err, &sv) {
			v.Fields = append(v.Fields, sv.Fields...)
		}
	} else {
		first := s.FirstDay()
		switch {
		case first.Before(today) && s.Kind == ScheduleOnce:
			v.Add("/schedule/date", "must not be in the past")
		case first.Before(today):
			v.Add("/schedule/first_date", "must not be in the past")
		case s.LastDate != nil && s.LastDate.After(first.AddDays(MaxFiniteScheduleDays)):
			v.Add("/schedule/last_date", fmt.Sprintf("must be within %d days of first_date; order longer work open-ended", MaxFiniteScheduleDays))
		case s.LastDate != nil && len(s.Expand(first, *s.LastDate, loc)) == 0:
			v.Add("/schedule/weekdays", "no weekday of the schedule falls between first_date and last_date")
		}
	}
	return v.Err()
}

// Shift statuses.
const (
	ShiftOpen      = "open"
	ShiftStaffed   = "staffed"
	ShiftCompleted = "completed"
	ShiftCancelled = "cancelled"
)

// Shift is one dated occurrence of an accepted order, run by its organiser.
type Shift struct {
	ID               string
	TenantID         string
	OrderID          string
	OrganiserID      string
	CustomerID       string
	TaskTypeID       string
	Date             Date // local date the shift starts on
	StartsAt         time.Time
	EndsAt           time.Time
	Status           string
	CrewSize         int
	LateCancellation bool // a customer's cancellation inside the agreement's window: billable
	CancelledAt      *time.Time
	CancelReason     string
	CreatedAt        time.Time
	Version          int
	// The timesheet: nil until hours are recorded.
	TimesheetStatus       *string
	TimesheetSubmittedAt  *time.Time
	TimesheetApprovedAt   *time.Time
	TimesheetAutoApproved bool
	DisputeReason         string
}

// GetID and SortTime let store.ListByTime page shifts in (starts_at, id) order.
func (s Shift) GetID() string       { return s.ID }
func (s Shift) SortTime() time.Time { return s.StartsAt }

// Started reports whether the shift has started at now.
func (s Shift) Started(now time.Time) bool { return !now.Before(s.StartsAt) }

// CanCancel is nil when the shift may be cancelled at now: it is neither
// cancelled nor completed, and has not started.
func (s Shift) CanCancel(now time.Time) error {
	switch {
	case s.Status == ShiftCancelled || s.Status == ShiftCompleted:
		return Conflict("invalid_transition", fmt.Sprintf("a shift that is %s cannot be cancelled", s.Status))
	case s.Started(now):
		return Conflict("shift_started", "the shift has started and can no longer be cancelled")
	}
	return nil
}

// LateCancellation reports whether cancelling at now a shift that starts at
// startsAt falls inside a window of windowHours before the start. Only a
// customer's cancellation is billable; the caller decides who cancelled.
func LateCancellation(now, startsAt time.Time, windowHours int) bool {
	return windowHours > 0 && startsAt.Sub(now) < time.Duration(windowHours)*time.Hour
}
