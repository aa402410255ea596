package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"jobcenter/apitest"
)

// client is a browser without a browser: a cookie jar that does not follow
// redirects, for the session and CSRF rules.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func newClient(t *testing.T, s *apitest.Server) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: s.URL, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) do(method, path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (c *client) cookie(name string) string {
	u, _ := url.Parse(c.base + "/app/")
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

func setCookie(res *http.Response, name string) *http.Cookie {
	for _, ck := range res.Cookies() {
		if ck.Name == name {
			return ck
		}
	}
	return nil
}

// signIn signs in through the form and returns the session cookie as set.
func (c *client) signIn(email string) *http.Cookie {
	c.t.Helper()
	c.do(http.MethodGet, "/app/login", nil)
	res, _ := c.do(http.MethodPost, "/app/login", url.Values{"csrf": {c.cookie("jc_csrf")}, "email": {email}, "password": {apitest.Password}, "next": {"/app/timesheets"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app/timesheets" {
		c.t.Fatalf("sign-in answered %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	return setCookie(res, "jc_session")
}

func TestSessionCookieAndCSRF(t *testing.T) {
	s := apitest.Start(t)
	w := newWorld(t, 0)
	c := newClient(t, s)

	// The sign-in form itself needs the token.
	res, body := c.do(http.MethodPost, "/app/login", url.Values{"email": {w.custEmail}, "password": {apitest.Password}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "<html") {
		t.Fatalf("sign-in without a CSRF token answered %d", res.StatusCode)
	}
	session := c.signIn(w.custEmail)
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/app" {
		t.Fatalf("session cookie %+v", session)
	}
	if csrf := c.cookie("jc_csrf"); len(csrf) < 32 {
		t.Fatalf("csrf cookie %q", csrf)
	}

	// A form with a missing or wrong token is refused with a 403 page and
	// changes nothing.
	for _, token := range []string{"", "wrong-" + c.cookie("jc_csrf")} {
		res, body := c.do(http.MethodPost, "/app/orders", url.Values{"csrf": {token}, "site_address": {"x"}, "crew_size": {"1"}})
		if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "Lomake vanhentui") {
			t.Errorf("token %q: %d", token, res.StatusCode)
		}
	}
	var orders struct{ Items []any }
	w.tn.Do(t, http.MethodGet, "/v1/orders", w.tn.Login(t, w.custEmail), nil).Expect(t, http.StatusOK).Decode(t, &orders)
	if len(orders.Items) != 0 {
		t.Errorf("a refused form created %d orders", len(orders.Items))
	}
	if res, _ := c.do(http.MethodGet, "/app/orders", nil); res.StatusCode != http.StatusOK {
		t.Fatalf("signed-in page answered %d", res.StatusCode)
	}

	// A supervisor's page is a 403 page for a customer.
	if res, _ := c.do(http.MethodPost, "/app/shifts/x/hours", url.Values{"csrf": {c.cookie("jc_csrf")}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("a customer posting hours got %d", res.StatusCode)
	}

	// Deactivating the user ends the browser's session at once.
	var u struct {
		ID      string
		Version int
	}
	var users struct {
		Items []map[string]any `json:"items"`
	}
	w.tn.Do(t, http.MethodGet, "/v1/users?limit=200", w.tn.AdminToken, nil).Expect(t, http.StatusOK).Decode(t, &users)
	for _, it := range users.Items {
		if it["email"] == w.custEmail {
			u.ID, u.Version = it["id"].(string), int(it["version"].(float64))
		}
	}
	w.tn.S.Do(t, apitest.Request{Method: http.MethodPatch, Path: "/v1/users/" + u.ID, Token: w.tn.AdminToken,
		Header: map[string]string{"If-Match": `"` + strconv.Itoa(u.Version) + `"`}, Body: map[string]any{"active": false}}).Expect(t, http.StatusOK)
	res, _ = c.do(http.MethodGet, "/app/orders", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/app/login?next=%2Fapp%2Forders" {
		t.Errorf("a deactivated user's page answered %d to %q", res.StatusCode, res.Header.Get("Location"))
	}

	// Signing out revokes the session: the old cookie is worth nothing.
	c2 := newClient(t, s)
	c2.signIn(w.supEmail)
	old := c2.cookie("jc_session")
	res, _ = c2.do(http.MethodPost, "/app/logout", url.Values{"csrf": {c2.cookie("jc_csrf")}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out answered %d", res.StatusCode)
	}
	if _, err := w.tn.S.Main.Directory.WebSession(t.Context(), old); err == nil {
		t.Errorf("the signed-out session still stands")
	}

	// The return address stays inside the app.
	c3 := newClient(t, s)
	c3.do(http.MethodGet, "/app/login", nil)
	res, _ = c3.do(http.MethodPost, "/app/login", url.Values{"csrf": {c3.cookie("jc_csrf")}, "email": {w.supEmail}, "password": {apitest.Password}, "next": {"//evil.example/"}})
	if res.Header.Get("Location") != "/app/" {
		t.Errorf("next=//evil.example/ sent the browser to %q", res.Header.Get("Location"))
	}
}
