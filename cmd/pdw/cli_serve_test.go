package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models/store/storetest"
)

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// server is a `pdw serve` running in the test.
type server struct {
	t      *testing.T
	base   string
	logs   *syncBuffer
	client *http.Client
	cancel context.CancelFunc
	done   chan int
}

// startServe runs `pdw serve` with vars plus a free PDW_HTTP_ADDR and waits
// (at most 10 s) until /healthz answers 200. The server is stopped at
// cleanup if the test did not stop it.
func startServe(t *testing.T, vars map[string]string) *server {
	t.Helper()
	env := map[string]string{}
	for k, v := range vars {
		env[k] = v
	}
	addr := freeAddr(t)
	env["PDW_HTTP_ADDR"] = addr
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{t: t, base: "http://" + addr, logs: &syncBuffer{}, cancel: cancel, done: make(chan int, 1),
		client: &http.Client{Jar: jar, Timeout: 5 * time.Second}}
	var stdout bytes.Buffer
	go func() { s.done <- run(ctx, []string{"serve"}, getenvOf(env), strings.NewReader(""), &stdout, s.logs) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
			t.Errorf("pdw serve did not stop within 30 s of cleanup")
		}
	})

	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case code := <-s.done:
			s.done <- code
			t.Fatalf("pdw serve exited with %d before answering /healthz\nlogs: %s", code, s.logs)
		default:
		}
		resp, err := s.client.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz did not answer 200 within 10 s (last error %v)\nlogs: %s", err, s.logs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop cancels the server's context and returns run's exit status.
func (s *server) stop() int {
	s.t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		s.done <- code // for cleanup
		return code
	case <-time.After(25 * time.Second):
		s.t.Fatalf("pdw serve did not return within 25 s of cancellation")
		return -1
	}
}

// do sends a JSON request and returns the status and decoded body.
func (s *server) do(method, path, bearer string, body any) (int, map[string]any) {
	s.t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			s.t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.base+path, r)
	if err != nil {
		s.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			s.t.Fatalf("%s %s: body is not a JSON object: %q", method, path, raw)
		}
	}
	return resp.StatusCode, out
}

// logRecords parses the captured logs, one JSON object a line.
func logRecords(t *testing.T, logs string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(logs, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("log line is not JSON: %q", line)
			continue
		}
		out = append(out, rec)
	}
	return out
}

// setupToken returns the setup_token of the logs, or "".
func setupToken(t *testing.T, logs string) string {
	t.Helper()
	for _, rec := range logRecords(t, logs) {
		if tok, ok := rec["setup_token"].(string); ok {
			return tok
		}
	}
	return ""
}

