package app

import "testing"

// Without a public URL, mail links point at this machine under a name a
// browser uses, whatever interface the service binds.
func TestMailLinkBaseWithoutPublicURLIsLocalhostOnTheListenPort(t *testing.T) {
	for addr, want := range map[string]string{
		":8080":          "http://localhost:8080",
		"0.0.0.0:9000":   "http://localhost:9000",
		"[::]:9000":      "http://localhost:9000",
		"localhost:9000": "http://localhost:9000",
		"10.0.0.5:9000":  "http://10.0.0.5:9000", // listening on that address only
		"[fd00::5]:9000": "http://[fd00::5]:9000",
	} {
		if got := (Config{Addr: addr}).MailLinkBase(); got != want {
			t.Errorf("MailLinkBase with JOBCENTER_ADDR %q = %s, want %s", addr, got, want)
		}
	}
	if got := (Config{Addr: ":8080", PublicURL: "https://jobcenter.example.fi"}).MailLinkBase(); got != "https://jobcenter.example.fi" {
		t.Errorf("MailLinkBase with a public URL = %s", got)
	}
}
