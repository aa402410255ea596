package models

import (
	"testing"
	"time"
)

// A cancellation is late when it comes less than the window's hours of real
// time before the start: exactly on the edge is still in time, a second
// later is late; a window of 0 hours is never late.
func TestLateCancellationWindowEdges(t *testing.T) {
	start := time.Date(2026, 10, 26, 6, 0, 0, 0, time.UTC) // Monday 08:00 Helsinki, the day after DST ends
	for _, tc := range []struct {
		before time.Duration
		window int
		late   bool
	}{
		{48 * time.Hour, 48, false},
		{48*time.Hour - time.Second, 48, true},
		{time.Minute, 48, true},
		{49 * time.Hour, 48, false},
		{time.Minute, 0, false},
		{-time.Minute, 0, false}, // no window: never late, whenever asked
	} {
		if got := LateCancellation(start.Add(-tc.before), start, tc.window); got != tc.late {
			t.Errorf("%v before a %d h window: late %v, want %v", tc.before, tc.window, got, tc.late)
		}
	}
}
