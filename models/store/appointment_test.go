package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

var (
	date  = storetest.Date
	datep = storetest.DateP
)

// arrived returns an active employment whose worker (speaking tl, then
// en) arrived on the given date.
func arrived(t *testing.T, h *storetest.Household, arrival string) *models.Employment {
	t.Helper()
	active := models.StatusActive
	return h.Employment(t, date("2026-10-01"), models.EmploymentUpdate{Status: &active, ArrivalDate: datep(arrival)}, "tl", "en")
}

func appointmentsOf(t *testing.T, db *store.DB, f models.AppointmentFilter) []models.Appointment {
	t.Helper()
	as, _, err := db.FindAppointments(sys(), f)
	if err != nil {
		t.Fatal(err)
	}
	return as
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestDB_PlanAppointments_RegistrationOnce plans an arrival's registration
// in the next free slot, audits it, and plans nothing more when run again,
// even after the employment changed (which makes the planner look again).
func TestDB_PlanAppointments_RegistrationOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		e := arrived(t, h, "2026-11-02")
		now := storetest.Now // Monday 2026-11-02 09:30 UTC

		res, err := db.PlanAppointments(sys(), now)
		if err != nil {
			t.Fatal(err)
		}
		if res.Employments != 1 || res.Created != 1 || res.Placed != 1 || len(res.Unplaceable) != 0 {
			t.Fatalf("first pass = %+v, want one employment, one appointment placed", res)
		}
		as := appointmentsOf(t, db, models.AppointmentFilter{EmploymentID: e.ID})
		if len(as) != 1 {
			t.Fatalf("appointments = %d, want 1", len(as))
		}
		a := as[0]
		if a.Kind != models.KindRegistration || a.Status != models.AppointmentScheduled || a.MissionID != h.Mission.ID ||
			a.WindowStart != date("2026-11-02") || a.WindowEnd != date("2026-11-16") {
			t.Errorf("registration = %+v", a)
		}
		// The earliest slot is the next day's first: never the same day.
		if !a.StartsAt.Equal(utc("2026-11-03 09:00")) || !a.EndsAt.Equal(utc("2026-11-03 09:45")) || a.Room != "Room 1" {
			t.Errorf("slot = %v-%v in %q, want 2026-11-03 09:00-09:45 UTC in Room 1", a.StartsAt, a.EndsAt, a.Room)
		}
		// The office speaks no Tagalog and has no interpreter: English, noted.
		if a.Language != "en" || a.InterpreterNeeded || !strings.Contains(a.NoInterpreterNote, "tl") {
			t.Errorf("language = %q, interpreter %v %q; want en, none needed, with a note on tl", a.Language, a.InterpreterNeeded, a.NoInterpreterNote)
		}
		evs, err := db.FindAuditEvents(sys(), models.AuditFilter{ObjectType: "appointment", ObjectID: a.ID})
		if err != nil || len(evs) != 1 || evs[0].Action != models.ActionCreate || evs[0].Detail != "registration" {
			t.Errorf("audit of the creation = %+v (%v)", evs, err)
		}

		if res, err := db.PlanAppointments(sys(), now); err != nil || res.Employments != 0 || res.Created != 0 {
			t.Errorf("second pass = %+v, %v; want nothing examined, nothing created", res, err)
		}
		// A change makes the planner look again; it still creates nothing.
		if _, err := db.UpdateEmployment(sys(), e.ID, models.EmploymentUpdate{IDCardNumber: new("ID-1")}); err != nil {
			t.Fatal(err)
		}
		if res, err := db.PlanAppointments(sys(), now); err != nil || res.Employments != 1 || res.Created != 0 {
			t.Errorf("pass after a change = %+v, %v; want one examined, nothing created", res, err)
		}
		if got := len(appointmentsOf(t, db, models.AppointmentFilter{})); got != 1 {
			t.Errorf("appointments after three passes = %d, want 1", got)
		}
	})
}

