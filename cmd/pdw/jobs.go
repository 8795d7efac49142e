package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pdw-registry/pdw/scheduler"
)

// cmdJobsRun runs one scheduled job once, by hand, at the current time or
// at --now, and prints its result as JSON (ids and counts only). The job
// catches up on everything due before that time, as its scheduled runs do,
// and is recorded in the audit trail as the command line's.
func cmdJobsRun(ctx context.Context, e *env, args []string) error {
	jobs := strings.Join(scheduler.Jobs, ", ")
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return &exitError{code: 2, msg: "jobs run: name a job: " + jobs}
	}
	name := args[0]
	if !slices.Contains(scheduler.Jobs, name) {
		return &exitError{code: 2, msg: fmt.Sprintf("jobs run: unknown job %q (known: %s)", name, jobs)}
	}
	var nowFlag string
	if err := flags(e, "jobs run "+name, args[1:], func(fs *flag.FlagSet) {
		fs.StringVar(&nowFlag, "now", "", "run as if at this time (RFC 3339, e.g. 2026-11-02T07:00:00+01:00)")
	}); err != nil {
		return err
	}
	now := time.Now()
	if nowFlag != "" {
		t, err := time.Parse(time.RFC3339, nowFlag)
		if err != nil {
			return &exitError{code: 2, msg: "--now must be a time written RFC 3339, like 2026-11-02T07:00:00+01:00"}
		}
		now = t
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	// Appointments placed by hand get their reminders queued too (a
	// serving process sends them); the engine is not started here. The
	// notify job sends through PDW_SMTP_URL itself.
	cfg := schedulerConfig(e)
	cfg.Now = func() time.Time { return now }
	s, err := scheduler.New(db, cfg)
	if err != nil {
		return err
	}
	res, err := s.Run(ctx, name, now)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
