// Package app assembles the service: configuration, database, HTTP server
// and scheduler in one Main with Run and Close. The command line and the
// end-to-end tests start the same Main.
package app

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"os"
	"time"
)

// Config is read from the JOBCENTER_* environment variables of API.md.
type Config struct {
	DatabaseURL   string
	Addr          string
	JWTSecret     []byte
	Timezone      string
	Scheduler     bool
	EncryptionKey []byte // 32 bytes, for IBANs at rest
	Dev           bool
	// Generated lists the keys made up in development mode, to say so.
	Generated []string
}

// ConfigFromEnv reads the configuration; getenv is os.Getenv outside tests.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	get := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	c := Config{
		DatabaseURL: get("JOBCENTER_DATABASE_URL", "sqlite://jobcenter.db"),
		Addr:        get("JOBCENTER_ADDR", ":8080"),
		Timezone:    get("JOBCENTER_TIMEZONE", "Europe/Helsinki"),
		Dev:         getenv("JOBCENTER_DEV") == "1",
	}
	switch s := get("JOBCENTER_SCHEDULER", "on"); s {
	case "on":
		c.Scheduler = true
	case "off":
	default:
		return c, fmt.Errorf("JOBCENTER_SCHEDULER must be on or off, not %q", s)
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		return c, fmt.Errorf("JOBCENTER_TIMEZONE: %w", err)
	}
	if s := getenv("JOBCENTER_JWT_SECRET"); s != "" {
		if len(s) < 32 {
			return c, fmt.Errorf("JOBCENTER_JWT_SECRET must be at least 32 bytes")
		}
		c.JWTSecret = []byte(s)
	} else if c.Dev {
		c.JWTSecret = randomKey()
		c.Generated = append(c.Generated, "JOBCENTER_JWT_SECRET")
	} else {
		return c, fmt.Errorf("JOBCENTER_JWT_SECRET is required (or JOBCENTER_DEV=1 to generate one)")
	}
	if s := getenv("JOBCENTER_ENCRYPTION_KEY"); s != "" {
		k, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(k) != 32 {
			return c, fmt.Errorf("JOBCENTER_ENCRYPTION_KEY must be 32 bytes in base64")
		}
		c.EncryptionKey = k
	} else if c.Dev {
		c.EncryptionKey = randomKey()
		c.Generated = append(c.Generated, "JOBCENTER_ENCRYPTION_KEY")
	} else {
		return c, fmt.Errorf("JOBCENTER_ENCRYPTION_KEY is required (or JOBCENTER_DEV=1 to generate one)")
	}
	return c, nil
}

func randomKey() []byte {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		fmt.Fprintln(os.Stderr, "crypto/rand:", err)
		os.Exit(1)
	}
	return k
}
