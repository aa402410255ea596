// Package reports computes the figures that tell coordinators whether the
// subcontracting model works: hours delivered, how well orders were staffed,
// how many participants worked and how many of them reached paid work, and
// the money billed. Every figure is an SQL aggregate that runs on PostgreSQL
// and SQLite alike; Go only divides the sums into rates.
package reports

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/store"
)

// The Helsinki plan's target share of job-center clients who reach paid
// work (DOMAIN.md): 50–70 %.
const (
	PaidEmploymentTargetMinBps = 5000
	PaidEmploymentTargetMaxBps = 7000
)

// Service computes reports.
type Service struct {
	DB *store.DB
}

// Figures are the shift-based figures of a set of shifts.
type Figures struct {
	// Minutes worked by present participants and supervisors, from the
	// recorded time entries whatever their timesheet status.
	ParticipantMinutes int64
	SupervisorMinutes  int64
	ShiftsOrdered      int64 // every generated shift
	ShiftsStaffed      int64 // staffed or completed
	ShiftsCancelled    int64
	// FillRateBps is staffed / (ordered − cancelled); 0 when nothing was
	// left to staff.
	FillRateBps int64
	// ActiveParticipants worked (a present time entry) on the shifts.
	ActiveParticipants int64
}

// PaidWorkDefinition says in words what the paid-work KPI counts; the
// report carries it so that a reader of the figure knows its basis.
const PaidWorkDefinition = "Participants in paid work: those with a paid_employment outcome dated in the period " +
	"who had worked by its end, and those who worked in the period as employees (a present time entry on a shift " +
	"dated in the period while their decision was supported_employment, or under a customer_employs agreement); " +
	"each counted once. The share is of the active participants (a present time entry in the period)."

// PaidWork is the paid-work KPI (PaidWorkDefinition): participants who
// reached paid work, by an outcome or by working as employees (DOMAIN.md,
// Outcome), and their share of the active participants.
type PaidWork struct {
	Participants int64
	ShareBps     int64
}

// Money is what was invoiced in the period (net, credit notes included) and
// what the job center owes organisers for it.
type Money struct {
	RevenueCents  models.Cents
	PayablesCents models.Cents
}

// KPI is the report for the local dates From–To.
type KPI struct {
	From, To models.Date
	Figures
	PaidWork
	Money
	Organisers []OrganiserKPI
	TaskTypes  []TaskTypeKPI
}

// OrganiserKPI is the report of one organiser's shifts, participants and
// invoice lines.
type OrganiserKPI struct {
	OrganiserID, Name string
	Figures
	PaidWork
	Money
}

// TaskTypeKPI is the report of one task type's shifts.
type TaskTypeKPI struct {
	TaskTypeID, Name string
	Figures
}

// KPI computes the report of p's tenant over shifts dated from–to (local
// dates, inclusive), outcomes dated in the same days and invoices (and
// credit notes) dated in them. Every organiser and task type of the tenant
// is listed, with zeros when idle.
func (s *Service) KPI(ctx context.Context, p auth.Principal, from, to models.Date) (KPI, error) {
	v := &models.ValidationError{}
	if from.IsZero() {
		v.Add("/from", "is required (YYYY-MM-DD)")
	}
	if to.IsZero() {
		v.Add("/to", "is required (YYYY-MM-DD)")
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		v.Add("/to", "must not be before from")
	}
	if err := v.Err(); err != nil {
		return KPI{}, err
	}
	db := s.DB.Gorm.WithContext(ctx)
	q := query{db: db, tenant: p.TenantID, from: from, to: to}
	total, err := q.figures("")
	if err != nil {
		return KPI{}, err
	}
	byOrganiser, err := q.figures("s.organiser_id")
	if err != nil {
		return KPI{}, err
	}
	byTaskType, err := q.figures("s.task_type_id")
	if err != nil {
		return KPI{}, err
	}
	paid, err := q.paidWork(false)
	if err != nil {
		return KPI{}, err
	}
	paidByOrganiser, err := q.paidWork(true)
	if err != nil {
		return KPI{}, err
	}
	money, err := q.money(false)
	if err != nil {
		return KPI{}, err
	}
	moneyByOrganiser, err := q.money(true)
	if err != nil {
		return KPI{}, err
	}
	r := KPI{From: from, To: to, Figures: total[""], Money: money[""]}
	r.PaidWork = PaidWork{Participants: paid[""], ShareBps: ratioBps(paid[""], r.ActiveParticipants)}
	var orgs []named
	if err := db.Raw(`SELECT id, name FROM organizations WHERE tenant_id = ? AND kind = ? ORDER BY name, id`,
		p.TenantID, models.KindOrganiser).Scan(&orgs).Error; err != nil {
		return KPI{}, fmt.Errorf("kpi organisers: %w", err)
	}
	for _, o := range orgs {
		f := byOrganiser[o.ID]
		r.Organisers = append(r.Organisers, OrganiserKPI{OrganiserID: o.ID, Name: o.Name, Figures: f, Money: moneyByOrganiser[o.ID],
			PaidWork: PaidWork{Participants: paidByOrganiser[o.ID], ShareBps: ratioBps(paidByOrganiser[o.ID], f.ActiveParticipants)}})
	}
	var types []named
	if err := db.Raw(`SELECT id, name FROM task_types WHERE tenant_id = ? ORDER BY name, id`, p.TenantID).Scan(&types).Error; err != nil {
		return KPI{}, fmt.Errorf("kpi task types: %w", err)
	}
	for _, t := range types {
		r.TaskTypes = append(r.TaskTypes, TaskTypeKPI{TaskTypeID: t.ID, Name: t.Name, Figures: byTaskType[t.ID]})
	}
	return r, nil
}

