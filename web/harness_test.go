package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/pdw-registry/pdw/api"
	"github.com/pdw-registry/pdw/contracts"
	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

func init() { store.BcryptCost = bcrypt.MinCost }

// env is the real router (API and pages) over a real, migrated database
// with the Swiss preset, two missions and a session for every role.
type env struct {
	t        testing.TB
	db       *store.DB
	srv      *api.Server
	web      *Web
	missionA *models.Mission
	missionB *models.Mission
	// sessions maps a caller ("admin", "officer", "mission", "missionB",
	// "auditor") to its session cookie's secret.
	sessions map[string]string
	// header is added to the next requests (nil: none).
	header http.Header
}

const testPassword = "correct horse battery"

func eachEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fn(t, newEnv(t, db, "", ""))
	})
}

func sys() context.Context { return models.WithActor(context.Background(), models.SystemActor("test")) }

var testCatalog = sync.OnceValues(func() (*contracts.Catalog, error) { return contracts.LoadMessages("") })

// testOptions are the API's options in the tests: a fixed clock, the real
// documents with invented help contacts.
func testOptions(setupToken string) api.Options {
	cat, err := testCatalog()
	if err != nil {
		panic(err)
	}
	return api.Options{Now: func() time.Time { return storetest.Now }, SetupToken: setupToken, OfficePlace: "Protocol Office, Bern",
		Documents: &api.Documents{Catalog: cat, BaseURL: "https://registry.example", Place: "Bern",
			Help: contracts.Help{
				Office:    contracts.Contact{Name: "Protocol Office (test)", Phone: "+41 58 000 00 01"},
				Mediation: contracts.Contact{Name: "Mediation Office (test)", Phone: "+41 58 000 00 02"},
				NGO:       contracts.Contact{Name: "Workers' Aid (test)", Phone: "+41 58 000 00 03"},
				Emergency: "112",
			}}}
}

