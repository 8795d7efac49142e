package api

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// MaxBodyBytes is the largest request body accepted (413 beyond).
const MaxBodyBytes = 1 << 20

// MaxEvidenceBodyBytes is the largest body of POST
// /api/v1/employments/:id/evidence, which may carry a document of up to
// models.MaxEvidenceFileBytes in base64 (4/3 of its size: 6.7 MiB) beside
// the rest.
const MaxEvidenceBodyBytes = 7 << 20

// bodyLimit is the body limit of the route c matched.
func bodyLimit(c *gin.Context) int64 {
	if c.Request.Method == http.MethodPost && c.FullPath() == "/api/v1/employments/:id/evidence" {
		return MaxEvidenceBodyBytes
	}
	return MaxBodyBytes
}

// SessionCookie is the name of the session cookie.
const SessionCookie = "pdw_session"

const (
	ctxRequestID = "pdw.request_id"
	ctxUser      = "pdw.user"
)

// requestID takes a well-formed X-Request-ID from the caller or makes one,
// echoes it, and puts it in the request context for the audit trail.
func (s *Server) requestID(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if !validRequestID(id) {
		id = newRequestID()
	}
	c.Set(ctxRequestID, id)
	c.Header("X-Request-ID", id)
	c.Request = c.Request.WithContext(models.WithActor(c.Request.Context(), models.Actor{RequestID: id}))
	c.Next()
}

// requestIDPrefix is 48 random bits drawn once per process, and
// requestIDSeq counts the ids made since: an id is the prefix and the
// count in 24 hex digits, unique within the process and, by the prefix,
// across processes, without a random read per request. A request id
// correlates log lines and audit rows; it is not a secret.
var (
	requestIDPrefix = func() [6]byte {
		var b [6]byte
		_, _ = rand.Read(b[:])
		return b
	}()
	requestIDSeq atomic.Uint64
)

func newRequestID() string {
	var b [12]byte
	copy(b[:6], requestIDPrefix[:])
	n := requestIDSeq.Add(1)
	for i := 11; i >= 6; i-- {
		b[i] = byte(n)
		n >>= 8
	}
	var out [24]byte
	hex.Encode(out[:], b[:])
	return string(out[:])
}

func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

func requestID(c *gin.Context) string { return c.GetString(ctxRequestID) }

// accessLog writes one JSON line per request: the route pattern (never the
// raw path or query, which can carry names), status, duration, request id
// and the acting account's id and role. No personal data.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	a := models.ActorFrom(c.Request.Context())
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelError
	}
	s.log.LogAttrs(c.Request.Context(), level, "request",
		slog.String("request_id", requestID(c)),
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.Int("status", c.Writer.Status()),
		slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		slog.String("user_id", a.UserID),
		slog.String("role", a.Role),
	)
}

// recovery turns a panic into a logged 500 with the usual error body.
func (s *Server) recovery(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			s.writeError(c, fmt.Errorf("panic: %v", r))
		}
	}()
	c.Next()
}

func (s *Server) securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	if strings.HasPrefix(c.Request.URL.Path, "/api/") {
		h.Set("Cache-Control", "no-store")
	}
	c.Next()
}

func (s *Server) limitBody(c *gin.Context) {
	if c.Request.Body != nil {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, bodyLimit(c))
	}
	c.Next()
}

var crossOriginProtection = http.NewCrossOriginProtection()

// crossOrigin refuses state-changing browser requests sent from another
// origin (Sec-Fetch-Site / Origin), the CSRF defence for cookie sessions.
func (s *Server) crossOrigin(c *gin.Context) {
	if err := crossOriginProtection.Check(c.Request); err != nil {
		s.writeError(c, models.Errorf(models.EFORBIDDEN, "Cross-origin requests are not allowed."))
		return
	}
	c.Next()
}

// authenticate accepts "Authorization: Bearer <token>" or the session
// cookie and puts the user and actor in the context; 401 otherwise.
func (s *Server) authenticate(c *gin.Context) {
	ctx := c.Request.Context()
	var (
		u   *models.User
		err error
	)
	if h := c.GetHeader("Authorization"); h != "" {
		scheme, token, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			s.writeError(c, models.Errorf(models.EUNAUTHORIZED, "The Authorization header must be \"Bearer <token>\"."))
			return
		}
		u, err = s.store.UserByToken(ctx, strings.TrimSpace(token))
	} else if cookie, cerr := c.Cookie(SessionCookie); cerr == nil && cookie != "" {
		if err := crossOriginProtection.Check(c.Request); err != nil {
			s.writeError(c, models.Errorf(models.EFORBIDDEN, "Cross-origin requests are not allowed."))
			return
		}
		u, err = s.store.UserBySession(ctx, cookie)
	} else {
		err = models.Errorf(models.EUNAUTHORIZED, "Log in or send an API token.")
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Set(ctxUser, u)
	a := models.Actor{UserID: u.ID, Role: u.Role, RequestID: requestID(c)}
	if u.MissionID != nil {
		a.MissionID = *u.MissionID
	}
	c.Request = c.Request.WithContext(models.WithActor(ctx, a))
	c.Next()
}

// allow lets only the listed roles through (403 otherwise).
func (s *Server) allow(roles []string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !slices.Contains(roles, actor(c).Role) {
			s.writeError(c, models.Errorf(models.EFORBIDDEN, "Your role may not do this."))
			return
		}
		c.Next()
	}
}

func actor(c *gin.Context) models.Actor { return models.ActorFrom(c.Request.Context()) }

func currentUser(c *gin.Context) *models.User {
	u, _ := c.Get(ctxUser)
	user, _ := u.(*models.User)
	return user
}
