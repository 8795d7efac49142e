package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// reportData is a known data set for the report over the first half of
// 2026: mission A with seven employments running in the period (and one
// starting the day after it), mission B with a single worker. Every
// figure the report shows is worked out by hand in wantA, wantB and
// wantAll below, with period boundaries on both sides.
type reportData struct {
	db         *store.DB
	a, b       *models.Mission
	ea1, ea2   *models.Employer
	eb         *models.Employer
	emp        map[string]*models.Employment
	policy2    *models.Policy
	from, to   models.Date
	workerLang map[string][]string
}

var reportPeriod = models.ReportQuery{From: storetest.Date("2026-01-01"), To: storetest.Date("2026-06-30")}

func atTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptrTime(s string) *time.Time { t := atTime(s); return &t }

// clock sets the database's clock for what follows.
func clock(db *store.DB, s string) { t := atTime(s); db.Now = func() time.Time { return t } }

func (d *reportData) employ(t *testing.T, key string, employer *models.Employer, start string, langs []string, upd ...models.EmploymentUpdate) {
	t.Helper()
	ctx := sys()
	dob := storetest.Date("1990-01-01")
	w := &models.Worker{FullName: "Worker " + key, Sex: "f", Nationality: "PH", DateOfBirth: &dob, Languages: langs}
	if err := d.db.CreateWorker(ctx, w); err != nil {
		t.Fatal(err)
	}
	st := storetest.Date(start)
	e, err := d.db.CreateEmployment(ctx, models.EmploymentInput{WorkerID: w.ID, EmployerID: employer.ID, StartDate: &st, Terms: storetest.ValidTerms()})
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	approved := models.StatusApproved
	upd = append([]models.EmploymentUpdate{{Status: &approved}}, upd...)
	for _, u := range upd {
		if e, err = d.db.UpdateEmployment(ctx, e.ID, u); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
	}
	d.emp[key] = e
}

func status(s string) *string { return &s }

