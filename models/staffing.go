package models

import (
	"cmp"
)

// SupervisorsNeeded is one supervisor per started maxCrewPerSupervisor
// participants (DOMAIN.md): 1–8 participants need one, 9 need two.
func SupervisorsNeeded(participants, maxCrewPerSupervisor int) int {
	if participants <= 0 {
		return 1 // the crew's supervisor is always included in this model
	}
	return (participants + maxCrewPerSupervisor - 1) / maxCrewPerSupervisor
}

// CrewStatus is open or staffed: staffed when the participant crew is full
// and it has its supervisors.
func CrewStatus(crewSize, participants, supervisors, maxCrewPerSupervisor int) string {
	if participants >= crewSize && supervisors >= SupervisorsNeeded(participants, maxCrewPerSupervisor) {
		return ShiftStaffed
	}
	return ShiftOpen
}

// Candidate is a participant considered for a shift, with what fair rotation
// of paid work ranks by.
type Candidate struct {
	ParticipantID string
	WorkedMinutes int64 // in the 28 days before the shift's date
	Available     bool  // an availability window covers the shift
	LastShiftDate *Date // nil: never worked
	Reasons       []Reason
	SortName      string // last and first name, only to make ties stable
}

// CompareCandidates orders candidates for fair rotation: eligible ones first;
// then fewest worked minutes in the last 28 days; then available in the
// shift's time window; then longest since the last shift (never worked
// counts as longest); ties by name and id so the order is stable.
func CompareCandidates(a, b Candidate) int {
	if c := boolOrder(len(a.Reasons) > 0, len(b.Reasons) > 0); c != 0 {
		return c
	}
	if c := cmp.Compare(a.WorkedMinutes, b.WorkedMinutes); c != 0 {
		return c
	}
	if c := boolOrder(!a.Available, !b.Available); c != 0 {
		return c
	}
	if c := compareLastShift(a.LastShiftDate, b.LastShiftDate); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(a.SortName, b.SortName), cmp.Compare(a.ParticipantID, b.ParticipantID))
}

// boolOrder puts false before true.
func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// compareLastShift puts the longest since a last shift first: never worked,
// then the earliest date.
func compareLastShift(a, b *Date) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}
