package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/metrics"
)

// TestAPI_Metrics checks who may read /metrics (the scraper's token or an
// admin; nobody else), that requests are counted by route pattern and
// status, that the pool is reported, and that no id or name of a record
// reaches a label.
func TestAPI_Metrics(t *testing.T) {
	const scrape = "scrape-token-0123456789abcdef"
	eachEnv(t, func(t *testing.T, e *env) {
		m := metrics.New()
		m.WatchDB("pdw", e.db.SQL())
		opts := testOptions()
		opts.Metrics, opts.MetricsToken = m, scrape
		e.srv = New(e.db, opts)

		worker := e.worker("mission", "1990-01-01")
		e.must(200, "officer", "GET", "/api/v1/workers/"+worker, nil)
		e.must(200, "officer", "GET", "/api/v1/workers/"+worker, nil)
		e.do("officer", "GET", "/api/v1/workers/no-such-worker", nil)
		e.do("", "GET", "/no/such/route/Ana-Santos", nil)

		get := func(auth string) (int, string) {
			req := httptest.NewRequest("GET", "/metrics", nil)
			if auth != "" {
				req.Header.Set("Authorization", auth)
			}
			rec := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(rec, req)
			return rec.Code, rec.Body.String()
		}
		access := []struct {
			name, auth string
			want       int
		}{
			{"scraper token", "Bearer " + scrape, http.StatusOK},
			{"scraper token, lower-case scheme", "bearer " + scrape, http.StatusOK},
			{"wrong token", "Bearer " + scrape + "x", http.StatusUnauthorized},
			{"token as basic", "Basic " + scrape, http.StatusUnauthorized},
			{"nothing", "", http.StatusUnauthorized},
			{"admin", "Bearer " + e.tokens["admin"], http.StatusOK},
			{"officer", "Bearer " + e.tokens["officer"], http.StatusForbidden},
			{"mission", "Bearer " + e.tokens["mission"], http.StatusForbidden},
			{"auditor", "Bearer " + e.tokens["auditor"], http.StatusForbidden},
		}
		for _, tt := range access {
			if got, _ := get(tt.auth); got != tt.want {
				t.Errorf("GET /metrics, %s: %d, want %d", tt.name, got, tt.want)
			}
		}

		counts := []struct {
			labels map[string]string
			want   float64
		}{
			{map[string]string{"method": "GET", "route": "/api/v1/workers/:id", "status": "200"}, 2},
			{map[string]string{"method": "GET", "route": "/api/v1/workers/:id", "status": "404"}, 1},
			{map[string]string{"method": "GET", "route": "unmatched", "status": "404"}, 1},
			{map[string]string{"route": "/metrics", "status": "403"}, 3},
		}
		for _, tt := range counts {
			if got := m.Value("pdw_http_requests_total", tt.labels); got != tt.want {
				t.Errorf("pdw_http_requests_total%v = %v, want %v", tt.labels, got, tt.want)
			}
		}
		_, body := get("Bearer " + scrape)
		for _, want := range []string{`go_sql_open_connections{db_name="pdw"}`, `go_sql_max_open_connections{db_name="pdw"}`,
			"pdw_http_request_duration_seconds_bucket"} {
			if !strings.Contains(body, want) {
				t.Errorf("/metrics lacks %s", want)
			}
		}
		for _, leak := range []string{worker, "no-such-worker", "Ana-Santos"} {
			if strings.Contains(body, leak) {
				t.Errorf("/metrics carries %q from a request path", leak)
			}
		}
	})
}

// Without PDW_METRICS_TOKEN no bearer gets past as a scraper, not even an
// empty one.
func TestAPI_MetricsNoToken(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for _, auth := range []string{"Bearer ", "Bearer x"} {
			req := httptest.NewRequest("GET", "/metrics", nil)
			req.Header.Set("Authorization", auth)
			rec := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusUnauthorized {
				t.Errorf("GET /metrics with %q and no token configured: %d, want 401", auth, rec.Code)
			}
		}
	})
}

// Requests are counted per route pattern, method and status through the
// observer's cached recorders; a request with a made-up method that no
// route matches is counted as method OTHER, so that clients cannot add
// series without end.
func TestAPI_MetricsObserver(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		m := metrics.New()
		opts := testOptions()
		opts.Metrics = m
		e.srv = New(e.db, opts)
		path := "/api/v1/missions/" + e.missionA.ID
		for range 3 {
			e.must(200, "officer", "GET", path, nil)
		}
		e.must(404, "mission", "GET", "/api/v1/missions/"+e.missionB.ID, nil)
		e.must(401, "", "GET", path, nil)
		e.do("", "BREW", "/no/such/route", nil)
		e.do("", "MKCOFFEE", "/no/such/route", nil)
		e.do("", "DELETE", "/no/such/route", nil)
		counts := []struct {
			labels map[string]string
			want   float64
		}{
			{map[string]string{"method": "GET", "route": "/api/v1/missions/:id", "status": "200"}, 3},
			{map[string]string{"method": "GET", "route": "/api/v1/missions/:id", "status": "404"}, 1},
			{map[string]string{"method": "GET", "route": "/api/v1/missions/:id", "status": "401"}, 1},
			{map[string]string{"method": "OTHER", "route": "unmatched", "status": "404"}, 2},
			{map[string]string{"method": "BREW"}, 0},
			{map[string]string{"method": "DELETE", "route": "unmatched", "status": "404"}, 1},
		}
		for _, tt := range counts {
			if got := m.Value("pdw_http_requests_total", tt.labels); got != tt.want {
				t.Errorf("pdw_http_requests_total%v = %v, want %v", tt.labels, got, tt.want)
			}
			if got := m.Value("pdw_http_request_duration_seconds", tt.labels); got != tt.want {
				t.Errorf("pdw_http_request_duration_seconds%v = %v, want %v", tt.labels, got, tt.want)
			}
		}
	})
}
