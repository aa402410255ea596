package staffing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/notify"
	"jobcenter/store"
)

// ShiftFilter narrows a list of shifts; From and To are local dates,
// inclusive.
type ShiftFilter struct {
	From, To    *models.Date
	Status      string
	OrderID     string
	OrganiserID string
	// TimesheetStatus: draft, submitted, approved or disputed.
	TimesheetStatus string
}

// ListShifts pages the shifts the caller may see in (starts_at, id) order:
// customers their own orders' shifts, supervisors their organiser's, the
// job center's staff all of the tenant.
func (s *Service) ListShifts(ctx context.Context, p auth.Principal, f ShiftFilter, limit int, cursor string) (store.Page[models.Shift], error) {
	q := scope(s.DB.Gorm.WithContext(ctx), p, "shifts")
	if f.From != nil {
		q = q.Where("date >= ?", *f.From)
	}
	if f.To != nil {
		q = q.Where("date <= ?", *f.To)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.OrderID != "" {
		q = q.Where("order_id = ?", f.OrderID)
	}
	if f.OrganiserID != "" {
		q = q.Where("organiser_id = ?", f.OrganiserID)
	}
	if f.TimesheetStatus != "" {
		q = q.Where("timesheet_status = ?", f.TimesheetStatus)
	}
	return store.ListByTime(q.Table("shifts").Select(shiftColumns), store.ByTime("shifts", "starts_at"), limit, cursor, scanShift)
}

// shiftColumns are the columns scanShift reads, in its order.
const shiftColumns = `shifts.id, shifts.tenant_id, shifts.order_id, shifts.organiser_id, shifts.customer_id, shifts.task_type_id,
	shifts.date, shifts.starts_at, shifts.ends_at, shifts.status, shifts.crew_size, shifts.late_cancellation, shifts.cancelled_at,
	shifts.cancel_reason, shifts.created_at, shifts.version, shifts.timesheet_status, shifts.timesheet_submitted_at,
	shifts.timesheet_approved_at, shifts.timesheet_auto_approved, shifts.dispute_reason`

func scanShift(r *sql.Rows) (models.Shift, error) {
	var s models.Shift
	err := r.Scan(&s.ID, &s.TenantID, &s.OrderID, &s.OrganiserID, &s.CustomerID, &s.TaskTypeID, &s.Date, &s.StartsAt, &s.EndsAt,
		&s.Status, &s.CrewSize, &s.LateCancellation, &s.CancelledAt, &s.CancelReason, &s.CreatedAt, &s.Version, &s.TimesheetStatus,
		&s.TimesheetSubmittedAt, &s.TimesheetApprovedAt, &s.TimesheetAutoApproved, &s.DisputeReason)
	return s, err
}

// Shift loads one shift the caller may see.
func (s *Service) Shift(ctx context.Context, p auth.Principal, id string) (models.Shift, error) {
	var sh models.Shift
	err := scope(s.DB.Gorm.WithContext(ctx), p, "shifts").Where("id = ?", id).Take(&sh).Error
	return sh, store.NotFound(err, "shift")
}

// CancelShift cancels one shift that has not started. A customer's
// cancellation inside the late window of the agreement valid on the shift's
// date is recorded as a billable late cancellation; a coordinator's never is.
func (s *Service) CancelShift(ctx context.Context, p auth.Principal, id, reason string) (models.Shift, error) {
	var sh models.Shift
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		if err := scope(s.DB.ForUpdate(tx), p, "shifts").Where("id = ?", id).Take(&sh).Error; err != nil {
			return store.NotFound(err, "shift")
		}
		now := s.Clock.Now()
		if err := sh.CanCancel(now); err != nil {
			return err
		}
		if err := requireReason(reason); err != nil {
			return err
		}
		late := false
		if p.Role == models.RoleCustomer {
			a, err := AgreementOn(tx, sh.TenantID, sh.CustomerID, sh.Date)
			switch {
			case err == nil:
				late = models.LateCancellation(now, sh.StartsAt, a.LateCancellationWindowHours)
			case !errors.Is(err, models.ErrNotFound):
				return err
			}
		}
		res := tx.Model(&models.Shift{}).Where("id = ? AND version = ?", sh.ID, sh.Version).Updates(map[string]any{
			"status": models.ShiftCancelled, "cancelled_at": now, "cancel_reason": strings.TrimSpace(reason),
			"late_cancellation": late, "version": sh.Version + 1})
		if res.Error != nil {
			return fmt.Errorf("cancel shift: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return fmt.Errorf("shift %s changed meanwhile: %w", sh.ID, models.ErrConflict)
		}
		if err := releaseCrews(tx, []string{sh.ID}); err != nil {
			return err
		}
		if err := tx.Where("id = ?", sh.ID).Take(&sh).Error; err != nil {
			return fmt.Errorf("reload shift: %w", err)
		}
		return notify.EmitShiftOf(tx, now, notify.ShiftCancelled, sh)
	})
	return sh, err
}

// cancelPendingShifts cancels the order's shifts that have not started at
// now. byCustomer makes those inside their agreement's late window billable.
func (s *Service) cancelPendingShifts(tx *gorm.DB, o models.Order, now time.Time, reason string, byCustomer bool) error {
	pending := func() *gorm.DB {
		return tx.Model(&models.Shift{}).Where("order_id = ? AND status IN ? AND starts_at > ?",
			o.ID, []string{models.ShiftOpen, models.ShiftStaffed}, now)
	}
	var late []string
	if byCustomer {
		var shifts []models.Shift
		if err := pending().Find(&shifts).Error; err != nil {
			return fmt.Errorf("load shifts: %w", err)
		}
		var agreements []models.Agreement
		if err := tx.Where("tenant_id = ? AND customer_id = ?", o.TenantID, o.CustomerID).Find(&agreements).Error; err != nil {
			return fmt.Errorf("load agreements: %w", err)
		}
		for _, sh := range shifts {
			for _, a := range agreements {
				if a.Covers(sh.Date) {
					if models.LateCancellation(now, sh.StartsAt, a.LateCancellationWindowHours) {
						late = append(late, sh.ID)
					}
					break // versions never overlap
				}
			}
		}
	}
	cols := map[string]any{"status": models.ShiftCancelled, "cancelled_at": now, "cancel_reason": reason,
		"late_cancellation": false, "version": gorm.Expr("version + 1")}
	var cancelled []string
	if err := pending().Pluck("id", &cancelled).Error; err != nil {
		return fmt.Errorf("load shifts: %w", err)
	}
	if err := pending().Updates(cols).Error; err != nil {
		return fmt.Errorf("cancel shifts: %w", err)
	}
	if len(cancelled) > 0 {
		if err := releaseCrews(tx, cancelled); err != nil {
			return err
		}
	}
	if len(late) > 0 {
		if err := tx.Model(&models.Shift{}).Where("id IN ?", late).Update("late_cancellation", true).Error; err != nil {
			return fmt.Errorf("mark late cancellations: %w", err)
		}
	}
	return notify.EmitShifts(tx, now, notify.ShiftCancelled, cancelled)
}

// releaseCrews frees the people of cancelled shifts for other shifts; their
// assignments stay on record.
func releaseCrews(tx *gorm.DB, shiftIDs []string) error {
	if err := tx.Model(&models.Assignment{}).Where("shift_id IN ?", shiftIDs).Update("active", false).Error; err != nil {
		return fmt.Errorf("release crews: %w", err)
	}
	return nil
}
