package apitest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"gorm.io/gorm"

	"jobcenter/clock"
	"jobcenter/notify"
	"jobcenter/store"
)

// mailSink is a real SMTP server on loopback that keeps what it receives.
type mailSink struct {
	mu   sync.Mutex
	msgs []sunkMail
	addr string
}

type sunkMail struct {
	To   string
	Data string
}

type sinkSession struct {
	sink *mailSink
	to   []string
}

func (s *sinkSession) Reset()        { s.to = nil }
func (s *sinkSession) Logout() error { return nil }
func (s *sinkSession) Mail(string, *smtp.MailOptions) error {
	return nil
}
func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}
func (s *sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.sink.mu.Lock()
	defer s.sink.mu.Unlock()
	for _, to := range s.to {
		// The parts are quoted-printable; the whole message decodes as such
		// (its headers are plain ASCII), which is enough to search it.
		text, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(b)))
		if err != nil {
			return err
		}
		s.sink.msgs = append(s.sink.msgs, sunkMail{To: to, Data: string(text)})
	}
	return nil
}

func newMailSink(t *testing.T) *mailSink {
	t.Helper()
	sink := &mailSink{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: sink}, nil }))
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sink.addr = ln.Addr().String()
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return sink
}

// to returns the mails to an address.
func (s *mailSink) to(addr string) []sunkMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []sunkMail
	for _, m := range s.msgs {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

// receiver is a webhook endpoint on loopback that keeps every request and
// answers 500 to the first failures[type] deliveries of an event type.
type receiver struct {
	mu       sync.Mutex
	got      []hookCall
	failures map[string]int
	srv      *httptest.Server
}

type hookCall struct {
	ID, Timestamp, Signature string
	Body                     []byte
	Type                     string
	Status                   int
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{failures: map[string]int{}}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var p struct{ Type string }
		json.Unmarshal(body, &p)
		rc.mu.Lock()
		status := http.StatusNoContent
		if rc.failures[p.Type] > 0 {
			rc.failures[p.Type]--
			status = http.StatusInternalServerError
		}
		rc.got = append(rc.got, hookCall{ID: r.Header.Get("webhook-id"), Timestamp: r.Header.Get("webhook-timestamp"),
			Signature: r.Header.Get("webhook-signature"), Body: body, Type: p.Type, Status: status})
		rc.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) calls() []hookCall {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]hookCall(nil), rc.got...)
}

// ofType returns the calls of an event type.
func (rc *receiver) ofType(typ string) []hookCall {
	var out []hookCall
	for _, c := range rc.calls() {
		if c.Type == typ {
			out = append(out, c)
		}
	}
	return out
}

// verify checks a delivery's signature with the Standard Webhooks
// algorithm, written out here rather than borrowed from the sender.
func verify(t *testing.T, secret string, c hookCall) {
	t.Helper()
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(c.ID + "." + c.Timestamp + "." + string(c.Body)))
	want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(c.Signature)) {
		t.Errorf("%s: signature %q does not verify (want %q)", c.Type, c.Signature, want)
	}
	if _, err := strconv.ParseInt(c.Timestamp, 10, 64); err != nil || c.ID == "" {
		t.Errorf("%s: webhook-id %q, webhook-timestamp %q", c.Type, c.ID, c.Timestamp)
	}
}

// eventually waits until ok holds, or fails after ten seconds.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startNotifyServer starts a service of its own on dbURL with e-mail to the
// sink, and makes it the package's server until the test ends.
func startNotifyServer(t *testing.T, dbURL string, sink *mailSink) *Server {
	t.Helper()
	return startOwnServer(t, dbURL, notifySettings(map[string]string{"JOBCENTER_SMTP_URL": "smtp://" + sink.addr + "?tls=none"}))
}

// notifySettings are env (the SMTP URL among them) over what notification
// tests share: a sender address, links to a public URL, and webhooks allowed
// to loopback.
func notifySettings(env map[string]string) map[string]string {
	settings := map[string]string{
		"JOBCENTER_SMTP_FROM":             "jobcenter@example.fi",
		"JOBCENTER_WEBHOOK_ALLOW_PRIVATE": "1",
		"JOBCENTER_PUBLIC_URL":            "https://jobcenter.example.fi",
	}
	for k, v := range env {
		settings[k] = v
	}
	return settings
}

// subscribe creates a webhook to the receiver for the event types and
// returns its id and secret.
func subscribe(t *testing.T, tn *Tenant, rc *receiver, events ...string) (id, secret string) {
	t.Helper()
	r := tn.Do(t, http.MethodPost, "/v1/webhooks", tn.AdminToken, map[string]any{"url": rc.srv.URL + "/hooks", "events": events})
	m := r.Expect(t, http.StatusCreated).Map(t)
	return m["id"].(string), m["secret"].(string)
}

