package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/pdw-registry/pdw/models"
)

// bar is one bar of a chart drawn on the server as SVG: its value and
// its length in the chart's units (0 to barMax); Text is the figure as
// the report gives it ("<5" when an auditor's cell is suppressed).
type bar struct {
	Label  string
	Text   string
	Length float64
	Class  string
	Y      int
}

// barGroup is a labelled row of bars (one mission, one risk level).
type barGroup struct {
	Label string
	Bars  []bar
	Y     int
}

// chart is a horizontal bar chart.
type chart struct {
	ID, Title string
	Groups    []barGroup
	Legend    []bar
	Height    int
}

const (
	barMax    = 300.0
	barHeight = 18
)

// newChart lays the groups out: every bar's length relative to the
// largest value shown; a hidden (suppressed) cell is drawn with no bar.
func newChart(id, title string, groups []barGroup, legend []bar) chart {
	var top float64
	for _, g := range groups {
		for _, b := range g.Bars {
			top = max(top, b.Length)
		}
	}
	y := 0
	for i := range groups {
		groups[i].Y = y
		for j := range groups[i].Bars {
			b := &groups[i].Bars[j]
			if top > 0 {
				b.Length = b.Length / top * barMax
			}
			b.Y = y
			y += barHeight + 2
		}
		y += 10
	}
	return chart{ID: id, Title: title, Groups: groups, Legend: legend, Height: max(y, 20)}
}

func cellBar(label, class string, cl models.Cell) bar {
	b := bar{Label: label, Class: class, Text: cl.String()}
	if !cl.Hidden && !cl.Null {
		b.Length = cl.Value
	}
	if b.Text == "" {
		b.Text = "–"
	}
	return b
}

// reportPage is the compliance report with its filters and charts.
type reportPage struct {
	Report *models.Report
	// Scope is the report's scope and Sections its sections with their
	// titles and labels in the console's language (the report itself
	// keeps the English ones of the API, the CSV and the PDF).
	Scope    string
	Sections []models.ReportSection
	Query    map[string]string
	Missions []models.Mission
	Charts   []chart
	CSV, PDF string
}

// showReport is the compliance report (office and auditors) for a period
// and optionally one mission: the store's figures (an auditor's small
// counts suppressed as "<5"), bar charts drawn as SVG on the server and
// the CSV and PDF downloads (the API's routes, same session).
func (w *Web) showReport(c *gin.Context) {
	q, _, ok := w.filters(c, "from", "to", "mission_id")
	if !ok {
		return
	}
	today := models.DateOf(w.srv.Options().Now().In(w.opts.Location))
	if q["from"] == "" {
		q["from"] = models.Date{Year: today.Year, Month: 1, Day: 1}.String()
	}
	if q["to"] == "" {
		q["to"] = today.String()
	}
	f := newForm(url.Values{"from": {q["from"]}, "to": {q["to"]}})
	rq := models.ReportQuery{MissionID: q["mission_id"], MinCell: w.srv.Options().ReportMinCell}
	if d := f.date("from"); d != nil {
		rq.From = *d
	}
	if d := f.date("to"); d != nil {
		rq.To = *d
	}
	if err := f.err(); err != nil {
		w.fail(c, err)
		return
	}
	r, err := w.store.ComplianceReport(c.Request.Context(), rq)
	if err != nil {
		w.fail(c, err)
		return
	}
	v := w.newView(c, "report.title", nil)
	p := reportPage{Report: r, Query: q, Missions: w.missionChoices(c), Scope: r.Scope, Sections: translateSections(v, r.Sections)}
	if r.MissionID == "" {
		p.Scope = v.T("report.all_missions")
	}
	dl := url.Values{"from": {q["from"]}, "to": {q["to"]}}
	if q["mission_id"] != "" {
		dl.Set("mission_id", q["mission_id"])
	}
	dl.Set("format", models.ReportCSV)
	p.CSV = "/api/v1/reports/compliance?" + dl.Encode()
	dl.Set("format", models.ReportPDF)
	p.PDF = "/api/v1/reports/compliance?" + dl.Encode()

	// Check-ins per mission: on time beside missed.
	onTime, missed := r.Metric("checkins_on_time"), r.Metric("checkins_missed")
	if onTime != nil && missed != nil {
		var groups []barGroup
		for _, m := range r.Missions {
			groups = append(groups, barGroup{Label: m.Name, Bars: []bar{
				cellBar(v.T("report.on_time"), "bar-ok", onTime.ByMission[m.ID]),
				cellBar(v.T("report.missed"), "bar-bad", missed.ByMission[m.ID]),
			}})
		}
		p.Charts = append(p.Charts, newChart("chart-checkins", v.T("report.chart_checkins"), groups,
			[]bar{{Label: v.T("report.on_time"), Class: "bar-ok"}, {Label: v.T("report.missed"), Class: "bar-bad"}}))
	}
	// Interviews by risk level.
	var risk []barGroup
	for _, sec := range r.Sections {
		if sec.Key != "interviews" || !sec.Available {
			continue
		}
		for _, lvl := range models.Severities {
			if m := r.Metric("risk." + lvl); m != nil {
				risk = append(risk, barGroup{Label: v.Label("risk", lvl), Bars: []bar{cellBar(v.Label("risk", lvl), "bar-risk-"+lvl, m.Total)}})
			}
		}
	}
	p.Charts = append(p.Charts, newChart("chart-risk", v.T("report.chart_risk"), risk, nil))
	v.Data = p
	w.render(c, http.StatusOK, "report", v)
}

