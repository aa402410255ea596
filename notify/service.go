package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/clock"
	"jobcenter/models"
	"jobcenter/store"
)

// Service holds the use cases of webhook subscriptions, their delivery log
// and users' mail settings. Every query is scoped to the caller's tenant.
type Service struct {
	DB     *store.DB
	Clock  clock.Clock
	Loc    *time.Location
	Policy URLPolicy
}

// CreateWebhook subscribes url to the event types; the returned
// subscription's Secret is shown to the caller this once.
func (s *Service) CreateWebhook(ctx context.Context, p auth.Principal, url string, events []string) (Webhook, error) {
	v := &models.ValidationError{}
	if err := s.Policy.Check(ctx, strings.TrimSpace(url)); err != nil {
		if ve, ok := err.(*models.ValidationError); ok {
			v.Fields = append(v.Fields, ve.Fields...)
		} else {
			return Webhook{}, err
		}
	}
	if len(events) == 0 {
		v.Add("/events", "name at least one event type")
	}
	seen := map[string]bool{}
	for i, e := range events {
		if !Public(e) {
			v.Add(fmt.Sprintf("/events/%d", i), fmt.Sprintf("%q is not an event type; the types are %s", e, strings.Join(EventTypes, ", ")))
		}
		seen[e] = true
	}
	if err := v.Err(); err != nil {
		return Webhook{}, err
	}
	list := make([]string, 0, len(seen))
	for e := range seen {
		list = append(list, e)
	}
	sort.Strings(list)
	secret, err := NewSecret()
	if err != nil {
		return Webhook{}, err
	}
	b, _ := json.Marshal(list)
	w := Webhook{ID: store.NewID(), TenantID: p.TenantID, URL: strings.TrimSpace(url), Events: string(b), Secret: secret, CreatedAt: s.Clock.Now()}
	err = s.DB.WithTx(ctx, func(tx *gorm.DB) error { return tx.Create(&w).Error })
	return w, err
}

// Webhooks pages the tenant's subscriptions.
func (s *Service) Webhooks(ctx context.Context, p auth.Principal, limit int, cursor string) (store.Page[Webhook], error) {
	return store.List[Webhook](s.DB.Gorm.WithContext(ctx).Where("tenant_id = ?", p.TenantID), "webhooks", limit, cursor)
}

// Webhook loads one subscription of the tenant.
func (s *Service) Webhook(ctx context.Context, p auth.Principal, id string) (Webhook, error) {
	var w Webhook
	err := s.DB.Gorm.WithContext(ctx).Where("tenant_id = ? AND id = ?", p.TenantID, id).Take(&w).Error
	return w, store.NotFound(err, "webhook")
}

// DeleteWebhook ends a subscription with its delivery log.
func (s *Service) DeleteWebhook(ctx context.Context, p auth.Principal, id string) error {
	return s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("tenant_id = ? AND id = ?", p.TenantID, id).Delete(&Webhook{})
		if res.Error != nil {
			return fmt.Errorf("delete webhook: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("webhook: %w", models.ErrNotFound)
		}
		return nil
	})
}

// LoggedDelivery is a delivery with its attempts.
type LoggedDelivery struct {
	Delivery
	EventType string    // the event's, read with the delivery
	Log       []Attempt `gorm:"-"`
}

// GetID lets store.List page the log.
func (d LoggedDelivery) GetID() string { return d.ID }

// Deliveries pages a subscription's delivery log, oldest first.
func (s *Service) Deliveries(ctx context.Context, p auth.Principal, webhookID string, limit int, cursor string) (store.Page[LoggedDelivery], error) {
	if _, err := s.Webhook(ctx, p, webhookID); err != nil {
		return store.Page[LoggedDelivery]{}, err
	}
	q := s.DB.Gorm.WithContext(ctx).Table("deliveries").Select("deliveries.*, outbox.type AS event_type").
		Joins("JOIN outbox ON outbox.id = deliveries.event_id").Where("deliveries.webhook_id = ?", webhookID)
	page, err := store.List[LoggedDelivery](q, "deliveries", limit, cursor)
	if err != nil || len(page.Items) == 0 {
		return page, err
	}
	ids := make([]string, len(page.Items))
	at := map[string]int{}
	for i, d := range page.Items {
		ids[i], at[d.ID] = d.ID, i
	}
	var attempts []Attempt
	if err := s.DB.Gorm.WithContext(ctx).Where("delivery_id IN ?", ids).Order("attempted_at, id").Find(&attempts).Error; err != nil {
		return page, fmt.Errorf("delivery attempts: %w", err)
	}
	for _, a := range attempts {
		page.Items[at[a.DeliveryID]].Log = append(page.Items[at[a.DeliveryID]].Log, a)
	}
	return page, nil
}

