package contracts

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pdw-registry/pdw/models"
)

// Leaflet is the worker's rights leaflet: one or two pages in the worker's
// language, in plain words, with the policy's floors (the worker's
// contract may give more, never less), the appointments at the protocol
// office where the worker is seen alone, and where to get help.
type Leaflet struct {
	// Language is the BCP 47 tag of the worker's language.
	Language string
	// WorkerName, when set, is printed under the title.
	WorkerName string
	// IssuedAt is printed and is the PDF's creation date.
	IssuedAt time.Time
	Policy   models.Policy
	Help     Help
}

func (l *Leaflet) check() error {
	bad := func(s string) error { return fmt.Errorf("%w: %s", ErrInvalidInput, s) }
	p := &l.Policy
	switch {
	case l.IssuedAt.IsZero():
		return bad("issued_at is required")
	case p.Currency == "" || p.MinMonthlyNetWageMinor <= 0:
		return bad("the policy needs a minimum wage and its currency")
	case p.MaxWeeklyHours <= 0:
		return bad("the policy needs max_weekly_hours")
	case p.ArrivalRegistrationDays <= 0 || p.CheckinIntervalMonths <= 0:
		return bad("the policy needs arrival_registration_days and checkin_interval_months")
	}
	return checkHelp(l.Help)
}

// Leaflet sizes (pt): larger than the contract's, for reading ease.
const (
	leafTitle   = 18.0
	leafHeading = 13.0
	leafBody    = 11.0
)

// RenderLeaflet writes the rights leaflet l as a PDF to w. Errors are as
// for Render.
func RenderLeaflet(w io.Writer, l Leaflet, opts Options) error {
	if err := loadFonts(); err != nil {
		return err
	}
	cat, err := opts.catalog()
	if err != nil {
		return err
	}
	lang, err := cat.lookup(l.Language)
	if err != nil {
		return err
	}
	if err := l.check(); err != nil {
		return err
	}
	fields := append(helpFields(l.Help), struct{ name, v string }{"worker full_name", l.WorkerName},
		struct{ name, v string }{"currency", l.Policy.Currency})
	for _, f := range fields {
		if err := checkDrawable(f.name, f.v, lang.script); err != nil {
			return err
		}
	}

	p := &l.Policy
	date := lang.date(models.DateOf(l.IssuedAt.UTC()))
	vars := map[string]string{
		"name":             l.WorkerName,
		"wage":             lang.amount(p.MinMonthlyNetWageMinor, p.Currency),
		"currency":         p.Currency,
		"weekly_hours":     lang.number(p.MaxWeeklyHours),
		"daily_rest_hours": lang.number(p.MinDailyRestHours),
		"weekly_rest_days": lang.number(p.MinWeeklyRestDays),
		"overtime_pct":     lang.integer(p.MinOvertimePremiumPct),
		"sunday_pct":       lang.integer(p.MinSundayPremiumPct),
		"night_pct":        lang.integer(p.MinNightPremiumPct),
		"leave_weeks":      lang.number(p.MinAnnualLeaveWeeks),
		"public_holidays":  lang.integer(p.MinPublicHolidays),
		"arrival_days":     lang.integer(p.ArrivalRegistrationDays),
		"checkin_months":   lang.integer(p.CheckinIntervalMonths),
		"version":          lang.version.Version,
		"status":           lang.version.Status,
		"date":             date,
	}
	deductions := "leaflet.deductions_all"
	if p.BoardLodgingDeductible {
		deductions = "leaflet.deductions_board"
	}
	rights := []string{"leaflet.wage"}
	add := func(key string, ok bool) {
		if ok {
			rights = append(rights, key)
		}
	}
	add("leaflet.account", p.SoleNameAccountRequired)
	add(deductions, true)
	add("leaflet.hours", true)
	add("leaflet.overtime", p.MinOvertimePremiumPct > 0 || p.MinSundayPremiumPct > 0 || p.MinNightPremiumPct > 0)
	add("leaflet.leave", true)
	add("leaflet.room", p.OwnLockableRoomRequired)
	add("leaflet.free_time", true)
	add("leaflet.passport", p.WorkerKeepsPassportRequired)
	add("leaflet.phone", p.FamilyContactRequired)
	add("leaflet.sick", true)
	add("leaflet.health", p.HealthInsuranceRequired)
	add("leaflet.accident", p.AccidentInsuranceRequired)
	add("leaflet.travel", p.ReturnTravelRequired)
	add("leaflet.contract", true)

	d := newDoc(l.IssuedAt, lang.text("leaflet.title", nil), lang.tag)
	defer d.release()
	d.footer = func() {
		y := d.y
		d.y = pageH - footerHeight + 6
		d.rule(2)
		page := map[string]string{"page": lang.integer(d.pdf.PageNo()), "pages": pageCountAlias}
		text := lang.text("leaflet.footer", vars) + " · " + lang.text("doc.page", page)
		d.footErr(d.paragraph(&para{runs: []run{{text: text, script: lang.script, color: grey}}, size: footSize, leadMM: lead(footSize), nums: lang.nums}))
		d.y = y
	}
	d.newPage()

	var errs []error
	draw := func(p *para) { errs = append(errs, d.paragraph(p)) }
	// inset returns the column of a paragraph indented by start mm from
	// the side the language starts its lines at.
	inset := func(start float64) (indent, width float64) {
		if lang.script.rtl {
			return 0, d.right - d.left - start
		}
		return start, 0
	}
	body := func(text string, bold bool, start float64) {
		indent, width := inset(start)
		draw(&para{runs: []run{{text: text, bold: bold, script: lang.script}}, indent: indent, width: width, size: leafBody, leadMM: lead(leafBody)})
	}
	heading := func(key string) {
		d.ensure(lead(leafHeading) + 3*lead(leafBody) + 3)
		d.y += 3
		draw(&para{runs: []run{{text: lang.text(key, nil), bold: true, script: lang.script, color: label}}, size: leafHeading, leadMM: lead(leafHeading)})
		d.y += 0.5
	}
	bullet := func(text string) {
		d.ensure(lead(leafBody))
		top := d.y
		indent, width := inset(1)
		draw(&para{runs: []run{{text: "•", script: lang.script, color: label}}, indent: indent, width: width, size: leafBody, leadMM: lead(leafBody)})
		d.y = top
		body(text, false, 6)
		d.y += 0.8
	}

	draw(&para{runs: []run{{text: lang.text("leaflet.title", nil), bold: true, script: lang.script}}, size: leafTitle, leadMM: lead(leafTitle)})
	if strings.TrimSpace(l.WorkerName) != "" {
		body(lang.text("leaflet.for", vars), false, 0)
	}
	d.y += 2
	body(lang.text("leaflet.intro", nil), false, 0)

	heading("leaflet.rights")
	for _, key := range rights {
		bullet(lang.text(key, vars))
	}

	heading("leaflet.appointments_heading")
	body(lang.text("leaflet.appointments", vars), false, 0)
	d.y += 1
	body(lang.text("leaflet.alone", nil), true, 0)

	heading("leaflet.help_heading")
	body(lang.text("leaflet.help_intro", nil), false, 0)
	d.y += 1
	for _, key := range helpSentences(l.Help)[1:] {
		bullet(lang.text(key, contactVars(l.Help, key)))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return d.output(w)
}
