package finance

import (
	"context"
	"database/sql"
	"fmt"
	"io"

	"jobcenter/auth"
	"jobcenter/finance/export"
	"jobcenter/models"
	"jobcenter/staffing"
)

// payrollOf selects the run's time entries of participants on a customer's
// shifts whose agreement (the version valid on the shift's date) makes the
// customer the employer; the arguments are tenant, run and customer.
var payrollOf = `FROM time_entries te JOIN shifts s ON s.id = te.shift_id
	JOIN assignments a ON a.id = te.assignment_id JOIN participants pt ON pt.id = a.participant_id
	` + staffing.AgreementOnShiftDate + `
	WHERE te.tenant_id = ? AND te.billing_run_id = ? AND s.customer_id = ? AND ag.employment_model = 'customer_employs'`

// payrollRow is one participant's time entry on one shift.
type payrollRow struct {
	Date                                          models.Date
	ParticipantID, Pseudonym, FirstName, LastName string
	Start, End                                    sql.NullTime
	BreakMinutes, WorkedMinutes                   int64
	Absence                                       string
}

// PayrollBasisCSV prepares the hours of a run that a customer_employs
// customer pays as wages itself. The customer is the participants' employer
// there, so the file names them; the export is written to their access log.
// Absences are listed too: an employer needs them for sick pay.
func (s *Service) PayrollBasisCSV(ctx context.Context, p auth.Principal, runID, customerID string, d export.Dialect, route string) (File, error) {
	run, err := s.prepare(ctx, p, runID, "/customer_id", customerID)
	if err != nil {
		return File{}, err
	}
	customer, err := s.organization(ctx, p, customerID, models.KindCustomer)
	if err != nil {
		return File{}, err
	}
	args := []any{p.TenantID, run.ID, customer.ID}
	if err := s.logExport(ctx, p, route, `SELECT a.participant_id AS id `+payrollOf, args...); err != nil {
		return File{}, err
	}
	header := []string{"date", "participant_id", "pseudonym", "first_name", "last_name", "start_time", "end_time",
		"break_minutes", "worked_minutes", "absence"}
	scan := func(rs *sql.Rows, r *payrollRow) error {
		return rs.Scan(&r.Date, &r.ParticipantID, &r.Pseudonym, &r.FirstName, &r.LastName, &r.Start, &r.End,
			&r.BreakMinutes, &r.WorkedMinutes, &r.Absence)
	}
	seq := rows(ctx, s.DB.Gorm, scan, `SELECT s.date, a.participant_id, pt.pseudonym, pt.first_name, pt.last_name,
		te.start_at, te.end_at, te.break_minutes, te.worked_minutes, COALESCE(te.absence, '') `+payrollOf+`
		ORDER BY s.date, pt.last_name, pt.first_name, te.id`, args...)
	// Local wall-clock times, as recorded; an end before the start is the next day.
	clock := func(t sql.NullTime) string {
		if !t.Valid {
			return ""
		}
		return t.Time.In(s.Loc).Format("15:04")
	}
	return File{
		Name:        fmt.Sprintf("payroll-basis-%s-%s.csv", runLabel(run), slug(customer.Name)),
		ContentType: ContentTypeCSV,
		Write: func(w io.Writer) error {
			return writeCSV(w, d, header, seq, func(r *payrollRow) []any {
				return []any{r.Date.String(), r.ParticipantID, r.Pseudonym, r.FirstName, r.LastName, clock(r.Start), clock(r.End),
					r.BreakMinutes, r.WorkedMinutes, r.Absence}
			})
		},
	}, nil
}
