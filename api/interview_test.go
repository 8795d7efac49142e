package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// startedHours makes each started appointment's slot unique.
var startedHours atomic.Int64

// startedAppointment returns a scheduled appointment whose slot has
// begun (moved into the past by hand), ready for an interview.
func (e *env) startedAppointment() string {
	e.t.Helper()
	id := e.appointment()
	start := storetest.Now.Add(-time.Duration(startedHours.Add(1)) * time.Hour)
	storetest.MustExec(e.t, e.db, "UPDATE appointments SET starts_at = ?, ends_at = ? WHERE id = ?",
		start, start.Add(45*time.Minute), id)
	return id
}

// answers answers every question with what triggers nothing, then applies changes.
func answers(changes map[string]any) map[string]any {
	out := map[string]any{}
	for _, q := range models.CurrentChecklist().Questions {
		switch q.Type {
		case models.AnswerYesNo:
			v := true
			for _, r := range q.Rules {
				if r.Is != nil && *r.Is {
					v = false
				}
			}
			out[q.ID] = v
		case models.AnswerChoice:
			out[q.ID] = q.Options[0]
		case models.AnswerNumber:
			out[q.ID] = 0
		}
	}
	out["q05"], out["q12"] = 1200, 45
	for k, v := range changes {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

func interviewBody(appointment string, alone bool, changes map[string]any, notes string) map[string]any {
	return map[string]any{"appointment_id": appointment, "answers": answers(changes), "interpreter_language": "tl",
		"worker_seen_alone": alone, "notes": notes}
}

func TestAPI_Checklist(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		r := e.must(200, "officer", "GET", "/api/v1/checklists/current", nil)
		var cl struct {
			Version   string `json:"version"`
			Languages []struct{ Language, Status string }
			Questions []struct {
				ID, Type, Indicator string
				Options             []string
				Required            bool
				Text                map[string]string
				OptionText          map[string]map[string]string `json:"option_text"`
			}
		}
		if err := json.Unmarshal(r.Raw, &cl); err != nil {
			t.Fatal(err)
		}
		if cl.Version != models.CurrentChecklistVersion || len(cl.Questions) != 30 || len(cl.Languages) < 9 {
			t.Fatalf("checklist: version %q, %d questions, %d languages", cl.Version, len(cl.Questions), len(cl.Languages))
		}
		q1 := cl.Questions[0]
		if q1.ID != "q01" || q1.Type != "choice" || q1.Indicator != "retention_of_identity_documents" || !q1.Required ||
			q1.Text["fr"] == "" || q1.Text["ar"] == "" || q1.OptionText["tl"]["no_held_by_employer"] == "" {
			t.Errorf("q01 = %+v", q1)
		}
		// Every language the contracts support has the checklist's texts.
		cat, err := testCatalog()
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range cat.Languages() {
			for _, q := range cl.Questions {
				if q.Text[lang] == "" {
					t.Errorf("%s has no %s text, though contracts support %s", q.ID, lang, lang)
				}
			}
		}
		for _, who := range []string{"mission", "auditor"} {
			e.must(403, who, "GET", "/api/v1/checklists/current", nil)
		}
	})
}

