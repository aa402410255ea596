package notify

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"gorm.io/gorm"

	"jobcenter/clock"
	"jobcenter/store"
)

// Metrics are the dispatcher's figures in /metrics: delivery outcomes by
// channel, and the outbox lag (how long the oldest event has waited to be
// fanned out, or the oldest due delivery to be sent) and the pending
// deliveries, read from the database at scrape time so that every replica
// reports the shared queue.
type Metrics struct {
	outcomes *prometheus.CounterVec
}

// NewMetrics registers the figures with reg.
func NewMetrics(reg prometheus.Registerer, db *store.DB, clk clock.Clock) *Metrics {
	m := &Metrics{outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "jobcenter_notify_deliveries_total",
		Help: "Notification delivery attempts by channel (webhook, email) and outcome (delivered, retry, failed).",
	}, []string{"channel", "outcome"})}
	query := func(sql string, args ...any) float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		var v *float64
		if err := db.Gorm.WithContext(ctx).Raw(sql, args...).Scan(&v).Error; err != nil || v == nil {
			return 0
		}
		return *v
	}
	lag := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "jobcenter_outbox_lag_seconds",
		Help: "Age by the service clock of the oldest notification work waiting: an event not fanned out or a due delivery.",
	}, func() float64 {
		now := clk.Now()
		oldest := now
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		db := db.Gorm.WithContext(ctx)
		for _, q := range []*gorm.DB{
			db.Model(&outboxRow{}).Where("fanned_out_at IS NULL").Order("created_at").Limit(1),
			db.Model(&Delivery{}).Where("status = ? AND next_attempt_at <= ?", StatusPending, now).Order("next_attempt_at").Limit(1),
		} {
			var ts []time.Time
			col := "created_at"
			if _, ok := q.Statement.Model.(*Delivery); ok {
				col = "next_attempt_at"
			}
			if err := q.Pluck(col, &ts).Error; err == nil && len(ts) == 1 && ts[0].Before(oldest) {
				oldest = ts[0]
			}
		}
		return now.Sub(oldest).Seconds()
	})
	pending := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "jobcenter_notify_deliveries_pending", Help: "Notification deliveries not yet delivered nor failed.",
	}, func() float64 { return query("SELECT COUNT(*) FROM deliveries WHERE status = 'pending'") })
	reg.MustRegister(m.outcomes, lag, pending)
	return m
}
