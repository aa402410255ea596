package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"jobcenter/models"
	"jobcenter/store"
)

// SQLite has no row locks: the staffing rules (no double booking, crew size)
// hold because a write transaction takes the database's write lock at BEGIN
// (IMMEDIATE), before it reads what it is about to change. So while
// transaction A has begun and not yet written, transaction B must not begin.
// B runs on a connection whose busy_timeout is 0, so SQLite refuses its BEGIN
// at once instead of waiting for A: the order shows without a timing
// assertion. A DEFERRED BEGIN takes no lock and would let B in.
func TestConcurrentWriteTransactionsSerialiseAtBegin(t *testing.T) {
	_, db := freshDB(t)
	if db.Dialect != store.SQLite {
		t.Skip("PostgreSQL serialises by row and advisory locks, not at BEGIN")
	}
	ctx := context.Background()
	db.SQL.SetMaxOpenConns(2) // A's connection and B's
	begun, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		done <- db.WithTx(ctx, func(*gorm.DB) error {
			close(begun)
			<-release
			return nil
		})
	}()
	<-begun
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		t.Fatal(err)
	}
	conn.Close() // back to the pool: the only connection B can get

	enteredB := false
	errB := db.WithTx(ctx, func(*gorm.DB) error {
		enteredB = true
		return nil
	})
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("A: %v", err)
	}
	if enteredB || errB == nil || !strings.Contains(errB.Error(), "database is locked") {
		t.Fatalf("B while A was open: began %v, error %v; want refused at BEGIN with database is locked", enteredB, errB)
	}
	if err := db.WithTx(ctx, func(*gorm.DB) error {
		enteredB = true
		return nil
	}); err != nil || !enteredB {
		t.Fatalf("B after A ended: began %v, error %v", enteredB, err)
	}
}

// The service writes times as SQLite's time value format 7 with its zone
// offset (https://www.sqlite.org/lang_datefunc.html#time_values), which
// SQLite's date functions read and which sorts as text in UTC; it reads them
// back as the same instant.
func TestSQLiteStoresTimesInSQLiteFormat(t *testing.T) {
	_, db := freshDB(t)
	if db.Dialect != store.SQLite {
		t.Skip("PostgreSQL stores timestamptz, not text")
	}
	at := time.Date(2026, 3, 1, 8, 30, 0, 500_000_000, time.UTC)
	err := db.WithTx(context.Background(), func(tx *gorm.DB) error {
		if err := tx.Exec("CREATE TABLE stamps (at DATETIME NOT NULL)").Error; err != nil {
			return err
		}
		return tx.Exec("INSERT INTO stamps (at) VALUES (?)", at).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Stored string
		At     time.Time
		Julian float64
	}
	if err := db.Gorm.Raw("SELECT CAST(at AS TEXT) AS stored, at, julianday(at) AS julian FROM stamps").Scan(&got).Error; err != nil {
		t.Fatal(err)
	}
	if want := "2026-03-01 08:30:00.5+00:00"; got.Stored != want {
		t.Errorf("stored %q, want %q", got.Stored, want)
	}
	if !got.At.Equal(at) {
		t.Errorf("read back %v, want %v", got.At, at)
	}
	// 2026-03-01 00:00 UTC is Julian day 2461100.5; 08:30:00.5 adds 30600.5 s.
	if want := 2461100.5 + 30600.5/86400; got.Julian-want > 1e-6 || want-got.Julian > 1e-6 {
		t.Errorf("julianday %v, want %v", got.Julian, want)
	}
}

// holdWriteLock begins a write transaction on a connection of its own (BEGIN
// IMMEDIATE takes the write lock) and holds it until the test ends or the
// returned release is called.
func holdWriteLock(t *testing.T, url string) (release func()) {
	t.Helper()
	holder, err := store.Open(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := holder.SQL.BeginTx(context.Background(), nil)
	if err != nil {
		holder.Close()
		t.Fatal(err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			tx.Rollback()
			holder.Close()
		})
	}
	t.Cleanup(release)
	return release
}

// A write transaction that meets the write lock held past its busy timeout
// is a busy database (503), not a fault, and leaves nothing behind; once the
// lock is free the same transaction commits.
func TestSQLiteWriteLockHeldPastBusyTimeoutIsUnavailable(t *testing.T) {
	url, db := freshDB(t)
	if db.Dialect != store.SQLite {
		t.Skip("SQLite only: PostgreSQL's lock and statement timeouts are tested in apitest's PostgreSQL faults")
	}
	db.Close()
	db, err := store.Open(url+"?busy_timeout=50ms", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	create := func() error {
		return db.WithTx(ctx, func(tx *gorm.DB) error { return tx.Exec("CREATE TABLE marks (n INTEGER)").Error })
	}
	release := holdWriteLock(t, url)

	err = create()
	if !errors.Is(err, models.ErrUnavailable) || !strings.Contains(err.Error(), "the database is busy") {
		t.Fatalf("write while the lock was held: %v; want models.ErrUnavailable saying the database is busy", err)
	}
	var tables int64
	if err := db.Gorm.Raw("SELECT count(*) FROM sqlite_master WHERE name = 'marks'").Scan(&tables).Error; err != nil || tables != 0 {
		t.Fatalf("the refused transaction left %d tables (%v)", tables, err)
	}
	release()
	if err := create(); err != nil {
		t.Fatalf("write after the lock was released: %v", err)
	}
}

func TestSQLiteURLBusyTimeout(t *testing.T) {
	for _, bad := range []string{"sqlite://x.db?busy_timeout=soon", "sqlite://x.db?busy_timeout=-1s",
		"sqlite://x.db?cache=shared", "sqlite://x.db?busy_timeout=1s&busy_timeout=2s", "sqlite://?busy_timeout=1s"} {
		if db, err := store.Open(bad, nil); err == nil {
			db.Close()
			t.Errorf("%s opened; want an error", bad)
		}
	}
}
