package directory

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/store"
)

// NewUser is what an admin gives to create a user.
type NewUser struct {
	Email          string
	Password       string
	Role           string
	OrganizationID *string
	Name           string
	Phone          string
}

// CreateUser adds a user to the caller's tenant. Customer users belong to a
// customer organization, supervisors to an organiser; other roles to none.
func (s *Service) CreateUser(ctx context.Context, p auth.Principal, in NewUser) (models.User, error) {
	email := normalizeEmail(in.Email)
	v := &models.ValidationError{}
	if len(email) < 3 || !containsAt(email) {
		v.Add("/email", "is not an email address")
	}
	if len(in.Password) < auth.MinPasswordLength {
		v.Add("/password", fmt.Sprintf("must be at least %d characters", auth.MinPasswordLength))
	}
	wantKind := ""
	switch in.Role {
	case models.RoleCustomer:
		wantKind = models.KindCustomer
	case models.RoleSupervisor:
		wantKind = models.KindOrganiser
	case models.RoleAdmin, models.RoleCoordinator, models.RoleFinance:
		if in.OrganizationID != nil {
			v.Add("/organization_id", "only customer and supervisor users belong to an organization")
		}
	default:
		v.Add("/role", "must be one of admin, coordinator, supervisor, customer, finance")
	}
	if wantKind != "" && in.OrganizationID == nil {
		v.Add("/organization_id", "is required for role "+in.Role)
	}
	if err := v.Err(); err != nil {
		return models.User{}, err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return models.User{}, err
	}
	u := models.User{ID: store.NewID(), TenantID: p.TenantID, Email: email, PasswordHash: hash, Role: in.Role,
		OrganizationID: in.OrganizationID, Name: in.Name, Phone: in.Phone, CreatedAt: s.Clock.Now()}
	err = s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		if wantKind != "" {
			var org models.Organization
			err := tx.Where("tenant_id = ? AND id = ?", p.TenantID, *in.OrganizationID).Take(&org).Error
			if err != nil || org.Kind != wantKind {
				v.Add("/organization_id", fmt.Sprintf("is not a %s organization of this tenant", wantKind))
				return v
			}
		}
		var n int64
		if err := tx.Model(&models.User{}).Where("email = ?", email).Count(&n).Error; err != nil {
			return fmt.Errorf("check email: %w", err)
		}
		if n > 0 {
			return models.Conflict("email_taken", "a user with this email exists")
		}
		if err := tx.Create(&u).Error; err != nil {
			return fmt.Errorf("create user: %w", err)
		}
		return nil
	})
	return u, err
}

func containsAt(s string) bool {
	for i := 1; i < len(s)-1; i++ {
		if s[i] == '@' {
			return true
		}
	}
	return false
}

// ListUsers pages the tenant's users.
func (s *Service) ListUsers(ctx context.Context, p auth.Principal, limit int, cursor string) (store.Page[models.User], error) {
	q := s.DB.Gorm.WithContext(ctx).Where("tenant_id = ?", p.TenantID)
	return store.List[models.User](q, "users", limit, cursor)
}

// User loads one user of the caller's tenant.
func (s *Service) User(ctx context.Context, p auth.Principal, id string) (models.User, error) {
	var u models.User
	err := s.DB.Gorm.WithContext(ctx).Where("tenant_id = ? AND id = ?", p.TenantID, id).Take(&u).Error
	return u, store.NotFound(err, "user")
}
