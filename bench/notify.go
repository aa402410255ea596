package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

	"jobcenter/clock"
	"jobcenter/notify"
	"jobcenter/store"
)

// benchNotify: events dispatched per second by two dispatchers, each with
// its own connection pool as two replicas have, from one PostgreSQL to a
// webhook receiver on loopback; the floor is the rate at which writers put
// the same events into the outbox, one transaction each. Every round the
// floor writes the events the subject then dispatches, and the receiver
// fails the benchmark if any event arrives twice.
func benchNotify(ctx context.Context, url string) error {
	const events, writers = 5000, 8
	db, err := store.Open(url, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	tenant := store.NewID()
	if err := db.Gorm.Exec("INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)", tenant, "Benchmark city", time.Now()).Error; err != nil {
		return fmt.Errorf("tenant: %w", err)
	}
	rc := newCountingReceiver()
	defer rc.srv.Close()
	secret, err := notify.NewSecret()
	if err != nil {
		return err
	}
	if err := db.Gorm.Create(&notify.Webhook{ID: store.NewID(), TenantID: tenant, URL: rc.srv.URL, Events: `["order.submitted"]`,
		Secret: secret, CreatedAt: time.Now()}).Error; err != nil {
		return fmt.Errorf("subscription: %w", err)
	}

	insert := func() (float64, error) {
		work := make(chan int)
		var wg sync.WaitGroup
		var firstErr error
		var once sync.Once
		start := time.Now()
		for range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					err := db.WithTx(ctx, func(tx *gorm.DB) error {
						return notify.Emit(tx, time.Now(), notify.Event{TenantID: tenant, Type: notify.OrderSubmitted,
							Data: map[string]any{"order_id": fmt.Sprint("order-", i), "status": "submitted"}})
					})
					if err != nil {
						once.Do(func() { firstErr = err })
					}
				}
			}()
		}
		for i := range events {
			work <- i
		}
		close(work)
		wg.Wait()
		return events / time.Since(start).Seconds(), firstErr
	}

	dispatch := func() (float64, error) {
		want := rc.distinct() + events
		var dispatchers []*notify.Dispatcher
		for range 2 {
			replica, err := store.Open(url, nil)
			if err != nil {
				return 0, err
			}
			defer replica.Close()
			dispatchers = append(dispatchers, &notify.Dispatcher{DB: replica, Clock: &clock.Settable{}, Loc: helsinki,
				Log: slog.New(slog.DiscardHandler), HTTP: notify.NewHTTPClient(true), Poll: 10 * time.Millisecond, Batch: 100, Workers: 8})
		}
		start := time.Now()
		for _, d := range dispatchers {
			d.Start()
		}
		deadline := start.Add(5 * time.Minute)
		for rc.distinct() < want && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		took := time.Since(start)
		for _, d := range dispatchers {
			d.Stop()
		}
		if got := rc.distinct(); got < want {
			return 0, fmt.Errorf("%d of %d events arrived in 5 minutes", got-(want-events), events)
		}
		if dup := rc.duplicates.Load(); dup > 0 {
			return 0, fmt.Errorf("the receiver got %d events twice", dup)
		}
		return events / took.Seconds(), nil
	}

	step("%d events a round: %d writers insert them into the outbox, then two dispatchers send them", events, writers)
	c, err := alternate(insert, dispatch)
	if err != nil {
		return err
	}
	c.report("events dispatched by two replicas", "events/s", "none set; 1 would keep up with the writers")
	step("%d events received, none twice", rc.distinct())
	return nil
}

// countingReceiver is a webhook endpoint on loopback that counts distinct
// event ids and the deliveries of an id already seen.
type countingReceiver struct {
	mu         sync.Mutex
	seen       map[string]bool
	duplicates atomic.Int64
	srv        *httptest.Server
}

func newCountingReceiver() *countingReceiver {
	rc := &countingReceiver{seen: map[string]bool{}}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("webhook-id")
		rc.mu.Lock()
		if rc.seen[id] {
			rc.duplicates.Add(1)
		}
		rc.seen[id] = true
		rc.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	return rc
}

func (rc *countingReceiver) distinct() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.seen)
}
