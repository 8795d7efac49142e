package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// appointment plans the registration appointment of an employment (whose
// worker arrives on 2026-11-05) and returns its id.
func (e *env) appointment(emplID string) string {
	e.t.Helper()
	e.must(http.StatusSeeOther, "officer", "POST", "/employments/"+emplID, url.Values{"arrival_date": {"2026-11-05"}})
	if _, err := e.db.PlanAppointments(sys(), storetest.Now); err != nil {
		e.t.Fatal(err)
	}
	as, _, err := e.db.FindAppointments(sys(), models.AppointmentFilter{EmploymentID: emplID})
	if err != nil || len(as) == 0 {
		e.t.Fatalf("appointments of %s: %v %v", emplID, as, err)
	}
	return as[0].ID
}

var callers = []string{"", "admin", "officer", "mission", "auditor"}

type pageRow struct {
	method, path string
	want         map[string]int
	call         func(who string) (string, url.Values)
	// fresh runs the row with a throwaway session of the caller (logout).
	fresh bool
}

// withFreshSession runs fn with a new session of who, then restores the old.
func (e *env) withFreshSession(who string, fn func()) {
	e.t.Helper()
	if who == "" {
		fn()
		return
	}
	u, err := e.db.UserBySession(sys(), e.sessions[who])
	if err != nil {
		e.t.Fatal(err)
	}
	s, err := e.db.CreateSession(sys(), u, time.Hour)
	if err != nil {
		e.t.Fatal(err)
	}
	old := e.sessions[who]
	e.sessions[who] = s
	defer func() { e.sessions[who] = old }()
	fn()
}

func (r pageRow) key() string { return r.method + " " + r.path }

// expect builds the expectations of an authenticated page: anonymous gets
// the login page (GET) or 401 (POST), a role in ok its status, others 403.
func expect(method string, ok map[string]int) map[string]int {
	want := map[string]int{"": http.StatusSeeOther}
	if method == http.MethodPost {
		want[""] = http.StatusUnauthorized
	}
	for _, who := range callers[1:] {
		if s, allowed := ok[who]; allowed {
			want[who] = s
		} else {
			want[who] = http.StatusForbidden
		}
	}
	return want
}

func all(s int) map[string]int {
	return map[string]int{"": s, "admin": s, "officer": s, "mission": s, "auditor": s}
}

