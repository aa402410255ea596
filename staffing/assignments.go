package staffing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/notify"
	"jobcenter/participants"
	"jobcenter/store"
)

// Person names who to put on a shift: a participant or a supervisor.
type Person struct {
	ParticipantID string
	SupervisorID  string
}

// Assign puts a participant or a supervisor on a shift. Every rule is checked
// in one transaction that first locks the shift and then the person, so
// concurrent requests for the same crew or the same person are serialised
// (PostgreSQL row locks; SQLite's immediate transaction); on PostgreSQL the
// exclusion constraint on assignments is the last line of defence.
func (s *Service) Assign(ctx context.Context, p auth.Principal, shiftID string, who Person) (models.Assignment, error) {
	if (who.ParticipantID == "") == (who.SupervisorID == "") {
		v := &models.ValidationError{}
		v.Add("", "give exactly one of participant_id and supervisor_id")
		return models.Assignment{}, v
	}
	var a models.Assignment
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		sh, err := s.lockShiftForStaffing(tx, p, shiftID)
		if err != nil {
			return err
		}
		a = models.Assignment{ID: store.NewID(), TenantID: p.TenantID, ShiftID: sh.ID, StartsAt: sh.StartsAt, EndsAt: sh.EndsAt,
			Active: true, CreatedBy: p.UserID, CreatedAt: s.Clock.Now()}
		if who.ParticipantID != "" {
			a.ParticipantID, a.PersonID = &who.ParticipantID, who.ParticipantID
			err = s.checkParticipant(tx, sh, who.ParticipantID)
		} else {
			a.SupervisorID, a.PersonID = &who.SupervisorID, who.SupervisorID
			err = s.lockSupervisor(tx, sh, who.SupervisorID)
		}
		if err != nil {
			return err
		}
		if err := tx.Create(&a).Error; err != nil {
			return fmt.Errorf("assign: %w", err)
		}
		return s.updateCrewStatus(tx, sh)
	})
	return a, err
}

// lockShiftForStaffing locks a shift the caller may staff: open or staffed
// and not yet ended.
func (s *Service) lockShiftForStaffing(tx *gorm.DB, p auth.Principal, id string) (models.Shift, error) {
	sh, err := s.lockShift(tx, p, id)
	if err != nil {
		return sh, err
	}
	if sh.Status != models.ShiftOpen && sh.Status != models.ShiftStaffed {
		return sh, models.Conflict("shift_not_open", fmt.Sprintf("the shift is %s", sh.Status))
	}
	if !s.Clock.Now().Before(sh.EndsAt) {
		return sh, models.Conflict("shift_ended", "the shift has ended; its crew can no longer change")
	}
	return sh, nil
}

// checkParticipant locks the participant and checks that it belongs to the
// shift's organiser, is free, passes the eligibility rules and fits the crew.
func (s *Service) checkParticipant(tx *gorm.DB, sh models.Shift, participantID string) error {
	var pt models.Participant
	err := s.DB.ForUpdate(tx).Where("tenant_id = ? AND id = ?", sh.TenantID, participantID).Take(&pt).Error
	if err != nil || pt.OrganiserID != sh.OrganiserID {
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("load participant: %w", err)
		}
		v := &models.ValidationError{}
		v.Add("/participant_id", "is not a participant of the shift's organiser")
		return v
	}
	if err := s.checkFree(tx, sh, participantID); err != nil {
		return err
	}
	in, err := s.eligibilityInput(tx, sh, []string{participantID})
	if err != nil {
		return err
	}
	if reasons := models.Eligibility(pt.Active, in.decisions[participantID], in.booked[participantID], in.slot, s.Loc); len(reasons) > 0 {
		details := make([]string, len(reasons))
		for i, r := range reasons {
			details[i] = r.Detail
		}
		return models.Conflict(reasons[0].Code, strings.Join(details, "; "))
	}
	var crew int64
	if err := tx.Model(&models.Assignment{}).Where("shift_id = ? AND participant_id IS NOT NULL AND active", sh.ID).Count(&crew).Error; err != nil {
		return fmt.Errorf("count crew: %w", err)
	}
	if int(crew) >= sh.CrewSize {
		return models.Conflict("crew_full", fmt.Sprintf("the crew of %d is full", sh.CrewSize))
	}
	return nil
}

// lockSupervisor locks the supervisor user and checks it works for the
// shift's organiser and is free.
func (s *Service) lockSupervisor(tx *gorm.DB, sh models.Shift, userID string) error {
	var u models.User
	err := s.DB.ForUpdate(tx).Where("tenant_id = ? AND id = ?", sh.TenantID, userID).Take(&u).Error
	if err != nil || u.Role != models.RoleSupervisor || u.OrganizationID == nil || *u.OrganizationID != sh.OrganiserID {
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("load supervisor: %w", err)
		}
		v := &models.ValidationError{}
		v.Add("/supervisor_id", "is not a supervisor of the shift's organiser")
		return v
	}
	if !u.Active {
		return models.Conflict("supervisor_inactive", "the supervisor has been deactivated")
	}
	return s.checkFree(tx, sh, userID)
}

