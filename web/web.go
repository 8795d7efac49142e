// Package web is the registry's browser interface: the officer console,
// the mission portal and the worker's private page, rendered on the server
// with html/template from embedded templates and assets (no build step,
// every page usable without JavaScript).
//
// The pages are mounted on the API's Gin engine (Mount) and use the API's
// sessions, roles, login limiter and error mapping; page handlers stay
// thin and call the same store methods as the JSON handlers. Every form
// carries a CSRF token and every page a Content-Security-Policy without
// inline scripts or styles.
package web

import (
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/api"
	"github.com/pdw-registry/pdw/models"
)

// Options configures the pages.
type Options struct {
	// Location is the office's time zone, in which dates and times are
	// shown (default UTC).
	Location *time.Location
	// QuickExitURL is the neutral site the worker page's quick-exit button
	// leaves to (default a weather search).
	QuickExitURL string
}

// DefaultQuickExitURL is where the quick-exit button leads by default.
const DefaultQuickExitURL = "https://www.google.com/search?q=weather"

// Web holds the pages' dependencies.
type Web struct {
	srv    *api.Server
	store  api.Store
	opts   Options
	pages  map[string]*template.Template
	assets *assets
	text   *catalog
}

// Role sets of the page table (as in the API's route table).
var (
	public    []string
	anyone    = []string{models.RoleAdmin, models.RoleOfficer, models.RoleMission, models.RoleAuditor}
	admins    = []string{models.RoleAdmin}
	officers  = []string{models.RoleAdmin, models.RoleOfficer}
	registrar = []string{models.RoleAdmin, models.RoleOfficer, models.RoleMission}
	reporters = []string{models.RoleAdmin, models.RoleOfficer, models.RoleAuditor}
)

// page is one row of the page table: every page names the roles that may
// open it, checked on the server before the handler.
type page struct {
	method, path string
	roles        []string
	handle       gin.HandlerFunc
}

// table lists every page and form target. New pages (interviews, cases,
// reports) are added here, with a template in templates/pages and their
// roles; the page x role matrix test fails for a page it does not expect.
func (w *Web) table() []page {
	return []page{
		{"GET", "/static/:hash/*file", public, w.serveAsset},
		{"GET", "/login", public, w.showLogin},
		{"POST", "/login", public, w.saveLogin},
		{"GET", "/setup", public, w.showSetup},
		{"POST", "/setup", public, w.saveSetup},
		{"POST", "/logout", anyone, w.saveLogout},

		{"GET", "/", anyone, w.showDashboard},
		{"GET", "/account", anyone, w.showAccount},
		{"POST", "/account/language", anyone, w.saveLanguage},
		{"POST", "/account/tokens", anyone, w.saveToken},
		{"POST", "/account/tokens/:id/delete", anyone, w.deleteToken},

		{"GET", "/missions", officers, w.showMissions},
		{"GET", "/missions/new", officers, w.showMissionNew},
		{"POST", "/missions", officers, w.saveMission},
		{"GET", "/missions/:id", officers, w.showMission},

		{"GET", "/employers", registrar, w.showEmployers},
		{"GET", "/employers/new", registrar, w.showEmployerNew},
		{"POST", "/employers", registrar, w.saveEmployer},
		{"GET", "/employers/:id", registrar, w.showEmployer},

		{"GET", "/workers", registrar, w.showWorkers},
		{"GET", "/workers/new", registrar, w.showWorkerNew},
		{"POST", "/workers", registrar, w.saveWorker},
		{"GET", "/workers/:id", registrar, w.showWorker},
		{"POST", "/workers/:id/access-code", officers, w.saveAccessCode},

		{"GET", "/employments", registrar, w.showEmployments},
		{"GET", "/employments/new", registrar, w.showNotify},
		{"POST", "/employments", registrar, w.saveNotify},
		{"GET", "/employments/:id", registrar, w.showEmployment},
		{"POST", "/employments/:id", registrar, w.saveEmployment},
		{"POST", "/employments/:id/contracts", officers, w.saveContract},
		{"GET", "/contracts/:id/pdf", registrar, w.downloadContract},
		{"POST", "/contracts/:id/signatures", officers, w.saveSignature},

		{"GET", "/appointments", registrar, w.showWeek},
		{"GET", "/appointments/unplaced", officers, w.showUnplaced},
		{"GET", "/appointments/:id", registrar, w.showAppointment},
		{"POST", "/appointments/:id/outcome", officers, w.saveOutcome},
		{"GET", "/appointments/:id/interview", officers, w.showInterviewForm},
		{"POST", "/appointments/:id/interview", officers, w.saveInterview},
		{"GET", "/interviews/:id", officers, w.showInterview},
		{"POST", "/employments/:id/evidence", registrar, w.saveEvidence},

		{"GET", "/cases", officers, w.showCases},
		{"POST", "/cases", officers, w.saveNewCase},
		{"GET", "/cases/:id", officers, w.showCase},
		{"POST", "/cases/:id", officers, w.saveCase},
		{"POST", "/cases/:id/actions", officers, w.saveCaseAction},
		{"POST", "/cases/:id/referrals", officers, w.saveReferral},
		{"GET", "/referrals/:id/export", officers, w.downloadReferral},
		{"GET", "/organisations", officers, w.showOrganisations},
		{"POST", "/organisations", admins, w.saveOrganisation},

		{"GET", "/briefings", officers, w.showBriefings},
		{"POST", "/briefings", officers, w.saveBriefing},
		{"GET", "/briefings/:id", officers, w.showBriefing},
		{"GET", "/sanctions", officers, w.showSanctions},
		{"POST", "/sanctions", admins, w.saveSanction},

		{"GET", "/reports/compliance", reporters, w.showReport},

		{"GET", "/policies", anyone, w.showPolicies},
		{"GET", "/policies/:id", anyone, w.showPolicy},

		{"GET", "/users", admins, w.showUsers},
		{"POST", "/users", admins, w.saveUser},
		{"GET", "/audit", admins, w.showAudit},

		{"GET", "/w/:code", public, w.showWorkerPage},
		{"POST", "/w/:code/help", public, w.saveWorkerHelp},
		{"GET", "/w/:code/contract.pdf", public, w.downloadWorkerContract},
		{"GET", "/w/:code/leaflet.pdf", public, w.downloadWorkerLeaflet},
	}
}

