package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"jobcenter/auth"
	"jobcenter/directory"
	"jobcenter/models"
)

// Cookie names. All cookies are scoped to Prefix, HttpOnly, SameSite=Lax and
// Secure outside development mode.
const (
	sessionCookie  = "jc_session"
	csrfCookie     = "jc_csrf"
	languageCookie = "jc_lang"
	flashCookie    = "jc_flash"
	// csrfField is the hidden field of every form, and CSRFHeader the
	// header htmx sends the same token in.
	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
)

const principalKey = "web.principal"

func principal(c echo.Context) auth.Principal {
	p, _ := c.Get(principalKey).(auth.Principal)
	return p
}

func (a *App) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: Prefix, MaxAge: maxAge, HttpOnly: true, Secure: a.Secure, SameSite: http.SameSiteLaxMode}
}

// session requires a signed-in browser; without one the page answers with
// the sign-in page, which returns to the page asked for (pageErrors).
func (a *App) session(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ck, err := c.Cookie(sessionCookie)
		if err != nil {
			return fmt.Errorf("no session cookie: %w", models.ErrUnauthorized)
		}
		p, err := a.Directory.WebSession(c.Request().Context(), ck.Value)
		if err != nil {
			if errors.Is(err, models.ErrUnauthorized) {
				c.SetCookie(a.cookie(sessionCookie, "", -1))
			}
			return err
		}
		c.Set(principalKey, p)
		return next(c)
	}
}

type loginForm struct {
	Next  string
	Email string
	Error string
}

func (a *App) loginPage(c echo.Context) error {
	return a.render(c, http.StatusOK, "login.html", "login.title", loginForm{Next: safeNext(c.QueryParam("next"))})
}

// login signs in with email and password under the same limits as the API's
// token route. The browser keeps the refresh token as its session; the
// access token of the pair is not needed, as every request asks the
// directory whether the session still stands.
func (a *App) login(c echo.Context) error {
	f := loginForm{Next: safeNext(c.FormValue("next")), Email: strings.TrimSpace(c.FormValue("email"))}
	pair, err := a.Directory.LimitedLogin(c.Request().Context(), a.LoginLimits, f.Email, c.FormValue("password"), c.RealIP())
	var tm *directory.TooManyAttempts
	switch {
	case errors.As(err, &tm):
		f.Error = a.tr(c, "login.too_many", int(math.Ceil(tm.RetryAfter.Minutes())))
		c.Response().Header().Set("Retry-After", fmt.Sprint(int(tm.RetryAfter.Seconds())+1))
		return a.render(c, http.StatusTooManyRequests, "login.html", "login.title", f)
	case errors.Is(err, models.ErrUnauthorized):
		f.Error = a.tr(c, "login.wrong")
		return a.render(c, http.StatusUnauthorized, "login.html", "login.title", f)
	case err != nil:
		return err
	}
	c.SetCookie(a.cookie(sessionCookie, pair.RefreshToken, 0))
	// A new CSRF token for the new session: one planted before sign-in is
	// worth nothing after it.
	c.SetCookie(a.cookie(csrfCookie, newToken(), 0))
	return c.Redirect(http.StatusSeeOther, f.Next)
}

func (a *App) logout(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := a.Directory.EndWebSession(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	c.SetCookie(a.cookie(sessionCookie, "", -1))
	a.flash(c, "flash.signed_out")
	return c.Redirect(http.StatusSeeOther, Prefix+"/login")
}

// safeNext keeps a return address inside the app, so the sign-in form
// cannot be made to send anyone elsewhere.
func safeNext(next string) string {
	if next == Prefix || (strings.HasPrefix(next, Prefix+"/") && !strings.ContainsAny(next, "\\\r\n") && !strings.HasPrefix(next, Prefix+"//")) {
		return next
	}
	return Prefix + "/"
}

var errBadCSRF = errors.New("missing or wrong CSRF token")

// csrf gives every browser a random token in a cookie and requires it back
// in the form (or htmx's header) of every request that changes something:
// another site can make a browser send the cookie but cannot read it to
// fill in the form. Echo's CSRF middleware is not used because it lets
// requests through on the browser's Sec-Fetch-Site header alone; here every
// form carries the token, whatever the browser.
func (a *App) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token := ""
		if ck, err := c.Cookie(csrfCookie); err == nil && len(ck.Value) >= 32 {
			token = ck.Value
		}
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			if token == "" {
				token = newToken()
				c.SetCookie(a.cookie(csrfCookie, token, 0))
			}
		default:
			sent := c.Request().Header.Get(csrfHeader)
			if sent == "" {
				sent = c.FormValue(csrfField)
			}
			if token == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
				return errBadCSRF
			}
		}
		c.Set(csrfCookie, token)
		return next(c)
	}
}

func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}
