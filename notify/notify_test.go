package notify

import (
	"context"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// The published test vector of the Standard Webhooks reference libraries
// (github.com/standard-webhooks/standard-webhooks, libraries' sign tests).
func TestSignMatchesTheStandardWebhooksTestVector(t *testing.T) {
	got, err := Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, []byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
}

func TestBackoffGrowsWithJitterUntilTheCap(t *testing.T) {
	prevMax := Backoff(1, 0.999)
	if Backoff(1, 0) != RetryBase {
		t.Fatalf("first delay %v", Backoff(1, 0))
	}
	for a := 2; Backoff(a, 0) < RetryCap; a++ {
		if lo := Backoff(a, 0); lo <= prevMax {
			t.Fatalf("attempt %d: shortest delay %v is not longer than the longest before (%v)", a, lo, prevMax)
		}
		prevMax = Backoff(a, 0.999)
	}
	if Backoff(40, 0) != RetryCap {
		t.Fatalf("delay past the cap: %v", Backoff(40, 0))
	}
}

func TestURLPolicy(t *testing.T) {
	resolve := func(_ context.Context, host string) ([]netip.Addr, error) {
		if host == "internal.example" {
			return []netip.Addr{netip.MustParseAddr("10.1.2.3")}, nil
		}
		return []netip.Addr{netip.MustParseAddr("93.184.216.34")}, nil
	}
	strict := URLPolicy{Resolve: resolve}
	for _, tc := range []struct {
		policy URLPolicy
		url    string
		ok     bool
	}{
		{strict, "https://erp.example.fi/hooks", true},
		{strict, "http://erp.example.fi/hooks", false},
		{URLPolicy{AllowHTTP: true, Resolve: resolve}, "http://erp.example.fi/hooks", true},
		{strict, "https://user:secret@erp.example.fi/hooks", false},
		{strict, "https://internal.example/hooks", false},
		{strict, "https://127.0.0.1/hooks", false},
		{strict, "https://[::1]/hooks", false},
		{strict, "https://169.254.169.254/latest/meta-data", false},
		{strict, "https://192.168.1.10/", false},
		{strict, "https://[::ffff:10.0.0.1]/", false},
		{strict, "https://100.64.0.1/", false},
		{strict, "erp.example.fi/hooks", false},
		{URLPolicy{AllowPrivate: true}, "https://127.0.0.1/hooks", true},
	} {
		err := tc.policy.Check(context.Background(), tc.url)
		if (err == nil) != tc.ok {
			t.Errorf("%s: error %v, want ok=%v", tc.url, err, tc.ok)
		}
	}
}

func TestBlockedAtConnectTime(t *testing.T) {
	c := NewHTTPClient(false)
	_, err := c.Post("http://127.0.0.1:1/", "application/json", nil)
	if err == nil || !strings.Contains(err.Error(), errBlockedAddress.Error()) {
		t.Fatalf("loopback connect: %v", err)
	}
}

func TestEveryMailKindRendersInEveryLanguage(t *testing.T) {
	data := []byte(`{"site_address":"Testikatu 1","reason":"r","period":"2026-10","kind":"regular","invoice_count":2,
		"gross_cents":123456,"payment_date":"2026-11-05","due_date":"2026-11-10","url":"https://x.example",
		"starts_at":"2026-11-02T06:00:00Z","ends_at":"2026-11-02T10:00:00Z","crew":[{"pseudonym":"Otter 12","worked_minutes":240}]}`)
	for _, r := range mailRoutes {
		for _, lang := range Languages {
			m, err := render(r.kind, lang, data, time.UTC, "https://jobcenter.example/app/x")
			if err != nil || m.Subject == "" || m.Text == "" || !strings.Contains(m.HTML, "https://jobcenter.example/app/x") || strings.Contains(m.Text, "<no value>") {
				t.Errorf("%s in %s: %v %+v", r.kind, lang, err, m)
			}
		}
	}
}