// Mount builds the pages and registers them on the API server's engine,
// behind the same global middleware (request ids, access log, recovery,
// security headers, body limit).
func Mount(srv *api.Server, opts Options) (*Web, error) {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.QuickExitURL == "" {
		opts.QuickExitURL = DefaultQuickExitURL
	}
	w := &Web{srv: srv, store: srv.Store(), opts: opts}
	var err error
	if w.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if w.text, err = loadCatalog(); err != nil {
		return nil, err
	}
	if w.pages, err = w.parseTemplates(); err != nil {
		return nil, err
	}
	e := srv.Handler()
	for _, p := range w.table() {
		chain := []gin.HandlerFunc{w.pageHeaders}
		if p.roles != nil {
			chain = append(chain, w.authenticate, w.allow(p.roles))
		}
		if p.method == http.MethodPost {
			chain = append(chain, w.checkCSRF)
		}
		chain = append(chain, p.handle)
		e.Handle(p.method, p.path, chain...)
	}
	// An unknown address: the API's JSON error under /api/, a page elsewhere.
	e.NoRoute(func(c *gin.Context) {
		if strings.HasPrefix(c.Request.URL.Path, "/api/") {
			srv.WriteError(c, models.Errorf(models.ENOTFOUND, "No such route."))
			return
		}
		w.pageHeaders(c)
		w.fail(c, models.Errorf(models.ENOTFOUND, "There is no such page."))
	})
	return w, nil
}

// csp is the pages' Content-Security-Policy: scripts, styles and images
// from the registry itself only, nothing inline, no framing.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// pageHeaders sets the pages' security headers. Pages carry personal data:
// no cache keeps them (assets set their own long-lived caching).
func (w *Web) pageHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	c.Next()
}

// authenticate requires a live session (the API's session cookie): a GET
// without one is sent to the login page, a POST gets 401.
func (w *Web) authenticate(c *gin.Context) {
	u, err := w.srv.SessionUser(c)
	if err != nil {
		if models.ErrorCode(err) != models.EUNAUTHORIZED {
			w.fail(c, err)
			return
		}
		if c.Request.Method == http.MethodGet {
			c.Redirect(http.StatusSeeOther, "/login?next="+safeNext(c.Request.URL.RequestURI()))
			c.Abort()
			return
		}
		w.fail(c, err)
		return
	}
	c.Set(ctxUser, u)
	c.Next()
}

// allow lets only the listed roles through (403 page otherwise).
func (w *Web) allow(roles []string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if u := user(c); u == nil || !slices.Contains(roles, u.Role) {
			w.fail(c, models.Errorf(models.EFORBIDDEN, "Your role may not open this page."))
			return
		}
		c.Next()
	}
}

const ctxUser = "pdw.web.user"

func user(c *gin.Context) *models.User {
	v, _ := c.Get(ctxUser)
	u, _ := v.(*models.User)
	return u
}
