package models

import (
	"fmt"
	"time"
)

// Service decision kinds.
const (
	DecisionRehabilitative      = "rehabilitative_work_activity"
	DecisionDisability          = "disability_work_activity"
	DecisionSupportedEmployment = "supported_employment"
)

// Compensation bases of a service decision.
const (
	CompensationDailyAllowance = "daily_allowance"
	CompensationHourlyWage     = "hourly_wage"
	CompensationNone           = "none"
)

// DecisionTerms are the legal terms of one service decision: when the
// participant may work, how much, and how they are compensated.
type DecisionTerms struct {
	Kind       string `json:"kind"`
	ValidFrom  Date   `json:"valid_from"`
	ValidUntil *Date  `json:"valid_until"` // inclusive; nil = open-ended
	// MaxDaysPerWeek and MaxHoursPerDay: 0 = no limit (not for rehabilitative).
	MaxDaysPerWeek      int    `json:"max_days_per_week"`
	MaxHoursPerDay      int    `json:"max_hours_per_day"`
	Compensation        string `json:"compensation"`
	DailyAllowanceCents Cents  `json:"daily_allowance_cents"`
	HourlyWageCents     Cents  `json:"hourly_wage_cents"`
	WithholdingBps      int64  `json:"withholding_bps"`
}

// Validate reports every problem with JSON pointers of the decision body.
// Rehabilitative work activity is limited by law (Act 189/2001) to 1–4 days
// a week and 4–8 hours a day, so its limits are required.
func (d DecisionTerms) Validate() error {
	var v ValidationError
	switch d.Kind {
	case DecisionRehabilitative:
		if d.MaxDaysPerWeek < 1 || d.MaxDaysPerWeek > 4 {
			v.Add("/max_days_per_week", "must be 1–4 for rehabilitative work activity")
		}
		if d.MaxHoursPerDay < 4 || d.MaxHoursPerDay > 8 {
			v.Add("/max_hours_per_day", "must be 4–8 for rehabilitative work activity")
		}
	case DecisionDisability, DecisionSupportedEmployment:
		if d.MaxDaysPerWeek < 0 || d.MaxDaysPerWeek > 7 {
			v.Add("/max_days_per_week", "must be 1–7, or 0 for no limit")
		}
		if d.MaxHoursPerDay < 0 || d.MaxHoursPerDay > 24 {
			v.Add("/max_hours_per_day", "must be 1–24, or 0 for no limit")
		}
	default:
		v.Add("/kind", "must be rehabilitative_work_activity, disability_work_activity or supported_employment")
	}
	if d.ValidFrom.IsZero() {
		v.Add("/valid_from", "is required")
	} else if d.ValidUntil != nil && d.ValidUntil.Before(d.ValidFrom) {
		v.Add("/valid_until", "must not be before valid_from")
	}
	switch d.Compensation {
	case CompensationDailyAllowance:
		if d.DailyAllowanceCents <= 0 {
			v.Add("/daily_allowance_cents", "must be positive for a daily allowance")
		}
		if d.HourlyWageCents != 0 {
			v.Add("/hourly_wage_cents", "is only for an hourly wage")
		}
		// Accepted for compatibility (API.md); the tax card decides withholding.
		if d.WithholdingBps < 0 || d.WithholdingBps > 10000 {
			v.Add("/withholding_bps", "must be 0–10000")
		}
	case CompensationHourlyWage:
		if d.HourlyWageCents <= 0 {
			v.Add("/hourly_wage_cents", "must be positive for an hourly wage")
		}
		if d.WithholdingBps < 0 || d.WithholdingBps > 10000 {
			v.Add("/withholding_bps", "must be 0–10000")
		}
		if d.DailyAllowanceCents != 0 {
			v.Add("/daily_allowance_cents", "is only for a daily allowance")
		}
	case CompensationNone:
		if d.DailyAllowanceCents != 0 {
			v.Add("/daily_allowance_cents", "must be 0 without compensation")
		}
		if d.HourlyWageCents != 0 {
			v.Add("/hourly_wage_cents", "must be 0 without compensation")
		}
		if d.WithholdingBps != 0 {
			v.Add("/withholding_bps", "must be 0 without compensation")
		}
	default:
		v.Add("/compensation", "must be daily_allowance, hourly_wage or none")
		return v.Err()
	}
	if detail := CompensationRule(d.Kind, d.Compensation); detail != "" {
		v.Add("/compensation", detail)
	}
	return v.Err()
}

