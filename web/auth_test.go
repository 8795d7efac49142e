package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/api"
)

// TestWeb_Login logs in through the form: the pre-session token comes in a
// cookie with the form; a wrong password shows the form again (401); a
// good one opens a session and goes to the page asked for, never to
// another site.
func TestWeb_Login(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		get := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(get, httptest.NewRequest("GET", "/login?next=/workers", nil))
		var token *http.Cookie
		for _, c := range get.Result().Cookies() {
			if c.Name == preSessionCookie {
				token = c
			}
		}
		if token == nil || !token.HttpOnly || token.SameSite != http.SameSiteStrictMode {
			t.Fatalf("pre-session cookie %+v", token)
		}
		if !strings.Contains(get.Body.String(), `name="csrf" value="`+token.Value+`"`) {
			t.Fatal("the login form does not carry the cookie's token")
		}
		post := func(form url.Values, withCookie bool) *httptest.ResponseRecorder {
			req := httptest.NewRequest("POST", "/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if withCookie {
				req.AddCookie(token)
			}
			rec := httptest.NewRecorder()
			e.srv.Handler().ServeHTTP(rec, req)
			return rec
		}
		tests := []struct {
			name       string
			form       url.Values
			cookie     bool
			status     int
			location   string
			newSession bool
		}{
			{"no cookie", url.Values{"csrf": {token.Value}, "email": {"officer@office.example"}, "password": {testPassword}}, false, 403, "", false},
			{"wrong token", url.Values{"csrf": {otherFirst(token.Value)}, "email": {"officer@office.example"}, "password": {testPassword}}, true, 403, "", false},
			{"wrong password", url.Values{"csrf": {token.Value}, "email": {"officer@office.example"}, "password": {"wrong password!"}}, true, 401, "", false},
			{"good, to the page asked for", url.Values{"csrf": {token.Value}, "email": {"officer@office.example"}, "password": {testPassword}, "next": {"/workers"}}, true, 303, "/workers", true},
			{"good, never to another site", url.Values{"csrf": {token.Value}, "email": {"officer@office.example"}, "password": {testPassword}, "next": {"//evil.example/"}}, true, 303, "/", true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rec := post(tt.form, tt.cookie)
				if rec.Code != tt.status {
					t.Fatalf("status %d, want %d: %.500s", rec.Code, tt.status, rec.Body.String())
				}
				if got := rec.Header().Get("Location"); got != tt.location {
					t.Errorf("Location %q, want %q", got, tt.location)
				}
				var session bool
				for _, c := range rec.Result().Cookies() {
					if c.Name == api.SessionCookie && c.Value != "" {
						session = c.HttpOnly && c.SameSite == http.SameSiteStrictMode
					}
				}
				if session != tt.newSession {
					t.Errorf("session cookie set=%v, want %v", session, tt.newSession)
				}
				if tt.status == 401 && !strings.Contains(rec.Body.String(), `value="officer@office.example"`) {
					t.Error("the e-mail is not kept after a wrong password")
				}
			})
		}
	})
}

// TestWeb_MissionPortal checks what a mission's focal point sees: its own
// records only (another mission's are 404), never the worker's passport,
// phone or e-mail, no office-only controls; and the language preference.
func TestWeb_MissionPortal(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		empl, _ := e.approvedEmployment("tl")
		appt := e.appointment(empl)
		r := e.must(http.StatusOK, "mission", "GET", "/employments/"+empl, nil)
		for _, absent := range []string{`name="id_card_number"`, `name="status"`, `/contracts"`, `action="/contracts/`, "P1234567"} {
			if strings.Contains(r.Body, absent) {
				t.Errorf("the mission's employment page has %q", absent)
			}
		}
		for _, want := range []string{`name="arrival_date"`, `name="departure_date"`, `href="/contracts/`, "Le travailleur doit venir seul"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the mission's employment page lacks %q", want)
			}
		}
		for _, path := range []string{"/employments/" + empl, "/appointments/" + appt} {
			e.must(http.StatusNotFound, "missionB", "GET", path, nil)
		}
		wid := strings.SplitN(strings.SplitN(r.Body, `href="/workers/`, 2)[1], `"`, 2)[0]
		w := e.must(http.StatusOK, "mission", "GET", "/workers/"+wid, nil)
		if strings.Contains(w.Body, "P1234567") || strings.Contains(w.Body, "access-code") {
			t.Error("the mission's worker page shows the passport or the access code form")
		}
		e.must(http.StatusForbidden, "mission", "POST", "/workers/"+wid+"/access-code", nil)

		// The console language: French and English only.
		bad := e.must(http.StatusUnprocessableEntity, "mission", "POST", "/account/language", url.Values{"language": {"de"}})
		if !strings.Contains(bad.Body, `id="f-language-err"`) {
			t.Errorf("no error next to the language: %.1000s", bad.Body)
		}
		e.must(http.StatusSeeOther, "mission", "POST", "/account/language", url.Values{"language": {"en"}})
		if r := e.must(http.StatusOK, "mission", "GET", "/", nil); !strings.Contains(r.Body, `<html lang="en" dir="ltr">`) {
			t.Error("the language change did not take")
		}
	})
}

// otherFirst returns s with its first byte changed: a token that differs
// from s whatever s begins with.
func otherFirst(s string) string {
	if s[0] == 'x' {
		return "y" + s[1:]
	}
	return "x" + s[1:]
}
