package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/api"
	"github.com/pdw-registry/pdw/models"
)

type loginPage struct {
	Next       string
	SetupReady bool
}

func (w *Web) loginView(c *gin.Context) *view {
	v := w.newView(c, "login.title", loginPage{Next: nextPath(c.Query("next")), SetupReady: w.srv.SetupPending()})
	v.CSRF = w.preSessionToken(c)
	return v
}

// showLogin is the login form.
func (w *Web) showLogin(c *gin.Context) {
	w.render(c, http.StatusOK, "login", w.loginView(c))
}

// saveLogin checks the credentials under the API's login limiter and
// opens a session.
func (w *Web) saveLogin(c *gin.Context) {
	if _, err := w.srv.Login(c, c.PostForm("email"), c.PostForm("password")); err != nil {
		w.srv.LogInternal(c, err)
		v := w.loginView(c)
		v.Form = c.Request.PostForm
		v.Form.Del("password")
		v.Message = models.ErrorMessage(err)
		if api.StatusOf(err) == http.StatusInternalServerError {
			v.Message = v.T("error.internal")
		}
		w.render(c, api.StatusOf(err), "login", v)
		return
	}
	redirect(c, nextPath(c.PostForm("next")))
}

// saveLogout ends the session.
func (w *Web) saveLogout(c *gin.Context) {
	if err := w.srv.Logout(c); err != nil {
		w.fail(c, err)
		return
	}
	redirect(c, "/login")
}

func (w *Web) setupView(c *gin.Context) *view {
	v := w.newView(c, "setup.title", w.srv.SetupPending())
	v.CSRF = w.preSessionToken(c)
	return v
}

// showSetup is the first-run form: the one-time setup token from the
// server's log, and the first administrator's e-mail and password.
func (w *Web) showSetup(c *gin.Context) {
	w.render(c, http.StatusOK, "setup", w.setupView(c))
}

// saveSetup creates the first administrator and logs them in.
func (w *Web) saveSetup(c *gin.Context) {
	email, password := c.PostForm("email"), c.PostForm("password")
	if _, err := w.srv.Setup(c.Request.Context(), c.PostForm("token"), email, password); err != nil {
		w.srv.LogInternal(c, err)
		v := w.setupView(c)
		v.Form = c.Request.PostForm
		v.Form.Del("password")
		v.Form.Del("token")
		v.Message = models.ErrorMessage(err)
		v.Errors = models.ErrorFields(err)
		w.render(c, api.StatusOf(err), "setup", v)
		return
	}
	if _, err := w.srv.Login(c, email, password); err != nil {
		redirect(c, "/login")
		return
	}
	redirect(c, "/")
}

type accountPage struct {
	Tokens    []models.APIToken
	NewToken  string
	Languages []string
}

func (w *Web) accountData(c *gin.Context) (accountPage, error) {
	ts, err := w.store.FindAPITokens(c.Request.Context(), user(c).ID)
	return accountPage{Tokens: ts, Languages: models.ConsoleLanguages}, err
}

// showAccount is the user's own account: language and API tokens.
func (w *Web) showAccount(c *gin.Context) {
	d, err := w.accountData(c)
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "account", "account.title", d)
}

// saveLanguage sets the console's language for the user.
func (w *Web) saveLanguage(c *gin.Context) {
	u, err := w.store.SetLanguage(c.Request.Context(), c.PostForm("language"))
	if err != nil {
		d, _ := w.accountData(c)
		w.formError(c, "account", "account.title", d, err)
		return
	}
	c.Set(ctxUser, u)
	redirect(c, "/account")
}

// saveToken issues a personal API token, shown this once.
func (w *Web) saveToken(c *gin.Context) {
	_, secret, err := w.store.CreateAPIToken(c.Request.Context(), user(c), c.PostForm("name"))
	d, lerr := w.accountData(c)
	if err != nil {
		w.formError(c, "account", "account.title", d, err)
		return
	}
	if lerr != nil {
		w.fail(c, lerr)
		return
	}
	d.NewToken = secret
	w.page(c, "account", "account.title", d)
}

// deleteToken revokes one of the user's tokens.
func (w *Web) deleteToken(c *gin.Context) {
	id, ok := w.pathID(c, "token")
	if !ok {
		return
	}
	if err := w.store.DeleteAPIToken(c.Request.Context(), id); err != nil {
		w.fail(c, err)
		return
	}
	redirect(c, "/account")
}
