package apitest

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// forge signs claims with key and method, for the attacks below.
func forge(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAuthAttacksAnswer401(t *testing.T) {
	tn := NewTenant(t)
	me := tn.Do(t, http.MethodGet, "/v1/me", tn.AdminToken, nil).Expect(t, http.StatusOK).Map(t)
	secret := tn.S.Main.Config.JWTSecret
	now := time.Now()
	valid := jwt.MapClaims{"iss": "jobcenter", "aud": "jobcenter-api", "sub": me["id"], "tid": tn.ID, "role": "admin",
		"iat": now.Unix(), "exp": now.Add(time.Minute).Unix()}
	with := func(k string, v any) jwt.MapClaims {
		c := jwt.MapClaims{}
		for key, val := range valid {
			c[key] = val
		}
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	// The control: a correctly forged token is accepted, so the 401s below
	// come from the one thing each changes.
	tn.Do(t, http.MethodGet, "/v1/me", forge(t, jwt.SigningMethodHS256, secret, valid), nil).Expect(t, http.StatusOK)

	cases := map[string]string{
		"alg none":      forge(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, valid),
		"other key":     forge(t, jwt.SigningMethodHS256, []byte("another-secret-that-is-32-bytes!!"), valid),
		"HS512":         forge(t, jwt.SigningMethodHS512, secret, valid),
		"expired":       forge(t, jwt.SigningMethodHS256, secret, with("exp", now.Add(-time.Minute).Unix())),
		"no expiry":     forge(t, jwt.SigningMethodHS256, secret, with("exp", nil)),
		"wrong aud":     forge(t, jwt.SigningMethodHS256, secret, with("aud", "someone-else")),
		"wrong iss":     forge(t, jwt.SigningMethodHS256, secret, with("iss", "evil")),
		"garbage":       "not.a.jwt",
		"empty":         "",
		"no tenant":     forge(t, jwt.SigningMethodHS256, secret, with("tid", nil)),
		"tampered role": tn.AdminToken[:len(tn.AdminToken)-2] + "xx",
	}
	for name, token := range cases {
		t.Run(name, func(t *testing.T) {
			r := tn.Do(t, http.MethodGet, "/v1/me", token, nil).Expect(t, http.StatusUnauthorized)
			if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
		})
	}
}

func TestAccessTokenExpiresByTheServiceClock(t *testing.T) {
	tn := NewTenant(t)
	setClock(t, tn.S, time.Now().Add(16*time.Minute))
	tn.Do(t, http.MethodGet, "/v1/me", tn.AdminToken, nil).Expect(t, http.StatusUnauthorized)
}

// setClock sets the server's clock for the test and resets it after.
func setClock(t *testing.T, s *Server, now time.Time) {
	t.Helper()
	s.Do(t, Request{Method: http.MethodPut, Path: "/dev/clock", Body: map[string]string{"now": now.UTC().Format(time.RFC3339)}}).Expect(t, http.StatusOK)
	t.Cleanup(func() { s.Do(t, Request{Method: http.MethodDelete, Path: "/dev/clock"}).Expect(t, http.StatusOK) })
}

func login(t *testing.T, tn *Tenant, email, password string) *Response {
	return tn.S.Do(t, Request{Method: http.MethodPost, Path: "/v1/auth/token", Body: map[string]string{"email": email, "password": password}})
}

func TestRefreshRotationAndReuseRevokesFamily(t *testing.T) {
	tn := NewTenant(t)
	_, _ = tn.User(t, "coordinator", "")
	email := tn.lastEmail
	first := login(t, tn, email, Password).Expect(t, http.StatusOK).Map(t)
	refresh := func(token any) *Response {
		return tn.S.Do(t, Request{Method: http.MethodPost, Path: "/v1/auth/refresh", Body: map[string]any{"refresh_token": token}})
	}
	second := refresh(first["refresh_token"]).Expect(t, http.StatusOK).Map(t)
	if second["refresh_token"] == first["refresh_token"] {
		t.Fatal("refresh did not rotate the token")
	}
	tn.Do(t, http.MethodGet, "/v1/me", second["access_token"].(string), nil).Expect(t, http.StatusOK)
	// Reusing the first token is theft: it fails and revokes the family, so
	// the rotated token no longer works either.
	refresh(first["refresh_token"]).Expect(t, http.StatusUnauthorized)
	refresh(second["refresh_token"]).Expect(t, http.StatusUnauthorized)
	// Another login starts a new family that works.
	third := login(t, tn, email, Password).Expect(t, http.StatusOK).Map(t)
	refresh(third["refresh_token"]).Expect(t, http.StatusOK)
	refresh("made-up").Expect(t, http.StatusUnauthorized)
}

func TestLoginFailuresLookAlikeAndAreRateLimited(t *testing.T) {
	tn := NewTenant(t)
	_, _ = tn.User(t, "finance", "")
	email := tn.lastEmail
	wrong := login(t, tn, email, "wrong password!!").Expect(t, http.StatusUnauthorized).Map(t)
	unknown := login(t, tn, "nobody-"+email, "wrong password!!").Expect(t, http.StatusUnauthorized).Map(t)
	if wrong["detail"] != unknown["detail"] {
		t.Errorf("unknown email and wrong password answer differently: %q vs %q", unknown["detail"], wrong["detail"])
	}
	// 10 failures per email in 15 minutes; the first failure above counts.
	for i := 0; i < 9; i++ {
		login(t, tn, email, "wrong password!!").Expect(t, http.StatusUnauthorized)
	}
	r := login(t, tn, email, Password).Expect(t, http.StatusTooManyRequests)
	if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 15*60+1 {
		t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
	}
	// After the window the right password works again.
	setClock(t, tn.S, time.Now().Add(16*time.Minute))
	login(t, tn, email, Password).Expect(t, http.StatusOK)
}
