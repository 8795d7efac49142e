// Package contracts renders the bilingual employment contract of a private
// domestic worker and the worker's rights leaflet as PDF, with
// codeberg.org/go-pdf/fpdf and embedded Noto fonts. It knows nothing of
// HTTP or the database: callers build a Contract or a Leaflet from the
// employment, its terms, the policy in force and the parties.
//
// Output is deterministic: the same input gives the same bytes (the PDF's
// dates come from IssuedAt and its internal catalogs are sorted), so a
// stored contract's SHA-256 can be checked later.
package contracts

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pdw-registry/pdw/models"
)

// ErrInvalidInput is wrapped by the errors for a Contract or Leaflet that
// lacks something a document must show (a date, a party's name, a help
// line); the message names the field.
var ErrInvalidInput = errors.New("contracts: incomplete input")

// Contract is everything the employment contract shows. The caller builds
// it from the employment, its approved terms, the policy version in force
// and the parties.
//
// Which text version of each language was used is not an input: the
// document prints the versions from the Catalog it is rendered with, and
// Catalog.TextVersion returns them for the caller to store.
type Contract struct {
	// HostLanguage and WorkerLanguage are BCP 47 tags, the first two of
	// the terms' contract_languages. Each clause is printed in the host
	// language and then in the worker's. An empty WorkerLanguage, or the
	// host language again, gives a contract in one language.
	HostLanguage   string
	WorkerLanguage string

	// Version is the contract version number (1, 2, ...); VerifyCode and
	// VerifyURL (<base>/verify/<code>) are printed in every page's footer.
	Version    int
	VerifyCode string
	VerifyURL  string

	// IssuedAt is the date of the contract and the PDF's creation date.
	IssuedAt time.Time
	// Place is where the contract is signed ("Bern").
	Place string

	Employer Employer
	Worker   Worker

	StartDate *models.Date
	EndDate   *models.Date // nil: no fixed end
	Terms     models.Terms
	// Policy supplies the protocol-office figures (registration and
	// check-in intervals) and the legal reference printed with each clause.
	Policy models.Policy
	Help   Help
}

// Employer is the employing member of a mission.
type Employer struct {
	FullName string
	// Rank is one of models.Ranks; it is printed translated.
	Rank string
	// MissionName and MissionCountry are printed as given ("Embassy of
	// Ruritania", "Ruritania" or "RU").
	MissionName    string
	MissionCountry string
}

// Worker is the employed private domestic worker.
type Worker struct {
	FullName       string
	Nationality    string
	DateOfBirth    *models.Date // nil: printed as not recorded
	PassportNumber string
}

// Help is where a worker gets help, set per deployment. Office (the
// protocol office's hotline) and Emergency are required; an empty
// Mediation or NGO is left out.
type Help struct {
	Office    Contact
	Mediation Contact
	NGO       Contact
	// Emergency is the emergency number ("112").
	Emergency string
}

// Contact is a named help line.
type Contact struct {
	Name  string
	Phone string
}

func (c Contact) String() string {
	switch {
	case c.Name == "":
		return c.Phone
	case c.Phone == "":
		return c.Name
	}
	return c.Name + ", " + c.Phone
}

func (c Contact) empty() bool {
	return strings.TrimSpace(c.Name) == "" && strings.TrimSpace(c.Phone) == ""
}

// clause is one numbered article: its heading key, the message keys of
// the sentences that apply, and the policy figures whose legal
// references it prints.
type clause struct {
	heading   string
	sentences []string
	refs      []string
	help      bool // one contact per line
}

