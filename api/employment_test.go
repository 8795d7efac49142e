package api

import (
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestAPI_NotifyValidEmployment(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		mission := e.must(201, "officer", "POST", "/api/v1/missions", map[string]any{
			"name": "Embassy C", "kind": "embassy", "country": "PH", "focal_point_email": "c@mission.example"})
		emp := e.must(201, "officer", "POST", "/api/v1/employers", map[string]any{
			"mission_id": mission.str("id"), "full_name": "Counsellor X", "rank": "diplomat",
			"accreditation_number": "A-77", "immunity": "full"})
		wrk := e.must(201, "officer", "POST", "/api/v1/workers", map[string]any{
			"full_name": "Maria Test", "date_of_birth": "1990-04-01", "sex": "f", "nationality": "PH",
			"languages": []string{"tl", "en"}, "passport_number": "P7654321", "phone": "+41 79 000 00 00",
			"email": "maria@example.org", "contact_consent": true})
		got := e.must(201, "officer", "POST", "/api/v1/employments", notification(wrk.str("id"), emp.str("id"), validTerms()))
		if got, want := got.str("status"), "notified"; got != want {
			t.Errorf("status=%q, want %q", got, want)
		}
		if got, want := got.str("mission_id"), mission.str("id"); got != want {
			t.Errorf("mission_id=%q, want %q", got, want)
		}
		terms, _ := got.Body["terms"].(map[string]any)
		if got, want := terms["monthly_net_wage"], "1200.00"; got != want {
			t.Errorf("terms.monthly_net_wage=%v, want %v", got, want)
		}
		// The policy's night and Sunday premiums apply when the terms leave them out.
		if got, want := terms["night_premium_pct"], float64(100); got != want {
			t.Errorf("terms.night_premium_pct=%v, want %v", got, want)
		}
		one := e.must(200, "officer", "GET", "/api/v1/employments/"+got.str("id"), nil)
		if one.str("id") != got.str("id") {
			t.Errorf("GET returned %s", one.Raw)
		}
	})
}

func TestAPI_NotifyReportsEveryViolation(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		emp := e.employer("officer", "diplomat")
		wrk := e.worker("officer", "1990-01-01")
		terms := validTerms()
		terms["monthly_net_wage"] = "1000.00"
		terms["weekly_hours"] = 60
		terms["worker_keeps_passport"] = false
		r := e.must(422, "officer", "POST", "/api/v1/employments", notification(wrk, emp, terms))
		var keys []string
		for k := range r.fields() {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if got, want := strings.Join(keys, ","), "terms.monthly_net_wage,terms.weekly_hours,terms.worker_keeps_passport"; got != want {
			t.Fatalf("fields=%s, want %s (body %s)", got, want, r.Raw)
		}
		if got, want := r.field("terms.monthly_net_wage"), "must be at least 1200.00 CHF (PHEO art. 43)"; got != want {
			t.Errorf("wage message=%q, want %q", got, want)
		}
		for _, k := range keys {
			if !strings.Contains(r.field(k), "(") {
				t.Errorf("%s: message %q names no legal reference", k, r.field(k))
			}
		}
		// Nothing was stored.
		list := e.must(200, "officer", "GET", "/api/v1/employments", nil)
		if items, _ := list.Body["items"].([]any); len(items) != 0 {
			t.Errorf("refused notification left %d employments", len(items))
		}
	})
}

