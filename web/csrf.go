package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/api"
	"github.com/pdw-registry/pdw/models"
)

// CSRF protection. Every form carries a token in the field "csrf":
//
//   - with a session, the synchronizer token is derived from the session's
//     secret (SHA-256 under a domain label): tied to the session, unknown
//     to another site (the cookie is HttpOnly), the same on every replica
//     and ended with the session;
//   - before login (the login and setup forms), a random token in a
//     SameSite=Strict cookie must match the form's (double submit);
//   - on a worker's page, which sets no cookie, the token is derived from
//     the access code in the path.
//
// Every POST is also checked for a cross-origin request (Sec-Fetch-Site,
// Origin), as the API does. A POST without a good token gets 403.

// csrfField is the forms' hidden field.
const csrfField = "csrf"

// preSessionCookie holds the double-submit token of the login and setup forms.
const preSessionCookie = "pdw_csrf"

func derive(label, secret string) string {
	sum := sha256.Sum256([]byte("pdw-" + label + "-v1\x00" + secret))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// sessionToken is the token of the request's session ("" without one).
func sessionToken(c *gin.Context) string {
	if s, err := c.Cookie(api.SessionCookie); err == nil && s != "" {
		return derive("csrf", s)
	}
	return ""
}

// workerToken is the token of a worker page's forms.
func workerToken(code string) string { return derive("worker-csrf", strings.ToUpper(code)) }

// preSessionToken returns the login/setup token, setting its cookie when
// the browser has none yet.
func (w *Web) preSessionToken(c *gin.Context) string {
	if v, err := c.Cookie(preSessionCookie); err == nil && len(v) == 43 {
		return v
	}
	var b [32]byte
	_, _ = rand.Read(b[:])
	v := base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(c.Writer, &http.Cookie{Name: preSessionCookie, Value: v, Path: "/", MaxAge: 3600,
		HttpOnly: true, Secure: w.srv.Options().SecureCookies, SameSite: http.SameSiteStrictMode})
	return v
}

// expectedToken is the token a POST to this path must carry ("" when none
// can be right).
func expectedToken(c *gin.Context) string {
	path := c.FullPath()
	switch {
	case path == "/login" || path == "/setup":
		v, _ := c.Cookie(preSessionCookie)
		return v
	case strings.HasPrefix(path, "/w/:code"):
		return workerToken(c.Param("code"))
	}
	return sessionToken(c)
}

// checkCSRF refuses a POST from another origin or without the right token.
func (w *Web) checkCSRF(c *gin.Context) {
	if err := w.srv.CheckCrossOrigin(c.Request); err != nil {
		w.fail(c, err)
		return
	}
	want := expectedToken(c)
	got := c.PostForm(csrfField)
	if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		w.fail(c, models.Errorf(models.EFORBIDDEN, "The form has expired or did not come from this site; reload the page and try again."))
		return
	}
	c.Next()
}

// safeNext keeps a post-login target on this site: a path, never a
// scheme-relative or absolute URL.
func safeNext(target string) string {
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") || strings.HasPrefix(target, "/\\") ||
		strings.ContainsAny(target, "\r\n") {
		return "/"
	}
	return url.QueryEscape(target)
}

// nextPath is the unescaped, checked target of ?next= (or "/").
func nextPath(v string) string {
	if !strings.HasPrefix(v, "/") || strings.HasPrefix(v, "//") || strings.HasPrefix(v, "/\\") ||
		strings.ContainsAny(v, "\r\n") {
		return "/"
	}
	return v
}
