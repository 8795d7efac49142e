package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/models"
)

// TestWeb_InterviewForm shows the checklist bilingual, sends bad answers
// back next to their question (422), and records a critical interview:
// its page shows the risk, the indicators and the actions taken.
func TestWeb_InterviewForm(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		appt, empl := e.startedAppointment("tl")
		form := e.must(http.StatusOK, "officer", "GET", "/appointments/"+appt+"/interview", nil)
		cl := models.CurrentChecklist()
		q1 := cl.Questions[0]
		for _, want := range []string{escaped(q1.Text["fr"]), escaped(q1.Text["tl"]), `lang="fr"`, `lang="tl"`, `name="answers.` + q1.ID + `"`, `name="csrf"`,
			`name="worker_seen_alone"`, `name="interpreter_language"`, `type="number"`, "<select"} {
			if !strings.Contains(form.Body, want) {
				t.Errorf("interview form lacks %q", want)
			}
		}
		// The appointment page offers the form.
		if p := e.must(http.StatusOK, "officer", "GET", "/appointments/"+appt, nil); !strings.Contains(p.Body, `href="/appointments/`+appt+`/interview"`) {
			t.Errorf("appointment page does not offer the interview form")
		}

		// A word in a number field and a missing answer: 422, next to the question.
		var num, yes string
		for _, q := range cl.Questions {
			if q.Type == models.AnswerNumber && num == "" {
				num = q.ID
			}
			if q.Type == models.AnswerYesNo && q.Required && yes == "" {
				yes = q.ID
			}
		}
		bad := e.must(http.StatusUnprocessableEntity, "officer", "POST", "/appointments/"+appt+"/interview",
			interviewValues(map[string]string{"answers." + yes: ""}))
		for _, want := range []string{`id="f-answers-` + yes + `-err"`, `aria-invalid="true"`, `class="has-error"`} {
			if !strings.Contains(bad.Body, want) {
				t.Errorf("missing answer: page lacks %q", want)
			}
		}
		bad = e.must(http.StatusBadRequest, "officer", "POST", "/appointments/"+appt+"/interview",
			interviewValues(map[string]string{"answers." + num: "many"}))
		if !strings.Contains(bad.Body, `id="f-answers-`+num+`-err"`) || !strings.Contains(bad.Body, "must be a number") {
			t.Errorf("unreadable number: no error next to %s", num)
		}
		// Nothing was recorded.
		if a, _ := e.db.FindAppointmentByID(sys(), appt); a.Status != models.AppointmentScheduled {
			t.Fatalf("appointment %s after refused forms", a.Status)
		}

		// A critical answer: the interview page shows the risk and the actions.
		qid, ans := criticalAnswer()
		r := e.must(http.StatusSeeOther, "officer", "POST", "/appointments/"+appt+"/interview", interviewValues(map[string]string{"answers." + qid: ans}))
		loc := r.Header.Get("Location")
		if !strings.HasPrefix(loc, "/interviews/") {
			t.Fatalf("redirect to %q", loc)
		}
		iv := e.must(http.StatusOK, "officer", "GET", loc, nil)
		for _, want := range []string{`id="risk-level" class="risk risk-critical">critical`, "urgent case opened",
			"critical risk: the supervisors are alerted today", escaped(cl.Question(qid).Text["en"])} {
			if !strings.Contains(iv.Body, want) {
				t.Errorf("interview page lacks %q", want)
			}
		}
		// The appointment page links the interview and its risk; the case is listed.
		p := e.must(http.StatusOK, "officer", "GET", "/appointments/"+appt, nil)
		if !strings.Contains(p.Body, `id="interview-link"`) || !strings.Contains(p.Body, "risk-critical") {
			t.Errorf("appointment page lacks the interview and its risk")
		}
		cs := e.must(http.StatusOK, "officer", "GET", "/cases?employment_id="+empl, nil)
		if !strings.Contains(cs.Body, `class="urgent"`) {
			t.Errorf("cases list lacks the urgent case")
		}
		if d := e.must(http.StatusOK, "officer", "GET", "/", nil); !strings.Contains(d.Body, `href="/cases/`) {
			t.Errorf("dashboard lacks the open urgent case")
		}
		// Recorded twice: a conflict shown on the form.
		e.must(http.StatusConflict, "officer", "POST", "/appointments/"+appt+"/interview", interviewValues(nil))

		// The mission sees the employment and the appointment but nothing
		// of the interview, its risk or its case.
		for _, path := range []string{"/employments/" + empl, "/appointments/" + appt, "/"} {
			body := e.must(http.StatusOK, "mission", "GET", path, nil).Body
			for _, absent := range []string{"/interviews/", "risk", "/cases", "Seen alone, well.", cl.Question(qid).Text["fr"],
				cl.Question(qid).Text["en"], "urgent", "critique", "entretien enregistré"} {
				if strings.Contains(strings.ToLower(body), strings.ToLower(absent)) {
					t.Errorf("mission's %s shows %q", path, absent)
				}
			}
		}
		for _, path := range []string{loc, "/appointments/" + appt + "/interview", "/cases"} {
			e.must(http.StatusForbidden, "mission", "GET", path, nil)
		}
	})
}

