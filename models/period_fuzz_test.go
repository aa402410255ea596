package models

import (
	"errors"
	"testing"
)

// FuzzParsePeriod: the one period parser never panics, accepts only
// YYYY-MM of the years 2000–2999 and gives back exactly its input, and
// refuses everything else with a ValidationError naming /period.
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2026-10", "0000-01", "2999-12", "3000-01", "1999-12", "2026-13", "2026-1", "+2026-01", "2026-10\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s)
		if err != nil {
			var v *ValidationError
			if !errors.As(err, &v) || len(v.Fields) != 1 || v.Fields[0].Pointer != "/period" {
				t.Fatalf("%q: error %v does not name /period", s, err)
			}
			return
		}
		if p.Year < MinPeriodYear || p.Year > MaxPeriodYear || p.String() != s {
			t.Fatalf("%q accepted as %v", s, p)
		}
	})
}
