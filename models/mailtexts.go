package models

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// The texts of the e-mails the scheduler sends (reminders to workers and
// missions, notifications to missions and supervisors), one file per
// language. They are data in models (stdlib only) so that both the
// scheduler and anything else can compose them without importing the
// PDF package. DRAFT: every language but English is a draft translation
// (each file's "status"), to be checked by a translator before use.
//
//go:embed mailtexts/*.json
var mailFS embed.FS

// mailFile is the JSON form of models/mailtexts/<tag>.json.
type mailFile struct {
	// Status is "draft translation" until a translator certifies it.
	Status string `json:"status"`
	// DateLayout is the Go layout of a date ("2006-01-02", "02.01.2006").
	DateLayout string `json:"date_layout"`
	// Digits, when set, are the ten digits 0-9 dates and times are
	// written in (Nepali "०१२३४५६७८९"); empty means ASCII.
	Digits string `json:"digits,omitempty"`
	// Weekdays are the day names, Sunday first (as time.Weekday).
	Weekdays []string          `json:"weekdays"`
	Messages map[string]string `json:"messages"`
}

// mailSchema lists every key of a mail text file and its placeholders,
// each of which the text must use; no other placeholder is allowed.
var mailSchema = map[string][]string{
	"reminder.worker_subject":  {"date"},
	"reminder.worker_body":     {"date", "start", "end", "zone", "place"},
	"reminder.mission_subject": {"date"},
	"reminder.mission_body":    {"worker", "date", "start", "end", "zone", "place"},

	"notify.subject.not_attended": nil,
	"notify.subject.cancelled":    nil,
	"notify.subject.follow_up":    nil,
	"notify.subject.set":          nil,
	"notify.the_worker":           nil,
	"notify.not_attended":         {"worker"},
	"notify.cancelled":            {"worker"},
	"notify.follow_up":            {"worker"},
	"notify.set":                  {"worker"},
	"notify.when":                 {"weekday", "date", "start", "end", "zone", "place"},
	"notify.when_start":           {"weekday", "date", "start", "zone", "place"},
	"notify.alone":                {"worker"},
	"notify.due_by":               {"date"},
	"notify.footer":               nil,

	"alert.subject":       {"employment"},
	"alert.body":          {"employment", "what"},
	"alert.what.missed":   nil,
	"alert.what.flagged":  nil,
	"alert.what.critical": nil,
	"alert.what.other":    nil,
	"alert.misses":        {"count"},
	"alert.appointment":   {"id"},
	"alert.employer":      {"id", "action"},
	"alert.timeline":      {"path"},
	"alert.footer":        nil,
}

// MailTexts are one language's e-mail texts.
type MailTexts struct {
	tag      string
	status   string
	layout   string
	digits   []string // nil: ASCII
	weekdays []string
	msgs     map[string]string
}

// mailCatalog is every language's mail texts, loaded once.
var mailCatalog = func() map[string]*MailTexts {
	c, err := loadMailTexts(mailFS)
	if err != nil {
		panic(err) // the embedded files are checked by tests
	}
	return c
}()

// loadMailTexts reads and checks every <tag>.json in fsys's mailtexts.
func loadMailTexts(fsys fs.FS) (map[string]*MailTexts, error) {
	entries, err := fs.ReadDir(fsys, "mailtexts")
	if err != nil {
		return nil, err
	}
	out := map[string]*MailTexts{}
	var errs []string
	for _, e := range entries {
		tag, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join("mailtexts", e.Name()))
		if err != nil {
			return nil, err
		}
		t, problems := parseMailTexts(tag, b)
		errs = append(errs, problems...)
		if t != nil {
			out[tag] = t
		}
	}
	if _, ok := out["en"]; !ok && len(errs) == 0 {
		errs = append(errs, "no English mail texts (en.json)")
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("models: mail texts: %s", strings.Join(errs, "; "))
	}
	return out, nil
}

