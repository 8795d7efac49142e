package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// metricsPath is where the Prometheus metrics are served.
const metricsPath = "/metrics"

// observe records every request in the metrics, by route pattern (never
// the raw path: it can carry ids and names) and status.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.opts.Metrics.Request(c.Request.Method, c.FullPath(), c.Writer.Status(), time.Since(start))
}

// metricsScraper lets a scraper that presents "Authorization: Bearer
// <PDW_METRICS_TOKEN>" read /metrics without an account. Any other caller
// goes on to the usual authentication, and only admins get through
// (the metrics carry no personal data, but they do show activity).
func (s *Server) metricsScraper(c *gin.Context) {
	if s.opts.MetricsToken != "" {
		scheme, token, ok := strings.Cut(c.GetHeader("Authorization"), " ")
		if ok && strings.EqualFold(scheme, "Bearer") {
			got := sha256.Sum256([]byte(strings.TrimSpace(token)))
			want := sha256.Sum256([]byte(s.opts.MetricsToken))
			if subtle.ConstantTimeCompare(got[:], want[:]) == 1 {
				s.serveMetrics(c)
				c.Abort()
				return
			}
		}
	}
	c.Next()
}

// serveMetrics writes the metrics in the Prometheus text format.
func (s *Server) serveMetrics(c *gin.Context) {
	s.opts.Metrics.Handler().ServeHTTP(c.Writer, c.Request)
}
