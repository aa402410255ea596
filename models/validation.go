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