func (e *env) pageTable() []pageRow {
	const (
		ok  = http.StatusOK
		see = http.StatusSeeOther
	)
	roles := func(s int, who ...string) map[string]int {
		m := map[string]int{}
		for _, w := range who {
			m[w] = s
		}
		return m
	}
	anyRole := func(m string, s int) map[string]int {
		return expect(m, roles(s, "admin", "officer", "mission", "auditor"))
	}
	registrar := func(m string, s int) map[string]int { return expect(m, roles(s, "admin", "officer", "mission")) }
	office := func(m string, s int) map[string]int { return expect(m, roles(s, "admin", "officer")) }
	admin := func(m string, s int) map[string]int { return expect(m, roles(s, "admin")) }
	at := func(p string, f url.Values) func(string) (string, url.Values) {
		return func(string) (string, url.Values) { return p, f }
	}

	empl, code := e.approvedEmployment("tl", "en")
	appt := e.appointment(empl)
	emp, wrk := e.household("tl")
	ems, _, _ := e.db.FindEmployments(sys(), models.EmploymentFilter{})
	var contract string
	for _, em := range ems {
		if cs, _ := e.db.FindContracts(sys(), em.ID); len(cs) > 0 {
			contract = cs[0].ID
		}
	}
	pol, err := e.db.PolicyInForce(sys(), models.DateOf(storetest.Now))
	if err != nil {
		e.t.Fatal(err)
	}
	css := e.web.assets.url("css/app.css")

	return append([]pageRow{
		{method: "GET", path: "/static/:hash/*file", want: all(ok), call: at(css, nil)},
		{method: "GET", path: "/login", want: all(ok)},
		{method: "POST", path: "/login", want: all(http.StatusForbidden)}, // no pre-session token: refused
		{method: "GET", path: "/setup", want: all(ok)},
		{method: "POST", path: "/setup", want: all(http.StatusForbidden)},
		{method: "POST", path: "/logout", want: anyRole("POST", see), fresh: true},

		{method: "GET", path: "/", want: anyRole("GET", ok)},
		{method: "GET", path: "/account", want: anyRole("GET", ok)},
		{method: "POST", path: "/account/language", want: anyRole("POST", see), call: at("/account/language", url.Values{"language": {"en"}})},
		{method: "POST", path: "/account/tokens", want: anyRole("POST", ok), call: at("/account/tokens", url.Values{"name": {"matrix"}})},
		{method: "POST", path: "/account/tokens/:id/delete", want: anyRole("POST", see),
			call: func(who string) (string, url.Values) {
				if who == "" {
					return "/account/tokens/" + models.NewID() + "/delete", nil
				}
				u, _ := e.db.UserBySession(sys(), e.sessions[who])
				t, _, err := e.db.CreateAPIToken(sys(), u, "throwaway")
				if err != nil {
					e.t.Fatal(err)
				}
				return "/account/tokens/" + t.ID + "/delete", nil
			}},

		{method: "GET", path: "/missions", want: office("GET", ok)},
		{method: "GET", path: "/missions/new", want: office("GET", ok)},
		{method: "POST", path: "/missions", want: office("POST", see),
			call: at("/missions", url.Values{"name": {"Consulate M"}, "kind": {"consulate"}, "country": {"BR"}, "focal_point_email": {"m@mission.example"}})},
		{method: "GET", path: "/missions/:id", want: office("GET", ok), call: at("/missions/"+e.missionA.ID, nil)},

		{method: "GET", path: "/employers", want: registrar("GET", ok)},
		{method: "GET", path: "/employers/new", want: registrar("GET", ok)},
		{method: "POST", path: "/employers", want: registrar("POST", see),
			call: at("/employers", url.Values{"mission_id": {e.missionA.ID}, "full_name": {"Attaché Y"}, "rank": {"diplomat"}, "immunity": {"full"}})},
		{method: "GET", path: "/employers/:id", want: registrar("GET", ok), call: at("/employers/"+emp, nil)},

		{method: "GET", path: "/workers", want: registrar("GET", ok)},
		{method: "GET", path: "/workers/new", want: registrar("GET", ok)},
		{method: "POST", path: "/workers", want: registrar("POST", see),
			call: at("/workers", url.Values{"mission_id": {e.missionA.ID}, "full_name": {"Ana Test"}, "date_of_birth": {"1992-03-04"}, "sex": {"f"},
				"nationality": {"PH"}, "languages": {"tl"}})},
		{method: "GET", path: "/workers/:id", want: registrar("GET", ok), call: at("/workers/"+wrk, nil)},
		{method: "POST", path: "/workers/:id/access-code", want: office("POST", ok), call: at("/workers/"+wrk+"/access-code", nil)},

		{method: "GET", path: "/employments", want: registrar("GET", ok)},
		{method: "GET", path: "/employments/new", want: registrar("GET", ok)},
		{method: "POST", path: "/employments", want: registrar("POST", see),
			call: func(string) (string, url.Values) {
				emp, wrk := e.household("tl")
				f := validTerms()
				f.Set("worker_id", wrk)
				f.Set("employer_id", emp)
				return "/employments", f
			}},
		{method: "GET", path: "/employments/:id", want: registrar("GET", ok), call: at("/employments/"+empl, nil)},
		{method: "POST", path: "/employments/:id", want: registrar("POST", see),
			call: at("/employments/"+empl, url.Values{"arrival_date": {"2026-11-05"}})},
		{method: "POST", path: "/employments/:id/contracts", want: office("POST", see), call: at("/employments/"+empl+"/contracts", nil)},
		{method: "GET", path: "/contracts/:id/pdf", want: registrar("GET", ok), call: at("/contracts/"+contract+"/pdf", nil)},
		{method: "POST", path: "/contracts/:id/signatures", want: office("POST", see),
			call: func(string) (string, url.Values) {
				// Signatures go on the newest version: a fresh one each time.
				e.must(http.StatusSeeOther, "officer", "POST", "/employments/"+empl+"/contracts", nil)
				cs, err := e.db.FindContracts(sys(), empl)
				if err != nil {
					e.t.Fatal(err)
				}
				return "/contracts/" + cs[len(cs)-1].ID + "/signatures", url.Values{"party": {"worker"}, "signed_on": {"2026-11-02"}, "place": {"Bern"}}
			}},

		{method: "GET", path: "/appointments", want: registrar("GET", ok), call: at("/appointments?week=2026-11-05", nil)},
		{method: "GET", path: "/appointments/unplaced", want: office("GET", ok)},
		{method: "GET", path: "/appointments/:id", want: registrar("GET", ok), call: at("/appointments/"+appt, nil)},
		{method: "POST", path: "/appointments/:id/outcome", want: office("POST", see),
			call: func(string) (string, url.Values) {
				// Outcomes are final: a fresh appointment each time, cancelled.
				id, _ := e.approvedEmployment("tl")
				return "/appointments/" + e.appointment(id) + "/outcome", url.Values{"outcome": {"cancelled"}}
			}},

		{method: "GET", path: "/policies", want: anyRole("GET", ok)},
		{method: "GET", path: "/policies/:id", want: anyRole("GET", ok), call: at("/policies/"+pol.ID, nil)},

		{method: "GET", path: "/users", want: admin("GET", ok)},
		{method: "POST", path: "/users", want: admin("POST", see),
			call: func(string) (string, url.Values) {
				return "/users", url.Values{"email": {models.NewID() + "@office.example"}, "password": {"a long enough password"}, "role": {"officer"}, "language": {"fr"}}
			}},
		{method: "GET", path: "/audit", want: admin("GET", ok)},

		{method: "GET", path: "/w/:code", want: all(ok), call: at("/w/"+code, nil)},
		{method: "POST", path: "/w/:code/help", want: all(see), call: at("/w/"+code+"/help", url.Values{"csrf": {workerToken(code)}})},
		{method: "GET", path: "/w/:code/contract.pdf", want: all(ok), call: at("/w/"+code+"/contract.pdf", nil)},
		{method: "GET", path: "/w/:code/leaflet.pdf", want: all(ok), call: at("/w/"+code+"/leaflet.pdf", nil)},
	}, e.featureRows(empl)...)
}

