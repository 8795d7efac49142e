package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

const testPassword = "correct horse battery"

// authCall is a request with the credentials and headers a browser would
// send: a bearer token secret, a session cookie secret, extra headers.
type authCall struct {
	method, path string
	body         any
	bearer       string
	cookie       string
	header       map[string]string
}

// send performs c against e.srv.
func (e *env) send(c authCall) response {
	e.t.Helper()
	var rd io.Reader
	if c.body != nil {
		j, err := json.Marshal(c.body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(c.method, c.path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: SessionCookie, Value: c.cookie})
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	res := response{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.Bytes()}
	if len(res.Raw) > 0 {
		_ = json.Unmarshal(res.Raw, &res.Body)
	}
	return res
}

// sessionCookie returns the pdw_session cookie a response sets, or nil.
func sessionCookie(r response) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == SessionCookie {
			return c
		}
	}
	return nil
}

// login logs who ("officer", ...) in with the test password and returns the
// session cookie's secret.
func (e *env) login(who string) string {
	e.t.Helper()
	r := e.send(authCall{method: "POST", path: "/api/v1/auth/login",
		body: map[string]any{"email": who + "@office.example", "password": testPassword}})
	c := sessionCookie(r)
	if r.Status != http.StatusOK || c == nil || c.Value == "" {
		e.t.Fatalf("login %s: status %d, cookie %v; body %s", who, r.Status, c, r.Raw)
	}
	return c.Value
}

func errorMessage(r response) string {
	errObj, _ := r.Body["error"].(map[string]any)
	s, _ := errObj["message"].(string)
	return s
}

func TestAPI_LoginSetsSessionCookie(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		tests := []struct {
			name       string
			secure     bool
			wantSecure bool
		}{
			{"plain HTTP", false, false},
			{"behind TLS", true, true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				e.srv = New(e.db, Options{Now: func() time.Time { return storetest.Now }, SecureCookies: tt.secure})
				r := e.send(authCall{method: "POST", path: "/api/v1/auth/login",
					body: map[string]any{"email": "Officer@Office.example ", "password": testPassword}})
				if got, want := r.Status, http.StatusOK; got != want {
					t.Fatalf("status=%d, want %d; body %s", got, want, r.Raw)
				}
				if got, want := r.str("email"), "officer@office.example"; got != want {
					t.Errorf("email=%q, want %q", got, want)
				}
				if got, want := r.str("role"), models.RoleOfficer; got != want {
					t.Errorf("role=%q, want %q", got, want)
				}
				if strings.Contains(string(r.Raw), "password") || strings.Contains(string(r.Raw), "$2a$") {
					t.Errorf("login answer shows the password hash: %s", r.Raw)
				}
				c := sessionCookie(r)
				if c == nil {
					t.Fatalf("no %s cookie in %v", SessionCookie, r.Header.Values("Set-Cookie"))
				}
				if got, want := c.HttpOnly, true; got != want {
					t.Errorf("HttpOnly=%v, want %v", got, want)
				}
				if got, want := c.SameSite, http.SameSiteStrictMode; got != want {
					t.Errorf("SameSite=%v, want %v (Strict)", got, want)
				}
				if got, want := c.Secure, tt.wantSecure; got != want {
					t.Errorf("Secure=%v, want %v", got, want)
				}
				if got, want := c.Path, "/"; got != want {
					t.Errorf("Path=%q, want %q", got, want)
				}
				if got, want := c.MaxAge, int((12 * time.Hour).Seconds()); got != want {
					t.Errorf("MaxAge=%d, want %d", got, want)
				}

				// The cookie alone (no Authorization) authenticates.
				me := e.send(authCall{method: "GET", path: "/api/v1/me", cookie: c.Value})
				if got, want := me.Status, http.StatusOK; got != want {
					t.Fatalf("GET /me with the cookie: status %d, want %d; body %s", got, want, me.Raw)
				}
				if got, want := me.str("email"), "officer@office.example"; got != want {
					t.Errorf("GET /me email=%q, want %q", got, want)
				}
				if got, want := me.str("id"), r.str("id"); got != want {
					t.Errorf("GET /me id=%q, want %q", got, want)
				}
			})
		}
	})
}

