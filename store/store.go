// Package store opens the database (PostgreSQL in production, embedded
// pure-Go SQLite by default), applies the frozen per-dialect migrations, runs
// use cases in transactions and translates constraint violations into the
// sentinel errors of package models.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	neturl "net/url"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"jobcenter/models"
)

// Dialects.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// DB is an open database with its dialect.
type DB struct {
	Gorm    *gorm.DB
	SQL     *sql.DB
	Dialect string
	path    string // SQLite file, for the migration lock
	maxIdle int    // the pool's idle connections, restored by DropIdle
}

// Open connects to a JOBCENTER_DATABASE_URL: postgres://… or
// sqlite://PATH[?busy_timeout=DURATION] (sqlite://:memory: keeps everything
// in one connection).
func Open(url string, log *slog.Logger) (*DB, error) {
	cfg := &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true, // every write already runs in WithTx
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	var (
		d    = &DB{}
		dial gorm.Dialector
	)
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		d.Dialect = Postgres
		dial = postgres.Open(url)
	case strings.HasPrefix(url, "sqlite://"):
		d.Dialect = SQLite
		var (
			busy time.Duration
			err  error
		)
		if d.path, busy, err = parseSQLiteURL(strings.TrimPrefix(url, "sqlite://")); err != nil {
			return nil, fmt.Errorf("open database: %w", err)
		}
		dial = sqlite.Open(sqliteDSN(d.path, busy))
	default:
		return nil, fmt.Errorf("open database: unsupported URL scheme in %q (want postgres:// or sqlite://)", redact(url))
	}
	g, err := gorm.Open(dial, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", d.Dialect, err)
	}
	d.Gorm = g
	if d.SQL, err = g.DB(); err != nil {
		return nil, fmt.Errorf("open %s database: %w", d.Dialect, err)
	}
	switch {
	case d.Dialect == Postgres:
		d.maxIdle = 40
		d.SQL.SetMaxOpenConns(40)
		d.SQL.SetMaxIdleConns(d.maxIdle)
		d.SQL.SetConnMaxIdleTime(5 * time.Minute)
	case d.path == ":memory:":
		// Every SQLite connection to :memory: is a separate database.
		d.SQL.SetMaxOpenConns(1)
	default:
		d.SQL.SetMaxOpenConns(8)
	}
	if err := d.SQL.Ping(); err != nil {
		d.SQL.Close()
		return nil, fmt.Errorf("ping %s database: %w", d.Dialect, err)
	}
	if log != nil {
		log.Info("database open", "dialect", d.Dialect)
	}
	return d, nil
}

// defaultBusyTimeout is how long a SQLite transaction waits at BEGIN for
// another connection's write lock before the request answers 503. Write
// transactions are short; one held this long is a long run (a billing run)
// or stuck, and the client is better told to retry than kept waiting.
const defaultBusyTimeout = 10 * time.Second

// parseSQLiteURL splits what follows sqlite:// into the file and the busy
// timeout, which the query parameter busy_timeout (a Go duration such as
// 250ms) may set; tests set a short one to meet a held lock quickly.
func parseSQLiteURL(rest string) (path string, busy time.Duration, err error) {
	path, query, _ := strings.Cut(rest, "?")
	if path == "" {
		return "", 0, fmt.Errorf("sqlite:// needs a path")
	}
	params, err := neturl.ParseQuery(query)
	if err != nil {
		return "", 0, fmt.Errorf("sqlite URL parameters: %w", err)
	}
	busy = defaultBusyTimeout
	for name, values := range params {
		if name != "busy_timeout" || len(values) != 1 {
			return "", 0, fmt.Errorf("sqlite URL parameter %q: only one busy_timeout is supported", name)
		}
		if busy, err = time.ParseDuration(values[0]); err != nil || busy < 0 {
			return "", 0, fmt.Errorf("sqlite URL parameter busy_timeout=%q: want a duration such as 250ms", values[0])
		}
	}
	return path, busy, nil
}

// sqliteDSN turns on what the service relies on: foreign keys, WAL so that
// readers do not block the writer, a busy timeout, and BEGIN IMMEDIATE so that
// a write transaction takes the write lock at its start (two staffing
// transactions never read the same state and then both write).
//
// The DSN must not name _time_format: github.com/glebarez/go-sqlite (v1.21.2,
// and still v1.23.0) returns from reading the parameters as soon as it has
// applied _time_format, whatever their order, so _txlock would be ignored and
// every transaction would begin DEFERRED. The driver's default time format is
// already the one _time_format=sqlite names (SQLite's time value format 7 with
// its zone offset); TestSQLiteStoresTimesInSQLiteFormat holds it to that.
func sqliteDSN(path string, busy time.Duration) string {
	p := "file:" + path
	if path == ":memory:" {
		p = ":memory:"
	}
	return p + fmt.Sprintf("?_pragma=foreign_keys(1)&_pragma=busy_timeout(%d)", busy.Milliseconds()) +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
}

