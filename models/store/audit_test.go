package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

func sys() context.Context {
	return models.WithActor(context.Background(), models.Actor{UserID: "u-1", Role: models.RoleOfficer, RequestID: "req-1"})
}

func TestDB_AuditChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := sys()
		m := &models.Mission{Name: "Embassy", Kind: "embassy", Country: "CH", FocalPointEmail: "f@m.example"}
		if err := db.CreateMission(ctx, m); err != nil {
			t.Fatal(err)
		}
		name := "Renamed"
		if _, err := db.UpdateMission(ctx, m.ID, models.MissionUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		evs, err := db.FindAuditEvents(ctx, models.AuditFilter{ObjectID: m.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(evs), 2; got != want {
			t.Fatalf("events=%d, want %d", got, want)
		}
		e := evs[1]
		if e.Action != models.ActionUpdate || e.ActorID != "u-1" || e.ActorRole != models.RoleOfficer ||
			e.RequestID != "req-1" || e.ObjectType != "mission" || e.Detail != "name" || e.PrevHash != evs[0].Hash {
			t.Errorf("update event = %+v", e)
		}
		if strings.Contains(e.Detail, "Renamed") {
			t.Errorf("the audit trail records a value: %q", e.Detail)
		}
		brk, n, _, err := db.VerifyAudit(ctx)
		if err != nil || brk != nil || n != 2 {
			t.Fatalf("verify: break %v, n %d, err %v", brk, n, err)
		}
	})
}

// TestDB_AuditChainConcurrent appends from many goroutines at once: the
// chain must stay linear (no two rows with one predecessor).
func TestDB_AuditChainConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := sys()
		const writers, each = 8, 10
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					errs <- db.Audit(ctx, models.ActionRead, "worker", models.NewID(), fmt.Sprint(w, i))
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		brk, n, _, err := db.VerifyAudit(ctx)
		if err != nil || brk != nil {
			t.Fatalf("verify: break %v, err %v", brk, err)
		}
		if got, want := n, int64(writers*each); got != want {
			t.Errorf("events=%d, want %d", got, want)
		}
	})
}

func TestDB_AuditTamperDetected(t *testing.T) {
	tests := []struct {
		name   string
		tamper string // run after the triggers are out of the way
		args   []any
		seq    int64
	}{
		{"edited row", "UPDATE audit_events SET object_id = 'x' WHERE seq = 3", nil, 3},
		{"edited actor role", "UPDATE audit_events SET actor_role = 'admin' WHERE seq = 4", nil, 4},
		{"edited bookkeeping time", "UPDATE audit_events SET updated_at = ? WHERE seq = 5", []any{storetest.Now.Add(time.Hour)}, 5},
		{"removed row", "DELETE FROM audit_events WHERE seq = 2", nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := sys()
				for i := 0; i < 5; i++ {
					if err := db.Audit(ctx, models.ActionRead, "worker", models.NewID(), ""); err != nil {
						t.Fatal(err)
					}
				}
				// The database itself refuses to change the trail.
				if err := db.ExecRaw(ctx, tt.tamper, tt.args...); err == nil {
					t.Fatal("the append-only trigger let a change through")
				}
				dropAppendOnly(t, db)
				storetest.MustExec(t, db, tt.tamper, tt.args...)
				brk, _, _, err := db.VerifyAudit(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if brk == nil {
					t.Fatal("verify found the tampered chain intact")
				}
				if got, want := brk.Seq, tt.seq; got != want {
					t.Errorf("break at seq %d, want %d (%s)", got, want, brk)
				}
			})
		})
	}
}

func dropAppendOnly(t *testing.T, db *store.DB) {
	t.Helper()
	if db.Dialect() == "postgres" {
		storetest.MustExec(t, db, "DROP TRIGGER audit_events_no_update ON audit_events")
		return
	}
	storetest.MustExec(t, db, "DROP TRIGGER audit_events_no_update")
	storetest.MustExec(t, db, "DROP TRIGGER audit_events_no_delete")
}

