package models

import (
	"errors"
	"strings"
)

// Merge adds the field problems of err, if it is a validation error, to e,
// leaving out a field already reported (or one under it: "/schedule" covers
// "/schedule/kind"), so that one answer lists every problem of a request
// once. Any other error is returned as is; Merge returns nil otherwise.
func (e *ValidationError) Merge(err error) error {
	var ve *ValidationError
	if err == nil {
		return nil
	}
	if !errors.As(err, &ve) {
		return err
	}
	for _, f := range ve.Fields {
		if !e.covers(f.Pointer) {
			e.Fields = append(e.Fields, f)
		}
	}
	return nil
}

func (e *ValidationError) covers(pointer string) bool {
	for _, f := range e.Fields {
		if f.Pointer == pointer || (f.Pointer != "" && strings.HasPrefix(pointer, f.Pointer+"/")) {
			return true
		}
	}
	return false
}

// With reports err together with the problems already in e (those a handler
// found while decoding the request): a validation error's fields join e's,
// and the result is e as an error, nil only when e has no problems and err
// is nil. Any other error passes through. A nil e is just err.
func (e *ValidationError) With(err error) error {
	if e == nil {
		return err
	}
	if err := e.Merge(err); err != nil {
		return err
	}
	return e.Err()
}