// clauses lists the contract's articles in order, each sentence chosen by
// the terms.
func (c *Contract) clauses() []clause {
	t := &c.Terms
	pick := func(keys ...any) []string {
		var out []string
		for i := 0; i < len(keys); i += 2 {
			if keys[i+1].(bool) {
				out = append(out, keys[i].(string))
			}
		}
		return out
	}
	term := "term.open"
	if c.EndDate != nil {
		term = "term.fixed"
	}
	// The pay day: a day of the month, the first (said in words, as
	// some languages write its ordinal differently: "le 1er"), or none,
	// which is at the latest the last day of the month.
	payDay := "wage.pay_day"
	switch t.PayDay {
	case 0:
		payDay = "wage.pay_last"
	case 1:
		payDay = "wage.pay_first"
	}
	deductions := "deductions.all"
	if c.Policy.BoardLodgingDeductible {
		deductions = "deductions.board"
	}
	cl := []clause{
		{heading: "parties.heading", sentences: []string{"parties.body"}},
		{heading: "duties.heading", sentences: []string{"duties.body"}},
		{heading: "term.heading", sentences: []string{term}},
		{heading: "wage.heading",
			sentences: pick("wage.amount", true, payDay, true, "wage.account", t.PaidIntoSoleNameAccount, "wage.payslip", true),
			refs:      pick("min_monthly_net_wage", true, "sole_name_account_required", t.PaidIntoSoleNameAccount)},
		{heading: "deductions.heading", sentences: []string{deductions}, refs: []string{"board_lodging_deductible"}},
		{heading: "hours.heading", sentences: []string{"hours.body", "hours.record"},
			refs: []string{"max_weekly_hours", "min_daily_rest_hours", "min_weekly_rest_days"}},
		{heading: "overtime.heading", sentences: []string{"overtime.body"},
			refs: []string{"min_overtime_premium_pct", "min_sunday_premium_pct", "min_night_premium_pct"}},
		{heading: "holidays.heading", sentences: []string{"holidays.body"}, refs: []string{"min_public_holidays"}},
		{heading: "leave.heading", sentences: []string{"leave.body"}, refs: []string{"min_annual_leave_weeks"}},
		{heading: "sick.heading",
			sentences: pick("sick.body", true, "sick.health", t.HealthInsuranceByEmployer, "sick.accident", t.AccidentInsuranceByEmpl),
			refs:      pick("health_insurance_required", t.HealthInsuranceByEmployer, "accident_insurance_required", t.AccidentInsuranceByEmpl)},
		{heading: "social.heading", sentences: []string{"social.body"}},
		{heading: "living.heading",
			sentences: pick("living.room", t.OwnLockableRoom, "living.meals", true, "living.freedom", true),
			refs:      pick("own_lockable_room_required", t.OwnLockableRoom)},
		{heading: "documents.heading",
			sentences: pick("documents.passport", t.WorkerKeepsPassport, "documents.phone", t.OwnPhoneAndFamilyContact),
			refs:      pick("worker_keeps_passport_required", t.WorkerKeepsPassport, "family_contact_required", t.OwnPhoneAndFamilyContact)},
		{heading: "travel.heading", sentences: pick("travel.body", t.ReturnTravelByEmployer), refs: pick("return_travel_required", t.ReturnTravelByEmployer)},
		{heading: "termination.heading", sentences: []string{"termination.body"}, refs: []string{"min_notice_period_days"}},
		{heading: "office.heading", sentences: []string{"office.body"}, refs: []string{"arrival_registration_days", "checkin_interval_months"}},
		{heading: "help.heading", sentences: helpSentences(c.Help), help: true},
		{heading: "copies.heading", sentences: []string{"copies.body"}},
	}
	// A clause the terms leave empty (no journey paid, no document
	// rights) is left out rather than printed as a bare heading.
	out := cl[:0]
	for _, x := range cl {
		if len(x.sentences) > 0 {
			out = append(out, x)
		}
	}
	return out
}

func helpSentences(h Help) []string {
	out := []string{"help.intro", "help.office"}
	if !h.Mediation.empty() {
		out = append(out, "help.mediation")
	}
	if !h.NGO.empty() {
		out = append(out, "help.ngo")
	}
	return append(out, "help.emergency")
}

