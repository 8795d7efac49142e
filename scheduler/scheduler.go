// Package scheduler runs the registry's scheduled work on River, a job
// queue kept in the registry's own database: periodic jobs built from cron
// specs (planning appointments, sweeping missed ones, sending the
// timeline's messages, catching up on reminders, erasing personal data
// past its retention), leader election
// across replicas (only the leader enqueues periodic jobs; every replica
// works jobs), retries, and jobs inserted in the same transaction as the
// change that causes them. The jobs themselves are plain functions (jobs.go).
//
// PostgreSQL: River works through database/sql on the store's pool, with a
// one-connection pgx pool of its own for LISTEN/NOTIFY. SQLite: River
// shares the store's single connection; one process only.
package scheduler

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
	"github.com/robfig/cron/v3"
	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/metrics"
	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models/store"
)

// Default schedules (cron specs, read in the office's time zone).
const (
	DefaultPlanSpec  = "*/15 * * * *" // every 15 minutes
	DefaultSweepSpec = "0 * * * *"    // every hour
	// DefaultNotifySpec: the timeline's messages, every 10 minutes.
	DefaultNotifySpec = "*/10 * * * *"
	// DefaultRemindSpec: the reminders' catch-up, every 10 minutes.
	DefaultRemindSpec = "*/10 * * * *"
	// DefaultRetentionSpec: the erasure of expired personal data, daily
	// at 03:00 office time.
	DefaultRetentionSpec = "0 3 * * *"
)

// ReminderJobRetention is how long River keeps finished jobs (completed,
// cancelled, discarded): longer than the longest reminder lead time a
// policy may set (365 days), so that a reminder already sent is still
// there to make the reminders' catch-up (the remind job) skip it as a
// duplicate until its appointment has started.
const ReminderJobRetention = 367 * 24 * time.Hour

// Config configures a Scheduler. Zero fields take their defaults.
type Config struct {
	// PlanSpec and SweepSpec are the jobs' cron specs: 5 fields, 6 with
	// seconds first, or a descriptor such as @hourly; read in the office's
	// time zone unless they start with CRON_TZ=.
	PlanSpec, SweepSpec string
	// NotifySpec, RemindSpec and RetentionSpec are the cron specs of the
	// timeline's messages, the reminders' catch-up and the retention pass.
	NotifySpec, RemindSpec, RetentionSpec string
	// DatabaseURL is the PostgreSQL URL for River's listener connection
	// (LISTEN/NOTIFY: quicker wake-ups and failovers); without it River
	// polls. Ignored on SQLite.
	DatabaseURL string
	// Logger receives one line per job run (counts only) and River's
	// warnings and errors (its routine Info lines are left out).
	Logger *slog.Logger
	// Now is the jobs' clock (default time.Now).
	Now func() time.Time
	// MaxWorkers is how many jobs one process works at once (default 4).
	MaxWorkers int
	// TestOnly makes River start and stop faster (for tests).
	TestOnly bool
	// Mail configures the reminders' delivery (see remind.go).
	Mail Mail
	// Metrics counts job runs and reminders (nil: not counted).
	Metrics *metrics.Metrics
}

// Scheduler is a River client running the registry's jobs.
type Scheduler struct {
	db       *store.DB
	cfg      Config
	client   *river.Client[*sql.Tx]
	listener *pgxpool.Pool // PostgreSQL with DatabaseURL only
}

var specParser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSpec parses a cron spec in loc (unless it names its own CRON_TZ) and
// returns the schedule and its period: the shortest gap between two runs,
// which keys River's ByPeriod uniqueness so that no tick runs twice.
func ParseSpec(spec string, loc *time.Location) (cron.Schedule, time.Duration, error) {
	sched, err := specParser.Parse(spec)
	if err != nil {
		return nil, 0, fmt.Errorf("cron spec %q: %w", spec, err)
	}
	if s, ok := sched.(*cron.SpecSchedule); ok && s.Location == time.Local {
		s.Location = loc
	}
	// The shortest gap over the next runs (a year covers any pattern but
	// leap days and dates that exist only some years, which are rare here).
	var period time.Duration
	t := sched.Next(time.Now())
	for i, end := 0, t.AddDate(1, 0, 0); i < 1000 && t.Before(end); i++ {
		n := sched.Next(t)
		if n.IsZero() {
			break
		}
		if gap := n.Sub(t); period == 0 || gap < period {
			period = gap
		}
		t = n
	}
	if period < time.Second {
		return nil, 0, fmt.Errorf("cron spec %q: must run at least twice, at least a second apart", spec)
	}
	return sched, period, nil
}

