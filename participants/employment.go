package participants

import (
	"fmt"
	"strings"

	"gorm.io/gorm"

	"jobcenter/models"
)

// CodeAssignedOutsideEmployment is the 409 code of employment dates that
// would leave the participant on wage shifts outside the employment.
const CodeAssignedOutsideEmployment = "assigned_outside_employment"

// sameEmployment reports whether a and b have the same employment dates.
func sameEmployment(a, b models.Participant) bool {
	return sameDate(a.EmploymentStartDate, b.EmploymentStartDate) && sameDate(a.EmploymentEndDate, b.EmploymentEndDate)
}

func sameDate(a, b *models.Date) bool {
	return (a == nil) == (b == nil) && (a == nil || *a == *b)
}

// checkAssignmentsInEmployment refuses employment dates of pt that its
// active assignments under supported employment fall outside of: staffing
// does not let a wage earner work outside the employment
// (models.EmploymentReason), so dates that would leave them there are a 409
// naming the shifts, and nothing changes. The caller holds pt's row lock,
// which Assign takes too, so no assignment slips in meanwhile.
func checkAssignmentsInEmployment(tx *gorm.DB, pt models.Participant) error {
	var outside []string
	var args []any
	if pt.EmploymentStartDate != nil {
		outside, args = append(outside, "s.date < ?"), append(args, *pt.EmploymentStartDate)
	}
	if pt.EmploymentEndDate != nil {
		outside, args = append(outside, "s.date > ?"), append(args, *pt.EmploymentEndDate)
	}
	if len(outside) == 0 {
		return nil
	}
	var shifts []struct {
		ID   string
		Date models.Date
	}
	if err := tx.Table("assignments a").Select("s.id, s.date").Joins("JOIN shifts s ON s.id = a.shift_id").
		Where("a.tenant_id = ? AND a.participant_id = ? AND a.active", pt.TenantID, pt.ID).
		Where("("+strings.Join(outside, " OR ")+")", args...).Order("s.date, s.id").Scan(&shifts).Error; err != nil {
		return fmt.Errorf("load assignments outside the employment: %w", err)
	}
	if len(shifts) == 0 {
		return nil
	}
	decisions, err := Decisions(tx, pt.TenantID, []string{pt.ID})
	if err != nil {
		return err
	}
	var named []string
	for _, sh := range shifts {
		if dec := models.DecisionOn(decisions[pt.ID], sh.Date); dec != nil && models.EmploymentReason(pt, *dec, sh.Date) != nil {
			named = append(named, fmt.Sprintf("shift %s on %s", sh.ID, sh.Date))
		}
	}
	if len(named) == 0 {
		return nil
	}
	return models.Conflict(CodeAssignedOutsideEmployment, fmt.Sprintf(
		"the participant is assigned to wage work (supported employment) outside the employment %s: %s; "+
			"remove them from those shifts first, or give dates that cover them", employmentSpan(pt), strings.Join(named, ", ")))
}

// employmentSpan writes the employment's dates, an open end as "…".
func employmentSpan(pt models.Participant) string {
	span := func(d *models.Date) string {
		if d == nil {
			return "…"
		}
		return d.String()
	}
	return span(pt.EmploymentStartDate) + " – " + span(pt.EmploymentEndDate)
}
