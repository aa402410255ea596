package notify

import (
	"encoding/json"
	"time"
)

// Delivery channels and statuses.
const (
	ChannelWebhook = "webhook"
	ChannelEmail   = "email"

	StatusPending   = "pending"
	StatusDelivered = "delivered"
	StatusFailed    = "failed"
)

// Delivery is one event to one receiver: a webhook subscription or a
// user's mailbox.
type Delivery struct {
	ID             string
	TenantID       string
	EventID        string
	Channel        string
	WebhookID      *string
	UserID         *string
	Status         string
	Attempts       int
	NextAttemptAt  time.Time
	Lease          *string
	LastStatusCode *int
	LastResponseMs *int
	LastError      string
	CreatedAt      time.Time
	DeliveredAt    *time.Time
}

// GetID lets store.List page deliveries.
func (d Delivery) GetID() string { return d.ID }

// Attempt is one try of a delivery, for the log.
type Attempt struct {
	ID          string
	DeliveryID  string
	AttemptedAt time.Time
	StatusCode  *int
	ResponseMs  int
	Error       string
}

func (Attempt) TableName() string { return "delivery_attempts" }

// Webhook is a tenant's subscription.
type Webhook struct {
	ID             string
	TenantID       string
	URL            string
	Events         string // JSON array of event types
	Secret         string
	CreatedAt      time.Time
	FailingSince   *time.Time
	DisabledAt     *time.Time
	DisabledReason string
}

// GetID lets store.List page subscriptions.
func (w Webhook) GetID() string { return w.ID }

// EventList is the subscribed event types.
func (w Webhook) EventList() []string {
	var out []string
	json.Unmarshal([]byte(w.Events), &out)
	return out
}

// Wants reports whether the subscription takes events of the type.
func (w Webhook) Wants(eventType string) bool {
	for _, t := range w.EventList() {
		if t == eventType {
			return true
		}
	}
	return false
}
