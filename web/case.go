package web

import (
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// showCases lists the cases (office), with filters.
func (w *Web) showCases(c *gin.Context) {
	q, p, ok := w.filters(c, "status", "priority", "assigned_to", "employment_id")
	if !ok {
		return
	}
	cs, next, err := w.store.FindCases(c.Request.Context(), models.CaseFilter{Status: q["status"], Priority: q["priority"],
		AssignedTo: q["assigned_to"], EmploymentID: q["employment_id"], Page: p})
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "cases", "cases.title", listPage[models.Case]{Items: cs, Next: next, Query: q,
		Options: map[string]any{"statuses": models.CaseStatuses, "priorities": models.CasePriorities}})
}

// caseDetail is a case with its timeline of actions, its referrals and
// the choices of its forms.
type caseDetail struct {
	Case          *models.Case
	Actions       []models.CaseAction
	Referrals     []models.Referral
	Organisations []models.Organisation
	OrgNames      map[string]string
	Statuses      []string
	Priorities    []string
	Outcomes      []string
	ActionKinds   []string
	Me            string
}

func (w *Web) caseDetail(c *gin.Context, id string) (*caseDetail, error) {
	ctx := c.Request.Context()
	cs, acts, err := w.store.FindCaseByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &caseDetail{Case: cs, Actions: acts, Priorities: models.CasePriorities, Outcomes: models.CaseOutcomes,
		ActionKinds: models.ManualActionKinds, OrgNames: map[string]string{}}
	if u := user(c); u != nil {
		d.Me = u.ID
	}
	for _, s := range models.CaseStatuses {
		if models.CanCaseTransition(cs.Status, s) {
			d.Statuses = append(d.Statuses, s)
		}
	}
	if d.Referrals, _, err = w.store.FindReferrals(ctx, models.ReferralFilter{CaseID: id, Page: models.Page{Limit: models.MaxPageLimit}}); err != nil {
		return nil, err
	}
	active := true
	if d.Organisations, _, err = w.store.FindOrganisations(ctx, models.OrganisationFilter{Active: &active, Page: models.Page{Limit: models.MaxPageLimit}}); err != nil {
		return nil, err
	}
	for _, o := range d.Organisations {
		d.OrgNames[o.ID] = o.Name
	}
	for _, r := range d.Referrals {
		if d.OrgNames[r.OrganisationID] == "" {
			if o, err := w.store.FindOrganisationByID(ctx, r.OrganisationID); err == nil {
				d.OrgNames[o.ID] = o.Name
			}
		}
	}
	return d, nil
}

func (w *Web) showCase(c *gin.Context) {
	id, ok := w.pathID(c, "case")
	if !ok {
		return
	}
	d, err := w.caseDetail(c, id)
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "case", "cases.one", d)
}

// caseFormError shows the case page again with the error of one of its forms.
func (w *Web) caseFormError(c *gin.Context, id string, err error) {
	d, derr := w.caseDetail(c, id)
	if derr != nil {
		w.fail(c, derr)
		return
	}
	w.formError(c, "case", "cases.one", d, err)
}

