package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

type auditList struct {
	Items []models.AuditEvent `json:"items"`
	// Next is the ?after_seq= of the next page; null on the last page.
	Next *int64 `json:"next"`
}

// listAudit pages through the audit trail in chain order (admin).
func (s *Server) listAudit(c *gin.Context) {
	q := newQuery(c)
	f := models.AuditFilter{ActorID: q.id("actor_id"), ObjectType: q.text("object_type"), ObjectID: q.id("object_id"),
		Action: q.text("action"), Limit: 100}
	if v := c.Query("after_seq"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			q.fields.Add("after_seq", "must be a whole number")
		}
		f.AfterSeq = n
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			q.fields.Add("limit", "must be a whole number from 1 to 1000")
		}
		f.Limit = n
	}
	if !s.queryOK(q) {
		return
	}
	evs, err := s.store.FindAuditEvents(c.Request.Context(), f)
	if err != nil {
		s.writeError(c, err)
		return
	}
	body := auditList{Items: evs}
	if body.Items == nil {
		body.Items = []models.AuditEvent{}
	}
	if len(evs) == f.Limit {
		next := evs[len(evs)-1].Seq
		body.Next = &next
	}
	c.JSON(http.StatusOK, body)
}
