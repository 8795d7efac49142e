package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/models"
)

// TestWeb_CaseForms: a referral needs consent (422 next to the field)
// unless the organisation is an emergency one; the export downloads as
// JSON; closing needs an outcome.
func TestWeb_CaseForms(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		empl, _ := e.approvedEmployment("tl")
		cs, _, err := e.db.CreateCase(e.actorOf("officer"), models.CaseInput{EmploymentID: empl, Reason: "Wages late."})
		if err != nil {
			t.Fatal(err)
		}
		ngo, err := e.db.CreateOrganisation(e.actorOf("admin"), models.OrganisationInput{Kind: models.OrgNGO, Name: "Aid NGO", Phone: "+41 58 000 00 09"})
		if err != nil {
			t.Fatal(err)
		}
		base := "/cases/" + cs.ID
		bad := e.must(http.StatusUnprocessableEntity, "officer", "POST", base+"/referrals", url.Values{"organisation_id": {ngo.ID}})
		if !strings.Contains(bad.Body, `href="#f-consent"`) {
			t.Errorf("refused referral: no error linked to the consent box")
		}
		me, _ := e.db.UserBySession(sys(), e.sessions["officer"])
		e.must(http.StatusSeeOther, "officer", "POST", base+"/referrals", url.Values{"organisation_id": {ngo.ID}, "consent": {"1"},
			"consent_recorded_by": {me.ID}})
		page := e.must(http.StatusOK, "officer", "GET", base, nil).Body
		i := strings.Index(page, `href="/referrals/`)
		if i < 0 {
			t.Fatalf("case page lists no referral")
		}
		link := page[i+6 : i+6+strings.Index(page[i+6:], `"`)]
		x := e.must(http.StatusOK, "officer", "GET", link, nil)
		var doc map[string]any
		if err := json.Unmarshal([]byte(x.Body), &doc); err != nil || !strings.Contains(x.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("export: %v %q", err, x.Header.Get("Content-Disposition"))
		}
		// Closing without an outcome: 422 next to it; with one, closed.
		if r := e.must(http.StatusUnprocessableEntity, "officer", "POST", base, url.Values{"status": {"closed"}}); !strings.Contains(r.Body, `id="f-outcome-err"`) {
			t.Errorf("closing without outcome: no error next to the outcome")
		}
		e.must(http.StatusSeeOther, "officer", "POST", base, url.Values{"status": {"closed"}, "outcome": {"referred"}})
		if c, _, _ := e.db.FindCaseByID(e.actorOf("officer"), cs.ID); c.Status != models.CaseClosed || c.Outcome != "referred" {
			t.Errorf("case %s/%s after closing", c.Status, c.Outcome)
		}
	})
}

// TestWeb_Evidence: a mission files pay evidence for its own employment,
// not other kinds, and never sees the office's evidence.
func TestWeb_Evidence(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		empl, _ := e.approvedEmployment("tl")
		path := "/employments/" + empl + "/evidence"
		e.must(http.StatusSeeOther, "officer", "POST", path, url.Values{"kind": {"insurance"}, "insurance": {"health"},
			"valid_until": {"2027-06-30"}, "reference": {"Policy H-77"}, "note": {"Office-only remark"}})
		e.must(http.StatusSeeOther, "mission", "POST", path, url.Values{"kind": {"pay"}, "month": {"2026-10"}, "sole_name_account": {"1"}, "amount": {"1200.00"},
			"reference": {"Slip Oct"}})
		e.must(http.StatusForbidden, "mission", "POST", path, url.Values{"kind": {"insurance"}, "insurance": {"health"}, "valid_until": {"2027-06-30"}})
		if r := e.must(http.StatusUnprocessableEntity, "mission", "POST", path, url.Values{"kind": {"pay"}, "month": {"October"}}); !strings.Contains(r.Body, `id="f-month-err"`) {
			t.Errorf("bad month: no error next to the month")
		}
		e.must(http.StatusNotFound, "missionB", "POST", path, url.Values{"kind": {"pay"}, "month": {"2026-10"}, "sole_name_account": {"1"}, "amount": {"1200.00"}})
		m := e.must(http.StatusOK, "mission", "GET", "/employments/"+empl, nil).Body
		if !strings.Contains(m, "Slip Oct") || strings.Contains(m, "Policy H-77") || strings.Contains(m, "Office-only remark") {
			t.Errorf("mission's evidence list: own pay evidence shown, office's hidden (got otherwise)")
		}
		o := e.must(http.StatusOK, "officer", "GET", "/employments/"+empl, nil).Body
		for _, want := range []string{"Slip Oct", "Policy H-77", "Office-only remark"} {
			if !strings.Contains(o, want) {
				t.Errorf("officer's evidence list lacks %q", want)
			}
		}
	})
}

// TestWeb_Sanction: the subject's error lands on the list it was chosen from.
func TestWeb_Sanction(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		r := e.must(http.StatusUnprocessableEntity, "admin", "POST", "/sanctions", url.Values{"subject_kind": {"mission"}, "action": {"suspend"},
			"reason": {"r"}, "legal_basis": {"b"}})
		if !strings.Contains(r.Body, `href="#f-mission-id"`) {
			t.Errorf("missing subject: no error linked to the mission list")
		}
		e.must(http.StatusSeeOther, "admin", "POST", "/sanctions", url.Values{"subject_kind": {"mission"}, "mission_id": {e.missionB.ID},
			"action": {"suspend"}, "reason": {"Repeated refusals."}, "legal_basis": {"Art. 9"}})
		if p := e.must(http.StatusOK, "officer", "GET", "/sanctions", nil).Body; !strings.Contains(p, "Repeated refusals.") || !strings.Contains(p, "Embassy B") {
			t.Errorf("register lacks the suspension")
		}
	})
}
