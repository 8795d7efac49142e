package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestMetrics_RecordAndServe(t *testing.T) {
	m := New()
	m.Request("GET", "/api/v1/workers/:id", 200, 3*time.Millisecond)
	m.Request("GET", "/api/v1/workers/:id", 200, 4*time.Millisecond)
	m.Request("GET", "", 404, time.Millisecond)
	m.Job("plan", JobOK, time.Second)
	m.Job("remind", JobError, time.Millisecond)
	m.Reminder("sent")

	tests := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"pdw_http_requests_total", map[string]string{"route": "/api/v1/workers/:id", "status": "200"}, 2},
		{"pdw_http_requests_total", map[string]string{"route": "unmatched", "status": "404"}, 1},
		{"pdw_http_request_duration_seconds", map[string]string{"route": "/api/v1/workers/:id"}, 2},
		{"pdw_http_requests_total", nil, 3},
		{"pdw_jobs_total", map[string]string{"kind": "plan", "outcome": JobOK}, 1},
		{"pdw_jobs_total", map[string]string{"kind": "remind", "outcome": JobError}, 1},
		{"pdw_jobs_total", map[string]string{"kind": "remind", "outcome": JobOK}, 0},
		{"pdw_job_duration_seconds", map[string]string{"kind": "plan"}, 1},
		{"pdw_reminders_total", map[string]string{"result": "sent"}, 1},
		{"pdw_reminders_total", map[string]string{"result": "failed"}, 0},
	}
	for _, tt := range tests {
		if got := m.Value(tt.name, tt.labels); got != tt.want {
			t.Errorf("%s%v = %v, want %v", tt.name, tt.labels, got, tt.want)
		}
	}

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	for _, want := range []string{
		`pdw_http_requests_total{method="GET",route="/api/v1/workers/:id",status="200"} 2`,
		`pdw_jobs_total{kind="remind",outcome="error"} 1`,
		"go_goroutines", "process_resident_memory_bytes",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

// A nil *Metrics records nothing and does not panic.
func TestMetrics_Nil(t *testing.T) {
	var m *Metrics
	m.Request("GET", "/x", 200, time.Millisecond)
	m.Job("plan", JobOK, time.Millisecond)
	m.Reminder("sent")
	m.WatchDB("pdw", nil)
	if got := m.Value("pdw_http_requests_total", nil); got != 0 {
		t.Errorf("nil Value = %v", got)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 404 {
		t.Errorf("nil Handler = %d, want 404", rec.Code)
	}
}
