package scheduler_test

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
	"github.com/pdw-registry/pdw/scheduler"
)

const benchEmployments = 100_000

// seedActive inserts n active employments (and their workers) in batches,
// each arrived the day before storetest.Now and in the planner's queue for today.
func seedActive(b *testing.B, db *store.DB, n int) {
	b.Helper()
	h := storetest.NewHousehold(b, db)
	policy, err := db.PolicyInForce(storetest.SysCtx(), date("2026-11-01"))
	if err != nil {
		b.Fatal(err)
	}
	now := storetest.Now
	today, arrival := models.DateOf(now), models.DateOf(now).AddDate(0, 0, -1)
	// The SQLite driver's cost per statement grows with the square of its
	// parameters (see store's insertRows): small batches there.
	batch := 500
	if db.Dialect() == migrations.SQLite {
		batch = 6 // an employment has 40 columns
	}
	err = db.Transaction(context.Background(), func(tx *gorm.DB) error {
		for i := 0; i < n; i += batch {
			size := min(batch, n-i)
			workers := make([]models.Worker, size)
			emps := make([]models.Employment, size)
			for j := range workers {
				workers[j] = models.Worker{ID: models.NewID(), MissionID: &h.Mission.ID, FullName: "Worker", Sex: "f",
					Nationality: "PH", Languages: models.Strings{"tl"}, CreatedAt: now, UpdatedAt: now}
				emps[j] = models.Employment{ID: models.NewID(), WorkerID: workers[j].ID, EmployerID: h.Employer.ID,
					MissionID: h.Mission.ID, PolicyID: policy.ID, Status: models.StatusActive, StartDate: arrival,
					ArrivalDate: &arrival, Terms: models.Terms{Currency: "CHF"}, CreatedAt: now, UpdatedAt: now}
			}
			if err := tx.Create(&workers).Error; err != nil {
				return err
			}
			if err := tx.Create(&emps).Error; err != nil {
				return err
			}
		}
		// Every employment is in the planner's queue for today.
		return tx.Exec("INSERT INTO plan_queue (employment_id, plan_on) SELECT id, ? FROM employments", today).Error
	})
	if err != nil {
		b.Fatal(err)
	}
	if db.Dialect() == migrations.Postgres {
		// Statistics, as autovacuum would have gathered on a live database:
		// without them the planner guesses a freshly loaded table is tiny.
		storetest.MustExec(b, db, "ANALYZE")
	}
}

// BenchmarkPlan measures a planning pass over 100,000 active employments:
// "due", when every one of them has its registration due (the office's
// calendar holds only a few hundred of them: the rest are reported
// unplaceable), and "nothing-due", the same employments afterwards, when
// nothing is due for months (also the first pass right after the due
// pass, and one while an older snapshot keeps the due pass's dead index
// entries alive). Targets (DESIGN.md section 8): 5 s and 20 ms.
//
//	go test -run '^$' -bench Plan ./scheduler
func BenchmarkPlan(b *testing.B) {
	for _, dialect := range storetest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			seedActive(b, db, benchEmployments)
			ctx := context.Background()
			reset := func() {
				storetest.MustExec(b, db, "DELETE FROM appointments")
				storetest.MustExec(b, db, "UPDATE plan_queue SET plan_on = ?", models.DateOf(storetest.Now))
			}

			b.Run("due", func(b *testing.B) {
				var res scheduler.PlanResult
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					reset()
					b.StartTimer()
					var err error
					if res, err = scheduler.Plan(ctx, db, storetest.Now); err != nil {
						b.Fatal(err)
					}
				}
				if res.Employments != benchEmployments || res.Created != benchEmployments {
					b.Fatalf("pass examined %d, created %d; want %d each", res.Employments, res.Created, benchEmployments)
				}
				b.ReportMetric(float64(res.Created), "created/op")
				b.ReportMetric(float64(res.Placed), "placed/op")
			})

			nothingDue := func(b *testing.B) {
				for b.Loop() { // the setup before it is not timed
					res, err := scheduler.Plan(ctx, db, storetest.Now)
					if err != nil {
						b.Fatal(err)
					}
					if res.Employments != 0 {
						b.Fatalf("pass examined %d employments, want none", res.Employments)
					}
				}
			}
			// The first pass after the due pass walks the index entries that
			// the due pass left behind (it moved 100,000 queue rows) and
			// marks them dead; the passes after it, the steady state of a
			// planner that runs every few minutes, no longer meet them.
			b.Run("nothing-due-after-due", nothingDue)
			b.Run("nothing-due", func(b *testing.B) {
				if _, err := scheduler.Plan(ctx, db, storetest.Now); err != nil {
					b.Fatal(err)
				}
				nothingDue(b)
			})

			if dialect != migrations.Postgres {
				return
			}
			// The same after a due pass made while an older snapshot was
			// open elsewhere in the database (a long report, a backup,
			// another test suite on a shared server): vacuum cannot yet
			// remove the queue's old index entries that the pass left.
			b.Run("nothing-due-old-snapshot", func(b *testing.B) {
				other, err := store.Open(ctx, os.Getenv("PDW_TEST_DATABASE_URL"))
				if err != nil {
					b.Fatal(err)
				}
				defer other.Close()
				snap, err := other.SQL().BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead})
				if err != nil {
					b.Fatal(err)
				}
				defer snap.Rollback()
				if _, err := snap.Exec("SELECT 1"); err != nil { // takes the snapshot
					b.Fatal(err)
				}
				reset()
				if _, err := scheduler.Plan(ctx, db, storetest.Now); err != nil {
					b.Fatal(err)
				}
				nothingDue(b)
			})
		})
	}
}