// TestWeb_PageRoleMatrix opens every page and posts every form as every
// caller and checks the exact status; a page missing from the table (or a
// table row the router lacks) fails.
func TestWeb_PageRoleMatrix(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		table := e.pageTable()
		inTable := map[string]bool{}
		for _, r := range table {
			if inTable[r.key()] {
				t.Errorf("page %s is twice in the table", r.key())
			}
			inTable[r.key()] = true
		}
		inRouter := map[string]bool{}
		for _, ri := range e.srv.Handler().Routes() {
			if strings.HasPrefix(ri.Path, "/api/") || ri.Path == "/healthz" || ri.Path == "/readyz" || ri.Path == "/metrics" {
				continue // the API's matrix test covers those
			}
			k := ri.Method + " " + ri.Path
			inRouter[k] = true
			if !inTable[k] {
				t.Errorf("page %s is in the router but not in the table: decide who may open it", k)
			}
		}
		for _, r := range table {
			if !inRouter[r.key()] {
				t.Errorf("page %s is in the table but not in the router", r.key())
			}
		}
		for _, r := range table {
			for _, who := range callers {
				name := who
				if name == "" {
					name = "anonymous"
				}
				t.Run(strings.TrimPrefix(r.key(), "/")+"/"+name, func(t *testing.T) {
					want, ok := r.want[who]
					if !ok {
						t.Fatalf("no expectation for %s", name)
					}
					path, form := r.path, url.Values(nil)
					if r.call != nil {
						path, form = r.call(who)
					}
					if form != nil {
						form = cloneValues(form)
					}
					var got pageResponse
					if r.fresh {
						e.withFreshSession(who, func() { got = e.do(who, r.method, path, form) })
					} else {
						got = e.do(who, r.method, path, form)
					}
					if got.Status != want {
						t.Errorf("%s %s as %s: status %d, want %d; body %.500s", r.method, path, name, got.Status, want, got.Body)
					}
					if got.Status == http.StatusSeeOther && who == "" && r.method == "GET" &&
						!strings.HasPrefix(got.Header.Get("Location"), "/login?next=") {
						t.Errorf("anonymous GET %s redirects to %q, want the login page", path, got.Header.Get("Location"))
					}
					// Every page sends the security headers.
					if !strings.HasPrefix(path, "/static/") {
						for h, want := range map[string]string{"Content-Security-Policy": csp, "Cache-Control": "no-store",
							"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
							if g := got.Header.Get(h); g != want {
								t.Errorf("%s=%q, want %q", h, g, want)
							}
						}
					}
				})
			}
		}
	})
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// TestWeb_CSRF posts every form of the page table without a token, and
// with another session's token, as a role that may post it: 403 each time,
// and nothing changes.
func TestWeb_CSRF(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for _, r := range e.pageTable() {
			if r.method != http.MethodPost {
				continue
			}
			who := ""
			for _, c := range []string{"admin", "officer"} {
				if r.want[c] < 400 {
					who = c
					break
				}
			}
			for _, tt := range []struct {
				name, token string
			}{
				{"no token", ""},
				{"another session's token", derive("csrf", e.sessions["auditor"])},
				{"garbage", "x"},
			} {
				t.Run(r.key()+"/"+tt.name, func(t *testing.T) {
					path, form := r.path, url.Values{}
					if r.call != nil {
						path, form = r.call(who)
						form = cloneValues(form)
					}
					if form == nil {
						form = url.Values{}
					}
					form.Set(csrfField, tt.token)
					var got pageResponse
					e.withFreshSession(who, func() { got = e.do(who, "POST", path, form) })
					if got.Status != http.StatusForbidden {
						t.Errorf("POST %s as %q with %s: status %d, want 403; %.300s", path, who, tt.name, got.Status, got.Body)
					}
				})
			}
		}
	})
}