// TestAPI_Interviews records, reads and lists interviews as the office,
// checks the refusals by field, and that no other role reads them.
func TestAPI_Interviews(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		appt := e.startedAppointment()
		r := e.must(201, "officer", "POST", "/api/v1/interviews",
			interviewBody(appt, true, map[string]any{"q18": true, "q13": 1}, "Key kept by the cook"))
		iv, _ := r.Body["interview"].(map[string]any)
		risk, _ := iv["risk"].(map[string]any)
		apptView, _ := r.Body["appointment"].(map[string]any)
		if iv == nil || risk["level"] != "critical" || apptView["status"] != "attended" || iv["notes"] != "Key kept by the cook" {
			t.Fatalf("created: %s", r.Raw)
		}
		if got := r.Body["actions"]; !strings.Contains(jsonString(got), "interview_critical") || !strings.Contains(jsonString(got), "urgent_case_opened") {
			t.Errorf("actions = %v", got)
		}
		id, _ := iv["id"].(string)
		got := e.must(200, "officer", "GET", "/api/v1/interviews/"+id, nil)
		if got.str("notes") != "Key kept by the cook" || !strings.Contains(string(got.Raw), `"q18":true`) ||
			!strings.Contains(string(got.Raw), `"restriction_of_movement"`) || !strings.Contains(string(got.Raw), `"excessive_overtime"`) {
			t.Errorf("read: %s", got.Raw)
		}
		empl, _ := iv["employment_id"].(string)
		l := e.must(200, "admin", "GET", "/api/v1/employments/"+empl+"/interviews", nil)
		if items, _ := l.Body["items"].([]any); len(items) != 1 {
			t.Errorf("list: %s", l.Raw)
		}
		// Reads are audited.
		evs, err := e.db.FindAuditEvents(e.sys(), models.AuditFilter{ObjectType: "interview", ObjectID: id})
		if err != nil || len(evs) != 3 || evs[1].Action != models.ActionRead || evs[2].Action != models.ActionRead {
			t.Errorf("audit = %+v %v, want create, read, read", evs, err)
		}

		// Bad input names the field.
		fresh := e.startedAppointment()
		tests := []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"missing required answer", interviewBody(fresh, true, map[string]any{"q07": nil}, ""), 422, "answers.q07"},
			{"wrong type", interviewBody(fresh, true, map[string]any{"q12": "forty"}, ""), 422, "answers.q12"},
			{"unknown question", interviewBody(fresh, true, map[string]any{"q77": true}, ""), 422, "answers.q77"},
			{"choice not an option", interviewBody(fresh, true, map[string]any{"q27": "maybe"}, ""), 422, "answers.q27"},
			{"no seen-alone", map[string]any{"appointment_id": fresh, "answers": answers(nil)}, 422, "worker_seen_alone"},
			{"answers not an object", map[string]any{"appointment_id": fresh, "answers": []int{1}, "worker_seen_alone": true}, 400, "answers"},
			{"unknown appointment", interviewBody(models.NewID(), true, nil, ""), 422, "appointment_id"},
			{"already recorded", interviewBody(appt, true, nil, ""), 409, ""},
			{"unknown field", map[string]any{"appointment_id": fresh, "answers": answers(nil), "worker_seen_alone": true, "risk": "none"}, 400, "risk"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.do("officer", "POST", "/api/v1/interviews", tt.body)
				if r.Status != tt.status || (tt.field != "" && r.field(tt.field) == "") {
					t.Fatalf("status %d, want %d naming %q: %s", r.Status, tt.status, tt.field, r.Raw)
				}
			})
		}

		// No other role reads or writes interviews.
		for _, who := range []string{"mission", "auditor", "missionB"} {
			for _, c := range []struct {
				method, path string
				body         any
			}{
				{"GET", "/api/v1/interviews/" + id, nil},
				{"GET", "/api/v1/employments/" + empl + "/interviews", nil},
				{"POST", "/api/v1/interviews", interviewBody(fresh, true, nil, "")},
			} {
				r := e.do(who, c.method, c.path, c.body)
				if r.Status != http.StatusForbidden || strings.Contains(string(r.Raw), "Key kept") || strings.Contains(string(r.Raw), "critical") {
					t.Errorf("%s %s as %s: %d %s", c.method, c.path, who, r.Status, r.Raw)
				}
			}
		}
		// The mission's own views of the employment hold nothing of it.
		for _, path := range []string{"/api/v1/employments/" + empl + "/timeline", "/api/v1/appointments/" + appt,
			"/api/v1/appointments?employment_id=" + empl, "/api/v1/employments/" + empl} {
			r := e.must(200, "mission", "GET", path, nil)
			for _, leak := range []string{"interview", "critical", "urgent", "risk", "Key kept", "supervisor"} {
				if strings.Contains(string(r.Raw), leak) {
					t.Errorf("mission's %s holds %q: %s", path, leak, r.Raw)
				}
			}
		}
		e.must(404, "officer", "GET", "/api/v1/interviews/"+models.NewID(), nil)
		e.must(404, "officer", "GET", "/api/v1/employments/"+models.NewID()+"/interviews", nil)
	})
}

// TestAPI_Interview_NotSeenAlone: 200 without an interview, the
// appointment employer_present and a follow-up planned.
func TestAPI_Interview_NotSeenAlone(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		appt := e.startedAppointment()
		r := e.must(200, "officer", "POST", "/api/v1/interviews", interviewBody(appt, false, nil, "husband stayed"))
		a, _ := r.Body["appointment"].(map[string]any)
		f, _ := r.Body["follow_up"].(map[string]any)
		if r.Body["interview"] != nil || a["status"] != "employer_present" || a["outcome_note"] != "husband stayed" || f["kind"] != "follow_up" {
			t.Fatalf("not seen alone: %s", r.Raw)
		}
		empl, _ := a["employment_id"].(string)
		l := e.must(200, "officer", "GET", "/api/v1/employments/"+empl+"/interviews", nil)
		if items, _ := l.Body["items"].([]any); len(items) != 0 {
			t.Errorf("an interview was kept: %s", l.Raw)
		}
	})
}

func jsonString(v any) string { b, _ := json.Marshal(v); return string(b) }

// FuzzAPI_Interviews sends arbitrary bodies to POST /interviews: bad input
// is a 4xx with the error body, never a 500.
func FuzzAPI_Interviews(f *testing.F) {
	e := newEnv(f, storetest.Open(f, "sqlite"))
	e.t = f
	appt := e.startedAppointment()
	good, _ := json.Marshal(interviewBody(appt, true, nil, ""))
	f.Add(string(good))
	f.Add(`{"appointment_id":"` + appt + `","worker_seen_alone":true,"answers":{"q01":1e999,"":null}}`)
	f.Add(`{"appointment_id":"` + appt + `","worker_seen_alone":false,"notes":"\u0000"}`)
	f.Add(`{"answers":{"q12":-1,"q13":"3","q05":1.5e300}}`)
	f.Fuzz(func(t *testing.T, body string) {
		e.t = t
		r := e.do("officer", "POST", "/api/v1/interviews", body)
		if r.Status >= 500 {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		if r.Status >= 400 && !strings.Contains(string(r.Raw), `"error"`) {
			t.Fatalf("%d without the error body: %s", r.Status, r.Raw)
		}
	})
}