func TestAPI_LoginRefusals(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		tests := []struct {
			name, email, password string
		}{
			{"wrong password", "officer@office.example", "not the password!"},
			{"unknown e-mail", "nobody@office.example", testPassword},
			{"empty password", "officer@office.example", ""},
		}
		var messages []string
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.send(authCall{method: "POST", path: "/api/v1/auth/login",
					body: map[string]any{"email": tt.email, "password": tt.password}})
				if got, want := r.Status, http.StatusUnauthorized; got != want {
					t.Fatalf("status=%d, want %d; body %s", got, want, r.Raw)
				}
				if c := sessionCookie(r); c != nil {
					t.Errorf("refused login set a cookie: %v", c)
				}
				messages = append(messages, errorMessage(r))
			})
		}
		// The answer does not reveal whether the account exists.
		for i := 1; i < len(messages); i++ {
			if got, want := messages[i], messages[0]; got != want {
				t.Errorf("message %d=%q, want the same as for a wrong password %q", i, got, want)
			}
		}
	})
}

func TestAPI_LogoutEndsSession(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		first := e.login("officer")
		second := e.login("officer")

		r := e.send(authCall{method: "POST", path: "/api/v1/auth/logout", cookie: first})
		if got, want := r.Status, http.StatusNoContent; got != want {
			t.Fatalf("logout: status %d, want %d; body %s", got, want, r.Raw)
		}
		c := sessionCookie(r)
		if c == nil || c.MaxAge >= 0 || c.Value != "" {
			t.Errorf("logout does not clear the cookie: %v", r.Header.Values("Set-Cookie"))
		}

		tests := []struct {
			name   string
			cookie string
			want   int
		}{
			{"logged-out session", first, http.StatusUnauthorized},
			{"other session of the same user", second, http.StatusOK},
			{"made-up session", "pdws_made_up", http.StatusUnauthorized},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.send(authCall{method: "GET", path: "/api/v1/me", cookie: tt.cookie})
				if got, want := r.Status, tt.want; got != want {
					t.Errorf("GET /me: status %d, want %d; body %s", got, want, r.Raw)
				}
			})
		}
	})
}

func TestAPI_CookieRequestsRefusedCrossSite(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		session := e.login("officer")
		tokenBody := map[string]any{"name": "browser"}
		tests := []struct {
			name           string
			method, path   string
			body           any
			cookie, bearer string
			header         map[string]string
			want           int
		}{
			{"cookie POST cross-site", "POST", "/api/v1/tokens", tokenBody, session, "",
				map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
			{"cookie POST same-site", "POST", "/api/v1/tokens", tokenBody, session, "",
				map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
			{"cookie POST foreign Origin", "POST", "/api/v1/tokens", tokenBody, session, "",
				map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
			{"cookie logout cross-site", "POST", "/api/v1/auth/logout", nil, session, "",
				map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
			{"login cross-site", "POST", "/api/v1/auth/login", map[string]any{"email": "officer@office.example", "password": testPassword}, "", "",
				map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
			{"cookie POST same-origin", "POST", "/api/v1/tokens", tokenBody, session, "",
				map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusCreated},
			{"cookie POST typed by the user", "POST", "/api/v1/tokens", tokenBody, session, "",
				map[string]string{"Sec-Fetch-Site": "none"}, http.StatusCreated},
			{"cookie POST without browser headers", "POST", "/api/v1/tokens", tokenBody, session, "", nil, http.StatusCreated},
			{"cookie GET cross-site (safe method)", "GET", "/api/v1/me", nil, session, "",
				map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusOK},
			{"bearer POST cross-site (no ambient credential)", "POST", "/api/v1/tokens", tokenBody, "", e.tokens["officer"],
				map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusCreated},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.send(authCall{method: tt.method, path: tt.path, body: tt.body, cookie: tt.cookie, bearer: tt.bearer, header: tt.header})
				if got, want := r.Status, tt.want; got != want {
					t.Errorf("status=%d, want %d; body %s", got, want, r.Raw)
				}
			})
		}
		// The refused cross-site logout did not end the session.
		if got, want := e.send(authCall{method: "GET", path: "/api/v1/me", cookie: session}).Status, http.StatusOK; got != want {
			t.Errorf("session after a refused cross-site logout: status %d, want %d", got, want)
		}
	})
}

func TestAPI_LoginRateLimit(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		attempt := func(email, password string) response {
			t.Helper()
			return e.send(authCall{method: "POST", path: "/api/v1/auth/login",
				body: map[string]any{"email": email, "password": password}})
		}
		for i := 1; i <= maxFailsPerAccount; i++ {
			if got, want := attempt("officer@office.example", "wrong password "+strconv.Itoa(i)).Status, http.StatusUnauthorized; got != want {
				t.Fatalf("failed attempt %d: status %d, want %d", i, got, want)
			}
		}
		tests := []struct {
			name, email string
			want        int
			retryAfter  bool
		}{
			{"locked account, right password", "officer@office.example", http.StatusTooManyRequests, true},
			{"locked account, other spelling", " OFFICER@office.example", http.StatusTooManyRequests, true},
			{"other account", "admin@office.example", http.StatusOK, false},
			{"another account", "mission@office.example", http.StatusOK, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := attempt(tt.email, testPassword)
				if got, want := r.Status, tt.want; got != want {
					t.Fatalf("status=%d, want %d; body %s", got, want, r.Raw)
				}
				ra := r.Header.Get("Retry-After")
				if got, want := ra != "", tt.retryAfter; got != want {
					t.Fatalf("Retry-After=%q, want present=%v", ra, want)
				}
				if tt.retryAfter {
					if n, err := strconv.Atoi(ra); err != nil || n <= 0 {
						t.Errorf("Retry-After=%q, want a positive number of seconds", ra)
					}
					if c := sessionCookie(r); c != nil {
						t.Errorf("a refused login set a cookie")
					}
				}
			})
		}
		// The lock holds for the window and lifts after it.
		later := storetest.Now.Add(loginWindow + time.Second)
		e.srv.limiter.now = func() time.Time { return later }
		if got, want := attempt("officer@office.example", testPassword).Status, http.StatusOK; got != want {
			t.Errorf("after the window: status %d, want %d", got, want)
		}
	})
}

