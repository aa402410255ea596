package models

import (
	"fmt"
	"time"
)

// Schedule kinds.
const (
	ScheduleOnce   = "once"
	ScheduleWeekly = "weekly"
)

// Schedule is when an order's work happens, in local wall-clock time.
type Schedule struct {
	Kind      string    `json:"kind"`
	Date      *Date     `json:"date,omitempty"`     // once
	Weekdays  []int     `json:"weekdays,omitempty"` // weekly, ISO 1=Mon … 7=Sun
	StartTime ClockTime `json:"start_time"`
	// EndTime <= StartTime means the shift ends the next day (crosses
	// midnight); EndTime == StartTime is invalid.
	EndTime   ClockTime `json:"end_time"`
	FirstDate *Date     `json:"first_date,omitempty"` // weekly
	LastDate  *Date     `json:"last_date,omitempty"`  // weekly; nil = open-ended
}

// Occurrence is one dated shift of a schedule. Date is the local date the
// shift starts on; StartsAt and EndsAt are UTC instants.
type Occurrence struct {
	Date     Date
	StartsAt time.Time
	EndsAt   time.Time
}

// Validate reports every problem with JSON pointers under "/schedule/".
func (s Schedule) Validate() error {
	var v ValidationError
	const p = "/schedule/"
	switch s.Kind {
	case ScheduleOnce:
		if s.Date == nil {
			v.Add(p+"date", "is required for a once schedule")
		}
		if s.Weekdays != nil {
			v.Add(p+"weekdays", "is only for a weekly schedule")
		}
		if s.FirstDate != nil {
			v.Add(p+"first_date", "is only for a weekly schedule")
		}
		if s.LastDate != nil {
			v.Add(p+"last_date", "is only for a weekly schedule")
		}
	case ScheduleWeekly:
		if s.Date != nil {
			v.Add(p+"date", "is only for a once schedule")
		}
		if len(s.Weekdays) == 0 {
			v.Add(p+"weekdays", "at least one weekday (1=Mon … 7=Sun) is required")
		}
		var seen [8]bool
		for i, wd := range s.Weekdays {
			switch {
			case wd < 1 || wd > 7:
				v.Add(fmt.Sprintf("%sweekdays/%d", p, i), "must be 1 (Monday) … 7 (Sunday)")
			case seen[wd]:
				v.Add(fmt.Sprintf("%sweekdays/%d", p, i), "is repeated")
			default:
				seen[wd] = true
			}
		}
		if s.FirstDate == nil {
			v.Add(p+"first_date", "is required for a weekly schedule")
		} else if s.LastDate != nil && s.LastDate.Before(*s.FirstDate) {
			v.Add(p+"last_date", "must not be before first_date")
		}
	default:
		v.Add(p+"kind", `must be "once" or "weekly"`)
	}
	if !s.StartTime.Valid() {
		v.Add(p+"start_time", "must be 00:00–23:59")
	}
	if !s.EndTime.Valid() {
		v.Add(p+"end_time", "must be 00:00–23:59")
	}
	if s.StartTime == s.EndTime {
		v.Add(p+"end_time", "must differ from start_time (an earlier end time means the next day)")
	}
	return v.Err()
}

// OpenEnded reports whether the schedule has no last shift, so its shifts
// are generated over a rolling horizon rather than all at once.
func (s Schedule) OpenEnded() bool { return s.Kind == ScheduleWeekly && s.LastDate == nil }

// Expand returns every occurrence whose local date lies in [from, to] and in
// the schedule, in date order. It assumes Validate passed.
//
// Wall-clock times are kept across DST: a 08:00 shift starts at 08:00 local
// before and after the change, so its UTC instant moves by an hour, and a
// night shift over a change lasts an hour more or less than its wall-clock
// span. Times in the spring-forward gap follow Date.At (03:30 → 04:30 EEST);
// should that push the start past the end (a 03:30–04:00 shift that day), the
// shift keeps its wall-clock length from the normalised start.
func (s Schedule) Expand(from, to Date, loc *time.Location) []Occurrence {
	var out []Occurrence
	switch s.Kind {
	case ScheduleOnce:
		if s.Date != nil && !s.Date.Before(from) && !s.Date.After(to) {
			out = append(out, s.occurrence(*s.Date, loc))
		}
	case ScheduleWeekly:
		if s.FirstDate == nil {
			return nil
		}
		if s.FirstDate.After(from) {
			from = *s.FirstDate
		}
		if s.LastDate != nil && s.LastDate.Before(to) {
			to = *s.LastDate
		}
		var on [8]bool
		for _, wd := range s.Weekdays {
			if wd >= 1 && wd <= 7 {
				on[wd] = true
			}
		}
		for d := from; !d.After(to); d = d.AddDays(1) {
			if on[d.ISOWeekday()] {
				out = append(out, s.occurrence(d, loc))
			}
		}
	}
	return out
}

func (s Schedule) occurrence(d Date, loc *time.Location) Occurrence {
	start := d.At(s.StartTime, loc)
	endDay := d
	if s.EndTime <= s.StartTime {
		endDay = d.AddDays(1)
	}
	end := endDay.At(s.EndTime, loc)
	if !end.After(start) {
		span := (int(s.EndTime) - int(s.StartTime) + 24*60) % (24 * 60)
		end = start.Add(time.Duration(span) * time.Minute)
	}
	return Occurrence{Date: d, StartsAt: start.UTC(), EndsAt: end.UTC()}
}
