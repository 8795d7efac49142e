package api

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/pdw-registry/pdw/models"
)

// loadOpenAPI parses and validates a generated document with kin-openapi.
func loadOpenAPI(t testing.TB, b []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		t.Fatalf("load the OpenAPI document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the OpenAPI document is not valid: %v", err)
	}
	return doc
}

// servedOpenAPI is the document as served, loaded once per test binary.
var servedOpenAPI = sync.OnceValues(func() (*openapi3.T, error) {
	b, err := openAPIJSON((&Server{}).table())
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(b)
	if err != nil {
		return nil, err
	}
	return doc, doc.Validate(context.Background())
})

// oaPath turns a Gin path into an OpenAPI path template.
func oaPath(ginPath string) string {
	segs := strings.Split(ginPath, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") {
			segs[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(segs, "/")
}

// openAPICoverage compares the document's operations with the router's
// routes (method and Gin path) and returns one message per difference.
func openAPICoverage(doc *openapi3.T, routes []route, router [][2]string) []string {
	var out []string
	inRouter := map[string]bool{}
	for _, r := range router {
		k := strings.ToUpper(r[0]) + " " + oaPath(r[1])
		inRouter[k] = true
		item := doc.Paths.Value(oaPath(r[1]))
		if item == nil || item.GetOperation(r[0]) == nil {
			out = append(out, fmt.Sprintf("route %s %s is not in the OpenAPI document: add an apiDocs entry in api/openapi.go", r[0], r[1]))
		}
	}
	roles := map[string][]string{}
	for _, r := range routes {
		roles[r.method+" "+oaPath(r.path)] = r.roles
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			k := method + " " + path
			if !inRouter[k] {
				out = append(out, fmt.Sprintf("the OpenAPI document names %s, which is not a route", k))
				continue
			}
			var got []string
			if err := json.Unmarshal(mustJSON(op.Extensions["x-roles"]), &got); err != nil {
				out = append(out, fmt.Sprintf("%s: x-roles: %v", k, err))
			}
			if want := roles[k]; !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				out = append(out, fmt.Sprintf("%s: x-roles %v, the route table says %v", k, got, want))
			}
			if want := roles[k]; len(want) > 0 && !strings.Contains(op.Description, strings.Join(want, ", ")) {
				out = append(out, fmt.Sprintf("%s: the description does not name the roles %v", k, want))
			}
			if len(op.Tags) != 1 || !slices.Contains(apiTags, op.Tags[0]) {
				out = append(out, fmt.Sprintf("%s: tags %v, want one of apiTags", k, op.Tags))
			}
		}
	}
	slices.Sort(out)
	return out
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func ginRoutes(s *Server) [][2]string {
	var out [][2]string
	for _, ri := range s.Handler().Routes() {
		out = append(out, [2]string{ri.Method, ri.Path})
	}
	return out
}

// checkOpenAPI validates a real response of the route (method, Gin path)
// against the served document: its status must be documented for the
// operation, its content type too, and a JSON body must match the schema.
func checkOpenAPI(t testing.TB, method, ginPath string, res response) {
	t.Helper()
	doc, err := servedOpenAPI()
	if err != nil {
		t.Fatalf("OpenAPI document: %v", err)
	}
	if err := validateOpenAPIResponse(doc, method, ginPath, res); err != nil {
		t.Errorf("OpenAPI: %s %s answered %d: %v; body %.300s", method, ginPath, res.Status, err, res.Raw)
	}
}

func validateOpenAPIResponse(doc *openapi3.T, method, ginPath string, res response) error {
	item := doc.Paths.Value(oaPath(ginPath))
	if item == nil || item.GetOperation(method) == nil {
		return fmt.Errorf("no such operation in the document")
	}
	op := item.GetOperation(method)
	ref := op.Responses.Value(strconv.Itoa(res.Status))
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("status %d is not documented", res.Status)
	}
	resp := ref.Value
	if len(resp.Content) == 0 {
		if len(res.Raw) != 0 {
			return fmt.Errorf("the document says no body, got %d bytes", len(res.Raw))
		}
		return nil
	}
	ct := res.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("content type %q: %v", ct, err)
	}
	media := resp.Content.Get(mt)
	if media == nil || media.Schema == nil || media.Schema.Value == nil {
		return fmt.Errorf("content type %s is not documented", mt)
	}
	if media.Schema.Value.Format == "binary" {
		if len(res.Raw) == 0 {
			return fmt.Errorf("empty %s body", mt)
		}
		return nil
	}
	var v any
	if err := json.Unmarshal(res.Raw, &v); err != nil {
		return fmt.Errorf("body is not JSON: %v", err)
	}
	return media.Schema.Value.VisitJSON(v, openapi3.MultiErrors(), openapi3.EnableFormatValidation(), openapi3.VisitAsResponse())
}