// TestDB_AuditChainBulk: a planning pass audits its many creations in one
// append (on PostgreSQL, one statement of arrays): the chain verifies and
// each creation's event is there, in order.
func TestDB_AuditChainBulk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		for range 80 {
			arrived(t, h, "2026-11-02")
		}
		res, err := db.PlanAppointments(sys(), storetest.Now)
		if err != nil || res.Created != 80 {
			t.Fatalf("plan: %+v %v", res, err)
		}
		evs, err := db.FindAuditEvents(sys(), models.AuditFilter{ObjectType: "appointment", Limit: 200})
		if err != nil || len(evs) != 80 {
			t.Fatalf("appointment events: %d %v, want 80", len(evs), err)
		}
		for i := 1; i < len(evs); i++ {
			if evs[i].Seq != evs[i-1].Seq+1 || evs[i].PrevHash != evs[i-1].Hash || !evs[i].At.Equal(evs[0].At) {
				t.Fatalf("event %d not chained to the one before: %+v / %+v", i, evs[i-1], evs[i])
			}
		}
		brk, n, _, err := db.VerifyAudit(sys())
		if err != nil || brk != nil || n == 0 {
			t.Fatalf("verify: break %+v, n %d, err %v", brk, n, err)
		}
	})
}

// TestDB_AuditedReadsConcurrent: reads of personal data from many requests
// at once are recorded through the group commit: each read returns only
// once its own event (its actor, its request) is in the chain, a failed
// read records nothing, and the chain stays linear.
func TestDB_AuditedReadsConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		e := h.Employment(t, storetest.Date("2026-11-02"), models.EmploymentUpdate{}, "tl")
		const readers = 32
		var wg sync.WaitGroup
		errs := make(chan error, readers)
		for i := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := models.Actor{UserID: fmt.Sprintf("u-%d", i), Role: models.RoleOfficer, RequestID: fmt.Sprintf("req-%d", i)}
				ctx := models.WithActor(context.Background(), a)
				w, err := db.FindWorkerByID(ctx, e.WorkerID)
				if err == nil && w.ID != e.WorkerID {
					err = fmt.Errorf("read worker %q, want %q", w.ID, e.WorkerID)
				}
				if err == nil {
					// The read is on record by the time it returns.
					var evs []models.AuditEvent
					evs, err = db.FindAuditEvents(ctx, models.AuditFilter{ActorID: a.UserID, Action: models.ActionRead})
					if err == nil && (len(evs) != 1 || evs[0].RequestID != a.RequestID || evs[0].ObjectID != e.WorkerID || evs[0].ActorRole != a.Role) {
						err = fmt.Errorf("%s: events %+v, want one read of the worker", a.RequestID, evs)
					}
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		missing := models.NewID()
		if _, err := db.FindWorkerByID(sys(), missing); models.ErrorCode(err) != models.ENOTFOUND {
			t.Fatalf("missing worker: %v, want ENOTFOUND", err)
		}
		if evs, err := db.FindAuditEvents(sys(), models.AuditFilter{ObjectID: missing}); err != nil || len(evs) != 0 {
			t.Fatalf("a failed read was recorded: %+v %v", evs, err)
		}
		brk, _, _, err := db.VerifyAudit(sys())
		if err != nil || brk != nil {
			t.Fatalf("verify: break %v, err %v", brk, err)
		}
	})
}

// TestDB_AuditAfterClose: once the store is closed, recording an event
// fails at once rather than waiting for a group that will never commit.
func TestDB_AuditAfterClose(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.Audit(sys(), models.ActionRead, "worker", models.NewID(), ""); err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		ctx = models.WithActor(ctx, models.SystemActor("test"))
		if err := db.Audit(ctx, models.ActionRead, "worker", models.NewID(), ""); err == nil || ctx.Err() != nil {
			t.Fatalf("audit after close: %v (context: %v), want a prompt error", err, ctx.Err())
		}
	})
}
