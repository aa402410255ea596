package directory

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/store"
)

// TokenPair is what a login or a refresh returns.
type TokenPair struct {
	AccessToken  string
	RefreshToken string
	ExpiresIn    int // seconds
}

// Login checks an email and password. A wrong password and an unknown email
// look the same and cost the same bcrypt comparison.
func (s *Service) Login(ctx context.Context, email, password string) (TokenPair, error) {
	var u models.User
	err := s.DB.Gorm.WithContext(ctx).Where("email = ?", normalizeEmail(email)).Take(&u).Error
	if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
		return TokenPair{}, fmt.Errorf("login: %w", err)
	}
	// A deactivated user is answered like a wrong password, after the same
	// comparison.
	if !auth.CheckPassword(u.PasswordHash, password) || !u.Active {
		return TokenPair{}, fmt.Errorf("login: wrong email or password: %w", models.ErrUnauthorized)
	}
	var pair TokenPair
	err = s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		var err error
		pair, err = s.issue(tx, u, store.NewID())
		return err
	})
	return pair, err
}

// refreshToken is a row of refresh_tokens: only the hash of the token is kept.
type refreshToken struct {
	ID        string
	TenantID  string
	UserID    string
	FamilyID  string
	TokenHash string
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
	CreatedAt time.Time
}

// principalOf is who u acts as: the same for an access token and a web
// session.
func principalOf(u models.User) auth.Principal {
	p := auth.Principal{UserID: u.ID, TenantID: u.TenantID, Role: u.Role}
	if u.OrganizationID != nil {
		p.OrganizationID = *u.OrganizationID
	}
	return p
}

func (s *Service) issue(tx *gorm.DB, u models.User, family string) (TokenPair, error) {
	access, err := s.Tokens.Issue(principalOf(u))
	if err != nil {
		return TokenPair{}, err
	}
	token, hash := auth.NewRefreshToken()
	now := s.Clock.Now()
	rt := refreshToken{ID: store.NewID(), TenantID: u.TenantID, UserID: u.ID, FamilyID: family, TokenHash: hash,
		ExpiresAt: now.Add(auth.RefreshTokenTTL), CreatedAt: now}
	if err := tx.Create(&rt).Error; err != nil {
		return TokenPair{}, fmt.Errorf("store refresh token: %w", err)
	}
	return TokenPair{AccessToken: access, RefreshToken: token, ExpiresIn: int(auth.AccessTokenTTL.Seconds())}, nil
}

// Refresh rotates a refresh token: it works once and returns a new pair of
// the same family. A second use of a token (a stolen copy, or the thief's
// replay after the owner refreshed) revokes the whole family.
func (s *Service) Refresh(ctx context.Context, token string) (TokenPair, error) {
	unauthorized := fmt.Errorf("refresh: %w", models.ErrUnauthorized)
	var (
		pair  TokenPair
		reuse bool
	)
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		reuse = false
		now := s.Clock.Now()
		var rt refreshToken
		err := s.DB.ForUpdate(tx).Where("token_hash = ?", auth.HashRefreshToken(token)).Take(&rt).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return unauthorized
		} else if err != nil {
			return fmt.Errorf("refresh: %w", err)
		}
		if rt.UsedAt != nil || rt.RevokedAt != nil {
			reuse = true
			return tx.Model(&refreshToken{}).Where("family_id = ? AND revoked_at IS NULL", rt.FamilyID).
				Update("revoked_at", now).Error
		}
		if !now.Before(rt.ExpiresAt) {
			return unauthorized
		}
		res := tx.Model(&refreshToken{}).Where("id = ? AND used_at IS NULL", rt.ID).Update("used_at", now)
		if res.Error != nil {
			return fmt.Errorf("refresh: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return unauthorized
		}
		var u models.User
		if err := tx.Where("id = ? AND active", rt.UserID).Take(&u).Error; err != nil {
			return unauthorized
		}
		pair, err = s.issue(tx, u, rt.FamilyID)
		return err
	})
	if err == nil && reuse {
		// The revocation is committed; the caller still gets a 401.
		return TokenPair{}, fmt.Errorf("refresh token reused, family revoked: %w", models.ErrUnauthorized)
	}
	return pair, err
}

// PurgeExpiredRefreshTokens deletes refresh tokens past their expiry: an
// expired token is refused whether or not its row exists.
func (s *Service) PurgeExpiredRefreshTokens(ctx context.Context) error {
	if err := s.DB.Gorm.WithContext(ctx).Where("expires_at < ?", s.Clock.Now()).Delete(&refreshToken{}).Error; err != nil {
		return fmt.Errorf("purge refresh tokens: %w", err)
	}
	return nil
}

// TooManyAttempts is a login refused by the login limits before the
// password is checked; RetryAfter is when the oldest counted failure expires.
type TooManyAttempts struct{ RetryAfter time.Duration }

func (e *TooManyAttempts) Error() string { return "too many failed login attempts" }

// LimitedLogin is Login under the login limits, for every way of signing in
// (the API's token route and the web app's sign-in form): a blocked email
// or client address is refused with *TooManyAttempts before the password is
// checked, a wrong password counts as a failure, and a success clears the
// email's failures.
func (s *Service) LimitedLogin(ctx context.Context, limits *auth.LoginLimits, email, password, address string) (TokenPair, error) {
	email = normalizeEmail(email)
	blocked, wait, err := limits.Blocked(ctx, email, address)
	if err != nil {
		return TokenPair{}, err
	}
	if blocked {
		return TokenPair{}, &TooManyAttempts{RetryAfter: wait}
	}
	pair, err := s.Login(ctx, email, password)
	if errors.Is(err, models.ErrUnauthorized) {
		if ferr := limits.Failed(ctx, email, address); ferr != nil {
			return TokenPair{}, ferr
		}
	}
	if err != nil {
		return TokenPair{}, err
	}
	if err := limits.Succeeded(ctx, email); err != nil {
		return TokenPair{}, err
	}
	return pair, nil
}
