package api

import (
	"bytes"
	"context"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/contracts"
	"github.com/pdw-registry/pdw/models"
)

// This file is what the web pages (package web) use of the API's server:
// the same sessions, login limiter, setup token, documents and error
// mapping, so that a page and its JSON twin behave alike. The web package
// mounts its routes on the same engine (see web.Mount).

// Store returns the data layer the server was built with.
func (s *Server) Store() Store { return s.store }

// Options returns the server's options (with defaults filled in).
func (s *Server) Options() Options { return s.opts }

// Logger returns the server's logger.
func (s *Server) Logger() interface {
	ErrorContext(ctx context.Context, msg string, args ...any)
} {
	return s.log
}

// SetupPending reports whether the one-time setup token is still usable.
func (s *Server) SetupPending() bool {
	s.setupMu.Lock()
	defer s.setupMu.Unlock()
	return s.opts.SetupToken != ""
}

// Setup creates the first administrator with the one-time setup token
// (EUNAUTHORIZED for a wrong token or once setup is done).
func (s *Server) Setup(ctx context.Context, token, email, password string) (*models.User, error) {
	s.setupMu.Lock()
	defer s.setupMu.Unlock()
	if !s.setupTokenOK(token) {
		return nil, models.Errorf(models.EUNAUTHORIZED, "The setup token is not valid (or setup is done).")
	}
	u, err := s.store.CreateFirstAdmin(ctx, email, password)
	if err != nil {
		return nil, err
	}
	s.opts.SetupToken = "" // one time only
	return u, nil
}

// Login checks the credentials under the login limiter, opens a session
// and sets its cookie (HttpOnly, SameSite=Strict).
func (s *Server) Login(c *gin.Context, email, password string) (*models.User, error) {
	addrKey := "addr:" + c.ClientIP()
	acctKey := "acct:" + strings.ToLower(strings.TrimSpace(email))
	// The attempt counts as a failure before the password is checked, so
	// that parallel guesses cannot all slip under the limit; a success
	// takes it back.
	if !s.limiter.take(addrKey, maxFailsPerAddress, acctKey, maxFailsPerAccount) {
		c.Header("Retry-After", "900")
		return nil, models.Errorf(models.ERATELIMIT, "Too many failed logins; try again in 15 minutes.")
	}
	ctx := c.Request.Context()
	u, err := s.store.Authenticate(ctx, email, password)
	if err != nil {
		if models.ErrorCode(err) != models.EUNAUTHORIZED {
			s.limiter.forgive(addrKey, acctKey) // not the caller's fault
		}
		return nil, err
	}
	s.limiter.forgive(addrKey)
	s.limiter.reset(acctKey)
	secret, err := s.store.CreateSession(ctx, u, s.opts.SessionTTL)
	if err != nil {
		return nil, err
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: SessionCookie, Value: secret, Path: "/", MaxAge: int(s.opts.SessionTTL.Seconds()),
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteStrictMode,
	})
	return u, nil
}

// Logout ends the cookie session, if any, and clears the cookie.
func (s *Server) Logout(c *gin.Context) error {
	if cookie, err := c.Cookie(SessionCookie); err == nil && cookie != "" {
		if err := s.store.DeleteSession(c.Request.Context(), cookie); err != nil {
			return err
		}
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteStrictMode,
	})
	return nil
}

// SessionUser returns the user of the request's session cookie and puts
// the actor in the request's context, as the API's authentication does;
// EUNAUTHORIZED without a live session. Bearer tokens are for the API only.
func (s *Server) SessionUser(c *gin.Context) (*models.User, error) {
	cookie, err := c.Cookie(SessionCookie)
	if err != nil || cookie == "" {
		return nil, models.Errorf(models.EUNAUTHORIZED, "Log in first.")
	}
	ctx := c.Request.Context()
	u, err := s.store.UserBySession(ctx, cookie)
	if err != nil {
		return nil, err
	}
	c.Set(ctxUser, u)
	a := models.Actor{UserID: u.ID, Role: u.Role, RequestID: requestID(c)}
	if u.MissionID != nil {
		a.MissionID = *u.MissionID
	}
	c.Request = c.Request.WithContext(models.WithActor(ctx, a))
	return u, nil
}

// CheckCrossOrigin refuses a state-changing browser request sent from
// another origin (EFORBIDDEN).
func (s *Server) CheckCrossOrigin(r *http.Request) error {
	if err := crossOriginProtection.Check(r); err != nil {
		return models.Errorf(models.EFORBIDDEN, "Cross-origin requests are not allowed.")
	}
	return nil
}

// LogInternal logs an error that maps to 500, once, without personal data.
func (s *Server) LogInternal(c *gin.Context, err error) {
	if StatusOf(err) == http.StatusInternalServerError {
		s.log.ErrorContext(c.Request.Context(), "internal error",
			"request_id", requestID(c), "route", c.FullPath(), "error", err)
	}
}

// CreateContract generates the next contract version of an employment with
// the deployment's documents (EUNAVAILABLE while they are not configured).
func (s *Server) CreateContract(ctx context.Context, employmentID string) (*models.ContractVersion, error) {
	if err := s.documentsReady(); err != nil {
		return nil, err
	}
	return s.store.CreateContract(ctx, employmentID, s.renderContract)
}

// LeafletPDF renders the rights leaflet in lang for a worker's name under
// the policy in force today.
func (s *Server) LeafletPDF(ctx context.Context, lang, name string) ([]byte, error) {
	if err := s.documentsReady(); err != nil {
		return nil, err
	}
	now := s.opts.Now()
	p, err := s.store.PolicyInForce(ctx, models.DateOf(now))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	l := contracts.Leaflet{Language: lang, WorkerName: name, IssuedAt: now.UTC(), Policy: *p, Help: s.opts.Documents.Help}
	if err := contracts.RenderLeaflet(&buf, l, contracts.Options{Catalog: s.opts.Documents.Catalog}); err != nil {
		return nil, documentError(err, "lang")
	}
	return buf.Bytes(), nil
}

// WriteError writes err as the API's JSON error and aborts the chain.
func (s *Server) WriteError(c *gin.Context, err error) { s.writeError(c, err) }
