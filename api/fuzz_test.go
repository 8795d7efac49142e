package api

import (
	"net/url"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/models/store/storetest"
)

// FuzzAPI_NoServerError sends arbitrary bodies and query strings to the
// routes that take input, as an officer and as a mission user: bad input
// must always be a 4xx, never a 500.
func FuzzAPI_NoServerError(f *testing.F) {
	e := newEnv(f, storetest.Open(f, "sqlite"))
	e.t = f
	emp := e.employer("officer", "head_of_mission")
	wrk := e.worker("officer", "1990-01-01")
	empl := e.must(201, "officer", "POST", "/api/v1/employments", notification(wrk, emp, validTerms())).str("id")
	appt := e.appointment()
	targets := []struct{ method, path string }{
		{"POST", "/api/v1/missions"}, {"PATCH", "/api/v1/missions/" + e.missionA.ID},
		{"POST", "/api/v1/employers"}, {"PATCH", "/api/v1/employers/" + emp},
		{"POST", "/api/v1/workers"}, {"PATCH", "/api/v1/workers/" + wrk},
		{"POST", "/api/v1/employments"}, {"PATCH", "/api/v1/employments/" + empl},
		{"POST", "/api/v1/policies"}, {"POST", "/api/v1/tokens"}, {"POST", "/api/v1/auth/login"},
		{"GET", "/api/v1/workers"}, {"GET", "/api/v1/employments"}, {"GET", "/api/v1/employers"},
		{"GET", "/api/v1/missions"}, {"GET", "/api/v1/audit"}, {"GET", "/api/v1/policies/current"},
		{"GET", "/api/v1/appointments"}, {"POST", "/api/v1/appointments/" + appt + "/outcome"},
	}
	f.Add(uint8(6), false, `{"worker_id":"`+wrk+`","employer_id":"`+emp+`","start_date":"2026-12-01","terms":{"monthly_net_wage":"1e9"}}`, "")
	f.Add(uint8(7), true, `{"status":"ended","departure_date":"1900-01-01"}`, "")
	f.Add(uint8(5), false, `{"date_of_birth":"0000-01-01","languages":["x-"]}`, "")
	f.Add(uint8(11), false, `{}`, "q=%25_%5C&limit=0&after="+wrk)
	f.Add(uint8(16), false, ``, "on=2026-02-29")
	f.Add(uint8(8), false, `{"name":"x","min_monthly_net_wage":"-1","household_quota":{"diplomat":-1}}`, "")
	f.Add(uint8(17), false, ``, "from=2026-11-31&to=2026-11-01&unplaced=1&kind=exit")
	f.Add(uint8(18), false, `{"outcome":"employer_present","note":"\u0000"}`, "")
	f.Fuzz(func(t *testing.T, target uint8, asMission bool, body, query string) {
		tg := targets[int(target)%len(targets)]
		who := "admin"
		if asMission {
			who = "mission"
		}
		path := tg.path
		if q, err := url.ParseQuery(query); err == nil && len(q) > 0 {
			path += "?" + q.Encode()
		}
		var b any
		if tg.method != "GET" {
			b = body
		}
		e.t = t
		r := e.do(who, tg.method, path, b)
		if r.Status >= 500 {
			t.Fatalf("%s %s as %s: %d %s", tg.method, path, who, r.Status, r.Raw)
		}
		if r.Status >= 400 && !strings.Contains(string(r.Raw), `"error"`) {
			t.Fatalf("%s %s: %d without the error body: %s", tg.method, path, r.Status, r.Raw)
		}
	})
}