// validateOpenAPIRequest checks a JSON request body against the
// operation's request schema.
func validateOpenAPIRequest(doc *openapi3.T, method, ginPath string, body any) error {
	op := doc.Paths.Value(oaPath(ginPath)).GetOperation(method)
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return fmt.Errorf("the document says no request body")
	}
	media := op.RequestBody.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		return fmt.Errorf("no JSON request schema")
	}
	raw, ok := body.([]byte)
	if !ok {
		raw = mustJSON(body)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	return media.Schema.Value.VisitJSON(v, openapi3.MultiErrors(), openapi3.EnableFormatValidation(), openapi3.VisitAsRequest())
}

// TestOpenAPI_Document: the served document is valid OpenAPI 3, names
// every route of the router (and no other) with the route table's roles,
// and declares the security schemes.
func TestOpenAPI_Document(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		r := e.must(200, "", "GET", "/api/v1/openapi.json", nil)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type %q", ct)
		}
		doc := loadOpenAPI(t, r.Raw)
		for _, msg := range openAPICoverage(doc, e.srv.table(), ginRoutes(e.srv)) {
			t.Error(msg)
		}
		for _, name := range []string{secBearer, secSession} {
			if doc.Components.SecuritySchemes[name] == nil {
				t.Errorf("security scheme %s missing", name)
			}
		}
		if doc.Components.Schemas["Error"] == nil {
			t.Fatal("no Error schema")
		}
		// Authenticated operations accept either scheme and document 401.
		me := doc.Paths.Value("/api/v1/me").Get
		if me.Security == nil || len(*me.Security) != 2 || me.Responses.Status(401) == nil {
			t.Errorf("GET /api/v1/me: security %v, 401 %v", me.Security, me.Responses.Status(401))
		}
		verify := doc.Paths.Value("/api/v1/contracts/verify/{code}").Get
		if verify.Security == nil || len(*verify.Security) != 0 {
			t.Errorf("public route: security %v, want []", verify.Security)
		}
	})
}

