package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// employmentRow is an employment with the names a list shows.
type employmentRow struct {
	models.Employment
	WorkerName, EmployerName string
}

func (w *Web) showEmployments(c *gin.Context) {
	q, p, ok := w.filters(c, "status", "mission_id", "employer_id", "worker_id")
	if !ok {
		return
	}
	ems, next, err := w.store.FindEmployments(c.Request.Context(), models.EmploymentFilter{Status: q["status"],
		MissionID: q["mission_id"], EmployerID: q["employer_id"], WorkerID: q["worker_id"], Page: p})
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "employments", "employments.title", listPage[models.EmploymentSummary]{Items: ems, Next: next, Query: q,
		Options: map[string]any{"statuses": models.EmploymentStatuses, "missions": w.missionChoices(c)}})
}

// notifyForm holds the choices of the notification wizard.
type notifyForm struct {
	Workers   []models.Worker
	Employers []models.Employer
	Policy    *models.Policy
}

func (w *Web) notifyForm(c *gin.Context) (*notifyForm, error) {
	ctx := c.Request.Context()
	all := models.Page{Limit: models.MaxPageLimit}
	ws, _, err := w.store.FindWorkers(ctx, models.WorkerFilter{Page: all})
	if err != nil {
		return nil, err
	}
	es, _, err := w.store.FindEmployers(ctx, models.EmployerFilter{Page: all})
	if err != nil {
		return nil, err
	}
	p, err := w.store.PolicyInForce(ctx, models.DateOf(w.srv.Options().Now()))
	if err != nil && models.ErrorCode(err) != models.ENOTFOUND {
		return nil, err
	}
	return &notifyForm{Workers: ws, Employers: es, Policy: p}, nil
}

// showNotify is the notification wizard: worker, employer, dates and the
// proposed terms, checked against the policy when submitted.
func (w *Web) showNotify(c *gin.Context) {
	d, err := w.notifyForm(c)
	if err != nil {
		w.fail(c, err)
		return
	}
	v := w.newView(c, "notify.title", d)
	if id := c.Query("worker_id"); models.ValidID(id) {
		v.Form = map[string][]string{"worker_id": {id}}
	}
	w.render(c, http.StatusOK, "notify", v)
}

// saveNotify submits the notification; the policy's violations come back
// field by field, next to the inputs, as the API reports them.
func (w *Web) saveNotify(c *gin.Context) {
	f := newForm(c.Request.PostForm)
	in := models.EmploymentInput{WorkerID: f.str("worker_id"), EmployerID: f.str("employer_id"),
		StartDate: f.date("start_date"), EndDate: f.date("end_date"), Terms: f.terms()}
	err := f.err()
	var e *models.Employment
	if err == nil {
		e, err = w.store.CreateEmployment(c.Request.Context(), in)
	}
	if err != nil {
		d, derr := w.notifyForm(c)
		if derr != nil {
			w.fail(c, derr)
			return
		}
		w.formError(c, "notify", "notify.title", d, err)
		return
	}
	redirect(c, "/employments/"+e.ID)
}

// employmentDetail is everything the employment's page shows.
type employmentDetail struct {
	Employment   *models.Employment
	Worker       *models.Worker
	Employer     *models.Employer
	Contracts    []models.ContractVersion
	Signatures   map[string][]models.ContractSignature
	Appointments []models.Appointment
	Timeline     []models.TimelineEvent
	Statuses     []string
	Today        string
	Place        string
	// Evidence is the employment's evidence (a mission sees only what
	// its own focal points filed); EvidenceKinds those the user may file.
	Evidence      []models.Evidence
	EvidenceKinds []string
	Insurances    []string
	Priorities    []string
}

func (w *Web) employmentDetail(c *gin.Context, id string) (*employmentDetail, error) {
	ctx := c.Request.Context()
	e, err := w.store.FindEmploymentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &employmentDetail{Employment: e, Signatures: map[string][]models.ContractSignature{},
		Today: models.DateOf(w.srv.Options().Now()).String(), Place: w.srv.Options().OfficePlace}
	if d.Worker, err = w.store.FindWorkerByID(ctx, e.WorkerID); err != nil {
		return nil, err
	}
	if d.Employer, err = w.store.FindEmployerByID(ctx, e.EmployerID); err != nil {
		return nil, err
	}
	if d.Contracts, err = w.store.FindContracts(ctx, id); err != nil {
		return nil, err
	}
	for _, cv := range d.Contracts {
		if d.Signatures[cv.ID], err = w.store.FindSignatures(ctx, cv.ID); err != nil {
			return nil, err
		}
	}
	if d.Appointments, _, err = w.store.FindAppointments(ctx, models.AppointmentFilter{EmploymentID: id, Page: models.Page{Limit: models.MaxPageLimit}}); err != nil {
		return nil, err
	}
	if d.Timeline, _, err = w.store.FindTimeline(ctx, id, models.Page{Limit: models.MaxPageLimit}); err != nil {
		return nil, err
	}
	evs, err := w.store.FindEvidence(ctx, id)
	if err != nil {
		return nil, err
	}
	d.EvidenceKinds, d.Insurances, d.Priorities = models.EvidenceKinds, models.InsuranceKinds, models.CasePriorities
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		d.EvidenceKinds, d.Insurances = []string{models.EvidencePay}, nil
		for _, ev := range evs {
			if ev.RecordedRole == models.RoleMission {
				d.Evidence = append(d.Evidence, ev)
			}
		}
	} else {
		d.Evidence = evs
	}
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		for i := range d.Appointments {
			d.Appointments[i].OutcomeNote, d.Appointments[i].NoInterpreterNote = "", ""
		}
	}
	for _, s := range models.EmploymentStatuses {
		if models.CanTransition(e.Status, s) {
			d.Statuses = append(d.Statuses, s)
		}
	}
	return d, nil
}

