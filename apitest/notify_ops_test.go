package apitest

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"gorm.io/gorm"

	"jobcenter/notify"
	"jobcenter/store"
)

// emitAt writes an event of the type for the tenant into the outbox at a
// given time, as a use case's committed transaction does.
func emitAt(t *testing.T, db *store.DB, tenantID, eventType string, at time.Time, data map[string]string) {
	t.Helper()
	if err := db.WithTx(context.Background(), func(tx *gorm.DB) error {
		return notify.Emit(tx, at, notify.Event{TenantID: tenantID, Type: eventType, Data: data})
	}); err != nil {
		t.Fatal(err)
	}
}

// notifyDB starts a notification service with e-mail to a fresh sink on a
// database of its own.
func notifyDB(t *testing.T) (*Server, *mailSink, *receiver) {
	t.Helper()
	sink, rc := newMailSink(t), newReceiver(t)
	dbURL, drop, err := DatabaseURL(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	return startNotifyServer(t, dbURL, sink), sink, rc
}

// A subscription whose deliveries fail for three days by the service clock
// is disabled, its admins are told by mail, and it gets nothing more; a day
// less leaves it on.
func TestFailingSubscriptionIsDisabledAfterThreeDays(t *testing.T) {
	s, sink, rc := notifyDB(t)
	t0 := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	ordClock(t, s, t0.Format(time.RFC3339))
	tn := NewTenant(t)
	hookID, _ := subscribe(t, tn, rc, notify.OrderSubmitted)
	rc.mu.Lock()
	rc.failures[notify.OrderSubmitted] = 1 << 30 // the receiver never recovers
	rc.mu.Unlock()
	hook := func() map[string]any {
		tn.Relogin(t)
		return tn.Do(t, http.MethodGet, "/v1/webhooks/"+hookID, tn.AdminToken, nil).Expect(t, http.StatusOK).Map(t)
	}
	at := func(d time.Duration) time.Time {
		ordClock(t, s, t0.Add(d).Format(time.RFC3339))
		return t0.Add(d)
	}

	emitAt(t, s.Main.DB, tn.ID, notify.OrderSubmitted, t0, map[string]string{"order_id": "first"})
	eventually(t, "the first attempt", func() bool { return len(rc.calls()) == 1 })
	eventually(t, "the run of failures to start", func() bool { return hook()["failing_since"] != nil })
	if h := hook(); h["disabled_at"] != nil {
		t.Fatalf("disabled after one failure: %v", h)
	}
	// The first delivery fails for good after its day of retries.
	at(notify.RetryFor)
	eventually(t, "the last attempt of the first event", func() bool { return len(rc.calls()) == 2 })

	// A minute short of three days: still on.
	emitAt(t, s.Main.DB, tn.ID, notify.OrderSubmitted, at(notify.DisableAfter-time.Minute), map[string]string{"order_id": "second"})
	eventually(t, "the second event's attempt", func() bool { return len(rc.calls()) == 3 })
	time.Sleep(100 * time.Millisecond)
	if h := hook(); h["disabled_at"] != nil || len(sink.to(tn.adminEmail)) != 0 {
		t.Fatalf("disabled before three days: %v", h)
	}

	emitAt(t, s.Main.DB, tn.ID, notify.OrderSubmitted, at(notify.DisableAfter), map[string]string{"order_id": "third"})
	eventually(t, "the admin's mail", func() bool { return len(sink.to(tn.adminEmail)) == 1 })
	mail := sink.to(tn.adminEmail)[0].Data
	if !strings.Contains(mail, rc.srv.URL+"/hooks") || !strings.Contains(mail, "kolmen päivän") {
		t.Errorf("the admin's mail:\n%s", mail)
	}
	h := hook()
	disabled, _ := time.Parse(time.RFC3339Nano, h["disabled_at"].(string))
	if !disabled.Equal(t0.Add(notify.DisableAfter)) || !strings.Contains(h["disabled_reason"].(string), t0.Format(time.RFC3339)) {
		t.Errorf("disabled subscription: %v", h)
	}

	// A disabled subscription is sent nothing, neither new events nor
	// retries of the ones it failed.
	calls := len(rc.calls())
	emitAt(t, s.Main.DB, tn.ID, notify.OrderSubmitted, at(notify.DisableAfter+notify.RetryFor), map[string]string{"order_id": "fourth"})
	time.Sleep(300 * time.Millisecond)
	if n := len(rc.calls()); n != calls {
		t.Errorf("a disabled subscription got %d more calls", n-calls)
	}
	if n := len(sink.to(tn.adminEmail)); n != 1 {
		t.Errorf("the admin got %d mails, want 1", n)
	}
}

// scrape reads a series of /metrics (which answers on loopback).
func scrape(t *testing.T, s *Server, series string) float64 {
	t.Helper()
	res, err := http.Get(s.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d", res.StatusCode)
	}
	lines := bufio.NewScanner(res.Body)
	for lines.Scan() {
		if v, ok := strings.CutPrefix(lines.Text(), series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", series, err)
			}
			return f
		}
	}
	return 0 // a counter not yet incremented has no series
}