// TestOpenAPI_Generator checks the schema generator on the tricky types:
// custom MarshalJSON (Policy and Terms write amounts as strings, Date as
// a date), pointers and omitempty, embedded structs, lists.
func TestOpenAPI_Generator(t *testing.T) {
	doc := loadOpenAPI(t, mustJSON(buildOpenAPI((&Server{}).table(), apiDocs)))
	schema := func(name string) *openapi3.Schema {
		t.Helper()
		s := doc.Components.Schemas[name]
		if s == nil || s.Value == nil {
			t.Fatalf("no schema %s", name)
		}
		return s.Value
	}
	prop := func(s *openapi3.Schema, name string) *openapi3.Schema {
		t.Helper()
		p := s.Properties[name]
		if p == nil || p.Value == nil {
			t.Fatalf("no property %s", name)
		}
		return p.Value
	}
	tests := []struct {
		name   string
		got    *openapi3.Schema
		typ    string
		format string
		null   bool
	}{
		{"Policy.min_monthly_net_wage", prop(schema("Policy"), "min_monthly_net_wage"), "string", "", false},
		{"Policy.effective_from", prop(schema("Policy"), "effective_from"), "string", "date", false},
		{"Terms.monthly_net_wage", prop(schema("Terms"), "monthly_net_wage"), "string", "", false},
		{"Terms.weekly_hours", prop(schema("Terms"), "weekly_hours"), "number", "", false},
		{"Employment.end_date", prop(schema("Employment"), "end_date"), "string", "date", true},
		{"Employment.created_at", prop(schema("Employment"), "created_at"), "string", "date-time", false},
		{"AppointmentView.language", prop(schema("AppointmentView"), "language"), "string", "", true},
		{"BriefingView.starts_at (embedded)", prop(schema("BriefingView"), "starts_at"), "string", "date-time", false},
		{"AuditList.next", prop(schema("AuditList"), "next"), "integer", "int64", true},
		{"MissionViewList.next", prop(schema("MissionViewList"), "next"), "string", "", true},
		{"MissionViewList.items", prop(schema("MissionViewList"), "items"), "array", "", false},
		{"ErrorDetail.fields", prop(schema("ErrorDetail"), "fields"), "object", "", true},
	}
	for _, tt := range tests {
		if !tt.got.Type.Is(tt.typ) || tt.got.Format != tt.format || tt.got.Nullable != tt.null {
			t.Errorf("%s: type %v format %q nullable %v, want %s %q %v", tt.name, tt.got.Type, tt.got.Format, tt.got.Nullable, tt.typ, tt.format, tt.null)
		}
	}
	for _, c := range []struct {
		schema, field string
		required      bool
	}{
		{"Policy", "min_monthly_net_wage", true},
		{"Policy", "MinMonthlyNetWageMinor", false}, // json:"-"
		{"MissionView", "focal_point_email", false}, // omitempty
		{"MissionView", "name", true},
		{"BriefingView", "attendees", true},
		{"BriefingView", "capacity", true}, // from the embedded Briefing
		{"Error", "error", true},
		{"EmploymentInput", "worker_id", false}, // requests require nothing
	} {
		if got := slices.Contains(schema(c.schema).Required, c.field); got != c.required {
			t.Errorf("%s.%s required=%v, want %v", c.schema, c.field, got, c.required)
		}
	}
	if _, ok := schema("Policy").Properties["MinMonthlyNetWageMinor"]; ok {
		t.Error(`Policy has a property for a json:"-" field`)
	}
	if ap := schema("Employer").AdditionalProperties.Has; ap == nil || *ap {
		t.Error("objects must refuse unknown properties")
	}
	if !slices.Contains(prop(schema("ErrorDetail"), "code").Enum, any(models.EINVALID)) {
		t.Error("ErrorDetail.code does not list the models codes")
	}
	// A type with its own JSON form and no case in the generator is refused.
	func() {
		defer func() {
			if recover() == nil {
				t.Error("a type with its own MarshalJSON was accepted without a case")
			}
		}()
		newSchemaGen().ref(reflect.TypeOf(customJSON{}), false)
	}()
}

type customJSON struct{ v int }

func (customJSON) MarshalJSON() ([]byte, error) { return []byte(`"x"`), nil }

