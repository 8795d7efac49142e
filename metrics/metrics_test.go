package metrics

import (
	"io"
	"net/http/httptest"
	"strings"
	"sync"
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

// A Route records into the same series as Request, each status apart,
// from many goroutines at once, and a nil one does nothing.
func TestRoute_Request(t *testing.T) {
	m := New()
	r := m.Route("GET", "/api/v1/missions/:id")
	unmatched := m.Route("GET", "")
	m.Request("GET", "/api/v1/missions/:id", 200, time.Millisecond) // the same series by the other way
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 100 {
				status := 200
				if (i+j)%4 == 0 {
					status = 404
				}
				r.Request(status, 2*time.Millisecond)
			}
		}()
	}
	wg.Wait()
	unmatched.Request(404, time.Millisecond)
	var none *Route
	none.Request(200, time.Millisecond)
	(*Metrics)(nil).Route("GET", "/x").Request(200, time.Millisecond)

	tests := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"pdw_http_requests_total", map[string]string{"method": "GET", "route": "/api/v1/missions/:id", "status": "200"}, 601},
		{"pdw_http_requests_total", map[string]string{"route": "/api/v1/missions/:id", "status": "404"}, 200},
		{"pdw_http_request_duration_seconds", map[string]string{"route": "/api/v1/missions/:id", "status": "404"}, 200},
		{"pdw_http_request_duration_seconds", map[string]string{"route": "/api/v1/missions/:id"}, 801},
		{"pdw_http_requests_total", map[string]string{"route": "unmatched", "status": "404"}, 1},
		{"pdw_http_requests_total", nil, 802},
	}
	for _, tt := range tests {
		if got := m.Value(tt.name, tt.labels); got != tt.want {
			t.Errorf("%s%v = %v, want %v", tt.name, tt.labels, got, tt.want)
		}
	}
}

// Recording through a Route allocates nothing once its status is known.
func TestRoute_NoAllocs(t *testing.T) {
	r := New().Route("GET", "/api/v1/missions/:id")
	r.Request(200, time.Millisecond)
	if n := testing.AllocsPerRun(100, func() { r.Request(200, time.Millisecond) }); n != 0 {
		t.Errorf("%v allocations per request", n)
	}
}

func BenchmarkRequest(b *testing.B) {
	m := New()
	r := m.Route("GET", "/api/v1/missions/:id")
	b.Run("Metrics.Request", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m.Request("GET", "/api/v1/missions/:id", 200, time.Millisecond)
		}
	})
	b.Run("Route.Request", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r.Request(200, time.Millisecond)
		}
	})
}
