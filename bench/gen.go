package main

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/participants"
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
	// Mix is how the participants' service decisions are drawn.
	Mix Mix
}

// Mix is the share of each kind of service decision among the participants.
type Mix int

const (
	// MixHalves puts every other participant on wages (supported
	// employment) and the rest on työosuusraha (work activity for people
	// with disabilities), neither with limits of days or hours, so any
	// crew is lawful anywhere on any day.
	MixHalves Mix = iota
	// MixPayroll is an organiser's real mix, drawn per crew (order) so
	// that each order is staffed by one kind: 20 % of the crews on wages
	// (half of them with a tax card for the year), 30 % on työosuusraha
	// and 50 % in rehabilitative work activity (compensation none), which
	// the law limits to 4 days a week and 8 hours a day and to customers
	// of the public or non-profit sector: their orders run Monday to
	// Thursday, two hours in each of at most four slots, for such
	// customers (the first half of the customers; the rest are companies).
	MixPayroll
	// MixWages puts every participant on wages, half with a tax card.
	MixWages
)

// kind is one participant's decision under a mix.
type kind int

const (
	wages kind = iota
	allowance
	rehabilitative
)

// kindOf is the decision of participant p (within its organiser) under mix,
// for crews of crewSize.
func (m Mix) kindOf(p, crewSize int) kind {
	switch m {
	case MixPayroll:
		switch class := (p / crewSize) % 10; {
		case class < 2:
			return wages
		case class < 5:
			return allowance
		default:
			return rehabilitative
		}
	case MixWages:
		return wages
	}
	if p%2 == 0 {
		return wages
	}
	return allowance
}

