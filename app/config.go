// Package app assembles the service: configuration, database, HTTP server
// and scheduler in one Main with Run and Close. The command line and the
// end-to-end tests start the same Main.
package app

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"strings"
	"time"
)

// Config is read from the JOBCENTER_* environment variables of API.md.
type Config struct {
	DatabaseURL string
	Addr        string
	// OpsAddr, when set, serves /metrics to anyone on a separate listener
	// (for a scraper in another container); the API port serves it to
	// clients on this host only.
	OpsAddr       string
	JWTSecret     []byte
	Timezone      string
	Scheduler     bool
	EncryptionKey []byte // 32 bytes, for IBANs at rest
	Dev           bool
	// IncomesRegisterTest marks Incomes Register files as test deliveries:
	// JOBCENTER_INCOMES_REGISTER_TEST=1 or 0; by default on in development
	// mode and off otherwise, so only a production server makes production
	// files unless told otherwise.
	IncomesRegisterTest bool
	// PublicURL is the service's address as clients see it: the base of
	// problem type URIs and of links in mails. Empty means the host each
	// request came to, and for mails MailLinkBase.
	PublicURL string
	// DBWait is how long Open retries an unreachable database at start.
	DBWait time.Duration
	// SMTPURL and SMTPFrom turn e-mail on (JOBCENTER_SMTP_URL,
	// JOBCENTER_SMTP_FROM); without a URL no mail is sent.
	SMTPURL, SMTPFrom string
	// SMTPCAFile (JOBCENTER_SMTP_CA_FILE) names PEM certificates the mail
	// server's certificate must chain to, instead of the system's roots.
	SMTPCAFile string
	// WebhookAllowPrivate lets webhooks reach private, loopback and
	// link-local addresses (JOBCENTER_WEBHOOK_ALLOW_PRIVATE=1).
	WebhookAllowPrivate bool
	// NotifyPoll is the dispatcher's pause when idle.
	NotifyPoll time.Duration
	// Generated lists the keys development mode made up, to say so.
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
		DatabaseURL:         get("JOBCENTER_DATABASE_URL", "sqlite://jobcenter.db"),
		Addr:                get("JOBCENTER_ADDR", ":8080"),
		OpsAddr:             getenv("JOBCENTER_OPS_ADDR"),
		Timezone:            get("JOBCENTER_TIMEZONE", "Europe/Helsinki"),
		Dev:                 getenv("JOBCENTER_DEV") == "1",
		PublicURL:           strings.TrimSuffix(getenv("JOBCENTER_PUBLIC_URL"), "/"),
		SMTPURL:             getenv("JOBCENTER_SMTP_URL"),
		SMTPFrom:            getenv("JOBCENTER_SMTP_FROM"),
		SMTPCAFile:          getenv("JOBCENTER_SMTP_CA_FILE"),
		NotifyPoll:          time.Second,
		WebhookAllowPrivate: getenv("JOBCENTER_WEBHOOK_ALLOW_PRIVATE") == "1",
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, fmt.Errorf("JOBCENTER_PUBLIC_URL must be an http(s) URL like https://jobcenter.example.fi, not %q", c.PublicURL)
		}
	}
	wait, err := time.ParseDuration(get("JOBCENTER_DB_WAIT", "60s"))
	if err != nil || wait < 0 {
		return c, fmt.Errorf("JOBCENTER_DB_WAIT must be a duration like 60s or 0 (no waiting), not %q", getenv("JOBCENTER_DB_WAIT"))
	}
	c.DBWait = wait
	switch s := get("JOBCENTER_SCHEDULER", "on"); s {
	case "on":
		c.Scheduler = true
	case "off":
	default:
		return c, fmt.Errorf("JOBCENTER_SCHEDULER must be on or off, not %q", s)
	}
	switch s := getenv("JOBCENTER_INCOMES_REGISTER_TEST"); s {
	case "":
		c.IncomesRegisterTest = c.Dev
	case "1":
		c.IncomesRegisterTest = true
	case "0":
	default:
		return c, fmt.Errorf("JOBCENTER_INCOMES_REGISTER_TEST must be 1 or 0, not %q", s)
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil {
		return c, fmt.Errorf("JOBCENTER_TIMEZONE: %w", err)
	}
	var dev devKeys
	if c.Dev && (getenv("JOBCENTER_JWT_SECRET") == "" || getenv("JOBCENTER_ENCRYPTION_KEY") == "") {
		// Generated keys are kept in a file so that `demo` and a later
		// `serve` share them (IBANs stay readable, tokens stay valid).
		var err error
		if dev, err = loadDevKeys(get("JOBCENTER_DEV_KEY_FILE", "jobcenter.dev-keys.json")); err != nil {
			return c, err
		}
	}
	if s := getenv("JOBCENTER_JWT_SECRET"); s != "" {
		if len(s) < 32 {
			return c, fmt.Errorf("JOBCENTER_JWT_SECRET must be at least 32 bytes")
		}
		c.JWTSecret = []byte(s)
	} else if c.Dev {
		c.JWTSecret = dev.JWTSecret
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
		c.EncryptionKey = dev.EncryptionKey
		c.Generated = append(c.Generated, "JOBCENTER_ENCRYPTION_KEY")
	} else {
		return c, fmt.Errorf("JOBCENTER_ENCRYPTION_KEY is required (or JOBCENTER_DEV=1 to generate one)")
	}
	return c, nil
}

// devKeys are the keys development mode generates.
type devKeys struct {
	JWTSecret     []byte `json:"jwt_secret"`
	EncryptionKey []byte `json:"encryption_key"`
}

// loadDevKeys reads the development keys from path, generating and saving
// them on first use.
func loadDevKeys(path string) (devKeys, error) {
	var k devKeys
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &k); err != nil || len(k.JWTSecret) < 32 || len(k.EncryptionKey) != 32 {
			return k, fmt.Errorf("development keys in %s are unreadable; delete the file to generate new ones", path)
		}
		return k, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return k, fmt.Errorf("read development keys: %w", err)
	}
	k = devKeys{JWTSecret: make([]byte, 32), EncryptionKey: make([]byte, 32)}
	if _, err := rand.Read(k.JWTSecret); err != nil {
		return k, fmt.Errorf("generate keys: %w", err)
	}
	if _, err := rand.Read(k.EncryptionKey); err != nil {
		return k, fmt.Errorf("generate keys: %w", err)
	}
	b, _ := json.Marshal(k)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return k, fmt.Errorf("save development keys: %w", err)
	}
	return k, nil
}

// MailLinkBase is the address links in mails point to: PublicURL, or
// without it this host on the listen address's port, which only serves a
// local development setup.
func (c Config) MailLinkBase() string {
	if c.PublicURL != "" {
		return c.PublicURL
	}
	return c.LocalBase()
}

// LocalBase is where serve answers on this machine, named for a browser
// (localhost); the address as given when it is not host:port, which serve
// refuses anyway.
func (c Config) LocalBase() string {
	base, err := LocalURL(c.Addr, "localhost")
	if err != nil {
		return "http://" + c.Addr
	}
	return base
}

// LocalURL is the base URL at which a server listening on addr answers on
// this machine: on loopback (the name given) when addr binds every
// interface (":8080", "0.0.0.0:8080", "[::]:8080") or localhost, else on
// the one address addr names.
func LocalURL(addr, loopback string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("listen address %q is not host:port: %w", addr, err)
	}
	if ip := net.ParseIP(host); host == "" || host == "localhost" || (ip != nil && ip.IsUnspecified()) {
		host = loopback
	}
	return "http://" + net.JoinHostPort(host, port), nil
}
