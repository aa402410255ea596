package billing

import (
	"fmt"
	"time"

	"jobcenter/models"
)

// checkPeriodEnded refuses to bill a month that has not ended by the service
// clock in the service time zone: billing part of a month would invoice its
// first days before hours approved later, and a future month has nothing to
// bill. A dry run may preview the current month, never a future one.
func checkPeriodEnded(p models.Period, dryRun bool, now time.Time, loc *time.Location) error {
	today := models.DateOf(now, loc)
	current := models.Period{Year: today.Year, Month: today.Month}
	if p.Before(current) || (dryRun && p == current) {
		return nil
	}
	opens := p.LastDay().AddDays(1)
	if dryRun {
		return models.Conflict("period_not_ended", fmt.Sprintf(
			"%s has not begun; a dry run can preview the current month %s at most, and %s can be billed from %s",
			p, current, p, opens))
	}
	detail := fmt.Sprintf("%s has not ended; it can be billed from %s", p, opens)
	if p == current {
		detail += " (a dry run can preview it now)"
	}
	return models.Conflict("period_not_ended", detail)
}
