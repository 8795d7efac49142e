package web

import (
	"fmt"
	"html"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/contracts"
	"github.com/pdw-registry/pdw/models"
)

// The worker's private page, opened with the personal access code handed
// over in person. It sets no cookie, is never cached, sends no referrer,
// and says only what the worker needs: the next appointment, the papers,
// the help numbers, a discreet alarm and a quick exit.

// workerView is what the worker page's template gets.
type workerView struct {
	Lang, Dir string
	Code      string
	CSRF      string
	ExitURL   string
	Script    string
	Style     string
	// Texts are the page's texts in the worker's language.
	Texts map[string]string
	// Next appointment, formatted.
	HasNext                       bool
	NextDate, NextTime, NextPlace template.HTML
	HasContract                   bool
	// TextVersion and TextStatus say which text the page is in ("draft
	// translation" until a deployment installs a certified one), as the
	// contract and the leaflet do.
	TextVersion, TextStatus string
	Help                    []helpLine
	Emergency               string
	EmergencyTel            template.URL
	// Sent and Failed report the discreet alarm's result.
	Sent, Failed bool
	Languages    []langLink
}

type helpLine struct {
	Name, Phone string
	Tel         template.URL
}

type langLink struct{ Tag, Name, Href string }

// tel turns a phone number into a tel: URI (digits and a leading +; safe
// as a URL since nothing else passes).
func tel(phone string) template.URL {
	var b strings.Builder
	for i, r := range strings.TrimSpace(phone) {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return template.URL("tel:" + b.String())
}

// workerLanguage picks the page's language: ?lang= when the catalog has
// it, else the worker's first language that it has, else English.
func workerLanguage(cat *contracts.Catalog, asked string, langs []string) string {
	if models.ValidLanguage(asked) && cat.Has(asked) {
		return models.CanonicalLanguage(asked)
	}
	for _, l := range langs {
		if cat.Has(l) {
			return l
		}
	}
	return "en"
}

var workerKeys = []string{"page.title", "page.next_heading", "page.come_alone", "page.no_appointment",
	"page.papers_heading", "page.contract", "page.leaflet", "page.help_heading", "page.call", "page.emergency",
	"page.help_button", "page.help_sent", "page.help_failed", "page.exit", "page.languages"}

func (w *Web) workerCatalog() (*contracts.Catalog, error) {
	d := w.srv.Options().Documents
	if d == nil || d.Catalog == nil {
		return nil, models.Errorf(models.EUNAVAILABLE, "This registry has no texts for the workers' pages.")
	}
	return d.Catalog, nil
}

// workerPageView builds the page of a code in the chosen language.
func (w *Web) workerPageView(c *gin.Context, code string, p *models.WorkerPage) (*workerView, error) {
	cat, err := w.workerCatalog()
	if err != nil {
		return nil, err
	}
	lang := workerLanguage(cat, c.Query("lang"), p.Languages)
	v := &workerView{Lang: lang, Dir: "ltr", Code: code, CSRF: workerToken(code), ExitURL: w.opts.QuickExitURL,
		Script: w.assets.url("js/exit.js"), Style: w.assets.url("css/worker.css"), Texts: map[string]string{},
		HasContract: p.ContractID != ""}
	if cat.RightToLeft(lang) {
		v.Dir = "rtl"
	}
	if tv, err := cat.TextVersion(lang); err == nil {
		v.TextVersion, v.TextStatus = tv.Version, tv.Status
	}
	msg := func(key string, vars map[string]string) string {
		s, err := cat.Message(lang, key, vars)
		if err != nil {
			s, _ = cat.Message("en", key, vars)
		}
		return s
	}
	for _, k := range workerKeys {
		v.Texts[strings.TrimPrefix(k, "page.")] = msg(k, nil)
	}
	if a := p.Next; a != nil && a.Placed() {
		start := a.StartsAt.In(w.opts.Location)
		place := w.srv.Options().OfficePlace
		if a.Room != "" {
			place += ", " + a.Room
		}
		v.HasNext = true
		// Each value is isolated (<bdi>), so that a date or a Latin address
		// keeps its own order inside right-to-left text.
		isolated := func(key, name, value, dir string) template.HTML {
			const mark = "\x00value\x00"
			text := html.EscapeString(msg(key, map[string]string{name: mark}))
			bdi := `<bdi dir="` + dir + `">` + html.EscapeString(value) + `</bdi>`
			return template.HTML(strings.Replace(text, html.EscapeString(mark), bdi, 1))
		}
		v.NextDate = isolated("page.next_date", "date", start.Format("2006-01-02"), "ltr")
		v.NextTime = isolated("page.next_time", "time", start.Format("15:04"), "ltr")
		v.NextPlace = isolated("page.next_place", "place", place, "auto")
	}
	if d := w.srv.Options().Documents; d != nil {
		for _, ct := range []contracts.Contact{d.Help.Office, d.Help.Mediation, d.Help.NGO} {
			if ct.Phone != "" || ct.Name != "" {
				v.Help = append(v.Help, helpLine{Name: ct.Name, Phone: ct.Phone, Tel: tel(ct.Phone)})
			}
		}
		v.Emergency, v.EmergencyTel = d.Help.Emergency, tel(d.Help.Emergency)
	}
	// Links to the page in the worker's other languages first, then the rest.
	seen := map[string]bool{lang: true}
	for _, l := range append(slices.Clone(p.Languages), cat.Languages()...) {
		if seen[l] || !cat.Has(l) {
			continue
		}
		seen[l] = true
		name, _ := cat.Message(l, "language.name", nil)
		v.Languages = append(v.Languages, langLink{Tag: l, Name: name, Href: "/w/" + code + "?lang=" + l})
	}
	return v, nil
}

// workerFail shows a plain page for a code that does not work (404), a
// limited address (429) or an outage, in English and without detail.
func (w *Web) workerFail(c *gin.Context, err error) {
	w.srv.LogInternal(c, err)
	status := http.StatusNotFound
	switch models.ErrorCode(err) {
	case models.ERATELIMIT:
		status = http.StatusTooManyRequests
	case models.ENOTFOUND:
	default:
		status = http.StatusServiceUnavailable
	}
	v := &workerView{Lang: "en", Dir: "ltr", ExitURL: w.opts.QuickExitURL, Script: w.assets.url("js/exit.js"),
		Style: w.assets.url("css/worker.css"), Texts: map[string]string{"exit": "Quick exit"}}
	w.render(c, status, "w_missing", v)
	c.Abort()
}

// showWorkerPage is GET /w/:code.
func (w *Web) showWorkerPage(c *gin.Context) {
	code := c.Param("code")
	var p *models.WorkerPage
	err := w.srv.WithAccessCode(c, func() (err error) {
		p, err = w.store.WorkerPageByCode(c.Request.Context(), code)
		return err
	})
	if err != nil {
		w.workerFail(c, err)
		return
	}
	v, err := w.workerPageView(c, code, p)
	if err != nil {
		w.workerFail(c, err)
		return
	}
	switch c.Query("help") {
	case "sent":
		v.Sent = true
	case "failed":
		v.Failed = true
	}
	w.render(c, http.StatusOK, "w_page", v)
}

// saveWorkerHelp is the discreet alarm: a supervisors' alert on the
// employment's timeline; the page then says it was sent.
func (w *Web) saveWorkerHelp(c *gin.Context) {
	code := c.Param("code")
	err := w.srv.WithAccessCode(c, func() error { return w.store.WorkerHelp(c.Request.Context(), code) })
	lang := ""
	if l := c.PostForm("lang"); models.ValidLanguage(l) {
		lang = "&lang=" + l
	}
	switch models.ErrorCode(err) {
	case "":
		redirect(c, "/w/"+code+"?help=sent"+lang)
	case models.ECONFLICT:
		redirect(c, "/w/"+code+"?help=failed"+lang)
	default:
		w.workerFail(c, err)
	}
}

// downloadWorkerContract serves the newest contract of the worker's
// current employment.
func (w *Web) downloadWorkerContract(c *gin.Context) {
	code := c.Param("code")
	var (
		cv  *models.ContractVersion
		pdf []byte
	)
	err := w.srv.WithAccessCode(c, func() (err error) {
		cv, pdf, err = w.store.WorkerContractPDF(c.Request.Context(), code)
		return err
	})
	if err != nil {
		w.workerFail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="contract-v%d.pdf"`, cv.Version))
	c.Data(http.StatusOK, "application/pdf", pdf)
}

// downloadWorkerLeaflet renders the rights leaflet in the page's language.
func (w *Web) downloadWorkerLeaflet(c *gin.Context) {
	code := c.Param("code")
	var p *models.WorkerPage
	err := w.srv.WithAccessCode(c, func() (err error) {
		p, err = w.store.WorkerPageByCode(c.Request.Context(), code)
		return err
	})
	if err != nil {
		w.workerFail(c, err)
		return
	}
	cat, err := w.workerCatalog()
	if err != nil {
		w.workerFail(c, err)
		return
	}
	lang := workerLanguage(cat, c.Query("lang"), p.Languages)
	pdf, err := w.srv.LeafletPDF(c.Request.Context(), lang, p.FullName)
	if err != nil {
		w.workerFail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="rights-`+lang+`.pdf"`)
	c.Data(http.StatusOK, "application/pdf", pdf)
}
