package main

import (
	"context"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// unguard lifts the append-only triggers of audit_events (see
// migrations/*/00001_init.sql) the way an attacker with database access
// could, so that a row can be rewritten or removed by hand.
func unguard(dialect string) []string {
	if dialect == migrations.Postgres {
		// One trigger covers UPDATE and DELETE.
		return []string{"ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update"}
	}
	return []string{"DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"}
}

// execAll runs statements on db, failing the test on the first error.
func execAll(t *testing.T, db *store.DB, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if err := db.ExecRaw(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func TestAuditVerify(t *testing.T) {
	tests := []struct {
		name string
		// tamper runs after seed-demo with the triggers lifted; nil leaves
		// the chain alone.
		tamper   func(t *testing.T, db *store.DB)
		wantCode int
		wantOut  string
		wantErr  []string
	}{
		{name: "intact after seed-demo", wantCode: 0, wantOut: "intact"},
		{
			name: "edited row",
			tamper: func(t *testing.T, db *store.DB) {
				execAll(t, db, "UPDATE audit_events SET object_id = 'forged' WHERE seq = 5")
			},
			wantCode: 1,
			wantErr:  []string{"audit trail broken", "seq 5 (", "edited"},
		},
		{
			name: "removed row",
			tamper: func(t *testing.T, db *store.DB) {
				execAll(t, db, "DELETE FROM audit_events WHERE seq = 7")
			},
			wantCode: 1,
			wantErr:  []string{"audit trail broken", "seq 7:", "row missing"},
		},
		{
			// A forger who also recomputes the edited row's hash moves the
			// break to the next row, whose prev_hash no longer matches.
			name: "edited row with its hash recomputed",
			tamper: func(t *testing.T, db *store.DB) {
				evs, err := db.FindAuditEvents(sysCtx(), models.AuditFilter{AfterSeq: 4, Limit: 1})
				if err != nil || len(evs) != 1 {
					t.Fatalf("FindAuditEvents: %v (%d rows)", err, len(evs))
				}
				ev := evs[0]
				ev.ObjectID = "forged"
				if err := db.ExecRaw(context.Background(), "UPDATE audit_events SET object_id = ?, hash = ? WHERE seq = 5",
					ev.ObjectID, models.AuditHash(&ev)); err != nil {
					t.Fatal(err)
				}
			},
			wantCode: 1,
			wantErr:  []string{"seq 6 (", "prev_hash"},
		},
	}
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					url := storetest.URL(t, dialect)
					vars := dbEnv(url)
					mustPDW(t, vars, "", "seed-demo")
					if tt.tamper != nil {
						db := openStore(t, url)
						execAll(t, db, unguard(db.Dialect())...)
						tt.tamper(t, db)
						db.Close()
					}
					r := pdw(t, vars, "", "audit", "verify")
					if got, want := r.code, tt.wantCode; got != want {
						t.Errorf("exit = %d, want %d\nstdout: %s\nstderr: %s", got, want, r.stdout, r.stderr)
					}
					if !strings.Contains(r.stdout, tt.wantOut) {
						t.Errorf("stdout = %q, want it to contain %q", r.stdout, tt.wantOut)
					}
					for _, w := range tt.wantErr {
						if !strings.Contains(r.stderr, w) {
							t.Errorf("stderr = %q, want it to contain %q", r.stderr, w)
						}
					}
				})
			}
		})
	}
}

// TestAuditVerifyHeadHash: removing the newest rows leaves a chain that
// verifies, so the printed count and head hash are what an operator keeps
// elsewhere to notice it; both must change.
func TestAuditVerifyHeadHash(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			url := storetest.URL(t, dialect)
			vars := dbEnv(url)
			mustPDW(t, vars, "", "seed-demo")
			before := mustPDW(t, vars, "", "audit", "verify").stdout
			again := mustPDW(t, vars, "", "audit", "verify").stdout
			if got, want := again, before; got != want {
				t.Fatalf("verify is not repeatable: %q then %q", want, got)
			}
			db := openStore(t, url)
			execAll(t, db, append(unguard(db.Dialect()), "DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)")...)
			after := mustPDW(t, vars, "", "audit", "verify").stdout
			if after == before {
				t.Errorf("verify printed %q both before and after the head row was removed", after)
			}
		})
	}
}

