package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// healthz answers while the process runs.
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz answers 200 when the database is reachable and its schema is
// current, 503 otherwise (no detail: it is public).
func (s *Server) readyz(c *gin.Context) {
	ctx := c.Request.Context()
	if err := s.store.Ping(ctx); err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "database unreachable"})
		return
	}
	if err := s.store.CheckSchema(ctx); err != nil {
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "schema not current"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}
