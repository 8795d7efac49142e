package api

import (
	"encoding"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// This file holds the OpenAPI 3 document of the API, served at
// GET /api/v1/openapi.json. The document is generated once, at the first
// request, from two sources:
//
//   - the route table (router.go): the paths, methods, path parameters and
//     the roles allowed on each route;
//   - apiDocs below: one entry per route, keyed "METHOD /path" exactly as in
//     the route table, giving the summary, tag, request and response Go
//     types (schemas come from them by reflection, following their json
//     tags), the success status, query parameters and binary content types.
//
// To document a new route, add one apiDocs entry (see routeDoc), e.g.
//
//	"GET /api/v1/cases": {Summary: "List cases", Tag: "cases", Response: listBody[caseView]{},
//		Query: paged(qEnum("status", "case status", models.CaseStatuses))},
//	"POST /api/v1/cases": {Summary: "Open a case", Tag: "cases", Request: models.CaseInput{},
//		Response: caseView{}, Status: 201, Errors: []int{409}},
//	"GET /api/v1/reports/compliance": {Summary: "Compliance report", Tag: "reports",
//		Response: report{}, Binary: append(csvBody, pdfBody...), Query: ...},
//
// and a new tag to apiTags. Roles, path parameters, security and the
// 400/401/403/404/413/422/500 errors follow from the route table and the
// entry; list other error statuses the handler can answer in Errors. A Go
// type with its own MarshalJSON needs a case in schemaGen.ref (the
// generator refuses it otherwise). The test in openapi_test.go fails when
// a route has no entry or an entry names no route, and validates real
// responses (every route of the role matrix, and a sample per tag) against
// the generated schemas.

// routeDoc documents one route.
type routeDoc struct {
	Summary string
	Tag     string
	// Description, if any, comes before the generated note on roles.
	Description string
	// Request is a zero value of the JSON body's Go type (nil: no body).
	Request any
	// Response is a zero value of the success body's Go type, written as
	// application/json (nil: no JSON body). List routes answer
	// listBody[T]{}.
	Response any
	// Status is the success status (default 200).
	Status int
	// AlsoOK lists other success statuses answering the same body (a
	// create that may find the record already there: 200 beside 201).
	AlsoOK []int
	// Binary lists the content types of non-JSON success bodies
	// ("application/pdf", "text/calendar", "text/csv"): alone, or beside
	// Response for a route that answers JSON or, say, CSV by a parameter.
	Binary []string
	// Query lists the query parameters (see paged, qID, qEnum, ...).
	Query []queryParam
	// Errors lists the error statuses beyond the ones derived from the
	// route (401/403 from its roles, 404 from a path parameter, 400/413/422
	// from a body, 400 from query parameters, 500 always).
	Errors []int
}

// queryParam is one documented query parameter.
type queryParam struct {
	Name, Description string
	Schema            *oaSchema
	Required          bool
}

// Query parameter helpers.

func qID(name, desc string) queryParam {
	return queryParam{Name: name, Description: desc, Schema: &oaSchema{Type: "string"}}
}

func qText(name, desc string) queryParam {
	return queryParam{Name: name, Description: desc, Schema: &oaSchema{Type: "string", MaxLength: ptrTo(200)}}
}

func qEnum(name, desc string, values []string) queryParam {
	return queryParam{Name: name, Description: desc, Schema: &oaSchema{Type: "string", Enum: slices.Clone(values)}}
}

func qDate(name, desc string) queryParam {
	return queryParam{Name: name, Description: desc, Schema: &oaSchema{Type: "string", Format: "date"}}
}

func qFlag(name, desc string) queryParam {
	return queryParam{Name: name, Description: desc, Schema: &oaSchema{Type: "boolean"}}
}

func qInt(name, desc string, min, max int) queryParam {
	return queryParam{Name: name, Description: desc, Schema: &oaSchema{Type: "integer", Minimum: ptrTo(float64(min)), Maximum: ptrTo(float64(max))}}
}

// paged returns the keyset paging parameters followed by more.
func paged(more ...queryParam) []queryParam {
	return append([]queryParam{
		qInt("limit", "page size", 1, models.MaxPageLimit),
		qID("after", `the "next" cursor of the previous page`),
	}, more...)
}

func ptrTo[T any](v T) *T { return &v }

// Binary content types.
var (
	pdfBody = []string{"application/pdf"}
	icsBody = []string{"text/calendar"}
	csvBody = []string{"text/csv"}
)

// Documentation-only shapes of bodies the handlers write with gin.H.
type (
	healthBody struct {
		Status string `json:"status"`
	}
	calendarTokenBody struct {
		Token string `json:"token"`
		Path  string `json:"path"`
	}
	invitedBody struct {
		Invited []appointmentView `json:"invited"`
	}
)

// Tags, in the order the document lists them.
var apiTags = []string{"health", "auth", "missions", "employers", "workers", "employments", "contracts",
	"appointments", "briefings", "calendar", "interviews", "cases", "referrals", "policies", "users", "audit", "meta",
	"sanctions", "reports"}

// apiDocs documents every route of the route table, keyed "METHOD /path".
var apiDocs = map[string]routeDoc{
	"GET /healthz": {Summary: "Liveness: answers while the process runs", Tag: "health", Response: healthBody{}},
	"GET /readyz": {Summary: "Readiness: the database is reachable and its schema current", Tag: "health",
		Response: healthBody{}, Errors: []int{503},
		Description: "Answers 503 with a status (no error object) when the database is unreachable or its schema is not current."},
	"GET /api/v1/openapi.json": {Summary: "This OpenAPI 3 document", Tag: "meta", Response: map[string]any{}},
	"GET /metrics": {Summary: "Prometheus metrics (text exposition format)", Tag: "health", Binary: []string{"text/plain"},
		Description: "Requests by route pattern and status, job runs by kind and outcome, reminders by result, the database pool, " +
			"the Go runtime and process; no personal data in any label. Besides admins, a scraper presenting " +
			"`Authorization: Bearer <PDW_METRICS_TOKEN>` may read it without an account."},

	"POST /api/v1/setup": {Summary: "Create the first administrator with the one-time setup token", Tag: "auth",
		Request: setupRequest{}, Response: userView{}, Status: 201, Errors: []int{401, 409}},
	"POST /api/v1/auth/login": {Summary: "Log in: sets the session cookie", Tag: "auth",
		Request: loginRequest{}, Response: userView{}, Errors: []int{401, 429}},
	"POST /api/v1/auth/logout":  {Summary: "Log out: ends the session and clears the cookie", Tag: "auth", Status: 204},
	"GET /api/v1/me":            {Summary: "The caller's account", Tag: "auth", Response: userView{}},
	"GET /api/v1/tokens":        {Summary: "The caller's personal API tokens", Tag: "auth", Response: listBody[models.APIToken]{}},
	"POST /api/v1/tokens":       {Summary: "Create a personal API token (the secret is shown once)", Tag: "auth", Request: tokenRequest{}, Response: tokenCreated{}, Status: 201},
	"DELETE /api/v1/tokens/:id": {Summary: "Revoke one of the caller's API tokens", Tag: "auth", Status: 204},

	"GET /api/v1/missions": {Summary: "List missions", Tag: "missions", Response: listBody[missionView]{},
		Query: paged(qEnum("kind", "mission kind", models.MissionKinds), qText("country", "country code"), qText("q", "part of the name"))},
	"POST /api/v1/missions":       {Summary: "Create a mission", Tag: "missions", Request: missionRequest{}, Response: missionView{}, Status: 201, Errors: []int{409}},
	"GET /api/v1/missions/:id":    {Summary: "Get a mission", Tag: "missions", Response: missionView{}},
	"PATCH /api/v1/missions/:id":  {Summary: "Update a mission (not its suspension: see POST /api/v1/sanctions)", Tag: "missions", Request: models.MissionUpdate{}, Response: missionView{}, Errors: []int{409}},
	"DELETE /api/v1/missions/:id": {Summary: "Delete a mission with no records", Tag: "missions", Status: 204, Errors: []int{409}},

	"GET /api/v1/employers": {Summary: "List employers", Tag: "employers", Response: listBody[models.Employer]{},
		Query: paged(qID("mission_id", "mission"), qEnum("rank", "employer rank", models.Ranks), qText("q", "part of the name"))},
	"POST /api/v1/employers":       {Summary: "Create an employer", Tag: "employers", Request: employerRequest{}, Response: models.Employer{}, Status: 201, Errors: []int{409}},
	"GET /api/v1/employers/:id":    {Summary: "Get an employer", Tag: "employers", Response: models.Employer{}},
	"PATCH /api/v1/employers/:id":  {Summary: "Update an employer (not its suspension: see POST /api/v1/sanctions)", Tag: "employers", Request: models.EmployerUpdate{}, Response: models.Employer{}, Errors: []int{409}},
	"DELETE /api/v1/employers/:id": {Summary: "Delete an employer with no records", Tag: "employers", Status: 204, Errors: []int{409}},

	"GET /api/v1/workers": {Summary: "List workers", Tag: "workers", Response: listBody[workerView]{},
		Query: paged(qID("mission_id", "mission"), qText("nationality", "nationality"), qText("q", "part of the name"),
			qFlag("needs_review", "only workers flagged for an officer"))},
	"POST /api/v1/workers":       {Summary: "Register a worker", Tag: "workers", Request: workerRequest{}, Response: workerView{}, Status: 201, Errors: []int{409}},
	"GET /api/v1/workers/:id":    {Summary: "Get a worker (audited read)", Tag: "workers", Response: workerView{}},
	"PATCH /api/v1/workers/:id":  {Summary: "Update a worker", Tag: "workers", Request: models.WorkerUpdate{}, Response: workerView{}, Errors: []int{409}},
	"DELETE /api/v1/workers/:id": {Summary: "Delete a worker with no records", Tag: "workers", Status: 204, Errors: []int{409}},
	"POST /api/v1/workers/:id/access-code": {Summary: "Issue the worker's personal access code (shown once; the old one stops working)", Tag: "workers",
		Response: accessCodeIssued{}, Status: 201},
	"DELETE /api/v1/workers/:id/access-code": {Summary: "Revoke the worker's personal access code", Tag: "workers", Status: 204},
	"GET /api/v1/w/:code": {Summary: "The worker's own page: next appointment, document links, help contacts", Tag: "workers",
		Response: workerPageView{}, Errors: []int{429, 503},
		Description: "Public route: the access code in the path is the credential (404 when it is unknown or revoked; 429 after 10 wrong codes from one address in 15 minutes)."},
	"POST /api/v1/w/:code/help": {Summary: "The worker's discreet alarm: a supervisors' alert on the employment's timeline", Tag: "workers",
		Response: helpSent{}, Status: 202, Errors: []int{409, 429},
		Description: "Public route: the access code in the path is the credential. 409 when the worker has no current employment to alert on."},
	"GET /api/v1/workers/:id/leaflet.pdf": {Summary: "The worker's rights leaflet as PDF", Tag: "workers", Binary: pdfBody,
		Query: []queryParam{qText("lang", "leaflet language (default: the worker's first language)")}, Errors: []int{422, 503}},

	"GET /api/v1/employments": {Summary: "List employments (summaries: the terms are on GET /employments/{id})", Tag: "employments", Response: listBody[models.EmploymentSummary]{},
		Query: paged(qID("mission_id", "mission"), qID("employer_id", "employer"), qID("worker_id", "worker"),
			qEnum("status", "employment status", models.EmploymentStatuses))},
	"POST /api/v1/employments":          {Summary: "Notify an employment (terms checked against the policy)", Tag: "employments", Request: models.EmploymentInput{}, Response: models.Employment{}, Status: 201, Errors: []int{409}},
	"GET /api/v1/employments/:id":       {Summary: "Get an employment", Tag: "employments", Response: models.Employment{}},
	"PATCH /api/v1/employments/:id":     {Summary: "Record arrival, departure, end, ID card or a status change", Tag: "employments", Request: models.EmploymentUpdate{}, Response: models.Employment{}, Errors: []int{409}},
	"PUT /api/v1/employments/:id/terms": {Summary: "Replace the employment's terms", Tag: "employments", Request: models.TermsInput{}, Response: models.Employment{}, Errors: []int{409}},
	"GET /api/v1/employments/:id/timeline": {Summary: "The employment's timeline (reminders, escalations)", Tag: "employments",
		Response: listBody[timelineView]{}, Query: paged()},

	"POST /api/v1/employments/:id/contracts": {Summary: "Issue a new contract version from the current terms", Tag: "contracts", Response: models.ContractVersion{}, Status: 201, Errors: []int{409, 422, 503}},
	"GET /api/v1/employments/:id/contracts":  {Summary: "List the employment's contract versions", Tag: "contracts", Response: listBody[models.ContractVersion]{}},
	"GET /api/v1/contracts/:id":              {Summary: "Get a contract version", Tag: "contracts", Response: models.ContractVersion{}},
	"GET /api/v1/contracts/:id/pdf":          {Summary: "The stored contract PDF", Tag: "contracts", Binary: pdfBody},
	"POST /api/v1/contracts/:id/signatures":  {Summary: "Record a signature on the newest version", Tag: "contracts", Request: models.SignatureInput{}, Response: models.ContractSignature{}, Status: 201, Errors: []int{409}},
	"GET /api/v1/contracts/:id/signatures":   {Summary: "List a contract's signatures", Tag: "contracts", Response: listBody[models.ContractSignature]{}},
	"GET /api/v1/contracts/verify/:code":     {Summary: "Public verification of a contract by the code printed on it", Tag: "contracts", Response: verification{}},

	"GET /api/v1/appointments": {Summary: "List appointments", Tag: "appointments", Response: listBody[appointmentView]{},
		Query: paged(qDate("from", "slot on or after this date"), qDate("to", "slot on or before this date"),
			qEnum("kind", "appointment kind", models.AppointmentKinds), qEnum("status", "appointment status", models.AppointmentStatuses),
			qID("mission_id", "mission"), qID("employment_id", "employment"),
			qFlag("unplaced", "only appointments with no slot yet"), qFlag("urgent", "only urgent follow-ups"))},
	"POST /api/v1/appointments":             {Summary: "Book an appointment by hand", Tag: "appointments", Request: models.AppointmentInput{}, Response: appointmentView{}, Status: 201, Errors: []int{409}},
	"GET /api/v1/appointments/:id":          {Summary: "Get an appointment", Tag: "appointments", Response: appointmentView{}},
	"PATCH /api/v1/appointments/:id":        {Summary: "Reschedule or cancel an appointment", Tag: "appointments", Request: models.AppointmentUpdate{}, Response: appointmentView{}, Errors: []int{409}},
	"POST /api/v1/appointments/:id/outcome": {Summary: "Record the outcome (may plan a follow-up)", Tag: "appointments", Request: models.OutcomeInput{}, Response: appointmentView{}, Errors: []int{409}},
	"GET /api/v1/appointments/:id/ics":      {Summary: "One appointment as an iCalendar file", Tag: "calendar", Binary: icsBody, Errors: []int{409}},

	"GET /api/v1/briefings": {Summary: "List group rights briefings", Tag: "briefings", Response: listBody[models.Briefing]{},
		Query: paged(qDate("from", "on or after this date"), qDate("to", "on or before this date"),
			qEnum("status", "briefing status", models.BriefingStatuses), qText("language", "language code"))},
	"POST /api/v1/briefings":                 {Summary: "Book a group briefing (and invite)", Tag: "briefings", Request: models.BriefingInput{}, Response: briefingView{}, Status: 201, Errors: []int{409}},
	"GET /api/v1/briefings/:id":              {Summary: "Get a briefing with its attendees", Tag: "briefings", Response: briefingView{}},
	"PATCH /api/v1/briefings/:id":            {Summary: "Update or cancel a briefing", Tag: "briefings", Request: models.BriefingUpdate{}, Response: briefingView{}, Errors: []int{409}},
	"POST /api/v1/briefings/:id/invitations": {Summary: "Invite workers to a briefing", Tag: "briefings", Request: models.BriefingInvitation{}, Response: invitedBody{}, Status: 201, Errors: []int{409}},

	"POST /api/v1/calendar/token": {Summary: "Create (replace) the caller's calendar feed token", Tag: "calendar", Response: calendarTokenBody{}, Status: 201},
	"GET /api/v1/calendar.ics": {Summary: "An officer's subscribable appointment feed", Tag: "calendar", Binary: icsBody,
		Description: "Public route: the token in the URL is the credential (401 when it is not valid).",
		Query:       []queryParam{{Name: "token", Description: "calendar feed token", Schema: &oaSchema{Type: "string"}, Required: true}},
		Errors:      []int{401}},

	"GET /api/v1/checklists/current": {Summary: "The interview checklist new interviews use (questions, ILO indicators, texts per language)", Tag: "interviews", Response: checklistView{}},
	"POST /api/v1/interviews": {Summary: "Record a private interview (201); with worker_seen_alone false, 200 without one: the appointment becomes employer_present and a follow-up is planned",
		Tag: "interviews", Request: models.InterviewInput{}, Response: interviewResultView{}, Status: 201, AlsoOK: []int{200}, Errors: []int{409, 503}},
	"GET /api/v1/interviews/:id": {Summary: "Get an interview (audited)", Tag: "interviews", Response: interviewView{}, Errors: []int{503}},
	"GET /api/v1/employments/:id/interviews": {Summary: "An employment's interviews, oldest first (each read audited)", Tag: "interviews",
		Response: listBody[interviewView]{}, Query: paged(), Errors: []int{503}},

	"GET /api/v1/cases": {Summary: "List cases", Tag: "cases", Response: listBody[models.Case]{},
		Query: paged(qEnum("status", "case status", models.CaseStatuses), qEnum("priority", "case priority", models.CasePriorities),
			qID("assigned_to", "assigned account"), qID("employment_id", "employment"))},
	"POST /api/v1/cases": {Summary: "Open a case (200 with the open case when the employment has one)", Tag: "cases",
		Request: models.CaseInput{}, Response: models.Case{}, Status: 201, AlsoOK: []int{200}, Errors: []int{409}},
	"GET /api/v1/cases/:id":          {Summary: "Get a case with its actions", Tag: "cases", Response: caseView{}},
	"PATCH /api/v1/cases/:id":        {Summary: "Assign, reprioritise, change status or close a case", Tag: "cases", Request: models.CaseUpdate{}, Response: models.Case{}, Errors: []int{409}},
	"POST /api/v1/cases/:id/actions": {Summary: "Record an action on a case", Tag: "cases", Request: models.ActionInput{}, Response: models.CaseAction{}, Status: 201, Errors: []int{409}},

	"GET /api/v1/organisations": {Summary: "List referral organisations", Tag: "referrals", Response: listBody[models.Organisation]{},
		Query: paged(qEnum("kind", "organisation kind", models.OrganisationKinds), qFlag("active", "active (true) or inactive (false) ones"))},
	"POST /api/v1/organisations":      {Summary: "Add a referral organisation", Tag: "referrals", Request: models.OrganisationInput{}, Response: models.Organisation{}, Status: 201, Errors: []int{409}},
	"GET /api/v1/organisations/:id":   {Summary: "Get a referral organisation", Tag: "referrals", Response: models.Organisation{}},
	"PATCH /api/v1/organisations/:id": {Summary: "Update a referral organisation", Tag: "referrals", Request: models.OrganisationUpdate{}, Response: models.Organisation{}, Errors: []int{409}},
	"GET /api/v1/referrals": {Summary: "List referrals", Tag: "referrals", Response: listBody[models.Referral]{},
		Query: paged(qID("case_id", "case"))},
	"POST /api/v1/referrals":           {Summary: "Refer a case to an organisation (the worker's consent required, except emergencies)", Tag: "referrals", Request: models.ReferralInput{}, Response: models.Referral{}, Status: 201, Errors: []int{409}},
	"GET /api/v1/referrals/:id":        {Summary: "Get a referral", Tag: "referrals", Response: models.Referral{}},
	"GET /api/v1/referrals/:id/export": {Summary: "The referral as a pdw-referral 1.0 export (HTCDS field names, minimised)", Tag: "referrals", Response: models.ReferralExport{}},

	"POST /api/v1/employments/:id/evidence": {Summary: "File pay, hours, insurance or exit evidence, with an optional document (base64 in file.data, up to 5 MiB: PDF, JPEG or PNG; a mission: pay evidence only)", Tag: "employments",
		Request: models.EvidenceInput{}, Response: models.Evidence{}, Status: 201},
	"GET /api/v1/employments/:id/evidence": {Summary: "The employment's evidence (audited)", Tag: "employments", Response: listBody[models.Evidence]{}},
	"GET /api/v1/employments/:id/evidence/status": {Summary: "What the employment's evidence lacks: months without pay evidence or hours records, insurances missing or expired, the exit pack (audited)",
		Tag: "employments", Response: models.EvidenceStatus{}},
	"GET /api/v1/evidence/:id/file": {Summary: "An evidence's uploaded document, as an attachment (audited; a mission: pay evidence of its own employments)",
		Tag: "employments", Binary: models.EvidenceFileTypes},

	"POST /api/v1/sanctions": {Summary: "Suspend or restore an employer's or a mission's eligibility (the sanctions register)", Tag: "sanctions",
		Request: models.SanctionInput{}, Response: models.Sanction{}, Status: 201, Errors: []int{409}},
	"GET /api/v1/sanctions": {Summary: "The sanctions register's history (audited)", Tag: "sanctions", Response: listBody[models.Sanction]{},
		Query: paged(qID("subject_id", "employer or mission"), qID("mission_id", "mission"))},
	"GET /api/v1/reports/compliance": {Summary: "The compliance report for a period (small counts suppressed for auditors)", Tag: "reports",
		Response: models.Report{}, Binary: append(slices.Clone(csvBody), pdfBody...),
		Query: []queryParam{{Name: "from", Description: "first day of the period", Schema: &oaSchema{Type: "string", Format: "date"}, Required: true},
			{Name: "to", Description: "last day of the period", Schema: &oaSchema{Type: "string", Format: "date"}, Required: true},
			qID("mission_id", "one mission (default: all)"), qEnum("format", "json (default), csv or pdf", models.ReportFormats)}},

	"GET /api/v1/policies":  {Summary: "List policy versions", Tag: "policies", Response: listBody[models.Policy]{}, Query: paged()},
	"POST /api/v1/policies": {Summary: "Create a policy version", Tag: "policies", Request: models.PolicyInput{}, Response: models.Policy{}, Status: 201, Errors: []int{409}},
	"GET /api/v1/policies/current": {Summary: "The policy version in force", Tag: "policies", Response: models.Policy{},
		Query: []queryParam{qDate("on", "in force on this date (default: today)")}, Errors: []int{404}},
	"GET /api/v1/policies/:id":          {Summary: "Get a policy version", Tag: "policies", Response: models.Policy{}},
	"GET /api/v1/policies/:id/affected": {Summary: "Employments whose current contract breaks this version", Tag: "policies", Response: listBody[models.AffectedEmployment]{}},

	"GET /api/v1/users":       {Summary: "List accounts", Tag: "users", Response: listBody[accountView]{}, Query: paged()},
	"POST /api/v1/users":      {Summary: "Create an account", Tag: "users", Request: userRequest{}, Response: accountView{}, Status: 201, Errors: []int{409}},
	"GET /api/v1/users/:id":   {Summary: "Get an account", Tag: "users", Response: accountView{}},
	"PATCH /api/v1/users/:id": {Summary: "Disable or enable an account", Tag: "users", Request: models.UserUpdate{}, Response: accountView{}, Errors: []int{409}},
	"GET /api/v1/audit": {Summary: "Read the audit trail", Tag: "audit", Response: auditList{},
		Query: []queryParam{qID("actor_id", "actor"), qText("object_type", "object type"), qID("object_id", "object"),
			qText("action", "action"), {Name: "after_seq", Description: `the "next" of the previous page`, Schema: &oaSchema{Type: "integer", Minimum: ptrTo(0.0)}},
			qInt("limit", "page size (default 100)", 1, 1000)}},
}

// openAPI serves the document.
func (s *Server) openAPI(c *gin.Context) {
	b, err := openAPIJSON(s.table())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "application/json; charset=utf-8", b)
}

