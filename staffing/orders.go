// Package staffing holds the use cases from a customer's order to the shifts
// that crews work: agreements (price lists), orders and their lifecycle,
// shift generation over a rolling horizon, and cancellations. Every query is
// scoped to the caller's tenant, and customer and supervisor users further
// to their own organization: anything else is simply not found.
package staffing

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/clock"
	"jobcenter/models"
	"jobcenter/notify"
	"jobcenter/store"
)

// Service runs the staffing use cases. Loc is the local time of schedules.
type Service struct {
	DB    *store.DB
	Clock clock.Clock
	Loc   *time.Location
}

// addFields merges the field errors of err, a validation error or nil, into v.
func addFields(v *models.ValidationError, err error) {
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		v.Fields = append(v.Fields, ve.Fields...)
	}
}

// scope limits q to what p may see: the tenant, and for customer and
// supervisor users their own organization's rows (orders and shifts carry
// both customer_id and organiser_id).
func scope(q *gorm.DB, p auth.Principal, table string) *gorm.DB {
	q = q.Where(table+".tenant_id = ?", p.TenantID)
	switch p.Role {
	case models.RoleCustomer:
		q = q.Where(table+".customer_id = ?", p.OrganizationID)
	case models.RoleSupervisor:
		q = q.Where(table+".organiser_id = ?", p.OrganizationID)
	}
	return q
}

// NewOrder is what a customer or a coordinator orders.
type NewOrder struct {
	CustomerID  string // ignored for customer users unless it names another customer
	TaskTypeID  string
	SiteAddress string
	Description string
	// CustomerReference is the customer's purchase order or cost centre.
	CustomerReference string
	CrewSize          int
	Schedule          models.Schedule
	// Invalid holds what the request already got wrong before it reached
	// the rules (a missing value, an unknown field); it is reported
	// together with every other problem, and nothing is written.
	Invalid *models.ValidationError
}

// CreateOrder records a submitted order. A customer user orders for its own
// customer (naming another one is a 404, as for any foreign object);
// coordinators and admins name the customer.
func (s *Service) CreateOrder(ctx context.Context, p auth.Principal, in NewOrder) (models.Order, error) {
	if p.Role == models.RoleCustomer {
		if in.CustomerID != "" && in.CustomerID != p.OrganizationID {
			return models.Order{}, fmt.Errorf("customer %s: %w", in.CustomerID, models.ErrNotFound)
		}
		in.CustomerID = p.OrganizationID
	}
	now := s.Clock.Now()
	o := models.Order{ID: store.NewID(), TenantID: p.TenantID, CustomerID: in.CustomerID, TaskTypeID: in.TaskTypeID,
		SiteAddress: strings.TrimSpace(in.SiteAddress), Description: in.Description, CustomerReference: in.CustomerReference, CrewSize: in.CrewSize,
		Status: models.OrderSubmitted, Version: 1, CreatedAt: now, UpdatedAt: now}
	o.SetSchedule(in.Schedule)
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		v := &models.ValidationError{}
		var customer models.Organization
		err := tx.Where("tenant_id = ? AND id = ?", p.TenantID, o.CustomerID).Take(&customer).Error
		switch {
		case o.CustomerID == "":
			v.Add("/customer_id", "is required")
		case err != nil && !errors.Is(err, store.ErrNoRows):
			return fmt.Errorf("load customer: %w", err)
		case err != nil || customer.Kind != models.KindCustomer:
			v.Add("/customer_id", "is not a customer of this tenant")
		}
		var n int64
		if err := tx.Model(&models.TaskType{}).Where("tenant_id = ? AND id = ?", p.TenantID, o.TaskTypeID).Count(&n).Error; err != nil {
			return fmt.Errorf("check task type: %w", err)
		}
		if n == 0 {
			v.Add("/task_type_id", "is not a task type of this tenant")
		}
		addFields(v, o.Validate(models.DateOf(now, s.Loc), s.Loc))
		if err := in.Invalid.With(v.Err()); err != nil {
			return err
		}
		if err := tx.Create(&o).Error; err != nil {
			return fmt.Errorf("create order: %w", err)
		}
		return notify.EmitOrder(tx, now, notify.OrderSubmitted, o)
	})
	return o, err
}

// Order loads one order the caller may see.
func (s *Service) Order(ctx context.Context, p auth.Principal, id string) (models.Order, error) {
	var o models.Order
	err := scope(s.DB.Gorm.WithContext(ctx), p, "orders").Where("id = ?", id).Take(&o).Error
	return o, store.NotFound(err, "order")
}

// OrderFilter narrows a list of orders.
type OrderFilter struct {
	Status     string
	CustomerID string
}

// ListOrders pages the orders the caller may see.
func (s *Service) ListOrders(ctx context.Context, p auth.Principal, f OrderFilter, limit int, cursor string) (store.Page[models.Order], error) {
	q := scope(s.DB.Gorm.WithContext(ctx), p, "orders")
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.CustomerID != "" {
		q = q.Where("customer_id = ?", f.CustomerID)
	}
	return store.List[models.Order](q, "orders", limit, cursor)
}

// lockOrder loads an order the caller may see and locks it for the rest of
// tx, so that a lifecycle step and the horizon job never interleave.
func (s *Service) lockOrder(tx *gorm.DB, p auth.Principal, id string) (models.Order, error) {
	var o models.Order
	err := scope(s.DB.ForUpdate(tx), p, "orders").Where("id = ?", id).Take(&o).Error
	return o, store.NotFound(err, "order")
}

