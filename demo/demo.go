// Package demo loads a realistic Helsinki-style job center into the
// configured database, for a new user to see a living system at once: one
// city tenant, three organisers, eight customers, sixty participants on
// every kind of service decision, weekly and one-off orders, and about three
// months of shifts before today with crews, hours in every timesheet state,
// cancellations, outcomes and one completed billing run.
//
// Everything is created through the use-case services, so every rule of the
// domain holds (eligibility, crew limits, timesheet transitions, billing).
// The past is replayed as an agenda of dated events: the service clock is
// set to each event's instant, so orders are placed before their shifts,
// hours are recorded after them and invoices carry the run's date.
//
// The whole load is one database transaction: the services run on a handle
// bound to it (their own transactions become part of it), so a load that
// fails half-way leaves nothing behind and a rerun starts afresh; a
// completed load is recognised by the tenant's name and not repeated.
// The data depends only on the seed and on today's date.
package demo

import (
	"container/heap"
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"jobcenter/app"
	"jobcenter/auth"
	"jobcenter/billing"
	"jobcenter/clock"
	"jobcenter/directory"
	"jobcenter/models"
	"jobcenter/participants"
	"jobcenter/staffing"
	"jobcenter/store"
)

// Login is a user to log in as.
type Login struct {
	Role, Email, Password string
}

// Result says what Load did and who can log in.
type Result struct {
	TenantID string
	Loaded   bool // false: the demo was already there and nothing changed
	Logins   []Login
}

// Logins are the demo's users, one per role.
func Logins() []Login {
	return []Login{
		{models.RoleAdmin, adminUser.email, Password},
		{models.RoleCoordinator, coordinators[0].email, Password},
		{models.RoleSupervisor, organiserSpecs[0].supervisors[0].email, Password},
		{models.RoleCustomer, customerSpecs[3].user.email, Password},
		{models.RoleFinance, financeUser.email, Password},
	}
}

// seed fixes every random choice of the data set.
const seed = 20261124

// Load loads the demo into m's database unless it is there already. m must
// be open (Main.Open). It moves m.Clock while loading and resets it after.
// Every user's password is the published Password: for development only.
func Load(ctx context.Context, m *app.Main) (Result, error) {
	res, err := load(ctx, m, nil)
	res.Logins = Logins()
	return res, err
}

// LoadWithRandomPasswords is Load for a database outside development mode:
// each user gets a random password, returned in Result.Logins (every user)
// when the demo is loaded now and never again.
func LoadWithRandomPasswords(ctx context.Context, m *app.Main) (Result, error) {
	return load(ctx, m, randomPassword)
}

