package handlers

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
	"jobcenter/store"
)

// maxQueryValue bounds a query parameter's value: the longest real one is a
// cursor (store refuses those over 512 characters itself).
const maxQueryValue = 1024

// checkInput refuses, before any handler or SQL sees them, the parts of the
// URL that cannot be meant: a NUL anywhere in it (400; PostgreSQL text cannot
// hold one), a query value that is not UTF-8, too long, or (for *_id) not
// shaped like an id (400 naming the parameter), and a path id that is not
// shaped like an id (404: it names no object, as an unknown id does).
func checkInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := c.Request().URL
		for _, s := range []string{u.Path, u.RawPath, u.RawQuery} {
			if strings.Contains(s, "%00") || strings.ContainsRune(s, 0) {
				return fmt.Errorf("the URL contains a NUL character: %w", errMalformed)
			}
		}
		for name, values := range c.QueryParams() {
			if err := checkQuery(name, values); err != nil {
				return err
			}
		}
		for i, name := range c.ParamNames() {
			v := c.ParamValues()[i]
			if !utf8.ValidString(v) || ((name == "id" || name == "aid") && !store.ValidID(v)) {
				return fmt.Errorf("path %s %q: %w", name, v, models.ErrNotFound)
			}
		}
		return next(c)
	}
}

func checkQuery(name string, values []string) error {
	ptr := "/" + name
	if !utf8.ValidString(name) {
		return fmt.Errorf("a query parameter name is not UTF-8: %w", errMalformed)
	}
	for _, v := range values {
		switch {
		case !utf8.ValidString(v):
			return models.Malformed(ptr, "is not valid UTF-8 text")
		case len(v) > maxQueryValue:
			return models.Malformed(ptr, fmt.Sprintf("is longer than %d characters", maxQueryValue))
		case strings.HasSuffix(name, "_id") && v != "" && !store.ValidID(v):
			return models.Malformed(ptr, "is not an id this API returned")
		}
	}
	return nil
}

// maxIdempotencyKey is the longest Idempotency-Key kept; a UUID is 36.
const maxIdempotencyKey = 255

// checkIdempotencyKey accepts what the Idempotency-Key draft allows (a
// structured-field string: printable ASCII), at most 255 characters. The key
// is stored and compared in SQL, so bytes outside that (invalid UTF-8, control
// characters) are a 400 naming the header, not a database error.
func checkIdempotencyKey(key string) error {
	if len(key) > maxIdempotencyKey {
		return models.Malformed("/Idempotency-Key", fmt.Sprintf("must be at most %d characters", maxIdempotencyKey))
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return models.Malformed("/Idempotency-Key", "must be printable ASCII text, such as a UUID")
		}
	}
	return nil
}

// isRead is a request that changes nothing and may run again.
func isRead(r *http.Request) bool { return r.Method == http.MethodGet || r.Method == http.MethodHead }

// retryReads runs a GET or HEAD once more when its database connection was
// lost under it (the server terminated the backend: failover, restart, an
// administrator), after dropping the pool's idle connections, which died with
// it: the second attempt gets a fresh connection. If that fails too, the
// error handler answers 503 with Retry-After. Writes are never run twice
// here: the client retries them, safely with an Idempotency-Key.
func (a *API) retryReads(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil || c.Response().Committed || c.Request().Context().Err() != nil || !store.ConnectionLost(err) {
			return err
		}
		a.DB.DropIdle()
		if !isRead(c.Request()) {
			return err
		}
		return next(c)
	}
}
