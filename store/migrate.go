package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrations are numbered SQL files per dialect, frozen once released: a
// change is a new file. goose runs them (not GORM's AutoMigrate, which would
// lose the real constraints: exclusion, CHECK, partial unique keys).
//
//go:embed migrations
var migrations embed.FS

func (d *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+d.Dialect)
	if err != nil {
		return nil, fmt.Errorf("migrations for %s: %w", d.Dialect, err)
	}
	dialect := goose.DialectSQLite3
	var opts []goose.ProviderOption
	if d.Dialect == Postgres {
		dialect = goose.DialectPostgres
		// A session advisory lock lets two processes start at once: the
		// second waits and then finds nothing pending.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(dialect, d.SQL, sub, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations for %s: %w", d.Dialect, err)
	}
	return p, nil
}

// Migrate applies every pending migration and returns how many it applied.
func (d *DB) Migrate(ctx context.Context) (int, error) {
	return d.MigrateTo(ctx, goose.MaxVersion)
}

// MigrateTo applies the pending migrations up to and including version and
// returns how many it applied; tests use it to write rows the way an older
// release did before running the migrations that follow.
func (d *DB) MigrateTo(ctx context.Context, version int64) (int, error) {
	if d.Dialect == SQLite && d.path != ":memory:" {
		// goose has no SQLite locker; an exclusive file lock beside the
		// database serialises two processes migrating the same file.
		unlock, err := flock(d.path + ".migrate.lock")
		if err != nil {
			return 0, err
		}
		defer unlock()
	}
	p, err := d.provider()
	if err != nil {
		return 0, err
	}
	res, err := p.UpTo(ctx, version)
	if err != nil {
		return len(res), fmt.Errorf("apply migrations: %w", err)
	}
	return len(res), nil
}

// MigrationsCurrent reports whether every known migration has been applied.
func (d *DB) MigrationsCurrent(ctx context.Context) (bool, error) {
	p, err := d.provider()
	if err != nil {
		return false, err
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, fmt.Errorf("check migrations: %w", err)
	}
	return !pending, nil
}

func flock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