func TestNotifyMetricsCountOutcomesAndLag(t *testing.T) {
	s, sink, rc := notifyDB(t)
	t0 := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	ordClock(t, s, t0.Format(time.RFC3339))
	tn := NewTenant(t)
	coord := ordUser(t, tn, "coordinator", "")
	subscribe(t, tn, rc, notify.OrderSubmitted, notify.OrderAccepted)
	rc.mu.Lock()
	rc.failures[notify.OrderAccepted] = 1 << 30
	rc.mu.Unlock()
	const (
		lag     = "jobcenter_outbox_lag_seconds"
		pending = "jobcenter_notify_deliveries_pending"
	)
	total := func(channel, outcome string) string {
		return `jobcenter_notify_deliveries_total{channel="` + channel + `",outcome="` + outcome + `"}`
	}

	// Nothing is sent while the dispatcher stands: the events wait.
	s.Main.Dispatcher.Stop()
	emitAt(t, s.Main.DB, tn.ID, notify.OrderSubmitted, t0, map[string]string{"order_id": "o1"})
	emitAt(t, s.Main.DB, tn.ID, notify.OrderAccepted, t0.Add(30*time.Second), map[string]string{"order_id": "o2"})
	ordClock(t, s, t0.Add(90*time.Second).Format(time.RFC3339))
	if v := scrape(t, s, lag); v != 90 {
		t.Errorf("lag with the oldest event 90 s old: %v", v)
	}
	if v := scrape(t, s, pending); v != 0 {
		t.Errorf("pending before fan-out: %v", v)
	}

	// The submitted order reaches the receiver and the coordinator; the
	// accepted one fails and waits for its retry.
	s.Main.Dispatcher.Start()
	eventually(t, "the outcomes", func() bool {
		return scrape(t, s, total("webhook", "delivered")) == 1 && scrape(t, s, total("email", "delivered")) == 1 &&
			scrape(t, s, total("webhook", "retry")) == 1
	})
	if len(sink.to(coord)) != 1 || len(rc.calls()) != 2 {
		t.Errorf("%d mails, %d webhook calls", len(sink.to(coord)), len(rc.calls()))
	}
	if v := scrape(t, s, pending); v != 1 {
		t.Errorf("pending with one retry ahead: %v", v)
	}
	if v := scrape(t, s, lag); v != 0 {
		t.Errorf("lag with nothing due: %v", v)
	}

	// A day later the retry is due and the delivery fails for good.
	ordClock(t, s, t0.Add(25*time.Hour).Format(time.RFC3339))
	eventually(t, "the failure", func() bool { return scrape(t, s, total("webhook", "failed")) == 1 })
	if v := scrape(t, s, pending); v != 0 {
		t.Errorf("pending after the failure: %v", v)
	}
	if v := scrape(t, s, total("webhook", "delivered")); v != 1 {
		t.Errorf("delivered webhooks: %v", v)
	}
	if v := scrape(t, s, lag); v != 0 {
		t.Errorf("lag with nothing waiting: %v", v)
	}
}

// An admin sets a user's language; the user's mails follow it.
func TestUserLanguageChoosesTheMailLanguage(t *testing.T) {
	s, sink, _ := notifyDB(t)
	tn := NewTenant(t)
	swede, finn := ordUser(t, tn, "coordinator", ""), ordUser(t, tn, "coordinator", "")
	token := tn.Login(t, swede)
	me := tn.Do(t, http.MethodGet, "/v1/me", token, nil).Expect(t, http.StatusOK).Map(t)
	if me["language"] != "fi" {
		t.Errorf("a new user's language: %v", me["language"])
	}
	id := me["id"].(string)
	r := patchUser(t, tn, tn.AdminToken, id, `"1"`, map[string]any{"language": "de"}).Expect(t, http.StatusUnprocessableEntity)
	if !strings.Contains(string(r.Body), `"/language"`) {
		t.Errorf("unknown language: %s", r.Body)
	}
	patchUser(t, tn, token, id, `"1"`, map[string]any{"language": "sv"}).Expect(t, http.StatusForbidden)
	if v := patchUser(t, tn, tn.AdminToken, id, `"1"`, map[string]any{"language": "sv"}).Expect(t, http.StatusOK).Map(t); v["language"] != "sv" {
		t.Errorf("patched: %v", v)
	}
	if v := tn.Do(t, http.MethodGet, "/v1/users/"+id, tn.AdminToken, nil).Expect(t, http.StatusOK).Map(t); v["language"] != "sv" || v["version"] != float64(2) {
		t.Errorf("GET /v1/users/{id}: %v", v)
	}
	if v := tn.Do(t, http.MethodGet, "/v1/me", token, nil).Expect(t, http.StatusOK).Map(t); v["language"] != "sv" {
		t.Errorf("GET /v1/me: %v", v)
	}

	emitAt(t, s.Main.DB, tn.ID, notify.OrderSubmitted, time.Now(), map[string]string{"order_id": "o1", "site_address": "Hamngatan 1"})
	eventually(t, "both mails", func() bool { return len(sink.to(swede)) == 1 && len(sink.to(finn)) == 1 })
	if m := sink.to(swede)[0].Data; !strings.Contains(m, "En kund har lämnat en ny beställning till Hamngatan 1") || strings.Contains(m, "Asiakas") {
		t.Errorf("the Swedish user's mail:\n%s", m)
	}
	if m := sink.to(finn)[0].Data; !strings.Contains(m, "Asiakas on jättänyt uuden tilauksen kohteeseen Hamngatan 1") {
		t.Errorf("the Finnish user's mail:\n%s", m)
	}
}

