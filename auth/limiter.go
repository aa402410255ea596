package auth

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"jobcenter/clock"
	"jobcenter/store"
)

// LoginLimits bound failed logins in a sliding window per email and, more
// loosely, per client address (an office shares one address). Only failures
// count, so a busy office can still log in. The failures live in the
// database: every replica counts the same ones, and no process grows a map
// under a flood of made-up emails.
type LoginLimits struct {
	DB         *store.DB
	Clock      clock.Clock
	Window     time.Duration
	PerEmail   int
	PerAddress int
}

// The kinds of key a failure is counted under.
const (
	limitEmail   = "email"
	limitAddress = "address"
)

// loginFailure is one row of login_failures.
type loginFailure struct {
	ID      string
	Kind    string
	Subject string
	At      time.Time
}

// Blocked reports whether email or address has used up its failures, and
// how long until it may try again.
func (l *LoginLimits) Blocked(ctx context.Context, email, address string) (bool, time.Duration, error) {
	now := l.Clock.Now()
	for _, k := range []struct {
		kind, subject string
		max           int
	}{{limitEmail, email, l.PerEmail}, {limitAddress, address, l.PerAddress}} {
		var times []time.Time
		if err := l.DB.Gorm.WithContext(ctx).Model(&loginFailure{}).
			// Bounded above too: the development clock can be set back, and
			// failures "after" now do not count.
			Where("kind = ? AND subject = ? AND at > ? AND at <= ?", k.kind, k.subject, now.Add(-l.Window), now).
			Order("at").Limit(k.max).Pluck("at", &times).Error; err != nil {
			return false, 0, fmt.Errorf("count login failures: %w", err)
		}
		if len(times) >= k.max {
			return true, times[0].Add(l.Window).Sub(now), nil
		}
	}
	return false, 0, nil
}

// Failed counts one failed attempt against both keys and forgets failures
// that have left the window (the daily purge catches keys that stop failing).
func (l *LoginLimits) Failed(ctx context.Context, email, address string) error {
	now := l.Clock.Now().UTC()
	return l.DB.WithTx(ctx, func(tx *gorm.DB) error {
		rows := []loginFailure{
			{ID: store.NewID(), Kind: limitEmail, Subject: email, At: now},
			{ID: store.NewID(), Kind: limitAddress, Subject: address, At: now},
		}
		if err := tx.Create(&rows).Error; err != nil {
			return fmt.Errorf("record login failure: %w", err)
		}
		return l.purge(tx)
	})
}

// Purge forgets failures that have left the window.
func (l *LoginLimits) Purge(ctx context.Context) error { return l.purge(l.DB.Gorm.WithContext(ctx)) }

func (l *LoginLimits) purge(tx *gorm.DB) error {
	if err := tx.Where("at <= ?", l.Clock.Now().Add(-l.Window)).Delete(&loginFailure{}).Error; err != nil {
		return fmt.Errorf("forget old login failures: %w", err)
	}
	return nil
}

// Succeeded forgets the failures of email. Its address keeps its count, so
// logging in to one account does not buy guesses at others.
func (l *LoginLimits) Succeeded(ctx context.Context, email string) error {
	if err := l.DB.Gorm.WithContext(ctx).Where("kind = ? AND subject = ?", limitEmail, email).Delete(&loginFailure{}).Error; err != nil {
		return fmt.Errorf("forget login failures: %w", err)
	}
	return nil
}
