package staffing

import (
	"testing"

	"jobcenter/models"
)

func TestWindow(t *testing.T) {
	d := func(s string) *models.Date {
		v, err := models.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}
	today := *d("2026-10-01")
	for name, c := range map[string]struct {
		s        models.Schedule
		from, to string
	}{
		"once":                  {models.Schedule{Kind: models.ScheduleOnce, Date: d("2026-12-24")}, "2026-12-24", "2026-12-24"},
		"finite weekly":         {models.Schedule{Kind: models.ScheduleWeekly, FirstDate: d("2026-09-01"), LastDate: d("2027-03-31")}, "2026-09-01", "2027-03-31"},
		"open-ended from today": {models.Schedule{Kind: models.ScheduleWeekly, FirstDate: d("2026-09-01")}, "2026-10-01", "2026-11-26"},
		// Expand clamps the start to first_date.
		"open-ended, later start": {models.Schedule{Kind: models.ScheduleWeekly, FirstDate: d("2027-01-04")}, "2026-10-01", "2026-11-26"},
	} {
		from, to := window(c.s, today, 8)
		if from.String() != c.from || to.String() != c.to {
			t.Errorf("%s: window %s–%s, want %s–%s", name, from, to, c.from, c.to)
		}
	}
}
