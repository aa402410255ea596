package store

import (
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// TimeIdentified is a row listed in (time, id) order, such as shifts by
// their start.
type TimeIdentified interface {
	Identified
	SortTime() time.Time
}

// TimeOrder is the order of a list by time and then id.
type TimeOrder struct {
	List string // names the list in its cursors, so another list's cursor is refused
	Time string // the qualified time column
	ID   string // the qualified id column that breaks ties
	Desc bool   // newest first
}

// ByTime orders table's rows by timeCol, oldest first.
func ByTime(table, timeCol string) TimeOrder {
	return TimeOrder{List: table, Time: table + "." + timeCol, ID: table + ".id"}
}

// ListByTime reads one page of q in the order by; the cursor carries the last
// row's time and id, so rows with the same time are neither skipped nor
// repeated. Times must be stored in UTC (SQLite compares them as text). scan
// reads one row of q's selected columns: lists read on every request scan by
// hand rather than by reflection.
func ListByTime[T TimeIdentified](q *gorm.DB, by TimeOrder, limit int, cursor string, scan func(*sql.Rows) (T, error)) (Page[T], error) {
	cmp, dir := ">", ""
	if by.Desc {
		cmp, dir = "<", " DESC"
	}
	if cursor != "" {
		after, err := decodeCursor(by.List, true, cursor)
		if err != nil {
			return Page[T]{}, err
		}
		q = q.Where("("+by.Time+" "+cmp+" ? OR ("+by.Time+" = ? AND "+by.ID+" "+cmp+" ?))", after.At, after.At, after.ID)
	}
	res, err := q.Order(by.Time + dir).Order(by.ID + dir).Limit(limit + 1).Rows()
	if err != nil {
		return Page[T]{}, fmt.Errorf("list %s: %w", by.List, err)
	}
	defer res.Close()
	var rows []T
	for res.Next() {
		row, err := scan(res)
		if err != nil {
			return Page[T]{}, fmt.Errorf("list %s: %w", by.List, err)
		}
		rows = append(rows, row)
	}
	if err := res.Err(); err != nil {
		return Page[T]{}, fmt.Errorf("list %s: %w", by.List, err)
	}
	return timePage(rows, by, limit), nil
}

// timePage cuts rows (up to limit+1, in by's order) to a page with the
// cursor after its last row.
func timePage[T TimeIdentified](rows []T, by TimeOrder, limit int) Page[T] {
	p := Page[T]{Items: rows}
	if len(rows) > limit {
		p.Items = rows[:limit]
		last := rows[limit-1]
		next := encodeCursor(by.List, true, position{At: last.SortTime(), ID: last.GetID()})
		p.NextCursor = &next
	}
	return p
}

// PageSorted pages rows that are already in by's order, with the cursors of
// ListByTime: for short lists computed in Go rather than read page by page.
func PageSorted[T TimeIdentified](rows []T, by TimeOrder, limit int, cursor string) (Page[T], error) {
	if cursor != "" {
		after, err := decodeCursor(by.List, true, cursor)
		if err != nil {
			return Page[T]{}, err
		}
		start := len(rows)
		for i, r := range rows {
			t := r.SortTime().UTC()
			past := t.After(after.At) || (t.Equal(after.At) && r.GetID() > after.ID)
			if by.Desc {
				past = t.Before(after.At) || (t.Equal(after.At) && r.GetID() < after.ID)
			}
			if past {
				start = i
				break
			}
		}
		rows = rows[start:]
	}
	return timePage(rows[:min(len(rows), limit+1)], by, limit), nil
}
