package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// accessCode issues, as an officer, a code for the employment's worker.
func (e *env) accessCode(employmentID string) string {
	e.t.Helper()
	wid := e.must(200, "officer", "GET", "/api/v1/employments/"+employmentID, nil).str("worker_id")
	return e.must(201, "officer", "POST", "/api/v1/workers/"+wid+"/access-code", nil).str("code")
}

func TestAPI_WorkerAccessCode(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		empl := e.approvedEmployment()
		e.must(201, "officer", "POST", "/api/v1/employments/"+empl+"/contracts", nil)
		first := e.accessCode(empl)
		second := e.accessCode(empl)

		tests := []struct {
			name, path string
			want       int
		}{
			{"new code", "/api/v1/w/" + second, http.StatusOK},
			{"re-issue ends the old code", "/api/v1/w/" + first, http.StatusNotFound},
			{"malformed code", "/api/v1/w/not-a-code", http.StatusNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.do("", "GET", tt.path, nil)
				if r.Status != tt.want {
					t.Fatalf("status %d, want %d: %s", r.Status, tt.want, r.Raw)
				}
				if got := r.Header.Get("Set-Cookie"); got != "" {
					t.Errorf("Set-Cookie %q on the worker's page", got)
				}
				for h, want := range map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"} {
					if got := r.Header.Get(h); got != want {
						t.Errorf("%s=%q, want %q", h, got, want)
					}
				}
			})
		}

		r := e.must(200, "", "GET", "/api/v1/w/"+second, nil)
		for _, absent := range []string{"P1234567", "worker@example.org", "full_name", "risk", "note"} {
			if strings.Contains(string(r.Raw), absent) {
				t.Errorf("the worker's page JSON holds %q: %s", absent, r.Raw)
			}
		}
		if c, _ := r.Body["contract"].(map[string]any); c["pdf"] != "/w/"+second+"/contract.pdf" {
			t.Errorf("contract=%v", r.Body["contract"])
		}

		e.must(http.StatusAccepted, "", "POST", "/api/v1/w/"+second+"/help", nil)
		tl := e.must(200, "officer", "GET", "/api/v1/employments/"+empl+"/timeline", nil)
		if !strings.Contains(string(tl.Raw), `"worker_help"`) {
			t.Errorf("no worker_help alert on the timeline: %s", tl.Raw)
		}
		if tl := e.must(200, "mission", "GET", "/api/v1/employments/"+empl+"/timeline", nil); strings.Contains(string(tl.Raw), "worker_help") {
			t.Errorf("the mission sees the worker's alarm: %s", tl.Raw)
		}

		wid := e.must(200, "officer", "GET", "/api/v1/employments/"+empl, nil).str("worker_id")
		e.must(http.StatusForbidden, "mission", "POST", "/api/v1/workers/"+wid+"/access-code", nil)
		e.must(204, "officer", "DELETE", "/api/v1/workers/"+wid+"/access-code", nil)
		e.must(404, "", "GET", "/api/v1/w/"+second, nil)
	})
}

// TestAPI_WorkerAccessCodeGuessing checks that wrong codes from one
// address are limited (429 with Retry-After), good codes do not count,
// and another address is not affected.
func TestAPI_WorkerAccessCodeGuessing(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		code := e.accessCode(e.approvedEmployment())
		get := func(path, addr string) int {
			req, rec := httptest.NewRequest("GET", path, nil), httptest.NewRecorder()
			req.RemoteAddr = addr
			e.srv.Handler().ServeHTTP(rec, req)
			return rec.Code
		}
		for i := range 3 * maxCodeFailsPerAddress {
			if got := get("/api/v1/w/"+code, "192.0.2.1:1"); got != 200 {
				t.Fatalf("good code #%d: %d", i, got)
			}
		}
		wrong := "/api/v1/w/" + strings.Repeat("0", 16)
		for i := range maxCodeFailsPerAddress {
			if got := get(wrong, "192.0.2.1:1"); got != 404 {
				t.Fatalf("wrong code #%d: %d, want 404", i, got)
			}
		}
		if got := get(wrong, "192.0.2.1:1"); got != http.StatusTooManyRequests {
			t.Fatalf("wrong code past the limit: %d, want 429", got)
		}
		if got := get("/api/v1/w/"+code, "192.0.2.1:1"); got != http.StatusTooManyRequests {
			t.Fatalf("good code from a limited address: %d, want 429", got)
		}
		if got := get("/api/v1/w/"+code, "192.0.2.2:1"); got != 200 {
			t.Fatalf("good code from another address: %d, want 200", got)
		}
	})
}
