package store

import (
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// NewID returns a new object id: a UUIDv7, so ids sort by creation time and
// give lists a stable order.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// Page limits of API.md.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Page is one page of a list in id order.
type Page[T any] struct {
	Items      []T
	NextCursor *string
}

// List reads one page of q ordered by the id column of table: cursor is the
// opaque token from the previous page ("" for the first).
func List[T Identified](q *gorm.DB, table string, limit int, cursor string) (Page[T], error) {
	col := table + ".id"
	if cursor != "" {
		after, err := decodeCursor(table, false, cursor)
		if err != nil {
			return Page[T]{}, err
		}
		q = q.Where(col+" > ?", after.ID)
	}
	var rows []T
	if err := q.Order(col).Limit(limit + 1).Find(&rows).Error; err != nil {
		return Page[T]{}, fmt.Errorf("list %s: %w", table, err)
	}
	p := Page[T]{Items: rows}
	if len(rows) > limit {
		p.Items = rows[:limit]
		next := encodeCursor(table, false, position{ID: rows[limit-1].GetID()})
		p.NextCursor = &next
	}
	return p, nil
}

// Identified is a row with an id; List needs it to make the next cursor.
type Identified interface{ GetID() string }
