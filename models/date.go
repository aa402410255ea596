package models

import (
	"bytes"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Date is a civil date with no time zone: a shift's local date, a decision's
// validity bound. Instants are time.Time; mixing the two is how off-by-one-day
// bugs around midnight and DST happen, so they are different types.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

const dateLayout = "2006-01-02"

// ParseDate parses "YYYY-MM-DD" strictly (no time, no zone, a real calendar day).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q: want YYYY-MM-DD: %w", s, ErrInvalid)
	}
	return dateOfCivil(t), nil
}

// DateOf returns the local date in loc of the instant t.
func DateOf(t time.Time, loc *time.Location) Date {
	return dateOfCivil(t.In(loc))
}

// dateOfCivil takes t's Y-M-D as they are, in whatever zone t carries.
func dateOfCivil(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// civil is midnight UTC of d: calendar arithmetic without DST surprises.
func (d Date) civil() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

func (d Date) String() string { return string(d.appendISO(nil)) }

// appendISO appends d as YYYY-MM-DD without the allocations of fmt: list
// pages write a date per row.
func (d Date) appendISO(b []byte) []byte {
	b = appendDigits(b, d.Year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(d.Month), 2)
	b = append(b, '-')
	return appendDigits(b, d.Day, 2)
}

// appendDigits appends n zero-padded to width digits.
func appendDigits(b []byte, n, width int) []byte {
	var buf [8]byte
	i := len(buf)
	for ; n > 0 || i > len(buf)-width; n /= 10 {
		i--
		buf[i] = byte('0' + n%10)
	}
	return append(b, buf[i:]...)
}

// IsZero reports whether d is the zero Date (not set).
func (d Date) IsZero() bool { return d == Date{} }

// AddDays returns d moved by n calendar days (n may be negative).
func (d Date) AddDays(n int) Date {
	return dateOfCivil(d.civil().AddDate(0, 0, n))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.civil().Weekday() }

// ISOWeekday returns 1 for Monday … 7 for Sunday, the numbering schedules use.
func (d Date) ISOWeekday() int { return (int(d.Weekday())+6)%7 + 1 }

// ISOWeek returns the ISO 8601 year and week of d; around New Year the year
// may differ from d.Year (2026-12-31 is in 2026-W53, 2027-01-04 in 2027-W01).
func (d Date) ISOWeek() (year, week int) { return d.civil().ISOWeek() }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return cmpInt(d.Year, o.Year)
	case d.Month != o.Month:
		return cmpInt(int(d.Month), int(o.Month))
	default:
		return cmpInt(d.Day, o.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }
func (d Date) After(o Date) bool  { return d.Compare(o) > 0 }
func (d Date) Equal(o Date) bool  { return d == o }

// At returns the instant of wall-clock time c on d in loc. A wall-clock time
// that does not exist (the spring-forward gap, 03:00–03:59 in Helsinki on
// the last Sunday of March) is normalised by time.Date, which in practice
// reads it with the offset before the change: 03:30 becomes 04:30 EEST. A
// time that occurs twice (autumn fall-back, 03:00–03:59 on the last Sunday
// of October) in practice resolves to the later, standard-time one; Go's
// time.Date does not promise which, and date_test.go pins it.
func (d Date) At(c ClockTime, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, int(c)/60, int(c)%60, 0, 0, loc)
}

// MarshalJSON writes "YYYY-MM-DD"; the zero Date is null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	b := append(make([]byte, 0, 12), '"')
	return append(d.appendISO(b), '"'), nil
}

// UnmarshalJSON reads "YYYY-MM-DD"; null leaves d unchanged, as encoding/json
// does for other types.
func (d *Date) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("date: want a \"YYYY-MM-DD\" string: %w", ErrInvalid)
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores "YYYY-MM-DD", which sorts and compares correctly as text in
// SQLite and casts to DATE in PostgreSQL. The zero Date is NULL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads what SQLite and PostgreSQL drivers return for a date column: a
// time.Time (its Y-M-D taken as is, whatever its zone: drivers put DATE at
// midnight UTC), or text that starts with the date ("2026-10-05",
// "2026-10-05 00:00:00+00:00", "2026-10-05T00:00:00Z"). NULL is the zero Date.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case time.Time:
		*d = dateOfCivil(v)
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	}
	return fmt.Errorf("date: cannot scan %T", src)
}