func newReportData(t *testing.T, db *store.DB) *reportData {
	t.Helper()
	ctx := sys()
	d := &reportData{db: db, emp: map[string]*models.Employment{}}
	storetest.LoadPreset(t, db, "ch-pheo-2011")
	d.a = &models.Mission{Name: "Embassy A", Kind: "embassy", Country: "PH", FocalPointEmail: "a@m.example"}
	d.b = &models.Mission{Name: "Embassy B", Kind: "embassy", Country: "ID", FocalPointEmail: "b@m.example"}
	for _, m := range []*models.Mission{d.a, d.b} {
		if err := db.CreateMission(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	d.ea1 = &models.Employer{MissionID: d.a.ID, FullName: "Ambassador A", Rank: models.RankHeadOfMission, Immunity: "full"}
	d.ea2 = &models.Employer{MissionID: d.a.ID, FullName: "Diplomat A", Rank: models.RankDiplomat, Immunity: "full"}
	d.eb = &models.Employer{MissionID: d.b.ID, FullName: "Ambassador B", Rank: models.RankHeadOfMission, Immunity: "full"}
	for _, e := range []*models.Employer{d.ea1, d.ea2, d.eb} {
		if err := db.CreateEmployer(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	active := models.EmploymentUpdate{Status: status(models.StatusActive)}
	ended := func(end string) models.EmploymentUpdate {
		waiver := "The test files the exit evidence afterwards."
		return models.EmploymentUpdate{Status: status(models.StatusEnded), EndDate: storetest.DateP(end), DepartureDate: storetest.DateP(end),
			ExitPackWaiver: &waiver}
	}
	arrival := func(s string) models.EmploymentUpdate {
		return models.EmploymentUpdate{ArrivalDate: storetest.DateP(s)}
	}
	tl := []string{"tl", "en"}
	d.employ(t, "A1", d.ea1, "2025-06-01", tl, active, arrival("2025-06-01"))
	d.employ(t, "A2", d.ea1, "2026-03-15", []string{"tl"}, active, arrival("2026-03-20"))
	d.employ(t, "A3", d.ea1, "2026-02-01", []string{"am"}, active, arrival("2026-02-01"))
	d.employ(t, "A4", d.ea1, "2025-01-01", tl, active, ended("2026-06-30")) // exits on the period's last day
	d.employ(t, "A5", d.ea1, "2025-01-01", tl, active, ended("2026-07-01")) // the day after
	d.employ(t, "A6", d.ea1, "2026-07-01", tl, active)                      // starts the day after
	d.employ(t, "A7", d.ea2, "2025-01-01", tl, active)
	d.employ(t, "A8", d.ea1, "2025-01-01", tl, active)
	d.employ(t, "B1", d.eb, "2026-01-01", tl, active, arrival("2026-01-05")) // starts on the first day
	// The diplomat's household gets a second worker behind the quota's back.
	storetest.MustExec(t, db, "UPDATE employments SET employer_id = ? WHERE id = ?", d.ea2.ID, d.emp["A8"].ID)
	// A3's terms fall below the weekly-hours floor.
	storetest.MustExec(t, db, "UPDATE employments SET terms_weekly_hours = 50 WHERE id = ?", d.emp["A3"].ID)

	// A second version of the policy, in force at the period's end.
	d.policy2 = storetest.LoadPreset(t, db, "ch-pheo-2011")

	g := store.GormForTest(db)
	contract := func(emp, policyID, status, lang string, version int, parties ...string) {
		t.Helper()
		e := d.emp[emp]
		c := &models.ContractVersion{ID: models.NewID(), EmploymentID: e.ID, MissionID: e.MissionID, PolicyID: policyID,
			Version: version, Status: status, HostLanguage: "fr", WorkerLanguage: lang, Terms: e.Terms,
			HostTextVersion: "1", WorkerTextVersion: "1", SHA256: "x", SizeBytes: 1, VerifyCode: models.NewID()[24:], IssuedAt: storetest.Now}
		if err := g.Create(c).Error; err != nil {
			t.Fatal(err)
		}
		for _, party := range parties {
			s := &models.ContractSignature{ID: models.NewID(), ContractID: c.ID, Party: party, SignedOn: storetest.Date("2026-01-02"), Place: "Bern", RecordedBy: "t"}
			if err := g.Create(s).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
	p1 := d.emp["A1"].PolicyID
	contract("A1", p1, models.ContractSuperseded, "tl", 1)
	contract("A1", d.policy2.ID, models.ContractCurrent, "tl", 2, models.PartyEmployer, models.PartyWorker)
	contract("A2", p1, models.ContractCurrent, "fr", 1, models.PartyEmployer)
	contract("B1", p1, models.ContractCurrent, "tl", 1, models.PartyEmployer, models.PartyWorker)
	contract("A6", p1, models.ContractCurrent, "tl", 1, models.PartyEmployer, models.PartyWorker) // not active in the period

	appt := func(emp, kind, status, wstart, wend, starts, lang string) string {
		t.Helper()
		e := d.emp[emp]
		a := &models.Appointment{ID: models.NewID(), EmploymentID: e.ID, MissionID: e.MissionID, Kind: kind, Status: status,
			WindowStart: storetest.Date(wstart), WindowEnd: storetest.Date(wend), Language: lang}
		if starts != "" {
			a.StartsAt, a.EndsAt, a.Room = ptrTime(starts), ptrTime(starts), "Room "+models.NewID()
		}
		if err := g.Create(a).Error; err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	// Registrations: A2 after 10 days (on time), A3 after 20 (late), B1 after 4.
	appt("A2", models.KindRegistration, models.AppointmentAttended, "2026-03-20", "2026-04-03", "2026-03-30T09:00:00Z", "tl")
	appt("A3", models.KindRegistration, models.AppointmentAttended, "2026-02-01", "2026-02-15", "2026-02-21T09:00:00Z", "am")
	appt("B1", models.KindRegistration, models.AppointmentAttended, "2026-01-05", "2026-01-19", "2026-01-09T09:00:00Z", "tl")
	// Group briefings: on the period's last day (in), the next day (out).
	appt("A1", models.KindBriefing, models.AppointmentAttended, "2026-06-30", "2026-06-30", "2026-06-30T15:00:00Z", "en")
	appt("A1", models.KindBriefing, models.AppointmentAttended, "2026-07-01", "2026-07-01", "2026-07-01T08:00:00Z", "en")
	// Check-ins due in the period by their window's end.
	a1Checkin := appt("A1", models.KindCheckin, models.AppointmentAttended, "2026-01-01", "2026-01-31", "2026-01-20T09:00:00Z", "tl")
	a1Renewal := appt("A1", models.KindRenewal, models.AppointmentAttended, "2026-06-01", "2026-06-30", "2026-07-02T09:00:00Z", "tl") // late
	appt("A3", models.KindCheckin, models.AppointmentMissed, "2026-04-01", "2026-04-30", "2026-04-20T09:00:00Z", "am")
	appt("A5", models.KindCheckin, models.AppointmentEmployerPresent, "2026-05-01", "2026-05-15", "2026-05-10T09:00:00Z", "tl")
	appt("A7", models.KindCheckin, models.AppointmentScheduled, "2026-06-01", "2026-06-15", "", "tl")
	a8Checkin := appt("A8", models.KindCheckin, models.AppointmentAttended, "2026-06-01", "2026-07-01", "2026-06-20T09:00:00Z", "tl") // due after
	appt("A2", models.KindCheckin, models.AppointmentCancelled, "2026-03-01", "2026-03-31", "", "tl")
	b1Checkin := appt("B1", models.KindCheckin, models.AppointmentAttended, "2026-02-01", "2026-02-28", "2026-02-10T09:00:00Z", "tl")

	// Interviews by risk level: two of A's in the period (one after it),
	// one of B's.
	// The indicators each triggered are kept in clear beside it.
	interview := func(apptID, emp, risk, when string, indicators ...string) {
		t.Helper()
		e := d.emp[emp]
		id := models.NewID()
		storetest.MustExec(t, db, `INSERT INTO interviews (id, appointment_id, employment_id, mission_id, checklist_version,
			worker_seen_alone, answers, indicators, risk_level, created_at, updated_at) VALUES (?, ?, ?, ?, '1', ?, 'x', 'x', ?, ?, ?)`,
			id, apptID, e.ID, e.MissionID, true, risk, atTime(when), atTime(when))
		for _, k := range indicators {
			storetest.MustExec(t, db, `INSERT INTO interview_indicators (interview_id, mission_id, indicator, recorded_at) VALUES (?, ?, ?, ?)`,
				id, e.MissionID, k, atTime(when))
		}
	}
	interview(a1Checkin, "A1", "none", "2026-01-20T10:00:00Z")
	interview(a8Checkin, "A8", "high", "2026-06-20T10:00:00Z", "withholding_of_wages", "isolation")
	interview(a1Renewal, "A1", "medium", "2026-07-02T10:00:00Z", "isolation") // after the period
	interview(b1Checkin, "B1", "critical", "2026-02-10T10:00:00Z", "deception", "isolation")

	// Cases, their indicators and first actions; referrals.
	kase := func(emp, opened, firstAction, closed, indicators string) string {
		t.Helper()
		e := d.emp[emp]
		id := models.NewID()
		var first, done any
		if firstAction != "" {
			first = atTime(firstAction)
		}
		status := "open"
		if closed != "" {
			done, status = atTime(closed), "closed"
		}
		storetest.MustExec(t, db, `INSERT INTO cases (id, employment_id, mission_id, status, priority, source, indicators,
			opened_at, first_action_at, closed_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'normal', 'interview', ?, ?, ?, ?, ?, ?)`,
			id, e.ID, e.MissionID, status, indicators, atTime(opened), first, done, atTime(opened), atTime(opened))
		return id
	}
	case1 := kase("A3", "2026-04-21T09:00:00Z", "2026-04-23T09:00:00Z", "2026-05-01T09:00:00Z", `["withholding_of_wages","isolation"]`)
	kase("A5", "2025-12-01T09:00:00Z", "2025-12-05T09:00:00Z", "", `[]`) // opened before, still open
	case3 := kase("A7", "2026-06-10T00:00:00Z", "2026-06-10T12:00:00Z", "2026-07-05T09:00:00Z", `["isolation"]`)
	caseB := kase("B1", "2026-02-11T09:00:00Z", "2026-02-15T09:00:00Z", "", `["deception"]`)
	org := func(kind string) string {
		id := models.NewID()
		storetest.MustExec(t, db, `INSERT INTO organisations (id, kind, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			id, kind, "Org "+kind, storetest.Now, storetest.Now)
		return id
	}
	ngo, police := org("ngo"), org("police")
	refer := func(caseID, emp, orgID, when string) {
		storetest.MustExec(t, db, `INSERT INTO referrals (id, case_id, employment_id, organisation_id, consent, referred_at, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, models.NewID(), caseID, d.emp[emp].ID, orgID, true, atTime(when), atTime(when))
	}
	refer(case1, "A3", ngo, "2026-04-25T09:00:00Z")
	refer(case3, "A7", police, "2026-06-30T23:00:00Z") // the last hour of the period
	refer(caseB, "B1", ngo, "2026-07-01T00:00:00Z")    // the first instant after it

	evidence := func(emp string, in models.EvidenceInput) {
		t.Helper()
		if _, err := db.CreateEvidence(ctx, d.emp[emp].ID, in); err != nil {
			t.Fatal(err)
		}
	}
	yes, no := true, false
	pay := func(emp, month string, sole *bool) {
		amount := "1200.00"
		evidence(emp, models.EvidenceInput{Kind: models.EvidencePay, Month: month, SoleNameAccount: sole, Amount: &amount})
	}
	pay("A1", "2025-12", &yes) // before the period
	pay("A1", "2026-01", &yes)
	pay("A1", "2026-02", &yes)
	pay("A1", "2026-03", &no)  // not a sole-name account
	pay("A2", "2026-02", &yes) // before A2 started
	pay("A2", "2026-04", &yes)
	pay("A2", "2026-04", &yes) // twice: one month
	pay("B1", "2026-06", &yes)
	insurance := func(emp, until string) {
		evidence(emp, models.EvidenceInput{Kind: models.EvidenceInsurance, Insurance: "health", ValidUntil: storetest.DateP(until)})
	}
	insurance("A1", "2026-05-31") // expired at the period's end
	insurance("A2", "2026-03-01")
	insurance("A2", "2027-01-01") // the newest counts
	insurance("A4", "2026-12-31")
	evidence("A4", models.EvidenceInput{Kind: models.EvidenceFinalPay})
	evidence("A4", models.EvidenceInput{Kind: models.EvidenceReturnTravel})

	// Sanctions: before the period (not counted), in it, and after it.
	sanction := func(when, kind, id, action string) {
		t.Helper()
		clock(db, when)
		if _, err := db.CreateSanction(storetest.SysCtx(), models.SanctionInput{SubjectKind: kind, SubjectID: id, Action: action,
			Reason: "unpaid wages", LegalBasis: "PHEO art. 7"}); err != nil {
			t.Fatal(err)
		}
	}
	refused := func(when string, employer *models.Employer) {
		t.Helper()
		clock(db, when)
		dob := storetest.Date("1990-01-01")
		w := &models.Worker{FullName: "Refused", Sex: "f", Nationality: "PH", DateOfBirth: &dob, Languages: tl}
		if err := db.CreateWorker(ctx, w); err != nil {
			t.Fatal(err)
		}
		st := storetest.Date("2026-08-01")
		_, err := db.CreateEmployment(ctx, models.EmploymentInput{WorkerID: w.ID, EmployerID: employer.ID, StartDate: &st, Terms: storetest.ValidTerms()})
		if models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("notification for a suspended employer: %v, want a conflict", err)
		}
	}
	sanction("2025-12-01T10:00:00Z", models.SubjectEmployer, d.ea1.ID, models.SanctionSuspend)
	refused("2025-12-02T10:00:00Z", d.ea1)
	sanction("2025-12-15T10:00:00Z", models.SubjectEmployer, d.ea1.ID, models.SanctionRestore)
	sanction("2026-03-01T10:00:00Z", models.SubjectEmployer, d.ea2.ID, models.SanctionSuspend)
	refused("2026-03-10T10:00:00Z", d.ea2)
	sanction("2026-04-01T10:00:00Z", models.SubjectEmployer, d.ea2.ID, models.SanctionRestore)
	sanction("2026-05-01T10:00:00Z", models.SubjectMission, d.b.ID, models.SanctionSuspend)
	refused("2026-05-02T10:00:00Z", d.eb)
	sanction("2026-07-15T10:00:00Z", models.SubjectMission, d.b.ID, models.SanctionRestore)
	db.Now = func() time.Time { return storetest.Now }
	return d
}

// reportWant are the exact figures of mission A, mission B and all.
var reportWant = map[string][3]float64{ // metric: A, B, all
	"active":                         {7, 1, 8},
	"entries":                        {2, 1, 3},
	"exits":                          {1, 0, 1},
	"over_quota_households":          {1, 0, 1},
	"over_quota_employments":         {1, 0, 1},
	"with_contract":                  {2, 1, 3},
	"current_policy":                 {1, 0, 1},
	"signed":                         {1, 1, 2},
	"worker_language":                {1, 1, 2},
	"meets_floors":                   {6, 1, 7},
	"pct_with_contract":              {28.6, 100, 37.5},
	"pct_current_policy":             {50, 0, 33.3},
	"pct_signed":                     {50, 100, 66.7},
	"pct_meets_floors":               {85.7, 100, 87.5},
	"arrivals":                       {2, 1, 3},
	"registered":                     {2, 1, 3},
	"registered_on_time":             {1, 1, 2},
	"pct_registered_on_time":         {50, 100, 66.7},
	"median_days_to_registration":    {15, 4, 10},
	"checkins_due":                   {5, 1, 6},
	"checkins_on_time":               {1, 1, 2},
	"checkins_late":                  {1, 0, 1},
	"checkins_missed":                {1, 0, 1},
	"checkins_employer_present":      {1, 0, 1},
	"checkins_open":                  {1, 0, 1},
	"pct_checkins_on_time":           {20, 100, 33.3},
	"employment_months":              {39, 6, 45},
	"months_with_proof":              {3, 1, 4},
	"pct_pay_coverage":               {7.7, 16.7, 8.9},
	"insurance_expired":              {1, 0, 1},
	"insurance_missing":              {4, 1, 5},
	"suspensions":                    {1, 1, 2},
	"restorations":                   {1, 0, 1},
	"suspended_at_end":               {0, 1, 1},
	"refused_notifications":          {1, 1, 2},
	"exits_final_pay":                {1, 0, 1},
	"exits_return_travel":            {1, 0, 1},
	"exits_complete_pack":            {0, 0, 0}, // A4 ended with a waiver (its evidence was filed afterwards)
	"exits_pack_waived":              {1, 0, 1},
	"pct_exits_complete_pack":        {0, -1, 0}, // -1: no value (no exits)
	"briefings":                      {3, 1, 4},
	"language.tl":                    {1, 1, 2},
	"language.am":                    {1, 0, 1},
	"language.en":                    {1, 0, 1},
	"interviews":                     {2, 1, 3},
	"risk.none":                      {1, 0, 1},
	"risk.high":                      {1, 0, 1},
	"risk.critical":                  {0, 1, 1},
	"cases_opened":                   {2, 1, 3},
	"cases_closed":                   {1, 0, 1},
	"cases_open_at_end":              {2, 1, 3},
	"median_days_flag_to_action":     {1.3, 4, 2},
	"indicator.isolation":            {1, 1, 2},
	"indicator.withholding_of_wages": {1, 0, 1},
	"indicator.deception":            {0, 1, 1},
	"referrals":                      {2, 0, 2},
	"referral.ngo":                   {1, 0, 1},
	"referral.police":                {1, 0, 1},
}

func reportAs(t *testing.T, db *store.DB, role string, q models.ReportQuery) *models.Report {
	t.Helper()
	ctx := models.WithActor(context.Background(), models.Actor{UserID: "u-" + role, Role: role})
	r, err := db.ComplianceReport(ctx, q)
	if err != nil {
		t.Fatalf("report as %s: %v", role, err)
	}
	return r
}

func checkCell(t *testing.T, what string, c models.Cell, want float64) {
	t.Helper()
	switch {
	case want < 0:
		if !c.Null || c.Hidden {
			t.Errorf("%s = %s, want no value", what, c)
		}
	case c.Hidden || c.Null:
		t.Errorf("%s = %q (hidden %v, null %v), want %v", what, c, c.Hidden, c.Null, want)
	case c.Value != want:
		t.Errorf("%s = %v, want %v", what, c.Value, want)
	}
}

// TestDB_ComplianceReport checks every figure of the known data set, for
// all missions and per mission, on both databases, as an officer.
func TestDB_ComplianceReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newReportData(t, db)
		r := reportAs(t, db, models.RoleOfficer, reportPeriod)
		if r.Suppressed {
			t.Error("an officer's report is suppressed")
		}
		if len(r.Missions) != 2 || r.Missions[0].ID != d.a.ID || r.Missions[1].ID != d.b.ID {
			t.Fatalf("missions = %+v", r.Missions)
		}
		for key, want := range reportWant {
			m := r.Metric(key)
			if m == nil {
				t.Errorf("metric %s missing", key)
				continue
			}
			checkCell(t, key+" for A", m.ByMission[d.a.ID], want[0])
			checkCell(t, key+" for B", m.ByMission[d.b.ID], want[1])
			checkCell(t, key+" for all", m.Total, want[2])
		}
		for _, s := range r.Sections {
			if !s.Available {
				t.Errorf("section %s not available", s.Key)
			}
		}
		if m := r.Metric("risk.medium"); m != nil {
			t.Errorf("an interview after the period counted: %+v", m.Total)
		}

		// One mission's report has the same figures for it.
		q := reportPeriod
		q.MissionID = d.b.ID
		rb := reportAs(t, db, models.RoleOfficer, q)
		if rb.Scope != "Embassy B" || len(rb.Missions) != 1 {
			t.Errorf("scope %q, missions %+v", rb.Scope, rb.Missions)
		}
		for key, want := range reportWant {
			m := rb.Metric(key)
			if m == nil {
				if want[1] != 0 {
					t.Errorf("metric %s missing in B's report", key)
				}
				continue
			}
			checkCell(t, key+" in B's report", m.Total, want[1])
		}
	})
}

// TestDB_ComplianceReportSuppressed checks an auditor's report: mission
// B's single worker is hidden, and so is enough else that no hidden count
// can be computed back; an officer sees the same figures exactly.
func TestDB_ComplianceReportSuppressed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		d := newReportData(t, db)
		q := reportPeriod
		q.MinCell = 5
		r := reportAs(t, db, models.RoleAuditor, q)
		if !r.Suppressed || r.MinCell != 5 {
			t.Fatalf("suppressed %v, min %d", r.Suppressed, r.MinCell)
		}
		active := r.Metric("active")
		if b := active.ByMission[d.b.ID]; !b.Hidden || b.String() != "<5" {
			t.Errorf("B's single worker shown to an auditor as %q", b)
		}
		if a := active.ByMission[d.a.ID]; !a.Hidden {
			t.Errorf("A's 7 shown beside the total 8: B's 1 is recoverable")
		}
		checkCell(t, "total active", active.Total, 8)
		if c := r.Metric("pct_registered_on_time").ByMission[d.b.ID]; !c.Hidden {
			t.Errorf("B's percent over one arrival shown: %s", c)
		}
		if c := r.Metric("median_days_to_registration").ByMission[d.b.ID]; !c.Hidden {
			t.Errorf("B's median over one registration shown: %s", c)
		}

		// B's report alone: the total is B's cell, hidden too.
		q.MissionID = d.b.ID
		rb := reportAs(t, db, models.RoleAuditor, q)
		if c := rb.Metric("active").Total; !c.Hidden {
			t.Errorf("B's single worker shown as the total of its own report: %s", c)
		}
		ro := reportAs(t, db, models.RoleOfficer, q)
		checkCell(t, "B's active for an officer", ro.Metric("active").Total, 1)
	})
}

// TestDB_ComplianceReportRoles: missions may not; bad periods are 400s.
func TestDB_ComplianceReportRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := models.WithActor(context.Background(), models.Actor{UserID: "m", Role: models.RoleMission, MissionID: models.NewID()})
		if _, err := db.ComplianceReport(ctx, reportPeriod); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Errorf("mission: %v, want forbidden", err)
		}
		for _, tt := range []struct {
			name  string
			q     models.ReportQuery
			field string
			code  string
		}{
			{"to before from", models.ReportQuery{From: storetest.Date("2026-02-01"), To: storetest.Date("2026-01-01")}, "to", models.EBADREQUEST},
			{"no from", models.ReportQuery{To: storetest.Date("2026-01-01")}, "from", models.EBADREQUEST},
			{"too long", models.ReportQuery{From: storetest.Date("2000-01-01"), To: storetest.Date("2026-01-01")}, "to", models.EBADREQUEST},
			{"unknown mission", models.ReportQuery{From: storetest.Date("2026-01-01"), To: storetest.Date("2026-01-31"), MissionID: models.NewID()}, "mission_id", models.EINVALID},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.ComplianceReport(sys(), tt.q)
				if models.ErrorCode(err) != tt.code || models.ErrorFields(err)[tt.field] == "" {
					t.Errorf("%v, want %s naming %s", err, tt.code, tt.field)
				}
			})
		}
	})
}

