package web

import (
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// startedHours makes each started appointment's slot unique.
var startedHours atomic.Int64

// startedAppointment returns a scheduled appointment of a new employment
// whose slot has begun (moved into the past by hand, as the API tests
// do), ready for an interview.
func (e *env) startedAppointment(languages ...string) (apptID, emplID string) {
	e.t.Helper()
	if len(languages) == 0 {
		languages = []string{"tl"}
	}
	emplID, _ = e.approvedEmployment(languages...)
	apptID = e.appointment(emplID)
	start := storetest.Now.Add(-time.Duration(startedHours.Add(1)) * time.Hour)
	storetest.MustExec(e.t, e.db, "UPDATE appointments SET starts_at = ?, ends_at = ? WHERE id = ?",
		start, start.Add(45*time.Minute), apptID)
	return apptID, emplID
}

// interviewValues is a submitted interview form whose answers trigger
// nothing, with changes applied ("" removes an answer).
func interviewValues(changes map[string]string) url.Values {
	f := url.Values{"worker_seen_alone": {"true"}, "interpreter_language": {"tl"}, "notes": {"Seen alone, well."}}
	for _, q := range models.CurrentChecklist().Questions {
		name := "answers." + q.ID
		switch q.Type {
		case models.AnswerYesNo:
			v := "true"
			for _, r := range q.Rules {
				if r.Is != nil && *r.Is {
					v = "false"
				}
			}
			f.Set(name, v)
		case models.AnswerChoice:
			f.Set(name, q.Options[0])
		case models.AnswerNumber:
			f.Set(name, "0")
		}
	}
	f.Set("answers.q05", "1200")
	f.Set("answers.q12", "45")
	for k, v := range changes {
		if v == "" {
			f.Del(k)
		} else {
			f.Set(k, v)
		}
	}
	return f
}

// criticalAnswer returns a question and an answer that make the risk
// critical.
func criticalAnswer() (string, string) {
	for _, q := range models.CurrentChecklist().Questions {
		for _, r := range q.Rules {
			if r.Severity != models.SeverityCritical || r.MinServiceMonths > 0 {
				continue
			}
			switch {
			case q.Type == models.AnswerYesNo && r.Is != nil:
				return q.ID, strconv.FormatBool(*r.Is)
			case q.Type == models.AnswerChoice && len(r.In) > 0:
				return q.ID, r.In[0]
			}
		}
	}
	panic("no critical question in the checklist")
}

// features are the fixtures of the pages added for interviews, cases,
// referrals, evidence, briefings, sanctions and the report.
type features struct {
	interview, caseID, referral, briefing string
}

func (e *env) features() features {
	e.t.Helper()
	var fx features
	appt, empl := e.startedAppointment()
	r := e.must(http.StatusSeeOther, "officer", "POST", "/appointments/"+appt+"/interview", interviewValues(nil))
	fx.interview = idFrom(r.Header.Get("Location"))
	cs, _, err := e.db.CreateCase(e.actorOf("officer"), models.CaseInput{EmploymentID: empl, Reason: "Wages late."})
	if err != nil {
		e.t.Fatal(err)
	}
	fx.caseID = cs.ID
	org, err := e.db.CreateOrganisation(e.actorOf("admin"), models.OrganisationInput{Kind: models.OrgNGO, Name: "Aid NGO", Phone: "+41 58 000 00 09"})
	if err != nil {
		e.t.Fatal(err)
	}
	u, err := e.db.UserBySession(sys(), e.sessions["officer"])
	if err != nil {
		e.t.Fatal(err)
	}
	yes := true
	ref, err := e.db.CreateReferral(e.actorOf("officer"), models.ReferralInput{CaseID: cs.ID, OrganisationID: org.ID, Consent: &yes,
		ConsentRecordedBy: u.ID})
	if err != nil {
		e.t.Fatal(err)
	}
	fx.referral = ref.ID
	at := storetest.Now.Add(72 * time.Hour)
	b, err := e.db.CreateBriefing(e.actorOf("officer"), models.BriefingInput{StartsAt: &at, Language: "tl", Capacity: 5})
	if err != nil {
		e.t.Fatal(err)
	}
	fx.briefing = b.ID
	return fx
}

// featureRows are the page table's rows of those pages.
func (e *env) featureRows(empl string) []pageRow {
	const (
		ok  = http.StatusOK
		see = http.StatusSeeOther
	)
	roles := func(s int, who ...string) map[string]int {
		m := map[string]int{}
		for _, w := range who {
			m[w] = s
		}
		return m
	}
	registrar := func(m string, s int) map[string]int { return expect(m, roles(s, "admin", "officer", "mission")) }
	office := func(m string, s int) map[string]int { return expect(m, roles(s, "admin", "officer")) }
	admin := func(m string, s int) map[string]int { return expect(m, roles(s, "admin")) }
	reporters := func(m string, s int) map[string]int { return expect(m, roles(s, "admin", "officer", "auditor")) }
	at := func(p string, f url.Values) func(string) (string, url.Values) {
		return func(string) (string, url.Values) { return p, f }
	}
	fx := e.features()
	started, _ := e.startedAppointment()
	return []pageRow{
		{method: "GET", path: "/appointments/:id/interview", want: office("GET", ok), call: at("/appointments/"+started+"/interview", nil)},
		{method: "POST", path: "/appointments/:id/interview", want: office("POST", see),
			call: func(who string) (string, url.Values) {
				if who != "admin" && who != "officer" {
					return "/appointments/" + started + "/interview", interviewValues(nil)
				}
				a, _ := e.startedAppointment()
				return "/appointments/" + a + "/interview", interviewValues(nil)
			}},
		{method: "GET", path: "/interviews/:id", want: office("GET", ok), call: at("/interviews/"+fx.interview, nil)},
		{method: "POST", path: "/employments/:id/evidence", want: registrar("POST", see),
			call: at("/employments/"+empl+"/evidence", url.Values{"kind": {"pay"}, "month": {"2026-10"}, "sole_name_account": {"1"}, "amount": {"1200.00"}})},

		{method: "GET", path: "/cases", want: office("GET", ok), call: at("/cases?status=open", nil)},
		{method: "POST", path: "/cases", want: office("POST", see),
			call: func(string) (string, url.Values) {
				id, _ := e.approvedEmployment("tl")
				return "/cases", url.Values{"employment_id": {id}, "reason": {"The worker called."}, "priority": {"normal"}}
			}},
		{method: "GET", path: "/cases/:id", want: office("GET", ok), call: at("/cases/"+fx.caseID, nil)},
		{method: "POST", path: "/cases/:id", want: office("POST", see),
			call: func(string) (string, url.Values) {
				// A change each time: the status goes back and forth.
				cs, _, err := e.db.FindCaseByID(e.actorOf("officer"), fx.caseID)
				if err != nil {
					e.t.Fatal(err)
				}
				to := models.CaseFollowUp
				if cs.Status == to {
					to = models.CaseOpen
				}
				return "/cases/" + fx.caseID, url.Values{"status": {to}, "note": {"Checked."}}
			}},
		{method: "POST", path: "/cases/:id/actions", want: office("POST", see), call: at("/cases/"+fx.caseID+"/actions", url.Values{"kind": {"call"}})},
		{method: "POST", path: "/cases/:id/referrals", want: office("POST", see),
			call: func(string) (string, url.Values) {
				o, err := e.db.CreateOrganisation(e.actorOf("admin"), models.OrganisationInput{Kind: models.OrgPolice, Name: "Police", Phone: "+41 58 000 00 11", Emergency: true})
				if err != nil {
					e.t.Fatal(err)
				}
				return "/cases/" + fx.caseID + "/referrals", url.Values{"organisation_id": {o.ID}, "reason": {"Danger."}}
			}},
		{method: "GET", path: "/referrals/:id/export", want: office("GET", ok), call: at("/referrals/"+fx.referral+"/export", nil)},
		{method: "GET", path: "/organisations", want: office("GET", ok)},
		{method: "POST", path: "/organisations", want: admin("POST", see),
			call: at("/organisations", url.Values{"kind": {"shelter"}, "name": {"Shelter"}, "phone": {"+41 58 000 00 10"}, "languages": {"en, tl"}})},

		{method: "GET", path: "/briefings", want: office("GET", ok)},
		{method: "POST", path: "/briefings", want: office("POST", see),
			call: at("/briefings", url.Values{"starts_at": {"2026-11-20T10:00"}, "language": {"tl"}, "capacity": {"8"}, "invite": {"1"}})},
		{method: "GET", path: "/briefings/:id", want: office("GET", ok), call: at("/briefings/"+fx.briefing, nil)},
		{method: "GET", path: "/sanctions", want: office("GET", ok)},
		{method: "POST", path: "/sanctions", want: admin("POST", see),
			call: func(string) (string, url.Values) {
				emp, _ := e.household("tl")
				return "/sanctions", url.Values{"subject_kind": {"employer"}, "employer_id": {emp}, "action": {"suspend"},
					"reason": {"Wages withheld."}, "legal_basis": {"Art. 1"}}
			}},

		{method: "GET", path: "/reports/compliance", want: reporters("GET", ok), call: at("/reports/compliance?from=2026-01-01&to=2026-11-30", nil)},
	}
}
