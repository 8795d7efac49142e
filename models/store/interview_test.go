package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/keyring"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// startedAppointment plans a new arrival's registration and moves db's
// clock into its slot, so that it can be attended. It returns the
// appointment.
func startedAppointment(t *testing.T, db *store.DB, h *storetest.Household) *models.Appointment {
	t.Helper()
	db.Now = func() time.Time { return storetest.Now }
	e := arrived(t, h, "2026-11-02")
	if _, err := db.PlanAppointments(sys(), storetest.Now); err != nil {
		t.Fatal(err)
	}
	as := appointmentsOf(t, db, models.AppointmentFilter{EmploymentID: e.ID})
	if len(as) != 1 || !as[0].Placed() {
		t.Fatalf("registration = %+v", as)
	}
	start := *as[0].StartsAt
	db.Now = func() time.Time { return start.Add(10 * time.Minute) }
	return &as[0]
}

// calmAnswers answers every question with what triggers nothing, then
// applies changes.
func calmAnswers(changes map[string]any) map[string]json.RawMessage {
	raw := map[string]json.RawMessage{}
	for _, q := range models.CurrentChecklist().Questions {
		switch q.Type {
		case models.AnswerYesNo:
			v := "true"
			for _, r := range q.Rules {
				if r.Is != nil && *r.Is {
					v = "false"
				}
			}
			raw[q.ID] = json.RawMessage(v)
		case models.AnswerChoice:
			raw[q.ID] = json.RawMessage(`"` + q.Options[0] + `"`)
		case models.AnswerNumber:
			raw[q.ID] = json.RawMessage("0")
		}
	}
	raw["q05"], raw["q12"] = json.RawMessage("1200"), json.RawMessage("40")
	for k, v := range changes {
		b, _ := json.Marshal(v)
		raw[k] = b
	}
	return raw
}

func interviewInput(a *models.Appointment, changes map[string]any, notes string) models.InterviewInput {
	yes := true
	return models.InterviewInput{AppointmentID: a.ID, Answers: calmAnswers(changes), WorkerSeenAlone: &yes,
		InterpreterLanguage: "tl", Notes: notes}
}

