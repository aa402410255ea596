package handlers

import (
	"fmt"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
)

//go:generate go run gen_queryparams.go

// rejectUnknownQuery answers 400 naming a query parameter the route does not
// take, so a misspelt filter (`?customer=…` for `?customer_id=…`) is not
// silently ignored and answered with everything. The parameters a route takes
// are the ones openapi.yaml declares for it (queryParams, generated from it):
// the contract is the one list.
func rejectUnknownQuery(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		names, known := queryParams[c.Request().Method+" "+c.Path()]
		if !known || c.Request().URL.RawQuery == "" {
			return next(c) // no route (404) or a route outside the contract
		}
		for name := range c.QueryParams() {
			if !slices.Contains(names, name) {
				return unknownQueryError(name, names)
			}
		}
		return next(c)
	}
}

func unknownQueryError(name string, names []string) error {
	if len(names) == 0 {
		return fmt.Errorf("unknown query parameter %q: this route takes none: %w", name, errMalformed)
	}
	return fmt.Errorf("unknown query parameter %q: this route takes %s: %w", name, strings.Join(names, ", "), errMalformed)
}
