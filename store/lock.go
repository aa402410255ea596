package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"
)

// ErrLockHeld is the answer of WithTenantLock when another transaction holds
// the lock: the caller says what is in progress (a 409 with its own code).
var ErrLockHeld = errors.New("the lock is held by another transaction")

// LockKey is the text of a tenant's lock for one kind of work; PostgreSQL
// advisory locks take its hashtext.
func LockKey(purpose, tenantID string) string { return purpose + ":" + tenantID }

// sqliteHeld holds the try-locks of SQLite databases opened by this process,
// by file and key. A SQLite file has one writing process, so an in-process
// lock is the whole lock; a writer in another process still waits for
// BEGIN IMMEDIATE's write lock.
var sqliteHeld sync.Map

// WithTenantLock runs fn in one transaction (WithTx) holding the tenant's
// lock for purpose, or returns ErrLockHeld at once when another transaction
// holds it, instead of queueing behind it: a run whose client died holds its
// PostgreSQL lock until the server ends its statement, and a second request
// must not hang meanwhile. PostgreSQL takes pg_try_advisory_xact_lock inside
// the transaction, released at its end however it ends.
func (d *DB) WithTenantLock(ctx context.Context, purpose, tenantID string, fn func(tx *gorm.DB) error) error {
	key := LockKey(purpose, tenantID)
	if d.Dialect != Postgres {
		held := d.path + "\x00" + key
		if _, busy := sqliteHeld.LoadOrStore(held, struct{}{}); busy {
			return fmt.Errorf("lock %s: %w", purpose, ErrLockHeld)
		}
		defer sqliteHeld.Delete(held)
		return d.WithTx(ctx, fn)
	}
	return d.WithTx(ctx, func(tx *gorm.DB) error {
		var got bool
		if err := tx.Raw("SELECT pg_try_advisory_xact_lock(hashtext(?))", key).Scan(&got).Error; err != nil {
			return fmt.Errorf("lock %s for tenant: %w", purpose, err)
		}
		if !got {
			return fmt.Errorf("lock %s: %w", purpose, ErrLockHeld)
		}
		return fn(tx)
	})
}

// Timeouts bound the rest of a PostgreSQL transaction (SET LOCAL): how long
// one statement may wait for a row lock, run, and how long the transaction
// may sit idle between statements. A backend whose client died keeps its
// locks until the server notices; these bound that time. A timeout answers
// 503 (models.ErrUnavailable). SQLite waits for its write lock by
// busy_timeout instead.
func (d *DB) Timeouts(tx *gorm.DB, lock, statement, idle time.Duration) error {
	if d.Dialect != Postgres {
		return nil
	}
	for name, v := range map[string]time.Duration{"lock_timeout": lock, "statement_timeout": statement,
		"idle_in_transaction_session_timeout": idle} {
		if err := tx.Exec(fmt.Sprintf("SET LOCAL %s = %d", name, v.Milliseconds())).Error; err != nil {
			return fmt.Errorf("set %s: %w", name, err)
		}
	}
	return nil
}
