package scheduler_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	pdwmail "github.com/pdw-registry/pdw/mail"
	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
	"github.com/pdw-registry/pdw/scheduler"
)

func exec(t *testing.T, db *store.DB, sql string, args ...any) {
	t.Helper()
	if err := db.Transaction(context.Background(), func(tx *gorm.DB) error { return tx.Exec(sql, args...).Error }); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, db *store.DB, table, where string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.Transaction(context.Background(), func(tx *gorm.DB) error {
		return tx.Table(table).Where(where, args...).Count(&n).Error
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestNotify_MissionLogisticsAdminsAlertOnce: after two consecutive
// misses, the notify job sends the mission the logistics of the
// follow-ups and that the worker did not attend (never the note, the
// interview or the worker's contact data), sends every live admin the
// alert with ids only, marks each entry notified and audits it; a second
// run sends nothing.
func TestNotify_MissionLogisticsAdminsAlertOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRemindFixture(t, db, true, "en")
		ctx := storetest.SysCtx()
		for _, u := range []struct{ email, role string }{
			{"chief@office.example", models.RoleAdmin}, {"deputy@office.example", models.RoleAdmin},
			{"gone@office.example", models.RoleAdmin}, {"officer@office.example", models.RoleOfficer},
		} {
			if err := db.CreateUser(ctx, &models.User{Email: u.email, Role: u.role}, "a long enough password"); err != nil {
				t.Fatal(err)
			}
		}
		exec(t, db, "UPDATE users SET disabled = ? WHERE email = ?", true, "gone@office.example")
		exec(t, db, "UPDATE users SET language = ? WHERE email = ?", "fr", "deputy@office.example")

		clock := f.now
		db.Now = func() time.Time { return clock }
		clock = f.appt.EndsAt.Add(2 * time.Hour)
		const secret = "Employer kept her passport"
		_, f1, err := db.RecordOutcome(ctx, f.appt.ID, models.OutcomeInput{Outcome: models.AppointmentMissed, Note: secret})
		if err != nil || f1 == nil || !f1.Placed() {
			t.Fatalf("first miss: follow-up %+v, %v", f1, err)
		}
		clock = f1.EndsAt.Add(2 * time.Hour)
		if _, _, err := db.RecordOutcome(ctx, f1.ID, models.OutcomeInput{Outcome: models.AppointmentEmployerPresent, Note: secret}); err != nil {
			t.Fatal(err)
		}
		pending, err := db.PendingNotifications(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		var toMission, toSupervisors int
		for _, ev := range pending {
			switch ev.Notify {
			case models.NotifyMission:
				toMission++
			case models.NotifySupervisors:
				toSupervisors++
			}
		}
		if toMission < 2 || toSupervisors < 1 {
			t.Fatalf("pending: %d to the mission, %d to supervisors; want at least 2 and 1", toMission, toSupervisors)
		}

		sink := newSink(t, 0)
		m := scheduler.Mail{Sender: sink.sender(t), From: "Protocol office <protocol@office.example>", Place: "Protocol office, Rue 1, Bern"}
		res, err := scheduler.Notify(context.Background(), db, m, clock, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Sent != len(pending) || res.Messages != toMission+2*toSupervisors {
			t.Fatalf("result %+v; want %d entries and %d messages", res, len(pending), toMission+2*toSupervisors)
		}
		msgs := sink.messages()
		by := map[string][]received{}
		ids := map[string]bool{}
		for _, msg := range msgs {
			by[msg.to] = append(by[msg.to], msg)
			if ids[msg.messageID] {
				t.Errorf("Message-ID %s used twice", msg.messageID)
			}
			ids[msg.messageID] = true
		}
		if len(by["focal@mission.example"]) != toMission || len(by["chief@office.example"]) != toSupervisors ||
			len(by["deputy@office.example"]) != toSupervisors || len(by["gone@office.example"]) != 0 || len(by["officer@office.example"]) != 0 {
			t.Fatalf("messages by recipient: %v", by)
		}
		sawMiss, sawLogistics := false, false
		for _, mm := range by["focal@mission.example"] {
			text := mm.subject + "\n" + mm.body
			if strings.Contains(text, "did not attend") {
				sawMiss = true
			}
			if strings.Contains(text, "come alone") && strings.Contains(text, "release") && strings.Contains(text, "Room") &&
				strings.Contains(text, "Europe/Zurich") {
				sawLogistics = true
			}
			for _, bad := range []string{secret, workerEmail, "+41 79 555", "interview", "registration", "interpreter", "note", "step"} {
				if strings.Contains(strings.ToLower(text), strings.ToLower(bad)) {
					t.Errorf("mission's message contains %q:\n%s", bad, text)
				}
			}
		}
		if !sawMiss || !sawLogistics {
			t.Errorf("mission's messages lack the miss (%v) or the follow-up's logistics (%v): %v", sawMiss, sawLogistics, by["focal@mission.example"])
		}
		if len(by["deputy@office.example"]) == 0 {
			t.Error("no alert to the second admin")
		}
		for _, am := range by["deputy@office.example"] { // an admin whose console is in French
			if !strings.Contains(am.body, "demande attention") {
				t.Errorf("French admin's alert not in French:\n%s\n%s", am.subject, am.body)
			}
		}
		for _, am := range by["chief@office.example"] {
			text := am.subject + "\n" + am.body
			if !strings.Contains(text, f.emp.ID) || !strings.Contains(text, "/api/v1/employments/"+f.emp.ID+"/timeline") {
				t.Errorf("admin's alert lacks the employment's id or link:\n%s", text)
			}
			for _, bad := range []string{"Ana Reyes", secret, workerEmail, "+41 79 555"} {
				if strings.Contains(text, bad) {
					t.Errorf("admin's alert contains %q:\n%s", bad, text)
				}
			}
		}
		if left, _ := db.PendingNotifications(ctx, 100); len(left) != 0 {
			t.Fatalf("%d entries still pending", len(left))
		}
		if n := count(t, db, "audit_events", "object_type = ? AND action = ?", "timeline_event", models.ActionUpdate); n != int64(len(pending)) {
			t.Errorf("%d sends audited, want %d", n, len(pending))
		}
		// Twice: nothing more is sent.
		res, err = scheduler.Notify(context.Background(), db, m, clock.Add(10*time.Minute), nil)
		if err != nil || res != (scheduler.NotifyResult{}) {
			t.Fatalf("second run: %+v, %v", res, err)
		}
		if n := len(sink.messages()); n != len(msgs) {
			t.Fatalf("second run sent %d more messages", n-len(msgs))
		}
	})
}

// TestNotify_SkippedWithoutSMTP: without a server the messages stay
// pending and the log names no one; once a server is there they go, once.
func TestNotify_SkippedWithoutSMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRemindFixture(t, db, true, "en")
		ctx := storetest.SysCtx()
		start := f.appt.StartsAt.Add(24 * time.Hour)
		if _, err := db.UpdateAppointment(ctx, f.appt.ID, models.AppointmentUpdate{StartsAt: &start, Room: f.appt.Room, Reason: "worker asked"}); err != nil {
			t.Fatal(err)
		}
		var logs bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logs, nil))
		res, err := scheduler.Notify(context.Background(), db, scheduler.Mail{Sender: pdwmail.None{}}, f.now, log)
		if err != nil || res.Skipped != 1 || res.Sent != 0 {
			t.Fatalf("without SMTP: %+v, %v", res, err)
		}
		if !strings.Contains(logs.String(), "skipped") || strings.Contains(logs.String(), "Ana Reyes") ||
			strings.Contains(logs.String(), "focal@") {
			t.Errorf("log: %s", logs.String())
		}
		if p, _ := db.PendingNotifications(ctx, 10); len(p) != 1 {
			t.Fatalf("%d pending after a skipped run, want 1", len(p))
		}
		// A failing server: the entry stays pending; the retry sends it once.
		sink := newSink(t, 1)
		m := scheduler.Mail{Sender: sink.sender(t), From: "protocol@office.example"}
		if _, err := scheduler.Notify(context.Background(), db, m, f.now, nil); err == nil {
			t.Fatal("a refused message reported no error")
		}
		for range 2 {
			if _, err := scheduler.Notify(context.Background(), db, m, f.now, nil); err != nil {
				t.Fatal(err)
			}
		}
		if msgs := sink.messages(); len(msgs) != 1 || !strings.Contains(msgs[0].body, "Ana Reyes") {
			t.Fatalf("messages after the retry: %v", msgs)
		}
	})
}