func TestAPI_DisabledUserIsRefused(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		session := e.login("mission")
		wrong := e.send(authCall{method: "POST", path: "/api/v1/auth/login",
			body: map[string]any{"email": "mission@office.example", "password": "not the password!"}})
		storetest.MustExec(t, e.db, "UPDATE users SET disabled = true WHERE email = ?", "mission@office.example")

		tests := []struct {
			name string
			call authCall
		}{
			{"bearer token", authCall{method: "GET", path: "/api/v1/me", bearer: e.tokens["mission"]}},
			{"existing session", authCall{method: "GET", path: "/api/v1/me", cookie: session}},
			{"password", authCall{method: "POST", path: "/api/v1/auth/login",
				body: map[string]any{"email": "mission@office.example", "password": testPassword}}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.send(tt.call)
				if got, want := r.Status, http.StatusUnauthorized; got != want {
					t.Fatalf("status=%d, want %d; body %s", got, want, r.Raw)
				}
				if c := sessionCookie(r); c != nil {
					t.Errorf("a disabled user got a cookie")
				}
			})
		}
		// The password refusal does not tell that the password was right.
		r := e.send(tests[2].call)
		if got, want := errorMessage(r), errorMessage(wrong); got != want {
			t.Errorf("disabled login message=%q, want the wrong-password message %q", got, want)
		}
		// Others are unaffected.
		e.must(200, "missionB", "GET", "/api/v1/me", nil)
	})
}

func TestAPI_APITokens(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		created := e.must(http.StatusCreated, "officer", "POST", "/api/v1/tokens", map[string]any{"name": "ci job"})
		id, secret := created.str("id"), created.str("token")
		if !models.ValidID(id) || secret == "" {
			t.Fatalf("POST /tokens = %s, want {id, token}", created.Raw)
		}
		if got, want := created.str("name"), "ci job"; got != want {
			t.Errorf("name=%q, want %q", got, want)
		}
		e.tokens["ci"] = secret
		if got, want := e.must(200, "ci", "GET", "/api/v1/me", nil).str("email"), "officer@office.example"; got != want {
			t.Errorf("the new token authenticates as %q, want %q", got, want)
		}

		// The list shows the token but never its secret or hash.
		list := e.must(200, "officer", "GET", "/api/v1/tokens", nil)
		raw := string(list.Raw)
		if !strings.Contains(raw, id) {
			t.Errorf("GET /tokens does not list %s: %s", id, raw)
		}
		for _, leak := range []string{secret, store.HashSecret(secret), e.tokens["officer"], store.HashSecret(e.tokens["officer"]), "token_hash", `"token"`} {
			if strings.Contains(raw, leak) {
				t.Errorf("GET /tokens contains %q: %s", leak, raw)
			}
		}
		// Nor another user's tokens.
		if strings.Contains(string(e.must(200, "mission", "GET", "/api/v1/tokens", nil).Raw), id) {
			t.Errorf("mission lists the officer's token")
		}

		e.must(http.StatusUnprocessableEntity, "officer", "POST", "/api/v1/tokens", map[string]any{"name": " "})

		missionTok := e.must(http.StatusCreated, "mission", "POST", "/api/v1/tokens", map[string]any{"name": "m"})
		e.tokens["m"] = missionTok.str("token")
		tests := []struct {
			name, who, id string
			want          int
			revoked       string // token key that must then be refused
			alive         string // token key that must still work
		}{
			{"someone else's token", "officer", missionTok.str("id"), http.StatusNotFound, "", "m"},
			{"auditor on someone else's token", "auditor", id, http.StatusNotFound, "", "ci"},
			{"own token", "officer", id, http.StatusNoContent, "ci", "officer"},
			{"own token again", "officer", id, http.StatusNotFound, "ci", "officer"},
			{"not an id", "officer", "nope", http.StatusNotFound, "", "officer"},
			{"admin revokes any token", "admin", missionTok.str("id"), http.StatusNoContent, "m", "mission"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.do(tt.who, "DELETE", "/api/v1/tokens/"+tt.id, nil)
				if got, want := r.Status, tt.want; got != want {
					t.Fatalf("DELETE as %s: status %d, want %d; body %s", tt.who, got, want, r.Raw)
				}
				if tt.revoked != "" {
					if got, want := e.do(tt.revoked, "GET", "/api/v1/me", nil).Status, http.StatusUnauthorized; got != want {
						t.Errorf("revoked token %s: status %d, want %d", tt.revoked, got, want)
					}
				}
				if got, want := e.do(tt.alive, "GET", "/api/v1/me", nil).Status, http.StatusOK; got != want {
					t.Errorf("token %s: status %d, want %d", tt.alive, got, want)
				}
			})
		}
	})
}

