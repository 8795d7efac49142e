package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
)

// The jobs are plain functions of the database and a clock: River calls
// them on their cron schedules, `pdw jobs run` calls them by hand, and
// tests call them with a fake clock. Each catches up on everything due
// before now and is idempotent, because River's periodic schedules live in
// the leader's memory and a tick can be lost in a failover.

// PlanResult is what one planning pass did.
type PlanResult = models.PlanResult

// SweepResult is what one sweep did.
type SweepResult struct {
	// Missed counts the appointments marked missed.
	Missed int `json:"missed"`
}

// asSystem gives ctx the scheduler as its actor unless it already has one
// (a person running a job by hand is recorded as themself).
func asSystem(ctx context.Context) context.Context {
	if models.ActorFrom(ctx).Role == "" {
		return models.WithActor(ctx, models.SystemActor("scheduler"))
	}
	return ctx
}

// Plan creates the appointments that have fallen due by now (see
// store.DB.PlanAppointments and models.DueFor for the rules) and places
// them in the office calendar; the result lists those that found no slot
// inside their window.
func Plan(ctx context.Context, db *store.DB, now time.Time) (PlanResult, error) {
	return db.PlanAppointments(asSystem(ctx), now)
}

// Sweep marks as missed the appointments still scheduled an hour after
// their end at now.
func Sweep(ctx context.Context, db *store.DB, now time.Time) (SweepResult, error) {
	n, err := db.SweepMissed(asSystem(ctx), now)
	return SweepResult{Missed: n}, err
}

// RemindResult is what one reminder catch-up did.
type RemindResult struct {
	// Appointments counts the placed appointments handed to the outbox
	// again (their existing reminders are skipped by uniqueness).
	Appointments int `json:"appointments"`
}

// Remind hands every scheduled appointment starting within the longest
// reminder lead time to the outbox again, so that those placed while no
// job engine was attached get their missing reminders; the reminders'
// uniqueness keeps it from queueing any twice (store.DB.RequeueReminders).
// It needs a Scheduler attached to db (New makes itself db's Outbox).
func Remind(ctx context.Context, db *store.DB, now time.Time) (RemindResult, error) {
	n, err := db.RequeueReminders(asSystem(ctx), now)
	return RemindResult{Appointments: n}, err
}

// RetentionResult is what one retention pass erased.
type RetentionResult = store.RetentionResult

// Retention erases the personal data kept beyond the policies' retention
// periods (store.DB.EraseExpired).
func Retention(ctx context.Context, db *store.DB, now time.Time) (RetentionResult, error) {
	return db.EraseExpired(asSystem(ctx), now)
}

// Job names, as `pdw jobs run` takes them. "remind" is the reminders'
// catch-up (its River kind is remind_catch_up: each reminder is a job of
// kind remind).
const (
	JobPlan      = "plan"
	JobSweep     = "sweep"
	JobNotify    = "notify"
	JobRemind    = "remind"
	JobRetention = "retention"
)

// Jobs names the jobs, in the order `pdw jobs run` lists them.
var Jobs = []string{JobPlan, JobSweep, JobNotify, JobRemind, JobRetention}

// Run runs the named job once at now and returns its result. The notify
// job sends nothing here (no server: it logs nothing and keeps the
// messages); Scheduler.Run sends with the scheduler's mail configuration.
func Run(ctx context.Context, db *store.DB, name string, now time.Time) (any, error) {
	return run(ctx, db, Mail{}, nil, name, now)
}

// Run runs the named job once at now with the scheduler's mail
// configuration and logger, and returns its result.
func (s *Scheduler) Run(ctx context.Context, name string, now time.Time) (any, error) {
	return run(ctx, s.db, s.cfg.Mail, s.cfg.Logger, name, now)
}

func run(ctx context.Context, db *store.DB, m Mail, log *slog.Logger, name string, now time.Time) (any, error) {
	switch name {
	case JobPlan:
		return Plan(ctx, db, now)
	case JobSweep:
		return Sweep(ctx, db, now)
	case JobNotify:
		return Notify(ctx, db, m, now, log)
	case JobRemind:
		return Remind(ctx, db, now)
	case JobRetention:
		return Retention(ctx, db, now)
	}
	return nil, fmt.Errorf("scheduler: unknown job %q", name)
}