// TestRemind_CatchUp: appointments placed while no scheduler was attached
// get their reminders from the remind job, once however often it runs.
func TestRemind_CatchUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		loc := zurich(t)
		db.Calendar = models.DefaultCalendar(loc)
		now := time.Date(2026, 11, 30, 7, 0, 0, 0, loc)
		db.Now = func() time.Time { return now }
		h := storetest.NewHousehold(t, db)
		active := models.StatusActive
		e := h.Employment(t, storetest.Date("2026-11-30"), models.EmploymentUpdate{Status: &active, ArrivalDate: datep("2026-11-30")}, "en")
		// Planned with no outbox: no reminders.
		if _, err := scheduler.Plan(context.Background(), db, now); err != nil {
			t.Fatal(err)
		}
		as := all(t, db, models.AppointmentFilter{EmploymentID: e.ID})
		if len(as) != 1 || !as[0].Placed() {
			t.Fatalf("appointments: %+v", as)
		}
		s, err := scheduler.New(db, scheduler.Config{TestOnly: true, Now: func() time.Time { return now }})
		if err != nil {
			t.Fatal(err)
		}
		jobs := func() int {
			res, err := s.Client().JobList(context.Background(), river.NewJobListParams().Kinds("remind").First(100))
			if err != nil {
				t.Fatal(err)
			}
			return len(res.Jobs)
		}
		if n := jobs(); n != 0 {
			t.Fatalf("%d reminders before the catch-up", n)
		}
		for range 2 {
			res, err := s.Run(context.Background(), scheduler.JobRemind, now)
			if err != nil {
				t.Fatal(err)
			}
			if r := res.(scheduler.RemindResult); r.Appointments != 1 {
				t.Fatalf("catch-up handed %d appointments, want 1", r.Appointments)
			}
		}
		// The mission's lead-1 reminder (the worker has no consent).
		if n := jobs(); n != 1 {
			t.Fatalf("%d reminders after two catch-ups, want 1", n)
		}
		// After the start, nothing is due any more.
		res, err := scheduler.Remind(context.Background(), db, as[0].StartsAt.Add(time.Minute))
		if err != nil || res.Appointments != 0 {
			t.Fatalf("after the start: %+v, %v", res, err)
		}
	})
}

