package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/pdw-registry/pdw/models"
)

// matrixCallers are the callers of the route x role matrix: "" is an
// anonymous request, the others are keys of env.tokens ("mission" is bound
// to missionA, which owns every fixture).
var matrixCallers = []string{"", "admin", "officer", "mission", "auditor"}

// matrixSetupToken is the setup token of the matrix's server, so that the
// public setup route gets past its token check (and answers 409: users exist).
const matrixSetupToken = "setup_matrix"

// matrixFixtures are records of missionA, created before the matrix runs.
type matrixFixtures struct {
	employer, worker, employment, policy, appointment string
	approved, contract, code                          string
	caseID, organisation, referral                    string
}

// matrixRow is one route of the expected matrix: the status each caller
// must get. Public routes are listed too, and must not need credentials.
type matrixRow struct {
	method, path string
	public       bool
	want         map[string]int // caller ("" = anonymous) -> status
	// call returns the concrete path and body for a caller (default: the
	// path as is, no body). It may create throwaway records.
	call func(who string) (string, any)
}

func (r matrixRow) key() string { return r.method + " " + r.path }

// authOnly builds the expectations of an authenticated route: anonymous
// gets 401, a role in ok gets its success status, every other role 403.
func authOnly(ok map[string]int) map[string]int {
	want := map[string]int{"": http.StatusUnauthorized}
	for _, who := range matrixCallers[1:] {
		if s, allowed := ok[who]; allowed {
			want[who] = s
		} else {
			want[who] = http.StatusForbidden
		}
	}
	return want
}

// everyone expects status for every caller, anonymous included.
func everyone(status int) map[string]int {
	want := map[string]int{}
	for _, who := range matrixCallers {
		want[who] = status
	}
	return want
}

