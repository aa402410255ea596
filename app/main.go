package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"jobcenter"
	"jobcenter/auth"
	"jobcenter/billing"
	"jobcenter/clock"
	"jobcenter/directory"
	"jobcenter/finance"
	"jobcenter/handlers"
	"jobcenter/jobs"
	"jobcenter/notify"
	"jobcenter/participants"
	"jobcenter/reports"
	"jobcenter/staffing"
	"jobcenter/store"
	"jobcenter/web"
)

// ShutdownTimeout is how long in-flight requests get to finish on SIGTERM.
const ShutdownTimeout = 10 * time.Second

// Main is the running service.
type Main struct {
	Config       Config
	Log          *slog.Logger
	Clock        *clock.Settable
	Loc          *time.Location
	DB           *store.DB
	Directory    *directory.Service
	Staffing     *staffing.Service
	Participants *participants.Service
	Billing      *billing.Service
	Finance      *finance.Service
	Reports      *reports.Service
	Scheduler    *jobs.Scheduler
	Notify       *notify.Service
	// Dispatcher sends the outbox's events; it runs in every serve
	// process, whatever the scheduler setting.
	Dispatcher *notify.Dispatcher

	api      *handlers.API
	echo     *echo.Echo
	registry *prometheus.Registry
	server   *http.Server
	listener net.Listener
	ops      *http.Server
	opsLn    net.Listener
}

// Open connects the database, applies pending migrations and builds the use
// cases; the commands that do not serve HTTP stop here.
func (m *Main) Open(ctx context.Context) error {
	var err error
	if m.Loc, err = time.LoadLocation(m.Config.Timezone); err != nil {
		return fmt.Errorf("timezone: %w", err)
	}
	if m.Clock == nil {
		m.Clock = &clock.Settable{}
	}
	if m.DB, err = m.openDB(ctx); err != nil {
		return err
	}
	n, err := m.DB.Migrate(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		m.Log.Info("migrations applied", "count", n)
	}
	tokens, err := auth.NewTokens(m.Config.JWTSecret, m.Clock)
	if err != nil {
		return err
	}
	m.registry = prometheus.NewRegistry()
	m.Directory = &directory.Service{DB: m.DB, Clock: m.Clock, Tokens: tokens}
	m.Billing = &billing.Service{DB: m.DB, Clock: m.Clock, Loc: m.Loc}
	m.Staffing = &staffing.Service{DB: m.DB, Clock: m.Clock, Loc: m.Loc}
	if m.Participants, err = participants.New(m.DB, m.Clock, m.Config.EncryptionKey); err != nil {
		return err
	}
	m.Billing.OpenIdentityCode = m.Participants.OpenIdentityCode
	m.Finance = &finance.Service{DB: m.DB, Clock: m.Clock, Loc: m.Loc, Participants: m.Participants,
		IncomesRegisterTest: m.Config.IncomesRegisterTest}
	m.Reports = &reports.Service{DB: m.DB}
	m.Notify = &notify.Service{DB: m.DB, Clock: m.Clock, Loc: m.Loc,
		Policy: notify.URLPolicy{AllowHTTP: m.Config.Dev, AllowPrivate: m.Config.WebhookAllowPrivate}}
	m.Dispatcher = &notify.Dispatcher{DB: m.DB, Clock: m.Clock, Loc: m.Loc, Log: m.Log, HTTP: notify.NewHTTPClient(m.Config.WebhookAllowPrivate),
		PublicURL: m.Config.MailLinkBase(), Poll: m.Config.NotifyPoll, Batch: 100, Workers: 8,
		Metrics: notify.NewMetrics(m.registry, m.DB, m.Clock)}
	if m.Config.SMTPURL != "" {
		if m.Dispatcher.Mailer, err = notify.NewMailer(m.Config.SMTPURL, m.Config.SMTPFrom, m.Config.SMTPCAFile); err != nil {
			return err
		}
	}
	jobList := m.jobs()
	m.Scheduler = &jobs.Scheduler{DB: m.DB, Clock: m.Clock, Loc: m.Loc, Log: m.Log, Jobs: jobList,
		Metrics: jobs.NewMetrics(m.registry, jobList)}
	limits := &auth.LoginLimits{DB: m.DB, Clock: m.Clock, Window: 15 * time.Minute, PerEmail: 10, PerAddress: 100}
	m.api = &handlers.API{
		DB: m.DB, Clock: m.Clock, Tokens: tokens, Directory: m.Directory, Notify: m.Notify, Staffing: m.Staffing, Participants: m.Participants, Billing: m.Billing, Finance: m.Finance, Reports: m.Reports, Log: m.Log, Loc: m.Loc,
		LoginLimits: limits,
		Spec:        jobcenter.OpenAPI,
		Registry:    m.registry,
		Dev:         m.Config.Dev,
		PublicURL:   m.Config.PublicURL,
		RunJob:      m.Scheduler.RunNow,
	}
	m.echo = handlers.New(m.api)
	// The people's web app, on the same server and the same use cases.
	err = web.Mount(m.echo, &web.App{Directory: m.Directory, Staffing: m.Staffing, Billing: m.Billing, Finance: m.Finance, Reports: m.Reports,
		Participants: m.Participants,
		LoginLimits:  limits, Clock: m.Clock, Loc: m.Loc, Log: m.Log, Secure: !m.Config.Dev})
	if err != nil {
		return fmt.Errorf("web app: %w", err)
	}
	return nil
}

