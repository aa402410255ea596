package main

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/store"
)

// Size is the shape of a generated tenant. Orders are weekly every day in
// [From, To]; order o belongs to customer o % Customers and organiser
// o % Organisers and runs in time slot (o / Organisers) % Slots (two-hour
// slots from 06:00 Helsinki), so the slots of one organiser never overlap
// and crews can be drawn from its participants without double-booking.
type Size struct {
	Customers, Organisers    int
	ParticipantsPerOrganiser int
	SupervisorsPerOrganiser  int
	Orders                   int
	From, To                 models.Date
	Slots                    int
	CrewSize                 int
	// Crews fills every shift with CrewSize participants and a supervisor;
	// Approved also records their hours as an approved timesheet.
	Crews, Approved bool
}

// World is what the generator made.
type World struct {
	TenantID       string
	Coordinator    string // email; the password is Password
	Participants   [][]string
	Supervisors    [][]string
	ShiftIDs       []string // day-major: ShiftIDs[day*Orders+order]
	EntryCount     int
	FirstShiftDate models.Date
}

// Password of every generated user.
const Password = "bench-password-2026"

// helsinki is the local time of schedules.
var helsinki = mustLoad("Europe/Helsinki")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Generate bulk-loads one tenant of the given size with COPY.
func Generate(ctx context.Context, url string, sz Size) (World, error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return World{}, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	now := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return World{}, err
	}
	w := World{TenantID: store.NewID(), Coordinator: "coordinator-" + store.NewID()[24:] + "@bench.example", FirstShiftDate: sz.From}
	if _, err := conn.Exec(ctx, `INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)`, w.TenantID, "Bench "+w.TenantID, now); err != nil {
		return w, fmt.Errorf("tenant: %w", err)
	}
	copyRows := func(table string, cols []string, n int, row func(i int) []any) error {
		_, err := conn.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(func() func() ([]any, error) {
			i := 0
			return func() ([]any, error) {
				if i >= n {
					return nil, nil
				}
				i++
				return row(i - 1), nil
			}
		}()))
		if err != nil {
			return fmt.Errorf("copy %s: %w", table, err)
		}
		return nil
	}
	orgCols := []string{"id", "tenant_id", "kind", "name", "business_id", "vat_treatment", "iban", "coordination_fee_bps", "version", "created_at", "updated_at"}
	customers := ids(sz.Customers)
	organisers := ids(sz.Organisers)
	if err := copyRows("organizations", orgCols, sz.Customers, func(i int) []any {
		vat := "standard"
		if i%5 == 0 {
			vat = "internal"
		}
		return []any{customers[i], w.TenantID, "customer", fmt.Sprintf("Customer %d", i), "0737546-2", vat, "", int64(0), int32(1), now, now}
	}); err != nil {
		return w, err
	}
	if err := copyRows("organizations", orgCols, sz.Organisers, func(i int) []any {
		return []any{organisers[i], w.TenantID, "organiser", fmt.Sprintf("Organiser %d", i), "", "", "FI2112345600000785", int64(1000 + 25*i), int32(1), now, now}
	}); err != nil {
		return w, err
	}
	userCols := []string{"id", "tenant_id", "email", "password_hash", "role", "organization_id", "name", "phone", "created_at"}
	if _, err := conn.Exec(ctx, `INSERT INTO users (id, tenant_id, email, password_hash, role, name, phone, created_at)
		VALUES ($1, $2, $3, $4, 'coordinator', 'Bench Coordinator', '', $5)`, store.NewID(), w.TenantID, w.Coordinator, hash, now); err != nil {
		return w, fmt.Errorf("coordinator: %w", err)
	}
	w.Supervisors = make([][]string, sz.Organisers)
	for g := range w.Supervisors {
		w.Supervisors[g] = ids(sz.SupervisorsPerOrganiser)
	}
	if err := copyRows("users", userCols, sz.Organisers*sz.SupervisorsPerOrganiser, func(i int) []any {
		g, k := i/sz.SupervisorsPerOrganiser, i%sz.SupervisorsPerOrganiser
		return []any{w.Supervisors[g][k], w.TenantID, fmt.Sprintf("sup-%s@bench.example", w.Supervisors[g][k]), hash, "supervisor", organisers[g], "Supervisor", "+358400000000", now}
	}); err != nil {
		return w, err
	}
	taskType := store.NewID()
	if _, err := conn.Exec(ctx, `INSERT INTO task_types (id, tenant_id, name, created_at) VALUES ($1, $2, 'Outdoor cleaning', $3)`, taskType, w.TenantID, now); err != nil {
		return w, fmt.Errorf("task type: %w", err)
	}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := copyRows("agreements", []string{"id", "tenant_id", "customer_id", "participant_hour_price_cents", "supervisor_hour_price_cents",
		"minimum_billable_minutes", "late_cancellation_window_hours", "late_cancellation_fee_cents", "payment_term_days", "employment_model",
		"valid_from", "created_at"}, sz.Customers, func(i int) []any {
		return []any{store.NewID(), w.TenantID, customers[i], int64(2400 + 10*(i%30)), int64(4500), int32(120), int32(48), int64(15000), int32(14), "subcontracting", start, now}
	}); err != nil {
		return w, err
	}
	w.Participants = make([][]string, sz.Organisers)
	for g := range w.Participants {
		w.Participants[g] = ids(sz.ParticipantsPerOrganiser)
	}
	n := sz.Organisers * sz.ParticipantsPerOrganiser
	participant := func(i int) (int, string) {
		g := i / sz.ParticipantsPerOrganiser
		return g, w.Participants[g][i%sz.ParticipantsPerOrganiser]
	}
	if err := copyRows("participants", []string{"id", "tenant_id", "organiser_id", "first_name", "last_name", "pseudonym", "iban_encrypted",
		"active", "version", "created_at", "updated_at"}, n, func(i int) []any {
		g, id := participant(i)
		return []any{id, w.TenantID, organisers[g], "Bench", fmt.Sprintf("Participant %d", i), fmt.Sprintf("Bench-%06d", i), "not-a-real-ciphertext", true, int32(1), now, now}
	}); err != nil {
		return w, err
	}
	// Every participant may work every day, full days: the benchmarks
	// measure the machinery, not the limits.
	if err := copyRows("service_decisions", []string{"id", "tenant_id", "participant_id", "kind", "valid_from", "max_days_per_week",
		"max_hours_per_day", "compensation", "daily_allowance_cents", "hourly_wage_cents", "withholding_bps", "created_at"}, n, func(i int) []any {
		_, id := participant(i)
		if i%2 == 0 {
			return []any{store.NewID(), w.TenantID, id, "supported_employment", start, int32(0), int32(0), "hourly_wage", int64(0), int64(1350), int64(1750), now}
		}
		return []any{store.NewID(), w.TenantID, id, "disability_work_activity", start, int32(0), int32(0), "daily_allowance", int64(1500), int64(0), int64(0), now}
	}); err != nil {
		return w, err
	}
	orders := ids(sz.Orders)
	slotOf := func(o int) int { return (o / sz.Organisers) % sz.Slots }
	if err := copyRows("orders", []string{"id", "tenant_id", "customer_id", "task_type_id", "organiser_id", "site_address", "crew_size", "status",
		"schedule_kind", "weekdays", "start_time", "end_time", "first_date", "last_date", "created_at", "updated_at"}, sz.Orders, func(o int) []any {
		k := slotOf(o)
		return []any{orders[o], w.TenantID, customers[o%sz.Customers], taskType, organisers[o%sz.Organisers], "Bench street 1", int32(sz.CrewSize), "accepted",
			"weekly", "1,2,3,4,5,6,7", clockTime(6 + 2*k), clockTime(8 + 2*k), dateTime(sz.From), dateTime(sz.To), now, now}
	}); err != nil {
		return w, err
	}
	days := 0
	for d := sz.From; !d.After(sz.To); d = d.AddDays(1) {
		days++
	}
	shiftID := ids(days * sz.Orders)
	w.ShiftIDs = shiftID
	shiftTimes := func(i int) (models.Date, time.Time, time.Time, int) {
		day, o := sz.From.AddDays(i/sz.Orders), i%sz.Orders
		k := slotOf(o)
		starts := day.At(models.ClockTime((6+2*k)*60), helsinki)
		return day, starts, starts.Add(2 * time.Hour), o
	}
	timesheet := func() any {
		if sz.Approved {
			return "approved"
		}
		return nil
	}()
	status := "open"
	if sz.Crews {
		status = "staffed"
	}
	if err := copyRows("shifts", []string{"id", "tenant_id", "order_id", "organiser_id", "customer_id", "task_type_id", "date", "starts_at", "ends_at",
		"status", "crew_size", "created_at", "version", "timesheet_status"}, len(shiftID), func(i int) []any {
		day, starts, ends, o := shiftTimes(i)
		return []any{shiftID[i], w.TenantID, orders[o], organisers[o%sz.Organisers], customers[o%sz.Customers], taskType, dateTime(day), starts, ends,
			status, int32(sz.CrewSize), now, int32(1), timesheet}
	}); err != nil {
		return w, err
	}
	if !sz.Crews {
		return w, nil
	}
	// Crews: within one day and slot, the n-th shift of an organiser takes
	// its participants n*crew … n*crew+crew-1 and its n-th supervisor.
	perShift := sz.CrewSize + 1
	type person struct{ participant, supervisor any }
	crewOf := make([][]person, len(shiftID))
	counter := map[[3]int]int{}
	for i := range crewOf {
		day, _, _, o := shiftTimes(i)
		g := o % sz.Organisers
		key := [3]int{day.Day, slotOf(o), g}
		nth := counter[key]
		counter[key] = nth + 1
		crew := make([]person, 0, perShift)
		for j := 0; j < sz.CrewSize; j++ {
			crew = append(crew, person{participant: w.Participants[g][(nth*sz.CrewSize+j)%sz.ParticipantsPerOrganiser]})
		}
		crewOf[i] = append(crew, person{supervisor: w.Supervisors[g][nth%sz.SupervisorsPerOrganiser]})
	}
	assignID := make([]string, len(shiftID)*perShift)
	for i := range assignID {
		assignID[i] = store.NewID()
	}
	creator := w.Supervisors[0][0]
	if err := copyRows("assignments", []string{"id", "tenant_id", "shift_id", "participant_id", "supervisor_id", "person_id", "starts_at", "ends_at",
		"active", "created_by", "created_at"}, len(assignID), func(i int) []any {
		s, p := i/perShift, crewOf[i/perShift][i%perShift]
		_, starts, ends, _ := shiftTimes(s)
		personID := p.participant
		if personID == nil {
			personID = p.supervisor
		}
		return []any{assignID[i], w.TenantID, shiftID[s], p.participant, p.supervisor, personID, starts, ends, true, creator, now}
	}); err != nil {
		return w, err
	}
	if !sz.Approved {
		return w, nil
	}
	w.EntryCount = len(assignID)
	return w, copyRows("time_entries", []string{"id", "tenant_id", "shift_id", "assignment_id", "start_at", "end_at", "break_minutes",
		"worked_minutes", "created_at", "updated_at"}, w.EntryCount, func(i int) []any {
		s := i / perShift
		_, starts, ends, _ := shiftTimes(s)
		return []any{store.NewID(), w.TenantID, shiftID[s], assignID[i], starts, ends, int32(0), int32(120), now, now}
	})
}

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = store.NewID()
	}
	return out
}

func clockTime(hour int) pgtype.Time {
	return pgtype.Time{Microseconds: int64(hour) * 3600 * 1e6, Valid: true}
}

func dateTime(d models.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// openAnalyzed opens the generated database and refreshes the planner's
// statistics after the bulk load, so measured plans are the steady-state ones.
func openAnalyzed(ctx context.Context, url string) (*sql.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		db.Close()
		return nil, fmt.Errorf("analyze: %w", err)
	}
	return db, nil
}
