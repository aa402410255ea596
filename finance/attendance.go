package finance

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"iter"
	"strings"

	"jobcenter/auth"
	"jobcenter/finance/export"
	"jobcenter/models"
	"jobcenter/store"
)

// attendanceOf selects the days present of an organiser's participants in
// rehabilitative work activity: a time entry without an absence, on a shift
// dated in the period, whose participant's decision on that date is
// rehabilitative. The arguments are tenant, organiser, first and last day.
var attendanceOf = `FROM time_entries te JOIN shifts s ON s.id = te.shift_id
	JOIN assignments a ON a.id = te.assignment_id JOIN participants pt ON pt.id = a.participant_id
	WHERE te.tenant_id = ? AND pt.organiser_id = ? AND te.absence IS NULL AND s.date BETWEEN ? AND ?
		AND EXISTS (SELECT 1 FROM service_decisions d WHERE d.participant_id = pt.id
			AND d.kind = 'rehabilitative_work_activity' AND ` + store.ValidOn("d", "s.date") + `)`

// attendanceDay is one day a participant was present.
type attendanceDay struct {
	ParticipantID, LastName, FirstName string
	Date                               models.Date
}

// attendanceRow is one participant's month.
type attendanceRow struct {
	ParticipantID, LastName, FirstName string
	Dates                              []string
}

// AttendanceCSV prepares the attendance record of rehabilitative work
// activity for an organiser and a month: one row per participant with the
// days present and their dates. It is what the organiser sends to whoever
// pays the participants per day of attendance (Kela, the unemployment fund
// or the municipality; Act 189/2001), so finance and coordinators may take
// it, and the export is written to the participants' access log.
func (s *Service) AttendanceCSV(ctx context.Context, p auth.Principal, period, organiserID string, d export.Dialect, route string) (File, error) {
	if p.Role != models.RoleFinance && p.Role != models.RoleCoordinator {
		return File{}, fmt.Errorf("role %s may not export attendance: %w", p.Role, models.ErrForbidden)
	}
	if err := required("/period", period, "/organiser_id", organiserID); err != nil {
		return File{}, err
	}
	per, err := models.ParsePeriod(period)
	if err != nil {
		v := &models.ValidationError{}
		v.Add("/period", "must be a month YYYY-MM")
		return File{}, v
	}
	organiser, err := s.organization(ctx, p, organiserID, models.KindOrganiser)
	if err != nil {
		return File{}, err
	}
	args := []any{p.TenantID, organiser.ID, per.FirstDay(), per.LastDay()}
	if err := s.logExport(ctx, p, route, `SELECT pt.id AS id `+attendanceOf, args...); err != nil {
		return File{}, err
	}
	scan := func(rs *sql.Rows, r *attendanceDay) error {
		return rs.Scan(&r.ParticipantID, &r.LastName, &r.FirstName, &r.Date)
	}
	days := rows(ctx, s.DB.Gorm, scan, `SELECT DISTINCT pt.id, pt.last_name, pt.first_name, s.date `+attendanceOf+`
		ORDER BY pt.last_name, pt.first_name, pt.id, s.date`, args...)
	header := []string{"participant_id", "last_name", "first_name", "days_present", "dates"}
	return File{
		Name:        fmt.Sprintf("attendance-%s-%s.csv", per, slug(organiser.Name)),
		ContentType: ContentTypeCSV,
		Write: func(w io.Writer) error {
			return writeCSV(w, d, header, byParticipant(days), func(r *attendanceRow) []any {
				// Space-separated: neither CSV dialect quotes it.
				return []any{r.ParticipantID, r.LastName, r.FirstName, len(r.Dates), strings.Join(r.Dates, " ")}
			})
		},
	}, nil
}

// byParticipant folds the days, ordered by participant, into one row per
// participant as they stream: only one participant's dates are held.
func byParticipant(days iter.Seq2[*attendanceDay, error]) iter.Seq2[*attendanceRow, error] {
	return func(yield func(*attendanceRow, error) bool) {
		var cur *attendanceRow
		for d, err := range days {
			if err != nil {
				yield(nil, err)
				return
			}
			if cur != nil && cur.ParticipantID != d.ParticipantID {
				if !yield(cur, nil) {
					return
				}
				cur = nil
			}
			if cur == nil {
				cur = &attendanceRow{ParticipantID: d.ParticipantID, LastName: d.LastName, FirstName: d.FirstName}
			}
			cur.Dates = append(cur.Dates, d.Date.String())
		}
		if cur != nil {
			yield(cur, nil)
		}
	}
}
