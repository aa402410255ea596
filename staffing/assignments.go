package staffing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

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
		var crew crewCount
		if who.ParticipantID != "" {
			a.ParticipantID, a.PersonID = &who.ParticipantID, who.ParticipantID
			crew, err = s.checkParticipant(tx, sh, who.ParticipantID)
			crew.Participants++
		} else {
			a.SupervisorID, a.PersonID = &who.SupervisorID, who.SupervisorID
			crew, err = s.lockSupervisor(tx, sh, who.SupervisorID)
			crew.Supervisors++
		}
		if err != nil {
			return err
		}
		if err := tx.Create(&a).Error; err != nil {
			return fmt.Errorf("assign: %w", err)
		}
		return s.setCrewStatus(tx, sh, crew)
	})
	return a, err
}

// staffedShift is a shift with what the staffing rules need of its customer
// and tenant, read in the statement that loads (and locks) the shift.
type staffedShift struct {
	models.Shift
	CustomerSector       *string
	EmploymentModel      *string // of the customer's agreement valid on the shift's date, if any
	MaxCrewPerSupervisor int
}

// staffedShiftSQL selects a staffedShift; the agreement is one row (agreements
// of a customer do not overlap).
var staffedShiftSQL = `shifts.*, o.sector AS customer_sector, t.max_crew_per_supervisor,
	(SELECT ag.employment_model FROM agreements ag WHERE ag.tenant_id = shifts.tenant_id AND ag.customer_id = shifts.customer_id
		AND ` + store.ValidOn("ag", "shifts.date") + ` LIMIT 1) AS employment_model`

// loadStaffedShift reads a shift the caller may see with its customer's
// sector and agreement and its tenant's crew rule; lock locks the shift's
// row (PostgreSQL; SQLite's transaction is already exclusive), not the
// customer's or the tenant's.
func (s *Service) loadStaffedShift(tx *gorm.DB, p auth.Principal, id string, lock bool) (staffedShift, error) {
	var sh staffedShift
	q := scope(tx, p, "shifts").Table("shifts").Select(staffedShiftSQL).
		Joins("JOIN organizations o ON o.id = shifts.customer_id").Joins("JOIN tenants t ON t.id = shifts.tenant_id").
		Where("shifts.id = ?", id)
	if lock && s.DB.Dialect == store.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE", Table: clause.Table{Name: "shifts"}})
	}
	err := q.Take(&sh).Error
	return sh, store.NotFound(err, "shift")
}

// slot is the shift as the eligibility rules see it.
func (sh staffedShift) slot() models.ShiftSlot {
	slot := models.ShiftSlot{Date: sh.Date, StartsAt: sh.StartsAt, EndsAt: sh.EndsAt}
	slot.PaidEmployment = sh.EmploymentModel != nil && *sh.EmploymentModel == models.EmploymentCustomerEmploys
	if sh.CustomerSector != nil {
		slot.CustomerSector = *sh.CustomerSector
	}
	return slot
}

// lockShiftForStaffing locks a shift the caller may staff: open or staffed
// and not yet ended.
func (s *Service) lockShiftForStaffing(tx *gorm.DB, p auth.Principal, id string) (staffedShift, error) {
	sh, err := s.loadStaffedShift(tx, p, id, true)
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
// shift's organiser, is free, passes the eligibility rules and fits the
// crew, which it returns.
func (s *Service) checkParticipant(tx *gorm.DB, sh staffedShift, participantID string) (crewCount, error) {
	var pt models.Participant
	err := s.DB.ForUpdate(tx).Where("tenant_id = ? AND id = ?", sh.TenantID, participantID).Take(&pt).Error
	if err != nil || pt.OrganiserID != sh.OrganiserID {
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return crewCount{}, fmt.Errorf("load participant: %w", err)
		}
		v := &models.ValidationError{}
		v.Add("/participant_id", "is not a participant of the shift's organiser")
		return crewCount{}, v
	}
	crew, err := s.checkFree(tx, sh, participantID)
	if err != nil {
		return crew, err
	}
	in, err := s.eligibilityInput(tx, sh, []string{participantID})
	if err != nil {
		return crew, err
	}
	if reasons := models.Eligibility(pt, in.decisions[participantID], in.booked[participantID], in.slot, s.Loc); len(reasons) > 0 {
		details := make([]string, len(reasons))
		for i, r := range reasons {
			details[i] = r.Detail
		}
		return crew, models.Conflict(reasons[0].Code, strings.Join(details, "; "))
	}
	if crew.Participants >= sh.CrewSize {
		return crew, models.Conflict("crew_full", fmt.Sprintf("the crew of %d is full", sh.CrewSize))
	}
	return crew, nil
}

