package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// showBriefings lists the group rights briefings (office), with the form
// to plan a new one.
func (w *Web) showBriefings(c *gin.Context) {
	q, p, ok := w.filters(c, "status")
	if !ok {
		return
	}
	w.briefingsPage(c, q, p, nil)
}

func (w *Web) briefingsPage(c *gin.Context, q map[string]string, p models.Page, ferr error) {
	bs, next, err := w.store.FindBriefings(c.Request.Context(), models.BriefingFilter{Status: q["status"], Page: p})
	if err != nil {
		w.fail(c, err)
		return
	}
	data := listPage[models.Briefing]{Items: bs, Next: next, Query: q, Options: map[string]any{"statuses": models.BriefingStatuses}}
	if ferr != nil {
		w.formError(c, "briefings", "briefings.title", data, ferr)
		return
	}
	w.render(c, http.StatusOK, "briefings", w.newView(c, "briefings.title", data))
}

// saveBriefing plans a briefing; "invite automatically" invites the
// workers of its language who still need one, up to its capacity.
func (w *Web) saveBriefing(c *gin.Context) {
	f := newForm(c.Request.PostForm)
	in := models.BriefingInput{Room: f.str("room"), Language: f.str("language"), Note: f.str("note")}
	if s := f.str("starts_at"); s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, w.opts.Location)
		if err != nil {
			f.fields.Add("starts_at", "must be a date and time (YYYY-MM-DDTHH:MM)")
		} else {
			in.StartsAt = &t
		}
	}
	if n := f.int("capacity"); n != nil {
		in.Capacity = *n
	}
	if f.v.Get("invite") != "" {
		in.Invite = models.InviteAuto
	}
	err := f.err()
	var b *models.BriefingDetail
	if err == nil {
		b, err = w.store.CreateBriefing(c.Request.Context(), in)
	}
	if err != nil {
		w.briefingsPage(c, map[string]string{}, models.Page{}, err)
		return
	}
	redirect(c, "/briefings/"+b.ID)
}

// showBriefing is one briefing with its attendees.
func (w *Web) showBriefing(c *gin.Context) {
	id, ok := w.pathID(c, "briefing")
	if !ok {
		return
	}
	b, err := w.store.FindBriefing(c.Request.Context(), id)
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "briefing", "briefings.one", b)
}

// sanctionsPage is the sanctions register with the form's choices.
type sanctionsPage struct {
	Items     []models.Sanction
	Next      string
	Query     map[string]string
	Missions  []models.Mission
	Employers []models.Employer
	Names     map[string]string
	Subjects  []string
	Actions   []string
}

func (w *Web) sanctionsData(c *gin.Context, q map[string]string, p models.Page) (*sanctionsPage, error) {
	ctx := c.Request.Context()
	ss, next, err := w.store.FindSanctions(ctx, models.SanctionFilter{MissionID: q["mission_id"], Page: p})
	if err != nil {
		return nil, err
	}
	d := &sanctionsPage{Items: ss, Next: next, Query: q, Missions: w.missionChoices(c), Names: map[string]string{},
		Subjects: models.SanctionSubjects, Actions: models.SanctionActions}
	if d.Employers, _, err = w.store.FindEmployers(ctx, models.EmployerFilter{Page: models.Page{Limit: models.MaxPageLimit}}); err != nil {
		return nil, err
	}
	for _, m := range d.Missions {
		d.Names[m.ID] = m.Name
	}
	for _, e := range d.Employers {
		d.Names[e.ID] = e.FullName
	}
	return d, nil
}

// showSanctions is the sanctions register (office); admins suspend or
// restore an employer's or a mission's eligibility.
func (w *Web) showSanctions(c *gin.Context) {
	q, p, ok := w.filters(c, "mission_id")
	if !ok {
		return
	}
	d, err := w.sanctionsData(c, q, p)
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "sanctions", "sanctions.title", d)
}

func (w *Web) saveSanction(c *gin.Context) {
	f := newForm(c.Request.PostForm)
	in := models.SanctionInput{SubjectKind: f.str("subject_kind"), Action: f.str("action"),
		Reason: f.str("reason"), LegalBasis: f.str("legal_basis")}
	switch in.SubjectKind {
	case models.SubjectEmployer:
		in.SubjectID = f.str("employer_id")
	case models.SubjectMission:
		in.SubjectID = f.str("mission_id")
	}
	err := f.err()
	if err == nil {
		_, err = w.store.CreateSanction(c.Request.Context(), in)
	}
	if err != nil {
		d, derr := w.sanctionsData(c, map[string]string{}, models.Page{})
		if derr != nil {
			w.fail(c, derr)
			return
		}
		if fe := models.ErrorFields(err); fe["subject_id"] != "" {
			// The subject is chosen in the employer's or the mission's list.
			name := "mission_id"
			if in.SubjectKind == models.SubjectEmployer {
				name = "employer_id"
			}
			err = &models.Error{Code: models.ErrorCode(err), Message: models.ErrorMessage(err), Fields: renameField(fe, "subject_id", name)}
		}
		w.formError(c, "sanctions", "sanctions.title", d, err)
		return
	}
	redirect(c, "/sanctions")
}

func renameField(f map[string]string, from, to string) map[string]string {
	out := map[string]string{}
	for k, v := range f {
		if k == from {
			k = to
		}
		out[k] = v
	}
	return out
}
