package billing

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"jobcenter/store"
)

// Timeouts of a run's statements on PostgreSQL. The benchmark run of
// 1,023,000 time entries takes 25 s in all (bench/README.md), so no single
// statement of a real month comes near two minutes; hours being approved or
// credited hold the same rows for milliseconds, so five seconds of waiting
// means something is stuck; the run computes in memory between statements
// for seconds, not a minute. A client that died mid-run holds its locks at
// most this long. A credit note touches one invoice's share of those rows,
// so the same bounds hold for it.
const (
	RunLockTimeout      = 5 * time.Second
	RunStatementTimeout = 2 * time.Minute
	RunIdleTimeout      = time.Minute
)

// withBillingLock runs fn in one transaction holding the tenant's billing
// lock, bounded by the timeouts above. Runs and credit notes share the lock:
// both number invoices in one series and write the same payouts,
// settlements and carried balances. While another transaction holds it, the
// answer is busy at once, not a wait in the queue behind it.
func (s *Service) withBillingLock(ctx context.Context, tenantID string, busy error, fn func(tx *gorm.DB) error) error {
	err := s.DB.WithTenantLock(ctx, "billing", tenantID, func(tx *gorm.DB) error {
		if err := s.DB.Timeouts(tx, RunLockTimeout, RunStatementTimeout, RunIdleTimeout); err != nil {
			return err
		}
		return fn(tx)
	})
	if errors.Is(err, store.ErrLockHeld) {
		return busy
	}
	return err
}
