package store

import (
	"encoding/base64"
	"fmt"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"jobcenter/models"
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
	col := "id"
	if table != "" {
		col = table + ".id"
	}
	if cursor != "" {
		after, err := base64.RawURLEncoding.DecodeString(cursor)
		if err != nil {
			v := &models.ValidationError{}
			v.Add("/cursor", "is not a cursor this API returned")
			return Page[T]{}, v
		}
		q = q.Where(col+" > ?", string(after))
	}
	var rows []T
	if err := q.Order(col).Limit(limit + 1).Find(&rows).Error; err != nil {
		return Page[T]{}, fmt.Errorf("list %s: %w", table, err)
	}
	p := Page[T]{Items: rows}
	if len(rows) > limit {
		p.Items = rows[:limit]
		next := base64.RawURLEncoding.EncodeToString([]byte(rows[limit-1].GetID()))
		p.NextCursor = &next
	}
	return p, nil
}

// Identified is a row with an id; List needs it to make the next cursor.
type Identified interface{ GetID() string }
