package contracts

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pdw-registry/pdw/models"
)

// The contract and leaflet texts, one file per language.
//
//go:embed messages/*.json
var messageFS embed.FS

// ErrUnsupportedLanguage is wrapped by every *LanguageError: a language
// with no texts, or whose script the renderer cannot draw yet.
var ErrUnsupportedLanguage = errors.New("contracts: unsupported language")

// LanguageError names a language a document cannot be written in. It
// unwraps to ErrUnsupportedLanguage (the API answers 422).
type LanguageError struct {
	Tag    string
	Reason string
}

func (e *LanguageError) Error() string {
	return "contracts: unsupported language " + strconv.Quote(e.Tag) + ": " + e.Reason
}

// Unwrap returns ErrUnsupportedLanguage.
func (e *LanguageError) Unwrap() error { return ErrUnsupportedLanguage }

// schema lists every message key and the placeholders its text must use,
// each at least once; no other placeholder is allowed.
var schema = map[string][]string{
	"language.name":         nil,
	"doc.title":             nil,
	"doc.text_version":      {"version", "status"},
	"doc.refs":              nil,
	"doc.footer":            {"version", "code", "url"},
	"doc.page":              {"page", "pages"},
	"doc.not_recorded":      nil,
	"rank.head_of_mission":  nil,
	"rank.diplomat":         nil,
	"rank.consular_head":    nil,
	"rank.consular_officer": nil,
	"rank.io_official":      nil,
	"rank.other":            nil,

	"parties.heading":     nil,
	"parties.body":        {"employer_name", "employer_rank", "mission_name", "mission_country", "worker_name", "worker_nationality", "worker_dob", "worker_passport"},
	"duties.heading":      nil,
	"duties.body":         {"duties"},
	"term.heading":        nil,
	"term.fixed":          {"start_date", "end_date"},
	"term.open":           {"start_date"},
	"wage.heading":        nil,
	"wage.amount":         {"wage", "currency"},
	"wage.pay_day":        {"pay_day"},
	"wage.pay_first":      nil,
	"wage.pay_last":       nil,
	"wage.account":        nil,
	"wage.payslip":        nil,
	"deductions.heading":  nil,
	"deductions.all":      nil,
	"deductions.board":    nil,
	"hours.heading":       nil,
	"hours.body":          {"weekly_hours", "daily_rest_hours", "weekly_rest_days"},
	"hours.record":        nil,
	"overtime.heading":    nil,
	"overtime.body":       {"overtime_pct", "sunday_pct", "night_pct"},
	"holidays.heading":    nil,
	"holidays.body":       {"public_holidays"},
	"leave.heading":       nil,
	"leave.body":          {"leave_weeks"},
	"sick.heading":        nil,
	"sick.body":           nil,
	"sick.health":         nil,
	"sick.accident":       nil,
	"social.heading":      nil,
	"social.body":         nil,
	"living.heading":      nil,
	"living.room":         nil,
	"living.meals":        nil,
	"living.freedom":      nil,
	"documents.heading":   nil,
	"documents.passport":  nil,
	"documents.phone":     nil,
	"travel.heading":      nil,
	"travel.body":         nil,
	"termination.heading": nil,
	"termination.body":    {"notice_days"},
	"office.heading":      nil,
	"office.body":         {"arrival_days", "checkin_months"},
	"help.heading":        nil,
	"help.intro":          nil,
	"help.office":         {"contact"},
	"help.mediation":      {"contact"},
	"help.ngo":            {"contact"},
	"help.emergency":      {"contact"},
	"copies.heading":      nil,
	"copies.body":         nil,
	"sign.heading":        nil,
	"sign.place_date":     {"place", "date"},
	"sign.employer":       nil,
	"sign.worker":         nil,

	"leaflet.title":                nil,
	"leaflet.for":                  {"name"},
	"leaflet.intro":                nil,
	"leaflet.rights":               nil,
	"leaflet.wage":                 {"wage", "currency"},
	"leaflet.account":              nil,
	"leaflet.deductions_all":       nil,
	"leaflet.deductions_board":     nil,
	"leaflet.hours":                {"weekly_hours", "daily_rest_hours", "weekly_rest_days"},
	"leaflet.overtime":             {"overtime_pct", "sunday_pct", "night_pct"},
	"leaflet.leave":                {"leave_weeks", "public_holidays"},
	"leaflet.room":                 nil,
	"leaflet.free_time":            nil,
	"leaflet.passport":             nil,
	"leaflet.phone":                nil,
	"leaflet.sick":                 nil,
	"leaflet.health":               nil,
	"leaflet.accident":             nil,
	"leaflet.travel":               nil,
	"leaflet.contract":             nil,
	"leaflet.appointments_heading": nil,
	"leaflet.appointments":         {"arrival_days", "checkin_months"},
	"leaflet.alone":                nil,
	"leaflet.help_heading":         nil,
	"leaflet.help_intro":           nil,
	"leaflet.footer":               {"version", "status", "date"},
}

