package api

import (
	"net/url"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/models/store/storetest"
)

// FuzzAPI_CaseRoutes sends arbitrary bodies and query strings to the case,
// organisation and referral routes as an admin, an officer and a mission
// user: bad input is always a 4xx with the error body, never a 500, and a
// mission user never gets anything but 403.
func FuzzAPI_CaseRoutes(f *testing.F) {
	e := newEnv(f, storetest.Open(f, "sqlite"))
	e.t = f
	caseID := e.openCase("fuzz")
	org := e.organisation("police", true)
	ref := e.referral(caseID, org)
	targets := []struct{ method, path string }{
		{"POST", "/api/v1/cases"}, {"GET", "/api/v1/cases"}, {"PATCH", "/api/v1/cases/" + caseID},
		{"POST", "/api/v1/cases/" + caseID + "/actions"}, {"POST", "/api/v1/organisations"},
		{"PATCH", "/api/v1/organisations/" + org}, {"GET", "/api/v1/organisations"},
		{"POST", "/api/v1/referrals"}, {"GET", "/api/v1/referrals"}, {"GET", "/api/v1/referrals/" + ref + "/export"},
	}
	f.Add(uint8(0), uint8(1), `{"employment_id":"`+caseID+`","reason":"x","priority":"urgent"}`, "")
	f.Add(uint8(1), uint8(1), ``, "status=closed&priority=urgent&assigned_to="+caseID+"&limit=1&after="+caseID)
	f.Add(uint8(2), uint8(1), `{"status":"closed","outcome":"referred","note":"\u0000"}`, "")
	f.Add(uint8(3), uint8(1), `{"kind":"note","note":""}`, "")
	f.Add(uint8(4), uint8(0), `{"kind":"police","name":"P","phone":"+41 117 117","emergency":true,"languages":["x-"]}`, "")
	f.Add(uint8(5), uint8(0), `{"email":"","phone":""}`, "")
	f.Add(uint8(7), uint8(1), `{"case_id":"`+caseID+`","organisation_id":"`+org+`","consent":false}`, "")
	f.Add(uint8(7), uint8(1), `{"case_id":"`+caseID+`","organisation_id":"`+org+`","consent":true,"consent_recorded_by":"`+caseID+`"}`, "")
	f.Add(uint8(8), uint8(2), ``, "case_id=%00")
	f.Fuzz(func(t *testing.T, target, as uint8, body, query string) {
		tg := targets[int(target)%len(targets)]
		who := []string{"admin", "officer", "mission"}[int(as)%3]
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
		if who == "mission" && r.Status != 403 {
			t.Fatalf("%s %s as mission: %d %s", tg.method, path, r.Status, r.Raw)
		}
	})
}
