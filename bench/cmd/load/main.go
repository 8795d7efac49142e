// Command load is the benchmark's load generator: from its own process it
// keeps -c connections busy against a running `pdw serve` for -d with one
// scenario, and prints one JSON result (requests per second, latency
// percentiles, statuses, the server's resident memory when -pid is given).
//
// Scenarios: get-mission (one record, no personal data), bare-get (GET
// /employments/<1..-rows> of bench/cmd/bareapi, the bare-stack anchor),
// get-worker (personal data: writes an audit row), list (50 employments of a mission,
// keyset page), post-employment (a notification for a fresh worker),
// report (the compliance report, one request at a time), mixed (the soak:
// all of them, new workers created on the way), crash (a batch of
// notifications, stopping at the first connection error: the ids
// answered 201 are printed for the crash check).
//
//	load -base http://127.0.0.1:8080 -fixture fixture.json -scenario get-worker -c 64 -d 15s
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fixture is what bench/cmd/seed wrote (the fields used here).
type fixture struct {
	Token        string          `json:"token"`
	Missions     []string        `json:"missions"`
	Employers    []string        `json:"employers"`
	Workers      []string        `json:"workers"`
	Employments  []string        `json:"employments"`
	FreeWorkers  []string        `json:"free_workers"`
	FreeEmployer []string        `json:"free_employer"`
	StartDate    string          `json:"start_date"`
	TemplateTerm json.RawMessage `json:"template_terms"`
}

// Result is printed as JSON.
type Result struct {
	Scenario    string         `json:"scenario"`
	Client      string         `json:"client"`
	Connections int            `json:"connections"`
	Seconds     float64        `json:"seconds"`
	Requests    int            `json:"requests"`
	RPS         float64        `json:"rps"`
	P50         float64        `json:"p50_ms"`
	P90         float64        `json:"p90_ms"`
	P99         float64        `json:"p99_ms"`
	Max         float64        `json:"max_ms"`
	Errors      int            `json:"errors"`
	Statuses    map[string]int `json:"statuses"`
	RSSMaxMB    float64        `json:"rss_max_mb,omitempty"`
	RSSEndMB    float64        `json:"rss_end_mb,omitempty"`
	RSSSamples  []float64      `json:"rss_samples_mb,omitempty"` // every -sample
	Skipped     string         `json:"skipped,omitempty"`
	Created     []string       `json:"created,omitempty"` // crash: employments answered 201
	Exhausted   bool           `json:"exhausted,omitempty"`
	FirstError  string         `json:"first_error,omitempty"`
}

