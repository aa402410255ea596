package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"jobcenter/clock"
)

// Token parameters fixed by API.md.
const (
	Issuer          = "jobcenter"
	Audience        = "jobcenter-api"
	AccessTokenTTL  = 15 * time.Minute
	RefreshTokenTTL = 30 * 24 * time.Hour
)

// ErrBadToken is any reason a token is not accepted; the caller answers 401.
var ErrBadToken = errors.New("invalid or expired token")

// Principal is the authenticated caller.
type Principal struct {
	UserID         string
	TenantID       string
	Role           string
	OrganizationID string // the customer or organiser of customer and supervisor users
	// IssuedAt is when the access token was issued (whole seconds).
	IssuedAt time.Time
}

type claims struct {
	jwt.RegisteredClaims
	TenantID       string `json:"tid"`
	Role           string `json:"role"`
	OrganizationID string `json:"org,omitempty"`
}

// Tokens signs and verifies access tokens with one HMAC key.
type Tokens struct {
	key   []byte
	clock clock.Clock
}

// NewTokens needs a key of at least 32 bytes.
func NewTokens(key []byte, c clock.Clock) (*Tokens, error) {
	if len(key) < 32 {
		return nil, fmt.Errorf("JWT secret must be at least 32 bytes, got %d", len(key))
	}
	return &Tokens{key: key, clock: c}, nil
}

// Issue returns a signed access token for p.
func (t *Tokens) Issue(p Principal) (string, error) {
	now := t.clock.Now()
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    Issuer,
			Audience:  jwt.ClaimStrings{Audience},
			Subject:   p.UserID,
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(now.Add(AccessTokenTTL)),
		},
		TenantID:       p.TenantID,
		Role:           p.Role,
		OrganizationID: p.OrganizationID,
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.key)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	return s, nil
}

// Verify parses an access token. Only HS256 is accepted (no "none", no
// algorithm confusion), exp and iat are required, iss and aud must match.
func (t *Tokens) Verify(raw string) (Principal, error) {
	var c claims
	_, err := jwt.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return t.key, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(Issuer),
		jwt.WithAudience(Audience),
		jwt.WithTimeFunc(t.clock.Now),
	)
	if err != nil || c.Subject == "" || c.TenantID == "" || c.Role == "" || c.IssuedAt == nil {
		return Principal{}, ErrBadToken
	}
	return Principal{UserID: c.Subject, TenantID: c.TenantID, Role: c.Role, OrganizationID: c.OrganizationID, IssuedAt: c.IssuedAt.Time}, nil
}

// NewRefreshToken returns an opaque random token and the hash that is stored
// (the token itself never is).
func NewRefreshToken() (token, hash string) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("crypto/rand: %v", err))
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashRefreshToken(token)
}

// HashRefreshToken is the stored form of a refresh token.
func HashRefreshToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