func redact(url string) string {
	if i := strings.Index(url, "@"); i > 0 {
		if j := strings.Index(url, "://"); j > 0 && j < i {
			return url[:j+3] + "…" + url[i:]
		}
	}
	return url
}

// Close closes the connection pool.
func (d *DB) Close() error { return d.SQL.Close() }

// DropIdle closes the pool's idle connections. A lost connection is seldom
// alone: a failover or restart ends every backend, and the idle connections
// would fail the next statements one by one. Only the PostgreSQL pool is
// emptied; SQLite connections are files that are not lost.
func (d *DB) DropIdle() {
	if d.maxIdle == 0 {
		return
	}
	d.SQL.SetMaxIdleConns(0)
	d.SQL.SetMaxIdleConns(d.maxIdle)
}

// Ping checks the database answers.
func (d *DB) Ping(ctx context.Context) error { return d.SQL.PingContext(ctx) }

// maxAttempts bounds the retries of a PostgreSQL transaction that lost a
// deadlock or a serialization check (retryable). A SQLite transaction is not
// retried when BEGIN IMMEDIATE met the write lock held: SQLite has already
// retried the lock for the whole busy_timeout, and six such waits would hold
// a request for a minute. So a request waits at most one busy_timeout for the
// lock, then answers 503 with Retry-After.
const maxAttempts = 6

// WithTx runs fn in one transaction, committing when fn returns nil. A
// transaction that failed only because of a concurrent one (deadlock,
// serialization failure) is retried from the start a bounded number of times;
// fn must therefore not have side effects outside tx.
// Constraint violations come back as models sentinel errors, a lost
// connection or a database that would not wait (a lock or statement timeout,
// the SQLite write lock held past busy_timeout) as models.ErrUnavailable,
// after the transaction rolled back. A hook that ctx carries (WithTxHook)
// runs after fn, in the same transaction.
func (d *DB) WithTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if hook, ok := ctx.Value(txHookKey{}).(func(*gorm.DB) error); ok {
		fn = thenHook(fn, hook)
	}
	var err error
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		err = d.Gorm.WithContext(ctx).Transaction(fn)
		if err == nil || !retryable(err) || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Duration(attempt*attempt)*5*time.Millisecond + time.Duration(rand.IntN(10))*time.Millisecond)
	}
	return Translate(err)
}

// txHookKey is the context key of WithTxHook.
type txHookKey struct{}

// WithTxHook returns a context in which every transaction (WithTx, and so
// WithTenantLock) runs hook last, inside the transaction, once its own work
// has succeeded: what hook writes commits if and only if that work does. The
// HTTP layer marks a request's Idempotency-Key applied this way, so a retry
// can tell a write that committed, even when its answer was lost. Every use
// case writes through WithTx, which makes the mark complete.
func WithTxHook(ctx context.Context, hook func(tx *gorm.DB) error) context.Context {
	return context.WithValue(ctx, txHookKey{}, hook)
}

func thenHook(fn, hook func(tx *gorm.DB) error) func(tx *gorm.DB) error {
	return func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		return hook(tx)
	}
}

// LockTenant serialises work of one kind for one tenant inside a transaction:
// a PostgreSQL advisory transaction lock; SQLite transactions are already
// serialised by BEGIN IMMEDIATE.
func (d *DB) LockTenant(tx *gorm.DB, purpose, tenantID string) error {
	if d.Dialect != Postgres {
		return nil
	}
	if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtext(?))", LockKey(purpose, tenantID)).Error; err != nil {
		return fmt.Errorf("lock %s for tenant: %w", purpose, err)
	}
	return nil
}

// WorkMem raises PostgreSQL's memory for sorts and hashes for the rest of
// the transaction: a billing run aggregates a month of hours at once.
func (d *DB) WorkMem(tx *gorm.DB, size string) error {
	if d.Dialect != Postgres {
		return nil
	}
	if err := tx.Exec("SET LOCAL work_mem = '" + size + "'").Error; err != nil {
		return fmt.Errorf("work_mem: %w", err)
	}
	return nil
}

// ForUpdate adds a row lock (SELECT … FOR UPDATE) on PostgreSQL; SQLite holds
// the database write lock for the whole immediate transaction instead.
func (d *DB) ForUpdate(tx *gorm.DB) *gorm.DB {
	if d.Dialect == Postgres {
		return tx.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return tx
}

// ErrNoRows is gorm's not-found, re-exported so use cases need not import gorm
// just to test for it.
var ErrNoRows = gorm.ErrRecordNotFound

// NotFound turns gorm's record-not-found into models.ErrNotFound with context.
func NotFound(err error, what string) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("%s: %w", what, models.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("load %s: %w", what, err)
	}
	return nil
}
