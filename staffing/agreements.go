package staffing

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/store"
)

// CreateAgreement adds a version of a customer's price list. Versions of a
// customer never overlap: the customer row is locked while the service
// looks for an overlapping one, so two concurrent requests cannot both pass
// (PostgreSQL's exclusion constraint is the last line of defence).
// invalid holds what the request already got wrong (see models.ValidationError.With).
func (s *Service) CreateAgreement(ctx context.Context, p auth.Principal, a models.Agreement, invalid *models.ValidationError) (models.Agreement, error) {
	a.ID, a.TenantID, a.CreatedAt = store.NewID(), p.TenantID, s.Clock.Now()
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		v := &models.ValidationError{}
		var customer models.Organization
		err := s.DB.ForUpdate(tx).Where("tenant_id = ? AND id = ?", p.TenantID, a.CustomerID).Take(&customer).Error
		if err != nil && !errors.Is(err, store.ErrNoRows) {
			return fmt.Errorf("load customer: %w", err)
		}
		if err != nil || customer.Kind != models.KindCustomer {
			v.Add("/customer_id", "is not a customer of this tenant")
		}
		addFields(v, a.Validate(customer.PublicBuyer))
		if err := invalid.With(v.Err()); err != nil {
			return err
		}
		var versions []models.Agreement
		if err := tx.Where("tenant_id = ? AND customer_id = ?", p.TenantID, a.CustomerID).Order("valid_from").Find(&versions).Error; err != nil {
			return fmt.Errorf("load agreements: %w", err)
		}
		for _, o := range versions {
			if o.Overlaps(a) {
				return models.Conflict("overlapping_agreement",
					fmt.Sprintf("agreement %s of this customer is valid %s; versions must not overlap", o.ID, validity(o)))
			}
		}
		if err := tx.Create(&a).Error; err != nil {
			return fmt.Errorf("create agreement: %w", err)
		}
		return nil
	})
	return a, err
}

func validity(a models.Agreement) string {
	if a.ValidUntil == nil {
		return "from " + a.ValidFrom.String() + " until further notice"
	}
	return a.ValidFrom.String() + " – " + a.ValidUntil.String()
}

// Agreement loads one agreement of the caller's tenant.
func (s *Service) Agreement(ctx context.Context, p auth.Principal, id string) (models.Agreement, error) {
	var a models.Agreement
	err := s.DB.Gorm.WithContext(ctx).Where("tenant_id = ? AND id = ?", p.TenantID, id).Take(&a).Error
	return a, store.NotFound(err, "agreement")
}

// ListAgreements pages the tenant's agreements, optionally of one customer.
func (s *Service) ListAgreements(ctx context.Context, p auth.Principal, customerID string, limit int, cursor string) (store.Page[models.Agreement], error) {
	q := s.DB.Gorm.WithContext(ctx).Where("tenant_id = ?", p.TenantID)
	if customerID != "" {
		q = q.Where("customer_id = ?", customerID)
	}
	return store.List[models.Agreement](q, "agreements", limit, cursor)
}

// AgreementOn returns the customer's agreement valid on day, the one that
// prices a shift of that date; models.ErrNotFound when there is none.
func AgreementOn(tx *gorm.DB, tenantID, customerID string, day models.Date) (models.Agreement, error) {
	var a models.Agreement
	err := tx.Table("agreements").Where("tenant_id = ? AND customer_id = ? AND "+store.ValidOn("agreements", "?"),
		tenantID, customerID, day, day).Take(&a).Error
	return a, store.NotFound(err, "agreement valid on "+day.String())
}