// TestRetention_ErasesOnlyExpired: the personal data of workers whose
// employments all ended more than retention_years (5 in the Swiss preset)
// ago is erased, with their contract PDFs and appointment notes; the
// recent, the open and the worker with another employment within
// retention are kept; ids, dates and statuses stay; twice is a no-op.
func TestRetention_ErasesOnlyExpired(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		loc := zurich(t)
		db.Calendar = models.DefaultCalendar(loc)
		now := time.Date(2026, 11, 30, 3, 0, 0, 0, loc)
		db.Now = func() time.Time { return now }
		ctx := storetest.SysCtx()
		h := storetest.NewHousehold(t, db)
		active := models.StatusActive
		mk := func(name string) *models.Employment {
			e := h.Employment(t, storetest.Date("2026-11-02"), models.EmploymentUpdate{Status: &active, ArrivalDate: datep("2026-11-02")}, "en", "fr")
			if _, err := db.UpdateWorker(ctx, e.WorkerID, models.WorkerUpdate{FullName: ptr(name), Email: ptr(strings.ReplaceAll(name, " ", ".") + "@example.org"),
				Phone: ptr("+41 79 000 00 00"), PassportNumber: ptr("P1234567"), ContactConsent: ptr(true)}); err != nil {
				t.Fatal(err)
			}
			if _, err := db.CreateContract(ctx, e.ID, func(models.ContractData) (models.RenderedContract, error) {
				return models.RenderedContract{PDF: []byte("%PDF-1.4 " + name), HostTextVersion: "1", WorkerTextVersion: "1"}, nil
			}); err != nil {
				t.Fatal(err)
			}
			return e
		}
		old, recent, refused, mixed, open := mk("Old Worker"), mk("Recent Worker"), mk("Refused Worker"), mk("Mixed Worker"), mk("Open Worker")
		if _, err := scheduler.Plan(context.Background(), db, now); err != nil {
			t.Fatal(err)
		}
		exec(t, db, "UPDATE appointments SET outcome_note = ?", "private note")
		exec(t, db, "UPDATE employments SET status = ?, departure_date = ? WHERE id = ?", models.StatusEnded, storetest.Date("2021-06-30"), old.ID)
		exec(t, db, "UPDATE employments SET status = ?, end_date = ? WHERE id = ?", models.StatusEnded, storetest.Date("2022-01-31"), recent.ID)
		exec(t, db, "UPDATE employments SET status = ?, updated_at = ? WHERE id = ?", models.StatusRefused, now.AddDate(-6, 0, 0).UTC(), refused.ID)
		exec(t, db, "UPDATE employments SET status = ?, departure_date = ? WHERE id = ?", models.StatusEnded, storetest.Date("2019-06-30"), mixed.ID)
		start := storetest.Date("2026-12-01")
		if _, err := db.CreateEmployment(ctx, models.EmploymentInput{WorkerID: mixed.WorkerID, EmployerID: h.Employer.ID, StartDate: &start,
			Terms: storetest.ValidTerms()}); err != nil {
			t.Fatal(err)
		}
		exec(t, db, "UPDATE workers SET review_reason = ?", "check age")

		res, err := scheduler.Retention(context.Background(), db, now)
		if err != nil {
			t.Fatal(err)
		}
		if res.Workers != 2 || res.Employments != 2 || res.ContractPDFs != 2 {
			t.Fatalf("result %+v; want 2 workers, 2 employments, 2 PDFs", res)
		}
		for _, e := range []*models.Employment{old, refused} {
			w, err := db.FindWorkerByID(ctx, e.WorkerID)
			if err != nil {
				t.Fatal(err)
			}
			if w.FullName != store.ErasedName || w.DateOfBirth != nil || w.Email != "" || w.Phone != "" || w.PassportNumber != "" ||
				w.ContactConsent || w.ReviewReason != "" || w.Nationality != "PH" || len(w.Languages) != 2 {
				t.Errorf("worker of %s not erased as it should be: %+v", e.ID, w)
			}
			if _, _, err := db.ContractPDF(ctx, contractOf(t, db, e.ID).ID); models.ErrorCode(err) != models.ENOTFOUND {
				t.Errorf("erased employment's contract PDF: %v", err)
			}
			if c := contractOf(t, db, e.ID); c.SHA256 == "" || c.Version != 1 {
				t.Errorf("contract row lost its hash or version: %+v", c)
			}
			for _, a := range all(t, db, models.AppointmentFilter{EmploymentID: e.ID}) {
				if a, err := db.FindAppointmentByID(ctx, a.ID); err != nil || a.OutcomeNote != "" {
					t.Errorf("appointment note kept: %+v, %v", a, err)
				}
			}
			if got, err := db.FindEmploymentByID(ctx, e.ID); err != nil || (got.Status != models.StatusEnded && got.Status != models.StatusRefused) {
				t.Errorf("employment after erasure: %+v, %v", got, err)
			}
		}
		for _, e := range []*models.Employment{recent, mixed, open} {
			w, err := db.FindWorkerByID(ctx, e.WorkerID)
			if err != nil {
				t.Fatal(err)
			}
			if w.FullName == store.ErasedName || w.Email == "" || w.DateOfBirth == nil {
				t.Errorf("worker of %s erased too early: %+v", e.ID, w)
			}
			if _, pdf, err := db.ContractPDF(ctx, contractOf(t, db, e.ID).ID); err != nil || len(pdf) == 0 {
				t.Errorf("kept employment's contract PDF: %v", err)
			}
			for _, a := range all(t, db, models.AppointmentFilter{EmploymentID: e.ID}) {
				if a, err := db.FindAppointmentByID(ctx, a.ID); err != nil || a.OutcomeNote != "private note" {
					t.Errorf("kept appointment's note: %+v, %v", a, err)
				}
			}
		}
		if n := count(t, db, "audit_events", "action = ? AND object_type = ?", models.ActionErase, "worker"); n != 2 {
			t.Errorf("%d erasures audited, want 2", n)
		}
		// Twice: nothing more.
		res, err = scheduler.Retention(context.Background(), db, now.Add(24*time.Hour))
		if err != nil || res != (scheduler.RetentionResult{}) {
			t.Fatalf("second run: %+v, %v", res, err)
		}
		if n := count(t, db, "audit_events", "action = ?", models.ActionErase); n != 2 {
			t.Errorf("%d erasures audited after the second run, want 2", n)
		}
	})
}

