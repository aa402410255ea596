package store_test

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"

	"jobcenter/store"
)

// While one transaction holds a tenant's lock, a second one for the same
// tenant and purpose answers ErrLockHeld at once instead of queueing; another
// tenant's is free, and the lock is free again when the holder ends.
func TestWithTenantLockDoesNotWait(t *testing.T) {
	_, db := freshDB(t)
	ctx := context.Background()
	holding, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		done <- db.WithTenantLock(ctx, "billing", "t1", func(tx *gorm.DB) error {
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	nothing := func(*gorm.DB) error { return nil }
	if err := db.WithTenantLock(ctx, "billing", "t1", nothing); !errors.Is(err, store.ErrLockHeld) {
		t.Fatalf("second holder: %v, want ErrLockHeld", err)
	}
	if db.Dialect == store.Postgres {
		// SQLite's write lock serialises every transaction of the file; on
		// PostgreSQL the lock is the tenant's and purpose's only.
		if err := db.WithTenantLock(ctx, "billing", "t2", nothing); err != nil {
			t.Fatalf("another tenant: %v", err)
		}
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := db.WithTenantLock(ctx, "billing", "t1", nothing); err != nil {
		t.Fatalf("after release: %v", err)
	}
}