// TestWeb_NotifyShowsViolations submits the notification wizard with a
// wage under the floor and a word in a number field: the page comes back
// with each error next to its input, and the values kept.
func TestWeb_NotifyShowsViolations(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		emp, wrk := e.household("tl")
		f := validTerms()
		f.Set("worker_id", wrk)
		f.Set("employer_id", emp)
		f.Set("terms.monthly_net_wage", "900.00")
		r := e.must(http.StatusUnprocessableEntity, "mission", "POST", "/employments", f)
		for _, want := range []string{
			`id="f-terms-monthly-net-wage" name="terms.monthly_net_wage" type="text" value="900.00" required aria-invalid="true" aria-describedby="f-terms-monthly-net-wage-err"`,
			`<p class="field-error" id="f-terms-monthly-net-wage-err">must be at least 1200.00 CHF (PHEO art. 43)</p>`,
			`<html lang="fr" dir="ltr">`, // the mission user reads French
			`Salaire mensuel net en espèces`,
		} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		f.Set("terms.weekly_hours", "many")
		r = e.must(http.StatusBadRequest, "mission", "POST", "/employments", f)
		if !strings.Contains(r.Body, `id="f-terms-weekly-hours-err">must be a number</p>`) {
			t.Errorf("no error for a word in a number field: %.3000s", r.Body)
		}
		// Corrected, it goes through.
		f = validTerms()
		f.Set("worker_id", wrk)
		f.Set("employer_id", emp)
		r = e.must(http.StatusSeeOther, "mission", "POST", "/employments", f)
		if !regexp.MustCompile(`^/employments/[0-9A-Za-z_-]+$`).MatchString(r.Header.Get("Location")) {
			t.Errorf("Location=%q", r.Header.Get("Location"))
		}
	})
}

// TestWeb_WorkerPage checks the worker's page: the worker's language and
// direction, the come-alone reminder, tap-to-call links, no cookie, no
// cache, and nothing the office wrote.
func TestWeb_WorkerPage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		empl, code := e.approvedEmployment("ar", "en")
		e.appointment(empl)
		tests := []struct {
			name, query string
			want        []string
		}{
			{"worker's first language", "", []string{`<html lang="ar" dir="rtl">`, "تعال وحدك", "draft translation", `href="tel:&#43;41580000001"`, `href="tel:112"`,
				`href="https://neutral.example/weather"`, `/w/` + code + `/contract.pdf`}},
			{"asked language", "?lang=fr", []string{`<html lang="fr" dir="ltr">`, "Venez seule ou seul", `Date : <bdi dir="ltr">2026-11-`}},
			{"unknown language falls back", "?lang=xx", []string{`<html lang="ar" dir="rtl">`}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := e.must(http.StatusOK, "", "GET", "/w/"+code+tt.query, nil)
				for _, w := range tt.want {
					if !strings.Contains(r.Body, w) {
						t.Errorf("page lacks %q: %.3000s", w, r.Body)
					}
				}
				if c := r.Header.Values("Set-Cookie"); len(c) > 0 {
					t.Errorf("Set-Cookie %q", c)
				}
				for _, absent := range []string{"Worker Test", ">PH<", "nationality", "risk"} { // (the random code may hold the letters PH)
					if strings.Contains(r.Body, absent) {
						t.Errorf("page shows %q", absent)
					}
				}
			})
		}
		e.must(http.StatusNotFound, "", "GET", "/w/AAAAAAAAAAAAAAAA", nil)
		r := e.must(http.StatusSeeOther, "", "POST", "/w/"+code+"/help", url.Values{"csrf": {workerToken(code)}, "lang": {"ar"}})
		if got, want := r.Header.Get("Location"), "/w/"+code+"?help=sent&lang=ar"; got != want {
			t.Errorf("Location=%q, want %q", got, want)
		}
		e.must(http.StatusForbidden, "", "POST", "/w/"+code+"/help", url.Values{"csrf": {workerToken("AAAAAAAAAAAAAAAA")}})
		evs, _, err := e.db.FindTimeline(models.WithActor(sys(), models.SystemActor("t")), empl, models.Page{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, ev := range evs {
			if ev.Kind == models.EventWorkerHelp {
				n++
			}
		}
		if n != 1 {
			t.Errorf("worker_help entries=%d, want 1", n)
		}
	})
}

