package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"

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
	if err != nil {
		s.writeError(c, err)
		return
	}
	bp := listBuffers.Get().(*[]byte)
	defer listBuffers.Put(bp)
	b, err := appendSummaryList((*bp)[:0], es, next)
	*bp = b
	if err != nil {
		s.writeError(c, err)
		return
	}
	// With its length known, net/http sends the page in one piece rather
	// than chunked.
	c.Header("Content-Length", strconv.Itoa(len(b)))
	c.Data(http.StatusOK, "application/json; charset=utf-8", b)
}

// listBuffers holds the buffers list pages are written into (a page of 50
// summaries is about 20 KB).
var listBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 32<<10); return &b }}

// appendSummaryList appends the page as json.Marshal(list(items, next))
// writes it, without reflection.
func appendSummaryList(b []byte, items []models.EmploymentSummary, next string) ([]byte, error) {
	b = append(b, `{"items":[`...)
	for i := range items {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendSummaryJSON(b, &items[i]); err != nil {
			return b, err
		}
	}
	b = append(b, `],"next":`...)
	if next == "" {
		return append(b, `null}`...), nil
	}
	q, err := json.Marshal(next)
	b = append(b, q...)
	return append(b, '}'), err
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