// TestServe boots the service on each database, sets up the first
// administrator with the logged one-time token, works with a worker's
// record, shuts down gracefully, and checks that the logs carry no
// personal data.
func TestServe(t *testing.T) {
	const (
		email    = "first.admin@office.example"
		password = "a long enough passphrase"
		name     = "Zenaida Quillfeather-Oyelaran"
		passport = "XQ98765432"
		phone    = "+41 22 555 01 99"
	)
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			vars := dbEnv(storetest.URL(t, dialect))
			// Debug level, so that nothing personal hides below the threshold.
			vars["PDW_LOG_LEVEL"] = "debug"
			s := startServe(t, vars)

			if code, body := s.do("GET", "/readyz", "", nil); code != http.StatusOK {
				t.Errorf("GET /readyz = %d %v, want 200", code, body)
			}
			token := setupToken(t, s.logs.String())
			if !strings.HasPrefix(token, "setup_") {
				t.Fatalf("no setup_token in the logs of a server without accounts:\n%s", s.logs)
			}

			// Setup works once, with the logged token only.
			steps := []struct {
				name     string
				body     map[string]string
				wantCode int
			}{
				{"wrong token", map[string]string{"token": token + "x", "email": email, "password": password}, http.StatusUnauthorized},
				{"short password", map[string]string{"token": token, "email": email, "password": "short"}, http.StatusUnprocessableEntity},
				{"setup", map[string]string{"token": token, "email": email, "password": password}, http.StatusCreated},
				{"token used twice", map[string]string{"token": token, "email": "second@office.example", "password": password}, http.StatusUnauthorized},
			}
			for _, st := range steps {
				code, body := s.do("POST", "/api/v1/setup", "", st.body)
				if got, want := code, st.wantCode; got != want {
					t.Errorf("setup, %s: status %d, want %d (%v)", st.name, got, want, body)
				}
			}

			// Log in with the session cookie.
			code, me := s.do("POST", "/api/v1/auth/login", "", map[string]string{"email": email, "password": password})
			if code != http.StatusOK {
				t.Fatalf("login = %d %v, want 200", code, me)
			}
			if got, want := me["role"], "admin"; got != want {
				t.Errorf("logged-in role = %v, want %v", got, want)
			}
			u, _ := url.Parse(s.base)
			var session string
			for _, c := range s.client.Jar.Cookies(u) {
				if c.Name == "pdw_session" {
					session = c.Value
				}
			}
			if session == "" {
				t.Fatal("login set no pdw_session cookie")
			}

			// A worker, created with the cookie.
			code, w := s.do("POST", "/api/v1/workers", "", map[string]any{
				"full_name": name, "sex": "f", "nationality": "PH", "languages": []string{"tl", "en"},
				"passport_number": passport, "phone": phone, "date_of_birth": "1990-04-12",
			})
			if code != http.StatusCreated {
				t.Fatalf("POST /api/v1/workers = %d %v, want 201", code, w)
			}
			id, _ := w["id"].(string)

			// A refused one (bad nationality) still carries the name in its body.
			if code, body := s.do("POST", "/api/v1/workers", "", map[string]any{
				"full_name": name, "sex": "f", "nationality": "??", "languages": []string{"tl"}, "passport_number": passport,
			}); code != http.StatusUnprocessableEntity {
				t.Errorf("POST /api/v1/workers with a bad nationality = %d %v, want 422", code, body)
			}

			// Read it back with a token made by `pdw token create` while the
			// server runs.
			apiToken := strings.TrimSpace(mustPDW(t, vars, "", "token", "create", "--email", email, "--name", "test").stdout)
			bearer := &server{t: t, base: s.base, client: &http.Client{Timeout: 5 * time.Second}}
			code, got := bearer.do("GET", "/api/v1/workers/"+id, apiToken, nil)
			if code != http.StatusOK {
				t.Fatalf("GET /api/v1/workers/%s = %d %v, want 200", id, code, got)
			}
			fields := []struct{ key, want string }{
				{"full_name", name}, {"passport_number", passport}, {"phone", phone}, {"id", id},
			}
			for _, f := range fields {
				if got[f.key] != f.want {
					t.Errorf("worker %s = %v, want %q", f.key, got[f.key], f.want)
				}
			}
			// A search by name puts the name in the query string.
			if code, body := s.do("GET", "/api/v1/workers?q="+url.QueryEscape("Quillfeather"), "", nil); code != http.StatusOK {
				t.Errorf("GET /api/v1/workers?q= = %d %v, want 200", code, body)
			}
			if code, body := s.do("GET", "/api/v1/me", "", nil); code != http.StatusOK {
				t.Errorf("GET /api/v1/me = %d %v, want 200", code, body)
			}

			if got, want := s.stop(), 0; got != want {
				t.Errorf("run returned %d after cancellation, want %d (graceful shutdown)\nlogs: %s", got, want, s.logs)
			}
			logs := s.logs.String()
			recs := logRecords(t, logs)
			var requests int
			for _, rec := range recs {
				if rec["msg"] == "request" {
					requests++
				}
			}
			if requests == 0 {
				t.Errorf("no request was logged:\n%s", logs)
			}
			if !strings.Contains(logs, `"msg":"stopped"`) {
				t.Errorf("logs do not say the server stopped:\n%s", logs)
			}
			secrets := []struct{ what, value string }{
				{"worker name", name},
				{"part of the worker name", "Quillfeather"},
				{"passport number", passport},
				{"phone number", phone},
				{"password", password},
				{"administrator's e-mail", email},
				{"session cookie", session},
				{"API token", apiToken},
			}
			for _, sec := range secrets {
				if strings.Contains(logs, sec.value) {
					t.Errorf("the logs contain the %s %q:\n%s", sec.what, sec.value, logs)
				}
			}

			// A restart on the same database: an account exists, so no setup
			// token is offered and setup stays closed.
			s2 := startServe(t, vars)
			if tok := setupToken(t, s2.logs.String()); tok != "" {
				t.Errorf("a setup token was logged although an account exists: %s", tok)
			}
			if code, body := s2.do("POST", "/api/v1/setup", "", map[string]string{"token": token, "email": "x@office.example", "password": password}); code != http.StatusUnauthorized {
				t.Errorf("setup after restart = %d %v, want 401", code, body)
			}
			if code, body := s2.do("GET", "/api/v1/workers/"+id, apiToken, nil); code != http.StatusOK {
				t.Errorf("GET worker after restart = %d %v, want 200", code, body)
			}
			if got, want := s2.stop(), 0; got != want {
				t.Errorf("second run returned %d, want %d", got, want)
			}
		})
	}
}

