package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/models/store/storetest"
)

// TestServeWeb checks that `pdw serve` mounts the pages beside the API:
// the setup page on a fresh database, an asset's content-hashed URL, and a
// PDW_QUICK_EXIT_URL that is not an http(s) address refused at start.
func TestServeWeb(t *testing.T) {
	vars := dbEnv(storetest.URL(t, "sqlite"))
	vars["PDW_QUICK_EXIT_URL"] = "https://neutral.example/news"
	s := startServe(t, vars)
	get := func(path string) (int, http.Header, string) {
		t.Helper()
		resp, err := s.client.Get(s.base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header, string(b)
	}
	code, h, body := get("/setup")
	if code != http.StatusOK || !strings.Contains(body, `name="token"`) || h.Get("Content-Security-Policy") == "" {
		t.Fatalf("GET /setup: %d, CSP %q, body %.300s", code, h.Get("Content-Security-Policy"), body)
	}
	i := strings.Index(body, `href="/static/`)
	if i < 0 {
		t.Fatal("no stylesheet link on /setup")
	}
	css := body[i+len(`href="`):]
	css = css[:strings.Index(css, `"`)]
	if code, h, _ := get(css); code != http.StatusOK || !strings.Contains(h.Get("Cache-Control"), "immutable") {
		t.Errorf("GET %s: %d, Cache-Control %q", css, code, h.Get("Cache-Control"))
	}
	if code, _, _ := get("/"); code != http.StatusOK { // redirected to the login page
		t.Errorf("GET / (to the login page): %d", code)
	}

	vars["PDW_QUICK_EXIT_URL"] = "javascript:alert(1)"
	if r := pdw(t, vars, "", "serve"); r.code == 0 || !strings.Contains(r.stderr, "PDW_QUICK_EXIT_URL") {
		t.Errorf("a bad PDW_QUICK_EXIT_URL: exit %d, stderr %q", r.code, r.stderr)
	}
}