// TestDB_ComplianceReportExitPack: an exit counts as having the complete
// exit evidence pack when the employment ended without a waiver (the
// registry refuses that unless the pack is complete), and as waived when
// an officer ended it without the pack; evidence filed afterwards does
// not turn a waived exit into a complete one.
func TestDB_ComplianceReportExitPack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		ctx := storetest.SysCtx()
		active, ended := models.StatusActive, models.StatusEnded
		clock(db, "2026-04-01T09:00:00Z")
		full := h.Employment(t, storetest.Date("2026-01-05"), models.EmploymentUpdate{Status: &active, ArrivalDate: storetest.DateP("2026-01-05")}, "tl")
		waived := h.Employment(t, storetest.Date("2026-01-05"), models.EmploymentUpdate{Status: &active, ArrivalDate: storetest.DateP("2026-01-05")}, "tl")
		for _, m := range []string{"2026-01", "2026-02", "2026-03"} {
			mustEvidence(t, db, ctx, full.ID, payInput(m, "1200", true))
			mustEvidence(t, db, ctx, full.ID, hoursInput(m, 180))
		}
		for _, ins := range []string{"health", "accident"} {
			mustEvidence(t, db, ctx, full.ID, models.EvidenceInput{Kind: models.EvidenceInsurance, Insurance: ins, ValidUntil: storetest.DateP("2026-12-31")})
		}
		mustEvidence(t, db, ctx, full.ID, models.EvidenceInput{Kind: models.EvidenceFinalPay})
		mustEvidence(t, db, ctx, full.ID, models.EvidenceInput{Kind: models.EvidenceReturnTravel})
		end := models.EmploymentUpdate{Status: &ended, DepartureDate: storetest.DateP("2026-03-31"), EndDate: storetest.DateP("2026-03-31")}
		if _, err := db.UpdateEmployment(ctx, full.ID, end); err != nil {
			t.Fatalf("ending with the complete pack: %v", err)
		}
		if _, err := db.UpdateEmployment(ctx, waived.ID, end); models.ErrorCode(err) != models.ECONFLICT {
			t.Fatalf("ending without the pack: %v, want ECONFLICT", err)
		}
		reason := "The worker left the country at short notice."
		end.ExitPackWaiver = &reason
		if _, err := db.UpdateEmployment(ctx, waived.ID, end); err != nil {
			t.Fatal(err)
		}
		mustEvidence(t, db, ctx, waived.ID, models.EvidenceInput{Kind: models.EvidenceFinalPay})

		r := reportAs(t, db, models.RoleOfficer, reportPeriod)
		for key, want := range map[string]float64{"exits": 2, "exits_complete_pack": 1, "exits_pack_waived": 1,
			"pct_exits_complete_pack": 50, "exits_final_pay": 2} {
			if m := r.Metric(key); m == nil {
				t.Errorf("metric %s missing", key)
			} else {
				checkCell(t, key, m.Total, want)
			}
		}
	})
}