func (w *Web) showEmployment(c *gin.Context) {
	id, ok := w.pathID(c, "employment")
	if !ok {
		return
	}
	d, err := w.employmentDetail(c, id)
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "employment", "employments.one", d)
}

// saveEmployment records an arrival, a departure, the ID card or a change
// of status (the store decides what the role may change).
func (w *Web) saveEmployment(c *gin.Context) {
	id, ok := w.pathID(c, "employment")
	if !ok {
		return
	}
	f := newForm(c.Request.PostForm)
	upd := models.EmploymentUpdate{ArrivalDate: f.date("arrival_date"), DepartureDate: f.date("departure_date"),
		EndDate: f.date("end_date"), IDCardNumber: f.opt("id_card_number"), IDCardExpiry: f.date("id_card_expiry"),
		Status: f.opt("status")}
	err := f.err()
	if err == nil {
		_, err = w.store.UpdateEmployment(c.Request.Context(), id, upd)
	}
	if err != nil {
		d, derr := w.employmentDetail(c, id)
		if derr != nil {
			w.fail(c, derr)
			return
		}
		w.formError(c, "employment", "employments.one", d, err)
		return
	}
	redirect(c, "/employments/"+id)
}

// saveContract generates the next contract version from the approved terms.
func (w *Web) saveContract(c *gin.Context) {
	id, ok := w.pathID(c, "employment")
	if !ok {
		return
	}
	if _, err := w.srv.CreateContract(c.Request.Context(), id); err != nil {
		d, derr := w.employmentDetail(c, id)
		if derr != nil {
			w.fail(c, derr)
			return
		}
		w.formError(c, "employment", "employments.one", d, err)
		return
	}
	redirect(c, "/employments/"+id+"#contracts")
}

// downloadContract serves a contract version's stored PDF.
func (w *Web) downloadContract(c *gin.Context) {
	id, ok := w.pathID(c, "contract")
	if !ok {
		return
	}
	cv, pdf, err := w.store.ContractPDF(c.Request.Context(), id)
	if err != nil {
		w.fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="contract-v%d.pdf"`, cv.Version))
	c.Data(http.StatusOK, "application/pdf", pdf)
}

// saveSignature records a party's signature on a contract version.
func (w *Web) saveSignature(c *gin.Context) {
	id, ok := w.pathID(c, "contract")
	if !ok {
		return
	}
	f := newForm(c.Request.PostForm)
	in := models.SignatureInput{Party: f.str("party"), SignedOn: f.date("signed_on"), Place: f.str("place")}
	ctx := c.Request.Context()
	cv, err := w.store.FindContractByID(ctx, id)
	if err != nil {
		w.fail(c, err)
		return
	}
	if err = f.err(); err == nil {
		_, err = w.store.CreateSignature(ctx, id, in)
	}
	if err != nil {
		d, derr := w.employmentDetail(c, cv.EmploymentID)
		if derr != nil {
			w.fail(c, derr)
			return
		}
		w.formError(c, "employment", "employments.one", d, err)
		return
	}
	redirect(c, "/employments/"+cv.EmploymentID+"#contracts")
}

// saveEvidence files evidence for the employment: the office any kind, a
// mission pay evidence for its own employments (the store decides).
func (w *Web) saveEvidence(c *gin.Context) {
	id, ok := w.pathID(c, "employment")
	if !ok {
		return
	}
	f := newForm(c.Request.PostForm)
	in := models.EvidenceInput{Kind: f.str("kind"), Month: f.str("month"), Insurance: f.str("insurance"),
		ValidUntil: f.date("valid_until"), Reference: f.str("reference"), Note: f.str("note")}
	switch in.Kind {
	case models.EvidencePay:
		in.SoleNameAccount = f.check("sole_name_account")
		in.Amount = f.opt("amount")
	case models.EvidenceHours:
		in.HoursWorked = f.float("hours_worked")
	}
	err := f.err()
	if err == nil {
		_, err = w.store.CreateEvidence(c.Request.Context(), id, in)
	}
	if err != nil {
		d, derr := w.employmentDetail(c, id)
		if derr != nil {
			w.fail(c, derr)
			return
		}
		w.formError(c, "employment", "employments.one", d, err)
		return
	}
	redirect(c, "/employments/"+id+"#evidence")
}