type named struct{ ID, Name string }

// query holds the scope every aggregate shares.
type query struct {
	db       *gorm.DB
	tenant   string
	from, to models.Date
}

// grouped returns the select expression and GROUP BY clause for grouping by
// column, or one whole-tenant group "" when column is empty (PostgreSQL
// refuses GROUP BY a constant).
func grouped(column string) (key, groupBy string) {
	if column == "" {
		return "''", ""
	}
	return column, " GROUP BY " + column
}

// figures aggregates the shifts dated in the period and their present time
// entries, per value of column.
func (q query) figures(column string) (map[string]Figures, error) {
	key, groupBy := grouped(column)
	var shifts []struct {
		Grp                         string
		Ordered, Staffed, Cancelled int64
	}
	if err := q.db.Raw(`SELECT `+key+` AS grp, COUNT(*) AS ordered,
			COALESCE(SUM(CASE WHEN s.status IN ('staffed', 'completed') THEN 1 ELSE 0 END), 0) AS staffed,
			COALESCE(SUM(CASE WHEN s.status = 'cancelled' THEN 1 ELSE 0 END), 0) AS cancelled
		FROM shifts s WHERE s.tenant_id = ? AND s.date BETWEEN ? AND ?`+groupBy,
		q.tenant, q.from, q.to).Scan(&shifts).Error; err != nil {
		return nil, fmt.Errorf("kpi shifts: %w", err)
	}
	var hours []struct {
		Grp                                   string
		ParticipantMinutes, SupervisorMinutes int64
		ActiveParticipants                    int64
	}
	if err := q.db.Raw(`SELECT `+key+` AS grp,
			COALESCE(SUM(CASE WHEN a.participant_id IS NOT NULL THEN te.worked_minutes ELSE 0 END), 0) AS participant_minutes,
			COALESCE(SUM(CASE WHEN a.supervisor_id IS NOT NULL THEN te.worked_minutes ELSE 0 END), 0) AS supervisor_minutes,
			COUNT(DISTINCT a.participant_id) AS active_participants
		FROM time_entries te JOIN shifts s ON s.id = te.shift_id JOIN assignments a ON a.id = te.assignment_id
		WHERE s.tenant_id = ? AND s.date BETWEEN ? AND ? AND te.absence IS NULL`+groupBy,
		q.tenant, q.from, q.to).Scan(&hours).Error; err != nil {
		return nil, fmt.Errorf("kpi hours: %w", err)
	}
	out := map[string]Figures{}
	for _, r := range shifts {
		f := out[r.Grp]
		f.ShiftsOrdered, f.ShiftsStaffed, f.ShiftsCancelled = r.Ordered, r.Staffed, r.Cancelled
		f.FillRateBps = ratioBps(r.Staffed, r.Ordered-r.Cancelled)
		out[r.Grp] = f
	}
	for _, r := range hours {
		f := out[r.Grp]
		f.ParticipantMinutes, f.SupervisorMinutes, f.ActiveParticipants = r.ParticipantMinutes, r.SupervisorMinutes, r.ActiveParticipants
		out[r.Grp] = f
	}
	return out, nil
}