func TestAPI_NotifyRefusesMinorsAndFlagsUnknownAge(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		tests := []struct {
			name, dob string
			uncertain bool
			wantCode  int
		}{
			{"aged 17 at start", "2009-06-01", false, 422},
			{"born one day too late", "2008-12-02", false, 422},
			{"exactly 18 at start", "2008-12-01", false, 201},
			{"date of birth unknown", "", false, 422},
			{"date of birth uncertain", "1995-01-01", true, 422},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				sub := *e
				sub.t = t
				e := &sub
				emp := e.employer("officer", "head_of_mission")
				body := map[string]any{"full_name": "W", "sex": "f", "nationality": "PH", "languages": []string{"tl"},
					"date_of_birth_uncertain": tt.uncertain}
				if tt.dob != "" {
					body["date_of_birth"] = tt.dob
				}
				wrk := e.must(201, "officer", "POST", "/api/v1/workers", body).str("id")
				terms := validTerms()
				terms["annual_leave_weeks"] = 5 // owed under 20 (PHEO art. 50)
				r := e.must(tt.wantCode, "officer", "POST", "/api/v1/employments", notification(wrk, emp, terms))
				if tt.wantCode != 422 {
					return
				}
				if r.field("worker.date_of_birth") == "" {
					t.Errorf("refusal names no worker.date_of_birth: %s", r.Raw)
				}
				w := e.must(200, "officer", "GET", "/api/v1/workers/"+wrk, nil)
				if w.str("review_reason") == "" {
					t.Errorf("worker not flagged for an officer: %s", w.Raw)
				}
			})
		}
		flagged := e.must(200, "officer", "GET", "/api/v1/workers?needs_review=true", nil)
		if items, _ := flagged.Body["items"].([]any); len(items) != 4 {
			t.Errorf("needs_review lists %d workers, want 4", len(items))
		}
	})
}

func TestAPI_NotifyHouseholdQuota(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		diplomat := e.employer("officer", "diplomat")
		e.must(201, "officer", "POST", "/api/v1/employments", notification(e.worker("officer", "1990-01-01"), diplomat, validTerms()))
		r := e.must(422, "officer", "POST", "/api/v1/employments", notification(e.worker("officer", "1991-01-01"), diplomat, validTerms()))
		if !strings.Contains(r.field("employer_id"), "at most 1") {
			t.Errorf("employer_id=%q, want the quota", r.field("employer_id"))
		}
		// A head of mission has no fixed number under the Swiss preset.
		head := e.employer("officer", "head_of_mission")
		for i := 0; i < 3; i++ {
			e.must(201, "officer", "POST", "/api/v1/employments", notification(e.worker("officer", "1990-01-01"), head, validTerms()))
		}
	})
}

func TestAPI_EmploymentLifeCycle(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := e.must(201, "mission", "POST", "/api/v1/employments",
			notification(e.worker("mission", "1990-01-01"), e.employer("mission", "diplomat"), validTerms())).str("id")
		path := "/api/v1/employments/" + id
		e.must(409, "officer", "PATCH", path, map[string]any{"status": "active"})
		e.must(403, "mission", "PATCH", path, map[string]any{"status": "approved"})
		e.must(200, "officer", "PATCH", path, map[string]any{"status": "approved"})
		e.must(200, "mission", "PATCH", path, map[string]any{"arrival_date": "2026-12-03"})
		r := e.must(200, "officer", "PATCH", path, map[string]any{"status": "active", "id_card_number": "S-1", "id_card_expiry": "2027-12-03"})
		if got, want := r.str("arrival_date"), "2026-12-03"; got != want {
			t.Errorf("arrival_date=%q, want %q", got, want)
		}
		e.must(422, "mission", "PATCH", path, map[string]any{"departure_date": "2026-11-01"})
		e.must(409, "officer", "PATCH", path, map[string]any{"status": "ended", "departure_date": "2027-06-30"}) // no exit evidence
		e.must(200, "officer", "PATCH", path, map[string]any{"status": "ended", "departure_date": "2027-06-30",
			"exit_pack_waiver": "The worker left in a hurry; the evidence follows."})
		e.must(409, "officer", "PATCH", path, map[string]any{"status": "active"})
		e.must(http.StatusMethodNotAllowed, "admin", "DELETE", path, nil)
	})
}

