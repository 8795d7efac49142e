package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// Group rights briefings (officers and admins): the office books a room
// for one slot in one language and invites workers, each of whom gets an
// appointment of kind briefing in that slot.

type briefingView struct {
	models.Briefing
	Attendees []appointmentView `json:"attendees"`
}

func (s *Server) viewBriefing(c *gin.Context, d *models.BriefingDetail) briefingView {
	return briefingView{Briefing: d.Briefing, Attendees: mapSlice(d.Attendees, viewAppointment(actor(c), false))}
}

func (s *Server) listBriefings(c *gin.Context) {
	q := newQuery(c)
	f := models.BriefingFilter{From: q.date("from"), To: q.date("to"), Status: q.oneOf("status", models.BriefingStatuses),
		Language: q.text("language"), Page: q.page()}
	if f.From != nil && f.To != nil && f.To.Before(*f.From) {
		q.fields.Add("to", "must not be before from")
	}
	if !s.queryOK(q) {
		return
	}
	bs, next, err := s.store.FindBriefings(c.Request.Context(), f)
	s.respond(c, http.StatusOK, list(bs, next), err)
}

func (s *Server) getBriefing(c *gin.Context) {
	id, ok := s.pathID(c, "briefing")
	if !ok {
		return
	}
	d, err := s.store.FindBriefing(c.Request.Context(), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.viewBriefing(c, d))
}

// createBriefing books a briefing: {"starts_at","room","language",
// "capacity","note","invite":"auto"} or with "employment_ids".
func (s *Server) createBriefing(c *gin.Context) {
	var in models.BriefingInput
	if !s.bind(c, &in) {
		return
	}
	d, err := s.store.CreateBriefing(c.Request.Context(), in)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, s.viewBriefing(c, d))
}

// inviteToBriefing adds workers: {"employment_ids":[...]} or {"invite":"auto"}.
func (s *Server) inviteToBriefing(c *gin.Context) {
	id, ok := s.pathID(c, "briefing")
	if !ok {
		return
	}
	var in models.BriefingInvitation
	if !s.bind(c, &in) {
		return
	}
	as, err := s.store.InviteToBriefing(c.Request.Context(), id, in)
	s.respond(c, http.StatusCreated, gin.H{"invited": mapSlice(as, viewAppointment(actor(c), false))}, err)
}

// updateBriefing records that a briefing was held, or cancels it:
// {"status":"held|cancelled","note"}.
func (s *Server) updateBriefing(c *gin.Context) {
	id, ok := s.pathID(c, "briefing")
	if !ok {
		return
	}
	var u models.BriefingUpdate
	if !s.bind(c, &u) {
		return
	}
	d, err := s.store.UpdateBriefing(c.Request.Context(), id, u)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, s.viewBriefing(c, d))
}
