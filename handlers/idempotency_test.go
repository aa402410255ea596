package handlers_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"jobcenter/apitest"
	"jobcenter/auth"
	"jobcenter/clock"
	"jobcenter/handlers"
	"jobcenter/models"
	"jobcenter/store"
)

// idemWorld is the Idempotency-Key middleware over a database, serving one
// route, POST /write, whose handler the test gives. Its writes go through
// store.DB.WithTx, as every use case's do.
type idemWorld struct {
	db    *store.DB
	clock *clock.Settable
	e     *echo.Echo
	calls atomic.Int32
}

// idemHandler is the route's handler; call counts its runs from 1.
type idemHandler func(w *idemWorld, c echo.Context, call int) error

func newIdemWorld(t *testing.T, db *store.DB, h idemHandler) *idemWorld {
	t.Helper()
	w := &idemWorld{db: db, clock: &clock.Settable{}}
	w.clock.Set(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	a := &handlers.API{DB: db, Clock: w.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	w.e = handlers.IdempotentServer(a, auth.Principal{TenantID: "t-" + store.NewID(), UserID: "u-1", Role: models.RoleAdmin})
	w.e.POST("/write", func(c echo.Context) error { return h(w, c, int(w.calls.Add(1))) })
	return w
}

// post sends POST /write with the key and a body naming what to write.
func (w *idemWorld) post(key, name string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/write", strings.NewReader(fmt.Sprintf(`{"name":%q}`, name)))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	req.Header.Set("Idempotency-Key", key)
	rec := httptest.NewRecorder()
	w.e.ServeHTTP(rec, req)
	return rec
}

// write stores a tenant named after the request's name and the call, in one
// transaction of the request's context.
func (w *idemWorld) write(c echo.Context, call int) error {
	var in struct{ Name string }
	if err := json.NewDecoder(c.Request().Body).Decode(&in); err != nil {
		return err
	}
	return w.db.WithTx(c.Request().Context(), func(tx *gorm.DB) error {
		return tx.Exec("INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)",
			store.NewID(), fmt.Sprintf("%s #%d", in.Name, call), w.clock.Now()).Error
	})
}

// written counts the tenants the requests named name wrote.
func (w *idemWorld) written(t *testing.T, name string) int64 {
	t.Helper()
	var n int64
	if err := w.db.Gorm.Raw("SELECT count(*) FROM tenants WHERE name LIKE ?", name+" #%").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// expect fails unless rec has the status and, for a problem, the code.
func expect(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	if code == "" {
		return
	}
	var p struct{ Code string }
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Code != code {
		t.Fatalf("code %q (%v), want %q: %s", p.Code, err, code, rec.Body)
	}
}

// A request whose write committed and which then failed (its answer lost
// with the database connection, or a fault after the write) is never run
// again by a retry with its key: the retry answers 409 request_applied, also
// once the claim is old, and the write exists once.
func TestIdempotencyRetryAfterCommittedWriteFails(t *testing.T) {
	_, db := apitest.OpenDB(t, true)
	for _, fault := range []struct {
		name   string
		err    error
		status int
	}{
		{"lost answer", fmt.Errorf("send the answer: %w", models.ErrUnavailable), http.StatusServiceUnavailable},
		{"fault after the write", errors.New("render the answer: broken template"), http.StatusInternalServerError},
	} {
		t.Run(fault.name, func(t *testing.T) {
			w := newIdemWorld(t, db, func(w *idemWorld, c echo.Context, call int) error {
				if err := w.write(c, call); err != nil {
					return err
				}
				return fault.err
			})
			expect(t, w.post("k", fault.name), fault.status, "")
			expect(t, w.post("k", fault.name), http.StatusConflict, "request_applied")
			w.clock.Set(w.clock.Now().Add(handlers.IdempotencyAbandoned + time.Minute))
			expect(t, w.post("k", fault.name), http.StatusConflict, "request_applied")
			if calls, n := w.calls.Load(), w.written(t, fault.name); calls != 1 || n != 1 {
				t.Fatalf("the handler ran %d times and wrote %d rows, want once and 1", calls, n)
			}
		})
	}
}

// A request whose transaction rolled back before its 5xx applied nothing:
// its key is free, the retry runs and its answer is then replayed.
func TestIdempotencyRetryAfterRolledBackFailureRuns(t *testing.T) {
	_, db := apitest.OpenDB(t, true)
	w := newIdemWorld(t, db, func(w *idemWorld, c echo.Context, call int) error {
		if call == 1 {
			err := w.db.WithTx(c.Request().Context(), func(tx *gorm.DB) error {
				if err := tx.Exec("INSERT INTO tenants (id, name, created_at) VALUES (?, 'Rolled back #1', ?)", store.NewID(), w.clock.Now()).Error; err != nil {
					return err
				}
				return fmt.Errorf("the connection broke: %w", models.ErrUnavailable)
			})
			return err
		}
		if err := w.write(c, call); err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, map[string]int{"call": call})
	})
	expect(t, w.post("k", "Rolled back"), http.StatusServiceUnavailable, "")
	retry := w.post("k", "Rolled back")
	expect(t, retry, http.StatusCreated, "")
	again := w.post("k", "Rolled back")
	expect(t, again, http.StatusCreated, "")
	if again.Header().Get("Idempotent-Replayed") != "true" || again.Body.String() != retry.Body.String() {
		t.Fatalf("second retry %s (replayed %q), want the replay of %s", again.Body, again.Header().Get("Idempotent-Replayed"), retry.Body)
	}
	if calls, n := w.calls.Load(), w.written(t, "Rolled back"); calls != 2 || n != 1 {
		t.Fatalf("the handler ran %d times and wrote %d rows, want twice and 1", calls, n)
	}
}

// A claim left without an answer or a change for longer than
// IdempotencyAbandoned (its process died) is taken over by a retry; if the
// first request was only slow, its write can no longer commit.
func TestAbandonedIdempotencyClaimIsTakenOver(t *testing.T) {
	_, db := apitest.OpenDB(t, true)
	entered, release := make(chan struct{}), make(chan struct{})
	w := newIdemWorld(t, db, func(w *idemWorld, c echo.Context, call int) error {
		if call == 1 {
			close(entered)
			<-release
		}
		if err := w.write(c, call); err != nil {
			return err
		}
		return c.JSON(http.StatusCreated, map[string]int{"call": call})
	})
	start := w.clock.Now()
	first := make(chan *httptest.ResponseRecorder)
	go func() { first <- w.post("k", "Slow") }()
	<-entered

	w.clock.Set(start.Add(handlers.IdempotencyAbandoned - time.Minute))
	expect(t, w.post("k", "Slow"), http.StatusConflict, "request_in_progress")
	w.clock.Set(start.Add(handlers.IdempotencyAbandoned + time.Minute))
	expect(t, w.post("k", "Another body"), http.StatusUnprocessableEntity, "")
	takeover := w.post("k", "Slow")
	expect(t, takeover, http.StatusCreated, "")

	close(release)
	expect(t, <-first, http.StatusConflict, "request_in_progress")
	if calls, n := w.calls.Load(), w.written(t, "Slow"); calls != 2 || n != 1 {
		t.Fatalf("the handler ran %d times and wrote %d rows, want twice and 1", calls, n)
	}
	replay := w.post("k", "Slow")
	expect(t, replay, http.StatusCreated, "")
	if replay.Body.String() != takeover.Body.String() {
		t.Fatalf("replay %s, want the taking-over request's answer %s", replay.Body, takeover.Body)
	}
}