// selfSigned writes a certificate for 127.0.0.1 to a PEM file and returns
// the file and the server's TLS configuration.
func selfSigned(t *testing.T) (string, *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mail relay"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(file, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return file, &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

// authSession is a sink session that takes PLAIN authentication and
// records whether it ran over TLS.
type authSession struct {
	*sinkSession
	conn *smtp.Conn
	seen *authLog
}

type authLog struct {
	mu    sync.Mutex
	users []string
	tls   bool
}

func (s *authSession) AuthMechanisms() []string { return []string{sasl.Plain} }
func (s *authSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != "relay" || pass != "s3cret pw" {
			return errors.New("bad credentials")
		}
		_, onTLS := s.conn.TLSConnectionState()
		s.seen.mu.Lock()
		defer s.seen.mu.Unlock()
		s.seen.users, s.seen.tls = append(s.seen.users, user), onTLS
		return nil
	}), nil
}

// Mail over smtp:// goes through STARTTLS to a server whose certificate
// chains to JOBCENTER_SMTP_CA_FILE, authenticated with PLAIN; a server that
// does not offer STARTTLS is refused.
func TestMailUsesStartTLSAndAuth(t *testing.T) {
	caFile, serverTLS := selfSigned(t)
	sink, seen := &mailSink{}, &authLog{}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &authSession{sinkSession: &sinkSession{sink: sink}, conn: c, seen: seen}, nil
	}))
	// No AUTH before STARTTLS: a login proves the connection was encrypted.
	srv.Domain, srv.TLSConfig, srv.AllowInsecureAuth = "localhost", serverTLS, false
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	dbURL, drop, err := DatabaseURL(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	s := startOwnServer(t, dbURL, notifySettings(map[string]string{
		"JOBCENTER_SMTP_URL":     "smtp://relay:s3cret%20pw@" + ln.Addr().String(),
		"JOBCENTER_SMTP_CA_FILE": caFile,
	}))
	tn := NewTenant(t)
	coord := ordUser(t, tn, "coordinator", "")
	emitAt(t, s.Main.DB, tn.ID, notify.OrderSubmitted, time.Now(), map[string]string{"order_id": "o1", "site_address": "Satamakatu 1"})
	eventually(t, "the mail", func() bool { return len(sink.to(coord)) == 1 })
	seen.mu.Lock()
	if len(seen.users) != 1 || !seen.tls {
		t.Errorf("logins %v, over TLS %v", seen.users, seen.tls)
	}
	seen.mu.Unlock()

	// The same URL to a server without STARTTLS: nothing is sent in clear.
	plain := newMailSink(t)
	m, err := notify.NewMailer("smtp://relay:s3cret%20pw@"+plain.addr, "jobcenter@example.fi", caFile)
	if err != nil {
		t.Fatal(err)
	}
	err = m.Send(context.Background(), coord, notify.Message{Subject: "s", Text: "t", HTML: "<p>h</p>"}, time.Now())
	if err == nil || !strings.Contains(strings.ToUpper(err.Error()), "STARTTLS") || len(plain.to(coord)) != 0 {
		t.Errorf("a server without STARTTLS: %v, %d mails", err, len(plain.to(coord)))
	}
	// A certificate the CA file does not vouch for is refused too.
	untrusted, _ := selfSigned(t)
	m, err = notify.NewMailer("smtp://relay:s3cret%20pw@"+ln.Addr().String(), "jobcenter@example.fi", untrusted)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(context.Background(), coord, notify.Message{Subject: "s", Text: "t", HTML: "<p>h</p>"}, time.Now()); err == nil {
		t.Error("a certificate of another CA was trusted")
	}
	if n := len(sink.to(coord)); n != 1 {
		t.Errorf("%d mails, want 1", n)
	}
}