// CompensationAllowed reports whether the law lets a decision of kind be
// compensated so (DOMAIN.md, Service decision; PAYROLL.md section 1):
// rehabilitative work activity is not paid by the organiser, work activity
// for people with disabilities pays työosuusraha or nothing, and supported
// employment is a job with an hourly wage.
func CompensationAllowed(kind, compensation string) bool {
	switch kind {
	case DecisionRehabilitative:
		return compensation == CompensationNone
	case DecisionDisability:
		return compensation == CompensationDailyAllowance || compensation == CompensationNone
	case DecisionSupportedEmployment:
		return compensation == CompensationHourlyWage
	}
	return false
}

// CompensationRule explains in plain words why compensation does not fit a
// decision of kind, or returns "" when it fits (or kind is unknown, which
// Validate reports on its own).
func CompensationRule(kind, compensation string) string {
	if CompensationAllowed(kind, compensation) {
		return ""
	}
	switch kind {
	case DecisionRehabilitative:
		return "rehabilitative work activity is not paid by the organiser (Act 189/2001): Kela, the unemployment fund " +
			"or the municipality pays the participant per day of attendance, so compensation must be none"
	case DecisionDisability:
		return "work activity for people with disabilities is not employment: the organiser pays a work share allowance " +
			"(työosuusraha) per day present or nothing, so compensation must be daily_allowance or none"
	case DecisionSupportedEmployment:
		return "supported employment is a job under an employment contract: the participant earns a wage, " +
			"so compensation must be hourly_wage"
	}
	return ""
}

// Covers reports whether day lies in the decision's validity (both ends inclusive).
func (d DecisionTerms) Covers(day Date) bool {
	return !day.Before(d.ValidFrom) && (d.ValidUntil == nil || !day.After(*d.ValidUntil))
}

// Overlaps reports whether the two validity periods share a day; an
// open-ended decision lasts forever.
func (d DecisionTerms) Overlaps(o DecisionTerms) bool {
	return (o.ValidUntil == nil || !d.ValidFrom.After(*o.ValidUntil)) &&
		(d.ValidUntil == nil || !o.ValidFrom.After(*d.ValidUntil))
}

// TaxableCentsPerDay is the part of the daily allowance above taxFreeCap,
// the dated tax-free cap per day; 0 for other compensation bases.
func (d DecisionTerms) TaxableCentsPerDay(taxFreeCap Cents) Cents {
	if d.Compensation != CompensationDailyAllowance || d.DailyAllowanceCents <= taxFreeCap {
		return 0
	}
	return d.DailyAllowanceCents - taxFreeCap
}

// ShiftSlot is the shift a participant would be assigned to. Date is its
// local date; when zero, the local date of StartsAt is used.
type ShiftSlot struct {
	Date     Date
	StartsAt time.Time
	EndsAt   time.Time
	// PaidEmployment: the customer employs the participant (agreement
	// employment_model customer_employs); only supported employment allows it.
	PaidEmployment bool
	// CustomerSector is the sector of the shift's customer; rehabilitative
	// work activity may not be arranged for a company (Act 189/2001).
	CustomerSector string
}

// BookedShift is one of the participant's other, not cancelled,
// assignments. Date is its local date; when zero, the local date of StartsAt.
type BookedShift struct {
	Date     Date
	StartsAt time.Time
	EndsAt   time.Time
}

// Reason is why a participant may not work a shift.
type Reason struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

// Reason codes, in the order Eligibility reports them.
const (
	ReasonInactive        = "inactive"
	ReasonNoValidDecision = "no_valid_decision"
	// ReasonEmploymentNotStarted and ReasonEmploymentEnded: a wage earner
	// (supported employment) works only within the employment contract.
	ReasonEmploymentNotStarted = "employment_not_started"
	ReasonEmploymentEnded      = "employment_ended"
	ReasonKindNotAllowed       = "decision_kind_not_allowed_for_paid_work"
	ReasonCustomerSector       = "customer_sector"
	ReasonMaxHoursPerDay       = "over_max_hours_per_day"
	ReasonMaxDaysPerWeek       = "over_max_days_per_week"
	ReasonOverlap              = "overlapping_shift"
)