// lockSupervisor locks the supervisor user and checks it works for the
// shift's organiser and is free; it returns the shift's crew.
func (s *Service) lockSupervisor(tx *gorm.DB, sh staffedShift, userID string) (crewCount, error) {
	var u models.User
	err := s.DB.ForUpdate(tx).Where("tenant_id = ? AND id = ?", sh.TenantID, userID).Take(&u).Error
	if err != nil || u.Role != models.RoleSupervisor || u.OrganizationID == nil || *u.OrganizationID != sh.OrganiserID {
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return crewCount{}, fmt.Errorf("load supervisor: %w", err)
		}
		v := &models.ValidationError{}
		v.Add("/supervisor_id", "is not a supervisor of the shift's organiser")
		return crewCount{}, v
	}
	if !u.Active {
		return crewCount{}, models.Conflict("supervisor_inactive", "the supervisor has been deactivated")
	}
	return s.checkFree(tx, sh, userID)
}

// crewCount is a shift's active crew: participants and supervisors.
type crewCount struct{ Participants, Supervisors int }

// checkFree: the person is not on this shift yet, nor on an overlapping one.
// The conflict names the clashing shift; only staff can assign, so only
// staff read it. The same statement, read after the shift's and the
// person's locks, counts the shift's crew, which it returns.
func (s *Service) checkFree(tx *gorm.DB, sh staffedShift, personID string) (crewCount, error) {
	var row struct {
		Participants, Supervisors int
		Clash                     *string
	}
	if err := tx.Raw(`SELECT COUNT(a.participant_id) AS participants, COUNT(a.supervisor_id) AS supervisors,
			(SELECT c.shift_id FROM assignments c WHERE c.person_id = ? AND c.active AND c.starts_at < ? AND c.ends_at > ? LIMIT 1) AS clash
		FROM assignments a WHERE a.shift_id = ? AND a.active`, personID, sh.EndsAt, sh.StartsAt, sh.ID).Scan(&row).Error; err != nil {
		return crewCount{}, fmt.Errorf("check overlap: %w", err)
	}
	crew := crewCount{Participants: row.Participants, Supervisors: row.Supervisors}
	switch {
	case row.Clash == nil:
		return crew, nil
	case *row.Clash == sh.ID:
		return crew, models.Conflict("already_assigned", "the person is already on this shift")
	}
	var other models.Shift
	if err := tx.Where("id = ?", *row.Clash).Take(&other).Error; err != nil {
		return crew, fmt.Errorf("load the overlapping shift: %w", err)
	}
	return crew, models.Conflict(models.ReasonOverlap, fmt.Sprintf("the person is already on an overlapping shift: %s on %s %s–%s",
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
		var crew crewCount
		if err := tx.Raw(`SELECT COUNT(participant_id) AS participants, COUNT(supervisor_id) AS supervisors
			FROM assignments WHERE shift_id = ? AND active`, sh.ID).Scan(&crew).Error; err != nil {
			return fmt.Errorf("count crew: %w", err)
		}
		return s.setCrewStatus(tx, sh, crew)
	})
}

// setCrewStatus sets open or staffed from the crew and its supervisors
// (one per started max_crew_per_supervisor participants), and tells that a
// shift became staffed.
func (s *Service) setCrewStatus(tx *gorm.DB, sh staffedShift, crew crewCount) error {
	status := models.CrewStatus(sh.CrewSize, crew.Participants, crew.Supervisors, sh.MaxCrewPerSupervisor)
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
	staffed := sh.Shift
	staffed.Status, staffed.Version = status, sh.Version+1
	return notify.EmitShiftOf(tx, s.Clock.Now(), notify.ShiftStaffed, staffed)
}

// eligibility is what models.Eligibility needs for a shift and a set of
// participants, loaded set-based.
type eligibility struct {
	slot      models.ShiftSlot
	decisions map[string][]models.DecisionTerms
	booked    map[string][]models.BookedShift
}

// eligibilityInput loads what the rules need besides the shift: the
// participants' decisions and their other active assignments in the days
// that the limits look at (the shift date's ISO week, and a day around it
// for shifts crossing midnight).
func (s *Service) eligibilityInput(tx *gorm.DB, sh staffedShift, ids []string) (eligibility, error) {
	in := eligibility{slot: sh.slot(), booked: map[string][]models.BookedShift{}}
	var err error
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
