package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// accountView is an account as an administrator sees it (never the hash).
type accountView struct {
	ID          string     `json:"id"`
	Email       string     `json:"email"`
	Role        string     `json:"role"`
	MissionID   *string    `json:"mission_id"`
	Disabled    bool       `json:"disabled"`
	LastLoginAt *time.Time `json:"last_login_at"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

func viewAccount(u *models.User) accountView {
	return accountView{ID: u.ID, Email: u.Email, Role: u.Role, MissionID: u.MissionID, Disabled: u.Disabled,
		LastLoginAt: u.LastLoginAt, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
}

func (s *Server) listUsers(c *gin.Context) {
	q := newQuery(c)
	p := q.page()
	if !s.queryOK(q) {
		return
	}
	us, next, err := s.store.FindUsers(c.Request.Context(), p)
	s.respond(c, http.StatusOK, list(mapSlice(us, viewAccount), next), err)
}

func (s *Server) getUser(c *gin.Context) {
	id, ok := s.pathID(c, "user")
	if !ok {
		return
	}
	u, err := s.store.FindUserByID(c.Request.Context(), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, viewAccount(u))
}

type userRequest struct {
	Email     string  `json:"email"`
	Password  string  `json:"password"`
	Role      string  `json:"role"`
	MissionID *string `json:"mission_id"`
}

func (s *Server) createUser(c *gin.Context) {
	var req userRequest
	if !s.bind(c, &req) {
		return
	}
	u := &models.User{Email: req.Email, Role: req.Role, MissionID: req.MissionID}
	if err := s.store.CreateUser(c.Request.Context(), u, req.Password); err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, viewAccount(u))
}

func (s *Server) updateUser(c *gin.Context) {
	id, ok := s.pathID(c, "user")
	if !ok {
		return
	}
	var upd models.UserUpdate
	if !s.bind(c, &upd) {
		return
	}
	u, err := s.store.UpdateUser(c.Request.Context(), id, upd)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, viewAccount(u))
}
