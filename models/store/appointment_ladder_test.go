package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

func at(s string) *time.Time { t := utc(s); return &t }

// fieldOf returns the one field an EINVALID error names ("" otherwise).
func fieldOf(err error) string {
	if models.ErrorCode(err) != models.EINVALID {
		return ""
	}
	for k := range models.ErrorFields(err) {
		return k
	}
	return ""
}

// kinds returns the kinds of a timeline, in order.
func kinds(evs []models.TimelineEvent) string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Kind)
	}
	return strings.Join(out, " ")
}

func timeline(t *testing.T, db *store.DB, ctx context.Context, employmentID string) []models.TimelineEvent {
	t.Helper()
	evs, _, err := db.FindTimeline(ctx, employmentID, models.Page{Limit: models.MaxPageLimit})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func missionOf(h *storetest.Household) context.Context {
	return models.WithActor(context.Background(), models.Actor{UserID: "m", Role: models.RoleMission, MissionID: h.Mission.ID})
}

// TestDB_RescheduleRules: a reschedule outside office hours, on a closed
// day or a weekend names starts_at; a room that does not exist or is taken
// names room; the slot moves in place (same id and window) with the old
// slot and the reason on the timeline; a cancelled appointment is final.
func TestDB_RescheduleRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		e := arrived(t, h, "2026-11-02")
		other := arrived(t, h, "2026-11-02")
		a := planned(t, db, e) // 2026-11-03 09:00 in Room 1; other's in Room 2
		db.Calendar.Closed = []models.Date{date("2026-11-05")}

		move := func(when, room, reason string) error {
			_, err := db.UpdateAppointment(sys(), a.ID, models.AppointmentUpdate{StartsAt: at(when), Room: room, Reason: reason})
			return err
		}
		for _, tt := range []struct{ name, when, room, field string }{
			{"before opening", "2026-11-04 08:30", "Room 1", "starts_at"},
			{"past closing", "2026-11-04 16:30", "Room 1", "starts_at"},
			{"a Saturday", "2026-11-07 10:00", "Room 1", "starts_at"},
			{"a closed day", "2026-11-05 10:00", "Room 1", "starts_at"},
			{"in the past", "2026-11-01 10:00", "Room 1", "starts_at"},
			{"no such room", "2026-11-04 10:00", "Room 9", "room"},
			{"another's booking", "2026-11-03 09:00", "Room 2", "room"},
			{"overlapping another's", "2026-11-03 09:30", "Room 2", "room"},
		} {
			if got := fieldOf(move(tt.when, tt.room, "worker asked")); got != tt.field {
				t.Errorf("%s: field %q, want %q", tt.name, got, tt.field)
			}
		}
		if got := fieldOf(move("2026-11-04 10:00", "Room 1", " ")); got != "reason" {
			t.Errorf("no reason: field %q", got)
		}
		if _, err := db.UpdateAppointment(missionOf(h), a.ID, models.AppointmentUpdate{StartsAt: at("2026-11-04 10:00"), Room: "Room 1", Reason: "r"}); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Errorf("mission reschedules: %v", err)
		}

		// Moving within its own slot is no clash with itself.
		got, err := db.UpdateAppointment(sys(), a.ID, models.AppointmentUpdate{StartsAt: at("2026-11-03 09:15"), Room: "Room 1", Reason: "worker works until 9"})
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != a.ID || got.Status != models.AppointmentScheduled || got.WindowStart != a.WindowStart || got.WindowEnd != a.WindowEnd ||
			!got.StartsAt.Equal(utc("2026-11-03 09:15")) || !got.EndsAt.Equal(utc("2026-11-03 10:00")) || got.Room != "Room 1" {
			t.Errorf("rescheduled: %+v", got)
		}
		evs := timeline(t, db, sys(), e.ID)
		if kinds(evs) != "rescheduled mission_notified" {
			t.Fatalf("timeline: %s", kinds(evs))
		}
		if d := evs[0].Data; d["previous_starts_at"] != "2026-11-03T09:00:00Z" || d["previous_room"] != "Room 1" ||
			d["starts_at"] != "2026-11-03T09:15:00Z" || d["reason"] != "worker works until 9" {
			t.Errorf("rescheduled entry: %+v", d)
		}
		if d := evs[1].Data; evs[1].Notify != models.NotifyMission || d["starts_at"] != "2026-11-03T09:15:00Z" || d["reason"] != "" {
			t.Errorf("mission's entry: %+v %+v", evs[1], d)
		}
		aud, err := db.FindAuditEvents(sys(), models.AuditFilter{ObjectType: "appointment", ObjectID: a.ID, Action: models.ActionUpdate})
		if err != nil || len(aud) != 1 || aud[0].Detail != "starts_at,ends_at,room,reason" {
			t.Errorf("audit: %+v %v", aud, err)
		}
		// The other's slot is still held against a move into it.
		if got := fieldOf(move("2026-11-03 09:00", "Room 2", "r")); got != "room" {
			t.Errorf("into the other's slot: %q", got)
		}
		_ = other

		// Cancel, then nothing more: 409.
		if _, err := db.UpdateAppointment(sys(), a.ID, models.AppointmentUpdate{Status: "cancelled"}); fieldOf(err) != "reason" {
			t.Errorf("cancel without a reason: %v", err)
		}
		c, err := db.UpdateAppointment(sys(), a.ID, models.AppointmentUpdate{Status: "cancelled", Reason: "left the country"})
		if err != nil || c.Status != models.AppointmentCancelled {
			t.Fatalf("cancel: %+v %v", c, err)
		}
		if err := move("2026-11-04 10:00", "Room 1", "r"); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("reschedule a cancelled appointment: %v, want conflict", err)
		}
		if _, err := db.UpdateAppointment(sys(), a.ID, models.AppointmentUpdate{Status: "cancelled", Reason: "again"}); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("cancel twice: %v, want conflict", err)
		}
		if _, err := db.UpdateAppointment(sys(), models.NewID(), models.AppointmentUpdate{Status: "cancelled", Reason: "r"}); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("unknown appointment: %v", err)
		}
		if k := kinds(timeline(t, db, sys(), e.ID)); k != "rescheduled mission_notified cancelled mission_notified" {
			t.Errorf("timeline after the cancellation: %s", k)
		}
	})
}

