package models

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Participant is a person in work activity, owned by one organiser. Its
// personal data is protected (DOMAIN.md): the IBAN is stored only encrypted,
// and customers see the pseudonym alone.
type Participant struct {
	ID          string
	TenantID    string
	OrganiserID string
	FirstName   string
	LastName    string
	Pseudonym   string
	Email       string
	Phone       string
	// IBAN is the plain account number, in memory only: package participants
	// decrypts it into here and encrypts it into IBANEncrypted. Responses
	// show MaskIBAN(IBAN).
	IBAN          string `gorm:"-"`
	IBANEncrypted string `gorm:"column:iban_encrypted"`
	// IdentityCode is the personal identity code in memory only, sealed
	// like the IBAN into IdentityCodeEncrypted ('' when not given).
	// Responses show MaskIdentityCode(IdentityCode).
	IdentityCode          string `gorm:"-"`
	IdentityCodeEncrypted string `gorm:"column:identity_code_encrypted"`
	Language              string // fi, sv or en: payslips and letters
	EmploymentStartDate   *Date
	EmploymentEndDate     *Date // the last day: its month's payout pays all holiday compensation due (VLL § 17)
	Active                bool
	Version               int
	CreatedAt             time.Time
	UpdatedAt             time.Time
}

// GetID lets store.List page participants.
func (p Participant) GetID() string { return p.ID }

// Validate checks the fields a participant must have; IBAN must already be
// normalised (NormalizeIBAN).
func (p *Participant) Validate() error {
	v := &ValidationError{}
	if strings.TrimSpace(p.FirstName) == "" {
		v.Add("/first_name", "is required")
	}
	if strings.TrimSpace(p.LastName) == "" {
		v.Add("/last_name", "is required")
	}
	if p.Email != "" && (!strings.Contains(p.Email, "@") || strings.ContainsAny(p.Email, " \t\r\n")) {
		v.Add("/email", "is not an email address")
	}
	if p.IdentityCode != "" {
		if _, ok := IdentityCodeBirthDate(p.IdentityCode); !ok {
			v.Add("/personal_identity_code", "is not a valid Finnish personal identity code (DDMMYY, century sign, individual number and a correct check character)")
		}
	}
	switch p.Language {
	case "fi", "sv", "en":
	default:
		v.Add("/language", "must be fi, sv or en")
	}
	if end := p.EmploymentEndDate; end != nil && p.EmploymentStartDate != nil && end.Before(*p.EmploymentStartDate) {
		v.Add("/employment_end_date", "must not be before employment_start_date "+p.EmploymentStartDate.String())
	}
	if p.IBAN == "" {
		v.Add("/iban", "is required (the organiser pays the participant's compensation to it)")
	} else if !ValidIBAN(p.IBAN) {
		v.Add("/iban", "is not a valid IBAN")
	}
	return v.Err()
}

// ServiceDecision is one decision of a participant as stored. Decisions are
// never edited; a change is a new decision from a date, which ends the one it
// supersedes (SupersededBy) the day before.
type ServiceDecision struct {
	ID            string
	TenantID      string
	ParticipantID string
	DecisionTerms `gorm:"embedded"`
	SupersededBy  *string
	CreatedAt     time.Time
}

// GetID lets store.List page decisions.
func (d ServiceDecision) GetID() string { return d.ID }

// Outcome kinds: what happened to a participant next, the basis of the
// paid-work KPI.
const (
	OutcomePaidEmployment = "paid_employment"
	OutcomeEducation      = "education"
	OutcomeOtherService   = "other_service"
	OutcomeEnded          = "ended"
)

// Outcome records what happened to a participant next.
type Outcome struct {
	ID            string
	TenantID      string
	ParticipantID string
	Kind          string
	Date          Date
	Note          string
	CreatedBy     string
	CreatedAt     time.Time
}

// GetID lets store.List page outcomes.
func (o Outcome) GetID() string { return o.ID }

