package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

func asRole(role, mission string) context.Context {
	return models.WithActor(context.Background(), models.Actor{UserID: "u-" + role, Role: role, MissionID: mission})
}

// TestDB_AccessCode issues, re-issues and revokes a worker's code: only
// the newest works, only its hash is stored, and only the office issues.
func TestDB_AccessCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		e := h.Employment(t, storetest.Date("2026-12-01"), models.EmploymentUpdate{}, "ar", "en")

		for _, tt := range []struct {
			name, role, want string
		}{
			{"mission refused", models.RoleMission, models.EFORBIDDEN},
			{"auditor refused", models.RoleAuditor, models.EFORBIDDEN},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.IssueAccessCode(asRole(tt.role, h.Mission.ID), e.WorkerID)
				if got := models.ErrorCode(err); got != tt.want {
					t.Fatalf("code=%q, want %q (%v)", got, tt.want, err)
				}
			})
		}
		if _, err := db.IssueAccessCode(asRole(models.RoleOfficer, ""), models.NewID()); models.ErrorCode(err) != models.ENOTFOUND {
			t.Fatalf("unknown worker: %v, want ENOTFOUND", err)
		}

		first, err := db.IssueAccessCode(asRole(models.RoleOfficer, ""), e.WorkerID)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := models.NormalizeAccessCode(first); !ok {
			t.Fatalf("issued code %q is not well formed", first)
		}
		var n int
		var hash string
		if err := db.SQL().QueryRow("SELECT count(*), max(code_hash) FROM worker_access_codes").Scan(&n, &hash); err != nil {
			t.Fatal(err)
		}
		if n != 1 || hash != store.HashSecret(first) {
			t.Fatalf("stored %d codes, hash %q: want only the hash of the code", n, hash)
		}

		// Typed by hand: lower case, with spaces and dashes.
		typed := strings.ToLower(first[:4] + " " + first[4:8] + "-" + first[8:])
		p, err := db.WorkerPageByCode(context.Background(), typed)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := p.EmploymentID, e.ID; got != want {
			t.Errorf("EmploymentID=%q, want %q", got, want)
		}
		if got, want := strings.Join(p.Languages, ","), "ar,en"; got != want {
			t.Errorf("Languages=%q, want %q", got, want)
		}

		second, err := db.IssueAccessCode(asRole(models.RoleAdmin, ""), e.WorkerID)
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name, code, want string
		}{
			{"old code after re-issue", first, models.ENOTFOUND},
			{"new code", second, ""},
			{"malformed", "not a code", models.ENOTFOUND},
			{"too short", second[:10], models.ENOTFOUND},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.WorkerPageByCode(context.Background(), tt.code)
				if got := models.ErrorCode(err); got != tt.want {
					t.Fatalf("code=%q, want %q (%v)", got, tt.want, err)
				}
			})
		}

		// The discreet alarm: one supervisors' alert on the timeline, not two.
		for range 2 {
			if err := db.WorkerHelp(context.Background(), second); err != nil {
				t.Fatal(err)
			}
		}
		evs, _, err := db.FindTimeline(asRole(models.RoleOfficer, ""), e.ID, models.Page{})
		if err != nil {
			t.Fatal(err)
		}
		var alerts int
		for _, ev := range evs {
			if ev.Kind == models.EventWorkerHelp && ev.Notify == models.NotifySupervisors {
				alerts++
			}
		}
		if alerts != 1 {
			t.Errorf("worker_help alerts=%d, want 1 (%+v)", alerts, evs)
		}
		// It opened one urgent case from the worker.
		cases, _, err := db.FindCases(asRole(models.RoleOfficer, ""), models.CaseFilter{EmploymentID: e.ID})
		if err != nil || len(cases) != 1 || cases[0].Priority != models.PriorityUrgent || cases[0].Source != models.CaseSourceWorker {
			t.Errorf("cases after the alarm = %+v %v, want one urgent case from the worker", cases, err)
		}
		// A mission never sees the alarm on its timeline.
		evs, _, err = db.FindTimeline(asRole(models.RoleMission, h.Mission.ID), e.ID, models.Page{})
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			if ev.Kind == models.EventWorkerHelp {
				t.Errorf("the mission sees the worker's alarm: %+v", ev)
			}
		}

		if err := db.RevokeAccessCode(asRole(models.RoleOfficer, ""), e.WorkerID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.WorkerPageByCode(context.Background(), second); models.ErrorCode(err) != models.ENOTFOUND {
			t.Fatalf("revoked code: %v, want ENOTFOUND", err)
		}

		// A code expires with the employment.
		other := h.Employment(t, storetest.Date("2026-12-01"), models.EmploymentUpdate{}, "tl")
		code, err := db.IssueAccessCode(asRole(models.RoleOfficer, ""), other.WorkerID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.WorkerPageByCode(context.Background(), code); err != nil {
			t.Fatalf("code of an open employment: %v", err)
		}
		if err := db.ExecRaw(storetest.SysCtx(), "UPDATE employments SET status = ? WHERE id = ?", models.StatusEnded, other.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.WorkerPageByCode(context.Background(), code); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("code after the employment ended: %v, want ENOTFOUND", err)
		}
		if err := db.WorkerHelp(context.Background(), code); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("help after the employment ended: %v, want ENOTFOUND", err)
		}
	})
}

func FuzzNormalizeAccessCode(f *testing.F) {
	for _, s := range []string{"0123456789ABCDEF", "0123-4567 89ab-cdef", "", "ÄÖÜ", "0123456789ABCDEFG", "OIL0123456789ABC"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := models.NormalizeAccessCode(s)
		if !ok {
			return
		}
		if len(code) != models.AccessCodeLength {
			t.Fatalf("%q -> %q: length %d", s, code, len(code))
		}
		for _, r := range code {
			if !strings.ContainsRune(models.AccessCodeAlphabet, r) {
				t.Fatalf("%q -> %q: %q outside the alphabet", s, code, r)
			}
		}
		if again, ok := models.NormalizeAccessCode(code); !ok || again != code {
			t.Fatalf("not idempotent: %q -> %q -> %q", s, code, again)
		}
	})
}
