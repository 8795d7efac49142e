package web

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// interviewQuestion is one checklist question as the form shows it: its
// text in the host language beside the worker's language.
type interviewQuestion struct {
	models.Question
	Field         string
	Host, Worker  string
	Options       []Choice
	WorkerOptions []string
	SameLanguages bool
}

// interviewForm is the interview form of an appointment.
type interviewForm struct {
	Appointment  *models.Appointment
	HostLanguage string
	Worker       string
	Version      string
	Questions    []interviewQuestion
}

// checkText returns a checklist text in lang, else in English.
func checkText(texts map[string]string, lang string) string {
	if s, ok := texts[lang]; ok && s != "" {
		return s
	}
	return texts["en"]
}

// optionText returns a choice's text in lang, else in English ("" if none).
func optionText(q models.Question, option, lang string) string {
	if s := q.OptionText[lang][option]; s != "" {
		return s
	}
	return q.OptionText["en"][option]
}

func (w *Web) interviewForm(c *gin.Context, id string) (*interviewForm, error) {
	ctx := c.Request.Context()
	a, err := w.store.FindAppointmentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	host := "en"
	if e, err := w.store.FindEmploymentByID(ctx, a.EmploymentID); err != nil {
		return nil, err
	} else if p, err := w.store.FindPolicyByID(ctx, e.PolicyID); err == nil && p.HostLanguage != "" {
		host = p.HostLanguage
	}
	cl := models.CurrentChecklist()
	if !cl.Language(host) {
		host = "en"
	}
	worker := a.Language
	if !cl.Language(worker) {
		worker = "en"
	}
	f := &interviewForm{Appointment: a, HostLanguage: host, Worker: worker, Version: cl.Version}
	for _, q := range cl.Questions {
		iq := interviewQuestion{Question: q, Field: "answers." + q.ID, Host: checkText(q.Text, host), Worker: checkText(q.Text, worker),
			SameLanguages: host == worker}
		for _, o := range q.Options {
			ht, wt := optionText(q, o, host), optionText(q, o, worker)
			if ht == "" {
				ht = o
			}
			text := ht
			if wt != "" && wt != ht {
				text += " / " + wt
			}
			iq.Options = append(iq.Options, Choice{Value: o, Text: text})
		}
		f.Questions = append(f.Questions, iq)
	}
	return f, nil
}

// showInterviewForm is the checklist of an appointment's interview
// (officers): each question in the host language beside the worker's.
func (w *Web) showInterviewForm(c *gin.Context) {
	id, ok := w.pathID(c, "appointment")
	if !ok {
		return
	}
	f, err := w.interviewForm(c, id)
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "interview_form", "interviews.form", f)
}

// interviewInput reads the submitted checklist: yes/no radios, numbers
// and choices become the API's JSON answers; a number that cannot be
// read is a field error under its answers.qNN name.
func interviewInput(appointment string, v url.Values) (models.InterviewInput, error) {
	f := newForm(v)
	in := models.InterviewInput{AppointmentID: appointment, Answers: map[string]json.RawMessage{},
		InterpreterLanguage: f.str("interpreter_language"), Notes: f.str("notes")}
	switch f.str("worker_seen_alone") {
	case "true":
		t := true
		in.WorkerSeenAlone = &t
	case "false":
		b := false
		in.WorkerSeenAlone = &b
	case "":
	default:
		f.fields.Add("worker_seen_alone", "must be yes or no")
	}
	for _, q := range models.CurrentChecklist().Questions {
		name := "answers." + q.ID
		s := f.str(name)
		if s == "" {
			continue
		}
		switch q.Type {
		case models.AnswerYesNo:
			if s != "true" && s != "false" {
				f.fields.Add(name, "must be yes or no")
				continue
			}
			in.Answers[q.ID] = json.RawMessage(s)
		case models.AnswerNumber:
			n, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
			if err != nil || n != n || n > 1e12 || n < -1e12 {
				f.fields.Add(name, "must be a number")
				continue
			}
			in.Answers[q.ID] = json.RawMessage(strconv.FormatFloat(n, 'f', -1, 64))
		default:
			b, _ := json.Marshal(s)
			in.Answers[q.ID] = b
		}
	}
	return in, f.err()
}

