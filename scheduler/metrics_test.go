package scheduler_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/pdw-registry/pdw/metrics"
	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
	"github.com/pdw-registry/pdw/scheduler"
)

// TestScheduler_Metrics works two reminders through River against an SMTP
// server that refuses the first two attempts, and checks the job and
// reminder counters: two remind runs failed and two succeeded, two
// reminders failed and two were sent; the periodic jobs are counted too.
func TestScheduler_Metrics(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			url := storetest.URL(t, dialect)
			db, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			cal := models.DefaultCalendar(zurich(t))
			if cal.Hours, err = models.ParseOfficeHours("mon-sun 00:00-23:59"); err != nil {
				t.Fatal(err)
			}
			db.Calendar = cal
			sink := newSink(t, 2)
			m := metrics.New()
			s, err := scheduler.New(db, scheduler.Config{DatabaseURL: url, TestOnly: true, Metrics: m,
				Mail: scheduler.Mail{Sender: sink.sender(t), From: "protocol@office.example",
					Retry: func(int) time.Duration { return 50 * time.Millisecond }}})
			if err != nil {
				t.Fatal(err)
			}
			h := storetest.NewHousehold(t, db)
			active := models.StatusActive
			today := cal.Today(time.Now())
			e := h.Employment(t, today, models.EmploymentUpdate{Status: &active, ArrivalDate: &today}, "en")
			yes, email := true, workerEmail
			if _, err := db.UpdateWorker(storetest.SysCtx(), e.WorkerID, models.WorkerUpdate{Email: &email, ContactConsent: &yes}); err != nil {
				t.Fatal(err)
			}
			if _, err := scheduler.Plan(ctx, db, time.Now()); err != nil {
				t.Fatal(err)
			}

			events, cancel := s.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
			defer cancel()
			if err := s.Start(ctx); err != nil {
				t.Fatal(err)
			}
			completed, planned := 0, false
			deadline := time.After(40 * time.Second)
			for completed < 2 || !planned {
				select {
				case ev := <-events:
					if ev.Job.Kind == "remind" && ev.Kind == river.EventKindJobCompleted {
						completed++
					}
					if ev.Job.Kind == "plan" && ev.Kind == river.EventKindJobCompleted {
						planned = true
					}
				case <-deadline:
					t.Fatalf("within 40 s: %d reminders completed, plan run %v", completed, planned)
				}
			}
			stopCtx, stop := context.WithTimeout(ctx, 10*time.Second)
			defer stop()
			if err := s.Stop(stopCtx); err != nil {
				t.Fatal(err)
			}

			tests := []struct {
				name   string
				labels map[string]string
				want   float64
			}{
				{"pdw_jobs_total", map[string]string{"kind": "remind", "outcome": metrics.JobOK}, 2},
				{"pdw_jobs_total", map[string]string{"kind": "remind", "outcome": metrics.JobError}, 2},
				{"pdw_jobs_total", map[string]string{"kind": "plan", "outcome": metrics.JobOK}, 1},
				{"pdw_reminders_total", map[string]string{"result": "sent"}, 2},
				{"pdw_reminders_total", map[string]string{"result": "failed"}, 2},
				{"pdw_job_duration_seconds", map[string]string{"kind": "remind"}, 4},
			}
			for _, tt := range tests {
				if got := m.Value(tt.name, tt.labels); got != tt.want {
					t.Errorf("%s%v = %v, want %v", tt.name, tt.labels, got, tt.want)
				}
			}
		})
	}
}
