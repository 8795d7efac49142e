package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// openCase opens, as an officer, a case on a fresh approved employment of
// missionA and returns its id.
func (e *env) openCase(reason string) string {
	e.t.Helper()
	return e.must(201, "officer", "POST", "/api/v1/cases",
		map[string]any{"employment_id": e.approvedEmployment(), "reason": reason, "priority": "urgent"}).str("id")
}

// organisation creates, as an admin, a referral organisation.
func (e *env) organisation(kind string, emergency bool) string {
	e.t.Helper()
	return e.must(201, "admin", "POST", "/api/v1/organisations", map[string]any{"kind": kind, "name": "Org " + kind,
		"phone": "+41 58 000 00 10", "email": "intake@" + kind + ".example", "languages": []string{"tl", "en"}, "emergency": emergency}).str("id")
}

// referral refers the case, with consent recorded by the officer.
func (e *env) referral(caseID, orgID string) string {
	e.t.Helper()
	return e.must(201, "officer", "POST", "/api/v1/referrals", map[string]any{"case_id": caseID, "organisation_id": orgID,
		"consent": true, "consent_recorded_by": e.userID("officer"), "reason": "needs legal advice"}).str("id")
}

func TestAPI_CaseFlow(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		empl := e.approvedEmployment()
		c := e.must(201, "officer", "POST", "/api/v1/cases", map[string]any{"employment_id": empl, "reason": "allegation"})
		id := c.str("id")
		if c.str("status") != "open" || c.str("priority") != "normal" || c.str("employment_id") != empl {
			t.Fatalf("case = %s", c.Raw)
		}
		// A second opening on the same employment: the same case, 200.
		again := e.must(200, "admin", "POST", "/api/v1/cases", map[string]any{"employment_id": empl, "reason": "again", "priority": "urgent"})
		if again.str("id") != id || again.str("priority") != "urgent" {
			t.Fatalf("second opening = %s", again.Raw)
		}
		e.must(201, "officer", "POST", "/api/v1/cases/"+id+"/actions", map[string]any{"kind": "call", "note": "called the worker"})
		e.must(200, "officer", "PATCH", "/api/v1/cases/"+id, map[string]any{"assigned_to": e.userID("officer"), "status": "follow_up", "note": "waiting"})

		got := e.must(200, "officer", "GET", "/api/v1/cases/"+id, nil)
		var view struct {
			Status        string  `json:"status"`
			AssignedTo    *string `json:"assigned_to"`
			FirstActionAt *string `json:"first_action_at"`
			Actions       []struct {
				Kind    string            `json:"kind"`
				Note    string            `json:"note"`
				ActorID string            `json:"actor_id"`
				At      string            `json:"at"`
				Data    map[string]string `json:"data"`
			} `json:"actions"`
		}
		if err := json.Unmarshal(got.Raw, &view); err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, a := range view.Actions {
			kinds = append(kinds, a.Kind)
		}
		if k := strings.Join(kinds, " "); k != "opened flagged call assigned status_changed" {
			t.Errorf("timeline = %q", k)
		}
		if view.Status != "follow_up" || view.AssignedTo == nil || view.FirstActionAt == nil || view.Actions[2].Note != "called the worker" ||
			view.Actions[2].ActorID != e.userID("officer") || view.Actions[2].At == "" || view.Actions[1].Data["priority_to"] != "urgent" {
			t.Errorf("case = %s", got.Raw)
		}

		for _, tt := range []struct {
			query string
			want  int
		}{
			{"", 1}, {"?status=follow_up", 1}, {"?status=open", 0}, {"?priority=urgent", 1},
			{"?assigned_to=" + e.userID("officer"), 1}, {"?assigned_to=" + e.userID("admin"), 0}, {"?employment_id=" + empl, 1},
		} {
			items, _ := e.must(200, "officer", "GET", "/api/v1/cases"+tt.query, nil).Body["items"].([]any)
			if len(items) != tt.want {
				t.Errorf("GET /cases%s: %d items, want %d", tt.query, len(items), tt.want)
			}
		}

		// Bad input: a 4xx naming the field, never a 500.
		for _, tt := range []struct {
			method, path string
			body         any
			status       int
			field        string
		}{
			{"POST", "/api/v1/cases", map[string]any{"employment_id": "nope", "reason": "x"}, 422, "employment_id"},
			{"POST", "/api/v1/cases", map[string]any{"employment_id": empl}, 422, "reason"},
			{"POST", "/api/v1/cases", map[string]any{"employment_id": empl, "reason": "x", "priority": "high"}, 422, "priority"},
			{"POST", "/api/v1/cases", map[string]any{"employment_id": e.missionA.ID, "reason": "x"}, 422, "employment_id"},
			{"POST", "/api/v1/cases", map[string]any{"employment_id": empl, "reason": "x", "status": "open"}, 400, "status"},
			{"POST", "/api/v1/cases", map[string]any{"employment_id": empl, "reason": 5}, 400, "reason"},
			{"PATCH", "/api/v1/cases/" + id, map[string]any{"status": "closed"}, 422, "outcome"},
			{"PATCH", "/api/v1/cases/" + id, map[string]any{"assigned_to": e.userID("mission")}, 422, "assigned_to"},
			{"PATCH", "/api/v1/cases/" + id, map[string]any{"note": "only a note"}, 422, "body"},
			{"POST", "/api/v1/cases/" + id + "/actions", map[string]any{"kind": "referral", "note": "x"}, 422, "kind"},
			{"GET", "/api/v1/cases?status=urgent", nil, 400, "status"},
			{"GET", "/api/v1/cases?assigned_to=bob", nil, 400, "assigned_to"},
			{"GET", "/api/v1/cases?limit=0", nil, 400, "limit"},
		} {
			r := e.do("officer", tt.method, tt.path, tt.body)
			if r.Status != tt.status || r.field(tt.field) == "" {
				t.Errorf("%s %s %v: %d %s, want %d naming %s", tt.method, tt.path, tt.body, r.Status, r.Raw, tt.status, tt.field)
			}
		}
		for _, path := range []string{"/api/v1/cases/" + e.missionA.ID, "/api/v1/cases/x", "/api/v1/referrals/" + id, "/api/v1/organisations/" + id} {
			if r := e.do("officer", "GET", path, nil); r.Status != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", path, r.Status)
			}
		}

		e.must(200, "officer", "PATCH", "/api/v1/cases/"+id, map[string]any{"status": "closed", "outcome": "resolved", "note": "paid"})
		if r := e.do("officer", "PATCH", "/api/v1/cases/"+id, map[string]any{"status": "open"}); r.Status != http.StatusConflict {
			t.Errorf("reopening a closed case: %d %s", r.Status, r.Raw)
		}
		if r := e.do("officer", "POST", "/api/v1/cases/"+id+"/actions", map[string]any{"kind": "call"}); r.Status != http.StatusConflict {
			t.Errorf("action on a closed case: %d %s", r.Status, r.Raw)
		}
	})
}

