package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// createSanction records an administrator's suspension or restoration of
// an employer's or a mission's eligibility (the sanctions register).
func (s *Server) createSanction(c *gin.Context) {
	var in models.SanctionInput
	if !s.bind(c, &in) {
		return
	}
	sn, err := s.store.CreateSanction(c.Request.Context(), in)
	s.respond(c, http.StatusCreated, sn, err)
}

// listSanctions pages through the register, for one subject or mission
// when asked.
func (s *Server) listSanctions(c *gin.Context) {
	q := newQuery(c)
	f := models.SanctionFilter{SubjectID: q.id("subject_id"), MissionID: q.id("mission_id"), Page: q.page()}
	if !s.queryOK(q) {
		return
	}
	out, next, err := s.store.FindSanctions(c.Request.Context(), f)
	s.respond(c, http.StatusOK, list(out, next), err)
}