// TestDB_CreateAppointment books by hand: the first free room or the named
// one, the calendar's rules, one appointment of a kind per employment and day.
func TestDB_CreateAppointment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		e := arrived(t, h, "2026-11-02")
		e2, e3 := arrived(t, h, "2026-11-02"), arrived(t, h, "2026-11-02")
		book := func(emp, when, room string) (*models.Appointment, error) {
			return db.CreateAppointment(sys(), models.AppointmentInput{EmploymentID: emp, Kind: models.KindCheckin,
				StartsAt: at(when), Room: room, Note: "asked for by the worker's NGO"})
		}
		a, err := book(e.ID, "2026-11-10 10:00", "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Kind != models.KindCheckin || a.Status != models.AppointmentScheduled || a.Room != "Room 1" || !a.EndsAt.Equal(utc("2026-11-10 10:45")) ||
			a.WindowStart != date("2026-11-10") || a.WindowEnd != date("2026-11-10") || a.Language != "en" || !strings.Contains(a.NoInterpreterNote, "tl") {
			t.Errorf("booked: %+v", a)
		}
		evs := timeline(t, db, sys(), e.ID)
		if kinds(evs) != "appointment_created mission_notified" || evs[0].Data["note"] != "asked for by the worker's NGO" || evs[1].Data["note"] != "" {
			t.Errorf("timeline: %s %+v", kinds(evs), evs)
		}
		if _, err := book(e.ID, "2026-11-10 14:00", ""); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("second check-in the same day: %v, want conflict", err)
		}
		if _, err := book(e2.ID, "2026-11-10 10:15", "Room 1"); fieldOf(err) != "room" {
			t.Errorf("into a taken room: %v", err)
		}
		if b, err := book(e2.ID, "2026-11-10 10:15", ""); err != nil || b.Room != "Room 2" {
			t.Errorf("first free room: %+v %v", b, err)
		}
		if _, err := book(e3.ID, "2026-11-10 10:30", ""); fieldOf(err) != "starts_at" {
			t.Errorf("no room free: %v", err)
		}
		if _, err := book(e3.ID, "2026-11-10 18:00", ""); fieldOf(err) != "starts_at" {
			t.Errorf("after closing: %v", err)
		}
		if _, err := book(models.NewID(), "2026-11-11 10:00", ""); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("unknown employment: %v", err)
		}
		if _, err := db.CreateAppointment(missionOf(h), models.AppointmentInput{EmploymentID: e3.ID, Kind: models.KindCheckin, StartsAt: at("2026-11-11 10:00")}); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Errorf("mission books: %v", err)
		}
		// A language chosen by hand is kept.
		b, err := db.CreateAppointment(sys(), models.AppointmentInput{EmploymentID: e3.ID, Kind: models.KindExit, StartsAt: at("2026-11-11 10:00"), Language: "tl"})
		if err != nil || b.Language != "tl" || !b.InterpreterNeeded || b.Interpreter != "" || b.NoInterpreterNote == "" {
			t.Errorf("in Tagalog: %+v %v", b, err)
		}
	})
}

