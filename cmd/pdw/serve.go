package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/pdw-registry/pdw/api"
	"github.com/pdw-registry/pdw/contracts"
	"github.com/pdw-registry/pdw/mail"
	"github.com/pdw-registry/pdw/metrics"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/scheduler"
	"github.com/pdw-registry/pdw/web"
)

// cmdServe runs the HTTP service and the job scheduler until ctx ends
// (SIGTERM/SIGINT), then drains requests for up to 20 seconds and lets
// running jobs finish for up to 20 more.
func cmdServe(ctx context.Context, e *env, args []string) error {
	if err := flags(e, "serve", args, func(*flag.FlagSet) {}); err != nil {
		return err
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()

	// Every language's texts are checked now: a missing translation stops
	// the start rather than leaving a blank in a contract.
	catalog, err := contracts.LoadMessages(e.cfg.TextsDir)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	// One registry for the requests, the jobs and the database pool.
	m := metrics.New()
	m.WatchDB("pdw", db.SQL())
	opts := api.Options{Logger: e.log, SessionTTL: e.cfg.SessionTTL, SecureCookies: e.cfg.SecureCookies,
		TrustedProxies: e.cfg.TrustedProxies, Documents: documents(e.cfg, catalog), OfficePlace: e.cfg.officePlace(),
		ReportMinCell: e.cfg.ReportMinCell, Metrics: m, MetricsToken: e.cfg.MetricsToken}
	n, err := db.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		opts.SetupToken = store.Secret("setup_")
		// Logged whatever PDW_LOG_LEVEL says: without it nobody can log in.
		always := slog.New(slog.NewJSONHandler(e.stderr, nil))
		always.Warn("no account exists yet: create the first administrator with this one-time setup token "+
			"(POST /api/v1/setup {\"token\",\"email\",\"password\"}); it is valid until used or the server restarts",
			slog.String("setup_token", opts.SetupToken))
	}

	ln, err := net.Listen("tcp", e.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", e.cfg.HTTPAddr, err)
	}
	sched, err := startScheduler(ctx, e, db, m)
	if err != nil {
		ln.Close()
		return err
	}
	defer stopScheduler(e, sched)
	apiSrv := api.New(db, opts)
	if _, err := web.Mount(apiSrv, web.Options{Location: e.cfg.Calendar.Location, QuickExitURL: e.cfg.QuickExitURL}); err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{
		Handler:           apiSrv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(e.log.Handler(), slog.LevelWarn),
	}
	e.log.Info("serving", slog.String("addr", ln.Addr().String()), slog.String("database", db.Dialect()))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	e.log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// documents builds the API's document settings from the configuration.
func documents(cfg Config, catalog *contracts.Catalog) *api.Documents {
	return &api.Documents{
		Catalog: catalog,
		Help: contracts.Help{
			Office:    contracts.Contact{Name: cfg.HelpOffice, Phone: cfg.HelpOfficePhone},
			Mediation: contracts.Contact{Name: cfg.HelpMediation, Phone: cfg.HelpMediationPhone},
			NGO:       contracts.Contact{Name: cfg.HelpNGO, Phone: cfg.HelpNGOPhone},
			Emergency: cfg.HelpEmergency,
		},
		BaseURL: cfg.BaseURL,
		Place:   cfg.ContractPlace,
	}
}

// startScheduler starts the job engine on db: on PostgreSQL every replica
// works jobs and one, elected, enqueues the periodic ones; on SQLite the
// one process does both.
func startScheduler(ctx context.Context, e *env, db *store.DB, m *metrics.Metrics) (*scheduler.Scheduler, error) {
	cfg := schedulerConfig(e)
	cfg.Metrics = m
	if store.IsPostgres(e.cfg.DatabaseURL) {
		cfg.DatabaseURL = e.cfg.DatabaseURL
	}
	sched, err := scheduler.New(db, cfg)
	if err != nil {
		return nil, err
	}
	if err := sched.Start(ctx); err != nil {
		return nil, fmt.Errorf("start the scheduler: %w", err)
	}
	if e.cfg.SMTPURL == "" {
		e.log.Warn("PDW_SMTP_URL is not set: reminders and notifications are not sent; they are logged as skipped and kept for later")
	}
	loc := e.cfg.Calendar.Location
	e.log.Info("scheduler started", slog.String("plan", e.cfg.PlanSpec), slog.String("sweep", e.cfg.SweepSpec),
		slog.String("notify", e.cfg.NotifySpec), slog.String("remind", e.cfg.RemindSpec), slog.String("retention", e.cfg.RetentionSpec),
		slog.String("timezone", loc.String()+" ("+time.Now().In(loc).Format("MST -07:00")+")"))
	return sched, nil
}

// schedulerConfig is the job engine's configuration, reminders' delivery included.
func schedulerConfig(e *env) scheduler.Config {
	cfg := scheduler.Config{PlanSpec: e.cfg.PlanSpec, SweepSpec: e.cfg.SweepSpec, NotifySpec: e.cfg.NotifySpec,
		RemindSpec: e.cfg.RemindSpec, RetentionSpec: e.cfg.RetentionSpec, Logger: e.log,
		Mail: scheduler.Mail{From: e.cfg.smtpFrom(), Place: e.cfg.officePlace()}}
	if e.cfg.SMTPURL != "" {
		if s, err := mail.ParseURL(e.cfg.SMTPURL); err == nil { // checked by loadConfig
			cfg.Mail.Sender = s
		}
	}
	return cfg
}

// stopScheduler lets running jobs finish for up to 20 seconds, then
// cancels them (they are idempotent and run again later).
func stopScheduler(e *env, sched *scheduler.Scheduler) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := sched.Stop(ctx); err != nil {
		e.log.Warn("scheduler stopped with running jobs cancelled", slog.Any("error", err))
	}
	e.log.Info("stopped")
}
