// Command benchrun runs the whole benchmark on one machine against one
// PostgreSQL cluster and writes bench/RESULTS.md; bench/run.sh builds the
// programs, starts a throwaway cluster when none is given, and calls it.
//
// In order: machine facts; the anchors (pgbench -S and TPC-B-like on a
// scale-10 database); seeding (bench/cmd/seed); `pdw serve` loaded from a
// second process (bench/cmd/load) at 64 connections, after the bare Gin +
// GORM anchor (bench/cmd/bareapi) under the same load, for a mission, a
// worker (audit row), a 50-row list page and a notification (POST
// employment), the compliance report when the route exists, the server's
// RSS; the contract PDF against headless Chromium (bench/cmd/pdfbench);
// the scheduler's planning pass (its Go benchmark); then, when asked, the
// soak (mixed load, zero errors, RSS sampled) and the crash check (kill
// -9 during a batch of notifications).
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
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

type config struct {
	adminURL, bin, repo, out, work, pgbin, clusterNote string
	quick, crash                                       bool
	soak                                               time.Duration
	loadDur                                            time.Duration
	conns                                              int
}

func main() {
	var c config
	flag.StringVar(&c.adminURL, "db", "", "PostgreSQL URL of a database on the cluster to use (databases pdw_bench* are created on it)")
	flag.StringVar(&c.bin, "bin", "", "directory holding pdw, seed, load and pdfbench")
	flag.StringVar(&c.repo, "repo", ".", "repository root")
	flag.StringVar(&c.out, "out", "bench/RESULTS.md", "results file")
	flag.StringVar(&c.work, "work", os.TempDir(), "scratch directory")
	flag.StringVar(&c.pgbin, "pgbin", "", "directory of pgbench (default: PATH)")
	flag.StringVar(&c.clusterNote, "cluster", "given", "how the cluster came to be (for the report)")
	flag.BoolVar(&c.quick, "quick", false, "smaller and shorter: 20,000 employments, 5 s per load")
	flag.BoolVar(&c.crash, "crash", false, "run the crash check")
	flag.DurationVar(&c.soak, "soak", 0, "run the soak for this long (e.g. 10m)")
	flag.IntVar(&c.conns, "c", 64, "connections of the load generator")
	flag.Parse()
	if c.adminURL == "" || c.bin == "" {
		log.Fatal("benchrun: -db and -bin are required (bench/run.sh sets them)")
	}
	r := &runner{cfg: c, started: time.Now()}
	if err := r.run(); err != nil {
		log.Fatal("benchrun: ", err)
	}
}

type runner struct {
	cfg     config
	started time.Time
	res     results
}

// results are every figure of the run.
type results struct {
	Machine        [][2]string
	LoadStart      string
	LoadEnd        string
	PgbenchS       float64
	PgbenchTPCB    float64
	PgbenchSLat    string
	PgbenchTPCBLat string
	Seed           seedResult
	Loads          map[string]loadResult
	Bare           *loadResult // the bare Gin + GORM anchor (bench/cmd/bareapi)
	Report         loadResult
	RSSMax         float64
	RSSHWM         float64
	PDF            pdfResult
	Plan           map[string]float64 // sub-benchmark -> ns/op
	PlanRaw        string
	Soak           *loadResult
	SoakNote       string
	Crash          *crashResult
	Notes          []string
	Errors5xx      float64
	Elapsed        time.Duration
}

type seedResult struct {
	Counts struct {
		Missions, Employers, Workers, Employments, Appointments, FreeWorkers int
	} `json:"counts"`
	SeedSeconds float64 `json:"seed_seconds"`
	CopySeconds float64 `json:"copy_seconds"`
	FreeWorkers []string
	AdminToken  string `json:"admin_token"`
}

type loadResult struct {
	Scenario   string         `json:"scenario"`
	Client     string         `json:"client"`
	Seconds    float64        `json:"seconds"`
	Requests   int            `json:"requests"`
	RPS        float64        `json:"rps"`
	P50        float64        `json:"p50_ms"`
	P90        float64        `json:"p90_ms"`
	P99        float64        `json:"p99_ms"`
	Max        float64        `json:"max_ms"`
	Errors     int            `json:"errors"`
	Statuses   map[string]int `json:"statuses"`
	RSSMaxMB   float64        `json:"rss_max_mb"`
	RSSEndMB   float64        `json:"rss_end_mb"`
	RSSSamples []float64      `json:"rss_samples_mb"`
	Skipped    string         `json:"skipped"`
	Created    []string       `json:"created"`
	Exhausted  bool           `json:"exhausted"`
	FirstError string         `json:"first_error"`
}

