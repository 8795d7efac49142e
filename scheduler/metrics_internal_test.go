package scheduler

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pdw-registry/pdw/metrics"
)

func TestJobOutcome(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{nil, metrics.JobOK},
		{errors.New("boom"), metrics.JobError},
		{river.JobSnooze(time.Hour), metrics.JobSnoozed},
		{fmt.Errorf("wrapped: %w", river.JobSnooze(time.Minute)), metrics.JobSnoozed},
		{river.JobCancel(errors.New("gone")), metrics.JobCancelled},
	}
	for _, tt := range tests {
		if got := jobOutcome(tt.err); got != tt.want {
			t.Errorf("jobOutcome(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

func TestReminderResult(t *testing.T) {
	tests := []struct {
		result string
		err    error
		want   string
	}{
		{ReminderSent, nil, "sent"},
		{ReminderStale, nil, "stale"},
		{ReminderNoRoute, nil, "noroute"},
		{"", ErrSkipped, "skipped"},
		{"", errors.New("421 try later"), "failed"},
	}
	for _, tt := range tests {
		if got := reminderResult(tt.result, tt.err); got != tt.want {
			t.Errorf("reminderResult(%q, %v) = %q, want %q", tt.result, tt.err, got, tt.want)
		}
	}
}