// saveInterview records the interview through the store (which records
// the attended outcome, assesses the risk and takes its actions); field
// errors come back next to their question.
func (w *Web) saveInterview(c *gin.Context) {
	id, ok := w.pathID(c, "appointment")
	if !ok {
		return
	}
	in, err := interviewInput(id, c.Request.PostForm)
	var res *models.InterviewResult
	if err == nil {
		res, err = w.store.RecordInterview(c.Request.Context(), in)
	}
	if err != nil {
		f, ferr := w.interviewForm(c, id)
		if ferr != nil {
			w.fail(c, ferr)
			return
		}
		w.formError(c, "interview_form", "interviews.form", f, err)
		return
	}
	q := url.Values{}
	if len(res.Actions) > 0 {
		q.Set("actions", strings.Join(res.Actions, ","))
	}
	if res.Interview == nil { // not seen alone: no interview is kept
		redirect(c, "/appointments/"+id+"?"+q.Encode())
		return
	}
	redirect(c, "/interviews/"+res.Interview.ID+"?"+q.Encode())
}

// interviewPage is an interview as its page shows it, with the actions
// its recording took (from the form's redirect).
type interviewPage struct {
	Interview *models.Interview
	Answers   []interviewAnswer
	Actions   []string
}

type interviewAnswer struct {
	ID, Text, Value, Severity string
}

// actionsParam reads the actions the redirect names (known event kinds only).
func actionsParam(c *gin.Context) []string {
	known := []string{models.EventInterviewCritical, models.EventUrgentCaseOpened, models.EventInterviewFollowUp,
		models.EventRecheckNextVisit, models.EventNotSeenAlone, models.EventFollowUpPlanned}
	var out []string
	for _, a := range strings.Split(c.Query("actions"), ",") {
		if slices.Contains(known, a) {
			out = append(out, a)
		}
	}
	return out
}

// showInterview is one interview (officers; the store audits the read).
func (w *Web) showInterview(c *gin.Context) {
	id, ok := w.pathID(c, "interview")
	if !ok {
		return
	}
	iv, err := w.store.FindInterview(c.Request.Context(), id)
	if err != nil {
		w.fail(c, err)
		return
	}
	p := interviewPage{Interview: iv, Actions: actionsParam(c)}
	cl, err := models.ChecklistVersion(iv.ChecklistVersion)
	if err != nil {
		cl = models.CurrentChecklist()
	}
	lang := "en"
	if u := user(c); u != nil && cl.Language(u.Language) {
		lang = u.Language
	}
	sev := map[string]string{}
	for _, t := range iv.Risk.Triggers {
		sev[t.Question] = t.Severity
	}
	for _, q := range cl.Questions {
		v, ok := iv.Answers[q.ID]
		if !ok {
			continue
		}
		a := interviewAnswer{ID: q.ID, Text: checkText(q.Text, lang), Severity: sev[q.ID]}
		switch x := v.(type) {
		case bool:
			a.Value = "yes"
			if !x {
				a.Value = "no"
			}
		case float64:
			a.Value = strconv.FormatFloat(x, 'f', -1, 64)
		case string:
			a.Value = x
			if t := optionText(q, x, lang); t != "" {
				a.Value = t
			}
		}
		p.Answers = append(p.Answers, a)
	}
	w.page(c, "interview", "interviews.one", p)
}

// appointmentInterview returns the interview recorded on an appointment,
// if any (officers only; the store audits the read).
func (w *Web) appointmentInterview(c *gin.Context, a *models.Appointment) (*models.Interview, error) {
	ivs, _, err := w.store.FindInterviews(c.Request.Context(), models.InterviewFilter{EmploymentID: a.EmploymentID,
		Page: models.Page{Limit: models.MaxPageLimit}})
	if err != nil {
		return nil, err
	}
	for i := range ivs {
		if ivs[i].AppointmentID == a.ID {
			return &ivs[i], nil
		}
	}
	return nil, nil
}
