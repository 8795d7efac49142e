package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// missionView is a mission as a role may see it: the focal point's e-mail
// is personal data, hidden from auditors.
type missionView struct {
	ID              string    `json:"id"`
	Name            string    `json:"name"`
	Kind            string    `json:"kind"`
	Country         string    `json:"country"`
	FocalPointEmail *string   `json:"focal_point_email,omitempty"`
	Language        string    `json:"language"`
	Suspended       bool      `json:"suspended"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

func viewMission(a models.Actor) func(*models.Mission) missionView {
	return func(m *models.Mission) missionView {
		v := missionView{ID: m.ID, Name: m.Name, Kind: m.Kind, Country: m.Country, Language: m.Language, Suspended: m.Suspended,
			CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt}
		if a.SeesPersonalData() {
			v.FocalPointEmail = &m.FocalPointEmail
		}
		return v
	}
}

func (s *Server) listMissions(c *gin.Context) {
	q := newQuery(c)
	f := models.MissionFilter{Kind: q.oneOf("kind", models.MissionKinds), Country: q.text("country"), Query: q.text("q"), Page: q.page()}
	if !s.queryOK(q) {
		return
	}
	ms, next, err := s.store.FindMissions(c.Request.Context(), f)
	s.respond(c, http.StatusOK, list(mapSlice(ms, viewMission(actor(c))), next), err)
}

func (s *Server) getMission(c *gin.Context) {
	id, ok := s.pathID(c, "mission")
	if !ok {
		return
	}
	m, err := s.store.FindMissionByID(c.Request.Context(), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	renderMission(c, http.StatusOK, viewMission(actor(c))(m))
}

type missionRequest struct {
	Name            string `json:"name"`
	Kind            string `json:"kind"`
	Country         string `json:"country"`
	FocalPointEmail string `json:"focal_point_email"`
	Language        string `json:"language"`
}

func (s *Server) createMission(c *gin.Context) {
	var req missionRequest
	if !s.bind(c, &req) {
		return
	}
	m := &models.Mission{Name: req.Name, Kind: req.Kind, Country: req.Country, FocalPointEmail: req.FocalPointEmail, Language: req.Language}
	err := s.store.CreateMission(c.Request.Context(), m)
	s.respond(c, http.StatusCreated, viewMission(actor(c))(m), err)
}

func (s *Server) updateMission(c *gin.Context) {
	id, ok := s.pathID(c, "mission")
	if !ok {
		return
	}
	var upd models.MissionUpdate
	if !s.bind(c, &upd) {
		return
	}
	if upd.Suspended != nil && actor(c).Role != models.RoleAdmin {
		s.writeError(c, models.Errorf(models.EFORBIDDEN, "Only an administrator may suspend or restore eligibility."))
		return
	}
	m, err := s.store.UpdateMission(c.Request.Context(), id, upd)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, viewMission(actor(c))(m))
}

func (s *Server) deleteMission(c *gin.Context) {
	id, ok := s.pathID(c, "mission")
	if !ok {
		return
	}
	s.respond(c, http.StatusNoContent, nil, s.store.DeleteMission(c.Request.Context(), id))
}
