package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/metrics"
)

// metricsPath is where the Prometheus metrics are served.
const metricsPath = "/metrics"

// observer records every request in the metrics, by route pattern (never
// the raw path: it can carry ids and names) and status. It keeps one
// metrics.Route per method and pattern, so that a request costs no label
// lookup: the map is copied on write (a route is added once, on its first
// request) and read without a lock.
type observer struct {
	m      *metrics.Metrics
	mu     sync.Mutex
	routes atomic.Pointer[map[routeKey]*metrics.Route]
}

type routeKey struct{ method, path string }

func newObserver(m *metrics.Metrics) *observer { return &observer{m: m} }

func (o *observer) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	o.route(c.Request.Method, c.FullPath()).Request(c.Writer.Status(), time.Since(start))
}

// route returns the recorder of a method and pattern ("" for unmatched).
// Unmatched requests may carry any method; only the standard ones get a
// series of their own, as a route's method does, so that a client cannot
// grow the map (or the metrics) without end.
func (o *observer) route(method, path string) *metrics.Route {
	if path == "" && !standardMethod(method) {
		method = "OTHER"
	}
	k := routeKey{method, path}
	if p := o.routes.Load(); p != nil {
		if r, ok := (*p)[k]; ok {
			return r
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	old := o.routes.Load()
	if old != nil {
		if r, ok := (*old)[k]; ok {
			return r
		}
	}
	next := make(map[routeKey]*metrics.Route, 1+lenOf(old))
	if old != nil {
		for k, v := range *old {
			next[k] = v
		}
	}
	r := o.m.Route(method, path)
	next[k] = r
	o.routes.Store(&next)
	return r
}

func lenOf(p *map[routeKey]*metrics.Route) int {
	if p == nil {
		return 0
	}
	return len(*p)
}

func standardMethod(m string) bool {
	switch m {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE":
		return true
	}
	return false
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