// translateSections returns a copy of the report's sections with each
// title and metric label in the console's language: "report.section.<key>"
// and "report.m.<key>" for the fixed ones, and for a metric the data names
// ("language.tl") its section's "report.dyn.<section>" pattern with the
// name in the console's language. A title or label without a text (a
// figure added to models.ReportSections later) keeps the report's English.
func translateSections(v *view, secs []models.ReportSection) []models.ReportSection {
	out := slices.Clone(secs)
	for i := range out {
		if k := "report.section." + out[i].Key; v.w.text.has(k) {
			out[i].Title = v.T(k)
		}
		out[i].Metrics = slices.Clone(out[i].Metrics)
		for j := range out[i].Metrics {
			out[i].Metrics[j].Label = metricLabel(v, out[i].Metrics[j])
		}
	}
	return out
}

// metricLabel is a metric's label in the console's language, or the
// report's own (English) label when the console has no text for it.
func metricLabel(v *view, m models.ReportMetric) string {
	if k := "report.m." + m.Key; v.w.text.has(k) {
		return v.T(k)
	}
	for _, sd := range models.ReportSections {
		rest, ok := strings.CutPrefix(m.Key, sd.Dynamic)
		if sd.Dynamic == "" || !ok || !v.w.text.has("report.dyn."+sd.Key) {
			continue
		}
		if name := dynamicName(v, sd.Dynamic, rest); name != "" {
			return v.T("report.dyn."+sd.Key, name)
		}
	}
	return m.Label
}

// dynamicName names the rest of a dynamic metric's key in the console's
// language ("" when the console has no name for it): a risk level, an
// ILO indicator, the kind of organisation referred to (their console
// labels) or a language (its CLDR name, golang.org/x/text; CLDR names
// "tl" Filipino).
func dynamicName(v *view, prefix, rest string) string {
	var label string
	switch prefix {
	case "risk.":
		label = "risk." + rest
	case "indicator.":
		label = "indicator." + rest
	case "referral.":
		label = "org_kind." + rest
	case "language.":
		tag, err := language.Parse(rest)
		if b, conf := tag.Base(); err != nil || conf == language.No || b.String() == "und" {
			return ""
		}
		return display.Languages(language.Make(v.Lang)).Name(tag)
	default:
		return ""
	}
	if !v.w.text.has(label) {
		return ""
	}
	return v.T(label)
}