// TestWeb_TextsComplete opens every page as each role in English and in
// French: no page asks for a text the console lacks, and each says which
// language it is in.
func TestWeb_TextsComplete(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db, "", "")
		table := e.pageTable()
		for _, lang := range models.ConsoleLanguages {
			for _, who := range []string{"admin", "mission", "auditor"} {
				if _, err := e.db.SetLanguage(e.actorOf(who), lang); err != nil {
					t.Fatal(err)
				}
				for _, r := range table {
					if r.method != http.MethodGet || r.want[who] != http.StatusOK || r.want[""] != http.StatusSeeOther ||
						strings.HasSuffix(r.path, "/pdf") || strings.HasSuffix(r.path, "/export") {
						continue
					}
					path := r.path
					if r.call != nil {
						path, _ = r.call(who)
					}
					got := e.must(http.StatusOK, who, "GET", path, nil)
					if want := `<html lang="` + lang + `" dir="ltr">`; !strings.Contains(got.Body, want) {
						t.Errorf("GET %s as %s: lacks %s", path, who, want)
					}
				}
			}
		}
		for _, lang := range models.ConsoleLanguages {
			for _, p := range []string{"/login", "/setup"} {
				got := e.must(http.StatusOK, "", "GET", p+"?lang="+lang, nil)
				if want := `<html lang="` + lang + `" dir="ltr">`; !strings.Contains(got.Body, want) {
					t.Errorf("GET %s?lang=%s: lacks %s", p, lang, want)
				}
			}
		}
		missingKeys.Range(func(k, _ any) bool {
			t.Errorf("a page asks for the missing text %q", k)
			return true
		})
	})
}

// actorOf is a context acting as the user of who's session.
func (e *env) actorOf(who string) context.Context {
	e.t.Helper()
	u, err := e.db.UserBySession(sys(), e.sessions[who])
	if err != nil {
		e.t.Fatal(err)
	}
	a := models.Actor{UserID: u.ID, Role: u.Role}
	if u.MissionID != nil {
		a.MissionID = *u.MissionID
	}
	return models.WithActor(context.Background(), a)
}

// TestWeb_NotFound answers an unknown page with an HTML 404 and keeps the
// API's JSON 404 under /api/.
func TestWeb_NotFound(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		r := e.must(http.StatusNotFound, "officer", "GET", "/no/such/page", nil)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || r.Header.Get("Content-Security-Policy") != csp {
			t.Errorf("page 404: Content-Type %q, CSP %q", ct, r.Header.Get("Content-Security-Policy"))
		}
		r = e.must(http.StatusNotFound, "", "GET", "/api/v1/no-such-route", nil)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("API 404: Content-Type %q", ct)
		}
	})
}

// TestWeb_CrossOrigin refuses a form posted from another site even with
// the right token (Sec-Fetch-Site), and accepts it from the same origin.
func TestWeb_CrossOrigin(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		form := url.Values{"name": {"Consulate X"}, "kind": {"consulate"}, "country": {"BR"}, "focal_point_email": {"x@mission.example"}}
		for _, tt := range []struct {
			site string
			want int
		}{{"cross-site", http.StatusForbidden}, {"same-origin", http.StatusSeeOther}} {
			e.header = http.Header{"Sec-Fetch-Site": {tt.site}}
			got := e.do("officer", "POST", "/missions", cloneValues(form))
			e.header = nil
			if got.Status != tt.want {
				t.Errorf("Sec-Fetch-Site %s: status %d, want %d", tt.site, got.Status, tt.want)
			}
		}
	})
}