// escaped escapes s as html/template writes text.
func escaped(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", `"`, "&#34;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// TestWeb_NotSeenAlone: "no" keeps no interview and says what was done.
func TestWeb_NotSeenAlone(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		appt, _ := e.startedAppointment("tl")
		r := e.must(http.StatusSeeOther, "officer", "POST", "/appointments/"+appt+"/interview",
			url.Values{"worker_seen_alone": {"false"}, "notes": {"The employer stayed."}})
		if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, "/appointments/"+appt+"?") {
			t.Fatalf("redirect %q", loc)
		} else if p := e.must(http.StatusOK, "officer", "GET", loc, nil); !strings.Contains(p.Body, "not seen alone: no interview kept") {
			t.Errorf("appointment page lacks the action")
		}
		if a, _ := e.db.FindAppointmentByID(sys(), appt); a.Status != models.AppointmentEmployerPresent {
			t.Errorf("status %s, want employer_present", a.Status)
		}
	})
}

// TestWeb_Report draws the charts and suppresses small counts for an auditor.
func TestWeb_Report(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		appt, _ := e.startedAppointment("tl")
		e.must(http.StatusSeeOther, "officer", "POST", "/appointments/"+appt+"/interview", interviewValues(nil))
		path := "/reports/compliance?from=2026-01-01&to=2026-11-30"
		off := e.must(http.StatusOK, "officer", "GET", path, nil).Body
		for _, want := range []string{`id="chart-checkins"`, `id="chart-risk"`, "<svg", "<rect", `class="bar bar-risk-none"`,
			`href="/api/v1/reports/compliance?format=csv&amp;from=2026-01-01&amp;to=2026-11-30"`, "format=pdf", "Embassy A"} {
			if !strings.Contains(off, want) {
				t.Errorf("officer's report lacks %q", want)
			}
		}
		aud := e.must(http.StatusOK, "auditor", "GET", path, nil).Body
		if !strings.Contains(aud, `id="suppressed"`) || !strings.Contains(aud, "&lt;5") {
			t.Errorf("auditor's report does not suppress small counts")
		}
		e.must(http.StatusBadRequest, "officer", "GET", "/reports/compliance?from=someday", nil)
		// The download buttons' addresses serve the files with the session.
		for format, prefix := range map[string]string{"csv": "", "pdf": "%PDF-"} {
			r := e.must(http.StatusOK, "auditor", "GET", "/api/v1/reports/compliance?from=2026-01-01&to=2026-11-30&format="+format, nil)
			if !strings.HasPrefix(r.Body, prefix) || r.Body == "" {
				t.Errorf("%s download starts %.20q", format, r.Body)
			}
		}
	})
}