// RetryDelivery makes a failed or delivered delivery due now, for one
// more round of attempts.
func (s *Service) RetryDelivery(ctx context.Context, p auth.Principal, webhookID, deliveryID string) (Delivery, error) {
	var d Delivery
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		err := tx.Joins("JOIN webhooks ON webhooks.id = deliveries.webhook_id").
			Where("webhooks.tenant_id = ? AND webhooks.id = ? AND deliveries.id = ?", p.TenantID, webhookID, deliveryID).Take(&d).Error
		if err != nil {
			return store.NotFound(err, "delivery")
		}
		if d.Status == StatusPending {
			return models.Conflict("delivery_pending", "the delivery is still being attempted")
		}
		now := s.Clock.Now()
		// A manual retry gets a fresh retry window from now.
		cols := map[string]any{"status": StatusPending, "next_attempt_at": now, "created_at": now, "delivered_at": nil, "lease": nil}
		if err := tx.Model(&Delivery{}).Where("id = ?", d.ID).Updates(cols).Error; err != nil {
			return fmt.Errorf("retry delivery: %w", err)
		}
		return tx.Where("id = ?", d.ID).Take(&d).Error
	})
	return d, err
}

// MailSettings are a user's language and the kinds of mail turned on.
type MailSettings struct {
	Language string
	Enabled  map[string]bool
}

// Settings reads the caller's mail settings.
func (s *Service) Settings(ctx context.Context, p auth.Principal) (MailSettings, error) {
	return s.settings(s.DB.Gorm.WithContext(ctx), p.UserID)
}

func (s *Service) settings(db *gorm.DB, userID string) (MailSettings, error) {
	out := MailSettings{Enabled: map[string]bool{}}
	if err := db.Table("users").Where("id = ?", userID).Pluck("language", &out.Language).Error; err != nil {
		return out, fmt.Errorf("load language: %w", err)
	}
	var off []string
	if err := db.Table("notification_opt_outs").Where("user_id = ?", userID).Pluck("kind", &off).Error; err != nil {
		return out, fmt.Errorf("load opt-outs: %w", err)
	}
	for _, k := range MailKinds {
		out.Enabled[k] = true
	}
	for _, k := range off {
		out.Enabled[k] = false
	}
	return out, nil
}

// UpdateSettings changes the caller's language (when not "") and turns the
// named kinds of mail on or off.
func (s *Service) UpdateSettings(ctx context.Context, p auth.Principal, language *string, enabled map[string]bool) (MailSettings, error) {
	v := &models.ValidationError{}
	if language != nil && !oneOf(*language, Languages) {
		v.Add("/language", "must be one of fi, sv, en")
	}
	for k := range enabled {
		if !oneOf(k, MailKinds) {
			v.Add("/email/"+k, fmt.Sprintf("%q is not a kind of mail; the kinds are %s", k, strings.Join(MailKinds, ", ")))
		}
	}
	if err := v.Err(); err != nil {
		return MailSettings{}, err
	}
	var out MailSettings
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		if language != nil {
			if err := tx.Table("users").Where("id = ?", p.UserID).Update("language", *language).Error; err != nil {
				return fmt.Errorf("set language: %w", err)
			}
		}
		for k, on := range enabled {
			q := tx.Exec("DELETE FROM notification_opt_outs WHERE user_id = ? AND kind = ?", p.UserID, k)
			if !on {
				q = tx.Exec("INSERT INTO notification_opt_outs (user_id, kind) VALUES (?, ?) ON CONFLICT DO NOTHING", p.UserID, k)
			}
			if q.Error != nil {
				return fmt.Errorf("mail setting %s: %w", k, q.Error)
			}
		}
		var err error
		out, err = s.settings(tx, p.UserID)
		return err
	})
	return out, err
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Remind is the daily job's notices to supervisors: each shift starting
// tomorrow (local date) and each shift that ended in the last week without
// recorded hours, told once per shift.
func (s *Service) Remind(ctx context.Context) error {
	now := s.Clock.Now()
	tomorrow := models.DateOf(now, s.Loc).AddDays(1)
	return s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		var ids []struct{ ID, Kind string }
		if err := tx.Raw(`SELECT id, 'tomorrow' AS kind FROM shifts WHERE date = ? AND status IN ('open', 'staffed')
			UNION ALL SELECT id, 'missing' FROM shifts WHERE status <> 'cancelled' AND ends_at <= ? AND ends_at > ? AND timesheet_status IS NULL`,
			tomorrow, now, now.AddDate(0, 0, -7)).Scan(&ids).Error; err != nil {
			return fmt.Errorf("shifts to remind of: %w", err)
		}
		for _, r := range ids {
			typ := shiftTomorrow
			if r.Kind == "missing" {
				typ = hoursMissing
			}
			sh, err := loadShift(tx, r.ID)
			if err != nil {
				return err
			}
			d, err := shiftData(tx, sh)
			if err != nil {
				return err
			}
			if err := Emit(tx, now, Event{TenantID: sh.TenantID, Type: typ, Data: d, Key: typ + ":" + r.ID}); err != nil {
				return err
			}
		}
		return nil
	})
}
