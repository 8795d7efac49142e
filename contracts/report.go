package contracts

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/pdw-registry/pdw/models"
)

// Report sizes (pt).
const (
	repTitle   = 18.0
	repHeading = 13.0
	repBody    = 9.0
	repSmall   = 7.5
)

// reportMissionCols is how many metrics a per-mission table shows side by
// side; a section with more gets several tables.
const reportMissionCols = 4

// RenderReport writes the compliance report r as a PDF to w: a cover with
// the period, the scope, the generation time and the data's as-of time
// (and, for an auditor's report, the suppression rule), then per section a
// table of the figures for all missions and, when the report covers more
// than one mission, tables per mission; bar charts of check-ins on time
// against missed per mission and of interviews by risk level. Every page's
// footer carries the page number. The output depends only on r (its
// generation time is the PDF's creation date). The report is in English,
// the protocol office's working language for ministries; mission names in
// a script no embedded font draws in a Latin paragraph print as "?".
func RenderReport(w io.Writer, r *models.Report) error {
	if err := loadFonts(); err != nil {
		return err
	}
	if r == nil || r.GeneratedAt.IsZero() {
		return fmt.Errorf("%w: the report needs a generation time", ErrInvalidInput)
	}
	latin := scripts["Latn"]
	d := newDoc(r.GeneratedAt, "Compliance report "+r.From.String()+" to "+r.To.String(), "en")
	defer d.release()
	stamp := func(t interface{ Format(string) string }) string { return t.Format("2006-01-02 15:04 UTC") }
	d.footer = func() {
		y := d.y
		d.y = pageH - footerHeight + 6
		d.rule(2)
		text := "PDW Registry compliance report · " + r.From.String() + " to " + r.To.String() + " · generated " +
			stamp(r.GeneratedAt.UTC()) + " · data as of " + stamp(r.AsOf.UTC()) + " · Page " + strconv.Itoa(d.pdf.PageNo()) + " of {nb}"
		d.footErr(d.paragraph(&para{runs: []run{{text: text, script: latin, color: grey}}, size: footSize, leadMM: lead(footSize)}))
		d.y = y
	}
	var errs []error
	draw := func(text string, bold bool, c rgb, size, indent, width float64) {
		errs = append(errs, d.paragraph(&para{runs: []run{{text: drawable(text, latin), bold: bold, script: latin, color: c}},
			indent: indent, width: width, size: size, leadMM: lead(size)}))
	}

	// Cover.
	d.newPage()
	d.y += 30
	draw("Compliance report", true, black, 24, 0, 0)
	d.y += 4
	draw("Private domestic workers employed by members of missions", false, grey, repHeading, 0, 0)
	d.y += 12
	for _, kv := range [][2]string{
		{"Period", r.From.String() + " to " + r.To.String() + " (both days included)"},
		{"Scope", r.Scope},
		{"Generated", stamp(r.GeneratedAt.UTC())},
		{"Data as of", stamp(r.AsOf.UTC())},
		{"Missions", strconv.Itoa(len(r.Missions))},
	} {
		top := d.y
		draw(kv[0], true, label, 11, 0, 35)
		d.y = top
		draw(kv[1], false, black, 11, 38, 0)
		d.y += 1.5
	}
	d.y += 6
	if r.Suppressed {
		draw(fmt.Sprintf("Small counts suppressed: counts from 1 to %d that could single out a worker are shown as \"<%d\", "+
			"and further cells are hidden wherever a total would let one compute a hidden count back.", r.MinCell-1, r.MinCell), false, black, 10, 0, 0)
	} else {
		draw("Exact figures (protocol office). Do not pass on: small counts can single out a worker.", false, black, 10, 0, 0)
	}
	d.y += 8
	draw("Sections", true, label, repHeading, 0, 0)
	d.y += 1
	for i, s := range r.Sections {
		note := ""
		if !s.Available {
			note = " (not recorded yet)"
		}
		draw(strconv.Itoa(i+1)+". "+s.Title+note, false, black, 10, 4, 0)
	}

	// Sections.
	for i, s := range r.Sections {
		d.newPage()
		draw(strconv.Itoa(i+1)+". "+s.Title, true, label, repTitle, 0, 0)
		d.y += 3
		if !s.Available {
			draw("No figures yet: the registry does not record this section's data yet.", false, grey, repBody, 0, 0)
			continue
		}
		if len(s.Metrics) == 0 {
			draw("Nothing recorded in the period.", false, grey, repBody, 0, 0)
			continue
		}
		// All missions.
		rows := make([][]string, len(s.Metrics))
		for j, m := range s.Metrics {
			rows[j] = []string{m.Label, show(m.Total)}
		}
		d.table([]string{"Figure", "All missions"}, []float64{130, 40}, rows, &errs)
		// Per mission.
		if len(r.Missions) > 1 {
			for start := 0; start < len(s.Metrics); start += reportMissionCols {
				ms := s.Metrics[start:min(start+reportMissionCols, len(s.Metrics))]
				head := []string{"Mission"}
				widths := []float64{50}
				for _, m := range ms {
					head = append(head, m.Label)
					widths = append(widths, 120/float64(len(ms)))
				}
				rows := make([][]string, len(r.Missions))
				for k, mission := range r.Missions {
					rows[k] = []string{mission.Name}
					for _, m := range ms {
						rows[k] = append(rows[k], show(m.ByMission[mission.ID]))
					}
				}
				d.y += 4
				d.table(head, widths, rows, &errs)
			}
		}
		switch s.Key {
		case "checkins":
			d.y += 6
			d.barChart("Check-ins per mission: attended on schedule and missed", r, []string{"checkins_on_time", "checkins_missed"},
				[]string{"on schedule", "missed"}, &errs)
		case "interviews":
			var keys, names []string
			for _, m := range s.Metrics {
				if strings.HasPrefix(m.Key, "risk.") {
					keys, names = append(keys, m.Key), append(names, strings.TrimPrefix(m.Key, "risk."))
				}
			}
			d.y += 6
			if len(keys) == 0 {
				draw("Risk levels: no interviews in the period.", false, grey, repBody, 0, 0)
			} else {
				d.barChart("Interviews by risk level, per mission", r, keys, names, &errs)
			}
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return d.output(w)
}

// show is a cell as the PDF prints it: "–" for no value.
func show(c models.Cell) string {
	if s := c.String(); s != "" {
		return s
	}
	return "–"
}

// drawable replaces the runes no embedded font draws in a paragraph of sc.
func drawable(s string, sc *script) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == ' ' {
			return ' '
		}
		if faceFor(sc, false, r) == nil || faceFor(sc, true, r) == nil {
			return '?'
		}
		return r
	}, s)
}

