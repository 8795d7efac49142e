package scheduler

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/pdw-registry/pdw/metrics"
)

// jobMetrics is River worker middleware that counts every job run by kind
// and outcome and times it (Config.Metrics).
type jobMetrics struct {
	river.MiddlewareDefaults
	m *metrics.Metrics
}

func (j *jobMetrics) Work(ctx context.Context, job *rivertype.JobRow, doInner func(context.Context) error) (err error) {
	start := time.Now()
	panicked := true
	defer func() {
		outcome := jobOutcome(err)
		if panicked {
			outcome = metrics.JobPanic
		}
		j.m.Job(job.Kind, outcome, time.Since(start))
	}()
	err = doInner(ctx)
	panicked = false
	return err
}

// jobOutcome names what a job's returned error means.
func jobOutcome(err error) string {
	var snooze *river.JobSnoozeError
	var cancel *river.JobCancelError
	switch {
	case err == nil:
		return metrics.JobOK
	case errors.As(err, &snooze):
		return metrics.JobSnoozed
	case errors.As(err, &cancel):
		return metrics.JobCancelled
	}
	return metrics.JobError
}

// reminderResult names a reminder attempt's result for the metrics.
func reminderResult(result string, err error) string {
	switch {
	case errors.Is(err, ErrSkipped):
		return "skipped"
	case err != nil:
		return "failed"
	}
	return result
}
