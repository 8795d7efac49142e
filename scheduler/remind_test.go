package scheduler_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
	"gorm.io/gorm"

	pdwmail "github.com/pdw-registry/pdw/mail"
	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
	"github.com/pdw-registry/pdw/scheduler"
)

// received is one message the test SMTP server accepted.
type received struct {
	from, to  string
	messageID string
	subject   string // decoded
	header    mail.Header
	body      string // decoded
	raw       string
}

// smtpSink is an in-process SMTP server (emersion/go-smtp) that records
// what it accepts; it refuses the first failFirst messages with a 451.
type smtpSink struct {
	mu        sync.Mutex
	failFirst int
	attempts  int
	msgs      []received
	addr      string
}

func newSink(t *testing.T, failFirst int) *smtpSink {
	t.Helper()
	k := &smtpSink{failFirst: failFirst}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &sinkSession{k: k}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	k.addr = l.Addr().String()
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { srv.Close() })
	return k
}

func (k *smtpSink) sender(t *testing.T) pdwmail.Sender {
	t.Helper()
	s, err := pdwmail.ParseURL("smtp://" + k.addr)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (k *smtpSink) messages() []received {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]received(nil), k.msgs...)
}

type sinkSession struct {
	k        *smtpSink
	from, to string
}

func (s *sinkSession) Reset()        {}
func (s *sinkSession) Logout() error { return nil }
func (s *sinkSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}
func (s *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = to
	return nil
}
func (s *sinkSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.k.mu.Lock()
	defer s.k.mu.Unlock()
	s.k.attempts++
	if s.k.attempts <= s.k.failFirst {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	body, err := io.ReadAll(m.Body) // net/mail does not decode quoted-printable
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return err
	}
	s.k.msgs = append(s.k.msgs, received{from: s.from, to: s.to, messageID: m.Header.Get("Message-ID"),
		subject: subject, header: m.Header, body: qpDecode(string(body)), raw: string(raw)})
	return nil
}