// TestDB_InsertAppointments_DueOnce checks the database's guarantees under
// the planner: a second appointment for the same employment, kind and
// window start is skipped without error, and a room is never booked twice
// for the same start.
func TestDB_InsertAppointments_DueOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		e := arrived(t, h, "2026-11-02")
		other := arrived(t, h, "2026-11-02")
		start, end := utc("2026-11-03 09:00"), utc("2026-11-03 09:45")
		appt := func(emp *models.Employment) models.Appointment {
			return models.Appointment{ID: models.NewID(), EmploymentID: emp.ID, MissionID: emp.MissionID, Kind: models.KindRegistration,
				Status: models.AppointmentScheduled, WindowStart: date("2026-11-02"), WindowEnd: date("2026-11-16"),
				StartsAt: &start, EndsAt: &end, Room: "Room 1"}
		}
		if got, err := store.InsertAppointmentsForTest(sys(), db, []models.Appointment{appt(e)}); err != nil || len(got) != 1 {
			t.Fatalf("first insert = %d, %v", len(got), err)
		}
		dup := appt(e)
		dup.StartsAt, dup.EndsAt, dup.Room = nil, nil, ""
		if got, err := store.InsertAppointmentsForTest(sys(), db, []models.Appointment{dup}); err != nil || len(got) != 0 {
			t.Errorf("duplicate insert = %d, %v; want 0 created, no error", len(got), err)
		}
		if _, err := store.InsertAppointmentsForTest(sys(), db, []models.Appointment{appt(other)}); err == nil {
			t.Error("a second appointment in the same room at the same time was accepted")
		}
		if got := len(appointmentsOf(t, db, models.AppointmentFilter{})); got != 1 {
			t.Errorf("appointments = %d, want 1", got)
		}
	})
}

// planned plans e's registration and returns it.
func planned(t *testing.T, db *store.DB, e *models.Employment) models.Appointment {
	t.Helper()
	if _, err := db.PlanAppointments(sys(), storetest.Now); err != nil {
		t.Fatal(err)
	}
	as := appointmentsOf(t, db, models.AppointmentFilter{EmploymentID: e.ID, Kind: models.KindRegistration})
	if len(as) != 1 || !as[0].Placed() {
		t.Fatalf("registration of %s: %+v", e.ID, as)
	}
	return as[0]
}

func TestDB_RecordOutcome(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		e := arrived(t, h, "2026-11-02")
		a := planned(t, db, e)

		// Before the start only a cancellation is accepted.
		_, _, err := db.RecordOutcome(sys(), a.ID, models.OutcomeInput{Outcome: models.AppointmentAttended})
		if got := models.ErrorCode(err); got != models.EINVALID {
			t.Errorf("attended before the start: code %q, want %q", got, models.EINVALID)
		}
		db.Now = func() time.Time { return a.EndsAt.Add(time.Minute) }
		missionCtx := models.WithActor(context.Background(), models.Actor{UserID: "m", Role: models.RoleMission, MissionID: h.Mission.ID})
		if _, _, err := db.RecordOutcome(missionCtx, a.ID, models.OutcomeInput{Outcome: models.AppointmentAttended}); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Errorf("mission records an outcome: %v, want forbidden", err)
		}

		got, follow, err := db.RecordOutcome(sys(), a.ID, models.OutcomeInput{Outcome: models.AppointmentEmployerPresent, Note: "The employer waited in the room."})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != models.AppointmentEmployerPresent || got.OutcomeNote != "The employer waited in the room." {
			t.Errorf("after the outcome: %+v", got)
		}
		if follow == nil || follow.Kind != models.KindFollowUp || follow.WindowStart != date("2026-11-03") ||
			follow.WindowEnd != date("2026-11-17") || !follow.StartsAt.Equal(utc("2026-11-04 09:00")) || follow.Language != "en" {
			t.Fatalf("follow-up = %+v, want one on 2026-11-04 09:00 (the next day's first slot)", follow)
		}
		// Outcomes are final: 409 on the second, and on a cancelled one.
		if _, _, err := db.RecordOutcome(sys(), a.ID, models.OutcomeInput{Outcome: models.AppointmentAttended}); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("second outcome: %v, want conflict", err)
		}
		if _, _, err := db.RecordOutcome(sys(), follow.ID, models.OutcomeInput{Outcome: models.AppointmentCancelled}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.RecordOutcome(sys(), follow.ID, models.OutcomeInput{Outcome: models.AppointmentAttended}); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("outcome on a cancelled appointment: %v, want conflict", err)
		}

		evs, err := db.FindAuditEvents(sys(), models.AuditFilter{ObjectType: "appointment", ObjectID: a.ID, Action: models.ActionUpdate})
		if err != nil || len(evs) != 1 || evs[0].Detail != "status,outcome_note" {
			t.Errorf("audit of the outcome = %+v (%v)", evs, err)
		}
		// The note is the office's: a mission reads the appointment without it.
		seen, err := db.FindAppointmentByID(missionCtx, a.ID)
		if err != nil || seen.OutcomeNote != "" {
			t.Errorf("mission's read: note %q (%v), want none", seen.OutcomeNote, err)
		}
		otherMission := models.WithActor(context.Background(), models.Actor{UserID: "o", Role: models.RoleMission, MissionID: models.NewID()})
		if _, err := db.FindAppointmentByID(otherMission, a.ID); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("another mission's read: %v, want not found", err)
		}
		if as := appointmentsOf(t, db, models.AppointmentFilter{}); len(as) != 2 || as[0].OutcomeNote != "" {
			t.Errorf("list = %+v, want 2 appointments without notes", as)
		}
	})
}

