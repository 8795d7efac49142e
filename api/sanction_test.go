package api

import (
	"net/http"
	"strings"
	"testing"
)

// TestAPI_Sanctions: an admin suspends an employer and then its mission
// through the register; notifications are refused with a 409 that gives
// the reason and the legal basis; restoring lets them through again. The
// suspended flag cannot be changed around the register.
func TestAPI_Sanctions(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		emp := e.employer("officer", "diplomat")
		head := e.employer("officer", "head_of_mission")
		e.must(403, "officer", "PATCH", "/api/v1/employers/"+emp, map[string]any{"suspended": true})
		r := e.must(422, "admin", "PATCH", "/api/v1/employers/"+emp, map[string]any{"suspended": true})
		if !strings.Contains(r.field("suspended"), "/api/v1/sanctions") {
			t.Errorf("PATCH suspended: %s", r.Raw)
		}
		e.must(422, "admin", "PATCH", "/api/v1/missions/"+e.missionA.ID, map[string]any{"suspended": true})

		suspend := map[string]any{"subject_kind": "employer", "subject_id": emp, "action": "suspend",
			"reason": "Wages unpaid for three months", "legal_basis": "PHEO art. 7 para. 2"}
		e.must(403, "officer", "POST", "/api/v1/sanctions", suspend)
		s := e.must(201, "admin", "POST", "/api/v1/sanctions", suspend)
		if s.str("mission_id") != e.missionA.ID || s.str("actor_id") == "" {
			t.Errorf("sanction: %s", s.Raw)
		}
		e.must(409, "admin", "POST", "/api/v1/sanctions", suspend) // already suspended
		if got := e.must(200, "officer", "GET", "/api/v1/employers/"+emp, nil).Body["suspended"]; got != true {
			t.Errorf("employer suspended = %v", got)
		}
		r = e.must(409, "mission", "POST", "/api/v1/employments", notification(e.worker("mission", "1990-01-01"), emp, validTerms()))
		msg, _ := r.Body["error"].(map[string]any)["message"].(string)
		for _, want := range []string{"employer's eligibility", "suspended since 2026-11-02", "Wages unpaid for three months", "PHEO art. 7 para. 2"} {
			if !strings.Contains(msg, want) {
				t.Errorf("409 message %q lacks %q", msg, want)
			}
		}

		// The whole mission.
		e.must(201, "admin", "POST", "/api/v1/sanctions", map[string]any{"subject_kind": "mission", "subject_id": e.missionA.ID,
			"action": "suspend", "reason": "Abuse tolerated", "legal_basis": "Foreign Missions Act"})
		r = e.must(409, "officer", "POST", "/api/v1/employments", notification(e.worker("officer", "1990-01-01"), head, validTerms()))
		if msg := r.Body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "mission's eligibility") || !strings.Contains(msg, "Foreign Missions Act") {
			t.Errorf("mission 409: %s", msg)
		}
		e.must(201, "admin", "POST", "/api/v1/sanctions", map[string]any{"subject_kind": "mission", "subject_id": e.missionA.ID,
			"action": "restore", "reason": "Arrears paid", "legal_basis": "Foreign Missions Act"})
		e.must(201, "officer", "POST", "/api/v1/employments", notification(e.worker("officer", "1990-01-01"), head, validTerms()))

		// History, by subject.
		h := e.must(200, "officer", "GET", "/api/v1/sanctions?subject_id="+e.missionA.ID, nil)
		items, _ := h.Body["items"].([]any)
		if len(items) != 2 || items[0].(map[string]any)["action"] != "suspend" || items[1].(map[string]any)["action"] != "restore" {
			t.Errorf("mission's history: %s", h.Raw)
		}
		e.must(403, "mission", "GET", "/api/v1/sanctions", nil)
		e.must(403, "auditor", "GET", "/api/v1/sanctions", nil)

		// Bad input names the field.
		for _, tt := range []struct {
			body  map[string]any
			field string
			want  int
		}{
			{map[string]any{"subject_kind": "worker", "subject_id": emp, "action": "suspend", "reason": "r", "legal_basis": "b"}, "subject_kind", 422},
			{map[string]any{"subject_kind": "employer", "subject_id": "nope", "action": "suspend", "reason": "r", "legal_basis": "b"}, "subject_id", 422},
			{map[string]any{"subject_kind": "employer", "subject_id": e.missionA.ID, "action": "suspend", "reason": "r", "legal_basis": "b"}, "subject_id", 422},
			{map[string]any{"subject_kind": "employer", "subject_id": emp, "action": "ban", "reason": "r", "legal_basis": "b"}, "action", 422},
			{map[string]any{"subject_kind": "employer", "subject_id": emp, "action": "restore", "reason": " ", "legal_basis": "b"}, "reason", 422},
			{map[string]any{"subject_kind": "employer", "subject_id": emp, "action": "restore", "reason": "r"}, "legal_basis", 422},
			{map[string]any{"subject_kind": "employer", "subject_id": emp, "action": "restore", "reason": "r", "legal_basis": 7}, "legal_basis", 400},
		} {
			r := e.do("admin", "POST", "/api/v1/sanctions", tt.body)
			if r.Status != tt.want || r.field(tt.field) == "" {
				t.Errorf("%v: status %d, body %s; want %d naming %s", tt.body, r.Status, r.Raw, tt.want, tt.field)
			}
		}
		if r := e.do("officer", "GET", "/api/v1/sanctions?subject_id=x", nil); r.Status != http.StatusBadRequest || r.field("subject_id") == "" {
			t.Errorf("bad subject_id filter: %d %s", r.Status, r.Raw)
		}
	})
}

