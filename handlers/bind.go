package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

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
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil {
		if _, tokErr := dec.Token(); tokErr != io.EOF {
			return fmt.Errorf("trailing data after the JSON value: %w", errMalformed)
		}
		if hasNUL(body) {
			v := &models.ValidationError{}
			v.Add("", `text must not contain the NUL character (\u0000)`)
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
		v.Add(pointer(typ.Field), "must be of type "+jsonType(typ.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		v.Add("/"+name, "is not a field of this request")
	default:
		// An UnmarshalJSON of a value type (a date, a time) refused the value.
		v.Add("", err.Error())
	}
	return v
}

// hasNUL reports whether valid JSON holds a \u0000 escape. PostgreSQL text
// cannot store NUL and no field has a use for it, so it is refused as
// invalid rather than failing in the database.
func hasNUL(body []byte) bool {
	for i := 0; i < len(body); i++ {
		if body[i] != '\\' {
			continue
		}
		if bytes.HasPrefix(body[i+1:], []byte("u0000")) {
			return true
		}
		i++ // skip the escaped character, so \\u0000 is a backslash and text
	}
	return false
}

// rejectNUL answers 400 to a path or query holding a NUL character (%00),
// for the same reason.
func rejectNUL(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := c.Request().URL
		for _, s := range []string{u.Path, u.RawPath, u.RawQuery} {
			if strings.Contains(s, "%00") || strings.ContainsRune(s, 0) {
				return fmt.Errorf("the URL contains a NUL character: %w", errMalformed)
			}
		}
		return next(c)
	}
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