// check reports the first missing or unusable field of c.
func (c *Contract) check() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalidInput}, args...)...)
	}
	switch {
	case c.IssuedAt.IsZero():
		return bad("issued_at is required")
	case c.Version < 1:
		return bad("version must be 1 or more")
	case strings.TrimSpace(c.VerifyCode) == "":
		return bad("verify_code is required")
	case strings.TrimSpace(c.VerifyURL) == "":
		return bad("verify_url is required")
	case strings.TrimSpace(c.Place) == "":
		return bad("place is required")
	case strings.TrimSpace(c.Employer.FullName) == "":
		return bad("employer full_name is required")
	case !slices.Contains(models.Ranks, c.Employer.Rank):
		return bad("employer rank %q is not one of %s", c.Employer.Rank, strings.Join(models.Ranks, ", "))
	case strings.TrimSpace(c.Employer.MissionName) == "":
		return bad("mission name is required")
	case strings.TrimSpace(c.Employer.MissionCountry) == "":
		return bad("mission country is required")
	case strings.TrimSpace(c.Worker.FullName) == "":
		return bad("worker full_name is required")
	case strings.TrimSpace(c.Worker.Nationality) == "":
		return bad("worker nationality is required")
	case strings.TrimSpace(c.Worker.PassportNumber) == "":
		return bad("worker passport_number is required")
	case c.StartDate == nil || c.StartDate.IsZero():
		return bad("start_date is required")
	case c.EndDate != nil && c.EndDate.IsZero():
		return bad("end_date is not a date")
	case c.Terms.Currency == "" || c.Terms.MonthlyNetWageMinor <= 0:
		return bad("terms need a wage and its currency")
	case c.Terms.WeeklyHours <= 0:
		return bad("terms need weekly_hours")
	case c.Terms.PayDay < 0 || c.Terms.PayDay > models.MaxPayDay:
		return bad("terms pay_day %d is not 0 (the last day of the month) or 1 to %d", c.Terms.PayDay, models.MaxPayDay)
	case len(c.Terms.Duties) == 0:
		return bad("terms need at least one duty")
	case c.Policy.ArrivalRegistrationDays <= 0 || c.Policy.CheckinIntervalMonths <= 0:
		return bad("the policy needs arrival_registration_days and checkin_interval_months")
	}
	return checkHelp(c.Help)
}

func checkHelp(h Help) error {
	if strings.TrimSpace(h.Office.Phone) == "" {
		return fmt.Errorf("%w: help: the protocol office's hotline number is required", ErrInvalidInput)
	}
	if strings.TrimSpace(h.Emergency) == "" {
		return fmt.Errorf("%w: help: the emergency number is required", ErrInvalidInput)
	}
	return nil
}

// languages resolves the contract's languages: the host's and, when it
// differs, the worker's.
func (c *Contract) languages(cat *Catalog) ([]*language, error) {
	host, err := cat.lookup(c.HostLanguage)
	if err != nil {
		return nil, err
	}
	langs := []*language{host}
	if strings.TrimSpace(c.WorkerLanguage) != "" {
		worker, err := cat.lookup(c.WorkerLanguage)
		if err != nil {
			return nil, err
		}
		if worker != host {
			langs = append(langs, worker)
		}
	}
	return langs, nil
}

// checkText checks that every piece of data the contract prints can be
// drawn with the embedded fonts, naming the field that cannot.
func (c *Contract) checkText(sc *script) error {
	fields := []struct{ name, v string }{
		{"employer full_name", c.Employer.FullName},
		{"mission name", c.Employer.MissionName},
		{"mission country", c.Employer.MissionCountry},
		{"worker full_name", c.Worker.FullName},
		{"worker nationality", c.Worker.Nationality},
		{"worker passport_number", c.Worker.PassportNumber},
		{"place", c.Place},
		{"verify_code", c.VerifyCode},
		{"verify_url", c.VerifyURL},
		{"currency", c.Terms.Currency},
	}
	for i, d := range c.Terms.Duties {
		fields = append(fields, struct{ name, v string }{"duties item " + strconv.Itoa(i+1), d})
	}
	fields = append(fields, helpFields(c.Help)...)
	for _, k := range slices.Sorted(maps.Keys(c.Policy.Refs)) {
		fields = append(fields, struct{ name, v string }{"policy reference " + k, c.Policy.Refs[k]})
	}
	for _, f := range fields {
		if err := checkDrawable(f.name, f.v, sc); err != nil {
			return err
		}
	}
	return nil
}

func helpFields(h Help) []struct{ name, v string } {
	return []struct{ name, v string }{
		{"help office", h.Office.String()},
		{"help mediation", h.Mediation.String()},
		{"help ngo", h.NGO.String()},
		{"help emergency", h.Emergency},
	}
}

// number writes v without trailing zeros in the language's digits and
// separators ("1.5", "1,5", "१.५").
func (l *language) number(v float64) string { return l.nums.number(v) }