func (d *Date) scanText(s string) error {
	if len(s) > len(dateLayout) && s[len(dateLayout)] != 'T' && s[len(dateLayout)] != ' ' {
		return fmt.Errorf("date: cannot scan %q", s)
	}
	v, err := ParseDate(s[:min(len(s), len(dateLayout))])
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Period is a calendar month, the unit of a billing run ("2026-10").
type Period struct {
	Year  int
	Month time.Month
}

// Years a period may name. The service bills work done now; a year outside
// these is a typing error (0000-01, 20260-01), and refusing it here keeps it
// from reaching date arithmetic and the database.
const (
	MinPeriodYear = 2000
	MaxPeriodYear = 2999
)

// ParsePeriod parses "YYYY-MM" strictly, years 2000–2999: the one period
// parser of the API (JSON and query), the CLI and the exports. Its error is a
// ValidationError naming /period.
func ParsePeriod(s string) (Period, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || len(s) != len("2006-01") {
		return Period{}, periodError("must be a month YYYY-MM")
	}
	if t.Year() < MinPeriodYear || t.Year() > MaxPeriodYear {
		return Period{}, periodError(fmt.Sprintf("must be a month of the years %d–%d", MinPeriodYear, MaxPeriodYear))
	}
	return Period{Year: t.Year(), Month: t.Month()}, nil
}

func periodError(detail string) error {
	v := &ValidationError{}
	v.Add("/period", detail)
	return v
}

func (p Period) String() string { return fmt.Sprintf("%04d-%02d", p.Year, int(p.Month)) }

// FirstDay returns the 1st of the month.
func (p Period) FirstDay() Date { return Date{Year: p.Year, Month: p.Month, Day: 1} }

// LastDay returns the last day of the month (28–31).
func (p Period) LastDay() Date {
	return dateOfCivil(time.Date(p.Year, p.Month+1, 0, 0, 0, 0, 0, time.UTC))
}

// PeriodOf is the month d lies in.
func PeriodOf(d Date) Period { return Period{Year: d.Year, Month: d.Month} }

// Compare returns -1, 0 or +1 as p is before, equal to or after o.
func (p Period) Compare(o Period) int {
	if p.Year != o.Year {
		return cmpInt(p.Year, o.Year)
	}
	return cmpInt(int(p.Month), int(o.Month))
}

// Before reports whether p is earlier than o.
func (p Period) Before(o Period) bool { return p.Compare(o) < 0 }

// Contains reports whether d lies in the month.
func (p Period) Contains(d Date) bool { return d.Year == p.Year && d.Month == p.Month }

// Prev returns the month before, the one the monthly billing cron bills.
func (p Period) Prev() Period {
	t := time.Date(p.Year, p.Month-1, 1, 0, 0, 0, 0, time.UTC)
	return Period{Year: t.Year(), Month: t.Month()}
}

// MarshalJSON writes "YYYY-MM".
func (p Period) MarshalJSON() ([]byte, error) { return json.Marshal(p.String()) }

// UnmarshalJSON reads "YYYY-MM".
func (p *Period) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return periodError("must be a month YYYY-MM, as a string")
	}
	v, err := ParsePeriod(s)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// ClockTime is a local wall-clock time as minutes after midnight (0..1439).
// It is not a duration: on DST days the elapsed time between two ClockTimes
// differs from their difference, so shift lengths come from instants.
type ClockTime int

// ParseClockTime parses "HH:MM" strictly, 00:00–23:59 ("8:00" and "24:00" fail).
func ParseClockTime(s string) (ClockTime, error) {
	bad := fmt.Errorf("time %q: want HH:MM: %w", s, ErrInvalid)
	if len(s) != 5 || s[2] != ':' {
		return 0, bad
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, bad
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[3]-'0')*10 + int(s[4]-'0')
	if h > 23 || m > 59 {
		return 0, bad
	}
	return ClockTime(h*60 + m), nil
}

// Valid reports whether c is within 00:00–23:59; values built in code rather
// than parsed may not be.
func (c ClockTime) Valid() bool { return c >= 0 && c < 24*60 }

func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// MarshalJSON writes "HH:MM".
func (c ClockTime) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// UnmarshalJSON reads "HH:MM".
func (c *ClockTime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("time: want a \"HH:MM\" string: %w", ErrInvalid)
	}
	v, err := ParseClockTime(s)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Value stores "HH:MM" so the column reads the same in both databases.
func (c ClockTime) Value() (driver.Value, error) {
	if !c.Valid() {
		return nil, fmt.Errorf("time %d minutes: out of range: %w", int(c), ErrInvalid)
	}
	return c.String(), nil
}

// Scan reads the "HH:MM" text Value stores, and "HH:MM:00" as a PostgreSQL
// TIME column returns it.
func (c *ClockTime) Scan(src any) error {
	switch v := src.(type) {
	case string:
		return c.scanText(v)
	case []byte:
		return c.scanText(string(v))
	}
	return fmt.Errorf("time: cannot scan %T", src)
}

func (c *ClockTime) scanText(s string) error {
	if len(s) == 8 && s[5:] == ":00" {
		s = s[:5]
	}
	v, err := ParseClockTime(s)
	if err != nil {
		return err
	}
	*c = v
	return nil
}