func (e *env) matrixTable(fx matrixFixtures) []matrixRow {
	const (
		ok        = http.StatusOK
		created   = http.StatusCreated
		noContent = http.StatusNoContent
	)
	anyRole := func(s int) map[string]int {
		return authOnly(map[string]int{"admin": s, "officer": s, "mission": s, "auditor": s})
	}
	registrar := func(s int) map[string]int {
		return authOnly(map[string]int{"admin": s, "officer": s, "mission": s})
	}
	office := func(s int) map[string]int { return authOnly(map[string]int{"admin": s, "officer": s}) }
	adminOnly := func(s int) map[string]int { return authOnly(map[string]int{"admin": s}) }

	at := func(path string, body any) func(string) (string, any) {
		return func(string) (string, any) { return path, body }
	}
	policyBody := func() []byte {
		in, err := models.Preset("ch-pheo-2011")
		if err != nil {
			e.t.Fatal(err)
		}
		b, err := json.Marshal(in)
		if err != nil {
			e.t.Fatal(err)
		}
		return b
	}()
	interviewOnce := sync.OnceValue(func() string {
		r := e.must(201, "officer", "POST", "/api/v1/interviews", interviewBody(e.startedAppointment(), true, nil, "matrix"))
		iv, _ := r.Body["interview"].(map[string]any)
		id, _ := iv["id"].(string)
		return id
	})
	throwawayMission := func() string {
		return e.must(201, "officer", "POST", "/api/v1/missions", map[string]any{
			"name": "Throwaway", "kind": "embassy", "country": "FR", "focal_point_email": "t@mission.example"}).str("id")
	}

	return []matrixRow{
		{method: "GET", path: "/healthz", public: true, want: everyone(ok)},
		{method: "GET", path: "/readyz", public: true, want: everyone(ok)},
		{method: "GET", path: "/metrics", want: adminOnly(ok)}, // or PDW_METRICS_TOKEN (metrics_test.go)
		{method: "GET", path: "/api/v1/openapi.json", public: true, want: everyone(ok)},
		{method: "POST", path: "/api/v1/setup", public: true, want: everyone(http.StatusConflict),
			call: at("/api/v1/setup", map[string]any{"token": matrixSetupToken, "email": "root@office.example", "password": "correct horse battery"})},
		{method: "POST", path: "/api/v1/auth/login", public: true, want: everyone(ok),
			call: func(who string) (string, any) {
				if who == "" {
					who = "officer"
				}
				return "/api/v1/auth/login", map[string]any{"email": who + "@office.example", "password": "correct horse battery"}
			}},

		{method: "POST", path: "/api/v1/auth/logout", want: anyRole(noContent)},
		{method: "GET", path: "/api/v1/me", want: anyRole(ok)},
		{method: "GET", path: "/api/v1/tokens", want: anyRole(ok)},
		{method: "POST", path: "/api/v1/tokens", want: anyRole(created), call: at("/api/v1/tokens", map[string]any{"name": "matrix"})},
		{method: "DELETE", path: "/api/v1/tokens/:id", want: anyRole(noContent),
			call: func(who string) (string, any) {
				owner := who
				if owner == "" {
					owner = "admin"
				}
				// Each role deletes a throwaway token of its own.
				id := e.must(201, owner, "POST", "/api/v1/tokens", map[string]any{"name": "throwaway"}).str("id")
				return "/api/v1/tokens/" + id, nil
			}},

		{method: "GET", path: "/api/v1/missions", want: anyRole(ok)},
		{method: "POST", path: "/api/v1/missions", want: office(created),
			call: at("/api/v1/missions", map[string]any{"name": "Consulate M", "kind": "consulate", "country": "BR", "focal_point_email": "m@mission.example"})},
		{method: "GET", path: "/api/v1/missions/:id", want: anyRole(ok), call: at("/api/v1/missions/"+e.missionA.ID, nil)},
		{method: "PATCH", path: "/api/v1/missions/:id", want: office(ok),
			call: at("/api/v1/missions/"+e.missionA.ID, map[string]any{"name": "Embassy A"})},
		{method: "DELETE", path: "/api/v1/missions/:id", want: office(noContent),
			call: func(string) (string, any) { return "/api/v1/missions/" + throwawayMission(), nil }},

		{method: "GET", path: "/api/v1/employers", want: registrar(ok)},
		{method: "POST", path: "/api/v1/employers", want: registrar(created),
			call: at("/api/v1/employers", map[string]any{"mission_id": e.missionA.ID, "full_name": "Attaché Y", "rank": "diplomat",
				"accreditation_number": "A-9", "immunity": "full"})},
		{method: "GET", path: "/api/v1/employers/:id", want: registrar(ok), call: at("/api/v1/employers/"+fx.employer, nil)},
		{method: "PATCH", path: "/api/v1/employers/:id", want: registrar(ok),
			call: at("/api/v1/employers/"+fx.employer, map[string]any{"accreditation_number": "ACC-2"})},
		{method: "DELETE", path: "/api/v1/employers/:id", want: office(noContent),
			call: func(string) (string, any) { return "/api/v1/employers/" + e.employer("officer", "diplomat"), nil }},

		{method: "GET", path: "/api/v1/workers", want: registrar(ok)},
		{method: "POST", path: "/api/v1/workers", want: registrar(created),
			call: at("/api/v1/workers", map[string]any{"full_name": "Ana Test", "date_of_birth": "1992-03-04", "sex": "f",
				"nationality": "PH", "languages": []string{"tl"}})},
		{method: "GET", path: "/api/v1/workers/:id", want: registrar(ok), call: at("/api/v1/workers/"+fx.worker, nil)},
		{method: "PATCH", path: "/api/v1/workers/:id", want: registrar(ok),
			call: at("/api/v1/workers/"+fx.worker, map[string]any{"languages": []string{"tl", "en", "fr"}})},
		{method: "DELETE", path: "/api/v1/workers/:id", want: office(noContent),
			call: func(string) (string, any) { return "/api/v1/workers/" + e.worker("mission", "1990-01-01"), nil }},

		{method: "GET", path: "/api/v1/workers/:id/leaflet.pdf", want: registrar(ok),
			call: at("/api/v1/workers/"+fx.worker+"/leaflet.pdf?lang=fr", nil)},

		{method: "POST", path: "/api/v1/workers/:id/access-code", want: office(created),
			call: at("/api/v1/workers/"+fx.worker+"/access-code", nil)},
		{method: "DELETE", path: "/api/v1/workers/:id/access-code", want: office(noContent),
			call: at("/api/v1/workers/"+fx.worker+"/access-code", nil)},
		{method: "GET", path: "/api/v1/w/:code", public: true, want: everyone(ok),
			call: func(string) (string, any) { return "/api/v1/w/" + e.accessCode(fx.employment), nil }},
		{method: "POST", path: "/api/v1/w/:code/help", public: true, want: everyone(http.StatusAccepted),
			call: func(string) (string, any) { return "/api/v1/w/" + e.accessCode(fx.employment) + "/help", nil }},

		{method: "GET", path: "/api/v1/employments", want: registrar(ok)},
		{method: "POST", path: "/api/v1/employments", want: registrar(created),
			call: func(string) (string, any) {
				// A fresh worker and a head of mission (no household quota) each time.
				return "/api/v1/employments", notification(e.worker("mission", "1990-01-01"), e.employer("officer", "head_of_mission"), validTerms())
			}},
		{method: "GET", path: "/api/v1/employments/:id", want: registrar(ok), call: at("/api/v1/employments/"+fx.employment, nil)},
		{method: "PUT", path: "/api/v1/employments/:id/terms", want: office(ok), call: at("/api/v1/employments/"+fx.employment+"/terms", validTerms())},
		{method: "GET", path: "/api/v1/employments/:id/timeline", want: registrar(ok), call: at("/api/v1/employments/"+fx.employment+"/timeline", nil)},
		{method: "POST", path: "/api/v1/employments/:id/evidence", want: registrar(created),
			call: at("/api/v1/employments/"+fx.employment+"/evidence", map[string]any{"kind": "pay", "month": "2026-12", "amount": "1200.00", "sole_name_account": true})},
		{method: "GET", path: "/api/v1/employments/:id/evidence", want: registrar(ok), call: at("/api/v1/employments/"+fx.employment+"/evidence", nil)},
		{method: "GET", path: "/api/v1/employments/:id/evidence/status", want: office(ok),
			call: at("/api/v1/employments/"+fx.employment+"/evidence/status", nil)},
		{method: "GET", path: "/api/v1/evidence/:id/file", want: registrar(ok),
			call: func(string) (string, any) {
				id := e.must(201, "mission", "POST", "/api/v1/employments/"+fx.employment+"/evidence", map[string]any{"kind": "pay",
					"month": "2026-11", "amount": "1200.00", "sole_name_account": true, "file": testFile("application/pdf")}).str("id")
				return "/api/v1/evidence/" + id + "/file", nil
			}},
		{method: "PATCH", path: "/api/v1/employments/:id", want: registrar(ok),
			call: at("/api/v1/employments/"+fx.employment, map[string]any{"arrival_date": "2026-12-03"})},

		{method: "POST", path: "/api/v1/employments/:id/contracts", want: office(created),
			call: at("/api/v1/employments/"+fx.approved+"/contracts", nil)},
		{method: "GET", path: "/api/v1/employments/:id/contracts", want: registrar(ok),
			call: at("/api/v1/employments/"+fx.approved+"/contracts", nil)},
		{method: "GET", path: "/api/v1/contracts/:id", want: registrar(ok), call: at("/api/v1/contracts/"+fx.contract, nil)},
		{method: "GET", path: "/api/v1/contracts/:id/pdf", want: registrar(ok), call: at("/api/v1/contracts/"+fx.contract+"/pdf", nil)},
		{method: "POST", path: "/api/v1/contracts/:id/signatures", want: office(created),
			call: func(string) (string, any) {
				// Signatures go on the newest version: a fresh one each time.
				id := e.must(201, "officer", "POST", "/api/v1/employments/"+fx.approved+"/contracts", nil).str("id")
				return "/api/v1/contracts/" + id + "/signatures", map[string]any{"party": "worker", "signed_on": "2026-11-02", "place": "Bern"}
			}},
		{method: "GET", path: "/api/v1/contracts/:id/signatures", want: registrar(ok),
			call: at("/api/v1/contracts/"+fx.contract+"/signatures", nil)},
		{method: "GET", path: "/api/v1/contracts/verify/:code", public: true, want: everyone(ok),
			call: at("/api/v1/contracts/verify/"+fx.code, nil)},
		{method: "GET", path: "/api/v1/policies/:id/affected", want: office(ok), call: at("/api/v1/policies/"+fx.policy+"/affected", nil)},
		{method: "GET", path: "/api/v1/appointments", want: registrar(ok)},
		{method: "POST", path: "/api/v1/appointments", want: office(created),
			call: func(who string) (string, any) {
				// A fresh employment each time, each caller at its own hour.
				hour := map[string]string{"admin": "10", "officer": "11"}[who]
				if hour == "" {
					hour = "14"
				}
				return "/api/v1/appointments", map[string]any{"employment_id": e.approvedEmployment(), "kind": "checkin",
					"starts_at": "2026-12-01T" + hour + ":00:00Z", "note": "matrix"}
			}},
		{method: "GET", path: "/api/v1/appointments/:id", want: registrar(ok), call: at("/api/v1/appointments/"+fx.appointment, nil)},
		{method: "PATCH", path: "/api/v1/appointments/:id", want: office(ok),
			call: func(who string) (string, any) {
				hour := map[string]string{"admin": "10", "officer": "11"}[who]
				if hour == "" {
					hour = "14"
				}
				return "/api/v1/appointments/" + e.appointment(), map[string]any{"starts_at": "2026-12-02T" + hour + ":00:00Z",
					"room": "Room 1", "reason": "matrix"}
			}},
		{method: "POST", path: "/api/v1/appointments/:id/outcome", want: office(ok),
			call: func(string) (string, any) {
				// Outcomes are final: a fresh appointment each time, cancelled
				// (the only outcome before its start).
				return "/api/v1/appointments/" + e.appointment() + "/outcome", map[string]any{"outcome": "cancelled"}
			}},

		{method: "GET", path: "/api/v1/checklists/current", want: office(ok)},
		{method: "POST", path: "/api/v1/interviews", want: office(created),
			call: func(string) (string, any) {
				// An interview per appointment: a fresh started one each time.
				return "/api/v1/interviews", interviewBody(e.startedAppointment(), true, nil, "matrix")
			}},
		{method: "GET", path: "/api/v1/interviews/:id", want: office(ok),
			call: func(string) (string, any) { return "/api/v1/interviews/" + interviewOnce(), nil }},
		{method: "GET", path: "/api/v1/employments/:id/interviews", want: office(ok),
			call: at("/api/v1/employments/"+fx.approved+"/interviews", nil)},

		{method: "GET", path: "/api/v1/appointments/:id/ics", want: registrar(ok), call: at("/api/v1/appointments/"+fx.appointment+"/ics", nil)},
		{method: "GET", path: "/api/v1/briefings", want: office(ok)},
		{method: "POST", path: "/api/v1/briefings", want: office(created),
			call: func(string) (string, any) {
				return "/api/v1/briefings", map[string]any{"starts_at": briefingStart(), "language": "en", "capacity": 4}
			}},
		{method: "GET", path: "/api/v1/briefings/:id", want: office(ok), call: func(string) (string, any) { return "/api/v1/briefings/" + e.briefing(), nil }},
		{method: "PATCH", path: "/api/v1/briefings/:id", want: office(ok),
			call: func(string) (string, any) {
				return "/api/v1/briefings/" + e.briefing(), map[string]any{"status": "cancelled", "note": "matrix"}
			}},
		{method: "POST", path: "/api/v1/briefings/:id/invitations", want: office(created),
			call: func(string) (string, any) {
				return "/api/v1/briefings/" + e.briefing() + "/invitations", map[string]any{"employment_ids": []string{e.approvedEmployment()}}
			}},
		{method: "POST", path: "/api/v1/calendar/token", want: office(created)},
		{method: "GET", path: "/api/v1/calendar.ics", public: true, want: everyone(ok),
			call: func(string) (string, any) {
				// The token is the credential: a fresh officer's token each time.
				return "/api/v1/calendar.ics?token=" + e.must(201, "officer", "POST", "/api/v1/calendar/token", nil).str("token"), nil
			}},

		{method: "GET", path: "/api/v1/policies", want: anyRole(ok)},
		{method: "POST", path: "/api/v1/policies", want: adminOnly(created), call: at("/api/v1/policies", policyBody)},
		{method: "GET", path: "/api/v1/policies/current", want: anyRole(ok)},
		{method: "GET", path: "/api/v1/policies/:id", want: anyRole(ok), call: at("/api/v1/policies/"+fx.policy, nil)},

		{method: "GET", path: "/api/v1/users", want: adminOnly(ok)},
		{method: "POST", path: "/api/v1/users", want: adminOnly(created),
			call: func(string) (string, any) {
				return "/api/v1/users", map[string]any{"email": models.NewID() + "@office.example", "password": "a long enough password", "role": "officer"}
			}},
		{method: "GET", path: "/api/v1/users/:id", want: adminOnly(ok), call: at("/api/v1/users/"+e.userID("auditor"), nil)},
		{method: "PATCH", path: "/api/v1/users/:id", want: adminOnly(ok),
			call: at("/api/v1/users/"+e.userID("auditor"), map[string]any{"disabled": false})},

		{method: "GET", path: "/api/v1/audit", want: adminOnly(ok)},

		{method: "POST", path: "/api/v1/sanctions", want: adminOnly(created),
			call: func(string) (string, any) {
				// A fresh employer to suspend each time.
				return "/api/v1/sanctions", map[string]any{"subject_kind": "employer", "subject_id": e.employer("officer", "diplomat"),
					"action": "suspend", "reason": "matrix", "legal_basis": "matrix"}
			}},
		{method: "GET", path: "/api/v1/sanctions", want: office(ok)},
		{method: "GET", path: "/api/v1/reports/compliance", want: authOnly(map[string]int{"admin": ok, "officer": ok, "auditor": ok}),
			call: at("/api/v1/reports/compliance?from=2026-01-01&to=2026-12-31", nil)},
		{method: "GET", path: "/api/v1/cases", want: office(ok)},
		{method: "POST", path: "/api/v1/cases", want: office(created),
			call: func(string) (string, any) {
				// A fresh employment each time: a new case, not the open one.
				return "/api/v1/cases", map[string]any{"employment_id": e.approvedEmployment(), "reason": "matrix"}
			}},
		{method: "GET", path: "/api/v1/cases/:id", want: office(ok), call: at("/api/v1/cases/"+fx.caseID, nil)},
		{method: "PATCH", path: "/api/v1/cases/:id", want: office(ok),
			call: at("/api/v1/cases/"+fx.caseID, map[string]any{"priority": "normal", "note": "matrix"})},
		{method: "POST", path: "/api/v1/cases/:id/actions", want: office(created),
			call: at("/api/v1/cases/"+fx.caseID+"/actions", map[string]any{"kind": "call", "note": "matrix"})},
		{method: "GET", path: "/api/v1/organisations", want: office(ok)},
		{method: "POST", path: "/api/v1/organisations", want: adminOnly(created),
			call: at("/api/v1/organisations", map[string]any{"kind": "mediation", "name": "Mediation", "phone": "+41 58 000 00 02"})},
		{method: "GET", path: "/api/v1/organisations/:id", want: office(ok), call: at("/api/v1/organisations/"+fx.organisation, nil)},
		{method: "PATCH", path: "/api/v1/organisations/:id", want: adminOnly(ok),
			call: at("/api/v1/organisations/"+fx.organisation, map[string]any{"languages": []string{"tl"}})},
		{method: "GET", path: "/api/v1/referrals", want: office(ok)},
		{method: "POST", path: "/api/v1/referrals", want: office(created),
			call: func(string) (string, any) {
				return "/api/v1/referrals", map[string]any{"case_id": fx.caseID, "organisation_id": fx.organisation,
					"consent": true, "consent_recorded_by": e.userID("officer")}
			}},
		{method: "GET", path: "/api/v1/referrals/:id", want: office(ok), call: at("/api/v1/referrals/"+fx.referral, nil)},
		{method: "GET", path: "/api/v1/referrals/:id/export", want: office(ok), call: at("/api/v1/referrals/"+fx.referral+"/export", nil)},
	}
}

