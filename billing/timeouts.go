package billing

import "time"

// Timeouts of a run's statements on PostgreSQL. The benchmark run of
// 1,023,000 time entries takes 25 s in all (bench/README.md), so no single
// statement of a real month comes near two minutes; hours being approved or
// credited hold the same rows for milliseconds, so five seconds of waiting
// means something is stuck; the run computes in memory between statements
// for seconds, not a minute. A client that died mid-run holds its locks at
// most this long.
const (
	RunLockTimeout      = 5 * time.Second
	RunStatementTimeout = 2 * time.Minute
	RunIdleTimeout      = time.Minute
)
