// Package metrics holds the registry's Prometheus metrics: HTTP requests
// by route pattern and status, job runs by kind and outcome, reminders by
// result, the database pool, and the Go runtime and process. Labels carry
// only route patterns, methods, status codes, job kinds and fixed result
// names: never a path, an id, a name or an address.
//
// Every method is safe on a nil *Metrics (it does nothing), so that code
// may record unconditionally.
package metrics

import (
	"database/sql"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Job outcomes (the outcome label of pdw_jobs_total).
const (
	JobOK        = "ok"        // the job returned nil
	JobError     = "error"     // the job returned an error (River retries it)
	JobSnoozed   = "snoozed"   // the job asked to run again later
	JobCancelled = "cancelled" // the job cancelled itself (no retry)
	JobPanic     = "panic"     // the job panicked
)

// Metrics is one registry and the registry's own collectors.
type Metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	jobs      *prometheus.CounterVec
	jobTime   *prometheus.HistogramVec
	reminders *prometheus.CounterVec
}

// New makes a registry with the registry's metrics and the Go runtime and
// process collectors.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pdw_http_requests_total",
			Help: "HTTP requests by method, route pattern (unmatched for none) and status code.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pdw_http_request_duration_seconds",
			Help:    "HTTP request latency by method, route pattern and status code.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route", "status"}),
		jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pdw_jobs_total",
			Help: "Job runs by River kind and outcome (ok, error, snoozed, cancelled, panic).",
		}, []string{"kind", "outcome"}),
		jobTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pdw_job_duration_seconds",
			Help:    "Job run time by River kind.",
			Buckets: []float64{.005, .025, .1, .5, 1, 5, 30, 120, 600},
		}, []string{"kind"}),
		reminders: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pdw_reminders_total",
			Help: "Reminder attempts by result: sent, stale, noroute (nothing sent), skipped (no SMTP server), failed.",
		}, []string{"result"}),
	}
	m.reg.MustRegister(m.requests, m.latency, m.jobs, m.jobTime, m.reminders,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// WatchDB adds the pool statistics of db (go_sql_* with db_name=name:
// open, in use and idle connections, waits) to the registry. Call it once
// per pool.
func (m *Metrics) WatchDB(name string, db *sql.DB) {
	if m == nil || db == nil {
		return
	}
	m.reg.MustRegister(collectors.NewDBStatsCollector(db, name))
}

// Request records one HTTP request. route must be a route pattern (Gin's
// FullPath), never the request's path.
func (m *Metrics) Request(method, route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "unmatched"
	}
	code := strconv.Itoa(status)
	m.requests.WithLabelValues(method, route, code).Inc()
	m.latency.WithLabelValues(method, route, code).Observe(d.Seconds())
}

// Route is the request metrics of one method and route pattern, with the
// counter and histogram of each status code it has answered looked up
// once: recording a request then costs no label hashing and no
// allocation (Metrics.Request looks the labels up every time). Safe for
// concurrent use; a nil *Route does nothing.
type Route struct {
	m             *Metrics
	method, route string
	mu            sync.Mutex                    // serialises adding a status
	byStatus      atomic.Pointer[[]routeStatus] // copy on write
}

type routeStatus struct {
	status  int
	count   prometheus.Counter
	latency prometheus.Observer
}

// Route returns the recorder of one method and route pattern (Gin's
// FullPath, never a request's path; "" counts as "unmatched"). Make it
// once per route and keep it.
func (m *Metrics) Route(method, route string) *Route {
	if m == nil {
		return nil
	}
	if route == "" {
		route = "unmatched"
	}
	return &Route{m: m, method: method, route: route}
}

// Request records one request answered with status after d; the same
// series as Metrics.Request.
func (r *Route) Request(status int, d time.Duration) {
	if r == nil {
		return
	}
	if p := r.byStatus.Load(); p != nil {
		for i := range *p {
			if e := &(*p)[i]; e.status == status {
				e.count.Inc()
				e.latency.Observe(d.Seconds())
				return
			}
		}
	}
	e := r.add(status)
	e.count.Inc()
	e.latency.Observe(d.Seconds())
}

// add looks up the series of a status the route has not answered before.
func (r *Route) add(status int) routeStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	var old []routeStatus
	if p := r.byStatus.Load(); p != nil {
		old = *p
		for _, e := range old {
			if e.status == status {
				return e
			}
		}
	}
	code := strconv.Itoa(status)
	e := routeStatus{status: status,
		count:   r.m.requests.WithLabelValues(r.method, r.route, code),
		latency: r.m.latency.WithLabelValues(r.method, r.route, code)}
	next := append(append(make([]routeStatus, 0, len(old)+1), old...), e)
	r.byStatus.Store(&next)
	return e
}

// Job records one run of a job of kind with its outcome (Job* constants).
func (m *Metrics) Job(kind, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.jobs.WithLabelValues(kind, outcome).Inc()
	m.jobTime.WithLabelValues(kind).Observe(d.Seconds())
}

// Reminder records one reminder attempt's result.
func (m *Metrics) Reminder(result string) {
	if m == nil {
		return
	}
	m.reminders.WithLabelValues(result).Inc()
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Registry is the underlying registry (for tests and extra collectors).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Value is the current value of the counter, gauge or histogram count
// named name whose labels include labels (0 when there is none): for
// tests and the benchmark's report.
func (m *Metrics) Value(name string, labels map[string]string) float64 {
	if m == nil {
		return 0
	}
	families, err := m.reg.Gather()
	if err != nil {
		return 0
	}
	var sum float64
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	metric:
		for _, mt := range f.GetMetric() {
			have := map[string]string{}
			for _, lp := range mt.GetLabel() {
				have[lp.GetName()] = lp.GetValue()
			}
			for k, v := range labels {
				if have[k] != v {
					continue metric
				}
			}
			switch {
			case mt.Counter != nil:
				sum += mt.GetCounter().GetValue()
			case mt.Gauge != nil:
				sum += mt.GetGauge().GetValue()
			case mt.Histogram != nil:
				sum += float64(mt.GetHistogram().GetSampleCount())
			}
		}
	}
	return sum
}
