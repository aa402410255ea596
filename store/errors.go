package store

import (
	"errors"
	"fmt"
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
)

func retryable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == pgSerializationFailure || pg.Code == pgDeadlockDetected
	}
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "SQLITE_BUSY")
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
