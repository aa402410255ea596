package staffing

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/participants"
	"jobcenter/store"
)

// CrewMember is one person on a shift as others see it: participants by
// pseudonym, supervisors by name, with the hours recorded for them, if any.
type CrewMember struct {
	AssignmentID  string
	ParticipantID *string
	SupervisorID  *string
	Pseudonym     string
	Entry         *models.TimeEntry
}

// Contact is the supervisor a customer can call.
type Contact struct{ Name, Phone string }

// Crew is a shift's active crew.
type Crew struct {
	Members    []CrewMember
	Count      int // participants
	Supervisor *Contact
}

// Entries are the crew's recorded hours, in crew order.
func (c Crew) Entries() []TimeEntryView {
	var out []TimeEntryView
	for _, m := range c.Members {
		if m.Entry != nil {
			out = append(out, TimeEntryView{TimeEntry: *m.Entry, ParticipantID: m.ParticipantID, SupervisorID: m.SupervisorID, Pseudonym: m.Pseudonym})
		}
	}
	return out
}

// TimeEntryView is an entry with the person it is for.
type TimeEntryView struct {
	models.TimeEntry
	ParticipantID *string
	SupervisorID  *string
	Pseudonym     string
}

// CrewsSQL reads the active crews of shifts (IN ? takes their ids) with
// each member's recorded hours. The load benchmark runs the same statement
// for its floor.
const CrewsSQL = `SELECT a.id, a.shift_id, a.participant_id, a.supervisor_id,
		(SELECT p.pseudonym FROM participants p WHERE p.id = a.participant_id), u.name, u.phone,
		te.id, te.start_at, te.end_at, te.break_minutes, te.absence, te.note, te.worked_minutes, te.billing_run_id
	FROM assignments a LEFT JOIN users u ON u.id = a.supervisor_id LEFT JOIN time_entries te ON te.assignment_id = a.id
	WHERE a.shift_id IN ? AND a.active ORDER BY a.created_at, a.id`

// Crews loads the crews of the shifts with their recorded hours, in one
// set-based query for a list page. Hours exist only for active assignments
// (an assignment with hours cannot be removed, and a shift with a crew to
// release has not started).
func (s *Service) Crews(ctx context.Context, shiftIDs []string) (map[string]Crew, error) {
	out := map[string]Crew{}
	if len(shiftIDs) == 0 {
		return out, nil
	}
	// Scanned by hand: a list page reads a few hundred of these rows, and
	// reflection-based scanning was most of the list's cost. The pseudonym
	// is a per-row lookup: joining participants made PostgreSQL hash the
	// whole table for each page.
	rows, err := s.DB.Gorm.WithContext(ctx).Raw(CrewsSQL, shiftIDs).Rows()
	if err != nil {
		return nil, fmt.Errorf("load crews: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			m                      CrewMember
			shiftID                string
			pseudonym, name, phone *string
			entryID, absence, note *string
			entryRun               *string
			start, end             *time.Time
			breakMin, worked       *int
		)
		if err := rows.Scan(&m.AssignmentID, &shiftID, &m.ParticipantID, &m.SupervisorID, &pseudonym, &name, &phone,
			&entryID, &start, &end, &breakMin, &absence, &note, &worked, &entryRun); err != nil {
			return nil, fmt.Errorf("load crews: %w", err)
		}
		c := out[shiftID]
		if m.ParticipantID != nil {
			m.Pseudonym = deref(pseudonym)
			c.Count++
		} else {
			m.Pseudonym = deref(name)
			if c.Supervisor == nil {
				c.Supervisor = &Contact{Name: deref(name), Phone: deref(phone)}
			}
		}
		if entryID != nil {
			m.Entry = &models.TimeEntry{ID: *entryID, ShiftID: shiftID, AssignmentID: m.AssignmentID, StartAt: start, EndAt: end,
				BreakMinutes: deref(breakMin), Absence: absence, Note: deref(note), WorkedMinutes: deref(worked), BillingRunID: entryRun}
		}
		c.Members = append(c.Members, m)
		out[shiftID] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load crews: %w", err)
	}
	return out, nil
}

func deref[T any](v *T) T {
	var zero T
	if v == nil {
		return zero
	}
	return *v
}

// CandidateView is a ranked candidate with the names a coordinator or
// supervisor staffs by.
type CandidateView struct {
	models.Candidate
	FirstName, LastName, Pseudonym string
}

