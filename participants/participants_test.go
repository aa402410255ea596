package participants_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"jobcenter/apitest"
	"jobcenter/auth"
	"jobcenter/clock"
	"jobcenter/models"
	"jobcenter/participants"
	"jobcenter/store"
)

var key = bytes.Repeat([]byte{7}, 32)

func TestCipher(t *testing.T) {
	c, err := participants.NewCipher(key)
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.Seal("FI2112345600000785", "t/p1")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Seal("FI2112345600000785", "t/p1")
	if a == b {
		t.Error("equal plaintexts sealed equally: the nonce is not random")
	}
	if strings.Contains(a, "12345600000785") {
		t.Error("sealed value shows the plaintext")
	}
	if got, err := c.Open(a, "t/p1"); err != nil || got != "FI2112345600000785" {
		t.Fatalf("open: %q, %v", got, err)
	}
	if _, err := c.Open(a, "t/p2"); err == nil {
		t.Error("a value sealed for one row opened for another")
	}
	raw, _ := base64.StdEncoding.DecodeString(a)
	raw[len(raw)-1] ^= 1
	if _, err := c.Open(base64.StdEncoding.EncodeToString(raw), "t/p1"); err == nil {
		t.Error("a tampered value opened")
	}
	other, _ := participants.NewCipher(bytes.Repeat([]byte{8}, 32))
	if _, err := other.Open(a, "t/p1"); err == nil {
		t.Error("another key opened the value")
	}
	for _, bad := range []string{"", "not base64!", base64.StdEncoding.EncodeToString([]byte("short"))} {
		if _, err := c.Open(bad, "t/p1"); err == nil {
			t.Errorf("opened %q", bad)
		}
	}
	if _, err := participants.NewCipher(key[:16]); err == nil {
		t.Error("a 16-byte key was accepted")
	}
}

// fixture is a migrated database with one tenant, one organiser and a
// coordinator principal.
type fixture struct {
	s         *participants.Service
	db        *store.DB
	p         auth.Principal
	organiser string
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	_, db := apitest.OpenDB(t, true)
	now := time.Now().UTC()
	tenant := models.Tenant{ID: store.NewID(), Name: "City", HorizonWeeks: 8, MaxCrewPerSupervisor: 8, AutoApproveDays: 3, CreatedAt: now}
	org := models.Organization{ID: store.NewID(), TenantID: tenant.ID, Kind: models.KindOrganiser, Name: "Unit",
		IBAN: "FI2112345600000785", Version: 1, CreatedAt: now, UpdatedAt: now}
	user := models.User{ID: store.NewID(), TenantID: tenant.ID, Email: "c@example.fi", PasswordHash: "x", Role: models.RoleCoordinator, CreatedAt: now}
	for _, row := range []any{&tenant, &org, &user} {
		if err := db.Gorm.Create(row).Error; err != nil {
			t.Fatal(err)
		}
	}
	s, err := participants.New(db, &clock.Settable{}, key)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{s: s, db: db, organiser: org.ID,
		p: auth.Principal{UserID: user.ID, TenantID: tenant.ID, Role: models.RoleCoordinator}}
}

func (f fixture) create(t *testing.T) (models.Participant, error) {
	t.Helper()
	return f.s.CreateParticipant(context.Background(), f.p, models.Participant{OrganiserID: f.organiser,
		FirstName: "Aino", LastName: "Virtanen", IBAN: "FI21 1234 5600 0007 85"}, nil)
}

func TestPseudonymCollisionRetries(t *testing.T) {
	f := newFixture(t)
	var next []string
	f.s.Pseudonym = func() string {
		p := next[0]
		if len(next) > 1 {
			next = next[1:]
		}
		return p
	}
	next = []string{"Kettu-1001"}
	if p, err := f.create(t); err != nil || p.Pseudonym != "Kettu-1001" {
		t.Fatalf("first: %q, %v", p.Pseudonym, err)
	}
	next = []string{"Kettu-1001", "Kettu-1001", "Susi-2002"}
	p, err := f.create(t)
	if err != nil || p.Pseudonym != "Susi-2002" {
		t.Fatalf("after collisions: %q, %v", p.Pseudonym, err)
	}
	// The retried participant is stored once, readable, with its IBAN.
	got, err := f.s.Participant(context.Background(), f.p, p.ID, "test")
	if err != nil || got.Pseudonym != "Susi-2002" || got.IBAN != "FI2112345600000785" {
		t.Fatalf("read back: %+v, %v", got, err)
	}
	// A generator that only collides gives up without writing anything.
	next = []string{"Kettu-1001"}
	if _, err := f.create(t); !errors.Is(err, models.ErrConflict) {
		t.Fatalf("endless collisions: %v", err)
	}
	var n int64
	f.db.Gorm.Model(&models.Participant{}).Count(&n)
	if n != 2 {
		t.Errorf("%d participants, want 2", n)
	}
}

