package api

import (
	"bytes"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/contracts"
	"github.com/pdw-registry/pdw/models"
)

// complianceReport answers GET /reports/compliance?from&to&mission_id&format:
// the report as JSON (default), CSV or PDF; an auditor's with small counts
// suppressed (PDW_REPORT_MIN_CELL).
func (s *Server) complianceReport(c *gin.Context) {
	q := newQuery(c)
	rq := models.ReportQuery{MissionID: q.id("mission_id"), MinCell: s.opts.ReportMinCell}
	for name, dst := range map[string]*models.Date{"from": &rq.From, "to": &rq.To} {
		if d := q.date(name); d != nil {
			*dst = *d
		} else if c.Query(name) == "" {
			q.fields.Add(name, "is required (YYYY-MM-DD)")
		}
	}
	format := q.oneOf("format", models.ReportFormats)
	if !s.queryOK(q) {
		return
	}
	r, err := s.store.ComplianceReport(c.Request.Context(), rq)
	if err != nil {
		s.writeError(c, err)
		return
	}
	name := "compliance-" + rq.From.String() + "-" + rq.To.String()
	switch format {
	case models.ReportCSV:
		var buf bytes.Buffer
		if err := r.WriteCSV(&buf); err != nil {
			s.writeError(c, err)
			return
		}
		c.Header("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	case models.ReportPDF:
		var buf bytes.Buffer
		if err := contracts.RenderReport(&buf, r); err != nil {
			s.writeError(c, err)
			return
		}
		c.Header("Content-Disposition", `attachment; filename="`+name+`.pdf"`)
		c.Data(http.StatusOK, "application/pdf", buf.Bytes())
	default:
		c.JSON(http.StatusOK, r)
	}
}
