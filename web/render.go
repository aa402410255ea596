package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
)

// parsePages parses each page with the layout around it, once for each
// language with the functions of that language, so that a request neither
// clones nor escapes templates again (html/template escapes a template set
// on its first execution, and the sets are safe for concurrent use).
func (a *App) parsePages() (map[string]map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]map[string]*template.Template{}
	for _, lang := range Languages {
		pages[lang] = map[string]*template.Template{}
		fm := funcs(a, a.formatsOf(lang))
		for _, path := range names {
			name := strings.TrimPrefix(path, "templates/")
			if name == "layout.html" {
				continue
			}
			t, err := template.New("layout.html").Funcs(fm).ParseFS(templateFS, "templates/layout.html", path)
			if err != nil {
				return nil, fmt.Errorf("parse %s: %w", name, err)
			}
			pages[lang][name] = t
		}
	}
	return pages, nil
}

// funcs are the template functions of one language: t looks up the
// catalogue in the page's language, the others format in its locale.
func funcs(a *App, f formats) template.FuncMap {
	t := func(key string, args ...any) string { return a.catalogue.text(f.lang, key, args...) }
	return template.FuncMap{
		"t":       t,
		"money":   f.money,
		"date":    f.date,
		"dateOf":  f.dateOf,
		"clock":   f.clock,
		"hours":   f.minutes,
		"hours64": func(m int64) string { return f.minutes(int(m)) },
		"inc":     func(i int) int { return i + 1 },
		"add":     func(a, b int64) int64 { return a + b },
		"pct": func(bps int64) string {
			if f.lang == "en" {
				return formatHundredths(bps, f.lang) + "%"
			}
			return formatHundredths(bps, f.lang) + " %"
		},
		"reason": func(r models.Reason) string {
			if f.lang == "en" {
				return r.Detail
			}
			return t("reason." + r.Code)
		},
		"weekday":  func(d models.Date) string { return t(weekdayKey(d)) },
		"fielderr": fieldErrOf,
		"list":     func(s ...string) []string { return s },
		"deref": func(s *string) string {
			if s == nil {
				return ""
			}
			return *s
		},
	}
}

// view is what the layout shows around a page.
type view struct {
	Lang      string
	Languages []string
	Title     string // catalogue key
	Role      string
	SignedIn  bool
	CSRF      string
	Flash     string // catalogue key
	Here      string
	Nav       []navItem
	Data      any
}

type navItem struct {
	Href, Key string
	Current   bool
}

// nav is the menu of each role; part of the app a role cannot use is not
// shown to it.
var nav = map[string][]navItem{
	models.RoleCustomer: {{Href: Prefix + "/orders", Key: "nav.orders"}, {Href: Prefix + "/shifts", Key: "nav.shifts"},
		{Href: Prefix + "/timesheets", Key: "nav.timesheets"}, {Href: Prefix + "/invoices", Key: "nav.invoices"}},
	models.RoleSupervisor: {{Href: Prefix + "/shifts", Key: "nav.shifts"}, {Href: Prefix + "/participants", Key: "nav.participants"}},
	models.RoleCoordinator: {{Href: Prefix + "/inbox", Key: "nav.inbox"}, {Href: Prefix + "/board", Key: "nav.board"},
		{Href: Prefix + "/participants", Key: "nav.participants"}, {Href: Prefix + "/organizations", Key: "nav.organizations"},
		{Href: Prefix + "/dashboard", Key: "nav.dashboard"}},
	models.RoleAdmin: {{Href: Prefix + "/inbox", Key: "nav.inbox"}, {Href: Prefix + "/board", Key: "nav.board"},
		{Href: Prefix + "/participants", Key: "nav.participants"}, {Href: Prefix + "/organizations", Key: "nav.organizations"},
		{Href: Prefix + "/dashboard", Key: "nav.dashboard"}},
	models.RoleFinance: {{Href: Prefix + "/billing", Key: "nav.billing"}, {Href: Prefix + "/invoices", Key: "nav.invoices"}},
}