type pdfResult struct {
	Languages    string  `json:"languages"`
	FpdfFirstMS  float64 `json:"fpdf_first_ms"`
	FpdfMedianMS float64 `json:"fpdf_median_ms"`
	FpdfMinMS    float64 `json:"fpdf_min_ms"`
	FpdfAllocMB  float64 `json:"fpdf_alloc_mb_per_doc"`
	FpdfPages    int     `json:"fpdf_pages"`
	FpdfBytes    int     `json:"fpdf_bytes"`
	FpdfN        int     `json:"fpdf_n"`
	WarmStartMS  float64 `json:"chromium_warm_start_ms"`
	WarmMedianMS float64 `json:"chromium_warm_median_ms"`
	WarmN        int     `json:"chromium_warm_n"`
	ColdMedianMS float64 `json:"chromium_process_median_ms"`
	ColdN        int     `json:"chromium_process_n"`
	Skip         string  `json:"chromium_skipped"`
	Version      string  `json:"chromium_version"`
	Shaped       []struct {
		Languages string  `json:"languages"`
		MedianMS  float64 `json:"median_ms"`
		MinMS     float64 `json:"min_ms"`
		N         int     `json:"n"`
	} `json:"shaped"`
}

// shapedLanguages are the worker languages whose contracts go through
// the shaper (contracts/textlayout), timed beside the fr/tl contract.
const shapedLanguages = "ar,hi,ne,bn,si,ta"

type crashResult struct {
	Acknowledged   int
	Stored         int
	Unacknowledged int // stored although the client saw no answer (committed just before the kill)
	MissingAck     int // answered 201 but not stored: must be 0
	HalfWritten    int // employment without its audit row, or the reverse: must be 0
	Restarted      bool
	RestartSeconds float64
	AuditVerify    string
	OK             bool
}

func (r *runner) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%6.1fs] %s\n", time.Since(r.started).Seconds(), fmt.Sprintf(format, args...))
}

func (r *runner) note(format string, args ...any) {
	r.res.Notes = append(r.res.Notes, fmt.Sprintf(format, args...))
}

func (r *runner) run() error {
	c := r.cfg
	ctx := context.Background()
	if c.quick {
		c.loadDur = 5 * time.Second
	} else {
		c.loadDur = 15 * time.Second
	}
	r.cfg = c
	r.res.Loads = map[string]loadResult{}
	r.res.LoadStart = loadavg()
	r.machine(ctx)

	benchURL, err := r.freshDB(ctx, "pdw_bench")
	if err != nil {
		return err
	}
	pgbenchURL, err := r.freshDB(ctx, "pdw_bench_pgbench")
	if err != nil {
		return err
	}
	planURL, err := r.freshDB(ctx, "pdw_bench_plan")
	if err != nil {
		return err
	}
	bareURL, err := r.freshDB(ctx, "pdw_bench_bare")
	if err != nil {
		return err
	}

	if err := r.anchors(pgbenchURL); err != nil {
		return fmt.Errorf("pgbench: %w", err)
	}
	fixture := filepath.Join(c.work, "fixture.json")
	if err := r.seed(benchURL, fixture); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if err := r.bare(bareURL, fixture); err != nil {
		r.note("bare Gin + GORM anchor failed: %v", err)
	}
	if err := r.api(benchURL, fixture); err != nil {
		return fmt.Errorf("api load: %w", err)
	}
	if err := r.pdf(); err != nil {
		r.note("contract PDF benchmark failed: %v", err)
	}
	if err := r.plan(planURL); err != nil {
		r.note("planning benchmark failed: %v", err)
	}
	if c.soak > 0 {
		if err := r.soak(benchURL, fixture); err != nil {
			r.note("soak failed to run: %v", err)
		}
	}
	if c.crash {
		if err := r.crashCheck(ctx, benchURL, fixture); err != nil {
			r.note("crash check failed to run: %v", err)
		}
	}
	r.res.LoadEnd = loadavg()
	r.res.Elapsed = time.Since(r.started)
	return r.write()
}

// ---- machine and databases ----

