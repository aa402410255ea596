// Package handlers is the HTTP layer: routes, request and response DTOs,
// authentication and role checks, and the one error handler that maps the
// error vocabulary of package models to application/problem+json. Handlers
// hold no business rules; they call the use-case packages.
package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"jobcenter/auth"
	"jobcenter/billing"
	"jobcenter/clock"
	"jobcenter/directory"
	"jobcenter/finance"
	"jobcenter/notify"
	"jobcenter/participants"
	"jobcenter/reports"
	"jobcenter/staffing"
	"jobcenter/store"
)

// MaxBodyBytes bounds a request body.
const MaxBodyBytes = "1M"

// API holds what the handlers need.
type API struct {
	DB     *store.DB
	Clock  *clock.Settable
	Tokens *auth.Tokens
	// LoginLimits bound failed logins per email and per client address.
	LoginLimits  *auth.LoginLimits
	Directory    *directory.Service
	Staffing     *staffing.Service
	Participants *participants.Service
	Billing      *billing.Service
	Finance      *finance.Service
	Reports      *reports.Service
	Notify       *notify.Service
	Log          *slog.Logger
	Loc          *time.Location
	Spec         []byte // the OpenAPI document served at /openapi.yaml
	// PublicURL, when set, is the base of problem type URIs; otherwise the
	// request's own scheme and host are.
	PublicURL string
	Registry  *prometheus.Registry
	// Dev enables the /dev routes (test clock, run a job now).
	Dev bool
	// RunJob runs a scheduled job for its latest slot, for POST /dev/jobs/{name}/run.
	RunJob func(ctx context.Context, name string) (string, error)
}

// New builds the Echo server with every route.
func New(a *API) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = a.errorHandler()
	e.JSONSerializer = jsonSerializer{}
	// Client addresses (login limits, logs) come from the connection, not
	// from spoofable X-Forwarded-For headers.
	e.IPExtractor = echo.ExtractIPDirect()
	e.Use(middleware.RequestID())
	e.Use(a.observe())
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisablePrintStack: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		a.Log.Error("panic", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "error", err, "stack", string(stack))
		return err
	}}))
	e.Use(middleware.BodyLimit(MaxBodyBytes))
	e.Use(checkInput)
	e.Use(rejectUnknownQuery)
	e.Use(a.retryReads)
	a.routes(e)
	return e
}

// routes is the whole route table; openapi.yaml describes exactly these.
func (a *API) routes(e *echo.Echo) {
	a.metaRoutes(e)
	if a.Dev {
		a.devRoutes(e)
	}
	v1 := e.Group("/v1")
	v1.POST("/auth/token", a.login)
	v1.POST("/auth/refresh", a.refresh)

	g := v1.Group("", routeExists, a.authenticate, a.idempotent)
	g.GET("/me", a.me)
	a.tenantRoutes(g)
	a.userRoutes(g)
	a.organizationRoutes(g)
	a.agreementRoutes(g)
	a.orderRoutes(g)
	a.shiftRoutes(g)
	a.participantRoutes(g)
	a.hoursRoutes(g)
	a.billingRoutes(g)
	a.exportRoutes(g)
	a.incomesRegisterRoutes(g)
	a.reportRoutes(g)
	a.notifyRoutes(g)
}

func (a *API) metaRoutes(e *echo.Echo) {
	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", a.readyz)
	e.GET("/metrics", a.metricsHandler())
	e.GET("/openapi.yaml", func(c echo.Context) error { return c.Blob(http.StatusOK, "application/yaml", a.Spec) })
	e.GET("/docs", docsPage)
	e.GET("/docs/assets/:file", docsAsset)
	e.GET("/problems/:code", problemDoc)
}

func (a *API) readyz(c echo.Context) error {
	ctx := c.Request().Context()
	if err := a.DB.Ping(ctx); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unreachable"})
	}
	if ok, err := a.DB.MigrationsCurrent(ctx); err != nil || !ok {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "migrations pending"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
