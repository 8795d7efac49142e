package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/api"
	"github.com/pdw-registry/pdw/models"
)

//go:embed templates
var templateFS embed.FS

// parseTemplates parses each page into its own set with the layout and
// the partials (html/template needs one set per page for the layout's
// blocks).
func (w *Web) parseTemplates() (map[string]*template.Template, error) {
	pages, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	funcs := template.FuncMap{
		"join":     strings.Join,
		"dec":      func(n int) int { return n - 1 },
		"ptime":    func(t time.Time) *time.Time { return &t },
		"contains": func(list []string, s string) bool { return slices.Contains(list, s) },
		"deref64": func(f *float64) float64 {
			if f == nil {
				return 0
			}
			return *f
		},
		"deref": func(s *string) string {
			if s == nil {
				return ""
			}
			return *s
		},
	}
	out := map[string]*template.Template{}
	for _, p := range pages {
		name := strings.TrimSuffix(path.Base(p), ".html")
		layout := "templates/layout.html"
		if strings.HasPrefix(name, "w_") {
			layout = "templates/worker_layout.html"
		}
		t, err := template.New(path.Base(layout)).Funcs(funcs).ParseFS(templateFS, layout, "templates/partials/*.html", p)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// view is what every console template gets.
type view struct {
	w    *Web
	Lang string
	Dir  string
	User *models.User
	// CSRF is the token of the page's forms.
	CSRF string
	Path string
	// Title is the page's title key.
	Title string
	// Data is the page's own data.
	Data any
	// Form holds the submitted values to show again after an error.
	Form url.Values
	// Errors maps a field (the API's name for it) to its message.
	Errors map[string]string
	// Message is the summary of an error, or a notice.
	Message string
	Notice  string
	query   url.Values
}

// FieldID is the id of a field's input (for links from the error summary).
func (v *view) FieldID(name string) string { return fieldID(name) }

// FieldName is a field's label for the error summary: its label text when
// the console has one ("field.<name>"), else the field's name.
func (v *view) FieldName(name string) string {
	if v.w.text.has("field." + name) {
		return v.T("field." + name)
	}
	return name
}

// PageURL is the current list with its filters, from cursor after.
func (v *view) PageURL(after string) string {
	q := url.Values{}
	for k, vs := range v.query {
		q[k] = vs
	}
	q.Set("after", after)
	return v.Path + "?" + q.Encode()
}

// T returns the console text of key in the page's language.
func (v *view) T(key string, args ...any) string { return v.w.text.text(v.Lang, key, args...) }

// Label returns the text of "prefix.value" if there is one, else value
// (enumerations: statuses, kinds, ranks).
func (v *view) Label(prefix, value string) string {
	if v.w.text.has(prefix + "." + value) {
		return v.T(prefix + "." + value)
	}
	return strings.ReplaceAll(value, "_", " ")
}

// Asset returns a static file's content-hashed URL.
func (v *view) Asset(name string) string { return v.w.assets.url(name) }

// Err returns the error message of a field ("" if none).
func (v *view) Err(name string) string { return v.Errors[name] }

// Val returns the submitted value of a field, or def when the form was
// not submitted.
func (v *view) Val(name string, def ...string) string {
	if v.Form == nil {
		if len(def) > 0 {
			return def[0]
		}
		return ""
	}
	return v.Form.Get(name)
}

// Checked reports whether a checkbox was ticked (or def before submission).
func (v *view) Checked(name string, def bool) bool {
	if v.Form == nil {
		return def
	}
	return v.Form.Get(name) != ""
}

// Can reports whether the user has one of the roles.
func (v *view) Can(roles ...string) bool { return v.User != nil && slices.Contains(roles, v.User.Role) }

// Date formats a date (nil: a dash).
func (v *view) Date(d *models.Date) string {
	if d == nil {
		return "–"
	}
	return d.String()
}

// When formats an instant in the office's time zone.
func (v *view) When(t *time.Time) string {
	if t == nil {
		return "–"
	}
	return t.In(v.w.opts.Location).Format("2006-01-02 15:04")
}

// Clock formats an instant's time of day in the office's time zone.
func (v *view) Clock(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(v.w.opts.Location).Format("15:04")
}

// newView builds the view of a console page.
func (w *Web) newView(c *gin.Context, title string, data any) *view {
	v := &view{w: w, Lang: models.ConsoleLanguages[0], Dir: "ltr", Title: title, Data: data, Path: c.Request.URL.Path,
		query: c.Request.URL.Query()}
	if u := user(c); u != nil {
		v.User = u
		if slices.Contains(models.ConsoleLanguages, u.Language) {
			v.Lang = u.Language
		}
		v.CSRF = sessionToken(c)
	} else if l := c.Query("lang"); slices.Contains(models.ConsoleLanguages, l) {
		v.Lang = l
	}
	return v
}

// render writes a page with status.
func (w *Web) render(c *gin.Context, status int, name string, v any) {
	t, ok := w.pages[name]
	if !ok {
		panic("web: no page template " + name)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		w.srv.LogInternal(c, fmt.Errorf("web: render %s: %w", name, err))
		c.AbortWithStatus(http.StatusInternalServerError)
		return
	}
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// page renders a console page with its data (200).
func (w *Web) page(c *gin.Context, name, title string, data any) {
	w.render(c, http.StatusOK, name, w.newView(c, title, data))
}

// fail renders an error page with the status the API would answer.
func (w *Web) fail(c *gin.Context, err error) {
	w.srv.LogInternal(c, err)
	status := api.StatusOf(err)
	v := w.newView(c, "error.title", status)
	if status == http.StatusInternalServerError {
		v.Message = v.T("error.internal")
	} else {
		v.Message = models.ErrorMessage(err)
		v.Errors = models.ErrorFields(err)
	}
	w.render(c, status, "error", v)
	c.Abort()
}

// formError shows a form again with the field errors of err, or fails
// for an error that is not about the input.
func (w *Web) formError(c *gin.Context, name, title string, data any, err error) {
	code := models.ErrorCode(err)
	if code != models.EINVALID && code != models.EBADREQUEST && code != models.ECONFLICT {
		w.fail(c, err)
		return
	}
	v := w.newView(c, title, data)
	v.Form = c.Request.PostForm
	v.Message = models.ErrorMessage(err)
	v.Errors = models.ErrorFields(err)
	w.render(c, api.StatusOf(err), name, v)
}

// redirect answers a successful POST with 303 See Other.
func redirect(c *gin.Context, to string) { c.Redirect(http.StatusSeeOther, to) }

// pathID returns the :id parameter, failing with 404 for anything that
// is not an id.
func (w *Web) pathID(c *gin.Context, object string) (string, bool) {
	id := c.Param("id")
	if !models.ValidID(id) {
		w.fail(c, models.NotFound(object))
		return "", false
	}
	return id, true
}

// Langs lists the console's languages.
func (v *view) Langs() []string { return models.ConsoleLanguages }

// LangChoices are the console's languages as options, each in itself.
func (v *view) LangChoices() []Choice {
	out := make([]Choice, len(models.ConsoleLanguages))
	for i, l := range models.ConsoleLanguages {
		out[i] = Choice{l, v.w.text.text(l, "lang."+l)}
	}
	return out
}

// With returns a copy of the view with other data (for partials).
func (v *view) With(data any) *view {
	c := *v
	c.Data = data
	return &c
}

// Parties are the parties who sign a contract.
func (v *view) Parties() []string { return []string{models.PartyEmployer, models.PartyWorker} }

// PageURL2 is the current list with its filters and key set to val.
func (v *view) PageURL2(key, val string) string {
	q := url.Values{}
	for k, vs := range v.query {
		q[k] = vs
	}
	q.Set(key, val)
	return v.Path + "?" + q.Encode()
}

// Amount formats a sum in minor units of its currency ("1200.00").
func (v *view) Amount(minor int64, currency string) string {
	return models.FormatAmount(minor, currency)
}
