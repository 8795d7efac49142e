package scheduler_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
	"github.com/pdw-registry/pdw/scheduler"
)

var (
	date  = storetest.Date
	datep = storetest.DateP
)

func zurich(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	return loc
}

// officer is the context of a protocol officer.
func officer() context.Context {
	return models.WithActor(context.Background(), models.Actor{UserID: "officer-1", Role: models.RoleOfficer})
}

// all returns every appointment matching f, across pages.
func all(t testing.TB, db *store.DB, f models.AppointmentFilter) []models.Appointment {
	t.Helper()
	var out []models.Appointment
	f.Limit = models.MaxPageLimit
	for {
		page, next, err := db.FindAppointments(storetest.SysCtx(), f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page...)
		if next == "" {
			return out
		}
		f.After = next
	}
}

// checkCalendar fails for any placed appointment outside the office's hours,
// on a closed day, outside its window, or in a room already taken.
func checkCalendar(t *testing.T, cal *models.Calendar, as []models.Appointment) {
	t.Helper()
	taken := map[string]string{}
	for _, a := range as {
		if !a.Placed() {
			continue
		}
		start, end := a.StartsAt.In(cal.Location), a.EndsAt.In(cal.Location)
		day := models.DateOf(start)
		open := false
		for _, s := range cal.Slots(day) {
			open = open || s.Equal(start)
		}
		if !open || end.Sub(start) != cal.Slot {
			t.Errorf("%s %s at %s-%s: not one of the office's slots", a.Kind, a.ID, start, end.Format("15:04"))
		}
		if day.Before(a.WindowStart) || day.After(a.WindowEnd) {
			t.Errorf("%s %s on %s: outside its window %s..%s", a.Kind, a.ID, day, a.WindowStart, a.WindowEnd)
		}
		key := a.Room + "@" + start.String()
		if other, dup := taken[key]; dup && a.Status != models.AppointmentCancelled {
			t.Errorf("%s and %s share %s", other, a.ID, key)
		}
		taken[key] = a.ID
	}
}