// TestServeSchemaCheck: with PDW_AUTO_MIGRATE=false the server refuses an
// unmigrated database at once, and serves a migrated one.
func TestServeSchemaCheck(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			t.Run("empty database", func(t *testing.T) {
				vars := dbEnv(storetest.URL(t, dialect))
				vars["PDW_AUTO_MIGRATE"] = "false"
				vars["PDW_HTTP_ADDR"] = freeAddr(t)
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				var stdout bytes.Buffer
				stderr := &syncBuffer{}
				start := time.Now()
				code := run(ctx, []string{"serve"}, getenvOf(vars), strings.NewReader(""), &stdout, stderr)
				if elapsed := time.Since(start); elapsed > 5*time.Second {
					t.Errorf("run took %v to refuse an old schema, want it to fail fast", elapsed)
				}
				if code == 0 {
					t.Errorf("run = 0 on an unmigrated database with PDW_AUTO_MIGRATE=false, want non-zero")
				}
				for _, want := range []string{"schema", "pdw migrate"} {
					if !strings.Contains(stderr.String(), want) {
						t.Errorf("stderr = %q, want it to mention %q", stderr, want)
					}
				}
			})
			t.Run("migrated database", func(t *testing.T) {
				vars := dbEnv(storetest.URL(t, dialect))
				mustPDW(t, vars, "", "migrate")
				vars["PDW_AUTO_MIGRATE"] = "false"
				s := startServe(t, vars)
				if code, body := s.do("GET", "/readyz", "", nil); code != http.StatusOK {
					t.Errorf("GET /readyz = %d %v, want 200", code, body)
				}
				if got, want := s.stop(), 0; got != want {
					t.Errorf("run = %d, want %d", got, want)
				}
			})
		})
	}
}

// TestServeAddressInUse: a port that is taken is an error, not a hang.
func TestServeAddressInUse(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			vars := dbEnv(storetest.URL(t, dialect))
			vars["PDW_HTTP_ADDR"] = ln.Addr().String()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var stdout, stderr bytes.Buffer
			code := run(ctx, []string{"serve"}, getenvOf(vars), strings.NewReader(""), &stdout, &stderr)
			if got, want := code, 1; got != want {
				t.Errorf("run = %d, want %d", got, want)
			}
			if got, want := stderr.String(), "listen on "+ln.Addr().String(); !strings.Contains(got, want) {
				t.Errorf("stderr = %q, want it to contain %q", got, want)
			}
		})
	}
}