func (r *runner) machine(ctx context.Context) {
	m := [][2]string{{"CPU", fmt.Sprintf("%d cores (runtime.NumCPU), %s", runtime.NumCPU(), cpuModel())}}
	m = append(m, [2]string{"memory", memTotal()})
	m = append(m, [2]string{"OS", osName()})
	m = append(m, [2]string{"Go", runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH})
	if conn, err := pgx.Connect(ctx, r.cfg.adminURL); err == nil {
		var v, sb, mc, fs string
		_ = conn.QueryRow(ctx, "SELECT version()").Scan(&v)
		_ = conn.QueryRow(ctx, "SHOW shared_buffers").Scan(&sb)
		_ = conn.QueryRow(ctx, "SHOW max_connections").Scan(&mc)
		_ = conn.QueryRow(ctx, "SHOW fsync").Scan(&fs)
		conn.Close(ctx)
		if i := strings.Index(v, " on "); i > 0 {
			v = v[:i]
		}
		m = append(m, [2]string{"PostgreSQL", fmt.Sprintf("%s (cluster: %s), shared_buffers=%s, max_connections=%s, fsync=%s",
			v, r.cfg.clusterNote, sb, mc, fs)})
	}
	if out, err := exec.Command("git", "-C", r.cfg.repo, "rev-parse", "--short", "HEAD").Output(); err == nil {
		m = append(m, [2]string{"commit", strings.TrimSpace(string(out))})
	}
	mode := "full"
	if r.cfg.quick {
		mode = "--quick"
	}
	m = append(m, [2]string{"run", fmt.Sprintf("%s, %s UTC, load generator: %d connections, %s per scenario after 2 s warm-up",
		mode, time.Now().UTC().Format("2006-01-02 15:04"), r.cfg.conns, r.cfg.loadDur)})
	r.res.Machine = m
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
	}
	return "unknown CPU"
}

func memTotal() string {
	b, _ := os.ReadFile("/proc/meminfo")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "MemTotal:"); ok {
			kb, _ := strconv.Atoi(strings.Fields(v)[0])
			return fmt.Sprintf("%d MiB", kb/1024)
		}
	}
	return "unknown"
}

func osName() string {
	b, _ := os.ReadFile("/etc/os-release")
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "PRETTY_NAME="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return runtime.GOOS
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// freshDB drops and creates a database on the cluster and returns its URL.
func (r *runner) freshDB(ctx context.Context, name string) (string, error) {
	conn, err := pgx.Connect(ctx, r.cfg.adminURL)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	id := pgx.Identifier{name}.Sanitize()
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+id+" WITH (FORCE)"); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+id); err != nil {
		return "", err
	}
	u, err := url.Parse(r.cfg.adminURL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}

// ---- anchors ----