// TestAPI_ReferralConsent is the acceptance test: a referral without
// consent is refused; with consent it appears on the case's timeline and
// in the audit trail; an emergency organisation takes one without consent
// only with a reason, flagged emergency.
func TestAPI_ReferralConsent(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		caseID := e.openCase("worker locked in")
		ngo, police := e.organisation("ngo", false), e.organisation("police", true)

		r := e.do("officer", "POST", "/api/v1/referrals", map[string]any{"case_id": caseID, "organisation_id": ngo, "reason": "shelter"})
		if r.Status != http.StatusUnprocessableEntity || r.field("consent") == "" {
			t.Fatalf("referral without consent: %d %s, want 422 naming consent", r.Status, r.Raw)
		}
		r = e.do("officer", "POST", "/api/v1/referrals", map[string]any{"case_id": caseID, "organisation_id": ngo, "consent": false})
		if r.Status != http.StatusUnprocessableEntity || r.field("consent") == "" {
			t.Fatalf("referral with consent false: %d %s", r.Status, r.Raw)
		}
		r = e.do("officer", "POST", "/api/v1/referrals", map[string]any{"case_id": caseID, "organisation_id": police})
		if r.Status != http.StatusUnprocessableEntity || r.field("reason") == "" {
			t.Fatalf("emergency referral without reason: %d %s, want 422 naming reason", r.Status, r.Raw)
		}
		r = e.do("officer", "POST", "/api/v1/referrals", map[string]any{"case_id": caseID, "organisation_id": ngo, "consent": "yes"})
		if r.Status != http.StatusBadRequest || r.field("consent") == "" {
			t.Fatalf("consent as a string: %d %s", r.Status, r.Raw)
		}
		if items, _ := e.must(200, "officer", "GET", "/api/v1/referrals?case_id="+caseID, nil).Body["items"].([]any); len(items) != 0 {
			t.Fatalf("refused referrals were stored: %d", len(items))
		}

		ref := e.referral(caseID, ngo)
		emerg := e.must(201, "officer", "POST", "/api/v1/referrals", map[string]any{"case_id": caseID, "organisation_id": police,
			"reason": "immediate danger"})
		if emerg.Body["emergency"] != true || emerg.Body["consent"] != false || emerg.Body["consent_recorded_by"] != nil {
			t.Errorf("emergency referral = %s", emerg.Raw)
		}
		got := e.must(200, "officer", "GET", "/api/v1/referrals/"+ref, nil)
		if got.Body["consent"] != true || got.str("consent_recorded_by") != e.userID("officer") || got.str("case_id") != caseID {
			t.Errorf("referral = %s", got.Raw)
		}
		cs := e.must(200, "officer", "GET", "/api/v1/cases/"+caseID, nil)
		if !strings.Contains(string(cs.Raw), `"kind":"referral"`) || !strings.Contains(string(cs.Raw), `"referral_id":"`+ref+`"`) {
			t.Errorf("the referral is not on the case's timeline: %s", cs.Raw)
		}
		audit := e.must(200, "admin", "GET", "/api/v1/audit?object_type=referral&action=create", nil)
		if !strings.Contains(string(audit.Raw), ref) || !strings.Contains(string(audit.Raw), emerg.str("id")) {
			t.Errorf("the referrals are not in the audit trail: %s", audit.Raw)
		}
		items, _ := e.must(200, "officer", "GET", "/api/v1/referrals?case_id="+caseID, nil).Body["items"].([]any)
		if len(items) != 2 {
			t.Errorf("referrals of the case = %d, want 2", len(items))
		}

		x := e.must(200, "officer", "GET", "/api/v1/referrals/"+ref+"/export", nil)
		if cd := x.Header.Get("Content-Disposition"); !strings.Contains(cd, "referral-"+ref+".json") {
			t.Errorf("Content-Disposition = %q", cd)
		}
		if x.str("format") != "pdw-referral" || x.str("htcds_version") == "" {
			t.Errorf("export = %s", x.Raw)
		}
		if org, _ := x.Body["case"].(map[string]any); org["cas_ReferringOrganisation"] != "Protocol Office (test)" {
			t.Errorf("referring organisation = %v", org["cas_ReferringOrganisation"])
		}
		for _, leak := range []string{"Worker Test", "P1234567", "worker@example.org", "1990-01-01", "+41 79"} {
			if strings.Contains(string(x.Raw), leak) {
				t.Errorf("the export carries %q", leak)
			}
		}
	})
}