// Eligibility returns every reason participant pt may not work shift, in
// the order of the Reason constants, or nil when they may. booked must not
// contain shift itself. loc is the local time zone (Europe/Helsinki) that
// dates, ISO weeks and the times in details are read in.
//
// The decision valid on the shift's date (DecisionOn) sets the limits and,
// for supported employment, binds the work to the employment's dates
// (EmploymentReason). Without one, those checks are skipped.
// Minutes are elapsed time, so a night shift over a DST change counts the
// hour gained or lost; a shift counts wholly on the date it starts.
func Eligibility(pt Participant, decisions []DecisionTerms, booked []BookedShift, shift ShiftSlot, loc *time.Location) []Reason {
	var out []Reason
	if !pt.Active {
		out = append(out, Reason{ReasonInactive, "The participant is not active."})
	}
	day := localDate(shift.Date, shift.StartsAt, loc)
	dec := DecisionOn(decisions, day)
	if dec == nil {
		out = append(out, Reason{ReasonNoValidDecision, fmt.Sprintf("No service decision is valid on %s.", day)})
	} else {
		if r := EmploymentReason(pt, *dec, day); r != nil {
			out = append(out, *r)
		}
		if shift.PaidEmployment && dec.Kind != DecisionSupportedEmployment {
			out = append(out, Reason{ReasonKindNotAllowed, fmt.Sprintf(
				"The shift is paid employment, which a %s decision does not allow; only supported_employment does.", dec.Kind)})
		}
		if !SectorAllows(shift.CustomerSector, dec.Kind) {
			out = append(out, Reason{ReasonCustomerSector,
				"The customer is a company, and rehabilitative work activity may not be arranged in a profit-making company " +
					"(Act 189/2001): place the participant with a public or non-profit customer instead."})
		}
		if dec.MaxHoursPerDay > 0 {
			minutes := shiftMinutes(shift.StartsAt, shift.EndsAt)
			for _, b := range booked {
				if localDate(b.Date, b.StartsAt, loc) == day {
					minutes += shiftMinutes(b.StartsAt, b.EndsAt)
				}
			}
			if minutes > dec.MaxHoursPerDay*60 {
				out = append(out, Reason{ReasonMaxHoursPerDay, fmt.Sprintf(
					"%d minutes on %s with this shift, over the limit of %d hours a day.", minutes, day, dec.MaxHoursPerDay)})
			}
		}
		if dec.MaxDaysPerWeek > 0 {
			wy, ww := day.ISOWeek()
			days := map[Date]bool{day: true}
			for _, b := range booked {
				bd := localDate(b.Date, b.StartsAt, loc)
				if y, w := bd.ISOWeek(); y == wy && w == ww {
					days[bd] = true
				}
			}
			if len(days) > dec.MaxDaysPerWeek {
				out = append(out, Reason{ReasonMaxDaysPerWeek, fmt.Sprintf(
					"%d days in week %d-W%02d with this shift, over the limit of %d days a week.", len(days), wy, ww, dec.MaxDaysPerWeek)})
			}
		}
	}
	for _, b := range booked {
		if b.StartsAt.Before(shift.EndsAt) && shift.StartsAt.Before(b.EndsAt) {
			out = append(out, Reason{ReasonOverlap, fmt.Sprintf(
				"Overlaps another shift %s %s–%s.", localDate(b.Date, b.StartsAt, loc),
				b.StartsAt.In(loc).Format("15:04"), b.EndsAt.In(loc).Format("15:04"))})
			break
		}
	}
	return out
}

// DecisionOn is the decision valid on day, nil if none is: if several
// cover it (they should not overlap), the one with the latest valid_from,
// as the newest decision supersedes.
func DecisionOn(decisions []DecisionTerms, day Date) *DecisionTerms {
	var dec *DecisionTerms
	for i := range decisions {
		if decisions[i].Covers(day) && (dec == nil || decisions[i].ValidFrom.After(dec.ValidFrom)) {
			dec = &decisions[i]
		}
	}
	return dec
}

// EmploymentReason says why pt may not earn a wage on day under dec, or is
// nil when they may: supported employment is a job under an employment
// contract (work for pay under it, Employment Contracts Act 55/2001 ch. 1
// § 1), so work before employment_start_date or after
// employment_end_date (its last day) would be wage work without one. Other
// decision kinds are not employment, so the dates do not bind them.
func EmploymentReason(pt Participant, dec DecisionTerms, day Date) *Reason {
	if dec.Kind != DecisionSupportedEmployment {
		return nil
	}
	if start := pt.EmploymentStartDate; start != nil && day.Before(*start) {
		return &Reason{ReasonEmploymentNotStarted, fmt.Sprintf(
			"The participant's employment starts on %s, after %s; supported employment is wage work only within the employment.", start, day)}
	}
	if end := pt.EmploymentEndDate; end != nil && day.After(*end) {
		return &Reason{ReasonEmploymentEnded, fmt.Sprintf(
			"The participant's employment ended on %s, before %s; supported employment is wage work only within the employment.", end, day)}
	}
	return nil
}

func localDate(d Date, startsAt time.Time, loc *time.Location) Date {
	if d.IsZero() {
		return DateOf(startsAt, loc)
	}
	return d
}

// shiftMinutes counts whole elapsed minutes, not wall-clock ones.
func shiftMinutes(start, end time.Time) int { return int(end.Sub(start) / time.Minute) }
