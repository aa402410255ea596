package store_test

import (
	"slices"
	"testing"
	"time"

	"jobcenter/store"
)

type timedRow struct {
	id string
	at time.Time
}

func (r timedRow) GetID() string       { return r.id }
func (r timedRow) SortTime() time.Time { return r.at }

// PageSorted walks a list computed in Go page by page, with ties on the
// time broken by id, in both directions, and every row exactly once.
func TestPageSortedVisitsEveryRowOnce(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	rows := []timedRow{{"a", t0}, {"b", t0}, {"c", t0.Add(time.Hour)}, {"d", t0.Add(time.Hour)}, {"e", t0.Add(2 * time.Hour)}}
	for _, desc := range []bool{false, true} {
		in := slices.Clone(rows)
		if desc {
			slices.Reverse(in)
		}
		by := store.TimeOrder{List: "computed", Desc: desc}
		var seen []string
		cursor := ""
		for range len(in) + 1 {
			page, err := store.PageSorted(in, by, 2, cursor)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page.Items {
				seen = append(seen, r.id)
			}
			if page.NextCursor == nil {
				break
			}
			cursor = *page.NextCursor
		}
		want := []string{"a", "b", "c", "d", "e"}
		if desc {
			want = []string{"e", "d", "c", "b", "a"}
		}
		if !slices.Equal(seen, want) {
			t.Errorf("desc=%v: pages gave %v, want %v", desc, seen, want)
		}
		if _, err := store.PageSorted(in, store.TimeOrder{List: "other"}, 2, cursor); cursor != "" && err == nil {
			t.Errorf("a cursor of another list was taken")
		}
	}
}