func main() {
	var (
		base     = flag.String("base", "http://127.0.0.1:8080", "server address")
		fxPath   = flag.String("fixture", "fixture.json", "fixture written by bench/cmd/seed")
		scenario = flag.String("scenario", "get-mission", "get-mission, bare-get, get-worker, list, post-employment, report, mixed, crash")
		conns    = flag.Int("c", 64, "connections (concurrent requests)")
		dur      = flag.Duration("d", 15*time.Second, "duration (measured)")
		warm     = flag.Duration("warmup", 2*time.Second, "unmeasured warm-up before it")
		pid      = flag.Int("pid", 0, "server process whose resident memory to sample")
		sample   = flag.Duration("sample", 10*time.Second, "RSS sampling interval kept in rss_samples_mb")
		n        = flag.Int("n", 0, "report: requests (default 7); crash: notifications in the batch")
		skipFree = flag.Int("skip-free", 0, "free workers already used by an earlier run")
		limFree  = flag.Int("free-limit", 0, "use at most this many free workers (0: all)")
		bareRows = flag.Int("rows", 100000, "bare-get: ids 1..rows")
		client   = flag.String("client", "raw", "GET scenarios: raw (one keep-alive connection per worker, request bytes written by hand, answers read by http.ReadResponse: little client CPU, as wrk) or std (net/http.Client)")
	)
	flag.Parse()
	b, err := os.ReadFile(*fxPath)
	if err != nil {
		log.Fatal(err)
	}
	var fx fixture
	if err := json.Unmarshal(b, &fx); err != nil {
		log.Fatal(err)
	}
	if *skipFree < len(fx.FreeWorkers) {
		fx.FreeWorkers, fx.FreeEmployer = fx.FreeWorkers[*skipFree:], fx.FreeEmployer[*skipFree:]
	} else {
		fx.FreeWorkers, fx.FreeEmployer = nil, nil
	}
	if *limFree > 0 && *limFree < len(fx.FreeWorkers) {
		fx.FreeWorkers, fx.FreeEmployer = fx.FreeWorkers[:*limFree], fx.FreeEmployer[:*limFree]
	}
	g := &gen{base: strings.TrimSuffix(*base, "/"), fx: fx, bareRows: *bareRows, client: &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConns: *conns * 2, MaxIdleConnsPerHost: *conns * 2, MaxConnsPerHost: *conns,
			IdleConnTimeout: time.Minute, DisableCompression: true},
	}}
	switch *client {
	case "raw":
		u, err := url.Parse(g.base)
		if err != nil || u.Scheme != "http" {
			log.Fatalf("-client raw needs an http:// -base (%v)", err)
		}
		g.raw, g.host, g.addr = true, u.Host, u.Host
		if u.Port() == "" {
			g.addr = net.JoinHostPort(u.Hostname(), "80")
		}
	case "std":
	default:
		log.Fatalf("-client %q: raw or std", *client)
	}
	var res Result
	switch *scenario {
	case "report":
		res = g.report(max(*n, 7))
	case "crash":
		res = g.crash(*conns, max(*n, 2000))
	default:
		res = g.load(*scenario, *conns, *warm, *dur, *pid, *sample)
	}
	res.Scenario, res.Connections, res.Client = *scenario, *conns, *client
	out, _ := json.Marshal(res)
	fmt.Println(string(out))
}

type gen struct {
	base     string
	fx       fixture
	client   *http.Client
	free     atomic.Int64
	bareRows int
	// raw: GETs go through a rawClient per connection rather than
	// client; addr and host are the server's.
	raw        bool
	addr, host string
}

// get makes one GET through rc when there is one (the raw client), else
// through the net/http client, and returns its status.
func (g *gen) get(rc *rawClient, path string) (int, error) {
	if rc != nil {
		return rc.get(path)
	}
	status, _, err := g.call("GET", path, nil)
	return status, err
}

