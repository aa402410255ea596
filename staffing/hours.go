package staffing

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/notify"
	"jobcenter/store"
)

// ShiftEvent is one step of a shift's audit trail: who did what when. A nil
// UserID is the system (the auto-approval job).
type ShiftEvent struct {
	ID       string
	TenantID string
	ShiftID  string
	At       time.Time
	UserID   *string
	Action   string
	Detail   string
}

// GetID lets store.List page events.
func (e ShiftEvent) GetID() string { return e.ID }

func (s *Service) audit(tx *gorm.DB, sh models.Shift, userID *string, action, detail string) error {
	return recordEvent(tx, sh, userID, s.Clock.Now(), action, detail)
}

func recordEvent(tx *gorm.DB, sh models.Shift, userID *string, at time.Time, action, detail string) error {
	ev := ShiftEvent{ID: store.NewID(), TenantID: sh.TenantID, ShiftID: sh.ID, At: at, UserID: userID, Action: action, Detail: detail}
	if err := tx.Create(&ev).Error; err != nil {
		return fmt.Errorf("audit %s: %w", action, err)
	}
	return nil
}

// lockShift locks a shift the caller may see.
func (s *Service) lockShift(tx *gorm.DB, p auth.Principal, id string) (models.Shift, error) {
	var sh models.Shift
	err := scope(s.DB.ForUpdate(tx), p, "shifts").Where("id = ?", id).Take(&sh).Error
	return sh, store.NotFound(err, "shift")
}

// errIfBilled is a conflict when any entry of the shift is billed (and so
// locked): only a credit note changes billed hours.
func errIfBilled(tx *gorm.DB, shiftID string) error {
	var n int64
	if err := tx.Model(&models.TimeEntry{}).Where("shift_id = ? AND billing_run_id IS NOT NULL", shiftID).Count(&n).Error; err != nil {
		return fmt.Errorf("check billing: %w", err)
	}
	if n > 0 {
		return models.Conflict("billed", "the hours are billed; only a credit note can change them")
	}
	return nil
}

// RecordHours replaces the shift's draft timesheet with one entry per active
// assignment. It is allowed once the shift has started, before submission
// or after a dispute, and never for billed hours.
func (s *Service) RecordHours(ctx context.Context, p auth.Principal, shiftID string, in []models.EntryInput) ([]models.TimeEntry, error) {
	return s.RecordTimesheet(ctx, p, shiftID, in, nil)
}

// RecordTimesheet is RecordHours for a request that already got some fields
// wrong: invalid's problems come back together with the timesheet's own.
func (s *Service) RecordTimesheet(ctx context.Context, p auth.Principal, shiftID string, in []models.EntryInput, invalid *models.ValidationError) ([]models.TimeEntry, error) {
	var entries []models.TimeEntry
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		sh, err := s.lockShift(tx, p, shiftID)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		switch {
		case sh.Status == models.ShiftCancelled:
			return models.Conflict("shift_cancelled", "a cancelled shift has no hours")
		case now.Before(sh.StartsAt):
			return models.Conflict("shift_not_started", "hours can be recorded once the shift has started")
		case sh.TimesheetStatus != nil && *sh.TimesheetStatus != models.TimesheetDraft && *sh.TimesheetStatus != models.TimesheetDisputed:
			return models.Conflict("timesheet_"+*sh.TimesheetStatus, "the timesheet is "+*sh.TimesheetStatus+"; it can be changed only as a draft or after a dispute")
		}
		if err := errIfBilled(tx, sh.ID); err != nil {
			return err
		}
		var assignments []string
		if err := tx.Model(&models.Assignment{}).Where("shift_id = ? AND active", sh.ID).Order("created_at, id").Pluck("id", &assignments).Error; err != nil {
			return fmt.Errorf("load assignments: %w", err)
		}
		entries, err = models.ResolveEntries(sh, assignments, in, s.Loc)
		if err := invalid.With(err); err != nil {
			return err
		}
		if err := tx.Where("shift_id = ?", sh.ID).Delete(&models.TimeEntry{}).Error; err != nil {
			return fmt.Errorf("replace time entries: %w", err)
		}
		for i := range entries {
			entries[i].ID, entries[i].CreatedAt, entries[i].UpdatedAt = store.NewID(), now, now
		}
		if len(entries) > 0 {
			if err := tx.Create(&entries).Error; err != nil {
				return fmt.Errorf("record time entries: %w", err)
			}
		}
		action := "recorded"
		if sh.TimesheetStatus != nil && *sh.TimesheetStatus == models.TimesheetDisputed {
			action = "corrected"
		}
		if err := setTimesheet(tx, sh, models.TimesheetDraft, map[string]any{}); err != nil {
			return err
		}
		return s.audit(tx, sh, &p.UserID, action, fmt.Sprintf("%d entries", len(entries)))
	})
	return entries, err
}

// setTimesheet moves the shift's timesheet to status with extra columns.
func setTimesheet(tx *gorm.DB, sh models.Shift, status string, extra map[string]any) error {
	extra["timesheet_status"] = status
	extra["version"] = gorm.Expr("version + 1")
	if err := tx.Model(&models.Shift{}).Where("id = ?", sh.ID).Updates(extra).Error; err != nil {
		return fmt.Errorf("timesheet %s: %w", status, err)
	}
	return nil
}

// transition checks the timesheet is in status from.
func transition(sh models.Shift, from, verb string) error {
	if sh.TimesheetStatus == nil || *sh.TimesheetStatus != from {
		current := "not recorded"
		if sh.TimesheetStatus != nil {
			current = *sh.TimesheetStatus
		}
		return models.Conflict("invalid_transition", fmt.Sprintf("cannot %s a timesheet that is %s", verb, current))
	}
	return nil
}