func TestDB_SweepMissed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		e := arrived(t, h, "2026-11-02")
		a := planned(t, db, e) // 2026-11-03 09:00-09:45

		if n, err := db.SweepMissed(sys(), a.EndsAt.Add(59*time.Minute)); err != nil || n != 0 {
			t.Errorf("sweep 59 minutes after the end = %d, %v; want 0", n, err)
		}
		if n, err := db.SweepMissed(sys(), a.EndsAt.Add(61*time.Minute)); err != nil || n != 1 {
			t.Fatalf("sweep 61 minutes after the end = %d, %v; want 1", n, err)
		}
		got, err := db.FindAppointmentByID(sys(), a.ID)
		if err != nil || got.Status != models.AppointmentMissed {
			t.Errorf("after the sweep: %+v (%v)", got, err)
		}
		// (The follow-up the miss created is the next day: not yet ended.)
		if n, err := db.SweepMissed(sys(), a.EndsAt.Add(3*time.Hour)); err != nil || n != 0 {
			t.Errorf("second sweep = %d, %v; want 0", n, err)
		}
		evs, err := db.FindAuditEvents(sys(), models.AuditFilter{ObjectType: "appointment", ObjectID: a.ID, Action: models.ActionUpdate})
		if err != nil || len(evs) != 1 {
			t.Errorf("audit of the sweep = %+v (%v)", evs, err)
		}
	})
}

func TestDB_FindAppointments_Filters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		arrived(t, h, "2026-11-02")
		e2 := arrived(t, h, "2026-09-01") // registration window long past: unplaceable
		if _, err := db.PlanAppointments(sys(), storetest.Now); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name string
			f    models.AppointmentFilter
			want int
		}{
			{"all", models.AppointmentFilter{}, 2},
			{"by employment", models.AppointmentFilter{EmploymentID: e2.ID}, 1},
			{"on the 3rd", models.AppointmentFilter{From: datep("2026-11-03"), To: datep("2026-11-03")}, 1},
			{"from the 4th", models.AppointmentFilter{From: datep("2026-11-04")}, 0},
			{"unplaced", models.AppointmentFilter{Unplaced: true}, 1},
			{"by kind and status", models.AppointmentFilter{Kind: models.KindRegistration, Status: models.AppointmentScheduled}, 2},
			{"other kind", models.AppointmentFilter{Kind: models.KindCheckin}, 0},
			{"by mission", models.AppointmentFilter{MissionID: h.Mission.ID}, 2},
			{"paged", models.AppointmentFilter{Page: models.Page{Limit: 1}}, 1},
		} {
			if got := appointmentsOf(t, db, tt.f); len(got) != tt.want {
				t.Errorf("%s: %d appointments, want %d", tt.name, len(got), tt.want)
			}
		}
		if got := appointmentsOf(t, db, models.AppointmentFilter{Unplaced: true}); got[0].EmploymentID != e2.ID {
			t.Errorf("unplaced = %+v, want e2's registration", got)
		}
	})
}

// TestDB_PlanVacuumsAfterBigPass: a pass that moved at least the
// threshold of queue rows vacuums the queue on PostgreSQL (the next pass
// then meets no dead index entries); a smaller one leaves it to autovacuum.
func TestDB_PlanVacuumsAfterBigPass(t *testing.T) {
	db := storetest.Open(t, "postgres")
	h := storetest.NewHousehold(t, db)
	vacuums := func() int {
		t.Helper()
		var n int
		err := db.SQL().QueryRow(`SELECT vacuum_count FROM pg_stat_user_tables
WHERE relname = 'plan_queue' AND schemaname = current_schema()`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, tt := range []struct {
		name      string
		threshold int
		want      int // vacuums after the pass
	}{
		{"below the threshold", 3, 0},
		{"at the threshold", 2, 1},
	} {
		arrived(t, h, "2026-11-02")
		arrived(t, h, "2026-11-02")
		store.SetPlanVacuumAfterForTest(db, tt.threshold)
		before := vacuums()
		res, err := db.PlanAppointments(sys(), storetest.Now)
		if err != nil || res.Employments != 2 {
			t.Fatalf("%s: pass %+v %v, want 2 employments", tt.name, res, err)
		}
		if got := vacuums() - before; got != tt.want {
			t.Errorf("%s: %d vacuums of the queue, want %d", tt.name, got, tt.want)
		}
	}
}