// newEnv builds the environment; with a setupToken it makes no users (the
// first administrator is created through /setup); exitURL is the worker
// page's quick exit (default an invented neutral site).
func newEnv(t testing.TB, db *store.DB, setupToken, exitURL string) *env {
	t.Helper()
	e := &env{t: t, db: db, sessions: map[string]string{}}
	ctx := sys()
	if setupToken == "" {
		storetest.LoadPreset(t, db, "ch-pheo-2011")
		e.missionA = &models.Mission{Name: "Embassy A", Kind: "embassy", Country: "PH", FocalPointEmail: "a@mission.example"}
		e.missionB = &models.Mission{Name: "Embassy B", Kind: "embassy", Country: "ID", FocalPointEmail: "b@mission.example"}
		for _, m := range []*models.Mission{e.missionA, e.missionB} {
			if err := db.CreateMission(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		for _, who := range []struct{ key, role, mission, lang string }{
			{"admin", models.RoleAdmin, "", "en"}, {"officer", models.RoleOfficer, "", "en"},
			{"mission", models.RoleMission, e.missionA.ID, "fr"}, {"missionB", models.RoleMission, e.missionB.ID, "en"},
			{"auditor", models.RoleAuditor, "", "en"},
		} {
			u := &models.User{Email: who.key + "@office.example", Role: who.role, Language: who.lang}
			if who.mission != "" {
				u.MissionID = &who.mission
			}
			if err := db.CreateUser(ctx, u, testPassword); err != nil {
				t.Fatal(err)
			}
			secret, err := db.CreateSession(ctx, u, time.Hour*24*365*10)
			if err != nil {
				t.Fatal(err)
			}
			e.sessions[who.key] = secret
		}
	}
	e.srv = api.New(db, testOptions(setupToken))
	if exitURL == "" {
		exitURL = "https://neutral.example/weather"
	}
	w, err := Mount(e.srv, Options{Location: time.UTC, QuickExitURL: exitURL})
	if err != nil {
		t.Fatal(err)
	}
	e.web = w
	return e
}

// page is a page's answer.
type pageResponse struct {
	Status int
	Header http.Header
	Body   string
}

// do sends a request as who ("" for nobody). For a POST, form is sent
// url-encoded with the caller's CSRF token added unless form already has
// a "csrf" key (set it to "" to send none).
func (e *env) do(who, method, path string, form url.Values) pageResponse {
	e.t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		if form == nil {
			form = url.Values{}
		}
		if _, ok := form[csrfField]; !ok && who != "" {
			form.Set(csrfField, derive("csrf", e.sessions[who]))
		}
		if form.Get(csrfField) == "" {
			form.Del(csrfField)
		}
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, vs := range e.header {
		req.Header[k] = vs
	}
	if who != "" {
		req.AddCookie(&http.Cookie{Name: api.SessionCookie, Value: e.sessions[who]})
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	return pageResponse{Status: rec.Code, Header: rec.Header(), Body: rec.Body.String()}
}

func (e *env) must(status int, who, method, path string, form url.Values) pageResponse {
	e.t.Helper()
	r := e.do(who, method, path, form)
	if r.Status != status {
		e.t.Fatalf("%s %s as %q: status %d, want %d; body %.2000s", method, path, who, r.Status, status, r.Body)
	}
	return r
}

// validTerms is a notification form whose terms meet the Swiss preset.
func validTerms() url.Values {
	v := url.Values{}
	for k, s := range map[string]string{
		"terms.monthly_net_wage": "1200.00", "terms.currency": "CHF", "terms.weekly_hours": "45", "terms.daily_rest_hours": "11",
		"terms.weekly_rest_days": "1.5", "terms.annual_leave_weeks": "4", "terms.public_holidays": "8", "terms.overtime_premium_pct": "25",
		"terms.own_lockable_room": "1", "terms.paid_into_sole_name_account": "1", "terms.worker_keeps_passport": "1",
		"terms.own_phone_and_family_contact": "1", "terms.health_insurance_by_employer": "1",
		"terms.accident_insurance_by_employer": "1", "terms.return_travel_by_employer": "1", "terms.notice_period_days": "30",
		"terms.duties": "housekeeping", "terms.contract_languages": "fr, tl", "start_date": "2026-12-01",
	} {
		v.Set(k, s)
	}
	return v
}

// fixtures makes, as the system, an employer (head of mission) and an
// adult worker of missionA, and returns their ids.
func (e *env) household(languages ...string) (employerID, workerID string) {
	e.t.Helper()
	emp := &models.Employer{MissionID: e.missionA.ID, FullName: "Ambassador A", Rank: models.RankHeadOfMission, Immunity: "full"}
	if err := e.db.CreateEmployer(sys(), emp); err != nil {
		e.t.Fatal(err)
	}
	dob := storetest.Date("1990-01-01")
	mid := e.missionA.ID
	w := &models.Worker{MissionID: &mid, FullName: "Worker Test", Sex: "f", Nationality: "PH", DateOfBirth: &dob, Languages: languages, PassportNumber: "P1234567"}
	if err := e.db.CreateWorker(sys(), w); err != nil {
		e.t.Fatal(err)
	}
	return emp.ID, w.ID
}

// approvedEmployment makes an approved employment with a contract, an
// appointment and an access code; it returns the employment and the code.
func (e *env) approvedEmployment(languages ...string) (emplID, code string) {
	e.t.Helper()
	empID, wID := e.household(languages...)
	form := validTerms()
	form.Set("worker_id", wID)
	form.Set("employer_id", empID)
	r := e.must(http.StatusSeeOther, "officer", "POST", "/employments", form)
	emplID = strings.TrimPrefix(r.Header.Get("Location"), "/employments/")
	e.must(http.StatusSeeOther, "officer", "POST", "/employments/"+emplID, url.Values{"status": {"approved"}})
	e.must(http.StatusSeeOther, "officer", "POST", "/employments/"+emplID+"/contracts", nil)
	r = e.must(http.StatusOK, "officer", "POST", "/workers/"+wID+"/access-code", nil)
	i := strings.Index(r.Body, `id="access-code">`)
	if i < 0 {
		e.t.Fatalf("no access code on the page: %.2000s", r.Body)
	}
	code = r.Body[i+len(`id="access-code">`):]
	code = code[:strings.Index(code, "<")]
	return emplID, code
}