// SubmitHours sends a draft timesheet to the customer; the shift is then
// completed.
func (s *Service) SubmitHours(ctx context.Context, p auth.Principal, shiftID string) (models.Shift, error) {
	return s.timesheetStep(ctx, p, shiftID, func(tx *gorm.DB, sh models.Shift) error {
		if err := transition(sh, models.TimesheetDraft, "submit"); err != nil {
			return err
		}
		if err := setTimesheet(tx, sh, models.TimesheetSubmitted, map[string]any{"timesheet_submitted_at": s.Clock.Now(),
			"dispute_reason": "", "status": models.ShiftCompleted}); err != nil {
			return err
		}
		if err := s.audit(tx, sh, &p.UserID, "submitted", ""); err != nil {
			return err
		}
		return notify.EmitShift(tx, s.Clock.Now(), notify.TimesheetSubmitted, sh.ID)
	})
}

// ApproveHours is the customer's (or a coordinator's) consent to be billed.
func (s *Service) ApproveHours(ctx context.Context, p auth.Principal, shiftID string) (models.Shift, error) {
	return s.timesheetStep(ctx, p, shiftID, func(tx *gorm.DB, sh models.Shift) error {
		if err := transition(sh, models.TimesheetSubmitted, "approve"); err != nil {
			return err
		}
		if err := setTimesheet(tx, sh, models.TimesheetApproved, map[string]any{"timesheet_approved_at": s.Clock.Now(),
			"timesheet_auto_approved": false}); err != nil {
			return err
		}
		if err := s.audit(tx, sh, &p.UserID, "approved", ""); err != nil {
			return err
		}
		return notify.EmitShift(tx, s.Clock.Now(), notify.TimesheetApproved, sh.ID)
	})
}

// DisputeHours sends submitted hours back with a reason, to be corrected and
// submitted again.
func (s *Service) DisputeHours(ctx context.Context, p auth.Principal, shiftID, reason string) (models.Shift, error) {
	return s.timesheetStep(ctx, p, shiftID, func(tx *gorm.DB, sh models.Shift) error {
		if err := requireReason(reason); err != nil {
			return err
		}
		if err := transition(sh, models.TimesheetSubmitted, "dispute"); err != nil {
			return err
		}
		reason = strings.TrimSpace(reason)
		if err := setTimesheet(tx, sh, models.TimesheetDisputed, map[string]any{"dispute_reason": reason}); err != nil {
			return err
		}
		if err := s.audit(tx, sh, &p.UserID, "disputed", reason); err != nil {
			return err
		}
		return notify.EmitShift(tx, s.Clock.Now(), notify.TimesheetDisputed, sh.ID)
	})
}

// timesheetStep runs one timesheet transition on a locked shift and returns
// the shift after it.
func (s *Service) timesheetStep(ctx context.Context, p auth.Principal, shiftID string, step func(tx *gorm.DB, sh models.Shift) error) (models.Shift, error) {
	var sh models.Shift
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		var err error
		if sh, err = s.lockShift(tx, p, shiftID); err != nil {
			return err
		}
		if err := step(tx, sh); err != nil {
			return err
		}
		return tx.Where("id = ?", sh.ID).Take(&sh).Error
	})
	return sh, err
}

// AutoApprove approves, for every tenant, the timesheets submitted more than
// the tenant's auto_approve_days ago and not answered, and records that the
// approval was automatic. It is the daily job's work.
func (s *Service) AutoApprove(ctx context.Context) (int, error) {
	now := s.Clock.Now()
	var tenants []models.Tenant
	if err := s.DB.Gorm.WithContext(ctx).Find(&tenants).Error; err != nil {
		return 0, fmt.Errorf("load tenants: %w", err)
	}
	total := 0
	for _, t := range tenants {
		err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
			var due []models.Shift
			if err := s.DB.ForUpdate(tx).Where("tenant_id = ? AND timesheet_status = ? AND timesheet_submitted_at <= ?",
				t.ID, models.TimesheetSubmitted, now.AddDate(0, 0, -t.AutoApproveDays)).Find(&due).Error; err != nil {
				return fmt.Errorf("due timesheets: %w", err)
			}
			for _, sh := range due {
				if err := setTimesheet(tx, sh, models.TimesheetApproved, map[string]any{"timesheet_approved_at": now,
					"timesheet_auto_approved": true}); err != nil {
					return err
				}
				if err := s.audit(tx, sh, nil, "auto_approved", fmt.Sprintf("not answered in %d days", t.AutoApproveDays)); err != nil {
					return err
				}
				if err := notify.EmitShift(tx, now, notify.TimesheetApproved, sh.ID); err != nil {
					return err
				}
			}
			total += len(due)
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("auto-approve tenant %s: %w", t.ID, err)
		}
	}
	return total, nil
}

// TimeEntries lists a shift's entries for anyone who may see the shift.
func (s *Service) TimeEntries(ctx context.Context, p auth.Principal, shiftID string) ([]TimeEntryView, error) {
	if _, err := s.Shift(ctx, p, shiftID); err != nil {
		return nil, err
	}
	crews, err := s.Crews(ctx, []string{shiftID})
	if err != nil {
		return nil, err
	}
	return crews[shiftID].Entries(), nil
}

// History is the shift's audit trail, oldest first.
func (s *Service) History(ctx context.Context, p auth.Principal, shiftID string) ([]ShiftEvent, error) {
	if _, err := s.Shift(ctx, p, shiftID); err != nil {
		return nil, err
	}
	var events []ShiftEvent
	if err := s.DB.Gorm.WithContext(ctx).Where("shift_id = ?", shiftID).Order("at, id").Find(&events).Error; err != nil {
		return nil, fmt.Errorf("shift history: %w", err)
	}
	return events, nil
}