// TestPlan_YearOfLifeCycle lives through an employment day by day with a
// fake clock, from before the worker's arrival to after the departure: the
// planner runs every morning (twice, to show it is idempotent), the sweep
// too, and officers record every appointment as attended at the end of its
// day; the ID card is issued at registration and renewed at the renewal.
func TestPlan_YearOfLifeCycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		loc := zurich(t)
		cal := models.DefaultCalendar(loc)
		cal.Closed = []models.Date{date("2026-11-02"), date("2026-12-25"), date("2027-12-31")}
		db.Calendar = cal
		at := func(day models.Date, hour int) time.Time {
			return time.Date(day.Year, day.Month, day.Day, hour, 0, 0, 0, loc)
		}
		first := date("2026-10-26")
		db.Now = func() time.Time { return at(first, 7) }

		h := storetest.NewHousehold(t, db)
		active := models.StatusActive
		// The mission announces the arrival (Monday 2 November, a closed day) in advance.
		e := h.Employment(t, date("2026-11-01"), models.EmploymentUpdate{Status: &active, ArrivalDate: datep("2026-11-02")}, "tl", "en")
		policy, err := db.FindPolicyByID(storetest.SysCtx(), e.PolicyID)
		if err != nil {
			t.Fatal(err)
		}

		update := func(upd models.EmploymentUpdate) {
			t.Helper()
			if _, err := db.UpdateEmployment(storetest.SysCtx(), e.ID, upd); err != nil {
				t.Fatal(err)
			}
		}
		var registeredOn models.Date
		for day := first; !day.After(date("2028-01-31")); day = day.AddDate(0, 0, 1) {
			morning := at(day, 7)
			db.Now = func() time.Time { return morning }
			if day == date("2027-12-01") { // the mission reports the departure
				update(models.EmploymentUpdate{DepartureDate: datep("2028-01-14")})
			}
			if day == date("2028-01-15") {
				ended := models.StatusEnded
				update(models.EmploymentUpdate{Status: &ended, EndDate: datep("2028-01-14"), ExitPackWaiver: new("The test needs no exit evidence.")})
			}
			res, err := scheduler.Plan(context.Background(), db, morning)
			if err != nil {
				t.Fatalf("%s: plan: %v", day, err)
			}
			if len(res.Unplaceable) > 0 {
				t.Errorf("%s: unplaceable %+v", day, res.Unplaceable)
			}
			again, err := scheduler.Plan(context.Background(), db, morning)
			if err != nil || again.Created != 0 {
				t.Errorf("%s: second pass created %d (%v), want 0", day, again.Created, err)
			}
			if res, err := scheduler.Sweep(context.Background(), db, morning); err != nil || res.Missed != 0 {
				t.Errorf("%s: sweep marked %d missed (%v), want none (all attended)", day, res.Missed, err)
			}

			evening := at(day, 18)
			db.Now = func() time.Time { return evening }
			for _, a := range all(t, db, models.AppointmentFilter{EmploymentID: e.ID, Status: models.AppointmentScheduled}) {
				if !a.Placed() || a.EndsAt.After(evening) {
					continue
				}
				if _, _, err := db.RecordOutcome(officer(), a.ID, models.OutcomeInput{Outcome: models.AppointmentAttended}); err != nil {
					t.Fatalf("%s: outcome of %s: %v", day, a.Kind, err)
				}
				switch a.Kind {
				case models.KindRegistration: // the ID card is issued at registration
					registeredOn = day
					update(models.EmploymentUpdate{IDCardNumber: new("CH-PDW-1"),
						IDCardExpiry: new(day.AddDate(0, policy.IDCardValidityMonths, 0))})
				case models.KindRenewal:
					cur, err := db.FindEmploymentByID(storetest.SysCtx(), e.ID)
					if err != nil {
						t.Fatal(err)
					}
					update(models.EmploymentUpdate{IDCardExpiry: new(cur.IDCardExpiry.AddDate(0, policy.IDCardValidityMonths, 0))})
				}
			}
		}

		as := all(t, db, models.AppointmentFilter{EmploymentID: e.ID})
		checkCalendar(t, cal, as)
		byKind := map[string][]models.Appointment{}
		for _, a := range as {
			byKind[a.Kind] = append(byKind[a.Kind], a)
			if a.Status != models.AppointmentAttended {
				t.Errorf("%s on %v: status %s, want attended", a.Kind, a.StartsAt, a.Status)
			}
		}
		one := func(kind string) models.Appointment {
			t.Helper()
			if len(byKind[kind]) != 1 {
				t.Fatalf("%d %s appointments, want 1: %+v", len(byKind[kind]), kind, byKind[kind])
			}
			return byKind[kind][0]
		}
		localDay := func(a models.Appointment) models.Date { return models.DateOf(a.StartsAt.In(loc)) }

		// Registration inside the deadline, on the first open day after arrival.
		reg := one(models.KindRegistration)
		if reg.WindowStart != date("2026-11-02") || reg.WindowEnd != date("2026-11-16") {
			t.Errorf("registration window %s..%s, want 2026-11-02..2026-11-16 (14 days)", reg.WindowStart, reg.WindowEnd)
		}
		if !reg.StartsAt.Equal(at(date("2026-11-03"), 9)) || registeredOn != date("2026-11-03") {
			t.Errorf("registration at %v, want 2026-11-03 09:00 (the 2nd is closed)", reg.StartsAt.In(loc))
		}
		// The check-in falls due a year after the registration, and takes place before that.
		ci := one(models.KindCheckin)
		if ci.WindowEnd != date("2027-11-03") || localDay(ci).After(ci.WindowEnd) || localDay(ci).Before(date("2027-10-04")) {
			t.Errorf("check-in on %s, window %s..%s; want due 2027-11-03, within the 30 days before", localDay(ci), ci.WindowStart, ci.WindowEnd)
		}
		// The renewal takes place in the 60 days before the card expires.
		ren := one(models.KindRenewal)
		if ren.WindowEnd != date("2027-11-03") || ren.WindowStart != date("2027-09-04") || !localDay(ren).Before(date("2027-11-03")) {
			t.Errorf("renewal on %s, window %s..%s; want before the expiry 2027-11-03", localDay(ren), ren.WindowStart, ren.WindowEnd)
		}
		// The exit interview precedes the departure (the 31st is closed).
		exit := one(models.KindExit)
		if exit.WindowEnd != date("2028-01-14") || !exit.StartsAt.Equal(at(date("2028-01-03"), 9)) {
			t.Errorf("exit at %v, window %s..%s; want 2028-01-03 09:00 before the departure on 2028-01-14",
				exit.StartsAt.In(loc), exit.WindowStart, exit.WindowEnd)
		}
		if len(as) != 4 {
			t.Errorf("%d appointments in all, want registration, check-in, renewal and exit (none after the departure)", len(as))
		}
	})
}

