package scheduler

import (
	"context"
	"fmt"
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

// Jobs names the jobs, in the order `pdw jobs run` lists them.
var Jobs = []string{PlanArgs{}.Kind(), SweepArgs{}.Kind()}

// Run runs the named job once at now and returns its result.
func Run(ctx context.Context, db *store.DB, name string, now time.Time) (any, error) {
	switch name {
	case PlanArgs{}.Kind():
		return Plan(ctx, db, now)
	case SweepArgs{}.Kind():
		return Sweep(ctx, db, now)
	}
	return nil, fmt.Errorf("scheduler: unknown job %q", name)
}