// textWidth is s's width in mm at size pt in Noto Sans.
func textWidth(s string, size float64, bold bool) float64 {
	f := notoSans
	if bold {
		f = notoSansBold
	}
	var w int
	for _, r := range s {
		w += f.width(r)
	}
	return float64(w) * size * ptToMM / 1000
}

// linesFor estimates how many lines s takes in a column width mm wide.
func linesFor(s string, size, width float64, bold bool) int {
	return max(1, int(math.Ceil(textWidth(s, size, bold)*1.1/(width-2))))
}

// table draws a table with a bold header row, repeating the header on
// each new page; columns are widths mm wide from the left margin and the
// first column is left aligned text, the others figures.
func (d *doc) table(head []string, widths []float64, rows [][]string, errs *[]error) {
	latin := scripts["Latn"]
	rowHeight := func(cells []string, size float64, bold bool) float64 {
		n := 1
		for i, c := range cells {
			n = max(n, linesFor(drawable(c, latin), size, widths[i], bold))
		}
		return float64(n)*lead(size) + 1.6
	}
	drawRow := func(cells []string, size float64, bold bool, fill bool) {
		h := rowHeight(cells, size, bold)
		top := d.y
		if fill {
			d.pdf.SetFillColor(232, 238, 246)
			d.pdf.Rect(d.left, top, sum(widths), h, "F")
		}
		x := 0.0
		for i, c := range cells {
			d.y = top + 0.8
			*errs = append(*errs, d.paragraph(&para{runs: []run{{text: drawable(c, latin), bold: bold, script: latin}},
				indent: x + 1, width: widths[i] - 2, size: size, leadMM: lead(size)}))
			x += widths[i]
		}
		d.y = top + h
		d.pdf.SetDrawColor(200, 200, 200)
		d.pdf.SetLineWidth(0.1)
		d.pdf.Line(d.left, d.y, d.left+sum(widths), d.y)
	}
	header := func() { drawRow(head, repSmall, true, true) }
	d.ensure(rowHeight(head, repSmall, true) + lead(repBody) + 2)
	header()
	for _, row := range rows {
		if d.y+rowHeight(row, repBody, false) > d.bottom {
			d.newPage()
			header()
		}
		drawRow(row, repBody, false, false)
	}
}

