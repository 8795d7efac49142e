package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// CaseStore is what the case and referral routes need from the data layer
// (models/store.DB implements it). Every method refuses (EFORBIDDEN)
// actors other than the protocol office; organisations are written by
// admins only.
type CaseStore interface {
	CreateCase(ctx context.Context, in models.CaseInput) (*models.Case, bool, error)
	FindCaseByID(ctx context.Context, id string) (*models.Case, []models.CaseAction, error)
	FindCases(ctx context.Context, f models.CaseFilter) ([]models.Case, string, error)
	UpdateCase(ctx context.Context, id string, upd models.CaseUpdate) (*models.Case, error)
	AddCaseAction(ctx context.Context, caseID string, in models.ActionInput) (*models.CaseAction, error)

	CreateOrganisation(ctx context.Context, in models.OrganisationInput) (*models.Organisation, error)
	FindOrganisationByID(ctx context.Context, id string) (*models.Organisation, error)
	FindOrganisations(ctx context.Context, f models.OrganisationFilter) ([]models.Organisation, string, error)
	UpdateOrganisation(ctx context.Context, id string, upd models.OrganisationUpdate) (*models.Organisation, error)

	CreateReferral(ctx context.Context, in models.ReferralInput) (*models.Referral, error)
	FindReferralByID(ctx context.Context, id string) (*models.Referral, error)
	FindReferrals(ctx context.Context, f models.ReferralFilter) ([]models.Referral, string, error)
	ExportReferral(ctx context.Context, id, office string) (*models.ReferralExport, error)
}

// caseView is a case with its timeline (GET /cases/:id).
type caseView struct {
	*models.Case
	Actions []models.CaseAction `json:"actions"`
}

func (s *Server) listCases(c *gin.Context) {
	q := newQuery(c)
	f := models.CaseFilter{Status: q.oneOf("status", models.CaseStatuses), Priority: q.oneOf("priority", models.CasePriorities),
		AssignedTo: q.id("assigned_to"), EmploymentID: q.id("employment_id"), Page: q.page()}
	if !s.queryOK(q) {
		return
	}
	cs, next, err := s.store.FindCases(c.Request.Context(), f)
	s.respond(c, http.StatusOK, list(cs, next), err)
}

// createCase opens a case (201), or adds the reason to the employment's
// case that is not closed (200, the existing case).
func (s *Server) createCase(c *gin.Context) {
	var in models.CaseInput
	if !s.bind(c, &in) {
		return
	}
	cs, created, err := s.store.CreateCase(c.Request.Context(), in)
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	s.respond(c, status, cs, err)
}

func (s *Server) getCase(c *gin.Context) {
	id, ok := s.pathID(c, "case")
	if !ok {
		return
	}
	cs, acts, err := s.store.FindCaseByID(c.Request.Context(), id)
	s.respond(c, http.StatusOK, caseView{Case: cs, Actions: acts}, err)
}

// updateCase assigns, reprioritises or moves a case along its life cycle
// ({"assigned_to","priority","status","outcome","note"}).
func (s *Server) updateCase(c *gin.Context) {
	id, ok := s.pathID(c, "case")
	if !ok {
		return
	}
	var upd models.CaseUpdate
	if !s.bind(c, &upd) {
		return
	}
	cs, err := s.store.UpdateCase(c.Request.Context(), id, upd)
	s.respond(c, http.StatusOK, cs, err)
}

func (s *Server) addCaseAction(c *gin.Context) {
	id, ok := s.pathID(c, "case")
	if !ok {
		return
	}
	var in models.ActionInput
	if !s.bind(c, &in) {
		return
	}
	a, err := s.store.AddCaseAction(c.Request.Context(), id, in)
	s.respond(c, http.StatusCreated, a, err)
}

func (s *Server) listOrganisations(c *gin.Context) {
	q := newQuery(c)
	f := models.OrganisationFilter{Kind: q.oneOf("kind", models.OrganisationKinds), Page: q.page()}
	if c.Query("active") != "" {
		v := q.flag("active")
		f.Active = &v
	}
	if !s.queryOK(q) {
		return
	}
	orgs, next, err := s.store.FindOrganisations(c.Request.Context(), f)
	s.respond(c, http.StatusOK, list(orgs, next), err)
}

func (s *Server) createOrganisation(c *gin.Context) {
	var in models.OrganisationInput
	if !s.bind(c, &in) {
		return
	}
	o, err := s.store.CreateOrganisation(c.Request.Context(), in)
	s.respond(c, http.StatusCreated, o, err)
}

func (s *Server) getOrganisation(c *gin.Context) {
	id, ok := s.pathID(c, "organisation")
	if !ok {
		return
	}
	o, err := s.store.FindOrganisationByID(c.Request.Context(), id)
	s.respond(c, http.StatusOK, o, err)
}

func (s *Server) updateOrganisation(c *gin.Context) {
	id, ok := s.pathID(c, "organisation")
	if !ok {
		return
	}
	var upd models.OrganisationUpdate
	if !s.bind(c, &upd) {
		return
	}
	o, err := s.store.UpdateOrganisation(c.Request.Context(), id, upd)
	s.respond(c, http.StatusOK, o, err)
}

func (s *Server) listReferrals(c *gin.Context) {
	q := newQuery(c)
	f := models.ReferralFilter{CaseID: q.id("case_id"), Page: q.page()}
	if !s.queryOK(q) {
		return
	}
	rs, next, err := s.store.FindReferrals(c.Request.Context(), f)
	s.respond(c, http.StatusOK, list(rs, next), err)
}

// createReferral refers a case to an organisation; without the worker's
// recorded consent it is a 422 naming consent, unless the organisation is
// an emergency one and a reason is given.
func (s *Server) createReferral(c *gin.Context) {
	var in models.ReferralInput
	if !s.bind(c, &in) {
		return
	}
	r, err := s.store.CreateReferral(c.Request.Context(), in)
	s.respond(c, http.StatusCreated, r, err)
}

func (s *Server) getReferral(c *gin.Context) {
	id, ok := s.pathID(c, "referral")
	if !ok {
		return
	}
	r, err := s.store.FindReferralByID(c.Request.Context(), id)
	s.respond(c, http.StatusOK, r, err)
}

// exportReferral answers the referral in the documented export format
// (models.ReferralExport; docs/referral-export.md), as a download.
func (s *Server) exportReferral(c *gin.Context) {
	id, ok := s.pathID(c, "referral")
	if !ok {
		return
	}
	office := s.opts.OfficePlace
	if d := s.opts.Documents; d != nil && d.Help.Office.Name != "" {
		office = d.Help.Office.Name
	}
	if office == "" {
		office = "Protocol office"
	}
	x, err := s.store.ExportReferral(c.Request.Context(), id, office)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="referral-`+id+`.json"`)
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, x)
}