func qpDecode(s string) string {
	b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(s)))
	if err != nil {
		return s
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

// remindFixture is a worker due for registration, with a slot planned on a
// fake clock, and the reminders that planning inserted.
type remindFixture struct {
	db     *store.DB
	s      *scheduler.Scheduler
	loc    *time.Location
	now    time.Time
	worker *models.Worker
	emp    *models.Employment
	appt   models.Appointment
}

const workerEmail = "ana.private@example.org"

func newRemindFixture(t *testing.T, db *store.DB, consent bool, languages ...string) *remindFixture {
	t.Helper()
	loc := zurich(t)
	db.Calendar = models.DefaultCalendar(loc)
	db.Calendar.Languages = []string{"en", "fr"}
	// Monday 30 November 2026, 07:00 in Zurich: the arrival day.
	now := time.Date(2026, 11, 30, 7, 0, 0, 0, loc)
	db.Now = func() time.Time { return now }
	s, err := scheduler.New(db, scheduler.Config{TestOnly: true, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	h := storetest.NewHousehold(t, db)
	active := models.StatusActive
	e := h.Employment(t, storetest.Date("2026-11-30"), models.EmploymentUpdate{Status: &active, ArrivalDate: datep("2026-11-30")}, languages...)
	email, phone := workerEmail, "+41 79 555 01 02"
	w, err := db.UpdateWorker(storetest.SysCtx(), e.WorkerID, models.WorkerUpdate{Email: &email, Phone: &phone, ContactConsent: &consent,
		FullName: ptr("Ana Reyes")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scheduler.Plan(context.Background(), db, now); err != nil {
		t.Fatal(err)
	}
	as := all(t, db, models.AppointmentFilter{EmploymentID: e.ID})
	if len(as) != 1 || !as[0].Placed() {
		t.Fatalf("appointments after planning: %+v; want one placed registration", as)
	}
	return &remindFixture{db: db, s: s, loc: loc, now: now, worker: w, emp: e, appt: as[0]}
}

func ptr[T any](v T) *T { return &v }

// jobs lists the reminder jobs in the queue.
func (f *remindFixture) jobs(t *testing.T) []*rivertype.JobRow {
	t.Helper()
	res, err := f.s.Client().JobList(context.Background(), river.NewJobListParams().Kinds("remind").First(1000))
	if err != nil {
		t.Fatal(err)
	}
	return res.Jobs
}

func args(t *testing.T, j *rivertype.JobRow) scheduler.ReminderArgs {
	t.Helper()
	var a scheduler.ReminderArgs
	if err := json.Unmarshal(j.EncodedArgs, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestReminders_ScheduledSentInLanguage: planning a slot inserts one
// reminder per lead time and recipient, to run lead days before the slot
// (the 7-day one, already past, at once); replanning adds none; each
// message goes to its recipient in their language with office times, the
// worker's to the worker's own address, the mission's with logistics only.
func TestReminders_ScheduledSentInLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRemindFixture(t, db, true, "fr", "tl")
		start := f.appt.StartsAt.In(f.loc)
		if want := time.Date(2026, 12, 1, 9, 0, 0, 0, f.loc); !start.Equal(want) {
			t.Fatalf("slot %s, want %s", start, want)
		}
		jobs := f.jobs(t)
		// Leads 7 and 1 (Swiss preset): the 1-day reminder runs Monday 09:00,
		// within a day, so the past 7-day one is not sent at all.
		if len(jobs) != 2 {
			t.Fatalf("%d reminder jobs, want 2 (worker and mission, lead 1): %v", len(jobs), jobs)
		}
		for _, j := range jobs {
			a := args(t, j)
			if a.LeadDays != 1 || !j.ScheduledAt.Equal(start.AddDate(0, 0, -1)) || a.AppointmentID != f.appt.ID {
				t.Errorf("job %+v at %s; want lead 1 at %s", a, j.ScheduledAt, start.AddDate(0, 0, -1))
			}
		}
		// Replanning (a pass now, a pass tomorrow) adds none.
		for _, at := range []time.Time{f.now, f.now.Add(26 * time.Hour)} {
			if _, err := scheduler.Plan(context.Background(), db, at); err != nil {
				t.Fatal(err)
			}
		}
		// The same slot handed to the outbox again (a replica, a retried
		// transaction) is skipped by the jobs' uniqueness.
		if err := db.Transaction(context.Background(), func(tx *gorm.DB) error {
			return f.s.Placed(context.Background(), tx, []models.Appointment{f.appt})
		}); err != nil {
			t.Fatal(err)
		}
		if n := len(f.jobs(t)); n != 2 {
			t.Fatalf("%d reminder jobs after replanning, want 2", n)
		}

		sink := newSink(t, 0)
		m := scheduler.Mail{Sender: sink.sender(t), From: "Protocol office <protocol@office.example>", Place: "Protocol office, Rue 1, Bern"}
		sendAt := start.AddDate(0, 0, -1)
		for _, j := range jobs {
			got, err := scheduler.SendReminder(context.Background(), db, m, args(t, j), sendAt, nil)
			if err != nil || got != scheduler.ReminderSent {
				t.Fatalf("send %+v: %q, %v", args(t, j), got, err)
			}
		}
		msgs := sink.messages()
		if len(msgs) != 2 {
			t.Fatalf("%d messages, want 2", len(msgs))
		}
		byTo := map[string]received{}
		for _, msg := range msgs {
			byTo[msg.to] = msg
			if ct := msg.header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if !strings.HasPrefix(msg.messageID, "<") || !strings.HasSuffix(msg.messageID, "@office.example>") {
				t.Errorf("Message-ID %q", msg.messageID)
			}
		}
		wm, ok := byTo[workerEmail]
		if !ok {
			t.Fatalf("no message to the worker's own address: %v", byTo)
		}
		if !strings.Contains(wm.subject, "Rappel") || !strings.Contains(wm.body, "01.12.2026") ||
			!strings.Contains(wm.body, "de 09:00 à 09:45 (Europe/Zurich)") || !strings.Contains(wm.body, "Room 1") {
			t.Errorf("worker's message not in French with office times:\n%s\n%s", wm.subject, wm.body)
		}
		mm, ok := byTo["focal@mission.example"]
		if !ok {
			t.Fatalf("no message to the focal point: %v", byTo)
		}
		if !strings.Contains(mm.body, "2026-12-01") || !strings.Contains(mm.body, "09:00 to 09:45") ||
			!strings.Contains(mm.body, "Ana Reyes") || !strings.Contains(mm.body, "come alone") || !strings.Contains(mm.body, "release") {
			t.Errorf("mission's message lacks the logistics:\n%s", mm.body)
		}
		for _, secret := range []string{workerEmail, "+41 79 555", "interview", "registration", "interpreter", "risk", "note", "tagalog"} {
			if strings.Contains(strings.ToLower(mm.subject+"\n"+mm.body), secret) {
				t.Errorf("mission's message contains %q:\n%s", secret, mm.body)
			}
		}
		if strings.Contains(wm.body, "Ana Reyes") {
			t.Errorf("worker's message names the worker")
		}
		// The same reminder sent again carries the same Message-ID.
		if _, err := scheduler.SendReminder(context.Background(), db, m, args(t, jobs[0]), sendAt, nil); err != nil {
			t.Fatal(err)
		}
		if again := sink.messages()[2]; again.messageID != byTo[again.to].messageID {
			t.Errorf("resent reminder has Message-ID %s, first %s", again.messageID, byTo[again.to].messageID)
		}
	})
}

// TestReminders_NoConsentNoneForWorker: a worker without consent gets no
// reminder job; one who withdraws consent after planning gets nothing.
func TestReminders_NoConsentNoneForWorker(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRemindFixture(t, db, false, "en")
		for _, j := range f.jobs(t) {
			if a := args(t, j); a.Recipient != models.RecipientMission {
				t.Errorf("reminder job for %s without the worker's consent", a.Recipient)
			}
		}
		// Consent withdrawn after a worker reminder was queued: nothing sent.
		sink := newSink(t, 0)
		m := scheduler.Mail{Sender: sink.sender(t), From: "protocol@office.example"}
		a := scheduler.ReminderArgs{AppointmentID: f.appt.ID, Recipient: models.RecipientWorker, LeadDays: 1, StartsAt: *f.appt.StartsAt}
		got, err := scheduler.SendReminder(context.Background(), db, m, a, f.now, nil)
		if err != nil || got != scheduler.ReminderNoRoute {
			t.Fatalf("send without consent: %q, %v; want %q", got, err, scheduler.ReminderNoRoute)
		}
		if n := len(sink.messages()); n != 0 {
			t.Fatalf("%d messages sent without consent", n)
		}
	})
}

// TestReminders_StaleNotSent: a cancelled appointment's and a moved
// appointment's reminders send nothing; nor does one after the start.
func TestReminders_StaleNotSent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRemindFixture(t, db, true, "en")
		sink := newSink(t, 0)
		m := scheduler.Mail{Sender: sink.sender(t), From: "protocol@office.example"}
		a := scheduler.ReminderArgs{AppointmentID: f.appt.ID, Recipient: models.RecipientWorker, LeadDays: 1, StartsAt: *f.appt.StartsAt}
		send := func(a scheduler.ReminderArgs, now time.Time) string {
			t.Helper()
			got, err := scheduler.SendReminder(context.Background(), db, m, a, now, nil)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := send(a, f.appt.StartsAt.Add(time.Minute)); got != scheduler.ReminderStale {
			t.Errorf("after the start: %q, want stale", got)
		}
		moved := a
		moved.StartsAt = a.StartsAt.Add(time.Hour)
		if got := send(moved, f.now); got != scheduler.ReminderStale {
			t.Errorf("for another slot: %q, want stale", got)
		}
		if _, _, err := db.RecordOutcome(officer(), f.appt.ID, models.OutcomeInput{Outcome: models.AppointmentCancelled}); err != nil {
			t.Fatal(err)
		}
		if got := send(a, f.now); got != scheduler.ReminderStale {
			t.Errorf("cancelled: %q, want stale", got)
		}
		if n := len(sink.messages()); n != 0 {
			t.Fatalf("%d stale messages sent", n)
		}
	})
}