var tpsRE = regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`)
var latRE = regexp.MustCompile(`latency average = ([0-9.]+ ms)`)

func (r *runner) pgbench(dbURL string, args ...string) (string, error) {
	u, err := url.Parse(dbURL)
	if err != nil {
		return "", err
	}
	bin := "pgbench"
	if r.cfg.pgbin != "" {
		bin = filepath.Join(r.cfg.pgbin, "pgbench")
	}
	full := []string{"-h", u.Hostname(), "-p", u.Port(), "-U", u.User.Username()}
	full = append(full, args...)
	full = append(full, strings.TrimPrefix(u.Path, "/"))
	cmd := exec.Command(bin, full...)
	if p, ok := u.User.Password(); ok {
		cmd.Env = append(os.Environ(), "PGPASSWORD="+p)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w\n%s", bin, strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

func (r *runner) anchors(dbURL string) error {
	r.logf("pgbench -i -s 10")
	if _, err := r.pgbench(dbURL, "-i", "-s", "10", "-q"); err != nil {
		return err
	}
	secs := "15"
	if r.cfg.quick {
		secs = "5"
	}
	for _, a := range []struct {
		name string
		args []string
		tps  *float64
		lat  *string
	}{
		{"pgbench -S", []string{"-S", "-c", "8", "-j", "2", "-T", secs, "-n"}, &r.res.PgbenchS, &r.res.PgbenchSLat},
		{"pgbench (TPC-B-like)", []string{"-c", "8", "-j", "2", "-T", secs, "-n"}, &r.res.PgbenchTPCB, &r.res.PgbenchTPCBLat},
	} {
		r.logf("%s -T %s", a.name, secs)
		out, err := r.pgbench(dbURL, a.args...)
		if err != nil {
			return err
		}
		m := tpsRE.FindStringSubmatch(out)
		if m == nil {
			return fmt.Errorf("%s: no tps in output:\n%s", a.name, out)
		}
		*a.tps, _ = strconv.ParseFloat(m[1], 64)
		if l := latRE.FindStringSubmatch(out); l != nil {
			*a.lat = l[1]
		}
	}
	return nil
}

// ---- seeding and the API ----

func (r *runner) seed(dbURL, fixture string) error {
	emp, free := "100000", "60000"
	if r.cfg.quick {
		emp, free = "20000", "20000"
	}
	r.logf("seed: %s employments, 5 appointments each, %s free workers", emp, free)
	cmd := exec.Command(filepath.Join(r.cfg.bin, "seed"), "-db", dbURL, "-employments", emp, "-free-workers", free, "-out", fixture)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return err
	}
	b, err := os.ReadFile(fixture)
	if err != nil {
		return err
	}
	var fx struct {
		seedResult
		FreeWorkers []string `json:"free_workers"`
	}
	if err := json.Unmarshal(b, &fx); err != nil {
		return err
	}
	r.res.Seed = fx.seedResult
	r.res.Seed.FreeWorkers = fx.FreeWorkers
	return nil
}

// server is a running `pdw serve`.
type server struct {
	cmd  *exec.Cmd
	base string
	log  *os.File
	done chan error
}

const metricsToken = "bench-metrics-token-0123456789"

func (r *runner) startServer(dbURL, logName string) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	lf, err := os.Create(filepath.Join(r.cfg.work, logName))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(filepath.Join(r.cfg.bin, "pdw"), "serve")
	cmd.Env = append(os.Environ(), "PDW_DATABASE_URL="+dbURL, "PDW_HTTP_ADDR="+addr, "PDW_LOG_LEVEL=info",
		"PDW_METRICS_TOKEN="+metricsToken, "PDW_TIMEZONE=UTC")
	cmd.Stdout, cmd.Stderr = lf, lf
	if err := cmd.Start(); err != nil {
		lf.Close()
		return nil, err
	}
	s := &server{cmd: cmd, base: "http://" + addr, log: lf, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait() }()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			s.done <- err
			return nil, fmt.Errorf("pdw serve exited: %v (log %s)", err, lf.Name())
		default:
		}
		if resp, err := http.Get(s.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.kill()
	return nil, errors.New("pdw serve not ready within 60 s")
}

func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(60 * time.Second):
		s.kill()
	}
	s.log.Close()
}

func (s *server) kill() {
	_ = s.cmd.Process.Kill()
	<-s.done
}

func (r *runner) load(base, fixture string, args ...string) (loadResult, error) {
	full := append([]string{"-base", base, "-fixture", fixture}, args...)
	cmd := exec.Command(filepath.Join(r.cfg.bin, "load"), full...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		return loadResult{}, fmt.Errorf("load %s: %w", strings.Join(args, " "), err)
	}
	var res loadResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return res, fmt.Errorf("load output %q: %w", out.String(), err)
	}
	return res, nil
}

// bareRows is the size of the bare anchor's table (research/perf-anchors.md 3c).
const bareRows = 100000

// bare measures the bare-stack anchor: bench/cmd/bareapi (Gin with only
// Recovery, GORM defaults, pgx; GET /employments/:id of a 100,000-row
// table) on its own database of the same cluster, loaded by the same
// generator at the same connections and duration as `pdw serve`, just
// before it.
func (r *runner) bare(dbURL, fixture string) error {
	bin := filepath.Join(r.cfg.bin, "bareapi")
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("no %s (bench/run.sh builds it): %w", bin, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	lf, err := os.Create(filepath.Join(r.cfg.work, "bareapi.log"))
	if err != nil {
		return err
	}
	defer lf.Close()
	r.logf("bare Gin + GORM anchor: %d rows", bareRows)
	cmd := exec.Command(bin, "-db", dbURL, "-addr", addr, "-rows", strconv.Itoa(bareRows))
	cmd.Stdout, cmd.Stderr = lf, lf
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}()
	base := "http://" + addr
	ready := false
	for deadline := time.Now().Add(120 * time.Second); time.Now().Before(deadline) && !ready; {
		select {
		case err := <-done:
			done <- err
			return fmt.Errorf("bareapi exited: %v (log %s)", err, lf.Name())
		default:
		}
		if resp, err := http.Get(base + "/employments/1"); err == nil {
			resp.Body.Close()
			ready = resp.StatusCode == 200
		}
		if !ready {
			time.Sleep(100 * time.Millisecond)
		}
	}
	if !ready {
		return errors.New("bareapi not ready within 120 s")
	}
	r.logf("load bare-get, %d connections, %s", r.cfg.conns, r.cfg.loadDur)
	res, err := r.load(base, fixture, "-scenario", "bare-get", "-rows", strconv.Itoa(bareRows),
		"-c", strconv.Itoa(r.cfg.conns), "-d", r.cfg.loadDur.String(), "-pid", strconv.Itoa(cmd.Process.Pid))
	if err != nil {
		return err
	}
	r.res.Bare = &res
	return nil
}

// crashBatch is how many free workers the crash check keeps for itself.
const crashBatch = 3000

func (r *runner) api(dbURL, fixture string) error {
	s, err := r.startServer(dbURL, "serve.log")
	if err != nil {
		return err
	}
	defer s.stop()
	pid := strconv.Itoa(s.cmd.Process.Pid)
	d := r.cfg.loadDur.String()
	free := len(r.res.Seed.FreeWorkers)
	for _, sc := range []string{"get-mission", "get-worker", "list", "post-employment"} {
		r.logf("load %s, %d connections, %s", sc, r.cfg.conns, d)
		args := []string{"-scenario", sc, "-c", strconv.Itoa(r.cfg.conns), "-d", d, "-pid", pid}
		if sc == "post-employment" {
			args = append(args, "-free-limit", strconv.Itoa(max(0, free-crashBatch)))
		}
		res, err := r.load(s.base, fixture, args...)
		if err != nil {
			return err
		}
		if res.Exhausted {
			r.note("%s ran out of free workers before the end of its run (%d requests in %.1f s)", sc, res.Requests, res.Seconds)
		}
		r.res.Loads[sc] = res
		r.res.RSSMax = max(r.res.RSSMax, res.RSSMaxMB)
	}
	r.logf("compliance report")
	rep, err := r.load(s.base, fixture, "-scenario", "report")
	if err != nil {
		return err
	}
	r.res.Report = rep
	r.res.RSSHWM = hwm(s.cmd.Process.Pid)
	r.res.Errors5xx = scrape5xx(s.base)
	return nil
}

// hwm is a process's peak resident memory in MiB (VmHWM).
func hwm(pid int) float64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.Fields(v)[0], 64)
			return kb / 1024
		}
	}
	return 0
}

// scrape5xx sums the server's 5xx answers from /metrics (-1 if unreadable).
func scrape5xx(base string) float64 {
	req, _ := http.NewRequest("GET", base+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+metricsToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	var sum float64
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "pdw_http_requests_total{") && strings.Contains(l, `status="5`) {
			f := strings.Fields(l)
			v, _ := strconv.ParseFloat(f[len(f)-1], 64)
			sum += v
		}
	}
	return sum
}

