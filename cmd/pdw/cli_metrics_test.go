package main

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models/store/storetest"
)

// TestServeMetrics: pdw serve publishes requests, job runs and the
// database pool at /metrics to the holder of PDW_METRICS_TOKEN only.
func TestServeMetrics(t *testing.T) {
	const token = "scrape-0123456789abcdef"
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			vars := dbEnv(storetest.URL(t, dialect))
			vars["PDW_METRICS_TOKEN"] = token
			s := startServe(t, vars)

			scrape := func(auth string) (int, string) {
				req, err := http.NewRequest("GET", s.base+"/metrics", nil)
				if err != nil {
					t.Fatal(err)
				}
				if auth != "" {
					req.Header.Set("Authorization", auth)
				}
				resp, err := s.client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(b)
			}
			if code, _ := scrape(""); code != http.StatusUnauthorized {
				t.Errorf("GET /metrics without the token = %d, want 401", code)
			}
			// The periodic jobs run at start; wait for the planner's run.
			want := []string{`pdw_http_requests_total{method="GET",route="/healthz",status="200"}`,
				`go_sql_open_connections{db_name="pdw"}`, `pdw_jobs_total{kind="plan",outcome="ok"} 1`,
				"process_resident_memory_bytes"}
			var body string
			for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
				code, b := scrape("Bearer " + token)
				if code != http.StatusOK {
					t.Fatalf("GET /metrics with the token = %d, want 200", code)
				}
				body = b
				missing := false
				for _, w := range want {
					missing = missing || !strings.Contains(body, w)
				}
				if !missing || time.Now().After(deadline) {
					break
				}
			}
			for _, w := range want {
				if !strings.Contains(body, w) {
					t.Errorf("/metrics lacks %s", w)
				}
			}
		})
	}
}