// integer writes n in the language's digits, grouped.
func (l *language) integer(n int) string { return l.nums.integer(n) }

// amount writes minor units of currency, grouped, with the currency's
// decimals and the language's digits and separators ("1,200.00",
// "1 200,00").
func (l *language) amount(minor int64, currency string) string { return l.nums.amount(minor, currency) }

// date writes d in the language's date format ("1 September 2026",
// "2026 सेप्टेम्बर १"), or year-month-day when its file has none, in the
// language's digits.
func (l *language) date(d models.Date) string {
	if l.dateFmt == nil {
		return l.nums.date(d)
	}
	return l.dateFmt.fill(map[string]string{
		"day":   l.nums.digitsOf(strconv.Itoa(d.Day)),
		"month": l.months[d.Month-1],
		"year":  l.nums.digitsOf(strconv.Itoa(d.Year)),
	})
}

// vars returns every placeholder value of the contract in language l.
func (c *Contract) vars(l *language) map[string]string {
	t := &c.Terms
	dob := l.text("doc.not_recorded", nil)
	if c.Worker.DateOfBirth != nil && !c.Worker.DateOfBirth.IsZero() {
		dob = l.date(*c.Worker.DateOfBirth)
	}
	end := ""
	if c.EndDate != nil {
		end = l.date(*c.EndDate)
	}
	return map[string]string{
		"employer_name":      c.Employer.FullName,
		"employer_rank":      l.text("rank."+c.Employer.Rank, nil),
		"mission_name":       c.Employer.MissionName,
		"mission_country":    c.Employer.MissionCountry,
		"worker_name":        c.Worker.FullName,
		"worker_nationality": c.Worker.Nationality,
		"worker_dob":         dob,
		"worker_passport":    c.Worker.PassportNumber,
		"duties":             strings.Join(t.Duties, ", "),
		"start_date":         l.date(*c.StartDate),
		"end_date":           end,
		"wage":               l.amount(t.MonthlyNetWageMinor, t.Currency),
		"currency":           t.Currency,
		"pay_day":            l.integer(t.PayDay),
		"weekly_hours":       l.number(t.WeeklyHours),
		"daily_rest_hours":   l.number(t.DailyRestHours),
		"weekly_rest_days":   l.number(t.WeeklyRestDays),
		"overtime_pct":       l.integer(t.OvertimePremiumPct),
		"sunday_pct":         l.integer(t.SundayPremiumPct),
		"night_pct":          l.integer(t.NightPremiumPct),
		"public_holidays":    l.integer(t.PublicHolidays),
		"leave_weeks":        l.number(t.AnnualLeaveWeeks),
		"notice_days":        l.integer(t.NoticePeriodDays),
		"arrival_days":       l.integer(c.Policy.ArrivalRegistrationDays),
		"checkin_months":     l.integer(c.Policy.CheckinIntervalMonths),
		"place":              c.Place,
		"date":               l.date(models.DateOf(c.IssuedAt.UTC())),
		"version":            l.integer(c.Version),
		"code":               c.VerifyCode,
		"url":                c.VerifyURL,
		"pages":              "{nb}",
	}
}

// contactVars returns the help line of sentence key for placeholder
// {contact}.
func contactVars(h Help, key string) map[string]string {
	var v string
	switch key {
	case "help.office":
		v = h.Office.String()
	case "help.mediation":
		v = h.Mediation.String()
	case "help.ngo":
		v = h.NGO.String()
	case "help.emergency":
		v = h.Emergency
	}
	return map[string]string{"contact": v}
}

