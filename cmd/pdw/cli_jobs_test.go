package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// TestJobsRun runs the planner and the sweep by hand with --now on each
// database: the office's time zone, hours and closed days shape the slot;
// a second run plans nothing; the sweep marks the unattended appointment.
func TestJobsRun(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			vars := dbEnv(storetest.URL(t, dialect))
			vars["PDW_TIMEZONE"] = "Europe/Zurich"
			vars["PDW_OFFICE_HOURS"] = "mon-fri 10:00-12:00"
			vars["PDW_OFFICE_CLOSED"] = "2026-11-03"
			mustPDW(t, vars, "", "migrate")

			db := openStore(t, vars["PDW_DATABASE_URL"])
			db.Now = func() time.Time { return time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC) }
			h := storetest.NewHousehold(t, db)
			active := models.StatusActive
			arrival := models.Date{Year: 2026, Month: 11, Day: 2}
			e := h.Employment(t, arrival, models.EmploymentUpdate{Status: &active, ArrivalDate: &arrival}, "tl")

			run := func(args ...string) map[string]any {
				t.Helper()
				r := mustPDW(t, vars, "", append([]string{"jobs", "run"}, args...)...)
				var out map[string]any
				if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
					t.Fatalf("output is not JSON: %q", r.stdout)
				}
				return out
			}
			res := run("plan", "--now", "2026-11-02T07:00:00+01:00")
			if res["employments"] != 1.0 || res["created"] != 1.0 || res["placed"] != 1.0 || len(res["unplaceable"].([]any)) != 0 {
				t.Fatalf("plan = %v, want one appointment created and placed", res)
			}
			as, _, err := db.FindAppointments(sysCtx(), models.AppointmentFilter{EmploymentID: e.ID})
			if err != nil || len(as) != 1 {
				t.Fatalf("appointments: %v %v", as, err)
			}
			// Tuesday the 3rd is closed: Wednesday 10:00 in Zurich is 09:00 UTC.
			if want := time.Date(2026, 11, 4, 9, 0, 0, 0, time.UTC); !as[0].StartsAt.Equal(want) {
				t.Errorf("registration at %v, want %v", as[0].StartsAt, want)
			}
			if res := run("plan", "--now", "2026-11-02T08:00:00+01:00"); res["created"] != 0.0 {
				t.Errorf("second plan = %v, want nothing created", res)
			}
			if res := run("sweep", "--now", "2026-11-04T11:00:00+01:00"); res["missed"] != 0.0 {
				t.Errorf("sweep 15 minutes after the end = %v, want none missed", res)
			}
			if res := run("sweep", "--now", "2026-11-04T12:00:00+01:00"); res["missed"] != 1.0 {
				t.Errorf("sweep over an hour after the end = %v, want one missed", res)
			}
			// A job run by hand is recorded as the command line's.
			evs, err := db.FindAuditEvents(sysCtx(), models.AuditFilter{ObjectType: "appointment", ObjectID: as[0].ID})
			if err != nil || len(evs) != 2 || evs[0].ActorID != "cli" || evs[1].Detail != "status" {
				t.Errorf("audit events of the appointment: %+v %v", evs, err)
			}
			// The miss notified the mission; without PDW_SMTP_URL it is skipped and kept.
			if res := run("notify", "--now", "2026-11-04T12:10:00+01:00"); res["skipped"] != 1.0 || res["sent"] != 0.0 {
				t.Errorf("notify without SMTP = %v, want one skipped", res)
			}
			if p, err := db.PendingNotifications(sysCtx(), 10); err != nil || len(p) == 0 {
				t.Errorf("pending notifications after a skipped run: %v %v", p, err)
			}
			if res := run("remind", "--now", "2026-11-04T12:10:00+01:00"); res["appointments"] == nil {
				t.Errorf("remind = %v", res)
			}
			if res := run("retention", "--now", "2026-11-04T12:10:00+01:00"); res["workers"] != 0.0 {
				t.Errorf("retention = %v, want nobody erased", res)
			}
		})
	}
}

// TestServe_RunsScheduler checks that `pdw serve` starts the job engine,
// which runs every periodic job once at start, and stops it on
// shutdown.
func TestServe_RunsScheduler(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			s := startServe(t, dbEnv(storetest.URL(t, dialect)))
			deadline := time.Now().Add(20 * time.Second)
			for !strings.Contains(s.logs.String(), `"msg":"planned appointments"`) ||
				!strings.Contains(s.logs.String(), `"msg":"swept missed appointments"`) ||
				!strings.Contains(s.logs.String(), `"msg":"sent timeline notifications"`) ||
				!strings.Contains(s.logs.String(), `"msg":"caught up on reminders"`) ||
				!strings.Contains(s.logs.String(), `"msg":"erased expired personal data"`) {
				if time.Now().After(deadline) {
					t.Fatalf("not every job ran within 20 s of start; logs:\n%s", s.logs)
				}
				time.Sleep(50 * time.Millisecond)
			}
			if code := s.stop(); code != 0 {
				t.Fatalf("serve exited %d; logs:\n%s", code, s.logs)
			}
			logs := s.logs.String()
			for _, want := range []string{`"msg":"scheduler started"`, `"msg":"stopped"`} {
				if !strings.Contains(logs, want) {
					t.Errorf("logs lack %s:\n%s", want, logs)
				}
			}
			if strings.Contains(logs, `"level":"ERROR"`) {
				t.Errorf("errors in the logs:\n%s", logs)
			}
		})
	}
}
