package finance

import (
	"time"

	"jobcenter/models"
)

// NextBankingDay is the first Finnish banking day after d. A payment file's
// requested execution date is the next banking day after the export, never
// the export day itself: a file uploaded after the bank's cut-off, or on a
// holiday, would otherwise ask for a date the bank can no longer meet.
func NextBankingDay(d models.Date) models.Date {
	for {
		d = d.AddDays(1)
		if BankingDay(d) {
			return d
		}
	}
}

// BankingDay reports whether Finnish banks execute payments on d: not on
// weekends nor on the Finnish banking holidays (a superset of the TARGET2
// closing days, so SEPA transfers are covered too).
func BankingDay(d models.Date) bool {
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	switch {
	case d.Month == time.January && (d.Day == 1 || d.Day == 6), // New Year, Epiphany
		d.Month == time.May && d.Day == 1,
		d.Month == time.December && (d.Day == 6 || d.Day == 24 || d.Day == 25 || d.Day == 26), // Independence Day, Christmas
		// Midsummer Eve: the Friday between 19 and 25 June.
		d.Month == time.June && d.Day >= 19 && d.Day <= 25 && d.Weekday() == time.Friday:
		return false
	}
	easter := easterSunday(d.Year)
	for _, offset := range []int{-2, 1, 39} { // Good Friday, Easter Monday, Ascension Day
		if d == easter.AddDays(offset) {
			return false
		}
	}
	return true
}

// easterSunday is the Gregorian Easter date (anonymous Gregorian algorithm).
func easterSunday(year int) models.Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return models.Date{Year: year, Month: time.Month(month), Day: day}
}
