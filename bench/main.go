// Command bench runs the project's benchmarks against PostgreSQL, each on a
// fresh database that it generates with COPY and drops afterwards, and
// prints every figure next to the floor it is measured against in the same
// run. See README.md.
//
//	go run ./bench [-db URL] all | assign | billing | load | board | exports | notify
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"slices"
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
	benches := map[string]func(context.Context, string) error{"assign": benchAssign, "billing": benchBilling, "load": benchLoad, "board": benchBoard,
		"exports": benchExports, "notify": benchNotify}
	order := []string{"assign", "billing", "load", "board", "exports", "notify"}
	if which != "all" {
		if _, ok := benches[which]; !ok {
			fmt.Fprintln(os.Stderr, "usage: go run ./bench [-db URL] all|assign|billing|load|board|exports|notify")
			os.Exit(2)
		}
		order = []string{which}
	}
	ctx := context.Background()
	for _, name := range order {
		fmt.Printf("\n== %s (load average %s)\n", name, loadAverage())
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

// rounds is how often every benchmark alternates its floor and its
// subject: a noisy phase of the shared machine then hits both, and no single
// phase can make a figure.
const rounds = 3

// comparison holds the alternated measurements of a subject and its floor,
// round by round.
type comparison struct{ values, floors []float64 }

// alternate measures floor then subject, rounds times, printing each round.
func alternate(floor, subject func() (float64, error)) (comparison, error) {
	var c comparison
	for i := range rounds {
		f, err := floor()
		if err != nil {
			return c, fmt.Errorf("floor: %w", err)
		}
		v, err := subject()
		if err != nil {
			return c, err
		}
		c.floors, c.values = append(c.floors, f), append(c.values, v)
		fmt.Printf("  round %d: %.1f, floor %.1f, ratio %.2f\n", i+1, v, f, v/f)
	}
	return c, nil
}

// report prints the medians of the figure and its floor, and the median of
// the rounds' ratios with their spread, against the target.
func (c comparison) report(what, unit, target string) {
	ratios := make([]float64, len(c.values))
	for i := range c.values {
		ratios[i] = c.values[i] / c.floors[i]
	}
	fmt.Printf("%-44s %12.1f %s (median of %d)\n", what, median(c.values), unit, len(c.values))
	fmt.Printf("%-44s %12.1f %s\n", "  floor", median(c.floors), unit)
	fmt.Printf("%-44s %12.2f   spread %.2f–%.2f (target %s)\n", "  ratio", median(ratios), slices.Min(ratios), slices.Max(ratios), target)
}

// median of xs (not empty).
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	} else {
		return s[n/2]
	}
}

// timed measures fn.
func timed(fn func() error) (time.Duration, error) {
	start := time.Now()
	err := fn()
	return time.Since(start), err
}

// loadAverage is the machine's 1-, 5- and 15-minute load averages, printed
// with each benchmark so that its figures can be read against how busy the
// shared machine was.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if fields := strings.Fields(string(b)); err == nil && len(fields) >= 3 {
		return strings.Join(fields[:3], " ")
	}
	return "unknown"
}

func step(format string, args ...any) { fmt.Printf("  … "+strings.TrimSpace(format)+"\n", args...) }
