package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Mailer sends e-mail over SMTP with go-mail (maintained, STARTTLS policy
// and SMTP AUTH built in, MIME multipart alternative for text plus HTML).
type Mailer struct {
	host     string
	opts     []gomail.Option
	from     string
	describe string // the server, without credentials, for the log
}

// NewMailer reads JOBCENTER_SMTP_URL: smtp://[user:pass@]host:port with
// STARTTLS required, smtps://… with TLS from the start, and ?tls=none for
// plain SMTP in local development and tests. from is the sender address.
// caFile, when not "", names PEM certificates trusted instead of the
// system's roots (JOBCENTER_SMTP_CA_FILE: a private mail relay's CA).
func NewMailer(raw, from, caFile string) (*Mailer, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("JOBCENTER_SMTP_URL is not smtp://[user:pass@]host:port or smtps://…")
	}
	if from == "" {
		return nil, fmt.Errorf("JOBCENTER_SMTP_FROM is required with JOBCENTER_SMTP_URL")
	}
	m := &Mailer{host: u.Hostname(), from: from, opts: []gomail.Option{gomail.WithTimeout(WebhookTimeout)}}
	port := 587
	switch u.Scheme {
	case "smtp":
		m.opts = append(m.opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case "smtps":
		port = 465
		m.opts = append(m.opts, gomail.WithSSL())
	default:
		return nil, fmt.Errorf("JOBCENTER_SMTP_URL must start with smtp:// or smtps://")
	}
	for k, v := range u.Query() {
		if k != "tls" || len(v) != 1 || v[0] != "none" || u.Scheme != "smtp" {
			return nil, fmt.Errorf("JOBCENTER_SMTP_URL: the only option is ?tls=none, with smtp://")
		}
		m.opts = append(m.opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, fmt.Errorf("JOBCENTER_SMTP_URL: port %q is not a number", p)
		}
	}
	m.opts = append(m.opts, gomail.WithPort(port))
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("JOBCENTER_SMTP_CA_FILE: %w", err)
		}
		roots := x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("JOBCENTER_SMTP_CA_FILE %s holds no PEM certificate", caFile)
		}
		m.opts = append(m.opts, gomail.WithTLSConfig(&tls.Config{MinVersion: tls.VersionTLS12, ServerName: m.host, RootCAs: roots}))
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		m.opts = append(m.opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(u.User.Username()),
			gomail.WithPassword(pass))
	}
	m.describe = u.Scheme + "://" + u.Host
	return m, nil
}

// String names the server without credentials.
func (m *Mailer) String() string { return m.describe }

// Send sends one message in text and HTML.
func (m *Mailer) Send(ctx context.Context, to string, msg Message, at time.Time) error {
	g := gomail.NewMsg()
	if err := g.From(m.from); err != nil {
		return fmt.Errorf("mail sender %q: %w", m.from, err)
	}
	if err := g.To(to); err != nil {
		return fmt.Errorf("mail recipient: %w", err)
	}
	g.Subject(msg.Subject)
	g.SetDateWithValue(at)
	g.SetMessageID()
	g.SetBodyString(gomail.TypeTextPlain, msg.Text)
	g.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	c, err := gomail.NewClient(m.host, m.opts...)
	if err != nil {
		return fmt.Errorf("mail client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, g); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	return nil
}