// TestPlan_OfficeCalendar fills a small office: two rooms, a morning of two
// 45-minute slots, a closed Wednesday. Forty arrivals on one day get the
// earliest free slots inside their 14-day windows; those that do not fit
// are created without a slot and reported, never placed after the window.
func TestPlan_OfficeCalendar(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		loc := zurich(t)
		cal := models.DefaultCalendar(loc)
		hours, err := models.ParseOfficeHours("mon-fri 09:00-10:30")
		if err != nil {
			t.Fatal(err)
		}
		cal.Hours, cal.Rooms, cal.Closed = hours, []string{"A", "B"}, []models.Date{date("2026-11-04")}
		cal.Languages = []string{"en", "tl"}
		db.Calendar = cal
		h := storetest.NewHousehold(t, db)
		active := models.StatusActive
		const n = 40
		for i := 0; i < n; i++ {
			h.Employment(t, date("2026-10-01"), models.EmploymentUpdate{Status: &active, ArrivalDate: datep("2026-11-02")}, "tl")
		}

		now := time.Date(2026, 11, 2, 7, 0, 0, 0, loc)
		res, err := scheduler.Plan(context.Background(), db, now)
		if err != nil {
			t.Fatal(err)
		}
		// Open days in the window after today: 3, 5, 6, 9-13, 16 November:
		// 9 days x 2 slots x 2 rooms = 36 places for 40 registrations.
		if res.Employments != n || res.Created != n || res.Placed != 36 || len(res.Unplaceable) != 4 {
			t.Fatalf("plan = %d examined, %d created, %d placed, %d unplaceable; want %d, %d, 36, 4",
				res.Employments, res.Created, res.Placed, len(res.Unplaceable), n, n)
		}
		as := all(t, db, models.AppointmentFilter{})
		checkCalendar(t, cal, as)
		unplaced := map[string]bool{}
		for _, u := range res.Unplaceable {
			unplaced[u.AppointmentID] = true
			if u.Kind != models.KindRegistration || u.WindowEnd != date("2026-11-16") {
				t.Errorf("unplaceable %+v", u)
			}
		}
		perDay := map[models.Date]int{}
		for _, a := range as {
			if a.Placed() == unplaced[a.ID] {
				t.Errorf("appointment %s placed=%v, reported unplaceable=%v", a.ID, a.Placed(), unplaced[a.ID])
			}
			if a.Placed() {
				perDay[models.DateOf(a.StartsAt.In(loc))]++
			}
			if a.Language != "tl" || a.InterpreterNeeded {
				t.Errorf("language %q, interpreter %v; want tl, none needed (the office speaks it)", a.Language, a.InterpreterNeeded)
			}
		}
		for _, d := range []string{"2026-11-03", "2026-11-05", "2026-11-06", "2026-11-09", "2026-11-16"} {
			if perDay[date(d)] != 4 {
				t.Errorf("%s holds %d appointments, want 4 (2 slots x 2 rooms)", d, perDay[date(d)])
			}
		}
		if perDay[date("2026-11-02")]+perDay[date("2026-11-04")] != 0 {
			t.Errorf("appointments today or on the closed day: %v", perDay)
		}
		if got := all(t, db, models.AppointmentFilter{Unplaced: true}); len(got) != 4 {
			t.Errorf("officers' unplaceable list has %d, want 4", len(got))
		}
		if again, err := scheduler.Plan(context.Background(), db, now.Add(time.Hour)); err != nil || again.Created != 0 {
			t.Errorf("second pass = %+v, %v; want nothing created", again, err)
		}
	})
}

