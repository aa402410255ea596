package handlers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
)

// rejectUnknownQuery answers 400 naming a query parameter the route does not
// take, so a misspelt filter (`?customer=…` for `?customer_id=…`) is not
// silently ignored and answered with everything. The parameters a route takes
// are the ones openapi.yaml declares for it: the contract is the one list.
func rejectUnknownQuery(spec []byte) (echo.MiddlewareFunc, error) {
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("load the OpenAPI document: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("the OpenAPI document is invalid: %w", err)
	}
	taken := map[string][]string{} // "GET /v1/shifts/:id" → sorted names
	for path, item := range doc.Paths.Map() {
		route := echoPath(path)
		for method, op := range item.Operations() {
			var names []string
			for _, ps := range []openapi3.Parameters{item.Parameters, op.Parameters} {
				for _, p := range ps {
					if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
						names = append(names, p.Value.Name)
					}
				}
			}
			slices.Sort(names)
			taken[method+" "+route] = names
		}
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			names, known := taken[c.Request().Method+" "+c.Path()]
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
	}, nil
}

func unknownQueryError(name string, names []string) error {
	if len(names) == 0 {
		return fmt.Errorf("unknown query parameter %q: this route takes none: %w", name, errMalformed)
	}
	return fmt.Errorf("unknown query parameter %q: this route takes %s: %w", name, strings.Join(names, ", "), errMalformed)
}

// echoPath turns an OpenAPI path template (/v1/shifts/{id}) into Echo's
// (/v1/shifts/:id).
func echoPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			parts[i] = ":" + s[1:len(s)-1]
		}
	}
	return strings.Join(parts, "/")
}
