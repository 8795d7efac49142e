package api

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// bind decodes the JSON body strictly into dst; on failure it writes the
// error and returns false.
func (s *Server) bind(c *gin.Context, dst any) bool {
	if err := decodeJSON(c.Request.Body, dst); err != nil {
		s.writeError(c, err)
		return false
	}
	return true
}

// pathID returns the :id parameter, answering 404 for anything that is not
// an id this registry could have issued.
func (s *Server) pathID(c *gin.Context, object string) (string, bool) {
	id := c.Param("id")
	if !models.ValidID(id) {
		s.writeError(c, models.NotFound(object))
		return "", false
	}
	return id, true
}

// query reads list parameters: keyset paging (limit, after) and the named
// filters, each checked. It writes a 400 naming the field and returns false
// on bad input.
type query struct {
	c      *gin.Context
	fields models.FieldErrors
}

func newQuery(c *gin.Context) *query { return &query{c: c, fields: models.FieldErrors{}} }

func (q *query) page() models.Page {
	var p models.Page
	if v := q.c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > models.MaxPageLimit {
			q.fields.Add("limit", "must be a whole number from 1 to 200")
		}
		p.Limit = n
	}
	if v := q.c.Query("after"); v != "" {
		if !models.ValidID(v) {
			q.fields.Add("after", "must be an id from a previous page's \"next\"")
		}
		p.After = v
	}
	return p
}

// id reads an optional id-valued filter.
func (q *query) id(name string) string {
	v := q.c.Query(name)
	if v != "" && !models.ValidID(v) {
		q.fields.Add(name, "must be an id")
	}
	return v
}

// oneOf reads an optional filter limited to a set of values.
func (q *query) oneOf(name string, allowed []string) string {
	v := q.c.Query(name)
	if v != "" && !slices.Contains(allowed, v) {
		q.fields.Add(name, "is not an accepted value")
	}
	return v
}

// date reads an optional YYYY-MM-DD filter.
func (q *query) date(name string) *models.Date {
	v := q.c.Query(name)
	if v == "" {
		return nil
	}
	d, err := models.ParseDate(v)
	if err != nil {
		q.fields.Add(name, err.Error())
		return nil
	}
	return &d
}

// flag reads an optional true/false filter (absent: false).
func (q *query) flag(name string) bool {
	switch q.c.Query(name) {
	case "", "false":
		return false
	case "true":
		return true
	}
	q.fields.Add(name, "must be true or false")
	return false
}

// text reads an optional free-text filter of bounded length.
func (q *query) text(name string) string {
	v := q.c.Query(name)
	if len(v) > 200 {
		q.fields.Add(name, "must be at most 200 characters")
	}
	return v
}

// ok writes a 400 for any bad parameter and reports whether all were good.
func (s *Server) queryOK(q *query) bool {
	if len(q.fields) == 0 {
		return true
	}
	s.writeError(q.c, &models.Error{Code: models.EBADREQUEST, Message: "Bad query parameters.", Fields: q.fields})
	return false
}

// listBody is the shape of every list response.
type listBody[T any] struct {
	Items []T `json:"items"`
	// Next is the cursor for ?after= of the next page; null on the last page.
	Next *string `json:"next"`
}

func list[T any](items []T, next string) listBody[T] {
	b := listBody[T]{Items: items}
	if b.Items == nil {
		b.Items = []T{}
	}
	if next != "" {
		b.Next = &next
	}
	return b
}

func mapSlice[T, U any](in []T, f func(*T) U) []U {
	out := make([]U, len(in))
	for i := range in {
		out[i] = f(&in[i])
	}
	return out
}

// respond writes v with status, or err.
func (s *Server) respond(c *gin.Context, status int, v any, err error) {
	if err != nil {
		s.writeError(c, err)
		return
	}
	if status == http.StatusNoContent {
		c.Status(status)
		return
	}
	c.JSON(status, v)
}

func sortedCopy(in []string) []string {
	out := slices.Clone(in)
	slices.Sort(out)
	return out
}