// TestAPI_RouteRoleMatrix walks every route of the router with every
// caller and checks the exact status: 401 without credentials, 403 for a
// role the route does not allow, the handler's success status otherwise.
// A route missing from the table (or a table row the router lacks) fails.
func TestAPI_RouteRoleMatrix(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		opts := testOptions()
		opts.SetupToken = matrixSetupToken
		e.srv = New(e.db, opts)

		fx := matrixFixtures{
			employer: e.employer("mission", "diplomat"),
			worker:   e.worker("mission", "1990-01-01"),
			policy:   e.must(200, "mission", "GET", "/api/v1/policies/current", nil).str("id"),
		}
		fx.employment = e.must(201, "mission", "POST", "/api/v1/employments", notification(fx.worker, fx.employer, validTerms())).str("id")
		fx.approved = e.approvedEmployment()
		c := e.must(201, "officer", "POST", "/api/v1/employments/"+fx.approved+"/contracts", nil)
		fx.contract, fx.code = c.str("id"), c.str("verify_code")
		fx.appointment = e.appointment()
		fx.caseID = e.openCase("matrix")
		fx.organisation = e.organisation("ngo", false)
		fx.referral = e.referral(fx.caseID, fx.organisation)
		table := e.matrixTable(fx)

		// The table and the router must name the same routes.
		inTable := map[string]bool{}
		for _, r := range table {
			if inTable[r.key()] {
				t.Errorf("route %s is twice in the expectation table", r.key())
			}
			inTable[r.key()] = true
		}
		inRouter := map[string]bool{}
		for _, ri := range e.srv.Handler().Routes() {
			k := ri.Method + " " + ri.Path
			inRouter[k] = true
			if !inTable[k] {
				t.Errorf("route %s is in the router but not in the expectation table: decide who may call it", k)
			}
		}
		for _, r := range table {
			if !inRouter[r.key()] {
				t.Errorf("route %s is in the expectation table but not in the router", r.key())
			}
		}

		for _, r := range table {
			for _, who := range matrixCallers {
				name := who
				if name == "" {
					name = "anonymous"
				}
				t.Run(strings.TrimPrefix(r.key(), "/")+"/"+name, func(t *testing.T) {
					want, ok := r.want[who]
					if !ok {
						t.Fatalf("no expectation for %s", name)
					}
					if !r.public && who == "" && want != http.StatusUnauthorized {
						t.Fatalf("table expects %d for an anonymous call of an authenticated route", want)
					}
					path, body := r.path, any(nil)
					if r.call != nil {
						path, body = r.call(who)
					}
					got := e.do(who, r.method, path, body)
					if got.Status != want {
						t.Errorf("%s %s as %s: status %d, want %d; body %.300s", r.method, path, name, got.Status, want, got.Raw)
					}
					checkOpenAPI(t, r.method, r.path, got) // every response matches the OpenAPI document
					if r.public && (got.Status == http.StatusUnauthorized || got.Status == http.StatusForbidden) {
						t.Errorf("public route %s refused %s: %d", r.key(), name, got.Status)
					}
				})
			}
		}
	})
}