func TestAPI_MissionScopeAndRedaction(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		emp := e.employer("mission", "diplomat")
		wrk := e.worker("mission", "1990-01-01")
		empl := e.must(201, "mission", "POST", "/api/v1/employments", notification(wrk, emp, validTerms())).str("id")

		// Another mission's focal point sees none of it.
		for _, p := range []string{"/api/v1/employers/" + emp, "/api/v1/workers/" + wrk, "/api/v1/employments/" + empl, "/api/v1/missions/" + e.missionA.ID} {
			e.must(404, "missionB", "GET", p, nil)
			if !strings.Contains(p, "/missions/") { // missions are the office's to edit: 403
				e.must(404, "missionB", "PATCH", p, map[string]any{})
			}
		}
		for _, p := range []string{"/api/v1/employers", "/api/v1/workers", "/api/v1/employments"} {
			r := e.must(200, "missionB", "GET", p, nil)
			if items, _ := r.Body["items"].([]any); len(items) != 0 {
				t.Errorf("%s lists %d of another mission's records", p, len(items))
			}
		}
		// Nor can it notify with another mission's employer or worker.
		r := e.must(422, "missionB", "POST", "/api/v1/employments", notification(wrk, emp, validTerms()))
		if r.field("employer_id") == "" || r.field("worker_id") == "" {
			t.Errorf("cross-mission notification: %s", r.Raw)
		}
		// Its own mission never sees passport, phone or e-mail.
		for _, raw := range [][]byte{
			e.must(200, "mission", "GET", "/api/v1/workers/"+wrk, nil).Raw,
			e.must(200, "mission", "GET", "/api/v1/workers", nil).Raw,
		} {
			for _, k := range []string{"passport_number", "phone", "email", "P1234567"} {
				if strings.Contains(string(raw), k) {
					t.Errorf("mission sees %q: %s", k, raw)
				}
			}
		}
		if raw := e.must(200, "officer", "GET", "/api/v1/workers/"+wrk, nil).Raw; !strings.Contains(string(raw), "P1234567") {
			t.Errorf("officer does not see the passport number: %s", raw)
		}
		// The auditor sees no personal data at all.
		for _, p := range []string{"/api/v1/workers", "/api/v1/workers/" + wrk, "/api/v1/employers", "/api/v1/employments/" + empl} {
			e.must(403, "auditor", "GET", p, nil)
		}
		if raw := e.must(200, "auditor", "GET", "/api/v1/missions", nil).Raw; strings.Contains(string(raw), "@mission.example") {
			t.Errorf("auditor sees a focal point's e-mail: %s", raw)
		}
	})
}

func TestAPI_ErrorShapes(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		big := `{"full_name":"` + strings.Repeat("x", 1<<20) + `"}`
		tests := []struct {
			name, who, method, path string
			body                    any
			status                  int
			field                   string
		}{
			{"malformed JSON", "officer", "POST", "/api/v1/workers", `{"full_name":`, 400, ""},
			{"unknown field", "officer", "POST", "/api/v1/workers", `{"full_nam":"x"}`, 400, "full_nam"},
			{"unknown nested field", "officer", "POST", "/api/v1/employments", `{"terms":{"wage":1}}`, 400, "terms.wage"},
			{"wrong type", "officer", "POST", "/api/v1/employments", `{"terms":{"weekly_hours":"many"}}`, 400, "terms.weekly_hours"},
			{"bad date", "officer", "POST", "/api/v1/workers", `{"date_of_birth":"1990-02-30"}`, 400, "date_of_birth"},
			{"validation", "officer", "POST", "/api/v1/workers", `{}`, 422, "full_name"},
			{"body too large", "officer", "POST", "/api/v1/workers", big, 413, ""},
			{"no credentials", "", "GET", "/api/v1/workers", nil, 401, ""},
			{"unknown id", "officer", "GET", "/api/v1/workers/0190d9b6-0000-7000-8000-000000000000", nil, 404, ""},
			{"not an id", "officer", "GET", "/api/v1/workers/../../etc", nil, 404, ""},
			{"role not allowed", "auditor", "GET", "/api/v1/workers", nil, 403, ""},
			{"bad page cursor", "officer", "GET", "/api/v1/workers?after=x", nil, 400, "after"},
			{"bad filter", "officer", "GET", "/api/v1/employments?status=lost", nil, 400, "status"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.do(tt.who, tt.method, tt.path, tt.body)
				if r.Status != tt.status {
					t.Fatalf("status=%d, want %d; body %.300s", r.Status, tt.status, r.Raw)
				}
				errObj, ok := r.Body["error"].(map[string]any)
				if !ok || errObj["code"] == "" || errObj["message"] == "" {
					t.Fatalf("body is not {\"error\":{code,message}}: %.300s", r.Raw)
				}
				if tt.field != "" && r.field(tt.field) == "" {
					t.Errorf("fields %v do not name %q", r.fields(), tt.field)
				}
			})
		}
		// A bad bearer token is refused.
		e.tokens["forged"] = "pdw_forged"
		e.must(401, "forged", "GET", "/api/v1/me", nil)
	})
}

