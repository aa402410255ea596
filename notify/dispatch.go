package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"jobcenter/clock"
	"jobcenter/store"
)

// Retry policy: exponential backoff from RetryBase, capped, with jitter,
// for RetryFor after a delivery was created; then the delivery failed.
// A subscription failing without a success for DisableAfter is disabled.
const (
	RetryBase    = 30 * time.Second
	RetryCap     = 4 * time.Hour
	RetryFor     = 24 * time.Hour
	DisableAfter = 72 * time.Hour
	// lease is how long a claimed delivery stays with its dispatcher: far
	// longer than a send may take, so another replica takes it over only
	// after a crash.
	lease = 5 * time.Minute
)

// Backoff is the delay after the attempt-th failed attempt (1-based):
// RetryBase·2^(attempt−1), capped at RetryCap, plus up to half of it as
// jitter (jitter in [0, 1)). Each delay is longer than the one before
// until the cap.
func Backoff(attempt int, jitter float64) time.Duration {
	d := RetryCap
	if attempt < 20 {
		d = min(RetryBase<<(attempt-1), RetryCap)
	}
	return d + time.Duration(jitter*float64(d)/2)
}

// Dispatcher fans outbox events out to deliveries and sends the due ones.
// Every serve process runs one; replicas share the work through row claims.
type Dispatcher struct {
	DB    *store.DB
	Clock clock.Clock
	Loc   *time.Location
	Log   *slog.Logger
	// HTTP sends webhooks (NewHTTPClient).
	HTTP *http.Client
	// Mailer sends e-mail; nil turns e-mail off.
	Mailer *Mailer
	// PublicURL is the service's address for links in mails.
	PublicURL string
	// Poll is the pause between rounds when there is nothing to do.
	Poll time.Duration
	// Batch bounds the rows one round claims; Workers the parallel sends.
	Batch, Workers int
	// Metrics, when set, count delivery outcomes.
	Metrics *Metrics

	stop chan struct{}
	done chan struct{}
}

// Start runs rounds until Stop.
func (d *Dispatcher) Start() {
	d.stop, d.done = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(d.done)
		for {
			n, err := d.Round(context.Background())
			if err != nil {
				d.Log.Error("notification dispatch", "error", err)
			}
			if n > 0 && err == nil {
				select {
				case <-d.stop:
					return
				default:
					continue
				}
			}
			select {
			case <-d.stop:
				return
			case <-time.After(d.Poll):
			}
		}
	}()
}

// Stop lets the round in progress finish its sends and returns.
func (d *Dispatcher) Stop() {
	if d.stop == nil {
		return
	}
	close(d.stop)
	<-d.done
	d.stop = nil
}

// Round fans pending events out and sends the due deliveries once; it
// returns how many rows it handled.
func (d *Dispatcher) Round(ctx context.Context) (int, error) {
	fanned, err := d.fanOut(ctx)
	if err != nil {
		return 0, err
	}
	due, err := d.claim(ctx)
	if err != nil {
		return fanned, err
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(d.Workers, 1))
	for _, dl := range due {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := d.deliver(ctx, dl); err != nil {
				d.Log.Error("notification delivery", "delivery_id", dl.ID, "error", err)
			}
		}()
	}
	wg.Wait()
	return fanned + len(due), nil
}

// skipLocked claims rows on PostgreSQL without waiting for another
// replica's; SQLite's immediate transaction already holds the write lock.
func (d *Dispatcher) skipLocked(tx *gorm.DB) *gorm.DB {
	if d.DB.Dialect == store.Postgres {
		return tx.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
	}
	return tx
}

// fanOut turns pending outbox rows into deliveries in one transaction:
// one per matching active webhook subscription and, with e-mail on, one per
// user who must act and has not turned the kind off.
func (d *Dispatcher) fanOut(ctx context.Context) (int, error) {
	n := 0
	err := d.DB.WithTx(ctx, func(tx *gorm.DB) error {
		var events []outboxRow
		if err := d.skipLocked(tx).Where("fanned_out_at IS NULL").Order("created_at, id").Limit(d.batch()).Find(&events).Error; err != nil {
			return fmt.Errorf("pending events: %w", err)
		}
		n = len(events)
		if n == 0 {
			return nil
		}
		now := d.Clock.Now()
		var out []Delivery
		ids := make([]string, 0, n)
		for _, e := range events {
			ids = append(ids, e.ID)
			targets, err := d.targets(tx, e)
			if err != nil {
				return err
			}
			for _, t := range targets {
				t.ID, t.TenantID, t.EventID, t.Status, t.NextAttemptAt, t.CreatedAt = store.NewID(), e.TenantID, e.ID, StatusPending, now, now
				out = append(out, t)
			}
		}
		if len(out) > 0 {
			if err := tx.CreateInBatches(out, 200).Error; err != nil {
				return fmt.Errorf("create deliveries: %w", err)
			}
		}
		if err := tx.Model(&outboxRow{}).Where("id IN ?", ids).Update("fanned_out_at", now).Error; err != nil {
			return fmt.Errorf("mark events fanned out: %w", err)
		}
		return nil
	})
	return n, err
}