// parseMailTexts decodes and checks one file, reporting every problem.
func parseMailTexts(tag string, b []byte) (*MailTexts, []string) {
	var f mailFile
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, []string{tag + ": " + err.Error()}
	}
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, tag+": "+fmt.Sprintf(format, args...)) }
	if strings.TrimSpace(f.Status) == "" {
		bad(`"status" is required`)
	}
	if f.DateLayout == "" || time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC).Format(f.DateLayout) == f.DateLayout {
		bad(`"date_layout" must be a Go date layout such as "2006-01-02"`)
	}
	t := &MailTexts{tag: tag, status: f.Status, layout: f.DateLayout, weekdays: f.Weekdays, msgs: f.Messages}
	if f.Digits != "" {
		if utf8.RuneCountInString(f.Digits) != 10 {
			bad(`"digits" must be the ten digits 0-9`)
		}
		for _, r := range f.Digits {
			t.digits = append(t.digits, string(r))
		}
	}
	if len(f.Weekdays) != 7 {
		bad(`"weekdays" must name the seven days, Sunday first`)
	}
	for _, key := range slices.Sorted(mapKeys(mailSchema)) {
		text, ok := f.Messages[key]
		if !ok || strings.TrimSpace(text) == "" {
			bad("missing key %q", key)
			continue
		}
		if err := checkPlaceholders(text, mailSchema[key]); err != "" {
			bad("key %q: %s", key, err)
		}
	}
	for _, key := range slices.Sorted(mapKeys(f.Messages)) {
		if _, ok := mailSchema[key]; !ok {
			bad("unknown key %q", key)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return t, nil
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// checkPlaceholders reports a {name} in text that is not in allowed, or
// an allowed one text does not use.
func checkPlaceholders(text string, allowed []string) string {
	used := map[string]bool{}
	rest := text
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return `a "{" with no matching "}"`
		}
		name := rest[i+1 : i+j]
		if !slices.Contains(allowed, name) {
			return "unknown placeholder {" + name + "}"
		}
		used[name] = true
		rest = rest[i+j+1:]
	}
	for _, a := range allowed {
		if !used[a] {
			return "placeholder {" + a + "} is missing"
		}
	}
	return ""
}

func mailLanguages() []string { return slices.Sorted(mapKeys(mailCatalog)) }

// MailLanguage returns the language of the mail texts used for tag: tag
// itself, its language subtag ("pt-BR" → "pt"), or "en".
func MailLanguage(tag string) string {
	t := strings.TrimSpace(tag)
	if !ValidLanguage(t) {
		return "en"
	}
	t = CanonicalLanguage(t)
	if _, ok := mailCatalog[t]; ok {
		return t
	}
	base, _, _ := strings.Cut(t, "-")
	if _, ok := mailCatalog[base]; ok {
		return base
	}
	return "en"
}

// MailTextsFor returns the mail texts for tag (see MailLanguage).
func MailTextsFor(tag string) *MailTexts { return mailTextsFor(tag) }

func mailTextsFor(tag string) *MailTexts { return mailCatalog[MailLanguage(tag)] }

// Language is the texts' language tag.
func (t *MailTexts) Language() string { return t.tag }

// Status is the texts' status ("draft translation").
func (t *MailTexts) Status() string { return t.status }

// Text returns message key with its placeholders filled from vars. A key
// outside the schema or a missing value is a programming error: it
// panics.
func (t *MailTexts) Text(key string, vars map[string]string) string { return t.text(key, vars) }

func (t *MailTexts) text(key string, vars map[string]string) string {
	s, ok := t.msgs[key]
	if !ok {
		panic("models: no mail text " + key)
	}
	for _, name := range mailSchema[key] {
		v, ok := vars[name]
		if !ok {
			panic("models: mail text " + key + " needs {" + name + "}")
		}
		s = strings.ReplaceAll(s, "{"+name+"}", v)
	}
	return s
}

// Date writes the date of tm in the language's layout and digits.
func (t *MailTexts) Date(tm time.Time) string { return t.date(tm) }

func (t *MailTexts) date(tm time.Time) string { return t.localDigits(tm.Format(t.layout)) }

// Clock writes the time of day of tm as 15:04 in the language's digits.
func (t *MailTexts) Clock(tm time.Time) string { return t.clock(tm) }

func (t *MailTexts) clock(tm time.Time) string { return t.localDigits(tm.Format("15:04")) }

// Weekday names tm's day of the week.
func (t *MailTexts) Weekday(tm time.Time) string { return t.weekdays[tm.Weekday()] }

// Number writes n in the language's digits (not grouped).
func (t *MailTexts) Number(n int) string { return t.localDigits(fmt.Sprint(n)) }

func (t *MailTexts) localDigits(s string) string {
	if t.digits == nil {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteString(t.digits[r-'0'])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
