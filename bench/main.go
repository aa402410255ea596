// Command bench runs the project's benchmarks against PostgreSQL, each on a
// fresh database that it generates with COPY and drops afterwards, and
// prints every figure next to the floor it is measured against in the same
// run. See README.md.
//
//	go run ./bench [-db URL] all | assign | billing | load
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"jobcenter/store"
)

var keep *bool

func main() {
	db := flag.String("db", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "an existing PostgreSQL database; benchmarks create their own beside it")
	keep = flag.Bool("keep", false, "keep the generated databases (to look into them)")
	flag.Parse()
	which := flag.Arg(0)
	if which == "" {
		which = "all"
	}
	benches := map[string]func(context.Context, string) error{"assign": benchAssign, "billing": benchBilling, "load": benchLoad}
	order := []string{"assign", "billing", "load"}
	if which != "all" {
		if _, ok := benches[which]; !ok {
			fmt.Fprintln(os.Stderr, "usage: go run ./bench [-db URL] all|assign|billing|load")
			os.Exit(2)
		}
		order = []string{which}
	}
	ctx := context.Background()
	for _, name := range order {
		fmt.Printf("\n== %s\n", name)
		if err := withDatabase(ctx, *db, benches[name]); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			os.Exit(1)
		}
	}
}

// withDatabase creates a migrated database beside base, runs fn on it and
// drops it.
func withDatabase(ctx context.Context, base string, fn func(context.Context, string) error) error {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return err
	}
	defer admin.Close()
	name := fmt.Sprintf("jobcenter_bench_%d", rand.Uint32())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return fmt.Errorf("create database: %w", err)
	}
	if *keep {
		fmt.Println("  database", name)
	} else {
		defer admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	}
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	u.Path = "/" + name
	db, err := store.Open(u.String(), nil)
	if err != nil {
		return err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return err
	}
	db.Close()
	return fn(ctx, u.String())
}

// report prints a figure, its floor and their ratio against a target.
func report(what string, value, floor float64, unit, target string) {
	fmt.Printf("%-44s %12.1f %s\n", what, value, unit)
	fmt.Printf("%-44s %12.1f %s\n", "  floor", floor, unit)
	fmt.Printf("%-44s %12.2f   (target %s)\n", "  ratio", value/floor, target)
}

// timed measures fn.
func timed(fn func() error) (time.Duration, error) {
	start := time.Now()
	err := fn()
	return time.Since(start), err
}

func step(format string, args ...any) { fmt.Printf("  … "+strings.TrimSpace(format)+"\n", args...) }
