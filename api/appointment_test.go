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

// TestAPI_Appointments_BookAndReschedule books by hand, reschedules and
// cancels through the API: bad slots are 422 naming the field, a change to
// a cancelled appointment 409, and the timeline shows the office every
// entry and the mission only the logistics addressed to it.
func TestAPI_Appointments_BookAndReschedule(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := e.appointment() // 2026-11-05 09:00 UTC, Room 1
		path := "/api/v1/appointments/" + id
		empl := e.must(200, "officer", "GET", path, nil).str("employment_id")

		for _, tt := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"starts_at": "2026-11-04T07:00:00Z", "room": "Room 1", "reason": "r"}, "starts_at"},
			{map[string]any{"starts_at": "2026-11-07T10:00:00Z", "room": "Room 1", "reason": "r"}, "starts_at"},
			{map[string]any{"starts_at": "2026-11-04T10:00:00Z", "room": "Attic", "reason": "r"}, "room"},
			{map[string]any{"starts_at": "2026-11-04T10:00:00Z", "room": "Room 1"}, "reason"},
			{map[string]any{"reason": "r"}, "starts_at"},
		} {
			r := e.must(422, "officer", "PATCH", path, tt.body)
			if r.field(tt.field) == "" {
				t.Errorf("%v: %s, want %q named", tt.body, r.Raw, tt.field)
			}
		}
		e.must(403, "mission", "PATCH", path, map[string]any{"starts_at": "2026-11-04T10:00:00Z", "room": "Room 1", "reason": "r"})

		// Another appointment takes Room 2 at 10:00; moving into it clashes.
		other := e.must(201, "officer", "POST", "/api/v1/appointments", map[string]any{"employment_id": e.approvedEmployment(),
			"kind": "checkin", "starts_at": "2026-11-04T10:00:00Z", "room": "Room 2", "note": "by hand"})
		if other.str("room") != "Room 2" || other.str("status") != "scheduled" || other.str("window_start") != "2026-11-04" {
			t.Errorf("booked by hand: %s", other.Raw)
		}
		if r := e.must(422, "officer", "PATCH", path, map[string]any{"starts_at": "2026-11-04T10:30:00Z", "room": "Room 2", "reason": "r"}); r.field("room") == "" {
			t.Errorf("room clash: %s", r.Raw)
		}
		r := e.must(200, "officer", "PATCH", path, map[string]any{"starts_at": "2026-11-04T10:00:00Z", "room": "Room 1", "reason": "school run"})
		if r.str("id") != id || r.str("starts_at") != "2026-11-04T10:00:00Z" || r.str("window_start") != "2026-11-05" || r.str("status") != "scheduled" {
			t.Errorf("rescheduled: %s", r.Raw)
		}
		e.must(200, "admin", "PATCH", path, map[string]any{"status": "cancelled", "reason": "left"})
		r = e.must(409, "officer", "PATCH", path, map[string]any{"starts_at": "2026-11-05T10:00:00Z", "room": "Room 1", "reason": "r"})
		if r.Body["error"].(map[string]any)["code"] != models.ECONFLICT {
			t.Errorf("reschedule a cancelled one: %s", r.Raw)
		}
		e.must(409, "officer", "POST", path+"/outcome", map[string]any{"outcome": "attended"})

		// The timeline: all of it for the office, logistics for the mission.
		tl := e.must(200, "officer", "GET", "/api/v1/employments/"+empl+"/timeline", nil)
		items := tl.Body["items"].([]any)
		var kinds []string
		for _, it := range items {
			kinds = append(kinds, it.(map[string]any)["kind"].(string))
		}
		if strings.Join(kinds, " ") != "rescheduled mission_notified cancelled mission_notified" {
			t.Errorf("office's timeline: %s", tl.Raw)
		}
		if !strings.Contains(string(tl.Raw), "school run") || !strings.Contains(string(tl.Raw), `"previous_starts_at":"2026-11-05T09:00:00Z"`) {
			t.Errorf("the reason and the old slot are not on the timeline: %s", tl.Raw)
		}
		mis := e.must(200, "mission", "GET", "/api/v1/employments/"+empl+"/timeline", nil)
		if got := len(mis.Body["items"].([]any)); got != 2 || strings.Contains(string(mis.Raw), "school run") ||
			strings.Contains(string(mis.Raw), "notify") || strings.Contains(string(mis.Raw), "reason") || strings.Contains(string(mis.Raw), "step") {
			t.Errorf("mission's timeline: %s", mis.Raw)
		}
		e.must(404, "missionB", "GET", "/api/v1/employments/"+empl+"/timeline", nil)
		e.must(403, "auditor", "GET", "/api/v1/employments/"+empl+"/timeline", nil)
		e.must(404, "officer", "GET", "/api/v1/employments/"+models.NewID()+"/timeline", nil)

		// Bad bookings name the field.
		r = e.must(422, "officer", "POST", "/api/v1/appointments", map[string]any{"employment_id": "x", "kind": "tea",
			"starts_at": "2026-11-04T10:00:00Z"})
		if r.field("employment_id") == "" || r.field("kind") == "" {
			t.Errorf("bad booking: %s", r.Raw)
		}
		e.must(404, "officer", "POST", "/api/v1/appointments", map[string]any{"employment_id": models.NewID(), "kind": "checkin",
			"starts_at": "2026-11-04T11:00:00Z"})
		e.must(403, "mission", "POST", "/api/v1/appointments", map[string]any{"employment_id": empl, "kind": "checkin",
			"starts_at": "2026-11-04T11:00:00Z"})
		// The mission never sees interpreters or the urgent flag.
		for _, key := range []string{"interpreter", "urgent"} {
			if _, ok := e.must(200, "mission", "GET", "/api/v1/appointments/"+other.str("id"), nil).Body[key]; ok {
				t.Errorf("mission's view has %q", key)
			}
			if _, ok := other.Body[key]; !ok {
				t.Errorf("officer's view lacks %q", key)
			}
		}
		if got := e.must(200, "officer", "GET", "/api/v1/appointments?urgent=true", nil).Body["items"].([]any); len(got) != 0 {
			t.Errorf("urgent: %v", got)
		}
	})
}