// TestReminders_SkippedWithoutSMTP: without a server the reminder is kept
// (ErrSkipped, which the worker turns into a snooze) and the log says so
// without personal data.
func TestReminders_SkippedWithoutSMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRemindFixture(t, db, true, "en")
		var logs bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logs, nil))
		for _, j := range f.jobs(t) {
			_, err := scheduler.SendReminder(context.Background(), db, scheduler.Mail{}, args(t, j), f.now, log)
			if !errors.Is(err, scheduler.ErrSkipped) {
				t.Fatalf("without SMTP: %v, want ErrSkipped", err)
			}
		}
		out := logs.String()
		if !strings.Contains(out, "skipped") {
			t.Errorf("log does not say skipped: %s", out)
		}
		for _, personal := range []string{workerEmail, "Ana", "focal@", "+41"} {
			if strings.Contains(out, personal) {
				t.Errorf("log contains personal data %q: %s", personal, out)
			}
		}
	})
}

// TestReminders_River runs the reminders end to end on a real River
// client: the SMTP server refuses the first two messages, River retries
// them, and each reminder arrives exactly once.
func TestReminders_River(t *testing.T) {
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
			loc := zurich(t)
			cal := models.DefaultCalendar(loc)
			hours, err := models.ParseOfficeHours("mon-sun 00:00-23:59")
			if err != nil {
				t.Fatal(err)
			}
			cal.Hours = hours
			db.Calendar = cal
			sink := newSink(t, 2)
			s, err := scheduler.New(db, scheduler.Config{DatabaseURL: url, TestOnly: true,
				Mail: scheduler.Mail{Sender: sink.sender(t), From: "protocol@office.example",
					Retry: func(int) time.Duration { return 50 * time.Millisecond }}})
			if err != nil {
				t.Fatal(err)
			}
			// Real time: the slot is tomorrow from midnight on, so the
			// 1-day reminder is due at once.
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
			defer func() {
				stopCtx, stop := context.WithTimeout(ctx, 10*time.Second)
				defer stop()
				_ = s.Stop(stopCtx)
			}()
			completed, failed := 0, 0
			deadline := time.After(40 * time.Second)
			for completed < 2 {
				select {
				case ev := <-events:
					if ev.Job.Kind != "remind" {
						continue
					}
					if ev.Kind == river.EventKindJobCompleted {
						completed++
					} else {
						failed++
					}
				case <-deadline:
					t.Fatalf("reminders completed within 40 s: %d (failed attempts %d); want 2", completed, failed)
				}
			}
			if failed != 2 {
				t.Errorf("%d failed attempts, want 2 (the server refused two)", failed)
			}
			time.Sleep(300 * time.Millisecond) // nothing more arrives
			seen := map[string]int{}
			for _, m := range sink.messages() {
				seen[m.messageID]++
			}
			if len(seen) != 2 {
				t.Errorf("%d distinct messages arrived, want 2: %v", len(seen), seen)
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("message %s arrived %d times", id, n)
				}
			}
		})
	}
}

