package store

import (
	"encoding/base64"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"jobcenter/models"
)

// A cursor is the position after the last row of a page: the list it belongs
// to, the row's sort time (lists in time order only) and its id, joined by
// cursorSep and encoded base64url. Naming the list makes a cursor of another
// list a foreign cursor rather than a position in the wrong table.
const (
	cursorVersion = "c1"
	cursorSep     = "|"
	// maxCursorLen bounds what is decoded at all; real cursors are under 150.
	maxCursorLen = 512
	// maxIDLen bounds an id read back from a cursor; ids are UUIDs or short
	// derived keys such as "hours_missing:<uuid>".
	maxIDLen = 100
)

// errForeignCursor is the one answer to a cursor this list did not return.
var errForeignCursor = models.Malformed("/cursor", "is not a cursor of this list; start again without a cursor")

// position is a decoded cursor.
type position struct {
	At time.Time // zero for lists in id order
	ID string
}

// encodeCursor writes the position after a row of list; timed lists carry
// the row's sort time in UTC.
func encodeCursor(list string, timed bool, p position) string {
	ts := ""
	if timed {
		ts = p.At.UTC().Format(time.RFC3339Nano)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(cursorVersion + cursorSep + list + cursorSep + ts + cursorSep + p.ID))
}

// decodeCursor reads a cursor of list. Every failure is the same 400 naming
// the cursor parameter: nothing of a cursor reaches SQL unchecked.
func decodeCursor(list string, timed bool, cursor string) (position, error) {
	p, err := parseCursor(list, timed, cursor)
	if err != nil {
		return position{}, errForeignCursor
	}
	return p, nil
}

func parseCursor(list string, timed bool, cursor string) (position, error) {
	if len(cursor) > maxCursorLen {
		return position{}, errors.New("cursor too long")
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return position{}, err
	}
	parts := strings.Split(string(raw), cursorSep)
	if len(parts) != 4 || parts[0] != cursorVersion || parts[1] != list {
		return position{}, errors.New("cursor of another list")
	}
	var p position
	switch ts := parts[2]; {
	case timed && ts != "":
		if p.At, err = time.Parse(time.RFC3339Nano, ts); err != nil {
			return position{}, err
		}
		p.At = p.At.UTC()
	case timed != (ts != ""):
		return position{}, errors.New("cursor of another order")
	}
	if p.ID = parts[3]; !ValidID(p.ID) {
		return position{}, errors.New("cursor id")
	}
	return p, nil
}

// ValidID reports whether s can be an object id: 1–100 characters of
// letters, digits, '-', '_' and ':'. Ids are compared in SQL, so anything else
// (invalid UTF-8, NUL, spaces) names no row and is refused before the query.
func ValidID(s string) bool {
	if s == "" || len(s) > maxIDLen || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == ':':
		default:
			return false
		}
	}
	return true
}