// refs returns the policy's legal references for keys, without repeats.
func refs(p *models.Policy, keys []string) []string {
	var out []string
	for _, k := range keys {
		if r := strings.TrimSpace(p.Refs[k]); r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// Font sizes (pt) and line heights (mm) of the contract.
const (
	titleSize   = 15.0
	subtitleSz  = 12.0
	headingSize = 10.5
	bodySize    = 9.0
	smallSize   = 7.5
	footSize    = 7.0
)

func lead(size float64) float64 { return size * ptToMM * 1.38 }

// Render writes the contract c as a PDF to w: a title and the text
// versions used, the numbered clauses each in the host language and then
// in the worker's (each paragraph labelled with its language's name, each
// clause with the policy's legal references), and the signatures. Every
// page's footer carries the version, the verification code and URL.
//
// A language without texts gives a *LanguageError (errors.Is
// ErrUnsupportedLanguage); missing input gives ErrInvalidInput; data that
// no embedded font can draw gives ErrUnsupportedText. Nothing is written
// to w on error.
func Render(w io.Writer, c Contract, opts Options) error {
	if err := loadFonts(); err != nil {
		return err
	}
	cat, err := opts.catalog()
	if err != nil {
		return err
	}
	langs, err := c.languages(cat)
	if err != nil {
		return err
	}
	if err := c.check(); err != nil {
		return err
	}
	// Data is printed in every language's paragraphs: each script's fonts
	// must draw it (an Arabic paragraph has Arabic and Latin fonts only).
	for _, l := range langs {
		if err := c.checkText(l.script); err != nil {
			return err
		}
	}
	var qr []byte
	if opts.QRCode != nil {
		if qr, err = opts.QRCode(c.VerifyURL); err != nil {
			return fmt.Errorf("contracts: verification QR code: %w", err)
		}
	}

	vars := make([]map[string]string, len(langs))
	for i, l := range langs {
		vars[i] = c.vars(l)
	}
	host := langs[0]
	d := newDoc(c.IssuedAt, host.text("doc.title", nil), host.tag)
	defer d.release()
	d.footer = func() { contractFooter(d, langs, vars, qr) }
	d.newPage()

	// Title and the text versions.
	var errs []error
	draw := func(p *para) { errs = append(errs, d.paragraph(p)) }
	for i, l := range langs {
		size := titleSize
		if i > 0 {
			size = subtitleSz
		}
		draw(&para{runs: []run{{text: l.text("doc.title", nil), bold: true, script: l.script}}, size: size, leadMM: lead(size)})
	}
	d.y += 1
	for _, l := range langs {
		v := map[string]string{"version": l.version.Version, "status": l.version.Status}
		draw(&para{runs: []run{{text: l.text("doc.text_version", v), script: l.script, color: grey}}, size: smallSize, leadMM: lead(smallSize)})
	}
	d.rule(4)

	// Clauses.
	all := c.clauses()
	for n, cl := range all {
		drawClause(d, draw, n+1, cl, langs, vars, &c)
	}

	// Signatures.
	n := len(all) + 1
	d.ensure(lead(headingSize) + 2*lead(bodySize)*float64(len(langs)) + 32)
	drawHeading(d, draw, n, "sign.heading", langs)
	for i, l := range langs {
		draw(&para{runs: []run{
			{text: l.text("language.name", nil) + " ", bold: true, script: l.script, color: label},
			{text: l.text("sign.place_date", vars[i]), script: l.script},
		}, size: bodySize, leadMM: lead(bodySize)})
	}
	d.y += 16
	colW := (d.right - d.left - 16) / 2
	d.pdf.SetDrawColor(0, 0, 0)
	d.pdf.SetLineWidth(0.3)
	d.pdf.Line(d.left, d.y, d.left+colW, d.y)
	d.pdf.Line(d.right-colW, d.y, d.right, d.y)
	d.y += 1.5
	top := d.y
	for col, who := range []struct{ key, name string }{{"sign.employer", c.Employer.FullName}, {"sign.worker", c.Worker.FullName}} {
		d.y = top
		var runs []run
		for i, l := range langs {
			sep := ""
			if i > 0 {
				sep = " / "
			}
			runs = append(runs, run{text: sep + l.text(who.key, nil), script: l.script, color: grey})
		}
		indent := 0.0
		if col == 1 {
			indent = d.right - d.left - colW
		}
		draw(&para{runs: runs, indent: indent, width: colW, size: smallSize, leadMM: lead(smallSize)})
		draw(&para{runs: []run{{text: who.name, bold: true, script: host.script}}, indent: indent, width: colW, size: bodySize, leadMM: lead(bodySize)})
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	return d.output(w)
}

// drawHeading draws "n. host heading / worker heading"; when the two
// languages are written in opposite directions, it draws "n. heading" in
// each, side by side, each at its own side of the column (French at the
// left, Arabic at the right).
func drawHeading(d *doc, draw func(*para), n int, key string, langs []*language) {
	if len(langs) == 2 && langs[0].script.rtl != langs[1].script.rtl {
		d.y += 1.2
		top, bottom := d.y, d.y
		const gutter = 6.0
		half := (d.right - d.left - gutter) / 2
		for _, l := range langs {
			d.y = top
			indent := 0.0
			if l.script.rtl {
				indent = half + gutter
			}
			draw(&para{runs: []run{{text: strconv.Itoa(n) + ". " + l.text(key, nil), bold: true, script: l.script}},
				indent: indent, width: half, size: headingSize, leadMM: lead(headingSize), unscaled: true})
			bottom = max(bottom, d.y)
		}
		d.y = bottom
		return
	}
	runs := []run{{text: strconv.Itoa(n) + ". ", bold: true, script: langs[0].script}}
	for i, l := range langs {
		sep := ""
		if i > 0 {
			sep = " / "
		}
		runs = append(runs, run{text: sep + l.text(key, nil), bold: true, script: l.script})
	}
	d.y += 1.2
	draw(&para{runs: runs, size: headingSize, leadMM: lead(headingSize)})
}

// drawClause draws one numbered clause: heading, legal references, then
// one labelled paragraph per language.
func drawClause(d *doc, draw func(*para), n int, cl clause, langs []*language, vars []map[string]string, c *Contract) {
	// Keep the heading with the start of its first paragraph.
	d.ensure(lead(headingSize) + lead(smallSize) + 3*lead(bodySize))
	drawHeading(d, draw, n, cl.heading, langs)
	if r := refs(&c.Policy, cl.refs); len(r) > 0 {
		var runs []run
		for i, l := range langs {
			sep := ""
			if i > 0 {
				sep = " / "
			}
			runs = append(runs, run{text: sep + l.text("doc.refs", nil), script: l.script, color: grey})
		}
		runs = append(runs, run{text: ": " + strings.Join(r, "; "), script: langs[0].script, color: grey})
		draw(&para{runs: runs, size: smallSize, leadMM: lead(smallSize)})
	}
	for i, l := range langs {
		runs := []run{{text: l.text("language.name", nil) + " ", bold: true, script: l.script, color: label}}
		for j, key := range cl.sentences {
			v := vars[i]
			if cl.help && strings.HasPrefix(key, "help.") && key != "help.intro" {
				v = contactVars(c.Help, key)
			}
			sep := " "
			if j == 0 {
				sep = ""
			} else if cl.help {
				sep = "\n"
			}
			runs = append(runs, run{text: sep + l.text(key, v), script: l.script})
		}
		d.y += 0.6
		draw(&para{runs: runs, size: bodySize, leadMM: lead(bodySize)})
	}
	d.y += 1.2
}

// contractFooter draws the footer of the current page: a rule, then per
// language the version, code and URL with the page number in a column to
// their right (left aligned, so that the page count, known only at the
// end, can stand last), and the QR code when there is one. A right-to-left
// language's row is mirrored: its page number stands at the left.
func contractFooter(d *doc, langs []*language, vars []map[string]string, qr []byte) {
	y := d.y
	d.y = pageH - footerHeight + 2
	d.rule(2)
	const pageCol = 30.0
	width := d.right - d.left - pageCol
	if qr != nil {
		const side = 14.0
		d.image("verify-qr", qr, d.right-side, d.y, side)
		width -= side + 2
	}
	pageNo := d.pdf.PageNo()
	for i, l := range langs {
		textAt, pageAt := 0.0, width+2
		if l.script.rtl {
			textAt, pageAt = pageCol, 0
		}
		top := d.y
		d.footErr(d.paragraph(&para{runs: []run{{text: l.text("doc.footer", vars[i]), script: l.script, color: grey}},
			indent: textAt, width: width, size: footSize, leadMM: lead(footSize)}))
		after := d.y
		d.y = top
		page := map[string]string{"page": l.integer(pageNo), "pages": pageCountAlias}
		d.footErr(d.paragraph(&para{runs: []run{{text: l.text("doc.page", page), script: l.script, color: grey}},
			indent: pageAt, width: pageCol - 2, size: footSize, leadMM: lead(footSize), nums: l.nums}))
		d.y = max(d.y, after)
	}
	d.y = y
}