// setStatus moves o to status, writing the given extra columns too.
func (s *Service) setStatus(tx *gorm.DB, o *models.Order, status string, now time.Time, extra map[string]any) error {
	if err := models.OrderTransition(o.Status, status); err != nil {
		return err
	}
	cols := map[string]any{"status": status, "version": o.Version + 1, "updated_at": now}
	for k, v := range extra {
		cols[k] = v
	}
	res := tx.Model(&models.Order{}).Where("id = ? AND version = ?", o.ID, o.Version).Updates(cols)
	if res.Error != nil {
		return fmt.Errorf("update order: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("order %s changed meanwhile: %w", o.ID, models.ErrConflict)
	}
	return tx.Where("id = ?", o.ID).Take(o).Error
}

func requireReason(reason string) error {
	if strings.TrimSpace(reason) == "" {
		v := &models.ValidationError{}
		v.Add("/reason", "is required")
		return v
	}
	return nil
}

// AcceptOrder accepts a submitted order for an organiser of the tenant and
// generates its shifts: all of a finite schedule, the rolling horizon of an
// open-ended one. The customer needs an agreement valid on the first
// shift's date, or nothing could price the work.
func (s *Service) AcceptOrder(ctx context.Context, p auth.Principal, id, organiserID string) (models.Order, error) {
	var o models.Order
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		var err error
		if o, err = s.lockOrder(tx, p, id); err != nil {
			return err
		}
		if err := models.OrderTransition(o.Status, models.OrderAccepted); err != nil {
			return err
		}
		var org models.Organization
		err = tx.Where("tenant_id = ? AND id = ?", p.TenantID, organiserID).Take(&org).Error
		if err != nil && !errors.Is(err, store.ErrNoRows) {
			return fmt.Errorf("load organiser: %w", err)
		}
		if err != nil || org.Kind != models.KindOrganiser {
			v := &models.ValidationError{}
			if organiserID == "" {
				v.Add("/organiser_id", "is required")
			} else {
				v.Add("/organiser_id", "is not an organiser of this tenant")
			}
			return v
		}
		first, ok := o.Schedule().FirstOccurrence(s.Loc)
		if !ok {
			return models.Conflict("no_shifts", "the order's schedule has no shift")
		}
		if _, err := AgreementOn(tx, p.TenantID, o.CustomerID, first.Date); errors.Is(err, models.ErrNotFound) {
			return models.Conflict("no_agreement", fmt.Sprintf(
				"the customer has no agreement valid on %s, the date of the first shift; create one before accepting", first.Date))
		} else if err != nil {
			return err
		}
		now := s.Clock.Now()
		if err := s.setStatus(tx, &o, models.OrderAccepted, now, map[string]any{"organiser_id": organiserID}); err != nil {
			return err
		}
		var t models.Tenant
		if err := tx.Where("id = ?", p.TenantID).Take(&t).Error; err != nil {
			return fmt.Errorf("load tenant: %w", err)
		}
		if _, err = s.generate(tx, o, t.HorizonWeeks, now); err != nil {
			return err
		}
		return notify.EmitOrder(tx, now, notify.OrderAccepted, o)
	})
	return o, err
}

// RejectOrder rejects a submitted order with a reason.
func (s *Service) RejectOrder(ctx context.Context, p auth.Principal, id, reason string) (models.Order, error) {
	var o models.Order
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		var err error
		if o, err = s.lockOrder(tx, p, id); err != nil {
			return err
		}
		if err := models.OrderTransition(o.Status, models.OrderRejected); err != nil {
			return err
		}
		if err := requireReason(reason); err != nil {
			return err
		}
		now := s.Clock.Now()
		if err := s.setStatus(tx, &o, models.OrderRejected, now, map[string]any{"reject_reason": strings.TrimSpace(reason)}); err != nil {
			return err
		}
		return notify.EmitOrder(tx, now, notify.OrderRejected, o)
	})
	return o, err
}

// CancelOrder cancels an order before completion, and with it every shift
// that has not started. A customer's cancellation inside the agreement's
// late window before a shift makes that shift a billable late cancellation.
func (s *Service) CancelOrder(ctx context.Context, p auth.Principal, id, reason string) (models.Order, error) {
	var o models.Order
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		var err error
		if o, err = s.lockOrder(tx, p, id); err != nil {
			return err
		}
		if err := models.OrderTransition(o.Status, models.OrderCancelled); err != nil {
			return err
		}
		if err := requireReason(reason); err != nil {
			return err
		}
		reason = strings.TrimSpace(reason)
		now := s.Clock.Now()
		if err := s.setStatus(tx, &o, models.OrderCancelled, now, map[string]any{"cancel_reason": reason, "cancelled_at": now}); err != nil {
			return err
		}
		return s.cancelPendingShifts(tx, o, now, reason, p.Role == models.RoleCustomer)
	})
	return o, err
}

// CompleteOrder ends an accepted order: nothing more is to be delivered, so
// its shifts that have not started are cancelled (never billable) and the
// horizon job generates no more.
func (s *Service) CompleteOrder(ctx context.Context, p auth.Principal, id string) (models.Order, error) {
	var o models.Order
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		var err error
		if o, err = s.lockOrder(tx, p, id); err != nil {
			return err
		}
		now := s.Clock.Now()
		if err := s.setStatus(tx, &o, models.OrderCompleted, now, nil); err != nil {
			return err
		}
		return s.cancelPendingShifts(tx, o, now, "order completed", false)
	})
	return o, err
}