// messageFile is the JSON form of contracts/messages/<tag>.json.
type messageFile struct {
	// Version names this text ("2026.1"); printed on every document.
	Version string `json:"version"`
	// Status says what the text is ("draft translation", "certified
	// translation, <translator>, <date>"); printed beside the version.
	Status string `json:"status"`
	// Script is the ISO 15924 code of the language's writing system.
	Script string `json:"script"`
	// DecimalSeparator is "." or ","; optional. Numbers are written with
	// golang.org/x/text for the language (CLDR): when given, it must be
	// the language's CLDR decimal separator (a check, for files written
	// when it chose the separator).
	DecimalSeparator string `json:"decimal_separator,omitempty"`
	// Digits is the CLDR numbering system the language's numbers and
	// dates are written in ("latn" for 0-9, "deva", "beng", "arab", …);
	// empty means the language's CLDR default (Devanagari digits for
	// Nepali, Bengali digits for Bengali, 0-9 for most others).
	Digits string `json:"digits,omitempty"`
	// DateFormat writes a date with {day}, {month} (a name from Months)
	// and {year}, in the language's digits ("{day} {month} {year}": "1
	// September 2026"). Optional: without it dates are written
	// year-month-day ("2026-09-01").
	DateFormat string `json:"date_format,omitempty"`
	// Months are the twelve month names, January first, for DateFormat.
	Months   []string          `json:"months,omitempty"`
	Messages map[string]string `json:"messages"`
}

// TextVersion says which text of a language a document used.
type TextVersion struct {
	Language string `json:"language"`
	Version  string `json:"version"`
	Status   string `json:"status"`
	// Source is "embedded" or the override file's path.
	Source string `json:"source"`
}

// language is one loaded, checked message file.
type language struct {
	tag     string
	version TextVersion
	script  *script
	nums    *numberFormat
	dateFmt template // nil: year-month-day
	months  []string
	msgs    map[string]template
}

// Catalog holds the checked texts of every language. It is read-only and
// safe for concurrent use.
type Catalog struct {
	langs map[string]*language
}