// checkFree: the person is not on this shift yet, nor on an overlapping one.
// The conflict names the clashing shift; only staff can assign, so only
// staff read it.
func (s *Service) checkFree(tx *gorm.DB, sh models.Shift, personID string) error {
	var clash []models.Assignment
	if err := tx.Where("person_id = ? AND active AND starts_at < ? AND ends_at > ?", personID, sh.EndsAt, sh.StartsAt).
		Limit(1).Find(&clash).Error; err != nil {
		return fmt.Errorf("check overlap: %w", err)
	}
	switch {
	case len(clash) == 0:
		return nil
	case clash[0].ShiftID == sh.ID:
		return models.Conflict("already_assigned", "the person is already on this shift")
	}
	var other models.Shift
	if err := tx.Where("id = ?", clash[0].ShiftID).Take(&other).Error; err != nil {
		return fmt.Errorf("load the overlapping shift: %w", err)
	}
	return models.Conflict(models.ReasonOverlap, fmt.Sprintf("the person is already on an overlapping shift: %s on %s %s–%s",
		other.ID, other.Date, other.StartsAt.In(s.Loc).Format("15:04"), other.EndsAt.In(s.Loc).Format("15:04")))
}

// Unassign removes a person from a shift that has not ended; hours already
// recorded for the assignment keep it (409).
func (s *Service) Unassign(ctx context.Context, p auth.Principal, shiftID, assignmentID string) error {
	return s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		sh, err := s.lockShiftForStaffing(tx, p, shiftID)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Table("time_entries").Where("assignment_id = ?", assignmentID).Count(&n).Error; err != nil {
			return fmt.Errorf("check hours: %w", err)
		}
		if n > 0 {
			return models.Conflict("hours_recorded", "hours are recorded for this assignment")
		}
		res := tx.Where("id = ? AND shift_id = ?", assignmentID, sh.ID).Delete(&models.Assignment{})
		if res.Error != nil {
			return fmt.Errorf("unassign: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("assignment %s: %w", assignmentID, models.ErrNotFound)
		}
		return s.updateCrewStatus(tx, sh)
	})
}

// updateCrewStatus sets open or staffed from the crew and its supervisors
// (one per started max_crew_per_supervisor participants).
func (s *Service) updateCrewStatus(tx *gorm.DB, sh models.Shift) error {
	var counts struct{ Participants, Supervisors int }
	if err := tx.Raw(`SELECT COUNT(participant_id) AS participants, COUNT(supervisor_id) AS supervisors
		FROM assignments WHERE shift_id = ? AND active`, sh.ID).Scan(&counts).Error; err != nil {
		return fmt.Errorf("count crew: %w", err)
	}
	var t models.Tenant
	if err := tx.Where("id = ?", sh.TenantID).Take(&t).Error; err != nil {
		return store.NotFound(err, "tenant")
	}
	status := models.CrewStatus(sh.CrewSize, counts.Participants, counts.Supervisors, t.MaxCrewPerSupervisor)
	if status == sh.Status {
		return nil
	}
	if err := tx.Model(&models.Shift{}).Where("id = ?", sh.ID).
		Updates(map[string]any{"status": status, "version": gorm.Expr("version + 1")}).Error; err != nil {
		return fmt.Errorf("crew status: %w", err)
	}
	if status != models.ShiftStaffed {
		return nil
	}
	return notify.EmitShift(tx, s.Clock.Now(), notify.ShiftStaffed, sh.ID)
}

// eligibility is what models.Eligibility needs for a shift and a set of
// participants, loaded set-based.
type eligibility struct {
	slot      models.ShiftSlot
	decisions map[string][]models.DecisionTerms
	booked    map[string][]models.BookedShift
}

// eligibilityInput loads the customer's agreement and sector, the
// participants' decisions and their other active assignments in the days that the limits look at (the shift date's ISO
// week, and a day around it for shifts crossing midnight).
func (s *Service) eligibilityInput(tx *gorm.DB, sh models.Shift, ids []string) (eligibility, error) {
	in := eligibility{slot: models.ShiftSlot{Date: sh.Date, StartsAt: sh.StartsAt, EndsAt: sh.EndsAt},
		booked: map[string][]models.BookedShift{}}
	ag, err := AgreementOn(tx, sh.TenantID, sh.CustomerID, sh.Date)
	switch {
	case err == nil:
		in.slot.PaidEmployment = ag.EmploymentModel == models.EmploymentCustomerEmploys
	case !errors.Is(err, models.ErrNotFound):
		return in, err
	}
	var customer struct{ Sector *string }
	if err := tx.Raw(`SELECT sector FROM organizations WHERE tenant_id = ? AND id = ?`, sh.TenantID, sh.CustomerID).Scan(&customer).Error; err != nil {
		return in, fmt.Errorf("load customer sector: %w", err)
	}
	if customer.Sector != nil {
		in.slot.CustomerSector = *customer.Sector
	}
	if in.decisions, err = participants.Decisions(tx, sh.TenantID, ids); err != nil {
		return in, err
	}
	monday := sh.Date.AddDays(1 - sh.Date.ISOWeekday())
	var rows []struct {
		ParticipantID    string
		Date             models.Date
		StartsAt, EndsAt time.Time
	}
	if err := tx.Raw(`SELECT a.participant_id, s.date, a.starts_at, a.ends_at FROM assignments a JOIN shifts s ON s.id = a.shift_id
		WHERE a.person_id IN ? AND a.participant_id IS NOT NULL AND a.active AND a.shift_id <> ? AND s.date BETWEEN ? AND ?`,
		ids, sh.ID, monday.AddDays(-1), monday.AddDays(7)).Scan(&rows).Error; err != nil {
		return in, fmt.Errorf("load booked shifts: %w", err)
	}
	for _, r := range rows {
		in.booked[r.ParticipantID] = append(in.booked[r.ParticipantID], models.BookedShift{Date: r.Date, StartsAt: r.StartsAt, EndsAt: r.EndsAt})
	}
	return in, nil
}
