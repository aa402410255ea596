package store

import (
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzDecodeCursor: no input makes the codec panic, and what it accepts is
// safe to put in SQL (an id of the id alphabet, a UTC time) and encodes
// back to a cursor that decodes to the same position.
func FuzzDecodeCursor(f *testing.F) {
	f.Add("users", false, encodeCursor("users", false, position{ID: NewID()}))
	f.Add("shifts", true, encodeCursor("shifts", true, position{At: time.Date(2026, 10, 25, 1, 30, 0, 5, time.UTC), ID: NewID()}))
	f.Add("users", false, "!!")
	f.Add("orders", false, "__4")
	f.Fuzz(func(t *testing.T, list string, timed bool, cursor string) {
		p, err := decodeCursor(list, timed, cursor)
		if err != nil {
			if err != errForeignCursor {
				t.Fatalf("error %v is not the one cursor error", err)
			}
			return
		}
		if !ValidID(p.ID) || !utf8.ValidString(p.ID) {
			t.Fatalf("accepted id %q", p.ID)
		}
		if timed == p.At.IsZero() || p.At.Location() != time.UTC {
			t.Fatalf("accepted time %v for timed=%v", p.At, timed)
		}
		again, err := decodeCursor(list, timed, encodeCursor(list, timed, p))
		if err != nil || !again.At.Equal(p.At) || again.ID != p.ID {
			t.Fatalf("round trip of %+v: %+v, %v", p, again, err)
		}
	})
}
