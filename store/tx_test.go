package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

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
