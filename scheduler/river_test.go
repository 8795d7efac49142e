package scheduler_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
	"github.com/pdw-registry/pdw/scheduler"
)

// TestScheduler_River is the job engine's smoke test on each database: the
// store's migrations include River's; a job inserted with InsertTx inside
// a GORM transaction commits with the transaction's other rows, and one in
// a rolled-back transaction leaves nothing; the client starts, is elected
// leader, runs the (five) periodic jobs once at start and the inserted job, and
// stops gracefully.
func TestScheduler_River(t *testing.T) {
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
			if err := migrations.Check(ctx, db.SQL(), db.Dialect()); err != nil {
				t.Fatalf("schema check (River's tables included): %v", err)
			}

			s, err := scheduler.New(db, scheduler.Config{DatabaseURL: url, TestOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			jobs := func() int64 {
				var n int64
				if err := db.Transaction(ctx, func(tx *gorm.DB) error {
					return tx.Raw("SELECT COUNT(*) FROM river_job").Scan(&n).Error
				}); err != nil {
					t.Fatal(err)
				}
				return n
			}
			missions := func(name string) int {
				ms, _, err := db.FindMissions(storetest.SysCtx(), models.MissionFilter{Query: name})
				if err != nil {
					t.Fatal(err)
				}
				return len(ms)
			}

			// Committed: the row and the job.
			err = db.Transaction(ctx, func(tx *gorm.DB) error {
				m := models.Mission{ID: models.NewID(), Name: "Committed", Kind: models.MissionEmbassy, Country: "FR"}
				if err := tx.Create(&m).Error; err != nil {
					return err
				}
				inserted, err := s.EnqueueTx(ctx, tx, scheduler.PlanArgs{}, nil)
				if err == nil && !inserted {
					err = errors.New("job not inserted")
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if missions("Committed") != 1 || jobs() != 1 {
				t.Fatalf("after commit: %d missions, %d jobs; want 1 and 1", missions("Committed"), jobs())
			}
			// Rolled back: neither.
			errRollback := errors.New("roll back")
			err = db.Transaction(ctx, func(tx *gorm.DB) error {
				m := models.Mission{ID: models.NewID(), Name: "Rolled back", Kind: models.MissionEmbassy, Country: "FR"}
				if err := tx.Create(&m).Error; err != nil {
					return err
				}
				if _, err := s.EnqueueTx(ctx, tx, scheduler.SweepArgs{}, nil); err != nil {
					return err
				}
				return errRollback
			})
			if !errors.Is(err, errRollback) {
				t.Fatalf("transaction: %v", err)
			}
			if missions("Rolled back") != 0 || jobs() != 1 {
				t.Fatalf("after rollback: %d missions, %d jobs; want 0 and 1", missions("Rolled back"), jobs())
			}

			completed, cancel := s.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
			defer cancel()
			if err := s.Start(ctx); err != nil {
				t.Fatal(err)
			}
			// The inserted plan job, and the five periodic jobs run once at start.
			done := map[string]int{}
			deadline := time.After(30 * time.Second)
			for done["plan"] < 2 || done["sweep"] < 1 || done["notify"] < 1 || done["remind_catch_up"] < 1 || done["retention"] < 1 {
				select {
				case ev := <-completed:
					if ev.Kind != river.EventKindJobCompleted {
						t.Fatalf("job %s failed: %v", ev.Job.Kind, ev.Job.Errors)
					}
					done[ev.Job.Kind]++
				case <-deadline:
					t.Fatalf("jobs completed within 30 s: %v; want plan twice, the others once", done)
				}
			}
			stopCtx, stop := context.WithTimeout(ctx, 10*time.Second)
			defer stop()
			if err := s.Stop(stopCtx); err != nil {
				t.Fatalf("stop: %v", err)
			}
			if got := jobs(); got != 6 {
				t.Errorf("%d jobs in the queue after the run, want 6 (one inserted, five periodic)", got)
			}
		})
	}
}