// New builds the River client for db: the plan, sweep, notify, remind
// (catch-up) and retention jobs and their periodic schedules, and the reminders (it makes itself db's Outbox, so
// that placing an appointment inserts its reminders). It does not start it (Start) and does not migrate
// River's tables (store.DB.Migrate does, with the registry's).
func New(db *store.DB, cfg Config) (*Scheduler, error) {
	if cfg.PlanSpec == "" {
		cfg.PlanSpec = DefaultPlanSpec
	}
	if cfg.SweepSpec == "" {
		cfg.SweepSpec = DefaultSweepSpec
	}
	if cfg.NotifySpec == "" {
		cfg.NotifySpec = DefaultNotifySpec
	}
	if cfg.RemindSpec == "" {
		cfg.RemindSpec = DefaultRemindSpec
	}
	if cfg.RetentionSpec == "" {
		cfg.RetentionSpec = DefaultRetentionSpec
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MaxWorkers <= 0 {
		cfg.MaxWorkers = 4
	}
	cfg.Mail.defaults()
	s := &Scheduler{db: db, cfg: cfg}

	var periodic []*river.PeriodicJob
	for _, job := range []struct {
		spec string
		args river.JobArgs
	}{{cfg.PlanSpec, PlanArgs{}}, {cfg.SweepSpec, SweepArgs{}}, {cfg.NotifySpec, NotifyArgs{}},
		{cfg.RemindSpec, RemindCatchUpArgs{}}, {cfg.RetentionSpec, RetentionArgs{}}} {
		sched, period, err := ParseSpec(job.spec, db.Calendar.Location)
		if err != nil {
			return nil, fmt.Errorf("scheduler: %s: %w", job.args.Kind(), err)
		}
		args := job.args
		periodic = append(periodic, river.NewPeriodicJob(sched, func() (river.JobArgs, *river.InsertOpts) {
			return args, &river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByPeriod: period}}
		}, &river.PeriodicJobOpts{ID: args.Kind(), RunOnStart: true}))
	}

	workers := river.NewWorkers()
	river.AddWorker(workers, &planWorker{s: s})
	river.AddWorker(workers, &sweepWorker{s: s})
	river.AddWorker(workers, &remindWorker{s: s})
	river.AddWorker(workers, &notifyWorker{s: s})
	river.AddWorker(workers, &remindCatchUpWorker{s: s})
	river.AddWorker(workers, &retentionWorker{s: s})

	var driver riverdriver.Driver[*sql.Tx]
	switch db.Dialect() {
	case migrations.Postgres:
		if cfg.DatabaseURL == "" {
			driver = riverdatabasesql.New(db.SQL())
			break
		}
		pc, err := pgxpool.ParseConfig(cfg.DatabaseURL)
		if err != nil {
			return nil, fmt.Errorf("scheduler: listener: %w", err)
		}
		pc.MaxConns, pc.MinConns = 1, 0
		if s.listener, err = pgxpool.NewWithConfig(context.Background(), pc); err != nil {
			return nil, fmt.Errorf("scheduler: listener: %w", err)
		}
		driver = riverdatabasesql.NewWithPgxListener(db.SQL(), s.listener)
	default:
		driver = riversqlite.New(db.SQL())
	}
	client, err := river.NewClient(driver, &river.Config{
		Logger:       slog.New(warnings{cfg.Logger.Handler()}),
		Queues:       map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.MaxWorkers}},
		Workers:      workers,
		PeriodicJobs: periodic,
		Middleware:   []rivertype.Middleware{&jobMetrics{m: cfg.Metrics}},
		TestOnly:     cfg.TestOnly,
		// Finished reminders are kept past their appointments (see
		// ReminderJobRetention); every job's row is small.
		CompletedJobRetentionPeriod: ReminderJobRetention,
		CancelledJobRetentionPeriod: ReminderJobRetention,
		DiscardedJobRetentionPeriod: ReminderJobRetention,
	})
	if err != nil {
		s.close()
		return nil, fmt.Errorf("scheduler: %w", err)
	}
	s.client = client
	// Placing appointments now inserts their reminders in the same transaction.
	db.Outbox = s
	return s, nil
}

// warnings passes on only records at level Warn and above: River reports
// its routine work (job counts every few seconds) at Info.
type warnings struct{ slog.Handler }

func (w warnings) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && w.Handler.Enabled(ctx, l)
}
func (w warnings) WithAttrs(as []slog.Attr) slog.Handler { return warnings{w.Handler.WithAttrs(as)} }
func (w warnings) WithGroup(name string) slog.Handler    { return warnings{w.Handler.WithGroup(name)} }

// Start starts working jobs and, when this process is elected leader,
// enqueueing the periodic ones. It returns at once; Stop ends it.
func (s *Scheduler) Start(ctx context.Context) error {
	// Stop, not ctx, ends the client: the server drains requests (which
	// may enqueue jobs) before the job engine stops.
	return s.client.Start(context.WithoutCancel(ctx))
}

// Stop waits for running jobs to finish, until ctx ends; then it cancels
// them (they are retried later, being idempotent) and releases the listener.
func (s *Scheduler) Stop(ctx context.Context) error {
	defer s.close()
	err := s.client.Stop(ctx)
	if err != nil && ctx.Err() != nil {
		hard, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return errors.Join(err, s.client.StopAndCancel(hard))
	}
	return err
}

func (s *Scheduler) close() {
	if s.listener != nil {
		s.listener.Close()
	}
}

