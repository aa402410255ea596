package models

import (
	"errors"
	"strings"
)

// The project's error vocabulary. Use cases wrap these with context
// (fmt.Errorf("assign %s: %w", id, ErrConflict)); handlers map them to HTTP
// in exactly one table.
var (
	ErrNotFound     = errors.New("not found")
	ErrConflict     = errors.New("conflict")
	ErrForbidden    = errors.New("forbidden")
	ErrUnauthorized = errors.New("unauthorized")
	ErrInvalid      = errors.New("invalid")
	// ErrPrecondition: a stale If-Match version.
	ErrPrecondition = errors.New("precondition failed")
	// ErrMalformed: a part of the request that cannot be read at all (JSON
	// that does not parse, a cursor this API did not issue, a header that is
	// not UTF-8).
	ErrMalformed = errors.New("malformed request")
	// ErrUnavailable: the database connection was lost or the database would
	// not wait. Unless the connection was lost after a commit, nothing was
	// applied; a retry with the request's Idempotency-Key is safe either way.
	ErrUnavailable = errors.New("database unavailable")
)

// FieldError names one invalid field by JSON pointer.
type FieldError struct {
	Pointer string `json:"pointer"`
	Detail  string `json:"detail"`
}

// ValidationError is an ErrInvalid carrying field pointers.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string { return fieldsError("invalid", e.Fields) }

// fieldsError is the message of an error about fields: kind, then each
// field's pointer and detail.
func fieldsError(kind string, fields []FieldError) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = f.Pointer + ": " + f.Detail
	}
	return kind + ": " + strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrInvalid) true for validation errors.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Add records a field problem.
func (e *ValidationError) Add(pointer, detail string) {
	e.Fields = append(e.Fields, FieldError{Pointer: pointer, Detail: detail})
}

// Err returns nil when no field was invalid, so callers can write
// `return v.Err()` after their checks.
func (e *ValidationError) Err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// ConflictError is an ErrConflict naming the rule that was broken, so the
// client can tell "crew full" from "overlapping shift".
type ConflictError struct {
	Code   string
	Detail string
}

func (e *ConflictError) Error() string        { return e.Code + ": " + e.Detail }
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// Conflict builds a ConflictError.
func Conflict(code, detail string) error { return &ConflictError{Code: code, Detail: detail} }

// MalformedError is an ErrMalformed naming the parameter that could not be
// read ("/cursor", "/Idempotency-Key").
type MalformedError struct {
	Fields []FieldError
}

func (e *MalformedError) Error() string { return fieldsError("malformed", e.Fields) }

// Is makes errors.Is(err, ErrMalformed) true.
func (e *MalformedError) Is(target error) bool { return target == ErrMalformed }

// Malformed builds a MalformedError for one parameter.
func Malformed(pointer, detail string) error {
	return &MalformedError{Fields: []FieldError{{Pointer: pointer, Detail: detail}}}
}
