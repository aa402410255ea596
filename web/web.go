// Package web is the people's web app at /app/: server-rendered pages
// (html/template, with htmx for in-page updates) for customers ordering and
// approving hours and supervisors recording them. It signs in with a session
// cookie backed by the refresh tokens of package directory, checks a CSRF
// token on every form, and speaks Finnish, Swedish or English from the
// message catalogues in messages/. Like package handlers it calls the use
// cases (staffing, directory, billing, finance) and holds no SQL and no
// business rule: a page shows what a use case returns and a form hands its
// input to the same use case as the JSON API, with the same validation.
//
// A new section is a file with a routes method listing its pages with the
// roles that may see them (see customerRoutes), its templates in templates/
// and its strings in the three catalogues.
package web

import (
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"jobcenter/auth"
	"jobcenter/billing"
	"jobcenter/clock"
	"jobcenter/directory"
	"jobcenter/finance"
	"jobcenter/models"
	"jobcenter/participants"
	"jobcenter/reports"
	"jobcenter/staffing"
)

// Prefix is where the app is mounted. Everything under it is HTML, outside
// the JSON API that openapi.yaml describes.
const Prefix = "/app"

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// App holds what the pages need.
type App struct {
	Directory *directory.Service
	Staffing  *staffing.Service
	Billing   *billing.Service
	Finance   *finance.Service
	// Participants: personal data, every read access-logged by the use case.
	Participants *participants.Service
	Reports      *reports.Service
	LoginLimits  *auth.LoginLimits
	Clock        clock.Clock
	Loc          *time.Location
	Log          *slog.Logger
	// Secure marks cookies Secure (HTTPS only); off in development mode,
	// which serves plain HTTP on localhost.
	Secure bool

	pages     map[string]map[string]*template.Template // language → page
	catalogue catalogue
}

// Mount adds the app's routes to e.
func Mount(e *echo.Echo, a *App) error {
	var err error
	if a.catalogue, err = loadCatalogue(); err != nil {
		return err
	}
	if a.pages, err = a.parsePages(); err != nil {
		return err
	}
	g := e.Group(Prefix, a.pageErrors, a.locale, a.csrf)
	g.GET("/static/:file", a.static)
	g.GET("/login", a.loginPage)
	g.POST("/login", a.login)
	g.POST("/language", a.setLanguage)
	a.page(g, http.MethodGet, "", a.home, models.Roles...)
	a.page(g, http.MethodGet, "/", a.home, models.Roles...)
	a.page(g, http.MethodPost, "/logout", a.logout, models.Roles...)
	a.customerRoutes(g)
	a.supervisorRoutes(g)
	a.shiftRoutes(g)
	a.coordinatorRoutes(g)
	a.financeRoutes(g)
	a.dashboardRoutes(g)
	a.participantRoutes(g)
	a.organizationRoutes(g)
	return nil
}

// page registers a signed-in page that only roles may open; another role
// gets the 403 page.
func (a *App) page(g *echo.Group, method, path string, h echo.HandlerFunc, roles ...string) {
	g.Add(method, path, h, a.session, allow(roles))
}

func allow(roles []string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !slices.Contains(roles, principal(c).Role) {
				return fmt.Errorf("role %s may not open %s: %w", principal(c).Role, c.Path(), models.ErrForbidden)
			}
			return next(c)
		}
	}
}

// home sends each role to its first page.
func (a *App) home(c echo.Context) error {
	switch principal(c).Role {
	case models.RoleCustomer:
		return c.Redirect(http.StatusSeeOther, Prefix+"/orders")
	case models.RoleSupervisor:
		return c.Redirect(http.StatusSeeOther, Prefix+"/shifts")
	case models.RoleCoordinator, models.RoleAdmin:
		return c.Redirect(http.StatusSeeOther, Prefix+"/board")
	case models.RoleFinance:
		return c.Redirect(http.StatusSeeOther, Prefix+"/billing")
	}
	return a.render(c, http.StatusOK, "home.html", "home.title", nil)
}

func (a *App) static(c echo.Context) error {
	name := c.Param("file")
	if strings.Contains(name, "/") || strings.HasPrefix(name, ".") {
		return echo.ErrNotFound
	}
	b, err := fs.ReadFile(staticFS, "static/"+name)
	if err != nil {
		return echo.ErrNotFound
	}
	ct := "application/octet-stream"
	switch {
	case strings.HasSuffix(name, ".js"):
		ct = "text/javascript; charset=utf-8"
	case strings.HasSuffix(name, ".css"):
		ct = "text/css; charset=utf-8"
	case strings.HasSuffix(name, "LICENSE"):
		ct = "text/plain; charset=utf-8"
	}
	// The files change only with the binary; a day of caching is safe.
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Blob(http.StatusOK, ct, b)
}

// pageErrors turns an error of a page into an HTML page: sign-in for no
// session, 403, 404, and a 500 that says nothing of the cause.
func (a *App) pageErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil || c.Response().Committed {
			return err
		}
		var (
			he *echo.HTTPError
			ce *models.ConflictError
		)
		switch {
		case errors.Is(err, models.ErrUnauthorized):
			target := c.Request().URL.RequestURI()
			if c.Request().Method != http.MethodGet {
				target = Prefix + "/"
			}
			return c.Redirect(http.StatusSeeOther, Prefix+"/login?next="+url.QueryEscape(target))
		case errors.Is(err, models.ErrNotFound), errors.As(err, &he) && he.Code == http.StatusNotFound:
			return a.errorPage(c, http.StatusNotFound, "error.not_found")
		case errors.Is(err, errBadCSRF):
			return a.errorPage(c, http.StatusForbidden, "error.csrf")
		case errors.Is(err, models.ErrForbidden):
			return a.errorPage(c, http.StatusForbidden, "error.forbidden")
		case errors.As(err, &ce):
			// A state that stops a page or a file (no seller details for an
			// invoice, nothing to pay) is said in words, as the API's 409.
			msg := a.catalogue.text(lang(c), "conflict."+ce.Code)
			if msg == "conflict."+ce.Code {
				msg = ce.Detail
			}
			return a.render(c, http.StatusConflict, "error.html", "error.conflict", map[string]string{"Text": msg})
		case errors.As(err, &he) && he.Code < 500:
			return a.errorPage(c, he.Code, "error.bad_request")
		}
		a.Log.Error("web page failed", "path", c.Request().URL.Path, "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "error", err)
		return a.errorPage(c, http.StatusInternalServerError, "error.internal")
	}
}

func (a *App) errorPage(c echo.Context, status int, key string) error {
	return a.render(c, status, "error.html", key, map[string]string{"Message": key + ".text"})
}
