package apitest

import (
	"net/http"
	"strings"
	"testing"
)

// patchUser sends PATCH /v1/users/{id} with an If-Match of version ("" for
// none).
func patchUser(t *testing.T, tn *Tenant, token, id, ifMatch string, body any) *Response {
	t.Helper()
	req := Request{Method: http.MethodPatch, Path: "/v1/users/" + id, Token: token, Body: body, Header: map[string]string{}}
	if ifMatch != "" {
		req.Header["If-Match"] = ifMatch
	}
	return tn.S.Do(t, req)
}

// A supervisor who leaves is deactivated: no login, no refresh, not put on
// shifts, and the access token in hand is refused. Reactivation and a new
// password work, and a new password ends the old sessions.
func TestDeactivatedUserLosesAccess(t *testing.T) {
	f := newStaffFixture(t) // the clock stands at 2026-11-02T06:00Z
	shift := f.shiftsOf(t, 2, once("2026-11-10", "08:00", "12:00"))[0]
	email := ordUser(t, f.tn, "supervisor", f.organiser)
	session := login(t, f.tn, email, Password).Expect(t, http.StatusOK).Map(t)
	access := session["access_token"].(string)
	id := f.tn.Do(t, http.MethodGet, "/v1/me", access, nil).Expect(t, http.StatusOK).Map(t)["id"].(string)

	got := f.tn.Do(t, http.MethodGet, "/v1/users/"+id, f.tn.AdminToken, nil).Expect(t, http.StatusOK)
	if got.Header.Get("ETag") != `"1"` || got.Map(t)["active"] != true {
		t.Fatalf("new user: ETag %s, %v", got.Header.Get("ETag"), got.Map(t))
	}
	off := map[string]any{"active": false}
	patchUser(t, f.tn, f.tn.AdminToken, id, "", off).Expect(t, http.StatusPreconditionRequired)
	patchUser(t, f.tn, f.tn.AdminToken, id, `"7"`, off).Expect(t, http.StatusPreconditionFailed)
	patchUser(t, f.tn, f.coord, id, `"1"`, off).Expect(t, http.StatusForbidden)
	patchUser(t, f.tn, f.tn.AdminToken, id, `"1"`, map[string]any{"role": "admin"}).Expect(t, http.StatusUnprocessableEntity)
	patchUser(t, f.tn, f.tn.AdminToken, id, `"1"`, map[string]any{"password": "short"}).Expect(t, http.StatusUnprocessableEntity)
	other := NewTenant(t)
	patchUser(t, other, other.AdminToken, id, `"1"`, off).Expect(t, http.StatusNotFound)
	other.Do(t, http.MethodGet, "/v1/users/"+id, other.AdminToken, nil).Expect(t, http.StatusNotFound)
	if v := f.tn.Do(t, http.MethodGet, "/v1/users/"+id, f.tn.AdminToken, nil).Map(t); v["version"] != float64(1) || v["active"] != true {
		t.Fatalf("refused changes changed the user: %v", v)
	}

	r := patchUser(t, f.tn, f.tn.AdminToken, id, `"1"`, off).Expect(t, http.StatusOK)
	if r.Header.Get("ETag") != `"2"` || r.Map(t)["active"] != false {
		t.Fatalf("deactivated: ETag %s, %v", r.Header.Get("ETag"), r.Map(t))
	}
	if d := login(t, f.tn, email, Password).Expect(t, http.StatusUnauthorized).Map(t)["detail"]; d != login(t, f.tn, email, "wrong password!!").Map(t)["detail"] {
		t.Errorf("a deactivated user's login tells them apart from a wrong password: %v", d)
	}
	f.tn.S.Do(t, Request{Method: http.MethodPost, Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": session["refresh_token"].(string)}}).
		Expect(t, http.StatusUnauthorized)
	if code := problemCode(t, f.assign(t, f.coord, shift, map[string]any{"supervisor_id": id}).Expect(t, http.StatusConflict)); code != "supervisor_inactive" {
		t.Errorf("assigning a deactivated supervisor: %s", code)
	}
	// The access token in hand is refused at once (on other replicas within
	// directory.ActiveCheckInterval, tested there).
	f.tn.Do(t, http.MethodGet, "/v1/me", access, nil).Expect(t, http.StatusUnauthorized)

	// Back at work; then a new password ends the sessions of the old one.
	patchUser(t, f.tn, f.tn.AdminToken, id, `"2"`, map[string]any{"active": true, "phone": "+358 40 765 4321"}).Expect(t, http.StatusOK)
	session = login(t, f.tn, email, Password).Expect(t, http.StatusOK).Map(t)
	ordClock(t, f.tn.S, "2026-11-02T06:01:00Z") // tokens carry whole seconds
	const newPassword = "a new password for 2027"
	if u := patchUser(t, f.tn, f.tn.AdminToken, id, `"3"`, map[string]any{"password": newPassword}).Expect(t, http.StatusOK).Map(t); u["phone"] != "+358 40 765 4321" || u["password"] != nil {
		t.Errorf("after the password change: %v", u)
	}
	login(t, f.tn, email, Password).Expect(t, http.StatusUnauthorized)
	fresh := login(t, f.tn, email, newPassword).Expect(t, http.StatusOK).Map(t)["access_token"].(string)
	f.tn.Do(t, http.MethodGet, "/v1/me", session["access_token"].(string), nil).Expect(t, http.StatusUnauthorized)
	f.tn.Do(t, http.MethodGet, "/v1/me", fresh, nil).Expect(t, http.StatusOK)
	f.tn.S.Do(t, Request{Method: http.MethodPost, Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": session["refresh_token"].(string)}}).
		Expect(t, http.StatusUnauthorized)

	// An admin cannot lock themselves out.
	adminID := f.tn.Do(t, http.MethodGet, "/v1/me", f.tn.AdminToken, nil).Map(t)["id"].(string)
	if p := firstPointer(t, patchUser(t, f.tn, f.tn.AdminToken, adminID, `"1"`, off).Expect(t, http.StatusUnprocessableEntity)); p != "/active" {
		t.Errorf("self-deactivation pointer %q", p)
	}
}

// bcrypt reads 72 bytes of a password; a longer one is refused when set
// (rather than cut short in silence) and simply wrong at login.
func TestOverlongPasswordsAreBadInput(t *testing.T) {
	tn := NewTenant(t)
	long := strings.Repeat("ä", 37) // 74 bytes
	r := tn.Do(t, http.MethodPost, "/v1/users", tn.AdminToken, map[string]any{"email": "long-" + tn.ID + "@example.fi", "password": long, "role": "finance"})
	if p := firstPointer(t, r.Expect(t, http.StatusUnprocessableEntity)); p != "/password" {
		t.Errorf("pointer %q", p)
	}
	id, _ := tn.User(t, "finance", "")
	patchUser(t, tn, tn.AdminToken, id, `"1"`, map[string]any{"password": long}).Expect(t, http.StatusUnprocessableEntity)
	login(t, tn, tn.lastEmail, strings.Repeat("x", 500)).Expect(t, http.StatusUnauthorized)
}