// targets are the deliveries an event makes, without ids and times.
func (d *Dispatcher) targets(tx *gorm.DB, e outboxRow) ([]Delivery, error) {
	var out []Delivery
	if Public(e.Type) {
		var hooks []Webhook
		if err := tx.Where("tenant_id = ? AND disabled_at IS NULL", e.TenantID).Find(&hooks).Error; err != nil {
			return nil, fmt.Errorf("subscriptions: %w", err)
		}
		for _, h := range hooks {
			if h.Wants(e.Type) {
				out = append(out, Delivery{Channel: ChannelWebhook, WebhookID: &h.ID})
			}
		}
	}
	route, ok := mailRoutes[e.Type]
	if !ok || d.Mailer == nil {
		return out, nil
	}
	q := tx.Table("users").Where("tenant_id = ? AND role = ? AND active", e.TenantID, route.role).
		Where("NOT EXISTS (SELECT 1 FROM notification_opt_outs o WHERE o.user_id = users.id AND o.kind = ?)", route.kind)
	if route.orgField != "" {
		var data map[string]any
		if err := json.Unmarshal([]byte(e.Data), &data); err != nil {
			return nil, fmt.Errorf("event %s data: %w", e.ID, err)
		}
		org, _ := data[route.orgField].(string)
		q = q.Where("organization_id = ?", org)
	}
	var users []string
	if err := q.Order("id").Pluck("id", &users).Error; err != nil {
		return nil, fmt.Errorf("mail recipients: %w", err)
	}
	for _, u := range users {
		out = append(out, Delivery{Channel: ChannelEmail, UserID: &u})
	}
	return out, nil
}

func (d *Dispatcher) batch() int { return max(d.Batch, 1) }

// claim takes due deliveries for this dispatcher: it writes a lease token
// and moves their due time past the lease, so no other replica takes them
// while they are sent.
func (d *Dispatcher) claim(ctx context.Context) ([]Delivery, error) {
	var due []Delivery
	token := store.NewID()
	err := d.DB.WithTx(ctx, func(tx *gorm.DB) error {
		now := d.Clock.Now()
		if err := d.skipLocked(tx).Where("status = ? AND next_attempt_at <= ?", StatusPending, now).
			Order("next_attempt_at, id").Limit(d.batch()).Find(&due).Error; err != nil {
			return fmt.Errorf("due deliveries: %w", err)
		}
		if len(due) == 0 {
			return nil
		}
		ids := make([]string, len(due))
		for i := range due {
			ids[i] = due[i].ID
			due[i].Lease = &token
			due[i].Attempts++
		}
		return tx.Model(&Delivery{}).Where("id IN ?", ids).Updates(map[string]any{"lease": token,
			"next_attempt_at": now.Add(lease), "attempts": gorm.Expr("attempts + 1")}).Error
	})
	return due, err
}

// deliver sends one claimed delivery and records the outcome.
func (d *Dispatcher) deliver(ctx context.Context, dl Delivery) error {
	var e outboxRow
	if err := d.DB.Gorm.WithContext(ctx).Where("id = ?", dl.EventID).Take(&e).Error; err != nil {
		return fmt.Errorf("load event: %w", err)
	}
	at := d.Clock.Now()
	var res webhookResult
	var hook Webhook
	switch dl.Channel {
	case ChannelWebhook:
		if err := d.DB.Gorm.WithContext(ctx).Where("id = ?", *dl.WebhookID).Take(&hook).Error; err != nil {
			return store.NotFound(err, "webhook")
		}
		if hook.DisabledAt != nil {
			res = webhookResult{Err: errors.New("the subscription is disabled")}
			break
		}
		body, err := Payload(e.Type, e.CreatedAt, []byte(e.Data))
		if err != nil {
			return err
		}
		res = sendWebhook(ctx, d.HTTP, hook.URL, hook.Secret, e.ID, at, body)
	case ChannelEmail:
		start := time.Now()
		res.Err = d.sendMail(ctx, e, *dl.UserID, at)
		res.Took = time.Since(start)
	}
	return d.record(ctx, dl, hook, res)
}

// Payload is a webhook body: {type, timestamp, data}.
func Payload(eventType string, at time.Time, data []byte) ([]byte, error) {
	b, err := json.Marshal(struct {
		Type      string          `json:"type"`
		Timestamp time.Time       `json:"timestamp"`
		Data      json.RawMessage `json:"data"`
	}{eventType, at.UTC(), data})
	if err != nil {
		return nil, fmt.Errorf("webhook payload: %w", err)
	}
	return b, nil
}

