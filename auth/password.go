// Package auth issues and verifies access tokens (JWT, HS256), hashes
// passwords, rotates refresh tokens and limits login attempts.
package auth

import (
	"fmt"
	"sync"

	"golang.org/x/crypto/bcrypt"
)

// BcryptCost is the work factor of password hashes. bcrypt is chosen over a
// hand-written KDF: it is salted, tunable and in golang.org/x/crypto.
var BcryptCost = bcrypt.DefaultCost

// MinPasswordLength is the shortest password a user may set.
const MinPasswordLength = 12

// MaxPasswordBytes is bcrypt's limit: it reads no further, so a longer
// password is refused rather than cut short in silence.
const MaxPasswordBytes = 72

// PasswordProblem says what is wrong with a new password, or "".
func PasswordProblem(password string) string {
	switch {
	case len(password) < MinPasswordLength:
		return fmt.Sprintf("must be at least %d characters", MinPasswordLength)
	case len(password) > MaxPasswordBytes:
		return fmt.Sprintf("must be at most %d bytes (UTF-8)", MaxPasswordBytes)
	}
	return ""
}

// HashPassword returns the bcrypt hash of password.
func HashPassword(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), BcryptCost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// dummyHash is compared against when the email is unknown, so that a login
// for an unknown email takes as long as one with a wrong password. It is made
// on first use, at the cost in force then.
var dummyHash = sync.OnceValue(func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("no user has this password"), BcryptCost)
	return h
})

// CheckPassword reports whether password matches hash. An empty hash (no
// such user) still costs one bcrypt comparison.
func CheckPassword(hash, password string) bool {
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}
