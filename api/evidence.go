package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// createEvidence files pay, insurance or exit evidence for an employment
// (a mission: pay evidence for its own employments only).
func (s *Server) createEvidence(c *gin.Context) {
	id, ok := s.pathID(c, "employment")
	if !ok {
		return
	}
	var in models.EvidenceInput
	if !s.bind(c, &in) {
		return
	}
	ev, err := s.store.CreateEvidence(c.Request.Context(), id, in)
	s.respond(c, http.StatusCreated, ev, err)
}

// listEvidence lists an employment's evidence.
func (s *Server) listEvidence(c *gin.Context) {
	id, ok := s.pathID(c, "employment")
	if !ok {
		return
	}
	out, err := s.store.FindEvidence(c.Request.Context(), id)
	s.respond(c, http.StatusOK, list(out, ""), err)
}