func (d *Dispatcher) sendMail(ctx context.Context, e outboxRow, userID string, at time.Time) error {
	if d.Mailer == nil {
		return errors.New("e-mail is off")
	}
	var u struct{ Email, Language string }
	if err := d.DB.Gorm.WithContext(ctx).Table("users").Select("email, language").Where("id = ?", userID).Take(&u).Error; err != nil {
		return store.NotFound(err, "user")
	}
	route := mailRoutes[e.Type]
	var data map[string]any
	json.Unmarshal([]byte(e.Data), &data)
	link := ""
	if route.link != "" {
		link = d.PublicURL + route.linkPath(data)
	}
	msg, err := render(route.kind, u.Language, []byte(e.Data), d.Loc, link)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, WebhookTimeout)
	defer cancel()
	return d.Mailer.Send(ctx, u.Email, msg, at)
}

// record writes the attempt into the log and the delivery's new state:
// delivered, due again after a backoff, or failed after RetryFor. A webhook
// failing for DisableAfter without a success is disabled and its tenant's
// admins are told.
func (d *Dispatcher) record(ctx context.Context, dl Delivery, hook Webhook, res webhookResult) error {
	now := d.Clock.Now()
	ms := int(res.Took.Milliseconds())
	outcome := StatusDelivered
	err := d.DB.WithTx(ctx, func(tx *gorm.DB) error {
		attempt := Attempt{ID: store.NewID(), DeliveryID: dl.ID, AttemptedAt: now, StatusCode: res.StatusCode, ResponseMs: ms}
		cols := map[string]any{"lease": nil, "last_status_code": res.StatusCode, "last_response_ms": ms, "last_error": ""}
		if res.Err == nil {
			cols["status"], cols["delivered_at"] = StatusDelivered, now
		} else {
			attempt.Error = truncate(res.Err.Error(), 500)
			cols["last_error"] = attempt.Error
			deadline := dl.CreatedAt.Add(RetryFor)
			next := now.Add(Backoff(dl.Attempts, rand.Float64()))
			switch {
			case !now.Before(deadline):
				cols["status"], outcome = StatusFailed, StatusFailed
			case next.After(deadline):
				cols["next_attempt_at"], outcome = deadline, "retry"
			default:
				cols["next_attempt_at"], outcome = next, "retry"
			}
		}
		if err := tx.Create(&attempt).Error; err != nil {
			return fmt.Errorf("log attempt: %w", err)
		}
		if err := tx.Model(&Delivery{}).Where("id = ? AND lease = ?", dl.ID, *dl.Lease).Updates(cols).Error; err != nil {
			return fmt.Errorf("record delivery: %w", err)
		}
		if dl.Channel != ChannelWebhook {
			return nil
		}
		return d.trackHealth(tx, hook, res.Err == nil, now)
	})
	if d.Metrics != nil && err == nil {
		d.Metrics.outcomes.WithLabelValues(dl.Channel, outcome).Inc()
	}
	return err
}

// trackHealth keeps the start of a subscription's run of failures and
// disables it after DisableAfter.
func (d *Dispatcher) trackHealth(tx *gorm.DB, hook Webhook, ok bool, now time.Time) error {
	if ok {
		// Only a failing subscription's row is written: concurrent
		// successes to a healthy one do not queue on its row lock.
		return tx.Model(&Webhook{}).Where("id = ? AND failing_since IS NOT NULL", hook.ID).Update("failing_since", nil).Error
	}
	if hook.FailingSince == nil {
		return tx.Model(&Webhook{}).Where("id = ? AND failing_since IS NULL", hook.ID).Update("failing_since", now).Error
	}
	if hook.DisabledAt != nil || now.Sub(*hook.FailingSince) < DisableAfter {
		return nil
	}
	res := tx.Model(&Webhook{}).Where("id = ? AND disabled_at IS NULL", hook.ID).Updates(map[string]any{"disabled_at": now,
		"disabled_reason": "deliveries failed for three days since " + hook.FailingSince.UTC().Format(time.RFC3339)})
	if res.Error != nil {
		return fmt.Errorf("disable webhook: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil
	}
	d.Log.Warn("webhook subscription disabled", "webhook_id", hook.ID, "tenant_id", hook.TenantID, "failing_since", hook.FailingSince)
	return Emit(tx, now, Event{TenantID: hook.TenantID, Type: webhookDisabled,
		Data: map[string]any{"webhook_id": hook.ID, "url": hook.URL, "failing_since": hook.FailingSince.UTC()}})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
