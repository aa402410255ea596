package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
)

// maxFieldProblems bounds the decoding passes of one request body.
const maxFieldProblems = 20

// decodeInvalid decodes like decode, but a well-formed body with field
// problems (unknown fields, values of the wrong type) is not the end: each
// problem is recorded and its field left out, and dst holds every other
// field, so that the rules' findings join them in one 422. The returned
// validation error collects the problems; only a malformed body, or a value
// that stops the decoding altogether, is an error here.
func decodeInvalid(c echo.Context, dst any) (*models.ValidationError, error) {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, fmt.Errorf("read body: %w", errMalformed)
	}
	v := &models.ValidationError{}
	for range maxFieldProblems {
		reflect.ValueOf(dst).Elem().SetZero()
		err := decodeBytes(body, dst)
		if err == nil {
			return v, nil
		}
		var ve *models.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Pointer == "" {
			return nil, err // malformed, or a value that stopped the decoding
		}
		v.Fields = append(v.Fields, ve.Fields[0])
		var ok bool
		if body, ok = withoutField(body, ve.Fields[0].Pointer); !ok {
			return nil, v
		}
	}
	return nil, v
}

// withoutField removes the member at a JSON pointer from a valid JSON
// document; the pointer passes through object members and array items
// ("/entries/2/break_minutes").
func withoutField(body []byte, pointer string) ([]byte, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // numbers pass through unchanged
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, false
	}
	names := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	parent := doc
	for _, name := range names[:len(names)-1] {
		switch node := parent.(type) {
		case map[string]any:
			parent = node[name]
		case []any:
			i, err := strconv.Atoi(name)
			if err != nil || i < 0 || i >= len(node) {
				return nil, false
			}
			parent = node[i]
		default:
			return nil, false
		}
	}
	obj, ok := parent.(map[string]any)
	last := names[len(names)-1]
	if !ok {
		return nil, false
	}
	if _, ok := obj[last]; !ok {
		return nil, false
	}
	delete(obj, last)
	out, err := json.Marshal(doc)
	return out, err == nil
}
