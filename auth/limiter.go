package auth

import (
	"sync"
	"time"

	"jobcenter/clock"
)

// LoginLimiter counts failed logins per key (an email, a client address) in a
// sliding window. Only failures count, so a busy office behind one address
// can still log in. The counts live in this process: with several replicas a
// client gets each replica's allowance, which still bounds guessing.
type LoginLimiter struct {
	mu       sync.Mutex
	clock    clock.Clock
	window   time.Duration
	max      int
	failures map[string][]time.Time
}

// NewLoginLimiter allows max failures per key per window.
func NewLoginLimiter(c clock.Clock, max int, window time.Duration) *LoginLimiter {
	return &LoginLimiter{clock: c, window: window, max: max, failures: map[string][]time.Time{}}
}

// Blocked reports whether key has used up its failures, and when it may try
// again.
func (l *LoginLimiter) Blocked(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.prune(key)
	if len(recent) < l.max {
		return false, 0
	}
	return true, recent[0].Add(l.window).Sub(l.clock.Now())
}

// Fail records one failed attempt.
func (l *LoginLimiter) Fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures[key] = append(l.prune(key), l.clock.Now())
}

// Succeed forgets the failures of key.
func (l *LoginLimiter) Succeed(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
}

func (l *LoginLimiter) prune(key string) []time.Time {
	now := l.clock.Now()
	ts := l.failures[key]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= l.window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.failures, key)
	} else {
		l.failures[key] = ts
	}
	return ts
}
