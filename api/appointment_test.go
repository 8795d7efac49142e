package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// appointment makes an employment of missionA whose worker arrived on
// 2026-11-05, runs the planner at storetest.Now, and returns the id of the
// registration it planned (from 2026-11-05 09:00, the window's first slot).
func (e *env) appointment() string {
	e.t.Helper()
	empl := e.must(201, "mission", "POST", "/api/v1/employments",
		notification(e.worker("mission", "1990-01-01"), e.employer("officer", "head_of_mission"), validTerms())).str("id")
	e.must(200, "officer", "PATCH", "/api/v1/employments/"+empl, map[string]any{"status": "approved", "arrival_date": "2026-11-05"})
	if _, err := e.db.PlanAppointments(e.sys(), storetest.Now); err != nil {
		e.t.Fatal(err)
	}
	as, _, err := e.db.FindAppointments(e.sys(), models.AppointmentFilter{EmploymentID: empl})
	if err != nil || len(as) != 1 {
		e.t.Fatalf("appointments of %s: %v %v", empl, as, err)
	}
	return as[0].ID
}

// TestAPI_Appointments reads, lists and records outcomes as each role may.
func TestAPI_Appointments(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := e.appointment()
		path := "/api/v1/appointments/" + id

		// The office sees the interview's language; a mission only logistics.
		off := e.must(200, "officer", "GET", path, nil)
		if off.str("kind") != "registration" || off.str("status") != "scheduled" || off.str("room") == "" ||
			off.str("starts_at") == "" || off.str("language") != "en" || off.Body["outcome_note"] != "" {
			t.Errorf("officer's view: %s", off.Raw)
		}
		mis := e.must(200, "mission", "GET", path, nil)
		for _, key := range []string{"language", "interpreter_needed", "no_interpreter_note", "outcome_note"} {
			if _, ok := mis.Body[key]; ok {
				t.Errorf("mission's view has %q: %s", key, mis.Raw)
			}
		}
		if mis.str("starts_at") != off.str("starts_at") || mis.str("room") != off.str("room") || mis.str("window_end") != "2026-11-19" {
			t.Errorf("mission's view lacks the logistics: %s", mis.Raw)
		}
		e.must(404, "missionB", "GET", path, nil)
		if got := e.must(200, "missionB", "GET", "/api/v1/appointments", nil).Raw; strings.Contains(string(got), id) {
			t.Errorf("missionB lists missionA's appointment: %s", got)
		}
		// Reading one appointment as the office is audited (it may hold the office's note).
		evs, err := e.db.FindAuditEvents(e.sys(), models.AuditFilter{Action: models.ActionRead, ObjectType: "appointment", ObjectID: id})
		if err != nil || len(evs) != 1 || evs[0].ActorRole != models.RoleOfficer {
			t.Errorf("audit of the officer's read: %+v %v", evs, err)
		}

		// Outcomes: officers only; bad input names the field; final once recorded.
		e.must(403, "mission", "POST", path+"/outcome", map[string]any{"outcome": "attended"})
		r := e.must(422, "officer", "POST", path+"/outcome", map[string]any{"outcome": "rescheduled"})
		if r.field("outcome") == "" {
			t.Errorf("bad outcome: %s", r.Raw)
		}
		r = e.must(400, "officer", "POST", path+"/outcome", map[string]any{"outcome": "attended", "notes": "x"})
		if r.field("notes") != "unknown field" {
			t.Errorf("unknown field: %s", r.Raw)
		}
		r = e.must(422, "officer", "POST", path+"/outcome", map[string]any{"outcome": "attended"})
		if !strings.Contains(r.field("outcome"), "before the appointment's start") {
			t.Errorf("attended before the start: %s", r.Raw)
		}
		// After the appointment: the employer came along.
		e.db.Now = func() time.Time { return storetest.Now.Add(5 * 24 * time.Hour) }
		r = e.must(200, "officer", "POST", path+"/outcome", map[string]any{"outcome": "employer_present", "note": "Employer stayed in the room."})
		follow, _ := r.Body["follow_up"].(map[string]any)
		if r.str("status") != "employer_present" || r.str("outcome_note") != "Employer stayed in the room." ||
			follow["kind"] != "follow_up" || follow["status"] != "scheduled" || follow["starts_at"] == nil {
			t.Fatalf("employer_present: %s", r.Raw)
		}
		r = e.must(409, "officer", "POST", path+"/outcome", map[string]any{"outcome": "attended"})
		if r.Body["error"].(map[string]any)["code"] != models.ECONFLICT {
			t.Errorf("second outcome: %s", r.Raw)
		}
		followID := follow["id"].(string)
		e.must(200, "officer", "POST", "/api/v1/appointments/"+followID+"/outcome", map[string]any{"outcome": "cancelled"})
		e.must(409, "admin", "POST", "/api/v1/appointments/"+followID+"/outcome", map[string]any{"outcome": "attended"})

		// The note stays with the office.
		if got := e.must(200, "mission", "GET", path, nil).Raw; strings.Contains(string(got), "Employer stayed") {
			t.Errorf("mission sees the office's note: %s", got)
		}
		if got := e.must(200, "officer", "GET", "/api/v1/appointments", nil).Raw; strings.Contains(string(got), "Employer stayed") {
			t.Errorf("the list carries the office's note: %s", got)
		}
	})
}

func TestAPI_Appointments_ListFilters(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := e.appointment()
		count := func(query string) int {
			t.Helper()
			r := e.must(200, "officer", "GET", "/api/v1/appointments?"+query, nil)
			items, _ := r.Body["items"].([]any)
			return len(items)
		}
		for _, tt := range []struct {
			query string
			want  int
		}{
			{"", 1},
			{"from=2026-11-03&to=2026-11-30", 1},
			{"from=2026-12-01", 0},
			{"kind=registration&status=scheduled", 1},
			{"kind=checkin", 0},
			{"mission_id=" + e.missionB.ID, 0},
			{"unplaced=true", 0},
			{"limit=1", 1},
		} {
			if got := count(tt.query); got != tt.want {
				t.Errorf("?%s: %d items, want %d", tt.query, got, tt.want)
			}
		}
		if got := e.must(200, "mission", "GET", "/api/v1/appointments?employment_id="+e.missionA.ID, nil).Body["items"]; len(got.([]any)) != 0 {
			t.Errorf("filter by an id that is no employment: %v", got)
		}
		for query, field := range map[string]string{
			"from=2026-02-30":               "from",
			"from=2026-11-05&to=2026-11-04": "to",
			"kind=party":                    "kind",
			"status=done":                   "status",
			"employment_id=x":               "employment_id",
			"unplaced=yes":                  "unplaced",
			"after=" + strings.ToUpper(id):  "after",
			"limit=0":                       "limit",
		} {
			r := e.must(http.StatusBadRequest, "officer", "GET", "/api/v1/appointments?"+query, nil)
			if r.field(field) == "" {
				t.Errorf("?%s: %s, want field %q named", query, r.Raw, field)
			}
		}
		e.must(403, "auditor", "GET", "/api/v1/appointments", nil)
		e.must(404, "officer", "GET", "/api/v1/appointments/not-an-id", nil)
		e.must(404, "officer", "GET", "/api/v1/appointments/"+models.NewID(), nil)
	})
}