// openPools opens n separate pools (as n replicas would) on the fresh
// database of the dialect, clocks fixed at storetest.Now, and migrates it
// through the first.
func openPools(t *testing.T, dialect string, n int) []*store.DB {
	t.Helper()
	url := storetest.URL(t, dialect)
	ctx := context.Background()
	dbs := make([]*store.DB, n)
	for i := range dbs {
		db, err := store.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		db.Now = func() time.Time { return storetest.Now }
		dbs[i] = db
	}
	if _, err := dbs[0].Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return dbs
}

// TestPlan_ConcurrentReplicas runs the planner on PostgreSQL from three
// separate pools at once, three passes each, as three replicas would: no
// appointment is created twice and no room slot is booked twice.
func TestPlan_ConcurrentReplicas(t *testing.T) {
	dbs := openPools(t, "postgres", 3)
	ctx := context.Background()
	h := storetest.NewHousehold(t, dbs[0])
	active := models.StatusActive
	const n = 30
	for i := 0; i < n; i++ {
		arrival := date("2026-11-02").AddDate(0, 0, i%10)
		h.Employment(t, date("2026-10-01"), models.EmploymentUpdate{Status: &active, ArrivalDate: &arrival}, "tl")
	}

	now := storetest.Now
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		created int
	)
	for _, db := range dbs {
		for pass := 0; pass < 3; pass++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := scheduler.Plan(ctx, db, now)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				created += res.Created
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	if created != n {
		t.Errorf("passes reported %d appointments created, want %d", created, n)
	}
	count := func(q string) int64 {
		var c int64
		err := dbs[1].Transaction(ctx, func(tx *gorm.DB) error { return tx.Raw(q).Scan(&c).Error })
		if err != nil {
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
	if got := count(`SELECT COUNT(*) FROM (SELECT room, starts_at FROM appointments WHERE starts_at IS NOT NULL
		GROUP BY room, starts_at HAVING COUNT(*) > 1) d`); got != 0 {
		t.Errorf("%d doubly booked room slots", got)
	}
	if got := count(`SELECT COUNT(*) FROM audit_events WHERE object_type = 'appointment' AND action = 'create'`); got != n {
		t.Errorf("%d creations audited, want %d", got, n)
	}
	if brk, _, _, err := dbs[2].VerifyAudit(ctx); err != nil || brk != nil {
		t.Errorf("audit chain after concurrent passes: %v %v", brk, err)
	}
}

func TestParseSpec(t *testing.T) {
	loc := zurich(t)
	for _, tt := range []struct {
		spec   string
		period time.Duration
	}{
		{"*/15 * * * *", 15 * time.Minute},
		{"0 * * * *", time.Hour},
		{"*/1 * * * * *", time.Second},
		{"@daily", 23 * time.Hour}, // the day summer time starts has 23 hours in Zurich
		{"0 9,17 * * mon-fri", 8 * time.Hour},
	} {
		_, period, err := scheduler.ParseSpec(tt.spec, loc)
		if err != nil || period != tt.period {
			t.Errorf("ParseSpec(%q) period = %v, %v; want %v", tt.spec, period, err, tt.period)
		}
	}
	// Read in the office's time zone, unless the spec names its own.
	sched, _, err := scheduler.ParseSpec("0 3 * * *", loc)
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)
	if got := sched.Next(from); !got.Equal(time.Date(2026, 11, 3, 3, 0, 0, 0, loc)) {
		t.Errorf("next 03:00 = %v, want 03:00 in Zurich", got)
	}
	sched, _, _ = scheduler.ParseSpec("CRON_TZ=UTC 0 3 * * *", loc)
	if got := sched.Next(from); !got.Equal(time.Date(2026, 11, 3, 3, 0, 0, 0, time.UTC)) {
		t.Errorf("next CRON_TZ=UTC 03:00 = %v", got)
	}
	for _, bad := range []string{"", "every day", "61 * * * *", "* * * *", "0 0 30 2 *"} {
		if _, _, err := scheduler.ParseSpec(bad, loc); err == nil {
			t.Errorf("ParseSpec(%q) accepted", bad)
		}
	}
}