func TestAPI_KeysetPagination(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for i := 0; i < 7; i++ {
			e.employer("officer", "head_of_mission")
		}
		seen := map[string]bool{}
		path := "/api/v1/employers?limit=3"
		for pages := 0; path != ""; pages++ {
			if pages > 5 {
				t.Fatal("pagination does not end")
			}
			r := e.must(200, "officer", "GET", path, nil)
			for _, it := range r.Body["items"].([]any) {
				id := it.(map[string]any)["id"].(string)
				if seen[id] {
					t.Fatalf("id %s on two pages", id)
				}
				seen[id] = true
			}
			path = ""
			if next, ok := r.Body["next"].(string); ok {
				path = "/api/v1/employers?limit=3&after=" + next
			}
		}
		if got, want := len(seen), 7; got != want {
			t.Errorf("paged through %d employers, want %d", got, want)
		}
	})
}

func TestAPI_MissionMayNotSetWorkersOwnChannel(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		base := map[string]any{"full_name": "W", "date_of_birth": "1990-01-01", "sex": "f", "nationality": "PH", "languages": []string{"tl"}}
		for _, k := range []string{"phone", "email", "contact_consent"} {
			body := map[string]any{}
			for bk, bv := range base {
				body[bk] = bv
			}
			body[k] = map[string]any{"phone": "+41 79 111 22 33", "email": "w@example.org", "contact_consent": true}[k]
			e.must(403, "mission", "POST", "/api/v1/workers", body)
		}
		id := e.must(201, "mission", "POST", "/api/v1/workers", base).str("id")
		for _, k := range []string{"passport_number", "phone", "email"} {
			e.must(403, "mission", "PATCH", "/api/v1/workers/"+id, map[string]any{k: "x"})
		}
		e.must(200, "officer", "PATCH", "/api/v1/workers/"+id, map[string]any{"phone": "+41 79 111 22 33", "contact_consent": true})
	})
}

// TestAPI_FlaggedWorkerNeedsAnOfficer: a worker refused as a presumed minor
// stays blocked, even after the mission edits the date of birth, until an
// officer clears the flag.
func TestAPI_FlaggedWorkerNeedsAnOfficer(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		emp := e.employer("mission", "head_of_mission")
		wrk := e.worker("mission", "2010-01-01")
		e.must(422, "mission", "POST", "/api/v1/employments", notification(wrk, emp, validTerms()))
		e.must(200, "mission", "PATCH", "/api/v1/workers/"+wrk, map[string]any{"date_of_birth": "1990-01-01"})
		r := e.must(422, "mission", "POST", "/api/v1/employments", notification(wrk, emp, validTerms()))
		if !strings.Contains(r.field("worker_id"), "review") {
			t.Errorf("worker_id=%q, want the review flag", r.field("worker_id"))
		}
		e.must(403, "mission", "PATCH", "/api/v1/workers/"+wrk, map[string]any{"review_reason": ""})
		e.must(200, "officer", "PATCH", "/api/v1/workers/"+wrk, map[string]any{"review_reason": ""})
		e.must(201, "mission", "POST", "/api/v1/employments", notification(wrk, emp, validTerms()))
	})
}

// TestAPI_YoungWorkerIsOwedMoreLeave: under the Swiss preset a worker under
// 20 on the start date is owed five weeks' leave, not four.
func TestAPI_YoungWorkerIsOwedMoreLeave(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		emp := e.employer("officer", "head_of_mission")
		young := e.worker("officer", "2007-06-01") // 19 on 2026-12-01
		r := e.must(422, "officer", "POST", "/api/v1/employments", notification(young, emp, validTerms()))
		if got, want := r.field("terms.annual_leave_weeks"), "must be at least 5 weeks a year for a worker under 20 (PHEO art. 50)"; got != want {
			t.Errorf("annual_leave_weeks=%q, want %q", got, want)
		}
		terms := validTerms()
		terms["annual_leave_weeks"] = 5
		e.must(201, "officer", "POST", "/api/v1/employments", notification(young, emp, terms))
		// Twenty on the start date: four weeks suffice.
		e.must(201, "officer", "POST", "/api/v1/employments", notification(e.worker("officer", "2006-12-01"), emp, validTerms()))
	})
}

