package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"jobcenter/auth"
	"jobcenter/directory"
	"jobcenter/models"
)

const principalKey = "principal"

// authenticate requires a valid bearer access token; anything else is a 401.
func (a *API) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		raw, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || raw == "" {
			return fmt.Errorf("no bearer token: %w", models.ErrUnauthorized)
		}
		p, err := a.Tokens.Verify(raw)
		if err != nil {
			return fmt.Errorf("%v: %w", err, models.ErrUnauthorized)
		}
		valid, err := a.Directory.SessionValid(c.Request().Context(), p.UserID, p.IssuedAt)
		if err != nil {
			return err
		}
		if !valid {
			return fmt.Errorf("user deactivated or password changed since the token was issued: %w", models.ErrUnauthorized)
		}
		c.Set(principalKey, p)
		return next(c)
	}
}

// principal is the authenticated caller of c.
func principal(c echo.Context) auth.Principal {
	p, _ := c.Get(principalKey).(auth.Principal)
	return p
}

// allow lets only the given roles through; any other role is a 403 (the role
// may not do this at all, whatever the object).
func allow(roles ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !slices.Contains(roles, principal(c).Role) {
				return fmt.Errorf("role %s may not %s %s: %w", principal(c).Role, c.Request().Method, c.Path(), models.ErrForbidden)
			}
			return next(c)
		}
	}
}

type tokenRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
}

func (a *API) login(c echo.Context) error {
	var req tokenRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	pair, err := a.Directory.LimitedLogin(c.Request().Context(), a.LoginLimits, req.Email, req.Password, c.RealIP())
	var tm *directory.TooManyAttempts
	if errors.As(err, &tm) {
		return &tooManyError{retryAfter: tm.RetryAfter}
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, tokenResponse{AccessToken: pair.AccessToken, TokenType: "Bearer", ExpiresIn: pair.ExpiresIn, RefreshToken: pair.RefreshToken})
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

func (a *API) refresh(c echo.Context) error {
	var req refreshRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	pair, err := a.Directory.Refresh(c.Request().Context(), req.RefreshToken)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, tokenResponse{AccessToken: pair.AccessToken, TokenType: "Bearer", ExpiresIn: pair.ExpiresIn, RefreshToken: pair.RefreshToken})
}