// call makes one request and returns its status (0 for a transport error).
func (g *gen) call(method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		j, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, g.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+g.fx.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := g.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func pick(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }

var errExhausted = errors.New("no free worker left")

// step is one request of a scenario: the status it expects, or an error.
func (g *gen) step(r *rand.Rand, rc *rawClient, scenario string) (status, want int, err error) {
	switch scenario {
	case "get-mission":
		status, err = g.get(rc, "/api/v1/missions/"+pick(r, g.fx.Missions))
		return status, 200, err
	case "bare-get":
		status, err = g.get(rc, "/employments/"+strconv.Itoa(1+r.IntN(g.bareRows)))
		return status, 200, err
	case "get-worker":
		status, err = g.get(rc, "/api/v1/workers/"+pick(r, g.fx.Workers))
		return status, 200, err
	case "list":
		status, err = g.get(rc, "/api/v1/employments?limit=50&mission_id="+pick(r, g.fx.Missions))
		return status, 200, err
	case "post-employment":
		i := int(g.free.Add(1) - 1)
		if i >= len(g.fx.FreeWorkers) {
			return 0, 0, errExhausted
		}
		status, _, err = g.call("POST", "/api/v1/employments", g.notification(g.fx.FreeWorkers[i], g.fx.FreeEmployer[i]))
		return status, 201, err
	case "mixed":
		switch x := r.IntN(20); {
		case x < 6:
			return g.step(r, rc, "get-mission")
		case x < 12:
			return g.step(r, rc, "get-worker")
		case x < 18:
			return g.step(r, rc, "list")
		default:
			// A new worker, then the notification of its employment.
			// Employers are listed mission by mission, a fixed number each.
			m := r.IntN(len(g.fx.Employers))
			mission := g.fx.Missions[m*len(g.fx.Missions)/len(g.fx.Employers)]
			status, body, err := g.call("POST", "/api/v1/workers", map[string]any{"full_name": "Soak Worker",
				"date_of_birth": "1990-01-01", "sex": "f", "nationality": "PH", "languages": []string{"tl"},
				"mission_id": mission})
			if err != nil || status != 201 {
				return status, 201, err
			}
			var w struct{ ID string }
			if err := json.Unmarshal(body, &w); err != nil {
				return 0, 201, err
			}
			status, _, err = g.call("POST", "/api/v1/employments", g.notification(w.ID, g.fx.Employers[m]))
			return status, 201, err
		}
	}
	return 0, 0, fmt.Errorf("unknown scenario %q", scenario)
}

func (g *gen) notification(worker, employer string) map[string]any {
	return map[string]any{"worker_id": worker, "employer_id": employer, "start_date": g.fx.StartDate,
		"terms": g.fx.TemplateTerm}
}

func (g *gen) load(scenario string, conns int, warm, dur time.Duration, pid int, sampleEvery time.Duration) Result {
	var (
		mu        sync.Mutex
		lat       []time.Duration
		statuses  = map[string]int{}
		errs      int
		firstErr  string
		exhausted atomic.Bool
		measuring atomic.Bool
	)
	ctx, cancel := context.WithTimeout(context.Background(), warm+dur)
	defer cancel()
	var measureStart time.Time
	time.AfterFunc(warm, func() { measuring.Store(true) })
	rss := &rssSampler{pid: pid}
	stopRSS := rss.start(250*time.Millisecond, sampleEvery)
	var wg sync.WaitGroup
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
			var rc *rawClient
			if g.raw {
				rc = &rawClient{addr: g.addr, host: g.host, token: g.fx.Token}
				defer rc.close()
			}
			var mine []time.Duration
			local := map[string]int{}
			localErr := 0
			for ctx.Err() == nil {
				t0 := time.Now()
				status, want, err := g.step(r, rc, scenario)
				d := time.Since(t0)
				if errors.Is(err, errExhausted) {
					exhausted.Store(true)
					cancel()
					break
				}
				if ctx.Err() != nil && err != nil {
					break // cut off by the end of the run
				}
				if !measuring.Load() {
					continue
				}
				mine = append(mine, d)
				local[strconv.Itoa(status)]++
				if err != nil || status != want {
					localErr++
					mu.Lock()
					if firstErr == "" {
						firstErr = fmt.Sprintf("status %d want %d: %v", status, want, err)
					}
					mu.Unlock()
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			for k, v := range local {
				statuses[k] += v
			}
			errs += localErr
			mu.Unlock()
		}()
	}
	for !measuring.Load() && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	measureStart = time.Now()
	wg.Wait()
	elapsed := time.Since(measureStart)
	stopRSS()
	res := summarize(lat, elapsed)
	res.Statuses, res.Errors, res.FirstError, res.Exhausted = statuses, errs, firstErr, exhausted.Load()
	res.RSSMaxMB, res.RSSEndMB, res.RSSSamples = rss.max, rss.last, rss.samples
	return res
}

func summarize(lat []time.Duration, elapsed time.Duration) Result {
	slices.Sort(lat)
	ms := func(q float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))].Microseconds()) / 1000
	}
	r := Result{Seconds: elapsed.Seconds(), Requests: len(lat), P50: ms(.5), P90: ms(.9), P99: ms(.99)}
	if len(lat) > 0 {
		r.Max = float64(lat[len(lat)-1].Microseconds()) / 1000
	}
	if elapsed > 0 {
		r.RPS = float64(len(lat)) / elapsed.Seconds()
	}
	return r
}