func timelineKinds(t *testing.T, db *store.DB, employmentID string) (kinds []string, evs []models.TimelineEvent) {
	t.Helper()
	evs, _, err := db.FindTimeline(sys(), employmentID, models.Page{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		kinds = append(kinds, e.Kind)
	}
	return kinds, evs
}

// TestDB_RecordInterview_RiskActions records an interview triggering each
// severity and checks the level, the indicators and what it leads to.
func TestDB_RecordInterview_RiskActions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		tests := []struct {
			name       string
			changes    map[string]any
			level      string
			indicators []string
			actions    []string
			timeline   []string // kinds, after appointment_created-like entries of planning
			followUp   bool
		}{
			{"none", nil, models.SeverityNone, nil, nil, nil, false},
			{"medium: no weekly record of hours", map[string]any{"q16": false}, models.SeverityMedium,
				[]string{"abusive_working_and_living_conditions"}, []string{models.EventRecheckNextVisit}, []string{models.EventRecheckNextVisit}, false},
			{"high: paid below the contract", map[string]any{"q05": 800}, models.SeverityHigh,
				[]string{"withholding_of_wages"}, []string{models.EventInterviewFollowUp},
				[]string{models.EventInterviewFollowUp, models.EventMissionNotified}, true},
			{"critical: threats, with a medium", map[string]any{"q27": "threats", "q21": false}, models.SeverityCritical,
				[]string{"intimidation_and_threats", "isolation"}, []string{models.EventInterviewCritical, models.EventUrgentCaseOpened},
				[]string{models.EventInterviewCritical, models.EventUrgentCaseOpened}, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				a := startedAppointment(t, db, h)
				res, err := db.RecordInterview(sys(), interviewInput(a, tt.changes, "seen in room 1"))
				if err != nil {
					t.Fatal(err)
				}
				iv := res.Interview
				if iv == nil || iv.Risk.Level != tt.level || strings.Join(iv.Risk.Indicators, ",") != strings.Join(tt.indicators, ",") {
					t.Fatalf("interview risk = %+v, want %s %v", iv, tt.level, tt.indicators)
				}
				if strings.Join(res.Actions, ",") != strings.Join(tt.actions, ",") {
					t.Errorf("actions %v, want %v", res.Actions, tt.actions)
				}
				if res.Appointment.Status != models.AppointmentAttended {
					t.Errorf("appointment %s, want attended in the same transaction", res.Appointment.Status)
				}
				if (res.FollowUp != nil) != tt.followUp {
					t.Errorf("follow-up %+v, want %v", res.FollowUp, tt.followUp)
				}
				if res.FollowUp != nil {
					today := db.Calendar.Today(db.Now())
					f := res.FollowUp
					p, err := db.PolicyInForce(sys(), today)
					if err != nil || p.FollowUpDays < 1 {
						t.Fatalf("policy %+v %v", p, err)
					}
					if f.Kind != models.KindFollowUp || f.WindowStart != today || f.WindowEnd != today.AddDate(0, 0, p.FollowUpDays) || !f.Placed() {
						t.Errorf("follow-up = %+v, want within the policy's %d days", f, p.FollowUpDays)
					}
				}
				// Critical opens an urgent case with the indicators; nothing else does.
				cases, _, err := db.FindCases(sys(), models.CaseFilter{EmploymentID: a.EmploymentID})
				if err != nil {
					t.Fatal(err)
				}
				if tt.level == models.SeverityCritical {
					if len(cases) != 1 || cases[0].Priority != models.PriorityUrgent || cases[0].Source != models.CaseSourceInterview ||
						strings.Join(cases[0].Indicators, ",") != strings.Join(tt.indicators, ",") {
						t.Errorf("cases = %+v, want one urgent case from the interview", cases)
					}
				} else if len(cases) != 0 {
					t.Errorf("cases = %+v, want none", cases)
				}
				kinds, evs := timelineKinds(t, db, a.EmploymentID)
				var got []string
				for i, k := range kinds {
					if k == models.EventMissionNotified && i > 0 && kinds[i-1] != models.EventInterviewFollowUp {
						continue // the planner's logistics
					}
					if k != models.EventCreated {
						got = append(got, k)
					}
				}
				if strings.Join(got, ",") != strings.Join(tt.timeline, ",") {
					t.Errorf("timeline %v, want %v", kinds, tt.timeline)
				}
				for _, e := range evs {
					// Nothing of the interview reaches a mission, and no entry
					// holds an answer, a note or an indicator.
					b, _ := json.Marshal(e.Data)
					for _, leak := range append([]string{"seen in room", "threats", "q27"}, tt.indicators...) {
						if strings.Contains(string(b), leak) {
							t.Errorf("timeline entry %s holds %q: %s", e.Kind, leak, b)
						}
					}
					if e.Notify == models.NotifyMission && e.Kind != models.EventMissionNotified {
						t.Errorf("entry %s addressed to the mission", e.Kind)
					}
					if e.Kind == models.EventInterviewCritical && (e.Notify != models.NotifySupervisors || e.Data["interview_id"] != iv.ID) {
						t.Errorf("critical alert = %+v, want the supervisors notified of the interview", e)
					}
				}
				got2, err := db.FindInterview(sys(), iv.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got2.Notes != "seen in room 1" || got2.Risk.Level != tt.level || len(got2.Answers) != len(iv.Answers) ||
					strings.Join(got2.Risk.Indicators, ",") != strings.Join(tt.indicators, ",") || got2.ChecklistVersion != models.CurrentChecklistVersion {
					t.Errorf("read back = %+v", got2)
				}
				evsA, err := db.FindAuditEvents(sys(), models.AuditFilter{ObjectType: "interview", ObjectID: iv.ID})
				if err != nil || len(evsA) != 2 || evsA[0].Action != models.ActionCreate || evsA[1].Action != models.ActionRead {
					t.Errorf("audit = %+v %v, want create then read", evsA, err)
				}
			})
		}
	})
}

