package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/pdw-registry/pdw/contracts"
	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

func init() { store.BcryptCost = bcrypt.MinCost }

// env is a running API over a real, migrated database with the Swiss
// preset loaded, two missions and a token for every role.
type env struct {
	t        testing.TB
	db       *store.DB
	srv      *Server
	missionA *models.Mission
	missionB *models.Mission
	tokens   map[string]string // role -> bearer token; "mission" is bound to missionA, "missionB" to missionB
}

func (e *env) sys() context.Context {
	return models.WithActor(context.Background(), models.SystemActor("test"))
}

// eachEnv runs fn once per database dialect.
func eachEnv(t *testing.T, fn func(t *testing.T, e *env)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fn(t, newEnv(t, db))
	})
}

func newEnv(t testing.TB, db *store.DB) *env {
	t.Helper()
	e := &env{t: t, db: db, tokens: map[string]string{}}
	ctx := e.sys()
	storetest.LoadPreset(t, db, "ch-pheo-2011")
	e.missionA = &models.Mission{Name: "Embassy A", Kind: "embassy", Country: "PH", FocalPointEmail: "a@mission.example"}
	e.missionB = &models.Mission{Name: "Embassy B", Kind: "embassy", Country: "ID", FocalPointEmail: "b@mission.example"}
	for _, m := range []*models.Mission{e.missionA, e.missionB} {
		if err := db.CreateMission(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	for _, who := range []struct{ key, role, mission string }{
		{"admin", models.RoleAdmin, ""}, {"officer", models.RoleOfficer, ""},
		{"mission", models.RoleMission, e.missionA.ID}, {"missionB", models.RoleMission, e.missionB.ID},
		{"auditor", models.RoleAuditor, ""},
	} {
		u := &models.User{Email: who.key + "@office.example", Role: who.role}
		if who.mission != "" {
			u.MissionID = &who.mission
		}
		if err := db.CreateUser(ctx, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		_, secret, err := db.CreateAPIToken(ctx, u, "test")
		if err != nil {
			t.Fatal(err)
		}
		e.tokens[who.key] = secret
	}
	e.srv = New(db, testOptions())
	return e
}

// response is a decoded JSON reply.
type response struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

// field returns the error's field message (or "").
func (r response) field(name string) string {
	errObj, _ := r.Body["error"].(map[string]any)
	fields, _ := errObj["fields"].(map[string]any)
	s, _ := fields[name].(string)
	return s
}

func (r response) fields() map[string]any {
	errObj, _ := r.Body["error"].(map[string]any)
	fields, _ := errObj["fields"].(map[string]any)
	return fields
}

func (r response) str(key string) string { s, _ := r.Body[key].(string); return s }

// do sends a request as the role (key of e.tokens, or "" for none); body is
// marshalled unless it is a string or []byte.
func (e *env) do(who, method, path string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if who != "" {
		req.Header.Set("Authorization", "Bearer "+e.tokens[who])
	}
	rec := httptest.NewRecorder()
	e.srv.Handler().ServeHTTP(rec, req)
	res := response{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.Bytes()}
	if len(res.Raw) > 0 {
		_ = json.Unmarshal(res.Raw, &res.Body)
	}
	return res
}

// must checks the status and returns the response.
func (e *env) must(status int, who, method, path string, body any) response {
	e.t.Helper()
	r := e.do(who, method, path, body)
	if r.Status != status {
		e.t.Fatalf("%s %s as %q: status %d, want %d; body %s", method, path, who, r.Status, status, r.Raw)
	}
	return r
}

// seed creates, as who, an employer of the given rank in the caller's (or
// missionA's) mission, a worker born on dob, and returns their ids.
func (e *env) employer(who, rank string) string {
	e.t.Helper()
	return e.must(201, who, "POST", "/api/v1/employers", map[string]any{
		"mission_id": e.missionA.ID, "full_name": "Employer " + rank, "rank": rank,
		"accreditation_number": "ACC-1", "immunity": "full",
	}).str("id")
}

func (e *env) worker(who, dob string) string {
	e.t.Helper()
	body := map[string]any{
		"full_name": "Worker Test", "date_of_birth": dob, "sex": "f", "nationality": "PH",
		"languages": []string{"tl", "en"}, "passport_number": "P1234567", "phone": "+41 79 123 45 67",
		"email": "worker@example.org", "contact_consent": true,
	}
	if dob == "" {
		delete(body, "date_of_birth")
	}
	if strings.HasPrefix(who, "mission") { // a mission never sets the worker's own channel
		delete(body, "phone")
		delete(body, "email")
		delete(body, "contact_consent")
	}
	return e.must(201, who, "POST", "/api/v1/workers", body).str("id")
}

// validTerms are the example terms, which meet the Swiss preset.
func validTerms() map[string]any {
	return map[string]any{
		"monthly_net_wage": "1200.00", "currency": "CHF", "weekly_hours": 45, "daily_rest_hours": 11,
		"weekly_rest_days": 1.5, "annual_leave_weeks": 4, "public_holidays": 8, "overtime_premium_pct": 25,
		"own_lockable_room": true, "paid_into_sole_name_account": true, "worker_keeps_passport": true,
		"own_phone_and_family_contact": true, "health_insurance_by_employer": true,
		"accident_insurance_by_employer": true, "return_travel_by_employer": true, "notice_period_days": 30,
		"duties": []string{"housekeeping"}, "contract_languages": []string{"fr", "tl"},
	}
}

func notification(workerID, employerID string, terms map[string]any) map[string]any {
	return map[string]any{"worker_id": workerID, "employer_id": employerID, "start_date": "2026-12-01", "terms": terms}
}

// testOptions are the server options of the test environment: the real
// renderer with the embedded texts and invented help contacts.
func testOptions() Options {
	return Options{Now: func() time.Time { return storetest.Now }, Documents: testDocuments()}
}

var testCatalog = sync.OnceValues(func() (*contracts.Catalog, error) { return contracts.LoadMessages("") })

func testDocuments() *Documents {
	cat, err := testCatalog()
	if err != nil {
		panic(err)
	}
	return &Documents{
		Catalog: cat,
		Help: contracts.Help{
			Office:    contracts.Contact{Name: "Protocol Office (test)", Phone: "+41 58 000 00 01"},
			Mediation: contracts.Contact{Name: "Mediation Office (test)", Phone: "+41 58 000 00 02"},
			NGO:       contracts.Contact{Name: "Workers' Aid (test)", Phone: "+41 58 000 00 03"},
			Emergency: "112",
		},
		BaseURL: "https://registry.example",
		Place:   "Bern",
	}
}

// approvedEmployment makes, as an officer in missionA, an employment whose
// terms are approved, ready for a contract.
func (e *env) approvedEmployment() string {
	e.t.Helper()
	id := e.must(201, "officer", "POST", "/api/v1/employments",
		notification(e.worker("officer", "1990-01-01"), e.employer("officer", "head_of_mission"), validTerms())).str("id")
	e.must(200, "officer", "PATCH", "/api/v1/employments/"+id, map[string]any{"status": "approved"})
	return id
}
