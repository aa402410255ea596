package store

import (
	"database/sql"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"jobcenter/models"
)

// TimeIdentified is a row listed in (time, id) order, such as shifts by
// their start.
type TimeIdentified interface {
	Identified
	SortTime() time.Time
}

// ListByTime reads one page of q ordered by timeCol and then id of table; the
// cursor carries both, so rows with the same time are neither skipped nor
// repeated. Times must be stored in UTC (SQLite compares them as text). scan
// reads one row of q's selected columns: lists read on every request scan by
// hand rather than by reflection.
func ListByTime[T TimeIdentified](q *gorm.DB, table, timeCol string, limit int, cursor string, scan func(*sql.Rows) (T, error)) (Page[T], error) {
	tcol, idcol := table+"."+timeCol, table+".id"
	if cursor != "" {
		at, after, err := decodeTimeCursor(cursor)
		if err != nil {
			v := &models.ValidationError{}
			v.Add("/cursor", "is not a cursor this API returned")
			return Page[T]{}, v
		}
		q = q.Where("("+tcol+" > ? OR ("+tcol+" = ? AND "+idcol+" > ?))", at, at, after)
	}
	res, err := q.Order(tcol).Order(idcol).Limit(limit + 1).Rows()
	if err != nil {
		return Page[T]{}, fmt.Errorf("list %s: %w", table, err)
	}
	defer res.Close()
	var rows []T
	for res.Next() {
		row, err := scan(res)
		if err != nil {
			return Page[T]{}, fmt.Errorf("list %s: %w", table, err)
		}
		rows = append(rows, row)
	}
	if err := res.Err(); err != nil {
		return Page[T]{}, fmt.Errorf("list %s: %w", table, err)
	}
	p := Page[T]{Items: rows}
	if len(rows) > limit {
		p.Items = rows[:limit]
		last := rows[limit-1]
		next := base64.RawURLEncoding.EncodeToString([]byte(last.SortTime().UTC().Format(time.RFC3339Nano) + " " + last.GetID()))
		p.NextCursor = &next
	}
	return p, nil
}

func decodeTimeCursor(cursor string) (time.Time, string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return time.Time{}, "", err
	}
	ts, id, ok := strings.Cut(string(raw), " ")
	if !ok {
		return time.Time{}, "", fmt.Errorf("cursor without id")
	}
	t, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		return time.Time{}, "", err
	}
	return t.UTC(), id, nil
}
