package handlers

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
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
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		err = store.Unavailable(err)
		p := toProblem(err)
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

func toProblem(err error) problem {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return problem{Type: "about:blank", Title: http.StatusText(he.Code), Status: he.Code, Detail: http.StatusText(he.Code)}
	}
	var tm *tooManyError
	if errors.As(err, &tm) {
		return problem{Type: "/problems/rate-limited", Title: "Too Many Requests", Status: http.StatusTooManyRequests,
			Detail: "too many failed login attempts; try again later"}
	}
	for _, e := range errorStatus {
		if !errors.Is(err, e.err) {
			continue
		}
		p := problem{Type: "/problems/" + e.slug, Title: http.StatusText(e.status), Status: e.status, Detail: err.Error()}
		var (
			ve *models.ValidationError
			me *models.MalformedError
		)
		if errors.As(err, &ve) {
			p.Errors = ve.Fields
		}
		if errors.As(err, &me) {
			p.Errors = me.Fields
		}
		var ce *models.ConflictError
		if errors.As(err, &ce) {
			p.Code = ce.Code
			p.Detail = ce.Detail
		}
		if e.err == models.ErrUnavailable {
			// The driver's text is for the log, not the client.
			p.Detail = "the database connection was lost or the database is busy; retry after the Retry-After seconds " +
				"(a POST is safe to retry with the same Idempotency-Key)"
		}
		return p
	}
	return problem{Type: "about:blank", Title: "Internal Server Error", Status: http.StatusInternalServerError,
		Detail: "the server failed; the request was not applied"}
}
