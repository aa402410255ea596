package handlers

import (
	"github.com/labstack/echo/v4"

	"jobcenter/auth"
)

// IdempotentServer runs the routes a test registers on it behind the
// Idempotency-Key middleware, as the caller p, with the service's error
// handler: tests of the middleware bring handlers of their own.
func IdempotentServer(a *API, p auth.Principal) *echo.Echo {
	e := echo.New()
	e.HTTPErrorHandler = a.errorHandler()
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Set(principalKey, p)
			return next(c)
		}
	}, a.idempotent)
	return e
}

// IdempotencyAbandoned is how long an unanswered, unapplied claim lasts
// before a retry takes it over.
const IdempotencyAbandoned = idempotencyAbandoned