// TestDB_EscalationLadder: three consecutive misses climb the policy's
// ladder, each step on the employment's timeline: a follow-up and the
// mission notified; then an urgent follow-up and a supervisor alert; then
// the employer flagged for suspension, but not suspended.
func TestDB_EscalationLadder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		e := arrived(t, h, "2026-11-02")
		planned(t, db, e) // Tuesday 2026-11-03 09:00-09:45

		// First miss (by the sweep): a follow-up the next day.
		if n, err := db.SweepMissed(sys(), utc("2026-11-03 11:00")); err != nil || n != 1 {
			t.Fatalf("first sweep: %d %v", n, err)
		}
		f1 := appointmentsOf(t, db, models.AppointmentFilter{EmploymentID: e.ID, Kind: models.KindFollowUp, Status: models.AppointmentScheduled})
		if len(f1) != 1 || f1[0].Urgent || !f1[0].StartsAt.Equal(utc("2026-11-04 09:00")) || f1[0].WindowEnd != date("2026-11-17") {
			t.Fatalf("first follow-up: %+v", f1)
		}
		if k := kinds(timeline(t, db, sys(), e.ID)); k != "missed follow_up_planned mission_notified" {
			t.Errorf("after the first miss: %s", k)
		}

		// Second (by the sweep): urgent, the supervisors alerted.
		if n, err := db.SweepMissed(sys(), utc("2026-11-04 11:00")); err != nil || n != 1 {
			t.Fatalf("second sweep: %d %v", n, err)
		}
		urgent := appointmentsOf(t, db, models.AppointmentFilter{Urgent: true})
		if len(urgent) != 1 || urgent[0].Kind != models.KindFollowUp || urgent[0].Status != models.AppointmentScheduled ||
			!urgent[0].StartsAt.Equal(utc("2026-11-05 09:00")) {
			t.Fatalf("urgent follow-up: %+v", urgent)
		}

		// Third (the employer came along): the employer is flagged.
		db.Now = func() time.Time { return utc("2026-11-05 10:00") }
		_, f3, err := db.RecordOutcome(sys(), urgent[0].ID, models.OutcomeInput{Outcome: models.AppointmentEmployerPresent})
		if err != nil || f3 == nil || !f3.Urgent || !f3.StartsAt.Equal(utc("2026-11-06 09:00")) {
			t.Fatalf("third miss: follow-up %+v, %v", f3, err)
		}

		evs := timeline(t, db, sys(), e.ID)
		want := "missed follow_up_planned mission_notified" +
			" missed follow_up_planned mission_notified urgent_task supervisor_alert" +
			" missed follow_up_planned mission_notified urgent_task supervisor_alert employer_flagged"
		if k := kinds(evs); k != want {
			t.Fatalf("timeline:\n got %s\nwant %s", k, want)
		}
		steps := []int{}
		for _, ev := range evs {
			if ev.Kind == models.EventMissed {
				steps = append(steps, ev.Step)
			}
		}
		if len(steps) != 3 || steps[0] != 1 || steps[1] != 2 || steps[2] != 3 {
			t.Errorf("the misses' steps: %v", steps)
		}
		last := evs[len(evs)-1]
		if last.Notify != models.NotifySupervisors || last.Data["employer_id"] != h.Employer.ID || last.Step != 3 {
			t.Errorf("flag: %+v", last)
		}
		if evs[len(evs)-2].Notify != models.NotifySupervisors || evs[len(evs)-6].Data["outcome"] != models.AppointmentEmployerPresent {
			t.Errorf("alert and outcome: %+v %+v", evs[len(evs)-2], evs[len(evs)-6])
		}
		// Flagged, not suspended: an admin confirms by suspending.
		emp, err := db.FindEmployerByID(sys(), h.Employer.ID)
		if err != nil || emp.Suspended {
			t.Errorf("employer suspended automatically: %+v %v", emp, err)
		}
		if got := appointmentsOf(t, db, models.AppointmentFilter{Urgent: true}); len(got) != 2 {
			t.Errorf("urgent appointments: %d, want 2", len(got))
		}

		// The mission sees only what was addressed to it, logistics only.
		mine := timeline(t, db, missionOf(h), e.ID)
		if k := kinds(mine); k != "mission_notified mission_notified mission_notified" {
			t.Errorf("mission's timeline: %s", k)
		}
		for _, ev := range mine {
			for key := range ev.Data {
				if key != "kind" && key != "after_miss" && key != "status" && key != "starts_at" && key != "ends_at" && key != "room" && key != "window_end" {
					t.Errorf("mission's entry carries %q", key)
				}
			}
		}
		other := models.WithActor(context.Background(), models.Actor{UserID: "o", Role: models.RoleMission, MissionID: models.NewID()})
		if _, _, err := db.FindTimeline(other, e.ID, models.Page{}); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("another mission's read: %v", err)
		}
		auditor := models.WithActor(context.Background(), models.Actor{UserID: "a", Role: models.RoleAuditor})
		if _, _, err := db.FindTimeline(auditor, e.ID, models.Page{}); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Errorf("auditor's read: %v", err)
		}

		// The messages wait in the outbox until the sender marks them.
		pending, err := db.PendingNotifications(context.Background(), 100)
		if err != nil || kinds(pending) != "mission_notified mission_notified supervisor_alert mission_notified supervisor_alert employer_flagged" {
			t.Fatalf("outbox: %s %v", kinds(pending), err)
		}
		ids := []string{pending[0].ID, pending[1].ID, evs[0].ID} // evs[0]: a miss, no message
		if n, err := db.MarkNotified(context.Background(), ids, utc("2026-11-05 10:05")); err != nil || n != 2 {
			t.Errorf("marked %d, %v; want 2", n, err)
		}
		if n, err := db.MarkNotified(context.Background(), ids, utc("2026-11-05 10:06")); err != nil || n != 0 {
			t.Errorf("marked again %d, %v; want 0", n, err)
		}
		if pending, _ = db.PendingNotifications(context.Background(), 100); len(pending) != 4 {
			t.Errorf("outbox after sending two: %s", kinds(pending))
		}

		// Attended ends the run: the next miss is a first again.
		db.Now = func() time.Time { return utc("2026-11-06 10:00") }
		if _, _, err := db.RecordOutcome(sys(), f3.ID, models.OutcomeInput{Outcome: models.AppointmentAttended}); err != nil {
			t.Fatal(err)
		}
		c, err := db.CreateAppointment(sys(), models.AppointmentInput{EmploymentID: e.ID, Kind: models.KindCheckin, StartsAt: at("2026-11-09 10:00")})
		if err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return utc("2026-11-09 11:00") }
		_, f4, err := db.RecordOutcome(sys(), c.ID, models.OutcomeInput{Outcome: models.AppointmentMissed})
		if err != nil || f4 == nil || f4.Urgent {
			t.Errorf("a miss after an attended interview: %+v %v", f4, err)
		}
		evs = timeline(t, db, sys(), e.ID)
		if k := kinds(evs[len(evs)-3:]); k != "missed follow_up_planned mission_notified" || evs[len(evs)-3].Step != 1 {
			t.Errorf("after attending: %s", k)
		}
	})
}

