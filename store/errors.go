package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"jobcenter/models"
)

// PostgreSQL SQLSTATE codes the service reacts to.
const (
	pgUniqueViolation      = "23505"
	pgForeignKeyViolation  = "23503"
	pgCheckViolation       = "23514"
	pgNotNullViolation     = "23502"
	pgExclusionViolation   = "23P01"
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
	pgLockNotAvailable     = "55P03" // lock_timeout, NOWAIT
	pgQueryCanceled        = "57014" // statement_timeout
	pgAdminShutdown        = "57P01" // pg_terminate_backend, smart/fast shutdown
	pgCrashShutdown        = "57P02"
	pgCannotConnectNow     = "57P03" // starting up, in recovery
	pgIdleSessionTimeout   = "57P05"
	pgConnectionClass      = "08" // connection_exception and its subclasses
)

// ConnectionLost reports whether err means the database connection went away
// under the statement: the server terminated the backend (failover, restart,
// an administrator), the socket broke, or the pool handed out a dead
// connection. The statement may or may not have been applied; database/sql
// discards such a connection, so a fresh one serves the next attempt.
func ConnectionLost(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case pgAdminShutdown, pgCrashShutdown, pgCannotConnectNow, pgIdleSessionTimeout:
			return true
		}
		return strings.HasPrefix(pg.Code, pgConnectionClass)
	}
	var (
		connect *pgconn.ConnectError
		netErr  net.Error
	)
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.As(err, &connect) || (errors.As(err, &netErr) && !errors.Is(err, context.Canceled))
}

// timedOut reports a database that would not wait longer: a PostgreSQL lock
// or statement timeout, or a SQLite connection whose busy_timeout ran out
// while another connection held the write lock.
func timedOut(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == pgLockNotAvailable || pg.Code == pgQueryCanceled
	}
	return sqliteBusy(err)
}

// sqliteBusy reports SQLITE_BUSY ("database is locked"). With BEGIN
// IMMEDIATE and WAL that is a BEGIN whose busy_timeout ran out while another
// connection held the write lock: once begun, a transaction holds the lock,
// and nothing up to its COMMIT waits for another one.
func sqliteBusy(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "SQLITE_BUSY")
}

// Unavailable marks a lost connection or a database timeout as
// models.ErrUnavailable (503 with Retry-After), keeping the driver's error
// for the log; other errors pass unchanged. Reads that do not run in WithTx
// meet it in the HTTP layer's error handler.
func Unavailable(err error) error {
	switch {
	case errors.Is(err, models.ErrUnavailable):
		return err
	case ConnectionLost(err):
		return fmt.Errorf("%w: the database connection was lost: %w", models.ErrUnavailable, err)
	case timedOut(err):
		return fmt.Errorf("%w: the database is busy: %w", models.ErrUnavailable, err)
	}
	return err
}

// retryable reports a PostgreSQL transaction that lost to a concurrent one
// (deadlock, serialization failure); running it again normally succeeds.
// Timeouts are not retried: the database already waited as long as it was
// told to (lock_timeout, statement_timeout, SQLite's busy_timeout, which
// SQLite spends retrying the lock itself), and another attempt would make the
// client wait that long again for a lock that is evidently held for long.
func retryable(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == pgSerializationFailure || pg.Code == pgDeadlockDetected)
}

// Translate maps database constraint violations to the sentinel errors of
// package models, keeping the original error for the log. Use cases check
// their rules first and answer with precise errors; these constraints are the
// last line of defence against concurrent requests, and what they catch must
// still be a 409/422, never a 500.
func Translate(err error) error {
	if err == nil {
		return nil
	}
	if err := Unavailable(err); errors.Is(err, models.ErrUnavailable) {
		return err
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case pgUniqueViolation:
			return fmt.Errorf("%w (%s)", models.Conflict("duplicate", "the object already exists"), pg.ConstraintName)
		case pgExclusionViolation:
			return fmt.Errorf("%w (%s)", models.Conflict("overlapping_shift", "the person is already on an overlapping shift"), pg.ConstraintName)
		case pgForeignKeyViolation:
			if strings.Contains(pg.Message, "update or delete") {
				return fmt.Errorf("%w (%s)", models.Conflict("in_use", "the object is still referenced"), pg.ConstraintName)
			}
			return fmt.Errorf("a referenced object does not exist: %w", models.ErrInvalid)
		case pgCheckViolation, pgNotNullViolation:
			return fmt.Errorf("a value is outside what the stored data allows: %w", models.ErrInvalid)
		}
		return err
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "UNIQUE constraint failed"):
		return fmt.Errorf("%w (%s)", models.Conflict("duplicate", "the object already exists"), msg)
	case strings.Contains(msg, "FOREIGN KEY constraint failed"):
		return fmt.Errorf("referenced object does not exist or is still referenced: %w", models.ErrInvalid)
	case strings.Contains(msg, "CHECK constraint failed"), strings.Contains(msg, "NOT NULL constraint failed"):
		return fmt.Errorf("a value is outside what the stored data allows: %w", models.ErrInvalid)
	}
	return err
}