// TestConcurrentOverlappingDecisions: of many overlapping decisions sent at
// once, exactly one is stored.
func TestConcurrentOverlappingDecisions(t *testing.T) {
	f := newFixture(t)
	p, err := f.create(t)
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		ok, clash int
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			terms := models.DecisionTerms{Kind: models.DecisionDisability, ValidFrom: models.Date{Year: 2026, Month: 1, Day: 1 + i},
				Compensation: models.CompensationNone}
			_, err := f.s.CreateDecision(context.Background(), f.p, p.ID, terms, false, nil)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, models.ErrConflict):
				clash++
			default:
				t.Errorf("decision %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 || clash != n-1 {
		t.Errorf("%d stored, %d conflicts; want 1 and %d", ok, clash, n-1)
	}
}

func TestDecisionsByParticipant(t *testing.T) {
	f := newFixture(t)
	p, err := f.create(t)
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.create(t)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	jan := models.Date{Year: 2026, Month: 1, Day: 1}
	for i, from := range []models.Date{jan, jan.AddDays(100)} {
		terms := models.DecisionTerms{Kind: models.DecisionRehabilitative, ValidFrom: from, MaxDaysPerWeek: 2 + i, MaxHoursPerDay: 6,
			Compensation: models.CompensationNone}
		if _, err := f.s.CreateDecision(ctx, f.p, p.ID, terms, i > 0, nil); err != nil {
			t.Fatal(err)
		}
	}
	got, err := participants.Decisions(f.db.Gorm, f.p.TenantID, []string{p.ID, other.ID})
	if err != nil || len(got) != 1 || len(got[p.ID]) != 2 {
		t.Fatalf("got %v, %v; want two decisions of one participant", got, err)
	}
	decisions := got[p.ID]
	if decisions[0].ValidFrom != jan || decisions[0].MaxDaysPerWeek != 2 {
		t.Errorf("decisions not in date order: %v", decisions)
	}
	if until := decisions[0].ValidUntil; until == nil || *until != jan.AddDays(99) || decisions[1].ValidUntil != nil {
		t.Errorf("supersede did not end the first decision the day before: %v", decisions)
	}
	if got, err := participants.Decisions(f.db.Gorm, "another-tenant", []string{p.ID}); err != nil || len(got) != 0 {
		t.Errorf("another tenant read %v, %v", got, err)
	}
}

// TestDatabaseRefusesOverlap: on PostgreSQL the exclusion constraint holds
// even for a write that bypasses the use case.
func TestDatabaseRefusesOverlap(t *testing.T) {
	f := newFixture(t)
	if f.db.Dialect != store.Postgres {
		t.Skip("exclusion constraints are PostgreSQL's")
	}
	p, err := f.create(t)
	if err != nil {
		t.Fatal(err)
	}
	terms := models.DecisionTerms{Kind: models.DecisionDisability, ValidFrom: models.Date{Year: 2026, Month: 1, Day: 1}, Compensation: models.CompensationNone}
	if _, err := f.s.CreateDecision(context.Background(), f.p, p.ID, terms, false, nil); err != nil {
		t.Fatal(err)
	}
	terms.ValidFrom = models.Date{Year: 2027, Month: 5, Day: 1}
	row := models.ServiceDecision{ID: store.NewID(), TenantID: f.p.TenantID, ParticipantID: p.ID, DecisionTerms: terms, CreatedAt: time.Now()}
	if err := store.Translate(f.db.Gorm.Create(&row).Error); !errors.Is(err, models.ErrConflict) {
		t.Errorf("overlapping insert: %v", err)
	}
}