// TestDB_Interpreters: a free interpreter who speaks the worker's first
// language is booked for the slot, never twice at once and only within
// their hours; when none is free in the window the interview is in the
// worker's next language that the office speaks, noted for officers.
func TestDB_Interpreters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ivs, err := models.ParseInterpreters("Ana:tl@tue 09:00-10:30")
		if err != nil {
			t.Fatal(err)
		}
		db.Calendar.Interpreters = ivs
		h := storetest.NewHousehold(t, db)
		for range 5 {
			arrived(t, h, "2026-11-02") // window to 2026-11-16: two Tuesdays of Ana's, two slots each
		}
		amharic := h.Employment(t, date("2026-10-01"), models.EmploymentUpdate{ArrivalDate: datep("2026-11-02")}, "am")
		if _, err := db.PlanAppointments(sys(), storetest.Now); err != nil {
			t.Fatal(err)
		}
		var withAna, fallback int
		seen := map[time.Time]bool{}
		for _, a := range appointmentsOf(t, db, models.AppointmentFilter{}) {
			switch {
			case a.EmploymentID == amharic.ID:
				if a.Language != "am" || !a.InterpreterNeeded || a.Interpreter != "" || !strings.Contains(a.NoInterpreterNote, "am") || !a.Placed() {
					t.Errorf("Amharic speaker: %+v", a)
				}
			case a.Interpreter == "Ana":
				withAna++
				if a.Language != "tl" || !a.InterpreterNeeded || a.NoInterpreterNote != "" || a.StartsAt.Weekday() != time.Tuesday ||
					a.StartsAt.Hour() > 9 || seen[*a.StartsAt] {
					t.Errorf("with Ana: %+v", a)
				}
				seen[*a.StartsAt] = true
			default:
				fallback++
				if a.Language != "en" || a.InterpreterNeeded || !strings.Contains(a.NoInterpreterNote, "free") {
					t.Errorf("fallback: %+v", a)
				}
			}
		}
		if withAna != 4 || fallback != 1 {
			t.Fatalf("%d with Ana, %d in English; want 4 and 1", withAna, fallback)
		}

		// A reschedule keeps the interpreter, who must be free then.
		tagalog := appointmentsOf(t, db, models.AppointmentFilter{From: datep("2026-11-03"), To: datep("2026-11-03")})
		var first models.Appointment
		for _, a := range tagalog {
			if a.Interpreter == "Ana" && a.StartsAt.Equal(utc("2026-11-03 09:00")) {
				first = a
			}
		}
		if first.ID == "" {
			t.Fatalf("no Tagalog interview with Ana on 2026-11-03 09:00: %+v", tagalog)
		}
		_, err = db.UpdateAppointment(sys(), first.ID, models.AppointmentUpdate{StartsAt: at("2026-11-10 09:15"), Room: "Room 2", Reason: "r"})
		if fieldOf(err) != "starts_at" || !strings.Contains(models.ErrorFields(err)["starts_at"], "interpreter") {
			t.Errorf("onto Ana's other booking: %v", err)
		}
		moved, err := db.UpdateAppointment(sys(), first.ID, models.AppointmentUpdate{StartsAt: at("2026-11-17 09:00"), Room: "Room 2", Reason: "r"})
		if err != nil || moved.Interpreter != "Ana" {
			t.Errorf("to a Tuesday Ana is free: %+v %v", moved, err)
		}
		evs := timeline(t, db, sys(), first.EmploymentID)
		if len(evs) == 0 || evs[0].Data["outside_window"] != "true" {
			t.Errorf("moved past its window, not noted: %+v", evs)
		}
	})
}