// saveCase assigns the case, changes its status or priority, or closes
// it with an outcome. Only the fields changed are sent to the store.
func (w *Web) saveCase(c *gin.Context) {
	id, ok := w.pathID(c, "case")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	cs, _, err := w.store.FindCaseByID(ctx, id)
	if err != nil {
		w.fail(c, err)
		return
	}
	f := newForm(c.Request.PostForm)
	var upd models.CaseUpdate
	cur := deref(cs.AssignedTo)
	if _, sent := c.Request.PostForm["assigned_to"]; sent {
		if a := f.str("assigned_to"); a != cur {
			upd.AssignedTo = &a
		}
	}
	if s := f.str("status"); s != "" && s != cs.Status {
		upd.Status = &s
	}
	if p := f.str("priority"); p != "" && p != cs.Priority {
		upd.Priority = &p
	}
	if o := f.str("outcome"); o != "" {
		upd.Outcome = &o
	}
	upd.Note = f.str("note")
	err = f.err()
	if err == nil {
		_, err = w.store.UpdateCase(ctx, id, upd)
	}
	if err != nil {
		w.caseFormError(c, id, err)
		return
	}
	redirect(c, "/cases/"+id)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// saveCaseAction adds a call, visit, note... to the case's timeline.
func (w *Web) saveCaseAction(c *gin.Context) {
	id, ok := w.pathID(c, "case")
	if !ok {
		return
	}
	f := newForm(c.Request.PostForm)
	in := models.ActionInput{Kind: f.str("kind"), Note: f.str("note")}
	err := f.err()
	if err == nil {
		_, err = w.store.AddCaseAction(c.Request.Context(), id, in)
	}
	if err != nil {
		w.caseFormError(c, id, err)
		return
	}
	redirect(c, "/cases/"+id+"#actions")
}

// saveReferral refers the case to an organisation: with the worker's
// consent (recorded by an officer), or without it to an emergency
// organisation, with a reason.
func (w *Web) saveReferral(c *gin.Context) {
	id, ok := w.pathID(c, "case")
	if !ok {
		return
	}
	f := newForm(c.Request.PostForm)
	in := models.ReferralInput{CaseID: id, OrganisationID: f.str("organisation_id"), Consent: f.check("consent"),
		Reason: f.str("reason")}
	if *in.Consent {
		in.ConsentRecordedBy = f.str("consent_recorded_by")
	}
	err := f.err()
	if err == nil {
		_, err = w.store.CreateReferral(c.Request.Context(), in)
	}
	if err != nil {
		w.caseFormError(c, id, err)
		return
	}
	redirect(c, "/cases/"+id+"#referrals")
}

// downloadReferral serves a referral's export (JSON) as the API does.
func (w *Web) downloadReferral(c *gin.Context) {
	id, ok := w.pathID(c, "referral")
	if !ok {
		return
	}
	office := w.srv.Options().OfficePlace
	if d := w.srv.Options().Documents; d != nil && d.Help.Office.Name != "" {
		office = d.Help.Office.Name
	}
	if office == "" {
		office = "Protocol office"
	}
	x, err := w.store.ExportReferral(c.Request.Context(), id, office)
	if err != nil {
		w.fail(c, err)
		return
	}
	b, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		w.fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="referral-`+id+`.json"`)
	c.Data(http.StatusOK, "application/json; charset=utf-8", b)
}

// showOrganisations lists the referral organisations (office); admins
// add new ones.
func (w *Web) showOrganisations(c *gin.Context) {
	q, p, ok := w.filters(c, "kind")
	if !ok {
		return
	}
	w.organisationsPage(c, q, p, http.StatusOK, nil)
}

func (w *Web) organisationsPage(c *gin.Context, q map[string]string, p models.Page, status int, ferr error) {
	orgs, next, err := w.store.FindOrganisations(c.Request.Context(), models.OrganisationFilter{Kind: q["kind"], Page: p})
	if err != nil {
		w.fail(c, err)
		return
	}
	data := listPage[models.Organisation]{Items: orgs, Next: next, Query: q, Options: map[string]any{"kinds": models.OrganisationKinds}}
	if ferr != nil {
		w.formError(c, "organisations", "organisations.title", data, ferr)
		return
	}
	w.render(c, status, "organisations", w.newView(c, "organisations.title", data))
}

func (w *Web) saveOrganisation(c *gin.Context) {
	f := newForm(c.Request.PostForm)
	in := models.OrganisationInput{Kind: f.str("kind"), Name: f.str("name"), Email: f.str("email"), Phone: f.str("phone"),
		Languages: f.list("languages"), Emergency: *f.check("emergency")}
	err := f.err()
	if err == nil {
		_, err = w.store.CreateOrganisation(c.Request.Context(), in)
	}
	if err != nil {
		w.organisationsPage(c, map[string]string{}, models.Page{}, 0, err)
		return
	}
	redirect(c, "/organisations")
}

// saveNewCase opens a case on an employment (office); an open case of
// the employment is returned instead of a second one (the store decides).
func (w *Web) saveNewCase(c *gin.Context) {
	f := newForm(c.Request.PostForm)
	in := models.CaseInput{EmploymentID: f.str("employment_id"), Reason: f.str("reason"), Priority: f.str("priority")}
	err := f.err()
	var cs *models.Case
	if err == nil {
		cs, _, err = w.store.CreateCase(c.Request.Context(), in)
	}
	if err != nil {
		if !models.ValidID(in.EmploymentID) {
			w.fail(c, err)
			return
		}
		d, derr := w.employmentDetail(c, in.EmploymentID)
		if derr != nil {
			w.fail(c, derr)
			return
		}
		w.formError(c, "employment", "employments.one", d, err)
		return
	}
	redirect(c, "/cases/"+cs.ID)
}