// report times the compliance report, one request at a time, on the
// mission with the most employments (all have about as many).
func (g *gen) report(n int) Result {
	path := "/api/v1/reports/compliance?format=json&from=2026-01-01&to=2026-12-31&mission_id=" + g.fx.Missions[0]
	status, body, err := g.call("GET", path, nil)
	if err != nil {
		return Result{Skipped: err.Error()}
	}
	if status == 404 && strings.Contains(string(body), "No such route") {
		return Result{Skipped: "GET /api/v1/reports/compliance does not exist in this build"}
	}
	if status != 200 {
		return Result{Skipped: fmt.Sprintf("GET %s answered %d: %.200s", path, status, body)}
	}
	var lat []time.Duration
	start := time.Now()
	for range n {
		t0 := time.Now()
		status, _, err := g.call("GET", path, nil)
		if err != nil || status != 200 {
			return Result{Skipped: fmt.Sprintf("report answered %d (%v)", status, err)}
		}
		lat = append(lat, time.Since(t0))
	}
	return summarize(lat, time.Since(start))
}

// crash sends n notifications from conns connections and records the
// employments answered 201 until the server goes away.
func (g *gen) crash(conns, n int) Result {
	var (
		mu      sync.Mutex
		created []string
		errs    int
		next    atomic.Int64
	)
	var wg sync.WaitGroup
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || i >= len(g.fx.FreeWorkers) {
					return
				}
				status, body, err := g.call("POST", "/api/v1/employments", g.notification(g.fx.FreeWorkers[i], g.fx.FreeEmployer[i]))
				if err != nil || status != 201 {
					mu.Lock()
					errs++
					mu.Unlock()
					if err != nil {
						return // the server is gone
					}
					continue
				}
				var e struct{ ID string }
				_ = json.Unmarshal(body, &e)
				mu.Lock()
				created = append(created, e.ID)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return Result{Requests: len(created) + errs, Errors: errs, Created: created}
}

// rssSampler reads a process's resident memory from /proc.
type rssSampler struct {
	pid       int
	max, last float64
	samples   []float64
}

func (s *rssSampler) start(every, keepEvery time.Duration) (stop func()) {
	if s.pid == 0 {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		lastKept := time.Now()
		for {
			if mb, ok := RSS(s.pid); ok {
				s.last = mb
				s.max = max(s.max, mb)
				if time.Since(lastKept) >= keepEvery {
					s.samples = append(s.samples, mb)
					lastKept = time.Now()
				}
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// RSS is a process's resident set size in MiB (VmRSS).
func RSS(pid int) (float64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return kb / 1024, err == nil
		}
	}
	return 0, false
}

// rawClient is one keep-alive HTTP/1.1 connection of one worker, for
// GETs: the request is written by hand into a reused buffer and the
// answer read with http.ReadResponse, its body discarded. It spares the
// generator net/http.Transport's per-request goroutine hand-offs, so that
// on a machine whose cores the generator shares with the server and
// PostgreSQL it takes less of them (as wrk did for research/perf-anchors.md).
// A broken or closed connection is dialled again on the next request.
type rawClient struct {
	addr, host, token string
	conn              net.Conn
	br                *bufio.Reader
	buf               []byte
}

func (c *rawClient) get(path string) (int, error) {
	if c.conn == nil {
		conn, err := net.DialTimeout("tcp", c.addr, 10*time.Second)
		if err != nil {
			return 0, err
		}
		c.conn, c.br = conn, bufio.NewReaderSize(conn, 16<<10)
	}
	b := append(c.buf[:0], "GET "...)
	b = append(b, path...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, c.host...)
	b = append(b, "\r\nUser-Agent: pdw-load\r\nAuthorization: Bearer "...)
	b = append(b, c.token...)
	b = append(b, "\r\n\r\n"...)
	c.buf = b
	_ = c.conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := c.conn.Write(b); err != nil {
		c.close()
		return 0, err
	}
	resp, err := http.ReadResponse(c.br, nil)
	if err != nil {
		c.close()
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil || resp.Close {
		c.close()
	}
	return resp.StatusCode, err
}

func (c *rawClient) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn, c.br = nil, nil
	}
}
