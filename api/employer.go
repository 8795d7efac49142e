package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

func (s *Server) listEmployers(c *gin.Context) {
	q := newQuery(c)
	f := models.EmployerFilter{MissionID: q.id("mission_id"), Rank: q.oneOf("rank", models.Ranks), Query: q.text("q"), Page: q.page()}
	if !s.queryOK(q) {
		return
	}
	es, next, err := s.store.FindEmployers(c.Request.Context(), f)
	s.respond(c, http.StatusOK, list(es, next), err)
}

func (s *Server) getEmployer(c *gin.Context) {
	id, ok := s.pathID(c, "employer")
	if !ok {
		return
	}
	e, err := s.store.FindEmployerByID(c.Request.Context(), id)
	s.respond(c, http.StatusOK, e, err)
}

type employerRequest struct {
	MissionID           string `json:"mission_id"`
	FullName            string `json:"full_name"`
	Rank                string `json:"rank"`
	AccreditationNumber string `json:"accreditation_number"`
	Immunity            string `json:"immunity"`
}

func (s *Server) createEmployer(c *gin.Context) {
	var req employerRequest
	if !s.bind(c, &req) {
		return
	}
	e := &models.Employer{MissionID: req.MissionID, FullName: req.FullName, Rank: req.Rank,
		AccreditationNumber: req.AccreditationNumber, Immunity: req.Immunity}
	s.respond(c, http.StatusCreated, e, s.store.CreateEmployer(c.Request.Context(), e))
}

func (s *Server) updateEmployer(c *gin.Context) {
	id, ok := s.pathID(c, "employer")
	if !ok {
		return
	}
	var upd models.EmployerUpdate
	if !s.bind(c, &upd) {
		return
	}
	if upd.Suspended != nil && actor(c).Role != models.RoleAdmin {
		s.writeError(c, models.Errorf(models.EFORBIDDEN, "Only an administrator may suspend or restore eligibility."))
		return
	}
	e, err := s.store.UpdateEmployer(c.Request.Context(), id, upd)
	s.respond(c, http.StatusOK, e, err)
}

func (s *Server) deleteEmployer(c *gin.Context) {
	id, ok := s.pathID(c, "employer")
	if !ok {
		return
	}
	s.respond(c, http.StatusNoContent, nil, s.store.DeleteEmployer(c.Request.Context(), id))
}
