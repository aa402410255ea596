package participants

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
)

// Cipher seals personal data at rest (IBANs) with AES-256-GCM. Each value
// gets a random nonce, so equal IBANs do not look equal in the database, and
// is bound to its row by the additional data, so a sealed value copied into
// another participant's row does not open.
type Cipher struct {
	aead cipher.AEAD
}

// NewCipher takes the 32-byte JOBCENTER_ENCRYPTION_KEY.
func NewCipher(key []byte) (*Cipher, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("encryption key must be 32 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("encryption key: %w", err)
	}
	return &Cipher{aead: aead}, nil
}

// Seal encrypts plain for the row named by aad and returns base64 of the
// nonce followed by the ciphertext, for a text column.
func (c *Cipher) Seal(plain, aad string) (string, error) {
	nonce := make([]byte, c.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal: %w", err)
	}
	out := c.aead.Seal(nonce, nonce, []byte(plain), []byte(aad))
	return base64.StdEncoding.EncodeToString(out), nil
}

// Open reverses Seal; a wrong key, a wrong row or a tampered value fail.
func (c *Cipher) Open(sealed, aad string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return "", fmt.Errorf("open sealed value: %w", err)
	}
	n := c.aead.NonceSize()
	if len(raw) < n+c.aead.Overhead() {
		return "", errors.New("open sealed value: too short")
	}
	plain, err := c.aead.Open(nil, raw[:n], raw[n:], []byte(aad))
	if err != nil {
		return "", fmt.Errorf("open sealed value: %w", err)
	}
	return string(plain), nil
}