// TestDB_RecordInterview_Refused checks the refusals: wrong answers, the
// appointment's state, roles, twice.
func TestDB_RecordInterview_Refused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		done := startedAppointment(t, db, h)
		if _, err := db.RecordInterview(sys(), interviewInput(done, nil, "")); err != nil {
			t.Fatal(err)
		}
		missed := startedAppointment(t, db, h)
		if _, _, err := db.RecordOutcome(sys(), missed.ID, models.OutcomeInput{Outcome: models.AppointmentMissed}); err != nil {
			t.Fatal(err)
		}
		fresh := startedAppointment(t, db, h)
		mission := models.WithActor(context.Background(), models.Actor{UserID: "m", Role: models.RoleMission, MissionID: h.Mission.ID})
		auditor := models.WithActor(context.Background(), models.Actor{UserID: "a", Role: models.RoleAuditor})
		withAnswer := func(id string, v any) models.InterviewInput {
			in := interviewInput(fresh, nil, "")
			if v == nil {
				delete(in.Answers, id)
			} else {
				b, _ := json.Marshal(v)
				in.Answers[id] = b
			}
			return in
		}
		tests := []struct {
			name  string
			ctx   context.Context
			in    models.InterviewInput
			code  string
			field string
		}{
			{"missing required answer", sys(), withAnswer("q07", nil), models.EINVALID, "answers.q07"},
			{"wrong type", sys(), withAnswer("q12", "forty"), models.EINVALID, "answers.q12"},
			{"unknown question", sys(), withAnswer("q31", true), models.EINVALID, "answers.q31"},
			{"unknown appointment", sys(), interviewInput(&models.Appointment{ID: models.NewID()}, nil, ""), models.EINVALID, "appointment_id"},
			{"missed appointment", sys(), interviewInput(missed, nil, ""), models.ECONFLICT, ""},
			{"twice", sys(), interviewInput(done, nil, ""), models.ECONFLICT, ""},
			{"mission", mission, interviewInput(fresh, nil, ""), models.EFORBIDDEN, ""},
			{"auditor", auditor, interviewInput(fresh, nil, ""), models.EFORBIDDEN, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.RecordInterview(tt.ctx, tt.in)
				var me *models.Error
				if !errors.As(err, &me) || me.Code != tt.code || (tt.field != "" && me.Fields[tt.field] == "") {
					t.Fatalf("err = %v, want %s naming %q", err, tt.code, tt.field)
				}
			})
		}
		// Nothing was written for the fresh appointment: still scheduled, no interview.
		a, err := db.FindAppointmentByID(sys(), fresh.ID)
		if err != nil || a.Status != models.AppointmentScheduled {
			t.Fatalf("fresh appointment = %+v %v, want still scheduled", a, err)
		}
		// Not yet started.
		db.Now = func() time.Time { return fresh.StartsAt.Add(-time.Hour) }
		_, err = db.RecordInterview(sys(), interviewInput(fresh, nil, ""))
		var me *models.Error
		if !errors.As(err, &me) || me.Code != models.EINVALID || me.Fields["appointment_id"] == "" {
			t.Fatalf("before the start: %v, want EINVALID naming appointment_id", err)
		}
		for _, ctx := range []context.Context{mission, auditor} {
			if _, err := db.FindInterview(ctx, models.NewID()); !errors.As(err, &me) || me.Code != models.EFORBIDDEN {
				t.Errorf("FindInterview as %s: %v", models.ActorFrom(ctx).Role, err)
			}
			if _, _, err := db.FindInterviews(ctx, models.InterviewFilter{EmploymentID: fresh.EmploymentID}); !errors.As(err, &me) || me.Code != models.EFORBIDDEN {
				t.Errorf("FindInterviews as %s: %v", models.ActorFrom(ctx).Role, err)
			}
		}
	})
}

// TestDB_RecordInterview_NotSeenAlone: no interview is kept; the
// appointment becomes employer_present and the ladder plans a follow-up.
func TestDB_RecordInterview_NotSeenAlone(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		a := startedAppointment(t, db, h)
		no := false
		res, err := db.RecordInterview(sys(), models.InterviewInput{AppointmentID: a.ID, WorkerSeenAlone: &no,
			Notes: "the employer's wife stayed in the room", Answers: calmAnswers(map[string]any{"q25": true})})
		if err != nil {
			t.Fatal(err)
		}
		if res.Interview != nil || res.Appointment.Status != models.AppointmentEmployerPresent || res.FollowUp == nil ||
			res.FollowUp.Kind != models.KindFollowUp {
			t.Fatalf("result = %+v, want employer_present and a follow-up, no interview", res)
		}
		ivs, _, err := db.FindInterviews(sys(), models.InterviewFilter{EmploymentID: a.EmploymentID})
		if err != nil || len(ivs) != 0 {
			t.Fatalf("interviews = %+v %v, want none", ivs, err)
		}
		kinds, _ := timelineKinds(t, db, a.EmploymentID)
		for _, k := range []string{models.EventMissed, models.EventFollowUpPlanned, models.EventNotSeenAlone} {
			if !slices.Contains(kinds, k) {
				t.Errorf("timeline %v lacks %s", kinds, k)
			}
		}
		got, err := db.FindAppointmentByID(sys(), a.ID)
		if err != nil || got.OutcomeNote != "the employer's wife stayed in the room" {
			t.Fatalf("outcome note = %q %v", got.OutcomeNote, err)
		}
		// Recording it again is refused: the outcome is final.
		if _, err := db.RecordInterview(sys(), models.InterviewInput{AppointmentID: a.ID, WorkerSeenAlone: &no}); err == nil {
			t.Fatal("second not-seen-alone record accepted")
		}
	})
}