// TestReminders_ConcurrentReplicas plans on PostgreSQL from three
// separate pools at once, each with its own River client as the outbox,
// three passes each: every appointment is created once and its reminders
// are queued once (issue 4's acceptance test).
func TestReminders_ConcurrentReplicas(t *testing.T) {
	dbs := openPools(t, "postgres", 3)
	ctx := context.Background()
	for _, db := range dbs {
		if _, err := scheduler.New(db, scheduler.Config{TestOnly: true, Now: func() time.Time { return storetest.Now }}); err != nil {
			t.Fatal(err)
		}
	}
	h := storetest.NewHousehold(t, dbs[0])
	active, yes := models.StatusActive, true
	const n = 20
	for i := 0; i < n; i++ {
		arrival := date("2026-11-02").AddDate(0, 0, i%10)
		e := h.Employment(t, date("2026-10-01"), models.EmploymentUpdate{Status: &active, ArrivalDate: &arrival}, "tl")
		email := "w" + e.ID + "@example.org"
		if _, err := dbs[0].UpdateWorker(storetest.SysCtx(), e.WorkerID, models.WorkerUpdate{Email: &email, ContactConsent: &yes}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for _, db := range dbs {
		for pass := 0; pass < 3; pass++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := scheduler.Plan(ctx, db, storetest.Now); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	count := func(q string) int64 {
		var c int64
		if err := dbs[1].Transaction(ctx, func(tx *gorm.DB) error { return tx.Raw(q).Scan(&c).Error }); err != nil {
			t.Fatal(err)
		}
		return c
	}
	if got := count("SELECT COUNT(*) FROM appointments"); got != n {
		t.Errorf("%d appointments, want %d", got, n)
	}
	if got := count(`SELECT COUNT(*) FROM (SELECT employment_id, kind, window_start FROM appointments
		GROUP BY employment_id, kind, window_start HAVING COUNT(*) > 1) d`); got != 0 {
		t.Errorf("%d duplicated appointments", got)
	}
	placed := count("SELECT COUNT(*) FROM appointments WHERE starts_at IS NOT NULL")
	jobs := count("SELECT COUNT(*) FROM river_job WHERE kind = 'remind'")
	if placed == 0 || jobs < 2*placed {
		t.Errorf("%d reminders for %d placed appointments; want at least one each for worker and mission", jobs, placed)
	}
	if got := count(`SELECT COUNT(*) FROM (SELECT args FROM river_job WHERE kind = 'remind'
		GROUP BY args HAVING COUNT(*) > 1) d`); got != 0 {
		t.Errorf("%d duplicated reminders", got)
	}
}

// TestReminderJobs_LeadTimes: which reminders a new slot queues, and when.
func TestReminderJobs_LeadTimes(t *testing.T) {
	loc := zurich(t)
	now := time.Date(2026, 11, 30, 10, 0, 0, 0, loc)
	target := map[string]store.ReminderTarget{"e": {Leads: models.IntList{7, 1}, WorkerReachable: true}}
	tests := []struct {
		name  string
		start time.Time
		want  map[int]time.Time // lead -> run at
	}{
		{"ten days ahead: both at their time", now.AddDate(0, 0, 10),
			map[int]time.Time{7: now.AddDate(0, 0, 3), 1: now.AddDate(0, 0, 9)}},
		{"three days ahead: the 7-day one at once", now.AddDate(0, 0, 3),
			map[int]time.Time{7: now, 1: now.AddDate(0, 0, 2)}},
		{"in 30 hours: the 1-day one within a day, the past one dropped", now.Add(30 * time.Hour),
			map[int]time.Time{1: now.Add(6 * time.Hour)}},
		{"in 12 hours: only the shortest past one, at once", now.Add(12 * time.Hour), map[int]time.Time{1: now}},
		{"started: none", now.Add(-time.Minute), map[int]time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			end := tt.start.Add(45 * time.Minute)
			a := models.Appointment{ID: "a", EmploymentID: "e", Status: models.AppointmentScheduled, StartsAt: &tt.start, EndsAt: &end}
			got := map[int]time.Time{}
			for _, p := range scheduler.ReminderJobs([]models.Appointment{a}, target, now, loc, 3) {
				args := p.Args.(scheduler.ReminderArgs)
				if args.Recipient != models.RecipientWorker || !args.StartsAt.Equal(tt.start) || !p.InsertOpts.UniqueOpts.ByArgs {
					t.Errorf("job %+v %+v", args, p.InsertOpts)
				}
				got[args.LeadDays] = p.InsertOpts.ScheduledAt
			}
			if len(got) != len(tt.want) {
				t.Fatalf("leads %v, want %v", got, tt.want)
			}
			for lead, at := range tt.want {
				if !got[lead].Equal(at) {
					t.Errorf("lead %d at %s, want %s", lead, got[lead], at)
				}
			}
		})
	}
	// Nobody reachable: nothing queued.
	unreachable := map[string]store.ReminderTarget{"e": {Leads: models.IntList{7, 1}}}
	start := now.AddDate(0, 0, 10)
	if jobs := scheduler.ReminderJobs([]models.Appointment{{ID: "a", EmploymentID: "e", StartsAt: &start}}, unreachable, now, loc, 3); len(jobs) != 0 {
		t.Errorf("%d reminders for nobody reachable", len(jobs))
	}
}

// TestReminders_MissionInItsLanguage: the focal point's reminder is in the
// mission's language, whatever the office's or the worker's.
func TestReminders_MissionInItsLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newRemindFixture(t, db, false, "tl", "en")
		fr := "fr"
		if _, err := db.UpdateMission(storetest.SysCtx(), f.emp.MissionID, models.MissionUpdate{Language: &fr}); err != nil {
			t.Fatal(err)
		}
		jobs := f.jobs(t)
		if len(jobs) != 1 {
			t.Fatalf("%d reminder jobs, want the mission's only (no consent)", len(jobs))
		}
		sink := newSink(t, 0)
		m := scheduler.Mail{Sender: sink.sender(t), From: "protocol@office.example", Place: "Protocol office"}
		start := f.appt.StartsAt.In(f.loc)
		if got, err := scheduler.SendReminder(context.Background(), db, m, args(t, jobs[0]), start.AddDate(0, 0, -1), nil); err != nil || got != scheduler.ReminderSent {
			t.Fatalf("send: %q %v", got, err)
		}
		msg := sink.messages()[0]
		if !strings.Contains(msg.subject, "Rendez-vous") || !strings.Contains(msg.body, "doit venir seul") {
			t.Errorf("mission's reminder not in French:\n%s\n%s", msg.subject, msg.body)
		}
	})
}
