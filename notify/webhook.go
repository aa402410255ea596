package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"jobcenter/models"
)

// WebhookTimeout bounds one delivery, connection and response included.
const WebhookTimeout = 10 * time.Second

// secretPrefix marks a Standard Webhooks signing secret.
const secretPrefix = "whsec_"

// NewSecret returns a new signing secret: whsec_ + base64 of 32 random bytes.
func NewSecret() (string, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", fmt.Errorf("webhook secret: %w", err)
	}
	return secretPrefix + base64.StdEncoding.EncodeToString(key), nil
}

// Sign returns the webhook-signature header of the Standard Webhooks
// scheme: "v1," + base64 HMAC-SHA256, keyed with the secret's decoded key,
// of "{id}.{timestamp}.{body}".
func Sign(secret, id string, timestamp int64, body []byte) (string, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, secretPrefix))
	if err != nil {
		return "", fmt.Errorf("webhook secret is not base64: %w", err)
	}
	mac := hmac.New(sha256.New, key)
	fmt.Fprintf(mac, "%s.%d.", id, timestamp)
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil)), nil
}

// errBlockedAddress refuses a connection to a private, loopback or
// link-local address.
var errBlockedAddress = errors.New("the address is private, loopback or link-local")

// blockedPrefixes are special-purpose ranges beyond what net/netip names:
// "this network", carrier-grade NAT, IETF protocol assignments, benchmarking,
// NAT64.
var blockedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"), netip.MustParsePrefix("64:ff9b::/96"),
}

// Blocked reports whether ip must not be reached from a webhook: private,
// loopback, link-local, unspecified, multicast or otherwise special-purpose.
func Blocked(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() || ip.IsInterfaceLocalMulticast() {
		return true
	}
	for _, p := range blockedPrefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// NewHTTPClient is the client webhooks are sent with: a 10 s timeout, no
// redirects followed, no proxy, and unless allowPrivate a dialer that
// refuses blocked addresses at connect time, after DNS resolution, so a
// name that resolves elsewhere than at subscription time is still refused.
func NewHTTPClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: WebhookTimeout, Control: func(_, address string, _ syscall.RawConn) error {
		if allowPrivate {
			return nil
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil || Blocked(ap.Addr()) {
			return fmt.Errorf("connect %s: %w", address, errBlockedAddress)
		}
		return nil
	}}
	return &http.Client{
		Timeout: WebhookTimeout,
		Transport: &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: WebhookTimeout,
			MaxIdleConnsPerHost: 4, IdleConnTimeout: 90 * time.Second, ForceAttemptHTTP2: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// URLPolicy decides which webhook URLs a subscription may have.
type URLPolicy struct {
	// AllowHTTP accepts http:// (development mode); otherwise https only.
	AllowHTTP bool
	// AllowPrivate accepts private, loopback and link-local addresses
	// (JOBCENTER_WEBHOOK_ALLOW_PRIVATE=1, for development and tests).
	AllowPrivate bool
	// Resolve looks a host up; net.DefaultResolver's outside tests.
	Resolve func(ctx context.Context, host string) ([]netip.Addr, error)
}

// Check validates a webhook URL: absolute https (http in development), no
// credentials, and a host that resolves to public addresses only.
func (p URLPolicy) Check(ctx context.Context, raw string) error {
	v := &models.ValidationError{}
	u, err := url.Parse(raw)
	switch {
	case raw == "":
		v.Add("/url", "is required")
	case err != nil || u.Host == "" || u.Hostname() == "":
		v.Add("/url", "is not an absolute URL")
	case u.Scheme != "https" && !(p.AllowHTTP && u.Scheme == "http"):
		v.Add("/url", "must use https")
	case u.User != nil:
		v.Add("/url", "must not contain a user name or password")
	case u.Fragment != "":
		v.Add("/url", "must not contain a fragment")
	case len(raw) > 2000:
		v.Add("/url", "is longer than 2000 characters")
	}
	if err := v.Err(); err != nil || p.AllowPrivate {
		return err
	}
	resolve := p.Resolve
	if resolve == nil {
		resolve = func(ctx context.Context, host string) ([]netip.Addr, error) {
			return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		}
	}
	addrs := []netip.Addr{}
	if ip, err := netip.ParseAddr(u.Hostname()); err == nil {
		addrs = append(addrs, ip)
	} else if addrs, err = resolve(ctx, u.Hostname()); err != nil || len(addrs) == 0 {
		v.Add("/url", "the host name "+u.Hostname()+" does not resolve")
		return v
	}
	for _, ip := range addrs {
		if Blocked(ip) {
			v.Add("/url", "points to a private, loopback or link-local address ("+ip.String()+"); webhooks go to public addresses only")
			return v
		}
	}
	return nil
}

// webhookResult is the outcome of one attempt.
type webhookResult struct {
	StatusCode *int
	Took       time.Duration
	Err        error
}

// sendWebhook posts body signed with secret and reports the outcome; any
// status but 2xx is a failure.
func sendWebhook(ctx context.Context, client *http.Client, target, secret, eventID string, at time.Time, body []byte) webhookResult {
	ts := at.Unix()
	sig, err := Sign(secret, eventID, ts, body)
	if err != nil {
		return webhookResult{Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return webhookResult{Err: fmt.Errorf("webhook request: %w", err)}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "jobcenter-webhooks")
	req.Header.Set("webhook-id", eventID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", sig)
	start := time.Now()
	res, err := client.Do(req)
	if err != nil {
		return webhookResult{Took: time.Since(start), Err: err}
	}
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
	out := webhookResult{StatusCode: &res.StatusCode, Took: time.Since(start)}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		out.Err = fmt.Errorf("the receiver answered %d", res.StatusCode)
	}
	return out
}
