package directory

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/store"
)

// CreateOrganization adds a customer or an organiser after validating the
// fields DOMAIN.md requires of its kind.
// invalid holds what the request already got wrong (see models.ValidationError.With).
func (s *Service) CreateOrganization(ctx context.Context, p auth.Principal, o models.Organization, invalid *models.ValidationError) (models.Organization, error) {
	o.IBAN = models.NormalizeIBAN(o.IBAN)
	o.BusinessID = strings.TrimSpace(o.BusinessID)
	if o.Language == "" {
		o.Language = "fi" // invoices are Finnish unless the customer asks otherwise
	}
	if err := invalid.With(o.Validate()); err != nil {
		return models.Organization{}, err
	}
	now := s.Clock.Now()
	o.ID, o.TenantID, o.Version, o.CreatedAt, o.UpdatedAt = store.NewID(), p.TenantID, 1, now, now
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&o).Error; err != nil {
			return fmt.Errorf("create organization: %w", err)
		}
		return nil
	})
	return o, err
}

// Organization loads one organization of the caller's tenant.
func (s *Service) Organization(ctx context.Context, p auth.Principal, id string) (models.Organization, error) {
	var o models.Organization
	err := s.DB.Gorm.WithContext(ctx).Where("tenant_id = ? AND id = ?", p.TenantID, id).Take(&o).Error
	return o, store.NotFound(err, "organization")
}

// ListOrganizations pages the tenant's organizations, optionally of one kind.
func (s *Service) ListOrganizations(ctx context.Context, p auth.Principal, kind string, limit int, cursor string) (store.Page[models.Organization], error) {
	q := s.DB.Gorm.WithContext(ctx).Where("tenant_id = ?", p.TenantID)
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	return store.List[models.Organization](q, "organizations", limit, cursor)
}

// UpdateOrganization applies change to the organization if its version is
// still ifVersion (optimistic locking through If-Match). The kind never
// changes.
// invalid holds what the request already got wrong (see models.ValidationError.With).
func (s *Service) UpdateOrganization(ctx context.Context, p auth.Principal, id string, ifVersion int, change func(*models.Organization), invalid *models.ValidationError) (models.Organization, error) {
	var o models.Organization
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("tenant_id = ? AND id = ?", p.TenantID, id).Take(&o).Error; err != nil {
			return store.NotFound(err, "organization")
		}
		if o.Version != ifVersion {
			return fmt.Errorf("organization %s is at version %d: %w", id, o.Version, models.ErrPrecondition)
		}
		kind := o.Kind
		change(&o)
		o.Kind = kind
		o.IBAN = models.NormalizeIBAN(o.IBAN)
		if err := invalid.With(o.Validate()); err != nil {
			return err
		}
		o.Version++
		o.UpdatedAt = s.Clock.Now()
		res := tx.Model(&models.Organization{}).Where("id = ? AND version = ?", id, ifVersion).Select("*").Omit("id", "tenant_id", "created_at").Updates(&o)
		if res.Error != nil {
			return fmt.Errorf("update organization: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return fmt.Errorf("organization %s changed meanwhile: %w", id, models.ErrPrecondition)
		}
		return nil
	})
	return o, err
}

// CreateTaskType adds a task type; names are unique in a tenant.
func (s *Service) CreateTaskType(ctx context.Context, p auth.Principal, name, description string) (models.TaskType, error) {
	t := models.TaskType{ID: store.NewID(), TenantID: p.TenantID, Name: strings.TrimSpace(name), Description: description, CreatedAt: s.Clock.Now()}
	if t.Name == "" {
		v := &models.ValidationError{}
		v.Add("/name", "is required")
		return t, v
	}
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.TaskType{}).Where("tenant_id = ? AND name = ?", p.TenantID, t.Name).Count(&n).Error; err != nil {
			return fmt.Errorf("check task type: %w", err)
		}
		if n > 0 {
			return models.Conflict("duplicate_name", "a task type with this name exists")
		}
		return tx.Create(&t).Error
	})
	return t, err
}

// ListTaskTypes pages the tenant's task types.
func (s *Service) ListTaskTypes(ctx context.Context, p auth.Principal, limit int, cursor string) (store.Page[models.TaskType], error) {
	q := s.DB.Gorm.WithContext(ctx).Where("tenant_id = ?", p.TenantID)
	return store.List[models.TaskType](q, "task_types", limit, cursor)
}
