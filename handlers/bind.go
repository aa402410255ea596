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
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
)

// decode reads a JSON request body into dst strictly: malformed JSON is a
// 400, an unknown field or a wrong type a 422 naming the field (no mass
// assignment: dst is a request DTO, never a persisted model).
func decode(c echo.Context, dst any) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return fmt.Errorf("read body: %w", errMalformed)
	}
	return decodeBytes(body, dst)
}

func decodeBytes(body []byte, dst any) error {
	if !utf8.Valid(body) {
		// encoding/json would store replacement characters in its place.
		return models.Malformed("", "the body is not valid UTF-8 (JSON text must be UTF-8)")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil {
		if _, tokErr := dec.Token(); tokErr != io.EOF {
			return fmt.Errorf("trailing data after the JSON value: %w", errMalformed)
		}
		if detail := badEscape(body); detail != "" {
			v := &models.ValidationError{}
			v.Add("", detail)
			return v
		}
		return nil
	}
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	v := &models.ValidationError{}
	switch {
	case errors.As(err, &syntax), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("body is not valid JSON: %v: %w", err, errMalformed)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Errorf("body must be a JSON object: %w", errMalformed)
		}
		at, ok := problemPointer(body, reflect.TypeOf(dst), typ.Offset, "")
		if !ok {
			at = pointer(typ.Field)
		}
		v.Add(at, "must be of type "+jsonType(typ.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		at, ok := problemPointer(body, reflect.TypeOf(dst), 0, name)
		if !ok {
			at = "/" + name
		}
		v.Add(at, "is not a field of this request")
	case errors.As(err, new(*models.ValidationError)):
		// An UnmarshalJSON that names its field (a period) refused the value.
		return err
	default:
		// An UnmarshalJSON of a value type (a date, a time) refused the value.
		v.Add("", err.Error())
	}
	return v
}

// badEscape explains a \u escape in valid JSON that decodes to no storable
// text: \u0000 (PostgreSQL text cannot hold NUL and no field has a use for
// it) or half of a UTF-16 surrogate pair (encoding/json would store a
// replacement character). "" when there is none.
func badEscape(body []byte) string {
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' {
			continue
		}
		if body[i+1] != 'u' { // valid JSON: an escape is never the last byte
			i++ // skip the escaped character, so \\u0000 is a backslash and text
			continue
		}
		switch r := hex4(body[i+2 : i+6]); {
		case r == 0:
			return `text must not contain the NUL character (\u0000)`
		case r >= 0xd800 && r < 0xdc00 && bytes.HasPrefix(body[i+6:], []byte(`\u`)) && isLowSurrogate(hex4(body[i+8:i+12])):
			i += 11 // a whole pair
		case r >= 0xd800 && r < 0xe000:
			return "text must not contain half of a UTF-16 surrogate pair (" + string(body[i:i+6]) + ")"
		default:
			i += 5
		}
	}
	return ""
}

func isLowSurrogate(r rune) bool { return r >= 0xdc00 && r < 0xe000 }

// hex4 reads the four hex digits of a \u escape of valid JSON.
func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		}
	}
	return r
}

func pointer(field string) string { return "/" + strings.ReplaceAll(field, ".", "/") }

func jsonType(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"):
		return "integer"
	case strings.HasPrefix(kind, "float"):
		return "number"
	case kind == "slice", kind == "array":
		return "array"
	case kind == "struct", kind == "map", kind == "ptr":
		return "object"
	}
	return kind
}

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	return enc.Encode(v)
}