// Candidates ranks every participant of the shift's organiser who is not on
// the shift yet for fair rotation of paid work: eligible ones first, each
// ineligible one with its reasons. Reading them is written to the access log.
func (s *Service) Candidates(ctx context.Context, p auth.Principal, shiftID, route string) (eligible, ineligible []CandidateView, err error) {
	err = s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		eligible, ineligible = nil, nil
		sh, err := s.loadStaffedShift(tx, p, shiftID, false)
		if err != nil {
			return err
		}
		var people []models.Participant
		if err := tx.Where("tenant_id = ? AND organiser_id = ? AND id NOT IN (?)", sh.TenantID, sh.OrganiserID,
			tx.Model(&models.Assignment{}).Select("COALESCE(participant_id, '')").Where("shift_id = ? AND active", sh.ID)).
			Order("last_name, first_name, id").Find(&people).Error; err != nil {
			return fmt.Errorf("load participants: %w", err)
		}
		if len(people) == 0 {
			return nil
		}
		ids := make([]string, len(people))
		for i, pt := range people {
			ids[i] = pt.ID
		}
		in, err := s.eligibilityInput(tx, sh, ids)
		if err != nil {
			return err
		}
		rot, err := s.rotation(tx, sh.Shift, ids)
		if err != nil {
			return err
		}
		views := make([]CandidateView, len(people))
		for i, pt := range people {
			c := rot[pt.ID]
			c.ParticipantID, c.SortName = pt.ID, pt.LastName+" "+pt.FirstName
			c.Reasons = models.Eligibility(pt, in.decisions[pt.ID], in.booked[pt.ID], in.slot, s.Loc)
			views[i] = CandidateView{Candidate: c, FirstName: pt.FirstName, LastName: pt.LastName, Pseudonym: pt.Pseudonym}
		}
		slices.SortStableFunc(views, func(a, b CandidateView) int { return models.CompareCandidates(a.Candidate, b.Candidate) })
		for _, v := range views {
			if len(v.Reasons) == 0 {
				eligible = append(eligible, v)
			} else {
				ineligible = append(ineligible, v)
			}
		}
		return participants.LogAccess(tx, p, s.Clock.Now(), route, "list", ids...)
	})
	return eligible, ineligible, err
}

// rotation loads what fair rotation ranks by: minutes worked in the 28 days
// before the shift's date, the last shift before it, and whether an
// availability window covers the shift's local time.
func (s *Service) rotation(tx *gorm.DB, sh models.Shift, ids []string) (map[string]models.Candidate, error) {
	out := map[string]models.Candidate{}
	var worked []struct {
		ParticipantID string
		Minutes       int64
	}
	if err := tx.Raw(`SELECT a.participant_id, SUM(te.worked_minutes) AS minutes FROM time_entries te
		JOIN assignments a ON a.id = te.assignment_id JOIN shifts s ON s.id = te.shift_id
		WHERE a.participant_id IN ? AND te.absence IS NULL AND s.date >= ? AND s.date < ? GROUP BY a.participant_id`,
		ids, sh.Date.AddDays(-28), sh.Date).Scan(&worked).Error; err != nil {
		return nil, fmt.Errorf("worked minutes: %w", err)
	}
	for _, w := range worked {
		c := out[w.ParticipantID]
		c.WorkedMinutes = w.Minutes
		out[w.ParticipantID] = c
	}
	var last []struct {
		ParticipantID string
		Last          models.Date
	}
	if err := tx.Raw(`SELECT a.participant_id, MAX(s.date) AS last FROM assignments a JOIN shifts s ON s.id = a.shift_id
		WHERE a.participant_id IN ? AND a.active AND s.date < ? GROUP BY a.participant_id`, ids, sh.Date).Scan(&last).Error; err != nil {
		return nil, fmt.Errorf("last shifts: %w", err)
	}
	for _, l := range last {
		c := out[l.ParticipantID]
		d := l.Last
		c.LastShiftDate = &d
		out[l.ParticipantID] = c
	}
	var windows []models.AvailabilityWindow
	local := sh.StartsAt.In(s.Loc)
	if err := tx.Where("participant_id IN ? AND weekday = ?", ids, sh.Date.ISOWeekday()).Find(&windows).Error; err != nil {
		return nil, fmt.Errorf("availability: %w", err)
	}
	start := models.ClockTime(local.Hour()*60 + local.Minute())
	minutes := models.ClockTime(sh.EndsAt.Sub(sh.StartsAt) / time.Minute)
	for _, w := range windows {
		if w.StartTime <= start && start+minutes <= w.EndTime {
			c := out[w.ParticipantID]
			c.Available = true
			out[w.ParticipantID] = c
		}
	}
	return out, nil
}

// SupervisorCandidate is one of the organiser's active supervisors who is
// not on the shift yet; Available is false when they are on an overlapping
// shift.
type SupervisorCandidate struct {
	SupervisorID string
	Name, Phone  string
	Available    bool
}

// SupervisorCandidates lists the shift organiser's active supervisors not
// on the shift, the free ones first, so that a coordinator can find one.
func (s *Service) SupervisorCandidates(ctx context.Context, p auth.Principal, shiftID string) ([]SupervisorCandidate, error) {
	db := s.DB.Gorm.WithContext(ctx)
	var sh models.Shift
	if err := scope(db, p, "shifts").Where("id = ?", shiftID).Take(&sh).Error; err != nil {
		return nil, store.NotFound(err, "shift")
	}
	var rows []struct {
		ID, Name, Phone string
		Busy            bool
	}
	err := db.Raw(`SELECT u.id, u.name, u.phone, EXISTS (SELECT 1 FROM assignments a WHERE a.person_id = u.id AND a.active
			AND a.starts_at < ? AND a.ends_at > ?) AS busy
		FROM users u WHERE u.tenant_id = ? AND u.role = ? AND u.organization_id = ? AND u.active
			AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.shift_id = ? AND a.person_id = u.id AND a.active)
		ORDER BY u.name, u.id`, sh.EndsAt, sh.StartsAt, sh.TenantID, models.RoleSupervisor, sh.OrganiserID, sh.ID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load supervisors: %w", err)
	}
	out := make([]SupervisorCandidate, len(rows))
	for i, r := range rows {
		out[i] = SupervisorCandidate{SupervisorID: r.ID, Name: r.Name, Phone: r.Phone, Available: !r.Busy}
	}
	slices.SortStableFunc(out, func(a, b SupervisorCandidate) int {
		switch {
		case a.Available == b.Available:
			return 0
		case a.Available:
			return -1
		}
		return 1
	})
	return out, nil
}