// paidWork counts, in total or per organiser, the participants in paid work
// (PaidWorkDefinition): a paid_employment outcome dated in the period after
// a present time entry on a shift dated by its end, or a present time entry
// in the period as an employee (supported employment on that date, or a
// customer_employs agreement valid on it).
func (q query) paidWork(byOrganiser bool) (map[string]int64, error) {
	key, groupBy := grouped(pick(byOrganiser, "p.organiser_id"))
	var rows []struct {
		Grp string
		N   int64
	}
	if err := q.db.Raw(`SELECT `+key+` AS grp, COUNT(DISTINCT x.participant_id) AS n FROM (
			SELECT o.participant_id FROM outcomes o
			WHERE o.tenant_id = ? AND o.kind = ? AND o.date BETWEEN ? AND ?
				AND EXISTS (SELECT 1 FROM time_entries te JOIN assignments a ON a.id = te.assignment_id
					JOIN shifts s ON s.id = te.shift_id
					WHERE a.participant_id = o.participant_id AND te.absence IS NULL AND s.date <= ?)
			UNION
			SELECT a.participant_id FROM time_entries te JOIN assignments a ON a.id = te.assignment_id
				JOIN shifts s ON s.id = te.shift_id
			WHERE s.tenant_id = ? AND s.date BETWEEN ? AND ? AND te.absence IS NULL AND a.participant_id IS NOT NULL
				AND (EXISTS (SELECT 1 FROM service_decisions d WHERE d.participant_id = a.participant_id AND d.kind = ?
						AND `+store.ValidOn("d", "s.date")+`)
					OR EXISTS (SELECT 1 FROM agreements ag WHERE ag.tenant_id = s.tenant_id AND ag.customer_id = s.customer_id
						AND ag.employment_model = ? AND `+store.ValidOn("ag", "s.date")+`))
		) x JOIN participants p ON p.id = x.participant_id`+groupBy,
		q.tenant, models.OutcomePaidEmployment, q.from, q.to, q.to,
		q.tenant, q.from, q.to, models.DecisionSupportedEmployment, models.EmploymentCustomerEmploys).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("kpi paid work: %w", err)
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Grp] = r.N
	}
	return out, nil
}

// money sums, in total or per organiser, the net invoiced in the period
// (credit notes are negative) and the organisers' settlements of those
// invoices: a run's settlements belong to its invoices, a credit note's to
// the note.
func (q query) money(byOrganiser bool) (map[string]Money, error) {
	out := map[string]Money{}
	var revenue []struct {
		Grp   string
		Cents models.Cents
	}
	// The total is the invoices' net; per organiser it is the sum of the
	// lines, which name the organiser (a net is the sum of its lines).
	sql := `SELECT '' AS grp, COALESCE(SUM(i.net_cents), 0) AS cents FROM invoices i
		WHERE i.tenant_id = ? AND i.invoice_date BETWEEN ? AND ?`
	if byOrganiser {
		sql = `SELECT l.organiser_id AS grp, COALESCE(SUM(l.amount_cents), 0) AS cents
			FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
			WHERE i.tenant_id = ? AND i.invoice_date BETWEEN ? AND ? GROUP BY l.organiser_id`
	}
	if err := q.db.Raw(sql, q.tenant, q.from, q.to).Scan(&revenue).Error; err != nil {
		return nil, fmt.Errorf("kpi revenue: %w", err)
	}
	for _, r := range revenue {
		m := out[r.Grp]
		m.RevenueCents = r.Cents
		out[r.Grp] = m
	}
	var payables []struct {
		Grp   string
		Cents models.Cents
	}
	key, groupBy := grouped(pick(byOrganiser, "st.organiser_id"))
	if err := q.db.Raw(`SELECT `+key+` AS grp, COALESCE(SUM(st.payable_cents), 0) AS cents FROM settlements st
		WHERE st.tenant_id = ? AND (
			st.billing_run_id IN (SELECT i.billing_run_id FROM invoices i
				WHERE i.tenant_id = ? AND i.invoice_date BETWEEN ? AND ? AND i.billing_run_id IS NOT NULL)
			OR st.invoice_id IN (SELECT i.id FROM invoices i
				WHERE i.tenant_id = ? AND i.invoice_date BETWEEN ? AND ? AND i.credits_invoice_id IS NOT NULL))`+groupBy,
		q.tenant, q.tenant, q.from, q.to, q.tenant, q.from, q.to).Scan(&payables).Error; err != nil {
		return nil, fmt.Errorf("kpi payables: %w", err)
	}
	for _, r := range payables {
		m := out[r.Grp]
		m.PayablesCents = r.Cents
		out[r.Grp] = m
	}
	return out, nil
}

func pick(cond bool, column string) string {
	if cond {
		return column
	}
	return ""
}

// ratioBps is num/den in basis points, rounded half up; 0 when den is 0.
func ratioBps(num, den int64) int64 {
	if den <= 0 {
		return 0
	}
	return (num*20000 + den) / (2 * den)
}
