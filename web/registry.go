package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// listPage is a list with its filters and the cursor of the next page.
type listPage[T any] struct {
	Items []T
	Next  string
	// Query holds the filters as submitted, for the filter form and the
	// next-page link.
	Query map[string]string
	// Options are the choices of the filter form and of new-record forms.
	Options map[string]any
}

// filters reads the listed query parameters (each at most 200 characters,
// ids checked) and the page cursor.
func (w *Web) filters(c *gin.Context, names ...string) (map[string]string, models.Page, bool) {
	q := map[string]string{}
	fields := models.FieldErrors{}
	for _, n := range append(names, "after") {
		v := c.Query(n)
		if len(v) > 200 {
			fields.Add(n, "must be at most 200 characters")
		}
		if (n == "after" || n == "mission_id" || n == "employer_id" || n == "worker_id") && v != "" && !models.ValidID(v) {
			fields.Add(n, "must be an id")
		}
		q[n] = v
	}
	if len(fields) > 0 {
		w.fail(c, &models.Error{Code: models.EBADREQUEST, Message: "Bad query parameters.", Fields: fields})
		return nil, models.Page{}, false
	}
	return q, models.Page{After: q["after"], Limit: 50}, true
}

// missionChoices lists the missions a form may offer (office users only;
// a mission user's records always belong to its own mission).
func (w *Web) missionChoices(c *gin.Context) []models.Mission {
	if u := user(c); u == nil || u.Role == models.RoleMission {
		return nil
	}
	ms, _, err := w.store.FindMissions(c.Request.Context(), models.MissionFilter{Page: models.Page{Limit: models.MaxPageLimit}})
	if err != nil {
		return nil
	}
	return ms
}

func (w *Web) showMissions(c *gin.Context) {
	q, p, ok := w.filters(c, "q", "kind")
	if !ok {
		return
	}
	ms, next, err := w.store.FindMissions(c.Request.Context(), models.MissionFilter{Query: q["q"], Kind: q["kind"], Page: p})
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "missions", "missions.title", listPage[models.Mission]{Items: ms, Next: next, Query: q,
		Options: map[string]any{"kinds": models.MissionKinds}})
}

func (w *Web) missionForm(c *gin.Context) map[string]any {
	return map[string]any{"kinds": models.MissionKinds}
}

func (w *Web) showMissionNew(c *gin.Context) {
	w.page(c, "mission_new", "missions.new", w.missionForm(c))
}

func (w *Web) saveMission(c *gin.Context) {
	f := newForm(c.Request.PostForm)
	m := &models.Mission{Name: f.str("name"), Kind: f.str("kind"), Country: f.str("country"), FocalPointEmail: f.str("focal_point_email")}
	err := f.err()
	if err == nil {
		err = w.store.CreateMission(c.Request.Context(), m)
	}
	if err != nil {
		w.formError(c, "mission_new", "missions.new", w.missionForm(c), err)
		return
	}
	redirect(c, "/missions/"+m.ID)
}

func (w *Web) showMission(c *gin.Context) {
	id, ok := w.pathID(c, "mission")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	m, err := w.store.FindMissionByID(ctx, id)
	if err != nil {
		w.fail(c, err)
		return
	}
	es, _, err := w.store.FindEmployers(ctx, models.EmployerFilter{MissionID: id, Page: models.Page{Limit: models.MaxPageLimit}})
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "mission", "missions.one", map[string]any{"Mission": m, "Employers": es})
}

func (w *Web) showEmployers(c *gin.Context) {
	q, p, ok := w.filters(c, "q", "mission_id", "rank")
	if !ok {
		return
	}
	es, next, err := w.store.FindEmployers(c.Request.Context(), models.EmployerFilter{Query: q["q"], MissionID: q["mission_id"], Rank: q["rank"], Page: p})
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "employers", "employers.title", listPage[models.Employer]{Items: es, Next: next, Query: q,
		Options: map[string]any{"ranks": models.Ranks, "missions": w.missionChoices(c)}})
}

func (w *Web) employerForm(c *gin.Context) map[string]any {
	return map[string]any{"ranks": models.Ranks, "immunities": models.Immunities, "missions": w.missionChoices(c)}
}

func (w *Web) showEmployerNew(c *gin.Context) {
	w.page(c, "employer_new", "employers.new", w.employerForm(c))
}

