package staffing

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/store"
)

// Reminder kinds.
const (
	ReminderHoursMissing    = "hours_missing"    // to the organiser's supervisors
	ReminderApprovalWaiting = "approval_waiting" // to the customer
)

// CollectReminders is the daily job: it notes every shift that ended without
// recorded hours and every submitted timesheet waiting for the customer.
// Reminder ids are derived from kind and shift, so collecting twice adds
// nothing.
func (s *Service) CollectReminders(ctx context.Context) error {
	now := s.Clock.Now()
	db := s.DB.Gorm.WithContext(ctx)
	if err := db.Exec(`INSERT INTO reminders (id, tenant_id, shift_id, kind, created_at)
		SELECT 'hours_missing:' || id, tenant_id, id, 'hours_missing', ? FROM shifts
		WHERE status <> 'cancelled' AND ends_at <= ? AND timesheet_status IS NULL
		ON CONFLICT DO NOTHING`, now, now).Error; err != nil {
		return fmt.Errorf("collect missing hours: %w", err)
	}
	if err := db.Exec(`INSERT INTO reminders (id, tenant_id, shift_id, kind, created_at)
		SELECT 'approval_waiting:' || id, tenant_id, id, 'approval_waiting', ? FROM shifts
		WHERE timesheet_status = 'submitted'
		ON CONFLICT DO NOTHING`, now).Error; err != nil {
		return fmt.Errorf("collect waiting approvals: %w", err)
	}
	return nil
}

// Reminder is something waiting for the caller.
type Reminder struct {
	ID        string // kind:shift
	Kind      string
	ShiftID   string
	OrderID   string
	Date      models.Date
	StartsAt  time.Time
	EndsAt    time.Time
	CreatedAt time.Time
}

// GetID and SortTime let store.ListByTime page reminders by shift start.
func (r Reminder) GetID() string { return r.ID }

// SortTime is the shift's start.
func (r Reminder) SortTime() time.Time { return r.StartsAt }

// Reminders pages what still waits for the caller's role: supervisors the
// missing hours of their organiser's shifts, customers the timesheets
// waiting for their approval, coordinators and admins both, by shift start.
// A reminder whose cause is gone (hours recorded, timesheet answered) is not
// shown.
func (s *Service) Reminders(ctx context.Context, p auth.Principal, limit int, cursor string) (store.Page[Reminder], error) {
	q := scope(s.DB.Gorm.WithContext(ctx).Table("reminders r").Joins("JOIN shifts ON shifts.id = r.shift_id"), p, "shifts").
		Where(`(r.kind = 'hours_missing' AND shifts.timesheet_status IS NULL AND shifts.status <> 'cancelled')
			OR (r.kind = 'approval_waiting' AND shifts.timesheet_status = 'submitted')`)
	switch p.Role {
	case models.RoleSupervisor:
		q = q.Where("r.kind = ?", ReminderHoursMissing)
	case models.RoleCustomer:
		q = q.Where("r.kind = ?", ReminderApprovalWaiting)
	}
	q = q.Select("r.id, r.kind, r.shift_id, shifts.order_id, shifts.date, shifts.starts_at, shifts.ends_at, r.created_at")
	return store.ListByTime(q, store.TimeOrder{List: "reminders", Time: "shifts.starts_at", ID: "r.id"}, limit, cursor, scanReminder)
}

func scanReminder(rows *sql.Rows) (Reminder, error) {
	var r Reminder
	err := rows.Scan(&r.ID, &r.Kind, &r.ShiftID, &r.OrderID, &r.Date, &r.StartsAt, &r.EndsAt, &r.CreatedAt)
	return r, err
}
