package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// workerView is a worker as a role may see it: a mission user never sees
// the passport number, phone or e-mail (the keys are absent).
type workerView struct {
	ID                   string       `json:"id"`
	MissionID            *string      `json:"mission_id"`
	FullName             string       `json:"full_name"`
	DateOfBirth          *models.Date `json:"date_of_birth"`
	DateOfBirthUncertain bool         `json:"date_of_birth_uncertain"`
	Sex                  string       `json:"sex"`
	Nationality          string       `json:"nationality"`
	Languages            []string     `json:"languages"`
	InterviewLanguage    string       `json:"interview_language"`
	PassportNumber       *string      `json:"passport_number,omitempty"`
	Phone                *string      `json:"phone,omitempty"`
	Email                *string      `json:"email,omitempty"`
	ContactConsent       bool         `json:"contact_consent"`
	ReviewReason         string       `json:"review_reason"`
	CreatedAt            time.Time    `json:"created_at"`
	UpdatedAt            time.Time    `json:"updated_at"`
}

func viewWorker(a models.Actor) func(*models.Worker) workerView {
	return func(w *models.Worker) workerView {
		v := workerView{ID: w.ID, MissionID: w.MissionID, FullName: w.FullName, DateOfBirth: w.DateOfBirth,
			DateOfBirthUncertain: w.DateOfBirthUncertain, Sex: w.Sex, Nationality: w.Nationality,
			Languages: w.Languages, InterviewLanguage: w.InterviewLanguage, ContactConsent: w.ContactConsent, ReviewReason: w.ReviewReason,
			CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt}
		if v.Languages == nil {
			v.Languages = []string{}
		}
		if a.SeesPrivateContact() {
			v.PassportNumber, v.Phone, v.Email = &w.PassportNumber, &w.Phone, &w.Email
		}
		return v
	}
}

func (s *Server) listWorkers(c *gin.Context) {
	q := newQuery(c)
	f := models.WorkerFilter{MissionID: q.id("mission_id"), Nationality: q.text("nationality"), Query: q.text("q"), Page: q.page()}
	f.NeedsReview = q.flag("needs_review")
	if !s.queryOK(q) {
		return
	}
	ws, next, err := s.store.FindWorkers(c.Request.Context(), f)
	s.respond(c, http.StatusOK, list(mapSlice(ws, viewWorker(actor(c))), next), err)
}

func (s *Server) getWorker(c *gin.Context) {
	id, ok := s.pathID(c, "worker")
	if !ok {
		return
	}
	w, err := s.store.FindWorkerByID(c.Request.Context(), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, viewWorker(actor(c))(w))
}

type workerRequest struct {
	MissionID            *string      `json:"mission_id"`
	FullName             string       `json:"full_name"`
	DateOfBirth          *models.Date `json:"date_of_birth"`
	DateOfBirthUncertain bool         `json:"date_of_birth_uncertain"`
	Sex                  string       `json:"sex"`
	Nationality          string       `json:"nationality"`
	Languages            []string     `json:"languages"`
	InterviewLanguage    string       `json:"interview_language"`
	PassportNumber       string       `json:"passport_number"`
	Phone                string       `json:"phone"`
	Email                string       `json:"email"`
	ContactConsent       bool         `json:"contact_consent"`
}

func (s *Server) createWorker(c *gin.Context) {
	var req workerRequest
	if !s.bind(c, &req) {
		return
	}
	w := &models.Worker{MissionID: req.MissionID, FullName: req.FullName, DateOfBirth: req.DateOfBirth,
		DateOfBirthUncertain: req.DateOfBirthUncertain, Sex: req.Sex, Nationality: req.Nationality,
		Languages: req.Languages, InterviewLanguage: req.InterviewLanguage, PassportNumber: req.PassportNumber, Phone: req.Phone, Email: req.Email,
		ContactConsent: req.ContactConsent}
	if err := s.store.CreateWorker(c.Request.Context(), w); err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, viewWorker(actor(c))(w))
}

func (s *Server) updateWorker(c *gin.Context) {
	id, ok := s.pathID(c, "worker")
	if !ok {
		return
	}
	var upd models.WorkerUpdate
	if !s.bind(c, &upd) {
		return
	}
	w, err := s.store.UpdateWorker(c.Request.Context(), id, upd)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, viewWorker(actor(c))(w))
}

func (s *Server) deleteWorker(c *gin.Context) {
	id, ok := s.pathID(c, "worker")
	if !ok {
		return
	}
	s.respond(c, http.StatusNoContent, nil, s.store.DeleteWorker(c.Request.Context(), id))
}
