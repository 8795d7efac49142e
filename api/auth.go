package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

type setupRequest struct {
	Token    string `json:"token"`
	Email    string `json:"email"`
	Password string `json:"password"`
}

// setup creates the first administrator with the one-time token that
// `pdw serve` logged on its first start; it works once.
func (s *Server) setup(c *gin.Context) {
	var req setupRequest
	if !s.bind(c, &req) {
		return
	}
	u, err := s.Setup(c.Request.Context(), req.Token, req.Email, req.Password)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, meView(u))
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// login checks the credentials and sets an HttpOnly, SameSite=Strict
// session cookie. Failures are counted per client address and per account.
func (s *Server) login(c *gin.Context) {
	var req loginRequest
	if !s.bind(c, &req) {
		return
	}
	u, err := s.Login(c, req.Email, req.Password)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, meView(u))
}

// logout ends the cookie session (a bearer token stays valid until deleted).
func (s *Server) logout(c *gin.Context) {
	if err := s.Logout(c); err != nil {
		s.writeError(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type userView struct {
	ID        string  `json:"id"`
	Email     string  `json:"email"`
	Role      string  `json:"role"`
	MissionID *string `json:"mission_id"`
}

func meView(u *models.User) userView {
	return userView{ID: u.ID, Email: u.Email, Role: u.Role, MissionID: u.MissionID}
}

// me returns the caller's own account.
func (s *Server) me(c *gin.Context) {
	c.JSON(http.StatusOK, meView(currentUser(c)))
}

type tokenRequest struct {
	Name string `json:"name"`
}

type tokenCreated struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Token string `json:"token"`
}

// createToken issues a personal API token, shown this once.
func (s *Server) createToken(c *gin.Context) {
	var req tokenRequest
	if !s.bind(c, &req) {
		return
	}
	t, secret, err := s.store.CreateAPIToken(c.Request.Context(), currentUser(c), req.Name)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, tokenCreated{ID: t.ID, Name: t.Name, Token: secret})
}

// listTokens lists the caller's tokens (never their secrets).
func (s *Server) listTokens(c *gin.Context) {
	ts, err := s.store.FindAPITokens(c.Request.Context(), currentUser(c).ID)
	s.respond(c, http.StatusOK, list(ts, ""), err)
}

// deleteToken revokes one of the caller's tokens (any token for an admin).
func (s *Server) deleteToken(c *gin.Context) {
	id, ok := s.pathID(c, "token")
	if !ok {
		return
	}
	s.respond(c, http.StatusNoContent, nil, s.store.DeleteAPIToken(c.Request.Context(), id))
}
