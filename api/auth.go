package api

import (
	"net/http"
	"strings"

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
	s.setupMu.Lock()
	defer s.setupMu.Unlock()
	if !s.setupTokenOK(req.Token) {
		s.writeError(c, models.Errorf(models.EUNAUTHORIZED, "The setup token is not valid (or setup is done)."))
		return
	}
	u, err := s.store.CreateFirstAdmin(c.Request.Context(), req.Email, req.Password)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.opts.SetupToken = "" // one time only
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
	addrKey := "addr:" + c.ClientIP()
	acctKey := "acct:" + strings.ToLower(strings.TrimSpace(req.Email))
	// The attempt counts as a failure before the password is checked, so
	// that parallel guesses cannot all slip under the limit; a success
	// takes it back.
	if !s.limiter.take(addrKey, maxFailsPerAddress, acctKey, maxFailsPerAccount) {
		c.Header("Retry-After", "900")
		s.writeError(c, models.Errorf(models.ERATELIMIT, "Too many failed logins; try again in 15 minutes."))
		return
	}
	ctx := c.Request.Context()
	u, err := s.store.Authenticate(ctx, req.Email, req.Password)
	if err != nil {
		if models.ErrorCode(err) != models.EUNAUTHORIZED {
			s.limiter.forgive(addrKey, acctKey) // not the caller's fault
		}
		s.writeError(c, err)
		return
	}
	s.limiter.forgive(addrKey)
	s.limiter.reset(acctKey)
	secret, err := s.store.CreateSession(ctx, u, s.opts.SessionTTL)
	if err != nil {
		s.writeError(c, err)
		return
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: SessionCookie, Value: secret, Path: "/", MaxAge: int(s.opts.SessionTTL.Seconds()),
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteStrictMode,
	})
	c.JSON(http.StatusOK, meView(u))
}

// logout ends the cookie session (a bearer token stays valid until deleted).
func (s *Server) logout(c *gin.Context) {
	if cookie, err := c.Cookie(SessionCookie); err == nil && cookie != "" {
		if err := s.store.DeleteSession(c.Request.Context(), cookie); err != nil {
			s.writeError(c, err)
			return
		}
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteStrictMode,
	})
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
