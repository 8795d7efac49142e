package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// appointmentView is an appointment as a role may see it. A mission's
// focal point sees what it needs to release the worker (when, where, what
// kind, and the window): never the interview language, interpreter needs
// or the office's note, nor whether it is urgent (those keys are absent). The office's note appears
// only when one appointment is read, never in lists.
type appointmentView struct {
	ID                string      `json:"id"`
	EmploymentID      string      `json:"employment_id"`
	MissionID         string      `json:"mission_id"`
	Kind              string      `json:"kind"`
	Status            string      `json:"status"`
	WindowStart       models.Date `json:"window_start"`
	WindowEnd         models.Date `json:"window_end"`
	StartsAt          *time.Time  `json:"starts_at"`
	EndsAt            *time.Time  `json:"ends_at"`
	Room              string      `json:"room"`
	Language          *string     `json:"language,omitempty"`
	InterpreterNeeded *bool       `json:"interpreter_needed,omitempty"`
	Interpreter       *string     `json:"interpreter,omitempty"`
	NoInterpreterNote *string     `json:"no_interpreter_note,omitempty"`
	Urgent            *bool       `json:"urgent,omitempty"`
	BriefingID        *string     `json:"briefing_id,omitempty"`
	OutcomeNote       *string     `json:"outcome_note,omitempty"`
	CreatedAt         time.Time   `json:"created_at"`
	UpdatedAt         time.Time   `json:"updated_at"`
	// FollowUp is the follow-up an outcome created (outcome responses only).
	FollowUp *appointmentView `json:"follow_up,omitempty"`
}

func viewAppointment(a models.Actor, withNote bool) func(*models.Appointment) appointmentView {
	return func(ap *models.Appointment) appointmentView {
		v := appointmentView{ID: ap.ID, EmploymentID: ap.EmploymentID, MissionID: ap.MissionID, Kind: ap.Kind,
			Status: ap.Status, WindowStart: ap.WindowStart, WindowEnd: ap.WindowEnd, StartsAt: ap.StartsAt,
			EndsAt: ap.EndsAt, Room: ap.Room, CreatedAt: ap.CreatedAt, UpdatedAt: ap.UpdatedAt}
		if !a.SeesOfficeNotes() {
			v.Kind = models.KindForMission(ap.Kind)
		}
		if a.SeesOfficeNotes() {
			v.Language, v.InterpreterNeeded, v.NoInterpreterNote = &ap.Language, &ap.InterpreterNeeded, &ap.NoInterpreterNote
			v.Interpreter, v.Urgent, v.BriefingID = &ap.Interpreter, &ap.Urgent, ap.BriefingID
			if withNote {
				v.OutcomeNote = &ap.OutcomeNote
			}
		}
		return v
	}
}

func (s *Server) listAppointments(c *gin.Context) {
	q := newQuery(c)
	f := models.AppointmentFilter{From: q.date("from"), To: q.date("to"), Kind: q.oneOf("kind", models.AppointmentKinds),
		Status: q.oneOf("status", models.AppointmentStatuses), MissionID: q.id("mission_id"),
		EmploymentID: q.id("employment_id"), Unplaced: q.flag("unplaced"), Urgent: q.flag("urgent"), Page: q.page()}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		q.fields.Add("to", "must not be before from")
	}
	if !s.queryOK(q) {
		return
	}
	as, next, err := s.store.FindAppointments(c.Request.Context(), f)
	s.respond(c, http.StatusOK, list(mapSlice(as, viewAppointment(actor(c), false)), next), err)
}

func (s *Server) getAppointment(c *gin.Context) {
	id, ok := s.pathID(c, "appointment")
	if !ok {
		return
	}
	a, err := s.store.FindAppointmentByID(c.Request.Context(), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, viewAppointment(actor(c), true)(a))
}

// recordOutcome records how a scheduled appointment went; an
// employer_present outcome answers with the follow-up it created.
func (s *Server) recordOutcome(c *gin.Context) {
	id, ok := s.pathID(c, "appointment")
	if !ok {
		return
	}
	var in models.OutcomeInput
	if !s.bind(c, &in) {
		return
	}
	a, follow, err := s.store.RecordOutcome(c.Request.Context(), id, in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	view := viewAppointment(actor(c), true)
	v := view(a)
	if follow != nil {
		f := view(follow)
		v.FollowUp = &f
	}
	c.JSON(http.StatusOK, v)
}

// createAppointment books an appointment by hand (officers).
func (s *Server) createAppointment(c *gin.Context) {
	var in models.AppointmentInput
	if !s.bind(c, &in) {
		return
	}
	a, err := s.store.CreateAppointment(c.Request.Context(), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, viewAppointment(actor(c), true)(a))
}

// updateAppointment reschedules ({"starts_at", "room", "reason"}) or
// cancels ({"status": "cancelled", "reason"}) a scheduled appointment.
func (s *Server) updateAppointment(c *gin.Context) {
	id, ok := s.pathID(c, "appointment")
	if !ok {
		return
	}
	var u models.AppointmentUpdate
	if !s.bind(c, &u) {
		return
	}
	a, err := s.store.UpdateAppointment(c.Request.Context(), id, u)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, viewAppointment(actor(c), true)(a))
}

// timelineView is a timeline entry as a role may see it: a mission's focal
// point gets only the entries addressed to it (logistics), without the
// delivery bookkeeping or the rung of the escalation ladder.
type timelineView struct {
	ID            string           `json:"id"`
	EmploymentID  string           `json:"employment_id"`
	AppointmentID *string          `json:"appointment_id"`
	Kind          string           `json:"kind"`
	Step          *int             `json:"step,omitempty"`
	Notify        *string          `json:"notify,omitempty"`
	NotifiedAt    *time.Time       `json:"notified_at,omitempty"`
	Data          models.StringMap `json:"data"`
	CreatedAt     time.Time        `json:"created_at"`
}

// timeline lists an employment's timeline in order (officers; a mission
// its own employments' logistics entries).
func (s *Server) timeline(c *gin.Context) {
	id, ok := s.pathID(c, "employment")
	if !ok {
		return
	}
	q := newQuery(c)
	p := q.page()
	if !s.queryOK(q) {
		return
	}
	evs, next, err := s.store.FindTimeline(c.Request.Context(), id, p)
	office := actor(c).SeesOfficeNotes()
	s.respond(c, http.StatusOK, list(mapSlice(evs, func(e *models.TimelineEvent) timelineView {
		v := timelineView{ID: e.ID, EmploymentID: e.EmploymentID, AppointmentID: e.AppointmentID, Kind: e.Kind,
			Data: e.Data, CreatedAt: e.CreatedAt}
		if v.Data == nil {
			v.Data = models.StringMap{}
		}
		if office {
			v.Notify, v.NotifiedAt, v.Step = &e.Notify, e.NotifiedAt, &e.Step
		}
		return v
	}), next), err)
}