func TestAPI_Setup(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		fresh := &env{t: t, db: storetest.Open(t, e.db.Dialect()), tokens: map[string]string{}}
		fresh.srv = New(fresh.db, Options{SetupToken: "setup_x"})
		setup := func(token, email, password string) map[string]any {
			return map[string]any{"token": token, "email": email, "password": password}
		}

		tests := []struct {
			name string
			body map[string]any
			want int
		}{
			{"wrong token", setup("setup_y", "root@office.example", testPassword), http.StatusUnauthorized},
			{"no token", setup("", "root@office.example", testPassword), http.StatusUnauthorized},
			{"right token, short password", setup("setup_x", "root@office.example", "short"), http.StatusUnprocessableEntity},
			{"right token", setup("setup_x", "root@office.example", testPassword), http.StatusCreated},
			{"right token again (consumed)", setup("setup_x", "second@office.example", testPassword), http.StatusUnauthorized},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := fresh.do("", "POST", "/api/v1/setup", tt.body)
				if got, want := r.Status, tt.want; got != want {
					t.Fatalf("status=%d, want %d; body %s", got, want, r.Raw)
				}
				if tt.want != http.StatusCreated {
					return
				}
				if got, want := r.str("role"), models.RoleAdmin; got != want {
					t.Errorf("role=%q, want %q", got, want)
				}
				if got, want := r.str("email"), "root@office.example"; got != want {
					t.Errorf("email=%q, want %q", got, want)
				}
			})
		}
		if n, err := fresh.db.CountUsers(fresh.sys()); err != nil || n != 1 {
			t.Errorf("users after setup: %d (%v), want 1", n, err)
		}
		if got, want := fresh.do("", "POST", "/api/v1/auth/login",
			map[string]any{"email": "root@office.example", "password": testPassword}).Status, http.StatusOK; got != want {
			t.Errorf("the new admin logs in: status %d, want %d", got, want)
		}

		// A valid token on a database that already has users changes nothing.
		again := New(fresh.db, Options{SetupToken: "setup_z"})
		fresh.srv = again
		r := fresh.do("", "POST", "/api/v1/setup", setup("setup_z", "late@office.example", testPassword))
		if got, want := r.Status, http.StatusConflict; got != want {
			t.Errorf("setup with users: status %d, want %d; body %s", got, want, r.Raw)
		}
		// A server started without a setup token refuses setup.
		r = e.do("", "POST", "/api/v1/setup", setup("", "late@office.example", testPassword))
		if got, want := r.Status, http.StatusUnauthorized; got != want {
			t.Errorf("setup without a setup token: status %d, want %d; body %s", got, want, r.Raw)
		}
		if n, err := fresh.db.CountUsers(fresh.sys()); err != nil || n != 1 {
			t.Errorf("users after refused setups: %d (%v), want 1", n, err)
		}
	})
}