// rawColumns reads the sealed columns of an interview and of its
// appointment straight from the database.
func rawColumns(t *testing.T, db *store.DB, interviewID, appointmentID string) []string {
	t.Helper()
	var ans, ind, notes, outcome string
	row := db.SQL().QueryRow("SELECT answers, indicators, notes FROM interviews WHERE id = "+placeholder(db, 1), interviewID)
	if err := row.Scan(&ans, &ind, &notes); err != nil {
		t.Fatal(err)
	}
	if err := db.SQL().QueryRow("SELECT outcome_note FROM appointments WHERE id = "+placeholder(db, 1), appointmentID).Scan(&outcome); err != nil {
		t.Fatal(err)
	}
	return []string{ans, ind, notes, outcome}
}

func placeholder(db *store.DB, n int) string {
	if db.Dialect() == "postgres" {
		return "$1"
	}
	return "?"
}

// TestDB_Interview_EncryptedAtRest reads the raw columns: no answer, no
// indicator, no note in plain text; a sealed value moved to another row
// does not open.
func TestDB_Interview_EncryptedAtRest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		a := startedAppointment(t, db, h)
		res, err := db.RecordInterview(sys(), interviewInput(a, map[string]any{"q01": "no_held_by_employer", "q12": 71}, "Passport locked in the study"))
		if err != nil {
			t.Fatal(err)
		}
		b := startedAppointment(t, db, h)
		if _, _, err := db.RecordOutcome(sys(), b.ID, models.OutcomeInput{Outcome: models.AppointmentMissed, Note: "Phoned: she was kept at home"}); err != nil {
			t.Fatal(err)
		}
		res2, err := db.RecordInterview(sys(), interviewInput(startedAppointment(t, db, h), nil, "All fine"))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range append(rawColumns(t, db, res.Interview.ID, b.ID), rawColumns(t, db, res2.Interview.ID, a.ID)...) {
			if v == "" {
				continue
			}
			if !strings.HasPrefix(v, "v1:test:") {
				t.Errorf("raw value %q is not sealed under the test key", v)
			}
			// (words long enough not to turn up in base64 by chance)
			for _, plain := range []string{"Passport", "locked", "Phoned", "kept at home", "All fine", `"q01"`, "no_held_by_employer",
				"retention_of", "excessive_overtime", "true,", ":71"} {
				if strings.Contains(v, plain) {
					t.Errorf("raw value holds %q: %s", plain, v)
				}
			}
		}
		// A ciphertext moved to another row (or column) does not open.
		raw := rawColumns(t, db, res.Interview.ID, b.ID)
		storetest.MustExec(t, db, "UPDATE interviews SET notes = ? WHERE id = ?", raw[2], res2.Interview.ID)
		if iv, err := db.FindInterview(sys(), res2.Interview.ID); err == nil {
			t.Fatalf("swapped note opened: %q", iv.Notes)
		}
		storetest.MustExec(t, db, "UPDATE interviews SET notes = answers WHERE id = ?", res.Interview.ID)
		if iv, err := db.FindInterview(sys(), res.Interview.ID); err == nil {
			t.Fatalf("answers read as notes: %q", iv.Notes)
		}
	})
}

