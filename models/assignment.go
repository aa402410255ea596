package models

import "time"

// Assignment is a participant or a supervisor on a shift. The shift's times
// are copied so that overlaps are checked (and, on PostgreSQL, excluded by
// a constraint) per person.
type Assignment struct {
	ID            string
	TenantID      string
	ShiftID       string
	ParticipantID *string
	SupervisorID  *string
	PersonID      string // the participant or the supervisor user
	StartsAt      time.Time
	EndsAt        time.Time
	Active        bool // false once the shift is cancelled
	CreatedBy     string
	CreatedAt     time.Time
}