var openAPICache struct {
	once sync.Once
	b    []byte
	err  error
}

// openAPIJSON returns the document for the route table, built once (the
// route table is the same for every server).
func openAPIJSON(routes []route) ([]byte, error) {
	openAPICache.once.Do(func() {
		defer func() {
			if v := recover(); v != nil { // a type the generator cannot describe; the test names it
				openAPICache.err = fmt.Errorf("api: openapi: %v", v)
			}
		}()
		openAPICache.b, openAPICache.err = json.Marshal(buildOpenAPI(routes, apiDocs))
	})
	return openAPICache.b, openAPICache.err
}

// The document's types: the subset of OpenAPI 3.0 the registry uses.

type oaDocument struct {
	OpenAPI    string                             `json:"openapi"`
	Info       oaInfo                             `json:"info"`
	Tags       []oaTag                            `json:"tags"`
	Paths      map[string]map[string]*oaOperation `json:"paths"`
	Components oaComponents                       `json:"components"`
}

type oaInfo struct {
	Title       string `json:"title"`
	Version     string `json:"version"`
	Description string `json:"description"`
}

type oaTag struct {
	Name string `json:"name"`
}

type oaComponents struct {
	Schemas         map[string]*oaSchema        `json:"schemas"`
	Responses       map[string]*oaResponse      `json:"responses"`
	SecuritySchemes map[string]oaSecurityScheme `json:"securitySchemes"`
}

