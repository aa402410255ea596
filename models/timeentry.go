package models

import (
	"fmt"
	"slices"
	"time"
)

// Timesheet statuses of a shift.
const (
	TimesheetDraft     = "draft"
	TimesheetSubmitted = "submitted"
	TimesheetApproved  = "approved"
	TimesheetDisputed  = "disputed"
)

// Absences: a person assigned but not working.
var Absences = []string{"sick", "no_show", "other"}

// TimeEntry is what really happened for one assignment: worked time or an
// absence. Billing sets BillingRunID; a billed entry is locked.
type TimeEntry struct {
	ID            string
	TenantID      string
	ShiftID       string
	AssignmentID  string
	StartAt       *time.Time
	EndAt         *time.Time
	BreakMinutes  int
	Absence       *string
	Note          string
	WorkedMinutes int
	BillingRunID  *string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// EntryInput is one recorded entry as a supervisor gives it: local start and
// end times on the shift's date (an end before the start is the next day)
// and a break, or an absence with a note.
type EntryInput struct {
	AssignmentID string
	StartTime    *ClockTime
	EndTime      *ClockTime
	BreakMinutes int
	Absence      string
	Note         string
}

// MaxEntrySpan is how far recorded times may lie from the planned shift, and
// the longest entry.
const MaxEntrySpan = 24 * time.Hour

// ResolveEntries validates a whole timesheet against the shift and its
// active assignments and returns the entries to store (without ids): every
// assignment covered exactly once, no entry for anyone else, end after
// start, break shorter than the time, times within 24 h of the shift.
func ResolveEntries(sh Shift, assignments []string, in []EntryInput, loc *time.Location) ([]TimeEntry, error) {
	v := &ValidationError{}
	seen := map[string]bool{}
	known := map[string]bool{}
	for _, a := range assignments {
		known[a] = true
	}
	var out []TimeEntry
	for i, e := range in {
		at := func(field string) string { return fmt.Sprintf("/entries/%d/%s", i, field) }
		switch {
		case !known[e.AssignmentID]:
			v.Add(at("assignment_id"), "is not an assignment of this shift")
			continue
		case seen[e.AssignmentID]:
			v.Add(at("assignment_id"), "is covered twice")
			continue
		}
		seen[e.AssignmentID] = true
		te := TimeEntry{ShiftID: sh.ID, TenantID: sh.TenantID, AssignmentID: e.AssignmentID, Note: e.Note}
		if e.Absence != "" {
			if !slices.Contains(Absences, e.Absence) {
				v.Add(at("absence"), "must be sick, no_show or other")
			} else if e.Absence == "other" && e.Note == "" {
				v.Add(at("note"), "is required for an absence of kind other")
			}
			if e.StartTime != nil || e.EndTime != nil || e.BreakMinutes != 0 {
				v.Add(at("absence"), "an absence has no start, end or break")
			}
			absence := e.Absence
			te.Absence = &absence
			out = append(out, te)
			continue
		}
		if e.StartTime == nil || e.EndTime == nil {
			missing := "start_time" // the pointer names a missing one, so a malformed one covers it
			if e.StartTime != nil {
				missing = "end_time"
			}
			v.Add(at(missing), "start_time and end_time are required unless the entry is an absence")
			continue
		}
		start := sh.Date.At(*e.StartTime, loc)
		end := sh.Date.At(*e.EndTime, loc)
		if !end.After(start) {
			end = sh.Date.AddDays(1).At(*e.EndTime, loc)
		}
		span := end.Sub(start)
		switch {
		case *e.EndTime == *e.StartTime:
			v.Add(at("end_time"), "must be after start_time")
		// The start lies on the shift's date; an end before it is the next
		// day, which can be more than a day after the planned end.
		case end.After(sh.EndsAt.Add(MaxEntrySpan)):
			v.Add(at("end_time"), "must be within 24 hours of the shift's end")
		case e.BreakMinutes < 0 || e.BreakMinutes >= int(span/time.Minute): // in minutes: a huge break must not overflow a Duration
			v.Add(at("break_minutes"), "must be at least 0 and shorter than the time worked")
		}
		te.StartAt, te.EndAt, te.BreakMinutes = &start, &end, e.BreakMinutes
		te.WorkedMinutes = int(span/time.Minute) - e.BreakMinutes
		out = append(out, te)
	}
	for _, a := range assignments {
		if !seen[a] && known[a] {
			v.Add("/entries", fmt.Sprintf("assignment %s is not covered", a))
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return out, nil
}