func sum(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s
}

// Bar colours of the charts' series.
var barColors = []rgb{{46, 125, 50}, {198, 40, 40}, {21, 101, 192}, {239, 108, 0}, {106, 27, 154}, {0, 131, 143}}

// barChart draws horizontal bars per mission (or the total, for a report
// on one mission), one bar per series, scaled to the largest value; a
// hidden value draws no bar and prints "<5".
func (d *doc) barChart(title string, r *models.Report, keys, names []string, errs *[]error) {
	latin := scripts["Latn"]
	type group struct {
		name  string
		cells []models.Cell
	}
	var groups []group
	if len(r.Missions) > 1 {
		for _, m := range r.Missions {
			g := group{name: m.Name}
			for _, k := range keys {
				var c models.Cell
				if mt := r.Metric(k); mt != nil {
					c = mt.ByMission[m.ID]
				}
				g.cells = append(g.cells, c)
			}
			groups = append(groups, g)
		}
	} else {
		g := group{name: r.Scope}
		for _, k := range keys {
			var c models.Cell
			if mt := r.Metric(k); mt != nil {
				c = mt.Total
			}
			g.cells = append(g.cells, c)
		}
		groups = append(groups, g)
	}
	maxV := 1.0
	for _, g := range groups {
		for _, c := range g.cells {
			if !c.Hidden && !c.Null {
				maxV = math.Max(maxV, c.Value)
			}
		}
	}
	const nameW, barH, gap = 45.0, 3.2, 2.5
	barW := d.right - d.left - nameW - 15
	d.ensure(lead(11) + 12)
	*errs = append(*errs, d.paragraph(&para{runs: []run{{text: title, bold: true, script: latin, color: label}}, size: 11, leadMM: lead(11)}))
	// Legend.
	d.y += 1
	x := d.left
	for i, n := range names {
		c := barColors[i%len(barColors)]
		d.pdf.SetFillColor(c.r, c.g, c.b)
		d.pdf.Rect(x, d.y+0.5, 4, 3, "F")
		d.text(notoSans, repSmall, black, x+5, d.y+3, n)
		x += 8 + textWidth(n, repSmall, false) + 4
	}
	d.y += 6
	for _, g := range groups {
		h := float64(len(g.cells))*barH + gap
		if d.y+h > d.bottom {
			d.newPage()
		}
		top := d.y
		name := drawable(g.name, latin)
		for textWidth(name, repSmall, false) > nameW-2 && len([]rune(name)) > 4 {
			rs := []rune(name)
			name = string(rs[:len(rs)-4]) + "…"
		}
		d.text(notoSans, repSmall, black, d.left, top+barH*0.8, name)
		for i, c := range g.cells {
			y := top + float64(i)*barH
			col := barColors[i%len(barColors)]
			val := show(c)
			if !c.Hidden && !c.Null && c.Value > 0 {
				d.pdf.SetFillColor(col.r, col.g, col.b)
				d.pdf.Rect(d.left+nameW, y+0.3, barW*c.Value/maxV, barH-0.6, "F")
			}
			w := 0.0
			if !c.Hidden && !c.Null {
				w = barW * c.Value / maxV
			}
			d.text(notoSans, repSmall-1, grey, d.left+nameW+w+1, y+barH*0.78, val)
		}
		d.y = top + h
	}
}