func TestAPI_Organisations(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := e.organisation("mediation", false)
		e.must(200, "admin", "PATCH", "/api/v1/organisations/"+id, map[string]any{"active": false, "languages": []string{"fr"}})
		got := e.must(200, "officer", "GET", "/api/v1/organisations/"+id, nil)
		if got.Body["active"] != false || got.str("kind") != "mediation" {
			t.Errorf("organisation = %s", got.Raw)
		}
		for _, tt := range []struct {
			method, path string
			body         any
			status       int
			field        string
		}{
			{"POST", "/api/v1/organisations", map[string]any{"kind": "church", "name": "x", "phone": "+41 58 000 00 00"}, 422, "kind"},
			{"POST", "/api/v1/organisations", map[string]any{"kind": "ngo", "name": "x"}, 422, "email"},
			{"POST", "/api/v1/organisations", map[string]any{"kind": "ngo", "name": "x", "email": "not-an-address"}, 422, "email"},
			{"POST", "/api/v1/organisations", map[string]any{"kind": "ngo", "name": "x", "phone": "1", "emergency": "yes"}, 400, "emergency"},
			{"PATCH", "/api/v1/organisations/" + id, map[string]any{"name": ""}, 422, "name"},
			{"GET", "/api/v1/organisations?kind=church", nil, 400, "kind"},
			{"GET", "/api/v1/organisations?active=maybe", nil, 400, "active"},
		} {
			r := e.do("admin", tt.method, tt.path, tt.body)
			if r.Status != tt.status || r.field(tt.field) == "" {
				t.Errorf("%s %s %v: %d %s, want %d naming %s", tt.method, tt.path, tt.body, r.Status, r.Raw, tt.status, tt.field)
			}
		}
		for q, want := range map[string]int{"": 1, "?active=true": 0, "?active=false": 1, "?kind=mediation": 1, "?kind=police": 0} {
			items, _ := e.must(200, "officer", "GET", "/api/v1/organisations"+q, nil).Body["items"].([]any)
			if len(items) != want {
				t.Errorf("GET /organisations%s: %d, want %d", q, len(items), want)
			}
		}
		r := e.do("officer", "POST", "/api/v1/referrals", map[string]any{"case_id": e.openCase("x"), "organisation_id": id,
			"consent": true, "consent_recorded_by": e.userID("officer")})
		if r.Status != http.StatusUnprocessableEntity || r.field("organisation_id") == "" {
			t.Errorf("referral to an inactive organisation: %d %s", r.Status, r.Raw)
		}
	})
}