// TestAPI_NotifyPayDay: the terms' pay day is stored and returned; one that
// not every month has is refused naming terms.pay_day; left out it is 0
// (at the latest on the last day of the month). A contract's terms keep
// the pay day.
func TestAPI_NotifyPayDay(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		emp := e.employer("officer", "head_of_mission")
		payDay := func(r response) any { return r.Body["terms"].(map[string]any)["pay_day"] }

		terms := validTerms()
		terms["pay_day"] = 25
		got := e.must(201, "officer", "POST", "/api/v1/employments", notification(e.worker("officer", "1990-01-01"), emp, terms))
		if v := payDay(got); v != float64(25) {
			t.Errorf("POST terms.pay_day = %v, want 25", v)
		}
		id := got.str("id")
		if v := payDay(e.must(200, "officer", "GET", "/api/v1/employments/"+id, nil)); v != float64(25) {
			t.Errorf("GET terms.pay_day = %v, want 25", v)
		}
		e.must(200, "officer", "PATCH", "/api/v1/employments/"+id, map[string]any{"status": "approved"})
		c := e.must(201, "officer", "POST", "/api/v1/employments/"+id+"/contracts", nil)
		if v := payDay(c); v != float64(25) {
			t.Errorf("contract terms.pay_day = %v, want 25", v)
		}
		if v := payDay(e.must(200, "officer", "GET", "/api/v1/contracts/"+c.str("id"), nil)); v != float64(25) {
			t.Errorf("stored contract terms.pay_day = %v, want 25", v)
		}

		terms["pay_day"] = 31
		r := e.must(422, "officer", "POST", "/api/v1/employments", notification(e.worker("officer", "1991-01-01"), emp, terms))
		if f := r.fields(); len(f) != 1 || !strings.Contains(r.field("terms.pay_day"), "every month") {
			t.Errorf("pay_day 31: fields %v, want terms.pay_day only, explaining the day every month has", f)
		}

		delete(terms, "pay_day")
		got = e.must(201, "officer", "POST", "/api/v1/employments", notification(e.worker("officer", "1992-01-01"), emp, terms))
		if v := payDay(got); v != float64(0) {
			t.Errorf("without pay_day: terms.pay_day = %v, want 0", v)
		}
		if v := payDay(e.must(200, "officer", "GET", "/api/v1/employments/"+got.str("id"), nil)); v != float64(0) {
			t.Errorf("without pay_day: GET terms.pay_day = %v, want 0", v)
		}
	})
}

// TestAPI_RenewalBlockedUntilAttended: a later ID-card expiry is refused
// until the worker has attended a renewal interview for the current card.
func TestAPI_RenewalBlockedUntilAttended(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := e.approvedEmployment()
		path := "/api/v1/employments/" + id
		e.must(200, "officer", "PATCH", path, map[string]any{"status": "active", "arrival_date": "2026-10-01", "id_card_number": "S-1", "id_card_expiry": "2026-11-20"})
		r := e.must(409, "officer", "PATCH", path, map[string]any{"id_card_expiry": "2027-11-20"})
		if !strings.Contains(string(r.Raw), "renewal interview") {
			t.Errorf("409 does not say why: %s", r.Raw)
		}
		// An earlier expiry (a correction) is not a renewal.
		e.must(200, "officer", "PATCH", path, map[string]any{"id_card_expiry": "2026-11-19"})
		a := e.must(201, "officer", "POST", "/api/v1/appointments", map[string]any{
			"employment_id": id, "kind": "renewal", "starts_at": "2026-11-03T10:00:00Z"})
		e.must(409, "officer", "PATCH", path, map[string]any{"id_card_expiry": "2027-11-19"})
		e.db.Now = func() time.Time { return time.Date(2026, 11, 3, 11, 0, 0, 0, time.UTC) } // after the interview
		e.must(200, "officer", "POST", "/api/v1/appointments/"+a.str("id")+"/outcome", map[string]any{"outcome": "attended"})
		e.must(200, "officer", "PATCH", path, map[string]any{"id_card_expiry": "2027-11-19"})
	})
}
