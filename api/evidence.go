package api

import (
	"mime"
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
	if err := decodeJSONMax(c.Request.Body, &in, MaxEvidenceBodyBytes); err != nil {
		s.writeError(c, err)
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

// evidenceStatus answers what an employment's evidence lacks: months
// without pay evidence or hours records, insurances missing or expired,
// and the exit pack (the office only).
func (s *Server) evidenceStatus(c *gin.Context) {
	id, ok := s.pathID(c, "employment")
	if !ok {
		return
	}
	st, err := s.store.EvidenceStatus(c.Request.Context(), id)
	s.respond(c, http.StatusOK, st, err)
}

// evidenceFile answers an evidence's uploaded document as an attachment.
func (s *Server) evidenceFile(c *gin.Context) {
	id, ok := s.pathID(c, "evidence")
	if !ok {
		return
	}
	f, err := s.store.FindEvidenceFile(c.Request.Context(), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": f.Name})
	if disp == "" {
		disp = "attachment"
	}
	c.Header("Content-Disposition", disp)
	c.Header("X-Content-SHA256", f.SHA256)
	c.Data(http.StatusOK, f.ContentType, f.Data)
}