func TestAPI_RequestID(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		tests := []struct {
			name, who, method, path string
			sent                    string
			echoed                  bool
			status                  int
		}{
			{"generated on a public route", "", "GET", "/healthz", "", false, http.StatusOK},
			{"generated on an error", "", "GET", "/api/v1/me", "", false, http.StatusUnauthorized},
			{"generated on no route", "officer", "GET", "/api/v1/nowhere", "", false, http.StatusNotFound},
			{"generated on a wrong method", "officer", "PUT", "/api/v1/me", "", false, http.StatusMethodNotAllowed},
			{"valid id echoed", "officer", "GET", "/api/v1/me", "trace-01.abc_XYZ", true, http.StatusOK},
			{"valid id echoed on refusal", "auditor", "GET", "/api/v1/workers", "trace-02", true, http.StatusForbidden},
			{"64 characters echoed", "", "GET", "/healthz", strings.Repeat("a", 64), true, http.StatusOK},
			{"65 characters replaced", "", "GET", "/healthz", strings.Repeat("a", 65), false, http.StatusOK},
			{"bad characters replaced", "", "GET", "/healthz", "id with spaces", false, http.StatusOK},
			{"header injection replaced", "", "GET", "/healthz", "a\"b<script>", false, http.StatusOK},
		}
		seen := map[string]bool{}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := authCall{method: tt.method, path: tt.path}
				if tt.who != "" {
					c.bearer = e.tokens[tt.who]
				}
				if tt.sent != "" {
					c.header = map[string]string{"X-Request-ID": tt.sent}
				}
				r := e.send(c)
				if got, want := r.Status, tt.status; got != want {
					t.Fatalf("status=%d, want %d; body %s", got, want, r.Raw)
				}
				got := r.Header.Get("X-Request-ID")
				if !validRequestID(got) {
					t.Fatalf("X-Request-ID=%q, want a well-formed id", got)
				}
				if tt.echoed {
					if got != tt.sent {
						t.Errorf("X-Request-ID=%q, want the caller's %q", got, tt.sent)
					}
					return
				}
				if got == tt.sent {
					t.Errorf("X-Request-ID=%q echoes a malformed id", got)
				}
				if seen[got] {
					t.Errorf("X-Request-ID %q was given twice", got)
				}
				seen[got] = true
			})
		}
	})
}

func TestAPI_AuditTrailOfLoginAndRead(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		wrk := e.worker("mission", "1990-01-01")
		login := e.send(authCall{method: "POST", path: "/api/v1/auth/login",
			header: map[string]string{"X-Request-ID": "req-login-1"},
			body:   map[string]any{"email": "officer@office.example", "password": testPassword}})
		if login.Status != http.StatusOK {
			t.Fatalf("login: status %d; body %s", login.Status, login.Raw)
		}
		officerID := login.str("id")
		session := sessionCookie(login).Value
		read := e.send(authCall{method: "GET", path: "/api/v1/workers/" + wrk, cookie: session,
			header: map[string]string{"X-Request-ID": "req-read-1"}})
		if read.Status != http.StatusOK {
			t.Fatalf("read: status %d; body %s", read.Status, read.Raw)
		}
		// A bearer read gets its generated request id recorded too.
		readByToken := e.must(200, "mission", "GET", "/api/v1/workers/"+wrk, nil)

		tests := []struct {
			name           string
			filter         models.AuditFilter
			wantActorRole  string
			wantRequestID  string
			wantObjectID   string
			wantObjectType string
		}{
			{"login", models.AuditFilter{Action: models.ActionLogin, ActorID: officerID},
				models.RoleOfficer, "req-login-1", officerID, "user"},
			{"read by session", models.AuditFilter{Action: models.ActionRead, ObjectType: "worker", ObjectID: wrk, ActorID: officerID},
				models.RoleOfficer, "req-read-1", wrk, "worker"},
			{"read by token", models.AuditFilter{Action: models.ActionRead, ObjectType: "worker", ObjectID: wrk, ActorID: e.userID("mission")},
				models.RoleMission, readByToken.Header.Get("X-Request-ID"), wrk, "worker"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				evs, err := e.db.FindAuditEvents(e.sys(), tt.filter)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := len(evs), 1; got != want {
					t.Fatalf("%d events match %+v, want %d", got, tt.filter, want)
				}
				ev := evs[0]
				for _, c := range []struct{ field, got, want string }{
					{"actor_role", ev.ActorRole, tt.wantActorRole},
					{"request_id", ev.RequestID, tt.wantRequestID},
					{"object_type", ev.ObjectType, tt.wantObjectType},
					{"object_id", ev.ObjectID, tt.wantObjectID},
				} {
					if c.got != c.want {
						t.Errorf("%s=%q, want %q", c.field, c.got, c.want)
					}
				}
			})
		}
	})
}

// userID returns the account id behind a token key of e.tokens (found by
// e-mail, so that it works for a disabled account too).
func (e *env) userID(who string) string {
	e.t.Helper()
	u, err := e.db.FindUserByEmail(e.sys(), who+"@office.example")
	if err != nil {
		e.t.Fatal(err)
	}
	return u.ID
}