// template is a page's templates in the request's language.
func (a *App) template(c echo.Context, page string) (*template.Template, formats, error) {
	f := a.formats(c)
	tmpl, ok := a.pages[f.lang][page]
	if !ok {
		return nil, formats{}, fmt.Errorf("no page %s", page)
	}
	return tmpl, f, nil
}

// renderPart answers an htmx request with one template of a page, without
// the layout around it.
func (a *App) renderPart(c echo.Context, status int, page, name string, data any) error {
	tmpl, _, err := a.template(c, page)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("render %s of %s: %w", name, page, err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

func (a *App) render(c echo.Context, status int, page, title string, data any) error {
	tmpl, f, err := a.template(c, page)
	if err != nil {
		return err
	}
	p := principal(c)
	csrf, _ := c.Get(csrfCookie).(string)
	v := view{Lang: f.lang, Languages: Languages, Title: title, Role: p.Role, SignedIn: p.UserID != "", CSRF: csrf,
		Flash: a.takeFlash(c), Here: c.Request().URL.RequestURI(), Data: data}
	for _, item := range nav[p.Role] {
		item.Current = strings.HasPrefix(c.Request().URL.Path, item.Href)
		v.Nav = append(v.Nav, item)
	}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// flash remembers a message key for the next page (after a redirect).
func (a *App) flash(c echo.Context, key string) {
	c.SetCookie(a.cookie(flashCookie, key, 60))
}

var flashKey = regexp.MustCompile(`^flash\.[a-z_]+$`)

// takeFlash reads and clears the message; only catalogue keys are shown.
func (a *App) takeFlash(c echo.Context) string {
	ck, err := c.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	c.SetCookie(a.cookie(flashCookie, "", -1))
	if !flashKey.MatchString(ck.Value) {
		return ""
	}
	return ck.Value
}

// form is a submitted form shown again: the user's input kept, and each
// problem next to the field it concerns.
type form struct {
	Values url.Values
	Errors map[string][]string
	// Problem is a problem with no field (a state conflict), translated.
	Problem string
}

func (f *form) Value(name string) string {
	if f == nil {
		return ""
	}
	return f.Values.Get(name)
}

// Has reports whether a checkbox or option was chosen.
func (f *form) Has(name, value string) bool {
	if f == nil {
		return false
	}
	for _, v := range f.Values[name] {
		if v == value {
			return true
		}
	}
	return false
}

func (f *form) Err(name string) []string {
	if f == nil {
		return nil
	}
	return f.Errors[name]
}

// fieldErr is what the templates show next to a field: the problems and
// the id the field's aria-describedby points at.
type fieldErr struct {
	ID   string
	Msgs []string
}

// fieldErrOf is the problems of a field; the id is name-error unless given.
func fieldErrOf(f *form, name string, id ...string) fieldErr {
	e := fieldErr{ID: name + "-error", Msgs: f.Err(name)}
	if len(id) > 0 {
		e.ID = id[0]
	}
	return e
}

// problems fills f from a use case's error: field errors go next to the
// field that field(pointer) names (the form field, or "" for the top of the
// form), a conflict goes to the top. It returns err when it is neither, for
// the error page.
func (a *App) problems(c echo.Context, f *form, err error, field func(pointer string) string) error {
	var (
		v  *models.ValidationError
		ce *models.ConflictError
	)
	switch {
	case errors.As(err, &v):
		if f.Errors == nil {
			f.Errors = map[string][]string{}
		}
		for _, fe := range v.Fields {
			name := field(fe.Pointer)
			f.Errors[name] = append(f.Errors[name], a.catalogue.detail(lang(c), fe.Detail))
		}
		if msgs := f.Errors[""]; len(msgs) > 0 {
			f.Problem = strings.Join(msgs, " ")
		}
		return nil
	case errors.As(err, &ce):
		f.Problem = a.catalogue.text(lang(c), "conflict."+ce.Code)
		if f.Problem == "conflict."+ce.Code {
			f.Problem = ce.Detail
		}
		return nil
	}
	return err
}

// invalid answers a form shown again with its problems.
func (a *App) invalid(c echo.Context, page, title string, data any) error {
	return a.render(c, http.StatusUnprocessableEntity, page, title, data)
}