// TestDB_RotateKeys seals under key A, rotates to B (A kept to open),
// and then reads everything with B alone; a second run re-seals nothing;
// a plain outcome note from before sealing is sealed too.
func TestDB_RotateKeys(t *testing.T) {
	keyA := "a:" + mustKey(t)
	keyB := "b:" + mustKey(t)
	ring := func(s string) store.Option {
		r, err := keyring.Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return store.WithKeyring(r)
	}
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			url := storetest.URL(t, dialect)
			db := storetest.OpenURL(t, url, ring(keyA))
			h := storetest.NewHousehold(t, db)
			var ids []string
			notes := map[string]string{}
			for i := range 3 {
				a := startedAppointment(t, db, h)
				res, err := db.RecordInterview(sys(), interviewInput(a, map[string]any{"q13": i}, "note "+string(rune('x'+i))))
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, res.Interview.ID)
				notes[res.Interview.ID] = "note " + string(rune('x'+i))
			}
			legacy := startedAppointment(t, db, h)
			if _, _, err := db.RecordOutcome(sys(), legacy.ID, models.OutcomeInput{Outcome: models.AppointmentAttended}); err != nil {
				t.Fatal(err)
			}
			storetest.MustExec(t, db, "UPDATE appointments SET outcome_note = ? WHERE id = ?", "written before sealing", legacy.ID)

			rot := storetest.OpenURL(t, url, ring(keyB+","+keyA))
			rot.Now = db.Now
			res, err := rot.RotateKeys(storetest.SysCtx(), 2) // batches of two: several transactions
			if err != nil {
				t.Fatal(err)
			}
			counts := map[string]int{}
			for _, r := range res {
				counts[r.Column] = r.Resealed
				if r.Current != 0 {
					t.Errorf("%s: %d already current before the rotation", r.Column, r.Current)
				}
			}
			if counts["interviews.answers"] != 3 || counts["interviews.indicators"] != 3 || counts["interviews.notes"] != 3 ||
				counts["appointments.outcome_note"] != 1 {
				t.Fatalf("rotation = %+v", res)
			}
			again, err := rot.RotateKeys(storetest.SysCtx(), 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range again {
				if r.Resealed != 0 {
					t.Errorf("second rotation re-sealed %d in %s", r.Resealed, r.Column)
				}
			}

			onlyB := storetest.OpenURL(t, url, ring(keyB))
			for _, id := range ids {
				iv, err := onlyB.FindInterview(sys(), id)
				if err != nil || iv.Notes != notes[id] || len(iv.Answers) == 0 {
					t.Fatalf("read with B only: %+v %v", iv, err)
				}
			}
			if a, err := onlyB.FindAppointmentByID(sys(), legacy.ID); err != nil || a.OutcomeNote != "written before sealing" {
				t.Fatalf("legacy note with B only: %+v %v", a, err)
			}
			for _, v := range rawColumns(t, onlyB, ids[0], legacy.ID) {
				if v != "" && !strings.HasPrefix(v, "v1:b:") {
					t.Errorf("raw value %q not under key b", v)
				}
			}
			onlyA := storetest.OpenURL(t, url, ring(keyA))
			var me *models.Error
			if _, err := onlyA.FindInterview(sys(), ids[0]); !errors.As(err, &me) || me.Code != models.EUNAVAILABLE {
				t.Fatalf("read with the retired key only: %v, want EUNAVAILABLE", err)
			}
		})
	}
}