// TestAPI_Evidence walks who may file which evidence: officers and
// admins any kind, a mission pay evidence for its own employments only,
// an auditor nothing; bad input names the field.
func TestAPI_Evidence(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := e.must(201, "mission", "POST", "/api/v1/employments",
			notification(e.worker("mission", "1990-01-01"), e.employer("mission", "diplomat"), validTerms())).str("id")
		path := "/api/v1/employments/" + id + "/evidence"
		pay := map[string]any{"kind": "pay", "month": "2026-10", "amount": "1200.00", "sole_name_account": true, "reference": "statement 10/2026"}
		insurance := map[string]any{"kind": "insurance", "insurance": "health", "valid_until": "2027-06-30"}
		exit := map[string]any{"kind": "return_travel", "note": "ticket paid by employer"}
		tests := []struct {
			who  string
			body map[string]any
			want int
		}{
			{"mission", pay, 201},
			{"mission", insurance, 403},
			{"mission", exit, 403},
			{"missionB", pay, 404},
			{"officer", insurance, 201},
			{"admin", exit, 201},
			{"auditor", pay, 403},
		}
		for _, tt := range tests {
			if r := e.do(tt.who, "POST", path, tt.body); r.Status != tt.want {
				t.Errorf("%s files %v: %d, want %d; %s", tt.who, tt.body["kind"], r.Status, tt.want, r.Raw)
			}
		}
		list := e.must(200, "mission", "GET", path, nil)
		items, _ := list.Body["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["kind"] != "pay" {
			t.Fatalf("mission sees %d items, want its pay evidence only (the rest is the office's record): %s", len(items), list.Raw)
		}
		if strings.Contains(string(list.Raw), "ticket paid by employer") {
			t.Errorf("mission reads the office's note: %s", list.Raw)
		}
		if note := e.must(200, "officer", "GET", path, nil).Body["items"].([]any)[2].(map[string]any)["note"]; note != "ticket paid by employer" {
			t.Errorf("officer reads note %q", note)
		}
		e.must(404, "missionB", "GET", path, nil)
		e.must(403, "auditor", "GET", path, nil)

		for _, tt := range []struct {
			body  map[string]any
			field string
			want  int
		}{
			{map[string]any{"kind": "pay", "sole_name_account": true}, "month", 422},
			{map[string]any{"kind": "pay", "month": "2026-13", "sole_name_account": true}, "month", 422},
			{map[string]any{"kind": "pay", "month": "2026-10"}, "sole_name_account", 422},
			{map[string]any{"kind": "insurance", "insurance": "life", "valid_until": "2027-01-01"}, "insurance", 422},
			{map[string]any{"kind": "insurance", "insurance": "health"}, "valid_until", 422},
			{map[string]any{"kind": "insurance", "insurance": "health", "valid_until": "2027-02-30"}, "valid_until", 400},
			{map[string]any{"kind": "final_pay", "month": "2026-10"}, "month", 422},
			{map[string]any{"kind": "bonus"}, "kind", 422},
			{map[string]any{"kind": "final_pay", "reference": "a\x00b"}, "reference", 422},
		} {
			r := e.do("officer", "POST", path, tt.body)
			if r.Status != tt.want || r.field(tt.field) == "" {
				t.Errorf("%v: status %d, body %s; want %d naming %s", tt.body, r.Status, r.Raw, tt.want, tt.field)
			}
		}
	})
}
