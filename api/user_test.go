package api

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAPI_Users(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		r := e.must(201, "admin", "POST", "/api/v1/users", map[string]any{
			"email": "New.Officer@Office.example", "password": "a long enough password", "role": "officer"})
		id := r.str("id")
		if got, want := r.str("email"), "new.officer@office.example"; got != want {
			t.Errorf("email=%q, want %q", got, want)
		}
		if strings.Contains(string(r.Raw), "password") || strings.Contains(string(r.Raw), "$2a$") {
			t.Errorf("account view leaks the password hash: %s", r.Raw)
		}
		e.must(409, "admin", "POST", "/api/v1/users", map[string]any{
			"email": "new.officer@office.example", "password": "a long enough password", "role": "officer"})
		bad := e.must(422, "admin", "POST", "/api/v1/users", map[string]any{"email": "x", "password": "short", "role": "king"})
		for _, f := range []string{"email", "password", "role"} {
			if bad.field(f) == "" {
				t.Errorf("422 does not name %s: %s", f, bad.Raw)
			}
		}
		e.must(422, "admin", "POST", "/api/v1/users", map[string]any{
			"email": "m@office.example", "password": "a long enough password", "role": "mission"})

		// Disabling an account stops its tokens and ends its sessions for
		// good: after re-enabling, the token works again, the old cookie not.
		login := e.must(200, "", "POST", "/api/v1/auth/login", map[string]any{"email": "officer@office.example", "password": "correct horse battery"})
		cookie := login.Header.Get("Set-Cookie")
		cookie = cookie[:strings.IndexByte(cookie, ';')]
		withCookie := func() int {
			req := httptest.NewRequest("GET", "/api/v1/me", nil)
			req.Header.Set("Cookie", cookie)
			rec := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(rec, req)
			return rec.Code
		}
		if got, want := withCookie(), 200; got != want {
			t.Fatalf("cookie before disabling: %d, want %d", got, want)
		}
		officer := e.userID("officer")
		e.must(200, "admin", "PATCH", "/api/v1/users/"+officer, map[string]any{"disabled": true})
		e.must(401, "officer", "GET", "/api/v1/me", nil)
		e.must(401, "", "POST", "/api/v1/auth/login", map[string]any{"email": "officer@office.example", "password": "correct horse battery"})
		e.must(200, "admin", "PATCH", "/api/v1/users/"+officer, map[string]any{"disabled": false})
		e.must(200, "officer", "GET", "/api/v1/me", nil)
		if got, want := withCookie(), 401; got != want {
			t.Errorf("old session after disable and re-enable: %d, want %d", got, want)
		}

		// Nobody locks themselves out.
		e.must(409, "admin", "PATCH", "/api/v1/users/"+e.userID("admin"), map[string]any{"disabled": true})
		e.must(404, "admin", "GET", "/api/v1/users/0190d9b6-0000-7000-8000-000000000000", nil)
		e.must(200, "admin", "GET", "/api/v1/users/"+id, nil)
	})
}
