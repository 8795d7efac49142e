package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

func (s *Server) listEmployments(c *gin.Context) {
	q := newQuery(c)
	f := models.EmploymentFilter{MissionID: q.id("mission_id"), EmployerID: q.id("employer_id"), WorkerID: q.id("worker_id"),
		Status: q.oneOf("status", models.EmploymentStatuses), Page: q.page()}
	if !s.queryOK(q) {
		return
	}
	es, next, err := s.store.FindEmployments(c.Request.Context(), f)
	s.respond(c, http.StatusOK, list(es, next), err)
}

func (s *Server) getEmployment(c *gin.Context) {
	id, ok := s.pathID(c, "employment")
	if !ok {
		return
	}
	e, err := s.store.FindEmploymentByID(c.Request.Context(), id)
	s.respond(c, http.StatusOK, e, err)
}

// createEmployment is the notification of a new employment: checked
// against the policy, the worker's age, the quota and eligibility.
func (s *Server) createEmployment(c *gin.Context) {
	var in models.EmploymentInput
	if !s.bind(c, &in) {
		return
	}
	e, err := s.store.CreateEmployment(c.Request.Context(), in)
	s.respond(c, http.StatusCreated, e, err)
}

func (s *Server) updateEmployment(c *gin.Context) {
	id, ok := s.pathID(c, "employment")
	if !ok {
		return
	}
	var upd models.EmploymentUpdate
	if !s.bind(c, &upd) {
		return
	}
	e, err := s.store.UpdateEmployment(c.Request.Context(), id, upd)
	s.respond(c, http.StatusOK, e, err)
}

// updateTerms replaces an employment's terms (officers); the next contract
// version shows them.
func (s *Server) updateTerms(c *gin.Context) {
	id, ok := s.pathID(c, "employment")
	if !ok {
		return
	}
	var in models.TermsInput
	if !s.bind(c, &in) {
		return
	}
	e, err := s.store.UpdateTerms(c.Request.Context(), id, in)
	s.respond(c, http.StatusOK, e, err)
}
