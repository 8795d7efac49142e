package api

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// Role sets of the route table.
var (
	public    []string // no credentials needed
	anyone    = []string{models.RoleAdmin, models.RoleOfficer, models.RoleMission, models.RoleAuditor}
	admins    = []string{models.RoleAdmin}
	officers  = []string{models.RoleAdmin, models.RoleOfficer}
	registrar = []string{models.RoleAdmin, models.RoleOfficer, models.RoleMission}
	reporters = []string{models.RoleAdmin, models.RoleOfficer, models.RoleAuditor}
)

// route is one row of the route table: every route names the roles that may
// call it, and the role check runs on the server before the handler.
type route struct {
	method, path string
	roles        []string
	handle       gin.HandlerFunc
}

func (s *Server) table() []route {
	return []route{
		{"GET", "/healthz", public, s.healthz},
		{"GET", "/readyz", public, s.readyz},
		{"GET", metricsPath, admins, s.serveMetrics}, // or PDW_METRICS_TOKEN as bearer (metricsScraper)
		{"GET", "/api/v1/openapi.json", public, s.openAPI},

		{"POST", "/api/v1/setup", public, s.setup},
		{"POST", "/api/v1/auth/login", public, s.login},
		{"POST", "/api/v1/auth/logout", anyone, s.logout},
		{"GET", "/api/v1/me", anyone, s.me},
		{"GET", "/api/v1/tokens", anyone, s.listTokens},
		{"POST", "/api/v1/tokens", anyone, s.createToken},
		{"DELETE", "/api/v1/tokens/:id", anyone, s.deleteToken},

		{"GET", "/api/v1/missions", anyone, s.listMissions},
		{"POST", "/api/v1/missions", officers, s.createMission},
		{"GET", "/api/v1/missions/:id", anyone, s.getMission},
		{"PATCH", "/api/v1/missions/:id", officers, s.updateMission},
		{"DELETE", "/api/v1/missions/:id", officers, s.deleteMission},

		{"GET", "/api/v1/employers", registrar, s.listEmployers},
		{"POST", "/api/v1/employers", registrar, s.createEmployer},
		{"GET", "/api/v1/employers/:id", registrar, s.getEmployer},
		{"PATCH", "/api/v1/employers/:id", registrar, s.updateEmployer},
		{"DELETE", "/api/v1/employers/:id", officers, s.deleteEmployer},

		{"GET", "/api/v1/workers", registrar, s.listWorkers},
		{"POST", "/api/v1/workers", registrar, s.createWorker},
		{"GET", "/api/v1/workers/:id", registrar, s.getWorker},
		{"PATCH", "/api/v1/workers/:id", registrar, s.updateWorker},
		{"DELETE", "/api/v1/workers/:id", officers, s.deleteWorker},
		{"GET", "/api/v1/workers/:id/leaflet.pdf", registrar, s.workerLeaflet},
		{"POST", "/api/v1/workers/:id/access-code", officers, s.issueAccessCode},
		{"DELETE", "/api/v1/workers/:id/access-code", officers, s.revokeAccessCode},
		{"GET", "/api/v1/w/:code", public, s.workerPage},       // the code is the credential
		{"POST", "/api/v1/w/:code/help", public, s.workerHelp}, // the code is the credential

		{"GET", "/api/v1/employments", registrar, s.listEmployments},
		{"POST", "/api/v1/employments", registrar, s.createEmployment},
		{"GET", "/api/v1/employments/:id", registrar, s.getEmployment},
		{"PATCH", "/api/v1/employments/:id", registrar, s.updateEmployment},
		{"PUT", "/api/v1/employments/:id/terms", officers, s.updateTerms},
		{"GET", "/api/v1/employments/:id/timeline", registrar, s.timeline},
		{"POST", "/api/v1/employments/:id/evidence", registrar, s.createEvidence},
		{"GET", "/api/v1/employments/:id/evidence", registrar, s.listEvidence},
		{"GET", "/api/v1/employments/:id/evidence/status", officers, s.evidenceStatus},
		{"GET", "/api/v1/evidence/:id/file", registrar, s.evidenceFile},

		{"POST", "/api/v1/employments/:id/contracts", officers, s.createContract},
		{"GET", "/api/v1/employments/:id/contracts", registrar, s.listContracts},
		{"GET", "/api/v1/contracts/:id", registrar, s.getContract},
		{"GET", "/api/v1/contracts/:id/pdf", registrar, s.contractPDF},
		{"POST", "/api/v1/contracts/:id/signatures", officers, s.createSignature},
		{"GET", "/api/v1/contracts/:id/signatures", registrar, s.listSignatures},
		{"GET", "/api/v1/contracts/verify/:code", public, s.verifyContract},

		{"GET", "/api/v1/appointments", registrar, s.listAppointments},
		{"POST", "/api/v1/appointments", officers, s.createAppointment},
		{"GET", "/api/v1/appointments/:id", registrar, s.getAppointment},
		{"PATCH", "/api/v1/appointments/:id", officers, s.updateAppointment},
		{"POST", "/api/v1/appointments/:id/outcome", officers, s.recordOutcome},
		{"GET", "/api/v1/appointments/:id/ics", registrar, s.appointmentICS},
		{"GET", "/api/v1/briefings", officers, s.listBriefings},
		{"POST", "/api/v1/briefings", officers, s.createBriefing},
		{"GET", "/api/v1/briefings/:id", officers, s.getBriefing},
		{"PATCH", "/api/v1/briefings/:id", officers, s.updateBriefing},
		{"POST", "/api/v1/briefings/:id/invitations", officers, s.inviteToBriefing},
		{"POST", "/api/v1/calendar/token", officers, s.createCalendarToken},
		{"GET", "/api/v1/calendar.ics", public, s.calendarFeed}, // its token is in the URL

		{"GET", "/api/v1/checklists/current", officers, s.currentChecklist},
		{"POST", "/api/v1/interviews", officers, s.createInterview},
		{"GET", "/api/v1/interviews/:id", officers, s.getInterview},
		{"GET", "/api/v1/employments/:id/interviews", officers, s.employmentInterviews},

		{"GET", "/api/v1/policies", anyone, s.listPolicies},
		{"POST", "/api/v1/policies", admins, s.createPolicy},
		{"GET", "/api/v1/policies/current", anyone, s.currentPolicy},
		{"GET", "/api/v1/policies/:id", anyone, s.getPolicy},
		{"GET", "/api/v1/policies/:id/affected", officers, s.policyAffected},

		{"GET", "/api/v1/users", admins, s.listUsers},
		{"POST", "/api/v1/users", admins, s.createUser},
		{"GET", "/api/v1/users/:id", admins, s.getUser},
		{"PATCH", "/api/v1/users/:id", admins, s.updateUser},

		{"GET", "/api/v1/audit", admins, s.listAudit},

		{"POST", "/api/v1/sanctions", admins, s.createSanction},
		{"GET", "/api/v1/sanctions", officers, s.listSanctions},
		{"GET", "/api/v1/reports/compliance", reporters, s.complianceReport},
		{"GET", "/api/v1/cases", officers, s.listCases},
		{"POST", "/api/v1/cases", officers, s.createCase},
		{"GET", "/api/v1/cases/:id", officers, s.getCase},
		{"PATCH", "/api/v1/cases/:id", officers, s.updateCase},
		{"POST", "/api/v1/cases/:id/actions", officers, s.addCaseAction},
		{"GET", "/api/v1/organisations", officers, s.listOrganisations},
		{"POST", "/api/v1/organisations", admins, s.createOrganisation},
		{"GET", "/api/v1/organisations/:id", officers, s.getOrganisation},
		{"PATCH", "/api/v1/organisations/:id", admins, s.updateOrganisation},
		{"GET", "/api/v1/referrals", officers, s.listReferrals},
		{"POST", "/api/v1/referrals", officers, s.createReferral},
		{"GET", "/api/v1/referrals/:id", officers, s.getReferral},
		{"GET", "/api/v1/referrals/:id/export", officers, s.exportReferral},
	}
}

func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	if err := e.SetTrustedProxies(s.opts.TrustedProxies); err != nil {
		s.log.Warn("ignoring PDW_TRUSTED_PROXIES", slog.Any("error", err))
		_ = e.SetTrustedProxies(nil)
	}
	e.Use(s.requestID, s.accessLog, newObserver(s.opts.Metrics).observe, s.recovery, s.securityHeaders, s.limitBody)
	for _, r := range s.table() {
		chain := []gin.HandlerFunc{}
		if r.path == metricsPath {
			chain = append(chain, s.metricsScraper)
		}
		if r.roles != nil {
			chain = append(chain, s.authenticate, s.allow(r.roles))
		} else {
			chain = append(chain, s.crossOrigin)
		}
		chain = append(chain, r.handle)
		e.Handle(r.method, r.path, chain...)
	}
	e.NoRoute(func(c *gin.Context) {
		s.writeError(c, models.Errorf(models.ENOTFOUND, "No such route."))
	})
	e.NoMethod(func(c *gin.Context) {
		c.AbortWithStatusJSON(http.StatusMethodNotAllowed, errorBody{Error: errorDetail{
			Code: "method_not_allowed", Message: "This route does not accept that method."}})
	})
	return e
}
