package directory

import (
	"context"
	"fmt"
	"time"

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
	// Invalid holds what the request already got wrong; it is reported
	// with every other problem, and nothing is written.
	Invalid *models.ValidationError
}

// CreateUser adds a user to the caller's tenant. Customer users belong to a
// customer organization, supervisors to an organiser; other roles to none.
func (s *Service) CreateUser(ctx context.Context, p auth.Principal, in NewUser) (models.User, error) {
	email := normalizeEmail(in.Email)
	v := &models.ValidationError{}
	if len(email) < 3 || !containsAt(email) {
		v.Add("/email", "is not an email address")
	}
	checkPassword(v, in.Password)
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
	if err := in.Invalid.With(v.Err()); err != nil {
		return models.User{}, err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return models.User{}, err
	}
	u := models.User{ID: store.NewID(), TenantID: p.TenantID, Email: email, PasswordHash: hash, Role: in.Role,
		OrganizationID: in.OrganizationID, Name: in.Name, Phone: in.Phone, Language: "fi", Active: true, Version: 1, CreatedAt: s.Clock.Now()}
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

func checkPassword(v *models.ValidationError, password string) {
	if problem := auth.PasswordProblem(password); problem != "" {
		v.Add("/password", problem)
	}
}

// UserChange is what an admin may change of a user; nil leaves a field as
// it is. Email, role and organization are who the user is: someone with
// another job gets another user.
type UserChange struct {
	Name     *string
	Phone    *string
	Active   *bool
	Password *string
	Language *string
}

// UpdateUser applies change if the user is still at ifVersion (If-Match).
// Deactivating a user or setting a new password ends every session: the
// user's refresh tokens are revoked, and access tokens issued before are
// refused at once here and within ActiveCheckInterval on other replicas
// (SessionValid). Admins cannot deactivate themselves, so a tenant
// never loses its last way in by accident.
// invalid holds what the request already got wrong (see models.ValidationError.With).
func (s *Service) UpdateUser(ctx context.Context, p auth.Principal, id string, ifVersion int, change UserChange, invalid *models.ValidationError) (models.User, error) {
	v := &models.ValidationError{}
	if change.Password != nil {
		checkPassword(v, *change.Password)
	}
	if change.Language != nil && !models.ValidLanguage(*change.Language) {
		v.Add("/language", "must be fi, sv or en")
	}
	if change.Active != nil && !*change.Active && id == p.UserID {
		v.Add("/active", "you cannot deactivate yourself; another admin can")
	}
	if err := invalid.With(v.Err()); err != nil {
		return models.User{}, err
	}
	var u models.User
	defer s.forgetActive(id)
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("tenant_id = ? AND id = ?", p.TenantID, id).Take(&u).Error; err != nil {
			return store.NotFound(err, "user")
		}
		if u.Version != ifVersion {
			return fmt.Errorf("user %s is at version %d: %w", id, u.Version, models.ErrPrecondition)
		}
		endSessions := false
		if change.Name != nil {
			u.Name = *change.Name
		}
		if change.Phone != nil {
			u.Phone = *change.Phone
		}
		if change.Language != nil {
			u.Language = *change.Language
		}
		if change.Active != nil {
			endSessions = u.Active && !*change.Active
			u.Active = *change.Active
		}
		if change.Password != nil {
			hash, err := auth.HashPassword(*change.Password)
			if err != nil {
				return err
			}
			u.PasswordHash, endSessions = hash, true
		}
		u.Version++
		if endSessions {
			// Tokens carry whole seconds; one issued later in this second
			// (a login with the new password) stays valid.
			from := s.Clock.Now().Truncate(time.Second)
			u.SessionsFrom = &from
		}
		res := tx.Model(&models.User{}).Where("id = ? AND version = ?", id, ifVersion).Updates(map[string]any{
			"name": u.Name, "phone": u.Phone, "active": u.Active, "password_hash": u.PasswordHash, "version": u.Version,
			"sessions_from": u.SessionsFrom, "language": u.Language})
		if res.Error != nil {
			return fmt.Errorf("update user: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return fmt.Errorf("user %s changed meanwhile: %w", id, models.ErrPrecondition)
		}
		if !endSessions {
			return nil
		}
		if err := tx.Model(&refreshToken{}).Where("user_id = ? AND revoked_at IS NULL", id).
			Update("revoked_at", s.Clock.Now()).Error; err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return nil
	})
	return u, err
}