type oaSecurityScheme struct {
	Type        string `json:"type"`
	Scheme      string `json:"scheme,omitempty"`
	In          string `json:"in,omitempty"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
}

type oaOperation struct {
	OperationID string                 `json:"operationId"`
	Summary     string                 `json:"summary"`
	Description string                 `json:"description"`
	Tags        []string               `json:"tags"`
	Parameters  []oaParameter          `json:"parameters,omitempty"`
	RequestBody *oaRequestBody         `json:"requestBody,omitempty"`
	Responses   map[string]*oaResponse `json:"responses"`
	Security    []map[string][]string  `json:"security"`
	Roles       []string               `json:"x-roles"`
}

type oaParameter struct {
	Name        string    `json:"name"`
	In          string    `json:"in"`
	Description string    `json:"description,omitempty"`
	Required    bool      `json:"required"`
	Schema      *oaSchema `json:"schema"`
}

type oaRequestBody struct {
	Required bool                   `json:"required"`
	Content  map[string]oaMediaType `json:"content"`
}

type oaResponse struct {
	Ref         string                 `json:"$ref,omitempty"`
	Description string                 `json:"description,omitempty"`
	Content     map[string]oaMediaType `json:"content,omitempty"`
}

type oaMediaType struct {
	Schema *oaSchema `json:"schema"`
}

type oaSchema struct {
	Ref                  string               `json:"$ref,omitempty"`
	Type                 string               `json:"type,omitempty"`
	Format               string               `json:"format,omitempty"`
	Description          string               `json:"description,omitempty"`
	Pattern              string               `json:"pattern,omitempty"`
	Enum                 []string             `json:"enum,omitempty"`
	Nullable             bool                 `json:"nullable,omitempty"`
	Minimum              *float64             `json:"minimum,omitempty"`
	Maximum              *float64             `json:"maximum,omitempty"`
	MaxLength            *int                 `json:"maxLength,omitempty"`
	Items                *oaSchema            `json:"items,omitempty"`
	Properties           map[string]*oaSchema `json:"properties,omitempty"`
	Required             []string             `json:"required,omitempty"`
	AdditionalProperties any                  `json:"additionalProperties,omitempty"` // false or *oaSchema
	AllOf                []*oaSchema          `json:"allOf,omitempty"`
}

// Security scheme names.
const (
	secBearer  = "bearerToken"
	secSession = "sessionCookie"
)

// errorStatusText describes each documented error status.
var errorStatusText = map[int]string{
	400: "Bad request: malformed JSON, unknown field, wrong type or bad query parameter (fields names each).",
	401: "Not authenticated: no, or no valid, credentials.",
	403: "Forbidden: the caller's role may not do this, or a cross-origin request.",
	404: "Not found (also a record outside a mission account's own mission).",
	409: "Conflict with the record's current state.",
	413: "Request body too large.",
	422: "The input breaks a rule (fields names each failing field).",
	429: "Too many attempts; see Retry-After.",
	500: "Internal error (logged without personal data).",
	503: "Unavailable: not ready, or documents cannot be issued until configured.",
}

// buildOpenAPI generates the document: one operation per entry of docs,
// with its roles from the matching route of the table. An entry with no
// route gets no x-roles; a route with no entry is left out. The test
// refuses both.
func buildOpenAPI(routes []route, docs map[string]routeDoc) *oaDocument {
	g := newSchemaGen()
	doc := &oaDocument{
		OpenAPI: "3.0.3",
		Info: oaInfo{Title: "PDW Registry API", Version: "1",
			Description: "Registry of private domestic workers employed by diplomats. JSON under /api/v1; " +
				"every error is {\"error\": {\"code\", \"message\", \"fields\"}}. Authenticate with a personal API token " +
				"(Authorization: Bearer) or the session cookie set by POST /api/v1/auth/login. Each operation's x-roles " +
				"lists the roles that may call it (empty: public)."},
		Paths: map[string]map[string]*oaOperation{},
		Components: oaComponents{
			Schemas: g.schemas,
			SecuritySchemes: map[string]oaSecurityScheme{
				secBearer: {Type: "http", Scheme: "bearer", Description: "a personal API token (POST /api/v1/tokens or pdw token create)"},
				secSession: {Type: "apiKey", In: "cookie", Name: SessionCookie,
					Description: "the session cookie set by POST /api/v1/auth/login; same-origin requests only"},
			},
		},
	}
	for _, t := range apiTags {
		doc.Tags = append(doc.Tags, oaTag{Name: t})
	}
	byKey := map[string]route{}
	for _, r := range routes {
		byKey[r.method+" "+r.path] = r
	}
	errRef := g.ref(reflect.TypeFor[errorBody](), false)
	doc.Components.Responses = map[string]*oaResponse{}
	for status, text := range errorStatusText {
		doc.Components.Responses[errorResponseName(status)] = &oaResponse{Description: text,
			Content: map[string]oaMediaType{"application/json": {Schema: errRef}}}
	}
	opIDs := map[string]bool{}
	keys := make([]string, 0, len(docs))
	for k := range docs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		d := docs[key]
		method, path, _ := strings.Cut(key, " ")
		r, known := byKey[key]
		op := &oaOperation{Summary: d.Summary, Tags: []string{d.Tag}, Responses: map[string]*oaResponse{},
			Security: []map[string][]string{}, Roles: []string{}}
		op.OperationID = strings.ToLower(method) + strings.NewReplacer("/", "_", ":", "", ".", "_", "-", "_").Replace(path)
		if known {
			if name := handlerName(r.handle, ""); name != "" && !opIDs[name] {
				op.OperationID = name
			}
			opIDs[op.OperationID] = true
			op.Roles = slices.Clone(r.roles)
			if op.Roles == nil {
				op.Roles = []string{}
			}
		}
		var desc []string
		if d.Description != "" {
			desc = append(desc, d.Description)
		}
		errs := map[int]bool{403: true, 500: true}
		switch {
		case !known:
			desc = append(desc, "Not in the route table.")
		case r.roles == nil:
			desc = append(desc, "Public: no credentials needed.")
		default:
			desc = append(desc, "Roles: "+strings.Join(r.roles, ", ")+".")
			op.Security = []map[string][]string{{secBearer: {}}, {secSession: {}}}
			errs[401] = true
		}
		op.Description = strings.Join(desc, " ")

		// Path parameters, Gin style ":name" or "*name".
		segs := strings.Split(path, "/")
		for i, s := range segs {
			if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") {
				name := s[1:]
				segs[i] = "{" + name + "}"
				op.Parameters = append(op.Parameters, oaParameter{Name: name, In: "path", Required: true, Schema: &oaSchema{Type: "string"}})
				errs[404] = true
			}
		}
		oaPath := strings.Join(segs, "/")
		for _, q := range d.Query {
			op.Parameters = append(op.Parameters, oaParameter{Name: q.Name, In: "query", Description: q.Description, Required: q.Required, Schema: q.Schema})
			errs[400] = true
		}
		if d.Request != nil {
			op.RequestBody = &oaRequestBody{Required: true, Content: map[string]oaMediaType{
				"application/json": {Schema: g.ref(reflect.TypeOf(d.Request), true)}}}
			errs[400], errs[413], errs[422] = true, true, true
		}

		status := d.Status
		if status == 0 {
			status = http.StatusOK
		}
		ok := &oaResponse{Description: http.StatusText(status)}
		if d.Response != nil || len(d.Binary) > 0 {
			ok.Content = map[string]oaMediaType{}
		}
		if d.Response != nil {
			ok.Content["application/json"] = oaMediaType{Schema: g.ref(reflect.TypeOf(d.Response), false)}
		}
		for _, ct := range d.Binary {
			ok.Content[ct] = oaMediaType{Schema: &oaSchema{Type: "string", Format: "binary"}}
		}
		op.Responses[strconv.Itoa(status)] = ok
		for _, also := range d.AlsoOK {
			op.Responses[strconv.Itoa(also)] = &oaResponse{Description: http.StatusText(also), Content: ok.Content}
		}
		for _, s := range d.Errors {
			errs[s] = true
		}
		for s := range errs {
			resp := &oaResponse{Ref: "#/components/responses/" + errorResponseName(s)}
			if key == "GET /readyz" && s == http.StatusServiceUnavailable {
				resp = &oaResponse{Description: "Not ready.", Content: ok.Content}
			}
			op.Responses[strconv.Itoa(s)] = resp
		}
		if doc.Paths[oaPath] == nil {
			doc.Paths[oaPath] = map[string]*oaOperation{}
		}
		doc.Paths[oaPath][strings.ToLower(method)] = op
	}
	// Error codes are the models codes plus the router's own.
	if e := g.schemas["ErrorDetail"]; e != nil {
		codes := []string{"method_not_allowed"}
		for c := range statuses {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		e.Properties["code"].Enum = codes
	}
	return doc
}

// errorResponseName names the shared response of an error status
// ("Conflict" for 409).
func errorResponseName(status int) string {
	return strings.NewReplacer(" ", "", "-", "").Replace(http.StatusText(status))
}

// handlerName returns the method name of a handler ("listMissions"), or def.
func handlerName(h gin.HandlerFunc, def string) string {
	f := runtime.FuncForPC(reflect.ValueOf(h).Pointer())
	if f == nil {
		return def
	}
	name := f.Name() // ".../api.(*Server).listMissions-fm"
	name = name[strings.LastIndexByte(name, '.')+1:]
	name = strings.TrimSuffix(name, "-fm")
	if name == "" || strings.HasPrefix(name, "func") {
		return def
	}
	return name
}

// schemaGen turns Go types into JSON schemas by reflection, following
// encoding/json: json tag names, "-" skipped, embedded structs flattened.
// In a response schema every field is required except omitempty ones;
// pointers, slices and maps are nullable (Go writes nil ones as null).
// Request schemas require nothing: the server names each missing field in
// its 422. Objects refuse unknown properties (requests: the decoder refuses
// them; responses: the Go type has no others).
type schemaGen struct {
	schemas map[string]*oaSchema
	names   map[reflect.Type]string // by type and mode
	reqs    map[reflect.Type]string
}

func newSchemaGen() *schemaGen {
	return &schemaGen{schemas: map[string]*oaSchema{}, names: map[reflect.Type]string{}, reqs: map[reflect.Type]string{}}
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	policyType = reflect.TypeFor[models.Policy]()
	termsType  = reflect.TypeFor[models.Terms]()

	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// schemaNames overrides the component name of a type.
var schemaNames = map[reflect.Type]string{reflect.TypeFor[errorBody](): "Error"}

// decimalPattern is how amounts are written ("1200.00").
const decimalPattern = `^-?[0-9]+(\.[0-9]+)?$`

// decimalFields are the properties a type's MarshalJSON adds to its struct
// fields: Policy and Terms write their minor-unit amounts as decimal
// strings in their currency.
var decimalFields = map[reflect.Type]string{
	policyType: "min_monthly_net_wage",
	termsType:  "monthly_net_wage",
}

// ref returns a schema for t: a $ref to a named component for structs,
// inline otherwise.
var (
	rawJSONType = reflect.TypeFor[json.RawMessage]()
	cellType    = reflect.TypeFor[models.Cell]()
)

func (g *schemaGen) ref(t reflect.Type, request bool) *oaSchema {
	switch t {
	case timeType:
		return &oaSchema{Type: "string", Format: "date-time"}
	case dateType:
		return &oaSchema{Type: "string", Format: "date"}
	case rawJSONType:
		return &oaSchema{} // any JSON value (an interview answer: yes/no, number or choice)
	case cellType:
		return &oaSchema{Nullable: true, Description: `a report figure: a number, null (no value), or "<5" for a count hidden from an auditor`}
	}
	if _, special := decimalFields[t]; !special && t.Kind() != reflect.Pointer &&
		(t.Implements(jsonMarshalerType) || t.Implements(textMarshalerType) ||
			reflect.PointerTo(t).Implements(jsonMarshalerType) && t.Kind() == reflect.Struct) {
		panic(fmt.Sprintf("openapi: %s has its own JSON form: add a case to schemaGen.ref", t))
	}
	if _, special := decimalFields[t]; !special && request && t.Kind() != reflect.Pointer &&
		(reflect.PointerTo(t).Implements(jsonUnmarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType)) {
		panic(fmt.Sprintf("openapi: %s reads its own JSON form: add a case to schemaGen.ref", t))
	}
	switch t.Kind() {
	case reflect.Pointer:
		s := g.ref(t.Elem(), request)
		return nullable(s)
	case reflect.Bool:
		return &oaSchema{Type: "boolean"}
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint8, reflect.Uint16:
		return &oaSchema{Type: "integer", Format: "int32"}
	case reflect.Int, reflect.Uint, reflect.Uint32:
		return &oaSchema{Type: "integer"}
	case reflect.Int64, reflect.Uint64:
		return &oaSchema{Type: "integer", Format: "int64"}
	case reflect.Float32, reflect.Float64:
		return &oaSchema{Type: "number"}
	case reflect.String:
		return &oaSchema{Type: "string"}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return &oaSchema{Type: "string", Format: "byte", Nullable: t.Kind() == reflect.Slice}
		}
		return &oaSchema{Type: "array", Items: g.ref(t.Elem(), request), Nullable: t.Kind() == reflect.Slice}
	case reflect.Map:
		return &oaSchema{Type: "object", AdditionalProperties: g.ref(t.Elem(), request), Nullable: true}
	case reflect.Interface:
		return &oaSchema{}
	case reflect.Struct:
		return g.component(t, request)
	}
	panic(fmt.Sprintf("openapi: no schema for %s", t))
}

// nullable marks s as accepting null; a $ref is wrapped, since siblings of
// $ref are ignored in OpenAPI 3.0.
func nullable(s *oaSchema) *oaSchema {
	if s.Ref != "" {
		return &oaSchema{AllOf: []*oaSchema{s}, Nullable: true}
	}
	s.Nullable = true
	return s
}

// component registers the struct t under a name and returns its $ref.
func (g *schemaGen) component(t reflect.Type, request bool) *oaSchema {
	names := g.names
	if request {
		names = g.reqs
	}
	if n, ok := names[t]; ok {
		return &oaSchema{Ref: "#/components/schemas/" + n}
	}
	name := schemaName(t)
	if n, ok := schemaNames[t]; ok {
		name = n
	}
	if request {
		if _, taken := g.schemas[name]; taken {
			name += "Request"
		}
	}
	for i := 2; g.schemas[name] != nil; i++ {
		name = schemaName(t) + strconv.Itoa(i)
	}
	names[t] = name
	s := &oaSchema{Type: "object", Properties: map[string]*oaSchema{}, AdditionalProperties: false}
	g.schemas[name] = s // before the fields: types may refer to themselves
	if isListBody(t) {
		// list() never writes a null items array.
		s.Properties["items"] = &oaSchema{Type: "array", Items: g.ref(t.Field(0).Type.Elem(), request)}
		s.Properties["next"] = &oaSchema{Type: "string", Nullable: true,
			Description: `cursor for ?after= of the next page; null on the last page`}
		s.Required = []string{"items", "next"}
		return &oaSchema{Ref: "#/components/schemas/" + name}
	}
	g.fields(s, t, request)
	if f, ok := decimalFields[t]; ok {
		s.Properties[f] = &oaSchema{Type: "string", Pattern: decimalPattern, Description: "amount in the currency, e.g. \"1200.00\""}
		if !request {
			s.Required = append(s.Required, f)
		}
	}
	sort.Strings(s.Required)
	return &oaSchema{Ref: "#/components/schemas/" + name}
}

// fields adds t's JSON fields to s (embedded structs flattened; the outer
// field wins on a name clash, as in encoding/json for shallower fields).
func (g *schemaGen) fields(s *oaSchema, t reflect.Type, request bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				if _, special := decimalFields[et]; special {
					panic(fmt.Sprintf("openapi: %s embeds %s, whose MarshalJSON would replace the outer type's: add a case", t, et))
				}
				inner := &oaSchema{Properties: map[string]*oaSchema{}}
				g.fields(inner, et, request)
				for k, v := range inner.Properties {
					if _, taken := s.Properties[k]; !taken {
						s.Properties[k] = v
						if slices.Contains(inner.Required, k) {
							s.Required = append(s.Required, k)
						}
					}
				}
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, taken := s.Properties[name]; taken {
			delete(s.Properties, name) // re-added below: this field is shallower
			s.Required = slices.DeleteFunc(s.Required, func(r string) bool { return r == name })
		}
		s.Properties[name] = g.ref(ft, request)
		omit := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
		if !request && !omit {
			s.Required = append(s.Required, name)
		}
	}
}

func isListBody(t reflect.Type) bool {
	return t.PkgPath() == reflect.TypeFor[listBody[int]]().PkgPath() && strings.HasPrefix(t.Name(), "listBody[")
}

// schemaName names a component after its Go type: "Employer",
// "MissionView", "MissionViewList" for listBody[missionView].
func schemaName(t reflect.Type) string {
	if isListBody(t) {
		return schemaName(t.Field(0).Type.Elem()) + "List"
	}
	n := t.Name()
	if i := strings.IndexByte(n, '['); i >= 0 {
		n = n[:i]
	}
	if n == "" {
		n = "Object"
	}
	return strings.ToUpper(n[:1]) + n[1:]
}
