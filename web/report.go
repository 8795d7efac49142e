package web

import (
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

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
	Report   *models.Report
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
	p := reportPage{Report: r, Query: q, Missions: w.missionChoices(c)}
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
