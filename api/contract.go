package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// createContract generates the next contract version of an employment
// from its approved terms (officers and admins).
func (s *Server) createContract(c *gin.Context) {
	id, ok := s.pathID(c, "employment")
	if !ok {
		return
	}
	if err := s.documentsReady(); err != nil {
		s.writeError(c, err)
		return
	}
	cv, err := s.store.CreateContract(c.Request.Context(), id, s.renderContract)
	s.respond(c, http.StatusCreated, cv, err)
}

// listContracts lists an employment's contract versions, oldest first.
func (s *Server) listContracts(c *gin.Context) {
	id, ok := s.pathID(c, "employment")
	if !ok {
		return
	}
	cs, err := s.store.FindContracts(c.Request.Context(), id)
	s.respond(c, http.StatusOK, list(cs, ""), err)
}

func (s *Server) getContract(c *gin.Context) {
	id, ok := s.pathID(c, "contract")
	if !ok {
		return
	}
	cv, err := s.store.FindContractByID(c.Request.Context(), id)
	s.respond(c, http.StatusOK, cv, err)
}

// contractPDF serves the stored bytes of a version, never re-rendered.
func (s *Server) contractPDF(c *gin.Context) {
	id, ok := s.pathID(c, "contract")
	if !ok {
		return
	}
	cv, pdf, err := s.store.ContractPDF(c.Request.Context(), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="contract-v%d-%s.pdf"`, cv.Version, cv.VerifyCode))
	c.Header("X-Content-SHA256", cv.SHA256)
	c.Data(http.StatusOK, "application/pdf", pdf)
}

// verification is what anyone holding a contract may learn from its code:
// that it exists, its version, status and hash; nothing personal.
type verification struct {
	Valid    bool      `json:"valid"`
	Version  int       `json:"version"`
	Status   string    `json:"status"`
	SHA256   string    `json:"sha256"`
	IssuedAt time.Time `json:"issued_at"`
}

// verifyContract is the public check behind the code printed on each page.
func (s *Server) verifyContract(c *gin.Context) {
	code := c.Param("code")
	if !models.ValidVerifyCode(code) {
		s.writeError(c, models.NotFound("contract"))
		return
	}
	cv, err := s.store.FindContractByCode(c.Request.Context(), code)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, verification{Valid: true, Version: cv.Version, Status: cv.Status, SHA256: cv.SHA256, IssuedAt: cv.IssuedAt})
}

// createSignature records a party's signature on the newest version.
func (s *Server) createSignature(c *gin.Context) {
	id, ok := s.pathID(c, "contract")
	if !ok {
		return
	}
	var in models.SignatureInput
	if !s.bind(c, &in) {
		return
	}
	sig, err := s.store.CreateSignature(c.Request.Context(), id, in)
	s.respond(c, http.StatusCreated, sig, err)
}

func (s *Server) listSignatures(c *gin.Context) {
	id, ok := s.pathID(c, "contract")
	if !ok {
		return
	}
	sigs, err := s.store.FindSignatures(c.Request.Context(), id)
	s.respond(c, http.StatusOK, list(sigs, ""), err)
}

// policyAffected lists the open employments whose current contract falls
// below a policy version.
func (s *Server) policyAffected(c *gin.Context) {
	id, ok := s.pathID(c, "policy")
	if !ok {
		return
	}
	out, err := s.store.AffectedByPolicy(c.Request.Context(), id)
	s.respond(c, http.StatusOK, list(out, ""), err)
}