// World is what the generator made.
type World struct {
	TenantID     string
	Coordinator  string // email; the password is Password
	Participants [][]string
	Supervisors  [][]string
	Organisers   []string
	// ShiftIDs is day-major: ShiftIDs[day*Orders+order]. Under MixPayroll
	// the ids of the rehabilitative orders' Fridays to Sundays are not in
	// the database.
	ShiftIDs []string
	// Shifts, Entries and Kinds count what was written: shifts, approved
	// time entries and the participants of each kind who have a crew.
	Shifts, EntryCount int
	Kinds              [3]int
	FirstShiftDate     models.Date
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
	customers := ids(sz.Customers)
	organisers := ids(sz.Organisers)
	w.Organisers = organisers
	// Under MixPayroll the first half of the customers are cities and
	// associations, whose orders the rehabilitative crews may work.
	public := sz.Customers
	if sz.Mix == MixPayroll {
		public = sz.Customers / 2
	}
	if err := copyRows("organizations", []string{"id", "tenant_id", "kind", "name", "business_id", "vat_treatment", "iban", "coordination_fee_bps",
		"sector", "version", "created_at", "updated_at"}, sz.Customers, func(i int) []any {
		vat, sector := "standard", "company"
		switch {
		case i%5 == 0:
			vat, sector = "internal", "public"
		case i < public && i%2 == 0:
			sector = "public"
		case i < public:
			sector = "non_profit"
		}
		return []any{customers[i], w.TenantID, "customer", fmt.Sprintf("Customer %d", i), businessID(1000000 + i), vat, "", int64(0), sector, int32(1), now, now}
	}); err != nil {
		return w, err
	}
	// Organisers are employers: business ID, pension insurance (54 is
	// Elo's provider code; the policy number's form per
	// models.ValidPensionPolicyNumber), the TyEL 2026 average employer
	// share of PAYROLL.md (17.10 %) and a contact person for the Incomes
	// Register.
	if err := copyRows("organizations", []string{"id", "tenant_id", "kind", "name", "business_id", "vat_treatment", "iban", "coordination_fee_bps",
		"pension_insurer", "pension_policy_number", "employer_pension_bps", "contact_name", "contact_phone", "contact_email",
		"version", "created_at", "updated_at"}, sz.Organisers, func(i int) []any {
		return []any{organisers[i], w.TenantID, "organiser", fmt.Sprintf("Organiser %d", i), businessID(2000000 + i), "", "FI2112345600000785",
			int64(1000 + 25*i), "54", fmt.Sprintf("54-%07d%d", 1000+i, i%10), int64(1710), "Payroll Contact", "+358 40 1234567",
			fmt.Sprintf("payroll-%d@organiser.example", i), int32(1), now, now}
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
	participant := func(i int) (int, string, kind) {
		g, p := i/sz.ParticipantsPerOrganiser, i%sz.ParticipantsPerOrganiser
		return g, w.Participants[g][p], sz.Mix.kindOf(p, sz.CrewSize)
	}
	// IBANs and the wage earners' personal identity codes are sealed with
	// the key the service is started with (serviceEnv), bound to their row
	// as participants.Service binds them.
	cipher, err := participants.NewCipher(encryptionKey)
	if err != nil {
		return w, err
	}
	var sealErr error
	seal := func(plain, aad string) string {
		sealed, err := cipher.Seal(plain, aad)
		if err != nil {
			sealErr = err
		}
		return sealed
	}
	if err := copyRows("participants", []string{"id", "tenant_id", "organiser_id", "first_name", "last_name", "pseudonym", "iban_encrypted",
		"identity_code_encrypted", "employment_start_date", "active", "version", "created_at", "updated_at"}, n, func(i int) []any {
		g, id, k := participant(i)
		row := w.TenantID + "/" + id
		code, started := "", any(nil)
		if k == wages {
			code, started = seal(identityCode(i), row+"/identity_code"), dateTime(models.Date{Year: 2024 + i%3, Month: time.Month(1 + i%12), Day: 1})
		}
		return []any{id, w.TenantID, organisers[g], "Bench", fmt.Sprintf("Participant %d", i), fmt.Sprintf("Bench-%06d", i),
			seal(participantIBAN, row), code, started, true, int32(1), now, now}
	}); err != nil {
		return w, err
	}
	if sealErr != nil {
		return w, sealErr
	}
	// MixHalves lets everyone work every day, full days: the benchmarks
	// that use it measure the machinery, not the limits.
	if err := copyRows("service_decisions", []string{"id", "tenant_id", "participant_id", "kind", "valid_from", "max_days_per_week",
		"max_hours_per_day", "compensation", "daily_allowance_cents", "hourly_wage_cents", "withholding_bps", "created_at"}, n, func(i int) []any {
		_, id, k := participant(i)
		switch k {
		case wages:
			return []any{store.NewID(), w.TenantID, id, "supported_employment", start, int32(0), int32(0), "hourly_wage", int64(0), int64(1350), int64(1750), now}
		case allowance:
			return []any{store.NewID(), w.TenantID, id, "disability_work_activity", start, int32(0), int32(0), "daily_allowance", int64(1500), int64(0), int64(0), now}
		}
		return []any{store.NewID(), w.TenantID, id, "rehabilitative_work_activity", start, int32(4), int32(8), "none", int64(0), int64(0), int64(0), now}
	}); err != nil {
		return w, err
	}
	if sz.Mix != MixHalves {
		// Every other wage earner has a tax card for the year.
		var carded []string
		for i := 0; i < n; i++ {
			if _, id, k := participant(i); k == wages && i%2 == 0 {
				carded = append(carded, id)
			}
		}
		if err := copyRows("tax_cards", []string{"id", "tenant_id", "participant_id", "year", "basic_bps", "additional_bps", "income_limit_cents",
			"created_at"}, len(carded), func(i int) []any {
			return []any{store.NewID(), w.TenantID, carded[i], int32(sz.To.Year), int64(1200 + 100*(i%10)), int64(3400), int64(2500000), now}
		}); err != nil {
			return w, err
		}
	}
	orders := ids(sz.Orders)
	slotOf := func(o int) int { return (o / sz.Organisers) % sz.Slots }
	// Within one day and slot, the orders of an organiser are ranked by
	// id order; the order of rank m takes its organiser's participants
	// m*crew … m*crew+crew-1 and its m-th supervisor, every day.
	rankOf := func(o int) int { return o / (sz.Organisers * sz.Slots) }
	crewMember := func(o, j int) int { return (rankOf(o)*sz.CrewSize + j) % sz.ParticipantsPerOrganiser }
	rehab := func(o int) bool { return sz.Mix.kindOf(crewMember(o, 0), sz.CrewSize) == rehabilitative }
	if sz.Mix == MixPayroll && (sz.Orders+sz.Organisers*sz.Slots-1)/(sz.Organisers*sz.Slots)*sz.CrewSize > sz.ParticipantsPerOrganiser {
		return w, fmt.Errorf("MixPayroll needs a participant per crew place: %d orders need more than %d participants per organiser",
			sz.Orders, sz.ParticipantsPerOrganiser)
	}
	customerOf := func(o int) string {
		if sz.Mix == MixPayroll {
			if rehab(o) {
				return customers[o%public]
			}
			return customers[public+o%(sz.Customers-public)]
		}
		return customers[o%sz.Customers]
	}
	if err := copyRows("orders", []string{"id", "tenant_id", "customer_id", "task_type_id", "organiser_id", "site_address", "crew_size", "status",
		"schedule_kind", "weekdays", "start_time", "end_time", "first_date", "last_date", "created_at", "updated_at"}, sz.Orders, func(o int) []any {
		k := slotOf(o)
		weekdays := "1,2,3,4,5,6,7"
		if rehab(o) {
			weekdays = "1,2,3,4"
		}
		return []any{orders[o], w.TenantID, customerOf(o), taskType, organisers[o%sz.Organisers], "Bench street 1", int32(sz.CrewSize), "accepted",
			"weekly", weekdays, clockTime(6 + 2*k), clockTime(8 + 2*k), dateTime(sz.From), dateTime(sz.To), now, now}
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
	// live are the shifts that exist: every order's every day, but a
	// rehabilitative order's Monday to Thursday only.
	live := make([]int, 0, len(shiftID))
	for i := range shiftID {
		day, _, _, o := shiftTimes(i)
		if wd := dateTime(day).Weekday(); rehab(o) && (wd == time.Friday || wd == time.Saturday || wd == time.Sunday) {
			continue
		}
		live = append(live, i)
	}
	w.Shifts = len(live)
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
		"status", "crew_size", "created_at", "version", "timesheet_status"}, len(live), func(i int) []any {
		day, starts, ends, o := shiftTimes(live[i])
		return []any{shiftID[live[i]], w.TenantID, orders[o], organisers[o%sz.Organisers], customerOf(o), taskType, dateTime(day), starts, ends,
			status, int32(sz.CrewSize), now, int32(1), timesheet}
	}); err != nil {
		return w, err
	}
	if !sz.Crews {
		return w, nil
	}
	perShift := sz.CrewSize + 1
	// person is the j-th member of live shift s: participants first, the
	// supervisor last.
	person := func(s, j int) (participant, supervisor any) {
		o := live[s] % sz.Orders
		g := o % sz.Organisers
		if j < sz.CrewSize {
			return w.Participants[g][crewMember(o, j)], nil
		}
		return nil, w.Supervisors[g][rankOf(o)%sz.SupervisorsPerOrganiser]
	}
	staffed := map[[2]int]bool{}
	for o := 0; o < sz.Orders; o++ {
		for j := 0; j < sz.CrewSize; j++ {
			if p := crewMember(o, j); !staffed[[2]int{o % sz.Organisers, p}] {
				staffed[[2]int{o % sz.Organisers, p}] = true
				w.Kinds[sz.Mix.kindOf(p, sz.CrewSize)]++
			}
		}
	}
	assignID := make([]string, len(live)*perShift)
	for i := range assignID {
		assignID[i] = store.NewID()
	}
	creator := w.Supervisors[0][0]
	if err := copyRows("assignments", []string{"id", "tenant_id", "shift_id", "participant_id", "supervisor_id", "person_id", "starts_at", "ends_at",
		"active", "created_by", "created_at"}, len(assignID), func(i int) []any {
		s := i / perShift
		participant, supervisor := person(s, i%perShift)
		_, starts, ends, _ := shiftTimes(live[s])
		personID := participant
		if personID == nil {
			personID = supervisor
		}
		return []any{assignID[i], w.TenantID, shiftID[live[s]], participant, supervisor, personID, starts, ends, true, creator, now}
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
		_, starts, ends, _ := shiftTimes(live[s])
		return []any{store.NewID(), w.TenantID, shiftID[live[s]], assignID[i], starts, ends, int32(0), int32(120), now, now}
	})
}

func ids(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = store.NewID()
	}
	return out
}

// businessID is a Finnish business ID with its check digit (weights
// 7,9,10,5,8,4,2; a remainder of 1 is never issued, so those numbers are
// skipped to the next).
func businessID(n int) string {
	for ; ; n++ {
		id := fmt.Sprintf("%07d-", n)
		sum := 0
		for i, wt := range [7]int{7, 9, 10, 5, 8, 4, 2} {
			sum += int(id[i]-'0') * wt
		}
		switch r := sum % 11; r {
		case 0:
			return id + "0"
		case 1:
		default:
			return id + strconv.Itoa(11-r)
		}
	}
}

// identityCode is a valid Finnish personal identity code, distinct for each
// i, of someone born between 1960 and 2005: check character by DDMMYYNNN
// mod 31.
func identityCode(i int) string {
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%16000)
	return models.IdentityCode(models.DateOf(birth, time.UTC), 2+i/16000)
}

// participantIBAN is every participant's account: a valid Finnish IBAN.
const participantIBAN = "FI5542345670000081"

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