// ---- PDF and planning ----

func (r *runner) pdf() error {
	n, warm, cold := "50", "20", "5"
	if r.cfg.quick {
		n, warm, cold = "20", "5", "2"
	}
	dir := filepath.Join(r.cfg.work, "pdf")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	r.logf("contract PDF: fpdf x%s, warm Chromium x%s, Chromium process x%s", n, warm, cold)
	cmd := exec.Command(filepath.Join(r.cfg.bin, "pdfbench"), "-fonts", filepath.Join(r.cfg.repo, "contracts", "fonts"),
		"-dir", dir, "-n", n, "-warm", warm, "-cold", cold, "-shaped", shapedLanguages)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		return err
	}
	return json.Unmarshal(out.Bytes(), &r.res.PDF)
}

var benchLineRE = regexp.MustCompile(`^BenchmarkPlan/postgres/(\S+?)(-\d+)?\s+\d+\s+([0-9.]+) ns/op`)

func (r *runner) plan(dbURL string) error {
	// One pass each: the benchmark seeds 100,000 employments itself, and at
	// -benchtime 3x its old-snapshot case spent over 8 minutes of CPU in
	// its reset's DELETE FROM appointments (seen 2026-11-27).
	r.logf("planning pass: go test -bench BenchmarkPlan/postgres -benchtime 1x ./scheduler")
	cmd := exec.Command("go", "test", "-run", "^$", "-bench", "^BenchmarkPlan$/^postgres$", "-benchtime", "1x", "-timeout", "15m", "./scheduler")
	cmd.Dir = r.cfg.repo
	cmd.Env = append(os.Environ(), "PDW_TEST_DATABASE_URL="+dbURL, "PDW_REQUIRE_POSTGRES=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.MultiWriter(&out, os.Stderr), os.Stderr
	runErr := cmd.Run()
	r.res.Plan = map[string]float64{}
	for _, l := range strings.Split(out.String(), "\n") {
		if m := benchLineRE.FindStringSubmatch(l); m != nil {
			v, _ := strconv.ParseFloat(m[3], 64)
			r.res.Plan[m[1]] = v
			r.res.PlanRaw += strings.Join(strings.Fields(l), " ") + "\n"
		}
	}
	if runErr != nil {
		return fmt.Errorf("go test -bench BenchmarkPlan: %w (figures kept: %d)", runErr, len(r.res.Plan))
	}
	if len(r.res.Plan) == 0 {
		return fmt.Errorf("no BenchmarkPlan/postgres lines in:\n%s", out.String())
	}
	return nil
}

// ---- soak and crash ----

func (r *runner) soak(dbURL, fixture string) error {
	s, err := r.startServer(dbURL, "serve-soak.log")
	if err != nil {
		return err
	}
	defer s.stop()
	r.logf("soak: mixed load for %s", r.cfg.soak)
	res, err := r.load(s.base, fixture, "-scenario", "mixed", "-c", strconv.Itoa(r.cfg.conns), "-d", r.cfg.soak.String(),
		"-warmup", "5s", "-sample", "10s", "-pid", strconv.Itoa(s.cmd.Process.Pid))
	if err != nil {
		return err
	}
	r.res.Soak = &res
	return nil
}

func (r *runner) crashCheck(ctx context.Context, dbURL, fixture string) error {
	s, err := r.startServer(dbURL, "serve-crash.log")
	if err != nil {
		return err
	}
	free := len(r.res.Seed.FreeWorkers)
	skip := max(0, free-crashBatch)
	batch := r.res.Seed.FreeWorkers[skip:]
	r.logf("crash: %d notifications from %d connections, kill -9 after 1.5 s", len(batch), r.cfg.conns)
	type out struct {
		res loadResult
		err error
	}
	loadDone := make(chan out, 1)
	go func() {
		res, err := r.load(s.base, fixture, "-scenario", "crash", "-c", strconv.Itoa(r.cfg.conns), "-n", strconv.Itoa(len(batch)),
			"-skip-free", strconv.Itoa(skip))
		loadDone <- out{res, err}
	}()
	time.Sleep(1500 * time.Millisecond)
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.done
	s.log.Close()
	o := <-loadDone
	if o.err != nil {
		return o.err
	}
	cr := &crashResult{Acknowledged: len(o.res.Created)}
	r.res.Crash = cr

	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var stored []string
	rows, err := conn.Query(ctx, "SELECT id FROM employments WHERE worker_id = ANY($1)", batch)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return err
		}
		stored = append(stored, id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	cr.Stored = len(stored)
	isStored := map[string]bool{}
	for _, id := range stored {
		isStored[id] = true
	}
	for _, id := range o.res.Created {
		if !isStored[id] {
			cr.MissingAck++
		}
	}
	cr.Unacknowledged = cr.Stored - (cr.Acknowledged - cr.MissingAck)
	// Every stored employment has its audit row, and every audit row of a
	// created employment of the batch its employment.
	var noAudit, noEmp int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM employments e WHERE e.worker_id = ANY($1)
		AND NOT EXISTS (SELECT 1 FROM audit_events a WHERE a.object_id = e.id)`, batch).Scan(&noAudit); err != nil {
		return err
	}
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM audit_events a WHERE a.object_type = 'employment' AND a.at > now() - interval '10 minutes'
		AND a.action = 'create' AND NOT EXISTS (SELECT 1 FROM employments e WHERE e.id = a.object_id)`).Scan(&noEmp); err != nil {
		return err
	}
	cr.HalfWritten = noAudit + noEmp

	t0 := time.Now()
	s2, err := r.startServer(dbURL, "serve-after-crash.log")
	if err == nil {
		cr.Restarted, cr.RestartSeconds = true, time.Since(t0).Seconds()
		s2.stop()
	} else {
		r.note("restart after kill -9: %v", err)
	}
	cmd := exec.Command(filepath.Join(r.cfg.bin, "pdw"), "audit", "verify")
	cmd.Env = append(os.Environ(), "PDW_DATABASE_URL="+dbURL)
	vout, verr := cmd.CombinedOutput()
	cr.AuditVerify = strings.TrimSpace(string(vout))
	if verr != nil {
		cr.AuditVerify = "FAILED: " + cr.AuditVerify
	}
	cr.OK = cr.MissingAck == 0 && cr.HalfWritten == 0 && cr.Restarted && verr == nil && cr.Acknowledged > 0
	return nil
}