// TestOpenAPI_CanFail: the coverage check and the response validation
// catch a missing entry, an entry for no route, wrong roles and a response
// that does not match its type.
func TestOpenAPI_CanFail(t *testing.T) {
	s := &Server{}
	routes := s.table()
	router := [][2]string{}
	for _, r := range routes {
		router = append(router, [2]string{r.method, r.path})
	}
	docs := map[string]routeDoc{}
	for k, v := range apiDocs {
		docs[k] = v
	}
	if msgs := openAPICoverage(loadOpenAPI(t, mustJSON(buildOpenAPI(routes, docs))), routes, router); len(msgs) != 0 {
		t.Fatalf("the complete document: %v", msgs)
	}
	delete(docs, "GET /api/v1/me")
	docs["GET /api/v1/nowhere/:id"] = routeDoc{Summary: "no such route", Tag: "meta", Response: healthBody{}}
	wrongRoles := slices.Clone(routes)
	for i := range wrongRoles {
		if wrongRoles[i].path == "/api/v1/audit" {
			wrongRoles[i].roles = anyone
		}
	}
	msgs := openAPICoverage(loadOpenAPI(t, mustJSON(buildOpenAPI(wrongRoles, docs))), routes, router)
	for _, want := range []string{"route GET /api/v1/me is not in the OpenAPI document",
		"names GET /api/v1/nowhere/{id}, which is not a route", "GET /api/v1/audit: x-roles"} {
		if !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, want) }) {
			t.Errorf("coverage did not report %q: %v", want, msgs)
		}
	}

	// A response checked against the wrong type fails validation.
	docs = map[string]routeDoc{}
	for k, v := range apiDocs {
		docs[k] = v
	}
	me := docs["GET /api/v1/me"]
	me.Response = accountView{}
	docs["GET /api/v1/me"] = me
	wrong := loadOpenAPI(t, mustJSON(buildOpenAPI(routes, docs)))
	right := loadOpenAPI(t, mustJSON(buildOpenAPI(routes, apiDocs)))
	body := `{"id":"u1","email":"a@b.example","role":"officer","mission_id":null}`
	res := response{Status: 200, Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}, Raw: []byte(body)}
	if err := validateOpenAPIResponse(right, "GET", "/api/v1/me", res); err != nil {
		t.Errorf("right type: %v", err)
	}
	if err := validateOpenAPIResponse(wrong, "GET", "/api/v1/me", res); err == nil {
		t.Error("a userView body validated against accountView")
	}
	for _, bad := range []response{
		{Status: 200, Header: res.Header, Raw: []byte(`{"id":"u1","email":"a@b.example","role":"officer","mission_id":null,"extra":1}`)},
		{Status: 200, Header: res.Header, Raw: []byte(`{"id":"u1","email":"a@b.example","role":"officer"}`)},
		{Status: 200, Header: res.Header, Raw: []byte(`{"id":1,"email":"a@b.example","role":"officer","mission_id":null}`)},
		{Status: 418, Header: res.Header, Raw: []byte(body)},
		{Status: 200, Header: http.Header{"Content-Type": {"text/plain"}}, Raw: []byte(body)},
		{Status: 404, Header: res.Header, Raw: []byte(`{"error":{"code":"not_found"}}`)},
	} {
		if err := validateOpenAPIResponse(right, "GET", "/api/v1/me", bad); err == nil {
			t.Errorf("accepted %d %s", bad.Status, bad.Raw)
		}
	}
	for _, bad := range []string{`{"name":"x","extra":1}`, `{"name":1}`} {
		if err := validateOpenAPIRequest(right, "POST", "/api/v1/missions", []byte(bad)); err == nil {
			t.Errorf("request %s accepted", bad)
		}
	}
	if err := validateOpenAPIRequest(right, "POST", "/api/v1/employments", []byte(`{"start_date":"2026-02-30"}`)); err == nil {
		t.Error("request with an impossible date accepted")
	}
	dateBody := `{"items":[],"next":null}`
	if err := validateOpenAPIResponse(right, "GET", "/api/v1/employers", response{Status: 200, Header: res.Header, Raw: []byte(dateBody)}); err != nil {
		t.Errorf("empty list: %v", err)
	}
}

