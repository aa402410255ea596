package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
	"jobcenter/store"
)

// problem is an RFC 9457 problem document.
type problem struct {
	Type   string              `json:"type"`
	Title  string              `json:"title"`
	Status int                 `json:"status"`
	Detail string              `json:"detail,omitempty"`
	Code   string              `json:"code,omitempty"`
	Errors []models.FieldError `json:"errors,omitempty"`
}

// Errors that only the HTTP layer knows.
var (
	errMalformed            = models.ErrMalformed
	errPreconditionRequired = errors.New("If-Match header is required")
)

// tooManyError is a login blocked by the rate limiter.
type tooManyError struct{ retryAfter time.Duration }

func (e *tooManyError) Error() string { return "too many failed attempts" }

// errorStatus is the one table mapping the error vocabulary to HTTP.
var errorStatus = []struct {
	err    error
	status int
	slug   string
}{
	{errMalformed, http.StatusBadRequest, "malformed"},
	{models.ErrUnauthorized, http.StatusUnauthorized, "unauthorized"},
	{models.ErrForbidden, http.StatusForbidden, "forbidden"},
	{models.ErrNotFound, http.StatusNotFound, "not-found"},
	{models.ErrConflict, http.StatusConflict, "conflict"},
	{models.ErrPrecondition, http.StatusPreconditionFailed, "precondition-failed"},
	{errPreconditionRequired, http.StatusPreconditionRequired, "precondition-required"},
	{models.ErrInvalid, http.StatusUnprocessableEntity, "validation"},
	{models.ErrUnavailable, http.StatusServiceUnavailable, "unavailable"},
}

// retryAfterUnavailable is the Retry-After of a 503: a terminated connection
// is replaced at once, a failover takes seconds.
const retryAfterUnavailable = "2"

// errorHandler renders every error as application/problem+json. Only an error
// outside the vocabulary is a 500; its text is logged, not shown.
func (a *API) errorHandler() echo.HTTPErrorHandler {
	log := a.Log
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		err = store.Unavailable(err)
		p := toProblem(err)
		// The type is absolute and resolves to the page explaining it.
		p.Type = a.problemTypeBase(c) + "/problems/" + p.Type
		if p.Status == http.StatusInternalServerError || p.Status == http.StatusServiceUnavailable {
			log.Error("request failed", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method, "path", c.Path(), "error", err)
		}
		var tm *tooManyError
		if errors.As(err, &tm) {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(tm.retryAfter.Seconds())+1))
		}
		if p.Status == http.StatusServiceUnavailable {
			c.Response().Header().Set("Retry-After", retryAfterUnavailable)
		}
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		c.Response().WriteHeader(p.Status)
		_ = jsonEncode(c.Response(), p)
	}
}

// echoSlugs are the problem types of the errors Echo itself answers with.
var echoSlugs = map[int]string{
	http.StatusBadRequest:            "malformed",
	http.StatusUnauthorized:          "unauthorized",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not-found",
	http.StatusMethodNotAllowed:      "method-not-allowed",
	http.StatusRequestEntityTooLarge: "too-large",
}

// toProblem maps an error to its problem document; Type is the problem's
// code, which the error handler makes an absolute URI.
func toProblem(err error) problem {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		slug, ok := echoSlugs[he.Code]
		if !ok { // another status Echo answers a request it cannot take
			slug = "malformed"
			if he.Code >= 500 {
				slug = "internal-error"
			}
		}
		return problem{Type: slug, Title: http.StatusText(he.Code), Status: he.Code, Detail: http.StatusText(he.Code)}
	}
	var tm *tooManyError
	if errors.As(err, &tm) {
		return problem{Type: "rate-limited", Title: "Too Many Requests", Status: http.StatusTooManyRequests,
			Detail: "too many failed login attempts; try again later"}
	}
	for _, e := range errorStatus {
		if !errors.Is(err, e.err) {
			continue
		}
		// The detail is the error's own words, without the vocabulary word
		// it wraps (": invalid"), which the status already says.
		p := problem{Type: e.slug, Title: http.StatusText(e.status), Status: e.status,
			Detail: withoutWord(err.Error(), e.err.Error())}
		var (
			ve *models.ValidationError
			me *models.MalformedError
		)
		if errors.As(err, &ve) {
			for _, f := range ve.Fields {
				p.Errors = append(p.Errors, models.FieldError{Pointer: f.Pointer, Detail: withoutWord(f.Detail, e.err.Error())})
			}
			p.Detail = validationDetail(p.Errors)
		}
		if errors.As(err, &me) {
			p.Errors = me.Fields
		}
		var ce *models.ConflictError
		if errors.As(err, &ce) {
			p.Type, p.Code = ce.Code, ce.Code
			p.Detail = ce.Detail
		}
		if e.err == models.ErrUnavailable {
			// The driver's text is for the log, not the client.
			p.Detail = "the database connection was lost or the database is busy; retry after the Retry-After seconds " +
				"(a POST is safe to retry with the same Idempotency-Key)"
		}
		return p
	}
	return problem{Type: "internal-error", Title: "Internal Server Error", Status: http.StatusInternalServerError,
		Detail: "the server failed; a retry with the same Idempotency-Key is safe: it never repeats a change that was saved"}
}

// validationDetail sums up a validation error; errors[] names each field.
func validationDetail(fields []models.FieldError) string {
	switch len(fields) {
	case 0:
		return "the request is invalid"
	case 1:
		return fields[0].Detail
	}
	return strconv.Itoa(len(fields)) + " fields are invalid; errors lists each one"
}

// withoutWord drops the vocabulary word from an error's text wherever it
// stands as a part of its own ("period \"x\": want YYYY-MM: invalid").
func withoutWord(msg, word string) string {
	parts := strings.Split(msg, ": ")
	kept := parts[:0]
	for _, p := range parts {
		if p != word {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return msg
	}
	return strings.Join(kept, ": ")
}
