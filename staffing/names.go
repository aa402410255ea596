package staffing

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Labels are the names a person reads next to the ids of orders and shifts:
// customers' names, task types' names and, per order, the site address.
type Labels struct {
	Customers map[string]string // organization id → name
	TaskTypes map[string]string // task type id → name
	Sites     map[string]string // order id → site address
}

// LabelsFor loads the labels of a page of orders or shifts in one query,
// whatever the page's size. The ids come from rows the caller may see, so
// the names are the caller's to read too.
func (s *Service) LabelsFor(ctx context.Context, tenantID string, customerIDs, taskTypeIDs, orderIDs []string) (Labels, error) {
	l := Labels{Customers: map[string]string{}, TaskTypes: map[string]string{}, Sites: map[string]string{}}
	kinds := []struct {
		table, column string
		ids           []string
		into          map[string]string
	}{
		{"organizations", "name", customerIDs, l.Customers},
		{"task_types", "name", taskTypeIDs, l.TaskTypes},
		{"orders", "site_address", orderIDs, l.Sites},
	}
	var parts []string
	var args []any
	for i, k := range kinds {
		ids := slices.Compact(slices.Sorted(slices.Values(k.ids)))
		if len(ids) == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("SELECT %d AS kind, id, %s AS label FROM %s WHERE tenant_id = ? AND id IN ?", i, k.column, k.table))
		args = append(args, tenantID, ids)
	}
	if len(parts) == 0 {
		return l, nil
	}
	var rows []struct {
		Kind      int
		ID, Label string
	}
	if err := s.DB.Gorm.WithContext(ctx).Raw(strings.Join(parts, " UNION ALL "), args...).Scan(&rows).Error; err != nil {
		return l, fmt.Errorf("load labels: %w", err)
	}
	for _, r := range rows {
		kinds[r.Kind].into[r.ID] = r.Label
	}
	return l, nil
}
