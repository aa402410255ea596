// Package clock is the one source of "now" for rules, jobs and billing. In
// development mode the clock can be set, like a payment provider's test
// clock, so every time-dependent rule is testable without sleeping.
package clock

import (
	"sync"
	"time"
)

// Clock tells the time.
type Clock interface {
	Now() time.Time
}

// Settable is the real clock unless a fixed time has been set.
type Settable struct {
	mu  sync.RWMutex
	set *time.Time
}

// Now returns the set time, or the real time in UTC.
func (c *Settable) Now() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.set != nil {
		return *c.set
	}
	return time.Now().UTC()
}

// Set fixes the clock at t.
func (c *Settable) Set(t time.Time) {
	t = t.UTC()
	c.mu.Lock()
	c.set = &t
	c.mu.Unlock()
}

// Reset returns the clock to real time.
func (c *Settable) Reset() {
	c.mu.Lock()
	c.set = nil
	c.mu.Unlock()
}