// TestOpenAPI_Responses validates a sample of real responses, at least one
// success per tag plus the error shapes (400 with fields, 404, 409, 422),
// on both databases. (The route matrix validates every route's responses
// for every caller as well.)
func TestOpenAPI_Responses(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		emp := e.employer("mission", "diplomat")
		wrk := e.worker("mission", "1990-01-01")
		empl := e.must(201, "mission", "POST", "/api/v1/employments", notification(wrk, emp, validTerms())).str("id")
		approved := e.approvedEmployment()
		contract := e.must(201, "officer", "POST", "/api/v1/employments/"+approved+"/contracts", nil)
		appt := e.appointment()
		briefing := e.briefing()
		policy := e.must(200, "mission", "GET", "/api/v1/policies/current", nil).str("id")
		preset, err := models.Preset("ch-pheo-2011")
		if err != nil {
			t.Fatal(err)
		}
		badTerms := validTerms()
		badTerms["weekly_hours"] = 90
		caseID := e.openCase("openapi")
		caseEmpl := e.must(200, "officer", "GET", "/api/v1/cases/"+caseID, nil).str("employment_id")
		org := e.organisation("ngo", false)
		referral := e.referral(caseID, org)

		tests := []struct {
			who, method, route, path string
			body                     any
			want                     int
		}{
			{"", "GET", "/healthz", "/healthz", nil, 200},
			{"", "GET", "/readyz", "/readyz", nil, 200},
			{"", "GET", "/api/v1/openapi.json", "/api/v1/openapi.json", nil, 200},
			{"officer", "GET", "/api/v1/me", "/api/v1/me", nil, 200},
			{"", "GET", "/api/v1/me", "/api/v1/me", nil, 401},
			{"", "POST", "/api/v1/auth/login", "/api/v1/auth/login", map[string]any{"email": "officer@office.example", "password": "wrong password!"}, 401},
			{"", "POST", "/api/v1/auth/login", "/api/v1/auth/login", `{"email": 1}`, 400},
			{"mission", "GET", "/api/v1/tokens", "/api/v1/tokens", nil, 200},
			{"officer", "GET", "/api/v1/missions", "/api/v1/missions?kind=embassy&limit=1", nil, 200},
			{"officer", "GET", "/api/v1/missions", "/api/v1/missions?kind=palace&limit=x", nil, 400},
			{"mission", "GET", "/api/v1/missions/:id", "/api/v1/missions/" + e.missionA.ID, nil, 200},
			{"mission", "GET", "/api/v1/missions/:id", "/api/v1/missions/" + e.missionB.ID, nil, 404},
			{"officer", "DELETE", "/api/v1/missions/:id", "/api/v1/missions/" + e.missionA.ID, nil, 409},
			{"mission", "GET", "/api/v1/employers", "/api/v1/employers?rank=diplomat", nil, 200},
			{"mission", "POST", "/api/v1/employers", "/api/v1/employers", map[string]any{"mission_id": e.missionA.ID, "full_name": "", "rank": "king"}, 422},
			{"mission", "GET", "/api/v1/workers/:id", "/api/v1/workers/" + wrk, nil, 200},
			{"officer", "GET", "/api/v1/workers/:id", "/api/v1/workers/" + wrk, nil, 200},
			{"officer", "GET", "/api/v1/workers", "/api/v1/workers?needs_review=false", nil, 200},
			{"mission", "GET", "/api/v1/workers/:id/leaflet.pdf", "/api/v1/workers/" + wrk + "/leaflet.pdf", nil, 200},
			{"mission", "GET", "/api/v1/employments/:id", "/api/v1/employments/" + empl, nil, 200},
			{"mission", "GET", "/api/v1/employments", "/api/v1/employments?status=notified", nil, 200},
			{"mission", "POST", "/api/v1/employments", "/api/v1/employments", notification(e.worker("mission", "1992-01-01"), e.employer("officer", "head_of_mission"), validTerms()), 201},
			{"officer", "PUT", "/api/v1/employments/:id/terms", "/api/v1/employments/" + empl + "/terms", validTerms(), 200},
			{"officer", "POST", "/api/v1/appointments/:id/outcome", "/api/v1/appointments/" + e.appointment() + "/outcome", map[string]any{"outcome": "cancelled", "note": "n"}, 200},
			{"officer", "POST", "/api/v1/contracts/:id/signatures", "/api/v1/contracts/" + contract.str("id") + "/signatures",
				map[string]any{"party": "worker", "signed_on": "2026-11-02", "place": "Bern"}, 201},
			{"admin", "POST", "/api/v1/policies", "/api/v1/policies", preset, 201},
			{"mission", "POST", "/api/v1/employments", "/api/v1/employments", notification(e.worker("mission", "1991-01-01"), emp, badTerms), 422},
			{"officer", "GET", "/api/v1/employments/:id/timeline", "/api/v1/employments/" + approved + "/timeline", nil, 200},
			{"officer", "GET", "/api/v1/contracts/:id", "/api/v1/contracts/" + contract.str("id"), nil, 200},
			{"officer", "GET", "/api/v1/employments/:id/contracts", "/api/v1/employments/" + approved + "/contracts", nil, 200},
			{"officer", "GET", "/api/v1/contracts/:id/pdf", "/api/v1/contracts/" + contract.str("id") + "/pdf", nil, 200},
			{"", "GET", "/api/v1/contracts/verify/:code", "/api/v1/contracts/verify/" + contract.str("verify_code"), nil, 200},
			{"officer", "GET", "/api/v1/appointments/:id", "/api/v1/appointments/" + appt, nil, 200},
			{"mission", "GET", "/api/v1/appointments/:id", "/api/v1/appointments/" + appt, nil, 200},
			{"officer", "GET", "/api/v1/appointments", "/api/v1/appointments?from=2026-01-01&to=2027-12-31&unplaced=false", nil, 200},
			{"officer", "GET", "/api/v1/appointments", "/api/v1/appointments?from=2026-02-30", nil, 400},
			{"officer", "GET", "/api/v1/briefings/:id", "/api/v1/briefings/" + briefing, nil, 200},
			{"officer", "GET", "/api/v1/briefings", "/api/v1/briefings?status=scheduled", nil, 200},
			{"officer", "GET", "/api/v1/checklists/current", "/api/v1/checklists/current", nil, 200},
			{"officer", "GET", "/api/v1/employments/:id/interviews", "/api/v1/employments/" + approved + "/interviews", nil, 200},
			{"officer", "GET", "/api/v1/appointments/:id/ics", "/api/v1/appointments/" + appt + "/ics", nil, 200},
			{"officer", "POST", "/api/v1/calendar/token", "/api/v1/calendar/token", nil, 201},
			{"", "GET", "/api/v1/calendar.ics", "/api/v1/calendar.ics?token=nope", nil, 401},
			{"officer", "GET", "/api/v1/cases/:id", "/api/v1/cases/" + caseID, nil, 200},
			{"officer", "GET", "/api/v1/cases", "/api/v1/cases?status=open&priority=urgent", nil, 200},
			{"officer", "POST", "/api/v1/cases", "/api/v1/cases", map[string]any{"employment_id": caseEmpl, "reason": "again"}, 200},
			{"officer", "POST", "/api/v1/cases/:id/actions", "/api/v1/cases/" + caseID + "/actions", map[string]any{"kind": "nonsense"}, 422},
			{"officer", "GET", "/api/v1/organisations", "/api/v1/organisations?kind=ngo&active=true", nil, 200},
			{"officer", "GET", "/api/v1/referrals/:id", "/api/v1/referrals/" + referral, nil, 200},
			{"officer", "GET", "/api/v1/referrals/:id/export", "/api/v1/referrals/" + referral + "/export", nil, 200},
			{"auditor", "GET", "/api/v1/policies", "/api/v1/policies", nil, 200},
			{"auditor", "GET", "/api/v1/policies/:id", "/api/v1/policies/" + policy, nil, 200},
			{"auditor", "GET", "/api/v1/policies/current", "/api/v1/policies/current?on=1900-01-01", nil, 404},
			{"officer", "GET", "/api/v1/policies/:id/affected", "/api/v1/policies/" + policy + "/affected", nil, 200},
			{"admin", "GET", "/api/v1/users", "/api/v1/users", nil, 200},
			{"admin", "GET", "/api/v1/users/:id", "/api/v1/users/" + e.userID("officer"), nil, 200},
			{"officer", "GET", "/api/v1/users", "/api/v1/users", nil, 403},
			{"admin", "GET", "/api/v1/audit", "/api/v1/audit?limit=5", nil, 200},
			{"admin", "POST", "/api/v1/sanctions", "/api/v1/sanctions", map[string]any{"subject_kind": "employer", "subject_id": emp,
				"action": "suspend", "reason": "openapi", "legal_basis": "openapi"}, 201},
			{"officer", "GET", "/api/v1/sanctions", "/api/v1/sanctions?subject_id=" + emp, nil, 200},
			{"officer", "POST", "/api/v1/employments/:id/evidence", "/api/v1/employments/" + empl + "/evidence",
				map[string]any{"kind": "insurance", "insurance": "health", "valid_until": "2027-06-30"}, 201},
			{"mission", "GET", "/api/v1/employments/:id/evidence", "/api/v1/employments/" + empl + "/evidence", nil, 200},
			{"officer", "POST", "/api/v1/employments/:id/evidence", "/api/v1/employments/" + empl + "/evidence",
				map[string]any{"kind": "pay", "month": "2026-10", "amount": "1200.50", "sole_name_account": true, "file": testFile("application/pdf")}, 201},
			{"officer", "GET", "/api/v1/employments/:id/evidence/status", "/api/v1/employments/" + empl + "/evidence/status", nil, 200},
			{"auditor", "GET", "/api/v1/reports/compliance", "/api/v1/reports/compliance?from=2026-01-01&to=2026-12-31", nil, 200},
			{"officer", "GET", "/api/v1/reports/compliance", "/api/v1/reports/compliance?from=2026-01-01&to=2026-12-31&format=csv", nil, 200},
			{"auditor", "GET", "/api/v1/reports/compliance", "/api/v1/reports/compliance?from=2026-12-31", nil, 400},
			{"admin", "GET", "/api/v1/audit", "/api/v1/audit?after_seq=-1", nil, 400},
		}
		tagged := map[string]bool{}
		for _, tt := range tests {
			t.Run(tt.method+" "+tt.route+" "+strconv.Itoa(tt.want), func(t *testing.T) {
				r := e.must(tt.want, tt.who, tt.method, tt.path, tt.body)
				checkOpenAPI(t, tt.method, tt.route, r)
				if _, isString := tt.body.(string); tt.body != nil && !isString && tt.want < 300 {
					doc, _ := servedOpenAPI()
					if err := validateOpenAPIRequest(doc, tt.method, tt.route, tt.body); err != nil {
						t.Errorf("accepted request body does not match its schema: %v", err)
					}
				}
				if tt.want < 300 && !t.Failed() {
					tagged[apiDocs[tt.method+" "+tt.route].Tag] = true
				}
			})
		}
		for _, tag := range apiTags {
			if !tagged[tag] {
				t.Errorf("no success response of tag %s was validated", tag)
			}
		}
	})
}

// BenchmarkOpenAPI_Build measures generating and encoding the document
// (done once per process, at the first GET /api/v1/openapi.json).
func BenchmarkOpenAPI_Build(b *testing.B) {
	routes := (&Server{}).table()
	var n int
	for b.Loop() {
		n = len(mustJSON(buildOpenAPI(routes, apiDocs)))
	}
	b.ReportMetric(float64(n), "bytes")
}
