package directory

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/models"
)

// WebSession answers who a browser is from the refresh token its session
// cookie carries. The browser keeps one refresh token for its whole session
// instead of rotating it on every request (a page loads in parallel
// requests, and rotation would read them as replays), so the session ends
// exactly when the token stops being usable: signed out or revoked (its
// family, or every token of a user deactivated or given a new password),
// used on the API's refresh route, or past its expiry. A user deactivated
// or given a new password since the token was issued is refused as well.
func (s *Service) WebSession(ctx context.Context, token string) (auth.Principal, error) {
	unauthorized := fmt.Errorf("web session: %w", models.ErrUnauthorized)
	if token == "" {
		return auth.Principal{}, unauthorized
	}
	var rt refreshToken
	err := s.DB.Gorm.WithContext(ctx).Where("token_hash = ?", auth.HashRefreshToken(token)).Take(&rt).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return auth.Principal{}, unauthorized
	} else if err != nil {
		return auth.Principal{}, fmt.Errorf("web session: %w", err)
	}
	if rt.UsedAt != nil || rt.RevokedAt != nil || !s.Clock.Now().Before(rt.ExpiresAt) {
		return auth.Principal{}, unauthorized
	}
	var u models.User
	if err := s.DB.Gorm.WithContext(ctx).Where("id = ?", rt.UserID).Take(&u).Error; err != nil {
		return auth.Principal{}, unauthorized
	}
	issued := rt.CreatedAt.Truncate(time.Second)
	if !u.Active || (u.SessionsFrom != nil && issued.Before(*u.SessionsFrom)) {
		return auth.Principal{}, unauthorized
	}
	p := principalOf(u)
	p.IssuedAt = issued
	return p, nil
}

// EndWebSession revokes the family of a browser's refresh token (sign-out).
// An unknown or already revoked token is no error: the browser is signed
// out either way.
func (s *Service) EndWebSession(ctx context.Context, token string) error {
	var rt refreshToken
	err := s.DB.Gorm.WithContext(ctx).Where("token_hash = ?", auth.HashRefreshToken(token)).Take(&rt).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	} else if err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	if err := s.DB.Gorm.WithContext(ctx).Model(&refreshToken{}).Where("family_id = ? AND revoked_at IS NULL", rt.FamilyID).
		Update("revoked_at", s.Clock.Now()).Error; err != nil {
		return fmt.Errorf("sign out: %w", err)
	}
	return nil
}
