package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"gorm.io/gorm"

	"jobcenter/apitest"
	"jobcenter/models"
	"jobcenter/store"
)

// freshDB opens a new empty database of the dialect under test.
func freshDB(t *testing.T) (string, *store.DB) { return apitest.OpenDB(t, false) }

func TestMigrationsApplyOnEmptyDatabaseAndTwice(t *testing.T) {
	_, db := freshDB(t)
	ctx := context.Background()
	if ok, err := db.MigrationsCurrent(ctx); err != nil || ok {
		t.Fatalf("empty database reported current (%v, %v)", ok, err)
	}
	n, err := db.Migrate(ctx)
	if err != nil || n == 0 {
		t.Fatalf("first migrate: %d applied, %v", n, err)
	}
	n, err = db.Migrate(ctx)
	if err != nil || n != 0 {
		t.Fatalf("second migrate: %d applied, %v", n, err)
	}
	if ok, err := db.MigrationsCurrent(ctx); err != nil || !ok {
		t.Fatalf("not current after migrate (%v, %v)", ok, err)
	}
}

func TestConcurrentMigrationsFromTwoProcesses(t *testing.T) {
	url, first := freshDB(t)
	second, err := store.Open(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	var wg sync.WaitGroup
	applied := make([]int, 2)
	errs := make([]error, 2)
	for i, db := range []*store.DB{first, second} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			applied[i], errs[i] = db.Migrate(context.Background())
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("migrate errors: %v, %v", errs[0], errs[1])
	}
	if applied[0] > 0 == (applied[1] > 0) {
		t.Fatalf("applied %v: exactly one process should apply the migrations", applied)
	}
}

func TestConstraintViolationsBecomeSentinelErrors(t *testing.T) {
	_, db := freshDB(t)
	ctx := context.Background()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	exec := func(sql string, args ...any) error {
		return db.WithTx(ctx, func(tx *gorm.DB) error { return tx.Exec(sql, args...).Error })
	}
	if err := exec(`INSERT INTO tenants (id, name, created_at) VALUES ('t1', 'City', CURRENT_TIMESTAMP)`); err != nil {
		t.Fatal(err)
	}
	var conflict *models.ConflictError
	err := exec(`INSERT INTO tenants (id, name, created_at) VALUES ('t2', 'City', CURRENT_TIMESTAMP)`)
	if !errors.As(err, &conflict) || conflict.Code != "duplicate" {
		t.Errorf("unique violation gave %v", err)
	}
	err = exec(`INSERT INTO task_types (id, tenant_id, name, created_at) VALUES ('x', 'no-such-tenant', 'A', CURRENT_TIMESTAMP)`)
	if !errors.Is(err, models.ErrInvalid) {
		t.Errorf("foreign key violation gave %v", err)
	}
	err = exec(`INSERT INTO organizations (id, tenant_id, kind, name, created_at, updated_at) VALUES ('o', 't1', 'bank', 'A', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`)
	if !errors.Is(err, models.ErrInvalid) {
		t.Errorf("check violation gave %v", err)
	}
	// A failed transaction leaves nothing behind.
	err = db.WithTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec(`INSERT INTO task_types (id, tenant_id, name, created_at) VALUES ('y', 't1', 'B', CURRENT_TIMESTAMP)`).Error; err != nil {
			return err
		}
		return errors.New("fault after the first write")
	})
	if err == nil {
		t.Fatal("want the fault")
	}
	var n int64
	db.Gorm.Table("task_types").Count(&n)
	if n != 0 {
		t.Errorf("rolled-back transaction left %d rows", n)
	}
}