func TestNotificationsReachPeopleAndSystemsOnceWithPseudonymsOnly(t *testing.T) {
	sink, rc := newMailSink(t), newReceiver(t)
	dbURL, drop, err := DatabaseURL(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	startNotifyServer(t, dbURL, sink)
	c := newCrewedShift(t)
	hookID, secret := subscribe(t, c.tn, rc, notify.TimesheetSubmitted, notify.TimesheetDisputed, notify.TimesheetApproved)
	c.tn.Do(t, http.MethodPut, "/v1/me/notifications", c.cust, map[string]any{"language": "en"}).Expect(t, http.StatusOK)

	// The fixture's order was submitted and accepted before the subscription:
	// the coordinator and the customer were told by mail.
	eventually(t, "order mails", func() bool { return len(sink.to(c.custEmail)) == 1 && len(sink.to(c.coordEmail)) == 1 })
	if m := sink.to(c.custEmail)[0].Data; !strings.Contains(m, "https://jobcenter.example.fi/app/orders/") || !strings.Contains(m, "text/html") {
		t.Errorf("customer's acceptance mail:\n%s", m)
	}

	c.at(t, "2026-11-10T11:00:00Z")
	c.record(t, c.supervisor, c.entries()).Expect(t, http.StatusOK)
	c.step(t, c.supervisor, "submit", nil).Expect(t, http.StatusOK)
	c.step(t, c.cust, "dispute", map[string]any{"reason": "Two people were not there"}).Expect(t, http.StatusOK)
	c.record(t, c.supervisor, c.entries()).Expect(t, http.StatusOK)
	c.step(t, c.supervisor, "submit", nil).Expect(t, http.StatusOK)
	c.step(t, c.cust, "approve", nil).Expect(t, http.StatusOK)
	// A refused change (no reason) commits nothing and tells nobody.
	c.step(t, c.cust, "dispute", map[string]any{"reason": ""}).Expect(t, http.StatusUnprocessableEntity)

	// A change rolled back after its event was written sends nothing.
	rollback := errors.New("rolled back")
	err = c.tn.S.Main.DB.WithTx(context.Background(), func(tx *gorm.DB) error {
		if err := notify.Emit(tx, time.Now(), notify.Event{TenantID: c.tn.ID, Type: notify.TimesheetApproved, Data: map[string]string{"shift_id": "rolled-back"}}); err != nil {
			return err
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}

	eventually(t, "webhook deliveries", func() bool { return len(rc.ofType(notify.TimesheetApproved)) == 1 })
	eventually(t, "mails", func() bool { return len(sink.to(c.custEmail)) == 3 && len(sink.to(c.coordEmail)) == 2 })
	time.Sleep(200 * time.Millisecond) // ten more dispatcher rounds: nothing more may come

	counts := map[string]int{}
	for _, call := range rc.calls() {
		verify(t, secret, call)
		counts[call.Type]++
		if strings.Contains(string(call.Body), "rolled-back") {
			t.Errorf("a rolled-back event was delivered: %s", call.Body)
		}
		for _, name := range []string{"Aino", "Virtanen"} {
			if strings.Contains(string(call.Body), name) {
				t.Errorf("%s webhook names a participant: %s", call.Type, call.Body)
			}
		}
	}
	want := map[string]int{notify.TimesheetSubmitted: 2, notify.TimesheetDisputed: 1, notify.TimesheetApproved: 1}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("webhook deliveries by type %v, want %v", counts, want)
	}
	ids := map[string]bool{}
	for _, call := range rc.calls() {
		if ids[call.ID] {
			t.Errorf("event %s delivered twice", call.ID)
		}
		ids[call.ID] = true
	}
	submitted := rc.ofType(notify.TimesheetSubmitted)[0].Body
	var payload struct {
		Type      string           `json:"type"`
		Timestamp time.Time        `json:"timestamp"`
		Data      notify.ShiftData `json:"data"`
	}
	if err := json.Unmarshal(submitted, &payload); err != nil || payload.Data.ShiftID != c.shift || len(payload.Data.Crew) != 2 ||
		payload.Data.Crew[0].Pseudonym == "" || payload.Timestamp.IsZero() {
		t.Errorf("timesheet.submitted payload: %v %s", err, submitted)
	}

	// The customer: acceptance, then twice hours waiting, in English, with a
	// link into the web app and pseudonyms only.
	mails := sink.to(c.custEmail)
	for _, m := range mails[1:] {
		if !strings.Contains(m.Data, "wait for your approval") || !strings.Contains(m.Data, "https://jobcenter.example.fi/app/shifts/"+c.shift) ||
			!strings.Contains(m.Data, payload.Data.Crew[0].Pseudonym) {
			t.Errorf("hours-waiting mail:\n%s", m.Data)
		}
	}
	for _, m := range mails {
		for _, name := range []string{"Aino", "Virtanen"} {
			if strings.Contains(m.Data, name) {
				t.Errorf("a customer's mail names a participant:\n%s", m.Data)
			}
		}
	}
	// The coordinator: the new order, then the dispute in Finnish.
	if m := sink.to(c.coordEmail)[1].Data; !strings.Contains(m, "Two people were not there") {
		t.Errorf("dispute mail:\n%s", m)
	}

	log := c.tn.Do(t, http.MethodGet, "/v1/webhooks/"+hookID+"/deliveries", c.tn.AdminToken, nil).Expect(t, http.StatusOK).Map(t)
	if items := log["items"].([]any); len(items) != 4 || items[0].(map[string]any)["status"] != "delivered" ||
		items[0].(map[string]any)["log"].([]any)[0].(map[string]any)["status_code"] != float64(204) {
		t.Errorf("delivery log: %v", log)
	}
}

func TestUnknownEventTypeAndPrivateURLAre422(t *testing.T) {
	tn := NewTenant(t) // the shared server: development mode, private addresses refused
	r := tn.Do(t, http.MethodPost, "/v1/webhooks", tn.AdminToken, map[string]any{"url": "https://erp.example.fi/h", "events": []string{"order.submitted", "order.shipped"}})
	if r.Expect(t, http.StatusUnprocessableEntity); !strings.Contains(string(r.Body), `"/events/1"`) || !strings.Contains(string(r.Body), "order.shipped") {
		t.Errorf("unknown event: %s", r.Body)
	}
	for _, u := range []string{"https://127.0.0.1/h", "https://10.0.0.5/h", "https://[fe80::1]/h", "https://user:pw@erp.example.fi/h", "ftp://erp.example.fi/h"} {
		r := tn.Do(t, http.MethodPost, "/v1/webhooks", tn.AdminToken, map[string]any{"url": u, "events": []string{"order.submitted"}})
		if r.Expect(t, http.StatusUnprocessableEntity); !strings.Contains(string(r.Body), `"/url"`) {
			t.Errorf("%s: %s", u, r.Body)
		}
	}
	if n := countRows(t, tn, "webhooks"); n != 0 {
		t.Errorf("%d subscriptions written", n)
	}
	r = tn.Do(t, http.MethodPut, "/v1/me/notifications", tn.AdminToken, map[string]any{"email": map[string]bool{"gossip": false}})
	r.Expect(t, http.StatusUnprocessableEntity)
}

// emit writes an event for the tenant straight into the outbox, as a use
// case's committed transaction does.
func emit(t *testing.T, db *store.DB, tenantID, marker string) {
	t.Helper()
	if err := db.WithTx(context.Background(), func(tx *gorm.DB) error {
		return notify.Emit(tx, time.Now(), notify.Event{TenantID: tenantID, Type: notify.OrderSubmitted, Data: map[string]string{"order_id": marker}})
	}); err != nil {
		t.Fatal(err)
	}
}

func TestWebhookRetriesWithGrowingDelaysByTheServiceClock(t *testing.T) {
	sink, rc := newMailSink(t), newReceiver(t)
	dbURL, drop, err := DatabaseURL(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	s := startNotifyServer(t, dbURL, sink)
	t0 := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	ordClock(t, s, t0.Format(time.RFC3339))
	tn := NewTenant(t)
	hookID, secret := subscribe(t, tn, rc, notify.OrderSubmitted)
	rc.mu.Lock()
	rc.failures[notify.OrderSubmitted] = 2
	rc.mu.Unlock()
	emit(t, s.Main.DB, tn.ID, "retry-me")

	next := func(n int) time.Time {
		eventually(t, fmt.Sprintf("attempt %d", n), func() bool { return len(rc.calls()) == n })
		var at time.Time
		eventually(t, "the next attempt's time", func() bool {
			d := tn.Do(t, http.MethodGet, "/v1/webhooks/"+hookID+"/deliveries", tn.AdminToken, nil).Map(t)["items"].([]any)[0].(map[string]any)
			if len(d["log"].([]any)) != n || d["next_attempt_at"] == nil {
				return false
			}
			at, _ = time.Parse(time.RFC3339Nano, d["next_attempt_at"].(string))
			return true
		})
		return at
	}
	n1 := next(1)
	time.Sleep(100 * time.Millisecond) // rounds pass, the clock does not: no retry yet
	if len(rc.calls()) != 1 {
		t.Fatalf("retried before its time: %d calls", len(rc.calls()))
	}
	ordClock(t, s, n1.Format(time.RFC3339Nano))
	n2 := next(2)
	if d1, d2 := n1.Sub(t0), n2.Sub(n1); d1 <= 0 || d2 <= d1 {
		t.Errorf("delays %v then %v do not grow", d1, d2)
	}
	ordClock(t, s, n2.Format(time.RFC3339Nano))
	eventually(t, "the third attempt", func() bool { return len(rc.calls()) == 3 })
	ordClock(t, s, n2.Add(48*time.Hour).Format(time.RFC3339))
	tn.Relogin(t)
	time.Sleep(200 * time.Millisecond)
	calls := rc.calls()
	if len(calls) != 3 || calls[0].ID != calls[2].ID || calls[2].Status != http.StatusNoContent {
		t.Fatalf("calls after success: %+v", calls)
	}
	for _, c := range calls {
		verify(t, secret, c)
	}
	d := tn.Do(t, http.MethodGet, "/v1/webhooks/"+hookID+"/deliveries", tn.AdminToken, nil).Map(t)["items"].([]any)[0].(map[string]any)
	if d["status"] != "delivered" || d["attempts"] != float64(3) || d["next_attempt_at"] != nil {
		t.Errorf("delivery: %v", d)
	}
	// A manual retry sends it once more.
	did := d["id"].(string)
	tn.Do(t, http.MethodPost, "/v1/webhooks/"+hookID+"/deliveries/"+did+"/retry", tn.AdminToken, nil).Expect(t, http.StatusOK)
	eventually(t, "the manual retry", func() bool { return len(rc.calls()) == 4 })
}

func TestEventsCommittedBeforeARestartAreDelivered(t *testing.T) {
	sink, rc := newMailSink(t), newReceiver(t)
	dbURL, drop, err := DatabaseURL(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	s1 := startNotifyServer(t, dbURL, sink)
	tn := NewTenant(t)
	subscribe(t, tn, rc, notify.OrderSubmitted)
	// The process stops sending, the change commits, the process ends.
	s1.Main.Dispatcher.Stop()
	emit(t, s1.Main.DB, tn.ID, "across-restart")
	time.Sleep(100 * time.Millisecond)
	if len(rc.calls()) != 0 {
		t.Fatal("delivered by a stopped dispatcher")
	}
	if err := s1.Main.Close(); err != nil {
		t.Fatal(err)
	}
	startNotifyServer(t, dbURL, sink)
	eventually(t, "delivery after the restart", func() bool { return len(rc.calls()) == 1 })
	if !strings.Contains(string(rc.calls()[0].Body), "across-restart") {
		t.Errorf("delivered %s", rc.calls()[0].Body)
	}
}

// TestConcurrentDispatchersDeliverEachEventOnce runs two dispatchers, each
// with its own connection pool, on one database.
func TestConcurrentDispatchersDeliverEachEventOnce(t *testing.T) {
	rc := newReceiver(t)
	url, db := OpenDB(t, true)
	tenant := store.NewID()
	if err := db.Gorm.Exec("INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)", tenant, "City "+tenant, time.Now()).Error; err != nil {
		t.Fatal(err)
	}
	secret, _ := notify.NewSecret()
	if err := db.Gorm.Create(&notify.Webhook{ID: store.NewID(), TenantID: tenant, URL: rc.srv.URL, Events: `["order.submitted"]`,
		Secret: secret, CreatedAt: time.Now()}).Error; err != nil {
		t.Fatal(err)
	}
	const events = 200
	for i := range events {
		emit(t, db, tenant, fmt.Sprint("e", i))
	}
	var dispatchers []*notify.Dispatcher
	for range 2 {
		other, err := store.Open(url, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { other.Close() })
		d := &notify.Dispatcher{DB: other, Clock: &clock.Settable{}, Loc: time.UTC, Log: slog.New(slog.DiscardHandler),
			HTTP: notify.NewHTTPClient(true), Poll: 10 * time.Millisecond, Batch: 20, Workers: 4}
		dispatchers = append(dispatchers, d)
	}
	for _, d := range dispatchers {
		d.Start()
	}
	eventually(t, "every event", func() bool { return len(rc.calls()) >= events })
	time.Sleep(200 * time.Millisecond)
	for _, d := range dispatchers {
		d.Stop()
	}
	seen := map[string]int{}
	for _, c := range rc.calls() {
		seen[c.ID]++
		verify(t, secret, c)
	}
	if len(seen) != events || len(rc.calls()) != events {
		t.Fatalf("%d distinct events in %d deliveries, want %d once each", len(seen), len(rc.calls()), events)
	}
}