// LoadMessages loads the embedded texts and, when overrideDir is not
// empty, the files <tag>.json in it, each replacing the embedded text of
// that language entirely (a protocol office's certified translation) or
// adding a language. Every language must have every key, use exactly the
// placeholders its key allows, and be written in a script with embedded
// fonts; the error names each language and key that is not.
func LoadMessages(overrideDir string) (*Catalog, error) {
	if err := loadFonts(); err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	sources := map[string]string{}
	entries, err := fs.ReadDir(messageFS, "messages")
	if err != nil {
		return nil, fmt.Errorf("contracts: read embedded messages: %w", err)
	}
	for _, e := range entries {
		tag, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			continue
		}
		b, err := messageFS.ReadFile(path.Join("messages", e.Name()))
		if err != nil {
			return nil, fmt.Errorf("contracts: read embedded messages: %w", err)
		}
		files[tag], sources[tag] = b, "embedded"
	}
	if overrideDir != "" {
		entries, err := os.ReadDir(overrideDir)
		if err != nil {
			return nil, fmt.Errorf("contracts: read message overrides: %w", err)
		}
		for _, e := range entries {
			stem, ok := strings.CutSuffix(e.Name(), ".json")
			if !ok || e.IsDir() {
				continue
			}
			if !models.ValidLanguage(stem) {
				return nil, fmt.Errorf("contracts: message override %s: the file name is not a language tag such as fr.json", e.Name())
			}
			p := filepath.Join(overrideDir, e.Name())
			b, err := os.ReadFile(p)
			if err != nil {
				return nil, fmt.Errorf("contracts: read message override: %w", err)
			}
			tag := models.CanonicalLanguage(stem)
			files[tag], sources[tag] = b, p
		}
	}

	c := &Catalog{langs: map[string]*language{}}
	var errs []error
	tags := make([]string, 0, len(files))
	for t := range files {
		tags = append(tags, t)
	}
	slices.Sort(tags)
	for _, tag := range tags {
		l, lerrs := parseLanguage(tag, files[tag], sources[tag])
		errs = append(errs, lerrs...)
		if l != nil {
			c.langs[tag] = l
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}

// parseLanguage decodes and checks one message file, reporting every
// problem it finds.
func parseLanguage(tag string, b []byte, source string) (*language, []error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("contracts: messages %s: "+format, append([]any{tag}, args...)...)
	}
	var f messageFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, []error{bad("%v", err)}
	}
	var errs []error
	if strings.TrimSpace(f.Version) == "" {
		errs = append(errs, bad("\"version\" is required"))
	}
	if strings.TrimSpace(f.Status) == "" {
		errs = append(errs, bad("\"status\" is required"))
	}
	sc, ok := scripts[f.Script]
	if ok {
		sc = sc.forLanguage(tag)
	} else {
		errs = append(errs, bad("script %q is not supported (supported: %s)", f.Script, strings.Join(scriptCodes(), ", ")))
	}
	nums, err := newNumberFormat(tag, f.Digits)
	if err != nil {
		errs = append(errs, bad("\"digits\": %v", err))
	}
	switch dec := f.DecimalSeparator; {
	case dec == "":
	case dec != "." && dec != ",":
		errs = append(errs, bad("\"decimal_separator\" must be \".\" or \",\""))
	case nums != nil && nums.decimal != dec:
		errs = append(errs, bad("\"decimal_separator\" is %q but numbers in this language are written %s (CLDR, digits %q); correct or remove it, or set \"digits\" (\"latn\" for 0-9)",
			dec, nums.number(1.5), nums.system()))
	}
	l := &language{
		tag:     tag,
		version: TextVersion{Language: tag, Version: f.Version, Status: f.Status, Source: source},
		script:  sc,
		nums:    nums,
		msgs:    make(map[string]template, len(schema)),
	}
	if f.DateFormat != "" {
		t, err := parseTemplate(f.DateFormat, []string{"day", "month", "year"})
		switch {
		case err != nil:
			errs = append(errs, bad("\"date_format\": %v", err))
		case len(f.Months) != 12:
			errs = append(errs, bad("\"months\" must name the twelve months, January first, for \"date_format\""))
		default:
			l.dateFmt, l.months = t, f.Months
		}
		for i, m := range f.Months {
			if strings.TrimSpace(m) == "" {
				errs = append(errs, bad("\"months\" %d is empty", i+1))
			} else if sc != nil {
				if err := checkDrawable("a month name", m, sc); err != nil {
					errs = append(errs, bad("\"months\" %d: %v", i+1, err))
				}
			}
		}
		if sc != nil && t != nil {
			if err := checkDrawable("the date format", t.literal(), sc); err != nil {
				errs = append(errs, bad("\"date_format\": %v", err))
			}
		}
	} else if len(f.Months) > 0 {
		errs = append(errs, bad("\"months\" is given without \"date_format\""))
	}
	keys := make([]string, 0, len(schema))
	for k := range schema {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		text, ok := f.Messages[key]
		if !ok {
			errs = append(errs, bad("missing key %q", key))
			continue
		}
		t, err := parseTemplate(text, schema[key])
		if err == nil && strings.TrimSpace(text) == "" {
			err = errors.New("empty text")
		}
		if err == nil && sc != nil {
			err = checkDrawable("the text", t.literal(), sc)
		}
		if err != nil {
			errs = append(errs, bad("key %q: %v", key, err))
			continue
		}
		l.msgs[key] = t
	}
	var extra []string
	for k := range f.Messages {
		if _, ok := schema[k]; !ok {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	for _, k := range extra {
		errs = append(errs, bad("unknown key %q", k))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return l, nil
}

// Languages returns the tags the catalog has texts for, sorted.
func (c *Catalog) Languages() []string {
	out := make([]string, 0, len(c.langs))
	for t := range c.langs {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// TextVersion returns the version and status of the text a document in
// language tag uses, for the caller to store with the document.
func (c *Catalog) TextVersion(tag string) (TextVersion, error) {
	l, err := c.lookup(tag)
	if err != nil {
		return TextVersion{}, err
	}
	return l.version, nil
}

// lookup finds the texts of tag: the tag itself, or its language subtag
// when the rest is only a region ("pt-BR" uses "pt"; "sr-Latn" does not
// use "sr").
func (c *Catalog) lookup(tag string) (*language, error) {
	t := strings.TrimSpace(tag)
	if !models.ValidLanguage(t) {
		return nil, &LanguageError{Tag: tag, Reason: "not a language tag"}
	}
	t = models.CanonicalLanguage(t)
	if l, ok := c.langs[t]; ok {
		return l, nil
	}
	if base, region, ok := strings.Cut(t, "-"); ok && !strings.Contains(region, "-") && (len(region) == 2 || len(region) == 3 && isDigits(region)) {
		if l, ok := c.langs[base]; ok {
			return l, nil
		}
	}
	return nil, &LanguageError{Tag: tag, Reason: "no contract texts in this language (available: " + strings.Join(c.Languages(), ", ") + ")"}
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

var (
	defaultOnce    sync.Once
	defaultCatalog *Catalog
	defaultErr     error
)

// embeddedCatalog returns the catalog of the embedded texts, loaded once.
func embeddedCatalog() (*Catalog, error) {
	defaultOnce.Do(func() { defaultCatalog, defaultErr = LoadMessages("") })
	return defaultCatalog, defaultErr
}

// A template is a message split into literal text and placeholders.
type template []tpart

type tpart struct {
	lit  string
	name string // placeholder name when lit is empty
}

// parseTemplate splits text at {name} placeholders, checking that every
// placeholder is in allowed and that every allowed one is used.
func parseTemplate(text string, allowed []string) (template, error) {
	var t template
	used := map[string]bool{}
	rest := text
	for rest != "" {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			t = append(t, tpart{lit: rest})
			break
		}
		if rest[open] == '}' {
			return nil, errors.New("a lone \"}\"")
		}
		if open > 0 {
			t = append(t, tpart{lit: rest[:open]})
		}
		end := strings.IndexAny(rest[open+1:], "{}")
		if end < 0 || rest[open+1+end] != '}' {
			return nil, errors.New("a \"{\" with no matching \"}\"")
		}
		name := rest[open+1 : open+1+end]
		if !slices.Contains(allowed, name) {
			if len(allowed) == 0 {
				return nil, fmt.Errorf("unknown placeholder {%s} (this text takes none)", name)
			}
			return nil, fmt.Errorf("unknown placeholder {%s} (allowed: {%s})", name, strings.Join(allowed, "}, {"))
		}
		used[name] = true
		t = append(t, tpart{name: name})
		rest = rest[open+1+end+1:]
	}
	for _, a := range allowed {
		if !used[a] {
			return nil, fmt.Errorf("placeholder {%s} is missing", a)
		}
	}
	return t, nil
}

// literal returns the template's fixed text, for checking its characters.
func (t template) literal() string {
	var b strings.Builder
	for _, p := range t {
		b.WriteString(p.lit)
	}
	return b.String()
}

// fill writes the template with vars; every placeholder has been checked
// against the schema, so a missing var is a bug and panics in tests.
func (t template) fill(vars map[string]string) string { return t.fillIsolated(vars, false) }

// Bidi isolates around an inserted value in right-to-left text.
const (
	fsi = "\u2068" // FIRST STRONG ISOLATE
	pdi = "\u2069" // POP DIRECTIONAL ISOLATE
)

// fillIsolated is fill; with isolate, each non-empty value is wrapped in
// U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL ISOLATE, so that in
// right-to-left text a value keeps its own order and punctuation: a Latin
// name with its final period ("ACME Ltd."), a date read left to right
// ("2026-09-01", not "01-09-2026"), an amount with its currency. A value
// without a strong letter (a date, a number) is isolated left to right, one
// in Arabic letters right to left.
func (t template) fillIsolated(vars map[string]string, isolate bool) string {
	var b strings.Builder
	for _, p := range t {
		if p.name == "" {
			b.WriteString(p.lit)
			continue
		}
		v, ok := vars[p.name]
		if !ok {
			panic("contracts: no value for placeholder {" + p.name + "}")
		}
		if isolate && v != "" {
			b.WriteString(fsi)
			b.WriteString(v)
			b.WriteString(pdi)
			continue
		}
		b.WriteString(v)
	}
	return b.String()
}

// text returns the filled message key of language l, its inserted values
// isolated when the language is written right to left.
func (l *language) text(key string, vars map[string]string) string {
	t, ok := l.msgs[key]
	if !ok {
		panic("contracts: no message " + key)
	}
	return t.fillIsolated(vars, l.script.rtl)
}
