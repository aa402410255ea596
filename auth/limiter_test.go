package auth_test

import (
	"context"
	"testing"
	"time"

	"jobcenter/apitest"
	"jobcenter/auth"
	"jobcenter/clock"
	"jobcenter/store"
)

// replicas are two services on one database, each with its own pool.
func replicas(t *testing.T, c clock.Clock) (*auth.LoginLimits, *auth.LoginLimits, *store.DB) {
	t.Helper()
	url, db := apitest.OpenDB(t, true)
	other, err := store.Open(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	limits := func(db *store.DB) *auth.LoginLimits {
		return &auth.LoginLimits{DB: db, Clock: c, Window: 15 * time.Minute, PerEmail: 3, PerAddress: 5}
	}
	return limits(db), limits(other), db
}

func TestLoginLimitsAreSharedByReplicas(t *testing.T) {
	c := &clock.Settable{}
	start := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	c.Set(start)
	a, b, _ := replicas(t, c)
	ctx := context.Background()
	const email, office = "aino@example.fi", "192.0.2.10"

	// Failures on alternating replicas add up to one allowance.
	for i, l := range []*auth.LoginLimits{a, b, a} {
		if blocked, _, err := l.Blocked(ctx, email, office); err != nil || blocked {
			t.Fatalf("attempt %d blocked early (%v)", i+1, err)
		}
		if err := l.Failed(ctx, email, office); err != nil {
			t.Fatal(err)
		}
		c.Set(c.Now().Add(time.Minute))
	}
	blocked, wait, err := b.Blocked(ctx, email, office)
	if err != nil || !blocked || wait != 12*time.Minute {
		t.Fatalf("after 3 failures on two replicas: blocked %v, wait %v (%v); want blocked for 12m", blocked, wait, err)
	}

	// The window slides: the first failure leaves it at 08:15.
	c.Set(start.Add(15 * time.Minute))
	if blocked, _, _ := a.Blocked(ctx, email, office); blocked {
		t.Error("still blocked after the first failure left the window")
	}

	// A success forgets the email's failures, not the address's: with the
	// two still in the window, three more from the office block it for any
	// email.
	if err := a.Failed(ctx, email, "198.51.100.7"); err != nil {
		t.Fatal(err)
	}
	if blocked, _, _ := a.Blocked(ctx, email, "198.51.100.7"); !blocked {
		t.Fatal("email not blocked after 3 failures in the window")
	}
	if err := a.Succeeded(ctx, email); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := b.Failed(ctx, "someone@example.fi", office); err != nil {
			t.Fatal(err)
		}
	}
	if blocked, _, _ := a.Blocked(ctx, "third@example.fi", office); !blocked {
		t.Error("address not blocked after 5 failures in the window")
	}
	if blocked, _, _ := a.Blocked(ctx, email, "198.51.100.7"); blocked {
		t.Error("the email is blocked after its successful login")
	}
	// The development clock set back: failures "after" now do not count.
	c.Set(start.Add(-time.Hour))
	if blocked, _, _ := a.Blocked(ctx, "third@example.fi", office); blocked {
		t.Error("failures later than now block the address")
	}
}

func TestOldLoginFailuresAreDeleted(t *testing.T) {
	c := &clock.Settable{}
	c.Set(time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC))
	a, _, db := replicas(t, c)
	ctx := context.Background()
	for i := range 3 {
		if err := a.Failed(ctx, "made-up-"+string(rune('a'+i))+"@example.fi", "203.0.113.5"); err != nil {
			t.Fatal(err)
		}
	}
	c.Set(c.Now().Add(16 * time.Minute))
	if err := a.Failed(ctx, "late@example.fi", "203.0.113.5"); err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := db.Gorm.Table("login_failures").Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d login failure rows kept, want the 2 of the last attempt", n)
	}
}