// TestAPI_MissionNeverSeesCases walks every route of the router as the
// mission's focal point and as an auditor (GET with every path id set to
// a case, referral, organisation, interview, appointment or the
// employment, and with list filters; every write with a body naming them)
// and checks that no answer, success or error, carries a byte of the
// private record: the case's id, reason, notes, referral or organisation;
// the interview's id, notes, answers, risk or indicators; the follow-up's
// kind; whether anything is urgent.
func TestAPI_MissionNeverSeesCases(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		const secret = "SECRET-REASON-7f3a"
		appt := e.startedAppointment()
		empl := e.must(200, "officer", "GET", "/api/v1/appointments/"+appt, nil).str("employment_id")
		iv := e.must(201, "officer", "POST", "/api/v1/interviews", interviewBody(appt, true, map[string]any{"q05": 800}, secret+"-interview"))
		ivID := iv.Body["interview"].(map[string]any)["id"].(string)
		caseID := e.must(201, "officer", "POST", "/api/v1/cases", map[string]any{"employment_id": empl, "reason": secret}).str("id")
		e.must(201, "officer", "POST", "/api/v1/cases/"+caseID+"/actions", map[string]any{"kind": "note", "note": secret + "-note"})
		org := e.organisation("shelter", false)
		ref := e.referral(caseID, org)
		secrets := []string{secret, caseID, ref, org, "Org shelter", "needs legal advice", ivID, `"risk`, `"indicators"`,
			`"answers"`, "withholding", `"follow_up"`, `"urgent"`, "interview_id", `"q05"`}

		ids := []string{caseID, ref, org, empl, ivID, appt}
		for _, who := range []string{"mission", "auditor"} {
			for _, ri := range e.srv.Handler().Routes() {
				if ri.Method != "GET" || ri.Path == "/api/v1/openapi.json" { // the public schema, no data
					continue
				}
				var paths []string
				if strings.Contains(ri.Path, ":") {
					for _, id := range ids {
						p := ri.Path
						for _, seg := range []string{":id", ":code"} {
							p = strings.ReplaceAll(p, seg, id)
						}
						paths = append(paths, p)
					}
				} else {
					paths = []string{ri.Path, ri.Path + "?employment_id=" + empl + "&case_id=" + caseID,
						ri.Path + "?kind=follow_up&urgent=true&employment_id=" + empl, ri.Path + "?status=nonsense&risk=high"}
				}
				for _, p := range paths {
					r := e.do(who, "GET", p, nil)
					for _, s := range secrets {
						if strings.Contains(string(r.Raw), s) {
							t.Errorf("GET %s as %s (%d) reveals %q: %.300s", p, who, r.Status, s, r.Raw)
						}
					}
				}
			}
			// No write route answers with a hint, whatever it answers.
			for _, ri := range e.srv.Handler().Routes() {
				if ri.Method == "GET" {
					continue
				}
				for _, id := range ids {
					p := strings.ReplaceAll(strings.ReplaceAll(ri.Path, ":id", id), ":code", id)
					r := e.do(who, ri.Method, p, map[string]any{"employment_id": empl, "case_id": caseID, "appointment_id": appt,
						"interview_id": ivID, "reason": "x"})
					for _, s := range secrets {
						if strings.Contains(string(r.Raw), s) {
							t.Errorf("%s %s as %s (%d) reveals %q: %.300s", ri.Method, p, who, r.Status, s, r.Raw)
						}
					}
				}
			}
			// Writes to the private record are refused without a hint.
			for _, w := range []struct{ method, path string }{
				{"POST", "/api/v1/cases"}, {"PATCH", "/api/v1/cases/" + caseID}, {"POST", "/api/v1/cases/" + caseID + "/actions"},
				{"POST", "/api/v1/referrals"}, {"POST", "/api/v1/organisations"}, {"PATCH", "/api/v1/organisations/" + org},
			} {
				r := e.do(who, w.method, w.path, map[string]any{"employment_id": empl, "reason": "x", "case_id": caseID})
				if r.Status != http.StatusForbidden || strings.Contains(string(r.Raw), caseID) {
					t.Errorf("%s %s as %s: %d %s, want a bare 403", w.method, w.path, who, r.Status, r.Raw)
				}
			}
		}
	})
}
