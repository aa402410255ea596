package staffing

import (
	"context"
	"fmt"
	"slices"
)

// Labels are the names a person reads next to the ids of orders and shifts:
// customers' names, task types' names and, per order, the site address.
type Labels struct {
	Customers map[string]string // organization id → name
	TaskTypes map[string]string // task type id → name
	Sites     map[string]string // order id → site address
}

// LabelsFor loads the labels of a page of orders or shifts in one query per
// kind, whatever the page's size. The ids come from rows the caller may see,
// so the names are the caller's to read too.
func (s *Service) LabelsFor(ctx context.Context, tenantID string, customerIDs, taskTypeIDs, orderIDs []string) (Labels, error) {
	l := Labels{Customers: map[string]string{}, TaskTypes: map[string]string{}, Sites: map[string]string{}}
	for _, q := range []struct {
		table, column string
		ids           []string
		into          map[string]string
	}{
		{"organizations", "name", customerIDs, l.Customers},
		{"task_types", "name", taskTypeIDs, l.TaskTypes},
		{"orders", "site_address", orderIDs, l.Sites},
	} {
		ids := slices.Compact(slices.Sorted(slices.Values(q.ids)))
		if len(ids) == 0 {
			continue
		}
		var rows []struct{ ID, Label string }
		err := s.DB.Gorm.WithContext(ctx).Table(q.table).Select("id, "+q.column+" AS label").
			Where("tenant_id = ? AND id IN ?", tenantID, ids).Scan(&rows).Error
		if err != nil {
			return l, fmt.Errorf("load %s labels: %w", q.table, err)
		}
		for _, r := range rows {
			q.into[r.ID] = r.Label
		}
	}
	return l, nil
}
