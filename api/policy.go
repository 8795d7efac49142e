package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

func (s *Server) listPolicies(c *gin.Context) {
	q := newQuery(c)
	p := q.page()
	if !s.queryOK(q) {
		return
	}
	ps, next, err := s.store.FindPolicies(c.Request.Context(), p)
	s.respond(c, http.StatusOK, list(ps, next), err)
}

// currentPolicy returns the version in force today, or on ?on=YYYY-MM-DD.
func (s *Server) currentPolicy(c *gin.Context) {
	on := models.DateOf(s.opts.Now())
	if v := c.Query("on"); v != "" {
		d, err := models.ParseDate(v)
		if err != nil {
			s.writeError(c, &models.Error{Code: models.EBADREQUEST, Message: "Bad query parameters.",
				Fields: map[string]string{"on": err.Error()}})
			return
		}
		on = d
	}
	p, err := s.store.PolicyInForce(c.Request.Context(), on)
	s.respond(c, http.StatusOK, p, err)
}

func (s *Server) getPolicy(c *gin.Context) {
	id, ok := s.pathID(c, "policy")
	if !ok {
		return
	}
	p, err := s.store.FindPolicyByID(c.Request.Context(), id)
	s.respond(c, http.StatusOK, p, err)
}

// createPolicy stores a new policy version (admin); every figure needs its
// legal reference.
func (s *Server) createPolicy(c *gin.Context) {
	var in models.PolicyInput
	if !s.bind(c, &in) {
		return
	}
	p, err := in.Policy()
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.respond(c, http.StatusCreated, p, s.store.CreatePolicy(c.Request.Context(), p))
}