func (w *Web) saveEmployer(c *gin.Context) {
	f := newForm(c.Request.PostForm)
	e := &models.Employer{MissionID: f.str("mission_id"), FullName: f.str("full_name"), Rank: f.str("rank"),
		AccreditationNumber: f.str("accreditation_number"), Immunity: f.str("immunity")}
	if u := user(c); u.Role == models.RoleMission && u.MissionID != nil {
		e.MissionID = *u.MissionID
	}
	err := f.err()
	if err == nil {
		err = w.store.CreateEmployer(c.Request.Context(), e)
	}
	if err != nil {
		w.formError(c, "employer_new", "employers.new", w.employerForm(c), err)
		return
	}
	redirect(c, "/employers/"+e.ID)
}

func (w *Web) showEmployer(c *gin.Context) {
	id, ok := w.pathID(c, "employer")
	if !ok {
		return
	}
	ctx := c.Request.Context()
	e, err := w.store.FindEmployerByID(ctx, id)
	if err != nil {
		w.fail(c, err)
		return
	}
	ems, _, err := w.store.FindEmployments(ctx, models.EmploymentFilter{EmployerID: id, Page: models.Page{Limit: models.MaxPageLimit}})
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "employer", "employers.one", map[string]any{"Employer": e, "Employments": ems})
}

func (w *Web) showWorkers(c *gin.Context) {
	q, p, ok := w.filters(c, "q", "mission_id", "nationality", "needs_review")
	if !ok {
		return
	}
	f := models.WorkerFilter{Query: q["q"], MissionID: q["mission_id"], Nationality: q["nationality"], NeedsReview: q["needs_review"] != "", Page: p}
	ws, next, err := w.store.FindWorkers(c.Request.Context(), f)
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "workers", "workers.title", listPage[models.Worker]{Items: ws, Next: next, Query: q,
		Options: map[string]any{"missions": w.missionChoices(c)}})
}

func (w *Web) workerForm(c *gin.Context) map[string]any {
	return map[string]any{"sexes": models.Sexes, "missions": w.missionChoices(c)}
}

func (w *Web) showWorkerNew(c *gin.Context) {
	w.page(c, "worker_new", "workers.new", w.workerForm(c))
}

func (w *Web) saveWorker(c *gin.Context) {
	f := newForm(c.Request.PostForm)
	wk := &models.Worker{MissionID: f.opt("mission_id"), FullName: f.str("full_name"), DateOfBirth: f.date("date_of_birth"),
		DateOfBirthUncertain: *f.check("date_of_birth_uncertain"), Sex: f.str("sex"), Nationality: f.str("nationality"),
		Languages: f.list("languages"), PassportNumber: f.str("passport_number")}
	if user(c).Role != models.RoleMission { // a mission never sets the worker's own channel
		wk.Phone, wk.Email, wk.ContactConsent = f.str("phone"), f.str("email"), *f.check("contact_consent")
	} else {
		wk.MissionID = nil
	}
	err := f.err()
	if err == nil {
		err = w.store.CreateWorker(c.Request.Context(), wk)
	}
	if err != nil {
		w.formError(c, "worker_new", "workers.new", w.workerForm(c), err)
		return
	}
	redirect(c, "/workers/"+wk.ID)
}

type workerDetail struct {
	Worker      *models.Worker
	Employments []models.EmploymentSummary
	// Code is a newly issued access code, shown this once.
	Code string
}

func (w *Web) workerDetail(c *gin.Context, id string) (*workerDetail, error) {
	ctx := c.Request.Context()
	wk, err := w.store.FindWorkerByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !models.ActorFrom(ctx).SeesPrivateContact() { // the mission's focal point never sees them
		wk.PassportNumber, wk.Phone, wk.Email = "", "", ""
	}
	ems, _, err := w.store.FindEmployments(ctx, models.EmploymentFilter{WorkerID: id, Page: models.Page{Limit: models.MaxPageLimit}})
	if err != nil {
		return nil, err
	}
	return &workerDetail{Worker: wk, Employments: ems}, nil
}

func (w *Web) showWorker(c *gin.Context) {
	id, ok := w.pathID(c, "worker")
	if !ok {
		return
	}
	d, err := w.workerDetail(c, id)
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "worker", "workers.one", d)
}

// saveAccessCode issues the worker's personal access code (the old one
// stops working) and shows it this once, to hand over in person.
func (w *Web) saveAccessCode(c *gin.Context) {
	id, ok := w.pathID(c, "worker")
	if !ok {
		return
	}
	code, err := w.store.IssueAccessCode(c.Request.Context(), id)
	if err != nil {
		w.fail(c, err)
		return
	}
	d, err := w.workerDetail(c, id)
	if err != nil {
		w.fail(c, err)
		return
	}
	d.Code = code
	w.render(c, http.StatusOK, "worker", w.newView(c, "workers.one", d))
}
