package billing

import (
	"errors"
	"strings"
	"testing"
	"time"

	"jobcenter/models"
)

func TestCheckPeriodEndedAtTheMonthEdgeInServiceTime(t *testing.T) {
	hel, err := time.LoadLocation("Europe/Helsinki")
	if err != nil {
		t.Fatal(err)
	}
	nov, dec := models.Period{Year: 2026, Month: 11}, models.Period{Year: 2026, Month: 12}
	lastMinute := time.Date(2026, 11, 30, 23, 59, 0, 0, hel) // 21:59 UTC
	firstMinute := time.Date(2026, 12, 1, 0, 0, 0, 0, hel)   // 22:00 UTC on 30 November
	for _, c := range []struct {
		name   string
		p      models.Period
		dry    bool
		now    time.Time
		opens  string // "" = allowed
		refuse bool
	}{
		{"current month", nov, false, lastMinute, "2026-12-01", true},
		{"current month, dry run", nov, true, lastMinute, "", false},
		{"ended month, first minute local, still November in UTC", nov, false, firstMinute, "", false},
		{"earlier month", models.Period{Year: 2026, Month: 10}, false, lastMinute, "", false},
		{"previous year", models.Period{Year: 2025, Month: 12}, false, lastMinute, "", false},
		{"next month", dec, false, lastMinute, "2027-01-01", true},
		{"next month, dry run", dec, true, lastMinute, "2027-01-01", true},
		{"next year", models.Period{Year: 2027, Month: 5}, false, lastMinute, "2027-06-01", true},
	} {
		err := checkPeriodEnded(c.p, c.dry, c.now, hel)
		if !c.refuse {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		var ce *models.ConflictError
		if !errors.As(err, &ce) || ce.Code != "period_not_ended" || !strings.Contains(ce.Detail, c.opens) {
			t.Errorf("%s: want period_not_ended naming %s, got %v", c.name, c.opens, err)
		}
	}
}
