package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"jobcenter/auth"
	"jobcenter/clock"
	"jobcenter/models"
	"jobcenter/staffing"
	"jobcenter/store"
)

// benchAssign: assignments per second through the staffing use case (every
// rule, locks, crew status) with 32 concurrent clients, against a tenant of
// 2,000 participants and 20,000 shifts; the floor is the same inserts as
// plain SQL, one transaction each, with the same concurrency.
func benchAssign(ctx context.Context, url string) error {
	const clients, days = 32, 10
	sz := Size{Customers: 20, Organisers: 1, ParticipantsPerOrganiser: 2000, SupervisorsPerOrganiser: 5, Orders: 200,
		From: models.Date{Year: 2027, Month: 1, Day: 4}, To: models.Date{Year: 2027, Month: 4, Day: 13}, Slots: 4, CrewSize: 10}
	step("generating %d participants and %d shifts", sz.ParticipantsPerOrganiser, sz.Orders*100)
	w, err := Generate(ctx, url, sz)
	if err != nil {
		return err
	}
	// Each participant works one shift a day: participant p is on shift
	// p/10 of every day, filling every crew of 10 exactly.
	type pair struct{ shift, participant string }
	var pairs []pair
	for d := 0; d < days; d++ {
		for p, id := range w.Participants[0] {
			pairs = append(pairs, pair{w.ShiftIDs[d*sz.Orders+p/sz.CrewSize], id})
		}
	}
	// Coordinators staff different shifts at once: spread the requests.
	rnd := rand.New(rand.NewPCG(1, 2))
	rnd.Shuffle(len(pairs), func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] })
	db, err := store.Open(url, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	var coordinator string
	if err := db.Gorm.Raw(`SELECT id FROM users WHERE email = ?`, w.Coordinator).Scan(&coordinator).Error; err != nil {
		return err
	}
	svc := &staffing.Service{DB: db, Clock: &clock.Settable{}, Loc: helsinki}
	p := auth.Principal{UserID: coordinator, TenantID: w.TenantID, Role: models.RoleCoordinator}
	run := func(do func(pair) error) (float64, error) {
		work := make(chan pair)
		var ok, failed atomic.Int64
		var firstErr atomic.Value
		var wg sync.WaitGroup
		start := time.Now()
		for c := 0; c < clients; c++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for pr := range work {
					if err := do(pr); err != nil {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, err)
					} else {
						ok.Add(1)
					}
				}
			}()
		}
		for _, pr := range pairs {
			work <- pr
		}
		close(work)
		wg.Wait()
		if failed.Load() > 0 {
			return 0, fmt.Errorf("%d of %d failed, first: %v", failed.Load(), len(pairs), firstErr.Load())
		}
		return float64(ok.Load()) / time.Since(start).Seconds(), nil
	}
	raw, err := sql.Open("pgx", url)
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetMaxOpenConns(clients)
	// Each phase starts from an empty assignments table.
	clear := func(rate float64, err error) (float64, error) {
		if err != nil {
			return 0, err
		}
		return rate, db.Gorm.Exec(`DELETE FROM assignments`).Error
	}
	step("%d assignments through staffing.Assign vs the same inserts as plain SQL (one transaction each), %d clients, %d rounds",
		len(pairs), clients, rounds)
	c, err := alternate(func() (float64, error) {
		return clear(run(func(pr pair) error {
			tx, err := raw.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, `INSERT INTO assignments (id, tenant_id, shift_id, participant_id, person_id, starts_at, ends_at, created_by, created_at)
			SELECT $1, tenant_id, id, $2, $2, starts_at, ends_at, $3, now() FROM shifts WHERE id = $4`,
				store.NewID(), pr.participant, coordinator, pr.shift); err != nil {
				return err
			}
			return tx.Commit()
		}))
	}, func() (float64, error) {
		return clear(run(func(pr pair) error {
			_, err := svc.Assign(ctx, p, pr.shift, staffing.Person{ParticipantID: pr.participant})
			return err
		}))
	})
	if err != nil {
		return err
	}
	c.report("assignments per second (32 clients)", "/s", "≥ 0.5")
	return nil
}
