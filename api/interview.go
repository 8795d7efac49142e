package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// checklistView is the current interview checklist as officers read it:
// each question's id, answer type (with options and bounds), ILO
// indicator, severity rules and texts in every language it has, and the
// status of each language's texts (source, draft or certified).
type checklistView struct {
	Version   string              `json:"version"`
	Source    string              `json:"source"`
	Languages []models.TextStatus `json:"languages"`
	Questions []models.Question   `json:"questions"`
}

// currentChecklist returns the checklist new interviews use (officers).
func (s *Server) currentChecklist(c *gin.Context) {
	cl := models.CurrentChecklist()
	c.JSON(http.StatusOK, checklistView{Version: cl.Version, Source: cl.Source, Languages: cl.Languages, Questions: cl.Questions})
}

// interviewView is an interview as the office reads it (no other role
// ever gets one).
type interviewView struct {
	ID                  string         `json:"id"`
	AppointmentID       string         `json:"appointment_id"`
	EmploymentID        string         `json:"employment_id"`
	ChecklistVersion    string         `json:"checklist_version"`
	InterpreterLanguage string         `json:"interpreter_language"`
	WorkerSeenAlone     bool           `json:"worker_seen_alone"`
	Answers             models.Answers `json:"answers"`
	Notes               string         `json:"notes"`
	Risk                models.Risk    `json:"risk"`
	RecordedBy          string         `json:"recorded_by"`
	CreatedAt           time.Time      `json:"created_at"`
}

func viewInterview(iv *models.Interview) interviewView {
	return interviewView{ID: iv.ID, AppointmentID: iv.AppointmentID, EmploymentID: iv.EmploymentID,
		ChecklistVersion: iv.ChecklistVersion, InterpreterLanguage: iv.InterpreterLanguage, WorkerSeenAlone: iv.WorkerSeenAlone,
		Answers: iv.Answers, Notes: iv.Notes, Risk: iv.Risk, RecordedBy: iv.RecordedBy, CreatedAt: iv.CreatedAt}
}

// interviewResultView answers POST /interviews: the interview (null when
// the worker was not seen alone: none is kept), the appointment as it now
// is, the follow-up planned (or null) and the timeline entries recorded.
type interviewResultView struct {
	Interview   *interviewView   `json:"interview"`
	Appointment appointmentView  `json:"appointment"`
	FollowUp    *appointmentView `json:"follow_up"`
	Actions     []string         `json:"actions"`
}

// createInterview records an interview: 201 with the interview, or 200
// without one when worker_seen_alone is false (the appointment is then
// employer_present and a follow-up is planned).
func (s *Server) createInterview(c *gin.Context) {
	var in models.InterviewInput
	if !s.bind(c, &in) {
		return
	}
	res, err := s.store.RecordInterview(c.Request.Context(), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	view := viewAppointment(actor(c), true)
	out := interviewResultView{Appointment: view(res.Appointment), Actions: res.Actions}
	if out.Actions == nil {
		out.Actions = []string{}
	}
	if res.FollowUp != nil {
		f := view(res.FollowUp)
		out.FollowUp = &f
	}
	status := http.StatusOK
	if res.Interview != nil {
		iv := viewInterview(res.Interview)
		out.Interview = &iv
		status = http.StatusCreated
	}
	c.JSON(status, out)
}

func (s *Server) getInterview(c *gin.Context) {
	id, ok := s.pathID(c, "interview")
	if !ok {
		return
	}
	iv, err := s.store.FindInterview(c.Request.Context(), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, viewInterview(iv))
}

// employmentInterviews lists an employment's interviews, oldest first.
func (s *Server) employmentInterviews(c *gin.Context) {
	id, ok := s.pathID(c, "employment")
	if !ok {
		return
	}
	q := newQuery(c)
	p := q.page()
	if !s.queryOK(q) {
		return
	}
	ivs, next, err := s.store.FindInterviews(c.Request.Context(), models.InterviewFilter{EmploymentID: id, Page: p})
	s.respond(c, http.StatusOK, list(mapSlice(ivs, viewInterview), next), err)
}