func contractOf(t *testing.T, db *store.DB, employmentID string) models.ContractVersion {
	t.Helper()
	cs, err := db.FindContracts(storetest.SysCtx(), employmentID)
	if err != nil || len(cs) != 1 {
		t.Fatalf("contracts of %s: %v, %v", employmentID, cs, err)
	}
	return cs[0]
}

// TestRetention_ErasesWorkersNeverEmployed: a worker with no employment
// at all (for instance refused as a presumed minor before anything was
// stored) is erased once the record has not changed for retention_years;
// a recent one is kept; twice is a no-op.
func TestRetention_ErasesWorkersNeverEmployed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		loc := zurich(t)
		db.Calendar = models.DefaultCalendar(loc)
		now := time.Date(2026, 11, 30, 3, 0, 0, 0, loc)
		db.Now = func() time.Time { return now }
		ctx := storetest.SysCtx()
		storetest.NewHousehold(t, db) // loads the Swiss preset: retention 5 years
		mk := func(name string) *models.Worker {
			w := &models.Worker{FullName: name, Sex: "f", Nationality: "PH", Languages: models.Strings{"tl"}, PassportNumber: "P1"}
			if err := db.CreateWorker(ctx, w); err != nil {
				t.Fatal(err)
			}
			return w
		}
		stale, fresh := mk("Stale Worker"), mk("Fresh Worker")
		exec(t, db, "UPDATE workers SET updated_at = ? WHERE id = ?", now.AddDate(-6, 0, 0).UTC(), stale.ID)
		exec(t, db, "UPDATE workers SET updated_at = ? WHERE id = ?", now.AddDate(-4, 0, 0).UTC(), fresh.ID)
		res, err := scheduler.Retention(context.Background(), db, now)
		if err != nil || res.Workers != 1 {
			t.Fatalf("result %+v, %v; want 1 worker", res, err)
		}
		for _, tt := range []struct {
			w      *models.Worker
			erased bool
		}{{stale, true}, {fresh, false}} {
			got, err := db.FindWorkerByID(ctx, tt.w.ID)
			if err != nil {
				t.Fatal(err)
			}
			if erased := got.FullName == store.ErasedName && got.PassportNumber == ""; erased != tt.erased {
				t.Errorf("%s: erased=%v, want %v (%+v)", tt.w.FullName, erased, tt.erased, got)
			}
		}
		if res, err := scheduler.Retention(context.Background(), db, now); err != nil || res.Workers != 0 {
			t.Errorf("second pass: %+v, %v", res, err)
		}
	})
}
