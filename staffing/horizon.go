package staffing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"jobcenter/models"
	"jobcenter/store"
)

// HorizonJob is the name of the daily job that extends open-ended orders.
const HorizonJob = "shift-horizon"

// window is the range of local dates whose shifts should exist for o today:
// all of a finite schedule; for an open-ended one, horizonWeeks from today.
func window(s models.Schedule, today models.Date, horizonWeeks int) (from, to models.Date) {
	switch {
	case s.Kind == models.ScheduleOnce:
		return *s.Date, *s.Date
	case !s.OpenEnded():
		return *s.FirstDate, *s.LastDate
	}
	// Expand starts no earlier than first_date.
	return today, today.AddDays(7 * horizonWeeks)
}

// generate inserts the shifts of the accepted order o that are missing in
// its window. It is idempotent: a shift is inserted only if none exists
// for its order and date (UNIQUE (order_id, date)), so running it twice or
// concurrently makes no duplicate and never revives a cancelled shift.
func (s *Service) generate(tx *gorm.DB, o models.Order, horizonWeeks int, now time.Time) (int, error) {
	sched := o.Schedule()
	from, to := window(sched, models.DateOf(now, s.Loc), horizonWeeks)
	occ := sched.Expand(from, to, s.Loc)
	if len(occ) == 0 {
		return 0, nil
	}
	shifts := make([]models.Shift, len(occ))
	for i, oc := range occ {
		shifts[i] = models.Shift{ID: store.NewID(), TenantID: o.TenantID, OrderID: o.ID, OrganiserID: *o.OrganiserID,
			CustomerID: o.CustomerID, TaskTypeID: o.TaskTypeID, Date: oc.Date, StartsAt: oc.StartsAt, EndsAt: oc.EndsAt,
			Status: models.ShiftOpen, CrewSize: o.CrewSize, CreatedAt: now, Version: 1}
	}
	res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "order_id"}, {Name: "date"}}, DoNothing: true}).
		CreateInBatches(&shifts, 200)
	if res.Error != nil {
		return 0, fmt.Errorf("generate shifts of order %s: %w", o.ID, res.Error)
	}
	return int(res.RowsAffected), nil
}

// ExtendHorizon generates the missing shifts of every tenant's accepted
// open-ended orders up to the tenant's horizon from today (by the service
// clock), and returns how many it made. Each order is extended in its own
// transaction with the order locked, so a concurrent cancellation or a
// second run cannot interleave.
func (s *Service) ExtendHorizon(ctx context.Context) (int, error) {
	type pending struct {
		ID           string
		HorizonWeeks int
	}
	var orders []pending
	err := s.DB.Gorm.WithContext(ctx).Table("orders").Select("orders.id, tenants.horizon_weeks").
		Joins("JOIN tenants ON tenants.id = orders.tenant_id").
		Where("orders.status = ? AND orders.schedule_kind = ? AND orders.last_date IS NULL", models.OrderAccepted, models.ScheduleWeekly).
		Order("orders.id").Scan(&orders).Error
	if err != nil {
		return 0, fmt.Errorf("list open-ended orders: %w", err)
	}
	total, errs := 0, []error(nil)
	for _, p := range orders {
		n := 0
		err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
			var o models.Order
			if err := s.DB.ForUpdate(tx).Where("id = ?", p.ID).Take(&o).Error; err != nil {
				return fmt.Errorf("lock order %s: %w", p.ID, err)
			}
			if o.Status != models.OrderAccepted {
				return nil // cancelled or completed since it was listed
			}
			var err error
			n, err = s.generate(tx, o, p.HorizonWeeks, s.Clock.Now())
			return err
		})
		if err != nil {
			// One broken order must not stop the others' horizon.
			errs = append(errs, err)
			continue
		}
		total += n
	}
	return total, errors.Join(errs...)
}
