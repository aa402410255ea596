package handlers

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"jobcenter/models"
	"jobcenter/store"
)

// listResponse is the shape of every collection.
type listResponse[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// pageParams reads limit (default 50, max 200) and cursor.
func pageParams(c echo.Context) (limit int, cursor string, err error) {
	limit = store.DefaultLimit
	if s := c.QueryParam("limit"); s != "" {
		n, convErr := strconv.Atoi(s)
		if convErr != nil || n < 1 || n > store.MaxLimit {
			v := &models.ValidationError{}
			v.Add("/limit", "must be an integer from 1 to 200")
			return 0, "", v
		}
		limit = n
	}
	return limit, c.QueryParam("cursor"), nil
}

// pageOf maps a store page to its response DTOs.
func pageOf[M any, T any](p store.Page[M], dto func(M) T) listResponse[T] {
	return listResponse[T]{Items: mapAll(p.Items, dto), NextCursor: p.NextCursor}
}
