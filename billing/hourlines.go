package billing

import (
	"strings"

	"jobcenter/models"
)

// hourLine ties an hour line kind to the assignment role it bills (over
// assignments a) and the agreement column that prices it (over agreements
// ag). The run's aggregation and a credit note's freeing of entries both
// read this one table.
type hourLine struct{ kind, role, price string }

var hourLines = []hourLine{
	{models.KindParticipantHours, "a.participant_id IS NOT NULL", "ag.participant_hour_price_cents"},
	{models.KindSupervisorHours, "a.supervisor_id IS NOT NULL", "ag.supervisor_hour_price_cents"},
}

// Per time entry, the line kind its assignment's role bills and the unit
// price of that kind; an assignment has exactly one role.
var (
	kindOfEntry  = roleCase(func(h hourLine) string { return "'" + h.kind + "'" })
	priceOfEntry = roleCase(func(h hourLine) string { return h.price })
)

// roleCase is an SQL CASE choosing value of the hour line whose role the
// assignment has.
func roleCase(value func(hourLine) string) string {
	var b strings.Builder
	b.WriteString("CASE")
	for _, h := range hourLines {
		b.WriteString(" WHEN " + h.role + " THEN " + value(h))
	}
	b.WriteString(" END")
	return b.String()
}

// hourLineOf is the hour line of kind; false for a kind that bills no hours.
func hourLineOf(kind string) (hourLine, bool) {
	for _, h := range hourLines {
		if h.kind == kind {
			return h, true
		}
	}
	return hourLine{}, false
}
