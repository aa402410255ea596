package finance

import (
	"testing"

	"jobcenter/models"
)

func date(t *testing.T, s string) models.Date {
	t.Helper()
	d, err := models.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestEasterSunday(t *testing.T) {
	for year, want := range map[int]string{2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05",
		2027: "2027-03-28", 2038: "2038-04-25", 2285: "2285-03-22"} {
		if got := easterSunday(year); got != date(t, want) {
			t.Errorf("Easter %d = %s, want %s", year, got, want)
		}
	}
}

func TestNextBankingDay(t *testing.T) {
	for from, want := range map[string]string{
		"2026-10-30": "2026-11-02", // Friday → Monday
		"2026-11-02": "2026-11-03", // never the same day
		"2026-12-23": "2026-12-28", // Christmas Eve, Christmas, weekend
		"2026-04-02": "2026-04-07", // Good Friday to Easter Monday
		"2026-05-13": "2026-05-15", // Ascension Day
		"2026-06-18": "2026-06-22", // Midsummer Eve
		"2025-12-31": "2026-01-02", // New Year's Day
		"2027-01-05": "2027-01-07", // Epiphany
		"2027-12-03": "2027-12-07", // weekend, then Independence Day on a Monday
		"2026-04-30": "2026-05-04", // May Day, then the weekend
	} {
		if got := NextBankingDay(date(t, from)); got != date(t, want) {
			t.Errorf("NextBankingDay(%s) = %s, want %s", from, got, want)
		}
	}
}