func mustKey(t *testing.T) string {
	k, err := keyring.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestDB_Interview_NoKey: without data keys nothing sealed is written.
func TestDB_Interview_NoKey(t *testing.T) {
	db := storetest.OpenURL(t, storetest.URL(t, "sqlite"))
	h := storetest.NewHousehold(t, db)
	a := startedAppointment(t, db, h)
	var me *models.Error
	if _, err := db.RecordInterview(sys(), interviewInput(a, nil, "x")); !errors.As(err, &me) || me.Code != models.EUNAVAILABLE {
		t.Fatalf("interview without a key: %v", err)
	}
	if _, _, err := db.RecordOutcome(sys(), a.ID, models.OutcomeInput{Outcome: models.AppointmentAttended, Note: "x"}); !errors.As(err, &me) || me.Code != models.EUNAVAILABLE {
		t.Fatalf("outcome note without a key: %v", err)
	}
	if _, _, err := db.RecordOutcome(sys(), a.ID, models.OutcomeInput{Outcome: models.AppointmentAttended}); err != nil {
		t.Fatalf("outcome without a note needs no key: %v", err)
	}
}

// TestDB_Retention_ErasesInterviews: past retention, an interview keeps
// its row and risk level but loses its answers, indicators and notes.
func TestDB_Retention_ErasesInterviews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		a := startedAppointment(t, db, h)
		res, err := db.RecordInterview(sys(), interviewInput(a, map[string]any{"q19": false}, "phone taken"))
		if err != nil {
			t.Fatal(err)
		}
		ended := models.StatusEnded
		if _, err := db.UpdateEmployment(storetest.SysCtx(), a.EmploymentID,
			models.EmploymentUpdate{Status: &ended, DepartureDate: datep("2026-11-30"), ExitPackWaiver: new("The test needs no exit evidence.")}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.EraseExpired(storetest.SysCtx(), time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		for _, v := range rawColumns(t, db, res.Interview.ID, a.ID)[:3] {
			if v != "" {
				t.Errorf("raw value left after retention: %q", v)
			}
		}
		iv, err := db.FindInterview(sys(), res.Interview.ID)
		if err != nil || iv.Notes != "" || len(iv.Answers) != 0 || len(iv.Risk.Indicators) != 0 || iv.Risk.Level != models.SeverityHigh {
			t.Fatalf("after retention: %+v %v, want the risk level alone", iv, err)
		}
	})
}

// BenchmarkFindInterview reads one interview (decrypting three columns
// and writing an audit row) beside FindAppointmentByID (one audit row, one
// sealed note), on each database.
func BenchmarkFindInterview(b *testing.B) {
	for _, dialect := range storetest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			h := storetest.NewHousehold(b, db)
			db.Now = func() time.Time { return storetest.Now }
			active := models.StatusActive
			e := h.Employment(b, date("2026-10-01"), models.EmploymentUpdate{Status: &active, ArrivalDate: datep("2026-11-02")}, "en")
			if _, err := db.PlanAppointments(sys(), storetest.Now); err != nil {
				b.Fatal(err)
			}
			as, _, err := db.FindAppointments(sys(), models.AppointmentFilter{EmploymentID: e.ID})
			if err != nil || len(as) != 1 {
				b.Fatal(err)
			}
			start := *as[0].StartsAt
			db.Now = func() time.Time { return start.Add(time.Minute) }
			res, err := db.RecordInterview(sys(), interviewInput(&as[0], map[string]any{"q13": 1}, strings.Repeat("note ", 100)))
			if err != nil {
				b.Fatal(err)
			}
			b.Run("interview", func(b *testing.B) {
				for b.Loop() {
					if _, err := db.FindInterview(sys(), res.Interview.ID); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("appointment", func(b *testing.B) {
				for b.Loop() {
					if _, err := db.FindAppointmentByID(sys(), as[0].ID); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// TestDB_HighRiskFollowUpHiddenFromMission: the follow-up a high-risk
// interview plans reaches the mission as a plain check-in: its list (and
// a filter on follow-ups) shows a check-in, the notice on its timeline
// says check-in and nothing of a miss.
func TestDB_HighRiskFollowUpHiddenFromMission(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		a := startedAppointment(t, db, h)
		res, err := db.RecordInterview(sys(), interviewInput(a, map[string]any{"q05": 800}, ""))
		if err != nil || res.FollowUp == nil {
			t.Fatalf("high-risk interview: %+v %v", res, err)
		}
		mission := missionOf(h)
		for _, kind := range []string{"", models.KindFollowUp, models.KindCheckin} {
			as, _, err := db.FindAppointments(mission, models.AppointmentFilter{EmploymentID: a.EmploymentID, Kind: kind})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, x := range as {
				found = found || x.ID == res.FollowUp.ID
			}
			if !found {
				t.Errorf("kind filter %q: the mission does not see the follow-up as an appointment to release the worker for", kind)
			}
		}
		for _, ev := range timeline(t, db, mission, a.EmploymentID) {
			if ev.AppointmentID != nil && *ev.AppointmentID == res.FollowUp.ID {
				if ev.Data["kind"] != models.KindCheckin || ev.Data["after_miss"] != "" {
					t.Errorf("mission's notice of the follow-up: %v, want a check-in and no miss", ev.Data)
				}
			}
			if strings.Contains(strings.Join([]string{ev.Kind, ev.Data["kind"]}, " "), "follow") {
				t.Errorf("mission's timeline names a follow-up: %+v", ev)
			}
		}
	})
}
