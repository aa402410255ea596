// Package directory holds the use cases of who is who in a tenant: tenants,
// users and logins, organizations (customers and organisers) and task types.
// Every query is scoped to the caller's tenant: another tenant's object is
// simply not found.
package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/clock"
	"jobcenter/models"
	"jobcenter/store"
)

// Service runs the directory use cases.
type Service struct {
	DB     *store.DB
	Clock  clock.Clock
	Tokens *auth.Tokens
	active activeUsers
}

// Bootstrap creates a tenant and its first admin unless they exist; running
// it again returns the same ids and changes nothing.
func (s *Service) Bootstrap(ctx context.Context, tenantName, email, password string) (tenantID, userID string, err error) {
	email = normalizeEmail(email)
	v := &models.ValidationError{}
	if strings.TrimSpace(tenantName) == "" {
		v.Add("/tenant", "is required")
	}
	if !strings.Contains(email, "@") {
		v.Add("/email", "is not an email address")
	}
	checkPassword(v, password)
	if err := v.Err(); err != nil {
		return "", "", err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return "", "", err
	}
	err = s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		var t models.Tenant
		err := tx.Where("name = ?", tenantName).Take(&t).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			t = models.Tenant{ID: store.NewID(), Name: tenantName, HorizonWeeks: 8, MaxCrewPerSupervisor: 8, AutoApproveDays: 3,
				AccountReceivables: "1700", AccountSales: "3000", AccountVatPayable: "2939", AccountPurchases: "4000",
				AccountOrganiserPayables: "2871", AccountWages: "5000", AccountSocialCosts: "6100", AccountWithholdingPayable: "2930",
				AccountSocialSecurityPayable: "2931", AccountPensionPayable: "2935", AccountUnemploymentPayable: "2936",
				AccountAccidentInsurancePayable: "2937", AccountHolidayLiability: "2950", AccountNetWagesPayable: "2940",
				Version: 1, CreatedAt: s.Clock.Now()}
			err = tx.Create(&t).Error
		}
		if err != nil {
			return fmt.Errorf("bootstrap tenant: %w", err)
		}
		tenantID = t.ID
		var u models.User
		err = tx.Where("email = ?", email).Take(&u).Error
		switch {
		case err == nil && u.TenantID != t.ID:
			return fmt.Errorf("bootstrap: email belongs to another tenant: %w", models.Conflict("email_taken", "the email is in use"))
		case errors.Is(err, gorm.ErrRecordNotFound):
			u = models.User{ID: store.NewID(), TenantID: t.ID, Email: email, PasswordHash: hash, Role: models.RoleAdmin, Active: true, Version: 1, CreatedAt: s.Clock.Now()}
			err = tx.Create(&u).Error
		}
		if err != nil {
			return fmt.Errorf("bootstrap admin: %w", err)
		}
		userID = u.ID
		return nil
	})
	return tenantID, userID, err
}

func normalizeEmail(e string) string { return strings.ToLower(strings.TrimSpace(e)) }

// Tenant loads the caller's tenant with its settings.
func (s *Service) Tenant(ctx context.Context, tenantID string) (models.Tenant, error) {
	var t models.Tenant
	err := s.DB.Gorm.WithContext(ctx).Where("id = ?", tenantID).Take(&t).Error
	return t, store.NotFound(err, "tenant")
}

// UpdateTenant applies change to the caller's tenant settings if their
// version is still ifVersion (If-Match).
// invalid holds what the request already got wrong (see models.ValidationError.With).
func (s *Service) UpdateTenant(ctx context.Context, p auth.Principal, ifVersion int, change func(*models.Tenant), invalid *models.ValidationError) (models.Tenant, error) {
	var t models.Tenant
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", p.TenantID).Take(&t).Error; err != nil {
			return store.NotFound(err, "tenant")
		}
		if t.Version != ifVersion {
			return fmt.Errorf("tenant is at version %d: %w", t.Version, models.ErrPrecondition)
		}
		change(&t)
		t.IBAN, t.BIC = models.NormalizeIBAN(t.IBAN), strings.ToUpper(strings.TrimSpace(t.BIC))
		if err := invalid.With(t.Validate()); err != nil {
			return err
		}
		t.Version++
		res := tx.Model(&models.Tenant{}).Where("id = ? AND version = ?", t.ID, ifVersion).Select("*").Omit("id", "created_at").Updates(&t)
		if res.Error != nil {
			return fmt.Errorf("update tenant: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return fmt.Errorf("tenant changed meanwhile: %w", models.ErrPrecondition)
		}
		return nil
	})
	return t, err
}