// Validate checks the kind and the date.
func (o *Outcome) Validate() error {
	v := &ValidationError{}
	switch o.Kind {
	case OutcomePaidEmployment, OutcomeEducation, OutcomeOtherService, OutcomeEnded:
	default:
		v.Add("/kind", "must be paid_employment, education, other_service or ended")
	}
	if o.Date.IsZero() {
		v.Add("/date", "is required")
	}
	return v.Err()
}

// AvailabilityWindow is a local wall-clock time window on an ISO weekday
// (1 = Monday … 7 = Sunday) when the participant can work.
type AvailabilityWindow struct {
	TenantID      string
	ParticipantID string
	Weekday       int
	StartTime     ClockTime
	EndTime       ClockTime
}

// ValidateWindows checks a participant's whole set of windows: real weekdays,
// each window ending after it starts on the same day, and no two windows of a
// weekday overlapping. Pointers index the request's "windows" array.
func ValidateWindows(ws []AvailabilityWindow) error {
	v := &ValidationError{}
	for i, w := range ws {
		at := fmt.Sprintf("/windows/%d/", i)
		if w.Weekday < 1 || w.Weekday > 7 {
			v.Add(at+"weekday", "must be an ISO weekday, 1 (Monday) to 7 (Sunday)")
		}
		if !w.StartTime.Valid() || !w.EndTime.Valid() || w.EndTime <= w.StartTime {
			v.Add(at+"end_time", "must be after start_time on the same day")
		}
	}
	if len(v.Fields) > 0 {
		return v
	}
	order := make([]int, len(ws))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if ws[a].Weekday != ws[b].Weekday {
			return ws[a].Weekday - ws[b].Weekday
		}
		return int(ws[a].StartTime - ws[b].StartTime)
	})
	for k := 1; k < len(order); k++ {
		prev, cur := ws[order[k-1]], ws[order[k]]
		if prev.Weekday == cur.Weekday && cur.StartTime < prev.EndTime {
			v.Add(fmt.Sprintf("/windows/%d/start_time", order[k]), "overlaps another window of the same weekday")
		}
	}
	return v.Err()
}

// Access-log actions: why a participant's personal data was read. An update
// is logged too, as its response discloses the whole participant.
const (
	AccessRead   = "read"
	AccessList   = "list"
	AccessUpdate = "update"
	AccessExport = "export"
)

// AccessLogEntry is one read of one participant's personal data by a user
// (Act 703/2023: the participant may later see who read it).
type AccessLogEntry struct {
	ID            string
	TenantID      string
	ParticipantID string
	UserID        string
	Role          string
	Action        string
	Route         string
	At            time.Time
}

// GetID and SortTime let store.ListByTime page the access log.
func (e AccessLogEntry) GetID() string { return e.ID }

// SortTime is when the data was read.
func (e AccessLogEntry) SortTime() time.Time { return e.At }

// TaxCard is a participant's tax card for one year: the basic withholding
// rate up to the income limit of the year, the additional rate above it.
type TaxCard struct {
	ID               string
	TenantID         string
	ParticipantID    string
	Year             int
	BasicBps         int64
	AdditionalBps    int64
	IncomeLimitCents Cents
	CreatedAt        time.Time
}

// GetID lets store.List page tax cards.
func (c TaxCard) GetID() string { return c.ID }

// Validate checks the card's year and rates.
func (c *TaxCard) Validate() error {
	v := &ValidationError{}
	if c.Year < 2000 || c.Year > 2100 {
		v.Add("/year", "must be a year between 2000 and 2100")
	}
	if c.BasicBps < 0 || c.BasicBps > 10000 {
		v.Add("/basic_bps", "must be 0–10000 basis points (0–100 %)")
	}
	if c.AdditionalBps < 0 || c.AdditionalBps > 10000 {
		v.Add("/additional_bps", "must be 0–10000 basis points (0–100 %)")
	}
	if c.IncomeLimitCents < 0 {
		v.Add("/income_limit_cents", "must not be negative")
	}
	return v.Err()
}