// Client is the River client, for inserting and inspecting jobs.
func (s *Scheduler) Client() *river.Client[*sql.Tx] { return s.client }

// EnqueueTx inserts a job inside tx, a transaction from
// store.DB.Transaction: the job exists if and only if tx commits (the
// durable outbox). It reports whether the job was inserted (false: a
// unique job that already exists). On SQLite it uses tx's connection, the
// only one, as every statement inside a transaction must.
func (s *Scheduler) EnqueueTx(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) (bool, error) {
	sqlTx, err := store.SQLTx(tx)
	if err != nil {
		return false, err
	}
	res, err := s.client.InsertTx(ctx, sqlTx, args, opts)
	if err != nil {
		return false, fmt.Errorf("scheduler: enqueue %s: %w", args.Kind(), err)
	}
	return !res.UniqueSkippedAsDuplicate, nil
}

// PlanArgs is the planning job (no arguments: it catches up on all that is due).
type PlanArgs struct{}

// Kind names the job.
func (PlanArgs) Kind() string { return "plan" }

// SweepArgs is the sweep of missed appointments.
type SweepArgs struct{}

// Kind names the job.
func (SweepArgs) Kind() string { return "sweep" }

// jobTimeout bounds one run (a catch-up pass over many employments can
// take seconds; River's default is a minute).
const jobTimeout = 10 * time.Minute

type planWorker struct {
	river.WorkerDefaults[PlanArgs]
	s *Scheduler
}

func (w *planWorker) Timeout(*river.Job[PlanArgs]) time.Duration { return jobTimeout }

func (w *planWorker) Work(ctx context.Context, _ *river.Job[PlanArgs]) error {
	res, err := Plan(ctx, w.s.db, w.s.cfg.Now())
	if err != nil {
		return err
	}
	w.s.cfg.Logger.InfoContext(ctx, "planned appointments", slog.Int("employments", res.Employments),
		slog.Int("created", res.Created), slog.Int("placed", res.Placed), slog.Int("unplaceable", len(res.Unplaceable)))
	return nil
}

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	s *Scheduler
}

func (w *sweepWorker) Timeout(*river.Job[SweepArgs]) time.Duration { return jobTimeout }

func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	res, err := Sweep(ctx, w.s.db, w.s.cfg.Now())
	if err != nil {
		return err
	}
	w.s.cfg.Logger.InfoContext(ctx, "swept missed appointments", slog.Int("missed", res.Missed))
	return nil
}

// NotifyArgs is the sending of the timeline's pending messages.
type NotifyArgs struct{}

// Kind names the job.
func (NotifyArgs) Kind() string { return JobNotify }

// RemindCatchUpArgs is the reminders' catch-up (the remind job; each
// reminder is a job of kind remind).
type RemindCatchUpArgs struct{}

// Kind names the job.
func (RemindCatchUpArgs) Kind() string { return "remind_catch_up" }

// RetentionArgs is the erasure of personal data past its retention.
type RetentionArgs struct{}

// Kind names the job.
func (RetentionArgs) Kind() string { return JobRetention }

type notifyWorker struct {
	river.WorkerDefaults[NotifyArgs]
	s *Scheduler
}

func (w *notifyWorker) Timeout(*river.Job[NotifyArgs]) time.Duration { return jobTimeout }

func (w *notifyWorker) Work(ctx context.Context, _ *river.Job[NotifyArgs]) error {
	res, err := Notify(ctx, w.s.db, w.s.cfg.Mail, w.s.cfg.Now(), w.s.cfg.Logger)
	if err != nil {
		return err
	}
	w.s.cfg.Logger.InfoContext(ctx, "sent timeline notifications", slog.Int("sent", res.Sent), slog.Int("messages", res.Messages),
		slog.Int("skipped", res.Skipped), slog.Int("no_recipient", res.NoRecipient))
	return nil
}

type remindCatchUpWorker struct {
	river.WorkerDefaults[RemindCatchUpArgs]
	s *Scheduler
}

func (w *remindCatchUpWorker) Timeout(*river.Job[RemindCatchUpArgs]) time.Duration { return jobTimeout }

func (w *remindCatchUpWorker) Work(ctx context.Context, _ *river.Job[RemindCatchUpArgs]) error {
	res, err := Remind(ctx, w.s.db, w.s.cfg.Now())
	if err != nil {
		return err
	}
	w.s.cfg.Logger.InfoContext(ctx, "caught up on reminders", slog.Int("appointments", res.Appointments))
	return nil
}

type retentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	s *Scheduler
}

func (w *retentionWorker) Timeout(*river.Job[RetentionArgs]) time.Duration { return jobTimeout }

func (w *retentionWorker) Work(ctx context.Context, _ *river.Job[RetentionArgs]) error {
	res, err := Retention(ctx, w.s.db, w.s.cfg.Now())
	if err != nil {
		return err
	}
	w.s.cfg.Logger.InfoContext(ctx, "erased expired personal data", slog.Int("workers", res.Workers),
		slog.Int("employments", res.Employments), slog.Int("contract_pdfs", res.ContractPDFs))
	return nil
}