// recordingOutbox notes the appointments handed to it, and the slot each
// had, standing in for the scheduler's reminder outbox.
type recordingOutbox struct{ got []string }

func (o *recordingOutbox) Placed(_ context.Context, _ *gorm.DB, appts []models.Appointment) error {
	for _, a := range appts {
		o.got = append(o.got, a.ID+"@"+a.StartsAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// TestDB_PlacingHandsToTheOutbox: booking by hand and rescheduling give the
// outbox the appointment with its new slot, in the same transaction, so
// that reminders follow the slot.
func TestDB_PlacingHandsToTheOutbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		ob := &recordingOutbox{}
		db.Outbox = ob
		e := arrived(t, h, "2026-11-02")
		c, err := db.CreateAppointment(sys(), models.AppointmentInput{EmploymentID: e.ID, Kind: models.KindCheckin, StartsAt: at("2026-11-09 10:00")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateAppointment(sys(), c.ID, models.AppointmentUpdate{StartsAt: at("2026-11-10 11:00"), Room: "Room 1", Reason: "r"}); err != nil {
			t.Fatal(err)
		}
		want := []string{c.ID + "@" + utc("2026-11-09 10:00").UTC().Format(time.RFC3339), c.ID + "@" + utc("2026-11-10 11:00").UTC().Format(time.RFC3339)}
		if len(ob.got) < 2 || ob.got[len(ob.got)-2] != want[0] || ob.got[len(ob.got)-1] != want[1] {
			t.Errorf("outbox got %v, want it to end with %v", ob.got, want)
		}
	})
}