// TestAuditTriggersRefuseChanges shows that, left in place, the triggers
// refuse to rewrite or remove an audit row and the chain stays intact.
func TestAuditTriggersRefuseChanges(t *testing.T) {
	tests := []struct{ name, sql string }{
		{"update", "UPDATE audit_events SET object_id = 'forged' WHERE seq = 5"},
		{"update every row", "UPDATE audit_events SET detail = ''"},
		{"delete", "DELETE FROM audit_events WHERE seq = 7"},
	}
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			url := storetest.URL(t, dialect)
			vars := dbEnv(url)
			mustPDW(t, vars, "", "seed-demo")
			db := openStore(t, url)
			for _, tt := range tests {
				err := db.ExecRaw(context.Background(), tt.sql)
				if err == nil {
					t.Errorf("%s: ExecRaw(%q) succeeded, want the append-only trigger to refuse it", tt.name, tt.sql)
				} else if !strings.Contains(err.Error(), "append-only") {
					t.Errorf("%s: error %q, want the trigger's append-only message", tt.name, err)
				}
			}
			r := pdw(t, vars, "", "audit", "verify")
			if got, want := r.code, 0; got != want {
				t.Errorf("verify exit = %d, want %d (stderr %q)", got, want, r.stderr)
			}
		})
	}
}

// TestAuditVerifyEmptyAndUnmigrated: an empty trail is intact; a database
// that was never migrated is an error, not an intact trail.
func TestAuditVerifyEmptyAndUnmigrated(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			vars := dbEnv(storetest.URL(t, dialect))
			r := pdw(t, vars, "", "audit", "verify")
			if r.code == 0 {
				t.Errorf("verify on an unmigrated database: exit 0, want non-zero (stdout %q)", r.stdout)
			}
			if !strings.Contains(r.stderr, "pdw migrate") {
				t.Errorf("stderr = %q, want it to say to run `pdw migrate`", r.stderr)
			}
			mustPDW(t, vars, "", "migrate")
			r = pdw(t, vars, "", "audit", "verify")
			if got, want := r.code, 0; got != want {
				t.Fatalf("verify on an empty trail: exit %d, want %d (stderr %q)", got, want, r.stderr)
			}
			if got, want := r.stdout, "audit trail intact: 0 event(s)"; !strings.Contains(got, want) {
				t.Errorf("stdout = %q, want it to contain %q", got, want)
			}
		})
	}
}

func TestSeedDemo(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			url := storetest.URL(t, dialect)
			r := mustPDW(t, dbEnv(url), "", "seed-demo")
			if got, want := r.stdout, "demo data loaded"; !strings.Contains(got, want) {
				t.Errorf("stdout = %q, want it to contain %q", got, want)
			}
			db := openStore(t, url)
			ctx := sysCtx()
			missions, _, err := db.FindMissions(ctx, models.MissionFilter{Page: models.Page{Limit: models.MaxPageLimit}})
			if err != nil {
				t.Fatal(err)
			}
			employers, _, err := db.FindEmployers(ctx, models.EmployerFilter{Page: models.Page{Limit: models.MaxPageLimit}})
			if err != nil {
				t.Fatal(err)
			}
			workers, _, err := db.FindWorkers(ctx, models.WorkerFilter{Page: models.Page{Limit: models.MaxPageLimit}})
			if err != nil {
				t.Fatal(err)
			}
			employments, _, err := db.FindEmployments(ctx, models.EmploymentFilter{Page: models.Page{Limit: models.MaxPageLimit}})
			if err != nil {
				t.Fatal(err)
			}
			counts := []struct {
				name      string
				got, want int
			}{
				{"missions", len(missions), 3},
				{"employers", len(employers), 10},
				{"workers", len(workers), 20},
				{"employments", len(employments), 20},
			}
			for _, c := range counts {
				if c.got != c.want {
					t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
				}
			}
			statuses := map[string]int{}
			for _, e := range employments {
				statuses[e.Status]++
			}
			if got, want := len(statuses), 4; got < want {
				t.Errorf("distinct employment statuses = %d (%v), want at least %d", got, statuses, want)
			}
			for _, w := range workers {
				if !strings.HasSuffix(w.FullName, "(demo)") {
					t.Errorf("worker %q is not marked as demo data", w.FullName)
				}
			}
			if _, err := db.PolicyInForce(ctx, models.DateOf(db.Now())); err != nil {
				t.Errorf("no policy in force after seed-demo: %v", err)
			}
			r = pdw(t, dbEnv(url), "", "audit", "verify")
			if got, want := r.code, 0; got != want {
				t.Errorf("audit verify after seed-demo: exit %d, want %d (stderr %q)", got, want, r.stderr)
			}
		})
	}
}