// TestAPI_OtherMissionGets404 checks that a focal point of missionB learns
// nothing about missionA's records: reads and edits answer 404 as if the
// record did not exist, while routes its role may not call answer 403.
func TestAPI_OtherMissionGets404(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		emp := e.employer("mission", "diplomat")
		wrk := e.worker("mission", "1990-01-01")
		empl := e.must(201, "mission", "POST", "/api/v1/employments", notification(wrk, emp, validTerms())).str("id")
		tok := e.must(201, "mission", "POST", "/api/v1/tokens", map[string]any{"name": "a's"}).str("id")

		tests := []struct {
			method, path string
			body         any
			want         int
		}{
			{"GET", "/api/v1/employers/" + emp, nil, http.StatusNotFound},
			{"PATCH", "/api/v1/employers/" + emp, map[string]any{"full_name": "Taken Over"}, http.StatusNotFound},
			{"DELETE", "/api/v1/employers/" + emp, nil, http.StatusForbidden},
			{"GET", "/api/v1/workers/" + wrk, nil, http.StatusNotFound},
			{"PATCH", "/api/v1/workers/" + wrk, map[string]any{"full_name": "Taken Over"}, http.StatusNotFound},
			{"DELETE", "/api/v1/workers/" + wrk, nil, http.StatusForbidden},
			{"GET", "/api/v1/employments/" + empl, nil, http.StatusNotFound},
			{"PATCH", "/api/v1/employments/" + empl, map[string]any{"arrival_date": "2026-12-03"}, http.StatusNotFound},
			{"GET", "/api/v1/missions/" + e.missionA.ID, nil, http.StatusNotFound},
			{"PATCH", "/api/v1/missions/" + e.missionA.ID, map[string]any{"name": "Taken Over"}, http.StatusForbidden},
			{"DELETE", "/api/v1/tokens/" + tok, nil, http.StatusNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.method+" "+strings.SplitN(strings.TrimPrefix(tt.path, "/api/v1/"), "/", 2)[0], func(t *testing.T) {
				got := e.do("missionB", tt.method, tt.path, tt.body)
				if got.Status != tt.want {
					t.Errorf("%s %s as missionB: status %d, want %d; body %.300s", tt.method, tt.path, got.Status, tt.want, got.Raw)
				}
			})
		}

		// Nothing changed: missionA still sees its records as they were.
		for _, c := range []struct{ path, key, want string }{
			{"/api/v1/employers/" + emp, "full_name", "Employer diplomat"},
			{"/api/v1/workers/" + wrk, "full_name", "Worker Test"},
			{"/api/v1/employments/" + empl, "arrival_date", ""},
			{"/api/v1/missions/" + e.missionA.ID, "name", "Embassy A"},
		} {
			if got := e.must(200, "mission", "GET", c.path, nil).str(c.key); got != c.want {
				t.Errorf("%s %s=%q, want %q", c.path, c.key, got, c.want)
			}
		}
		if got := string(e.must(200, "mission", "GET", "/api/v1/tokens", nil).Raw); !strings.Contains(got, tok) {
			t.Errorf("mission's token %s is gone after missionB's DELETE: %s", tok, got)
		}
	})
}