// jobs are the scheduled jobs of the service.
func (m *Main) jobs() []jobs.Job {
	return []jobs.Job{
		// Extends open-ended orders' shifts to the tenant's horizon nightly.
		{Name: staffing.HorizonJob, Spec: "0 1 * * *", Run: func(ctx context.Context, _ time.Time) error {
			_, err := m.Staffing.ExtendHorizon(ctx)
			return err
		}},
		// Approves timesheets the customer has not answered in time.
		{Name: "auto-approve", Spec: "0 3 * * *", Run: func(ctx context.Context, _ time.Time) error {
			_, err := m.Staffing.AutoApprove(ctx)
			return err
		}},
		// Notes missing hours and timesheets waiting for approval, and tells
		// supervisors of tomorrow's shifts and of missing hours.
		{Name: "reminders", Spec: "0 7 * * *", Run: func(ctx context.Context, _ time.Time) error {
			return errors.Join(m.Staffing.CollectReminders(ctx), m.Finance.CollectIRDue(ctx), m.Notify.Remind(ctx))
		}},
		// Deletes access-log entries and logged file reads past their retention.
		{Name: "access-log-retention", Spec: "0 4 * * *", Run: func(ctx context.Context, _ time.Time) error {
			_, err := m.Participants.PurgeAccessLog(ctx)
			return err
		}},
		// Deletes what has served its purpose: stored idempotent responses
		// past their day, expired refresh tokens, old login failures.
		{Name: "expired-records", Spec: "30 4 * * *", Run: func(ctx context.Context, _ time.Time) error {
			return errors.Join(m.api.PurgeIdempotencyKeys(ctx), m.Directory.PurgeExpiredRefreshTokens(ctx), m.api.LoginLimits.Purge(ctx))
		}},
		// Bills the previous month for every tenant.
		{Name: "billing", Spec: "0 2 1 * *", Run: m.Billing.RunMonthly},
	}
}

// Run opens everything, starts listening and, unless configured off, the
// scheduler. It returns once the server accepts connections.
func (m *Main) Run(ctx context.Context) error {
	if err := m.Open(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", m.Config.Addr, err)
	}
	m.listener = ln
	m.server = &http.Server{
		Handler:           m.echo,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute, // exports stream large files
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(m.Log.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := m.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Log.Error("http server stopped", "error", err)
		}
	}()
	if m.Config.OpsAddr != "" {
		if m.opsLn, err = net.Listen("tcp", m.Config.OpsAddr); err != nil {
			return fmt.Errorf("listen %s: %w", m.Config.OpsAddr, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
		m.ops = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
		go func() {
			if err := m.ops.Serve(m.opsLn); err != nil && !errors.Is(err, http.ErrServerClosed) {
				m.Log.Error("ops server stopped", "error", err)
			}
		}()
	}
	if m.Config.Scheduler {
		m.Scheduler.Start(context.WithoutCancel(ctx))
	}
	if m.Dispatcher.Mailer == nil {
		m.Log.Info("e-mail is off: JOBCENTER_SMTP_URL is not set")
	} else {
		m.Log.Info("e-mail on", "smtp", m.Dispatcher.Mailer.String())
	}
	m.Dispatcher.Start()
	m.Log.Info("listening", "addr", ln.Addr().String(), "dev", m.Config.Dev, "scheduler", m.Config.Scheduler)
	return nil
}

// openDB opens the database, waiting for it up to Config.DBWait with pauses
// of 1 s doubling up to 10 s: a database that starts more slowly than the
// service (a fresh compose stack, a restarted server) is waited for, rather
// than the service exiting and restarting in a loop.
func (m *Main) openDB(ctx context.Context) (*store.DB, error) {
	deadline := time.Now().Add(m.Config.DBWait)
	pause := time.Second
	for attempt := 1; ; attempt++ {
		db, err := store.Open(m.Config.DatabaseURL, m.Log)
		if err == nil {
			if err = db.Ping(ctx); err == nil {
				return db, nil
			}
			db.Close()
		}
		if time.Now().Add(pause).After(deadline) {
			if attempt > 1 {
				return nil, fmt.Errorf("database still unreachable after %d attempts in %s: %w", attempt, m.Config.DBWait, err)
			}
			return nil, err
		}
		m.Log.Warn("database unreachable, retrying", "attempt", attempt, "retry_in", pause.String(), "error", err)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(pause):
		}
		pause = min(2*pause, 10*time.Second)
	}
}

// URL is the base URL the server listens on.
func (m *Main) URL() string { return "http://" + m.listener.Addr().String() }

// OpsURL is the base URL of the ops listener, if configured.
func (m *Main) OpsURL() string { return "http://" + m.opsLn.Addr().String() }

// Close stops accepting requests, lets in-flight ones finish within
// ShutdownTimeout, waits for running jobs and closes the database.
func (m *Main) Close() error {
	var errs []error
	ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	for _, srv := range []*http.Server{m.server, m.ops} {
		if srv == nil {
			continue
		}
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("http shutdown: %w", err))
		}
	}
	if m.Scheduler != nil {
		m.Scheduler.Stop()
	}
	if m.Dispatcher != nil {
		m.Dispatcher.Stop()
	}
	if m.DB != nil {
		if err := m.DB.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close database: %w", err))
		}
	}
	return errors.Join(errs...)
}

// Routes lists the routes the HTTP server serves.
func (m *Main) Routes() []*echo.Route { return m.echo.Routes() }