// randomPassword is 18 random bytes, 24 characters in base64url.
func randomPassword() (string, error) {
	b := make([]byte, 18)
	if _, err := crand.Read(b); err != nil {
		return "", fmt.Errorf("generate a password: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// load loads the demo; newPassword, when not nil, makes each user's password.
func load(ctx context.Context, m *app.Main, newPassword func() (string, error)) (Result, error) {
	var res Result
	today := models.DateOf(m.Clock.Now(), m.Loc)
	defer m.Clock.Reset()
	err := m.DB.WithTx(ctx, func(tx *gorm.DB) error {
		// Two concurrent loads on PostgreSQL: the second waits here and then
		// finds the tenant (SQLite's immediate transactions already queue).
		if err := m.DB.LockTenant(tx, "demo", TenantName); err != nil {
			return err
		}
		var existing []string
		if err := tx.Model(&models.Tenant{}).Where("name = ?", TenantName).Pluck("id", &existing).Error; err != nil {
			return fmt.Errorf("find demo tenant: %w", err)
		}
		if len(existing) > 0 {
			res.TenantID, res.Loaded = existing[0], false
			return nil
		}
		// Without nested transactions the services' own transactions are
		// plain parts of this one, not thousands of open savepoints.
		db := &store.DB{Gorm: tx.Session(&gorm.Session{DisableNestedTransaction: true}), SQL: m.DB.SQL, Dialect: m.DB.Dialect}
		l := &loader{ctx: ctx, clock: m.Clock, loc: m.Loc, today: today, rng: rand.New(rand.NewPCG(seed, seed)), newPassword: newPassword,
			dir:   &directory.Service{DB: db, Clock: m.Clock},
			staff: &staffing.Service{DB: db, Clock: m.Clock, Loc: m.Loc},
			bill:  &billing.Service{DB: db, Clock: m.Clock, Loc: m.Loc}}
		// Deterministic pseudonyms, unlike the service's random ones.
		l.people = &participants.Service{DB: db, Clock: m.Clock, Cipher: m.Participants.Cipher, Pseudonym: l.nextPseudonym}
		// The run reads the ages of the contributions from identity codes.
		l.bill.OpenIdentityCode = l.people.OpenIdentityCode
		if err := l.load(); err != nil {
			return err
		}
		res.TenantID, res.Loaded, res.Logins = l.tenantID, true, l.logins
		return nil
	})
	return res, err
}

// password returns the password of a new user, recording the login when it
// is a random one.
func (l *loader) password(role, email string) (string, error) {
	if l.newPassword == nil {
		return Password, nil
	}
	pw, err := l.newPassword()
	if err != nil {
		return "", err
	}
	l.logins = append(l.logins, Login{Role: role, Email: email, Password: pw})
	return pw, nil
}

// loader replays the demo's past through the services.
type loader struct {
	ctx    context.Context
	clock  *clock.Settable
	loc    *time.Location
	rng    *rand.Rand
	dir    *directory.Service
	staff  *staffing.Service
	people *participants.Service
	bill   *billing.Service

	today  models.Date    // the day of the load; every event is before it
	start  models.Date    // the first shift date
	oldest models.Period  // the month of start, billed
	recent [4]models.Date // the last four weekdays before today, latest first

	// newPassword makes each user's password (nil: the published
	// Password); logins collects the users it made one for.
	newPassword func() (string, error)
	logins      []Login

	tenantID    string
	admin       auth.Principal
	finance     auth.Principal
	coord       auth.Principal
	organisers  map[string]*organiser
	customers   map[string]*customer
	taskTypes   map[string]string
	supervisors map[string]*supervisor // by user id
	roster      []*participant         // in creation order
	pseudonyms  int
	orders      []*orderSpec

	agenda agenda
	seq    int
	now    time.Time
	// Per local date, whether a supervisor already left a shift's hours
	// unrecorded, or a customer already left a dispute open, that day.
	unrecorded, leftDisputed map[models.Date]bool
	entries                  map[string][]models.EntryInput // last recorded, by shift
	ofParticipant            map[string]bool                // assignment ids of participants
}

type organiser struct {
	id          string
	supervisors []*supervisor
}

type supervisor struct {
	p    auth.Principal
	busy [][2]time.Time // shifts it supervises
}

type customer struct {
	id   string
	user auth.Principal
}

type participant struct {
	id      string
	version int
}

func (l *loader) nextPseudonym() string {
	l.pseudonyms++
	return pseudonym(l.pseudonyms)
}

// event is one dated step of the replay.
type event struct {
	at   time.Time
	seq  int
	name string
	do   func() error
}

// agenda is a heap of events by instant, then by the order they were added.
type agenda []event

func (a agenda) Len() int { return len(a) }
func (a agenda) Less(i, j int) bool {
	if !a[i].at.Equal(a[j].at) {
		return a[i].at.Before(a[j].at)
	}
	return a[i].seq < a[j].seq
}
func (a agenda) Swap(i, j int) { a[i], a[j] = a[j], a[i] }
func (a *agenda) Push(x any)   { *a = append(*a, x.(event)) }
func (a *agenda) Pop() any {
	old := *a
	e := old[len(old)-1]
	*a = old[:len(old)-1]
	return e
}

// at schedules do at the instant t.
func (l *loader) at(t time.Time, name string, do func() error) {
	l.seq++
	heap.Push(&l.agenda, event{at: t, seq: l.seq, name: name, do: do})
}

// local is the instant of a local date and wall-clock time "HH:MM".
func (l *loader) local(d models.Date, hhmm string) time.Time {
	c, err := models.ParseClockTime(hhmm)
	if err != nil {
		panic(err) // the times are constants of this package
	}
	return d.At(c, l.loc)
}

// run replays the agenda in time order with the clock at each event.
func (l *loader) run() error {
	for l.agenda.Len() > 0 {
		e := heap.Pop(&l.agenda).(event)
		if e.at.Before(l.now) {
			return fmt.Errorf("demo: event %s at %s was scheduled after its time", e.name, e.at)
		}
		if !e.at.Before(l.local(l.today, "00:00")) {
			return fmt.Errorf("demo: event %s at %s is not in the past", e.name, e.at)
		}
		l.now = e.at
		l.clock.Set(e.at)
		if err := e.do(); err != nil {
			return fmt.Errorf("demo: %s at %s: %w", e.name, e.at.In(l.loc).Format("2006-01-02 15:04"), err)
		}
	}
	return nil
}

// load sets the calendar, plans everything and replays it.
func (l *loader) load() error {
	// About three months: from the first day of the month of 90 days ago,
	// so that the oldest month is complete and can be billed.
	ago := l.today.AddDays(-90)
	l.oldest = models.Period{Year: ago.Year, Month: ago.Month}
	l.start = l.oldest.FirstDay()
	for d, n := l.today.AddDays(-1), 0; n < len(l.recent); d = d.AddDays(-1) {
		if d.ISOWeekday() <= 5 {
			l.recent[n] = d
			n++
		}
	}
	l.organisers, l.customers, l.taskTypes = map[string]*organiser{}, map[string]*customer{}, map[string]string{}
	l.supervisors = map[string]*supervisor{}
	l.unrecorded, l.leftDisputed, l.entries = map[models.Date]bool{}, map[models.Date]bool{}, map[string][]models.EntryInput{}
	l.ofParticipant = map[string]bool{}
	l.at(l.local(l.start.AddDays(-30), "09:00"), "set up the job center", l.setup)
	l.planOrders()
	l.planOutcomes()
	billDay := l.oldest.LastDay().AddDays(8)
	l.at(l.local(billDay, "10:00"), "billing run "+l.oldest.String(), l.billOldest)
	return l.run()
}
