package models

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
)

// The interview checklist is versioned data: checklists/<version>/
// questions.json holds the questions (ids, answer types, ILO indicators,
// severity rules) and checklists/<version>/texts/<lang>.json their texts in
// one language each. A language is added by adding its texts file alone:
// every file must cover every question and option (TestChecklist checks
// it). An interview stores the version it used; a new version is a new
// directory, and old versions stay readable.
//
//go:embed checklists
var checklistFS embed.FS

// Answer types.
const (
	AnswerYesNo  = "yes_no"
	AnswerNumber = "number"
	AnswerChoice = "choice"
)

// Severities, from none to critical: the risk level of an interview is
// the highest severity its answers trigger.
const (
	SeverityNone     = "none"
	SeverityMedium   = "medium"
	SeverityHigh     = "high"
	SeverityCritical = "critical"
)

// Severities lists the severities in increasing order.
var Severities = []string{SeverityNone, SeverityMedium, SeverityHigh, SeverityCritical}

// SeverityRank orders severities (none = 0 ... critical = 3); -1 for an unknown one.
func SeverityRank(s string) int { return slices.Index(Severities, s) }

// ILO forced-labour indicators (ILO, "ILO indicators of forced labour", 2012).
var Indicators = []string{
	"abuse_of_vulnerability", "deception", "restriction_of_movement", "isolation",
	"physical_and_sexual_violence", "intimidation_and_threats", "retention_of_identity_documents",
	"withholding_of_wages", "debt_bondage", "abusive_working_and_living_conditions", "excessive_overtime",
}

// Context values a severity rule may compare a number with.
const (
	CtxContractMonthlyNetWage = "contract_monthly_net_wage"
	CtxContractWeeklyHours    = "contract_weekly_hours"
)

// Rule is one severity trigger of a question: it fires when all of its
// conditions hold (a rule of a number question with no condition never
// fires). A question's rules are tried in order; the highest severity
// among those that fire counts.
type Rule struct {
	Severity string `json:"severity"`
	// Is: a yes_no answer equal to it.
	Is *bool `json:"is,omitempty"`
	// In: a choice answer among these options.
	In []string `json:"in,omitempty"`
	// AtLeast, AtMost: a number answer within these bounds.
	AtLeast *float64 `json:"at_least,omitempty"`
	AtMost  *float64 `json:"at_most,omitempty"`
	// Above, Below: a number answer above or below the named context value
	// (the rule does not fire when the context lacks the value).
	Above string `json:"above,omitempty"`
	Below string `json:"below,omitempty"`
	// MinServiceMonths: only after this many months of service.
	MinServiceMonths int `json:"min_service_months,omitempty"`
}

// Question is one question of the checklist.
type Question struct {
	ID        string   `json:"id"`
	Type      string   `json:"type"`
	Options   []string `json:"options,omitempty"`
	Integer   bool     `json:"integer,omitempty"`
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
	Indicator string   `json:"indicator"`
	Required  bool     `json:"required"`
	Rules     []Rule   `json:"rules"`
	// Text maps a language code to the question's text.
	Text map[string]string `json:"text"`
	// OptionText maps a language to the option labels (choice questions).
	OptionText map[string]map[string]string `json:"option_text,omitempty"`
}

// TextStatus says how far a language's texts are to be trusted: "source"
// (the original), "draft" (a draft translation, to be checked by a
// certified translator) or "certified".
type TextStatus struct {
	Language string `json:"language"`
	Status   string `json:"status"`
}

// Checklist is one version of the interview checklist.
type Checklist struct {
	Version   string       `json:"version"`
	Source    string       `json:"source"`
	Languages []TextStatus `json:"languages"`
	Questions []Question   `json:"questions"`
	byID      map[string]*Question
}

// Question returns the question with the id, or nil.
func (c *Checklist) Question(id string) *Question { return c.byID[id] }

// Language reports whether the checklist has texts in lang.
func (c *Checklist) Language(lang string) bool {
	return slices.ContainsFunc(c.Languages, func(t TextStatus) bool { return t.Language == lang })
}

// CurrentChecklistVersion is the version new interviews use.
const CurrentChecklistVersion = "1"

var loadChecklists = sync.OnceValues(func() (map[string]*Checklist, error) {
	dirs, err := fs.ReadDir(checklistFS, "checklists")
	if err != nil {
		return nil, err
	}
	out := map[string]*Checklist{}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		c, err := parseChecklist(checklistFS, path.Join("checklists", d.Name()))
		if err != nil {
			return nil, fmt.Errorf("checklist %s: %w", d.Name(), err)
		}
		out[c.Version] = c
	}
	return out, nil
})

// CurrentChecklist returns the checklist new interviews use.
func CurrentChecklist() *Checklist {
	c, err := ChecklistVersion(CurrentChecklistVersion)
	if err != nil {
		panic(err) // the embedded data is checked by the tests
	}
	return c
}

// ChecklistVersion returns a version of the checklist (ENOTFOUND if unknown).
func ChecklistVersion(v string) (*Checklist, error) {
	all, err := loadChecklists()
	if err != nil {
		return nil, err
	}
	c, ok := all[v]
	if !ok {
		return nil, NotFound("checklist version")
	}
	return c, nil
}

func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// parseChecklist reads dir/questions.json and dir/texts/*.json and checks
// them: every question well-formed, every language complete.
func parseChecklist(fsys fs.FS, dir string) (*Checklist, error) {
	b, err := fs.ReadFile(fsys, path.Join(dir, "questions.json"))
	if err != nil {
		return nil, err
	}
	var c Checklist
	var raw struct {
		Version   string            `json:"version"`
		Source    string            `json:"source"`
		Context   map[string]string `json:"context"`
		Questions []Question        `json:"questions"`
	}
	if err := decodeStrict(b, &raw); err != nil {
		return nil, fmt.Errorf("questions.json: %w", err)
	}
	c.Version, c.Source, c.Questions = raw.Version, raw.Source, raw.Questions
	if c.Version == "" || len(c.Questions) == 0 {
		return nil, fmt.Errorf("questions.json: a version and questions are required")
	}
	c.byID = map[string]*Question{}
	for i := range c.Questions {
		q := &c.Questions[i]
		if err := q.check(); err != nil {
			return nil, fmt.Errorf("question %s: %w", q.ID, err)
		}
		if c.byID[q.ID] != nil {
			return nil, fmt.Errorf("question %s is twice", q.ID)
		}
		c.byID[q.ID] = q
		q.Text, q.OptionText = map[string]string{}, map[string]map[string]string{}
	}
	files, err := fs.Glob(fsys, path.Join(dir, "texts", "*.json"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		var t struct {
			Language  string                       `json:"language"`
			Status    string                       `json:"status"`
			Questions map[string]string            `json:"questions"`
			Options   map[string]map[string]string `json:"options"`
		}
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		if err := decodeStrict(b, &t); err != nil {
			return nil, fmt.Errorf("%s: %w", path.Base(f), err)
		}
		if t.Language+".json" != path.Base(f) || !ValidLanguage(t.Language) {
			return nil, fmt.Errorf("%s: language must be the file's name", path.Base(f))
		}
		if !slices.Contains([]string{"source", "draft", "certified"}, t.Status) {
			return nil, fmt.Errorf("%s: status must be source, draft or certified", path.Base(f))
		}
		for id := range t.Questions {
			if c.byID[id] == nil {
				return nil, fmt.Errorf("%s: text for unknown question %s", path.Base(f), id)
			}
		}
		for id := range t.Options {
			if q := c.byID[id]; q == nil || q.Type != AnswerChoice {
				return nil, fmt.Errorf("%s: option texts for %s, which is not a choice question", path.Base(f), id)
			}
		}
		for i := range c.Questions {
			q := &c.Questions[i]
			text := strings.TrimSpace(t.Questions[q.ID])
			if text == "" {
				return nil, fmt.Errorf("%s: no text for %s", path.Base(f), q.ID)
			}
			q.Text[t.Language] = text
			if q.Type != AnswerChoice {
				continue
			}
			labels := t.Options[q.ID]
			if len(labels) != len(q.Options) {
				return nil, fmt.Errorf("%s: %s needs a label for each of its options %v", path.Base(f), q.ID, q.Options)
			}
			for _, o := range q.Options {
				if strings.TrimSpace(labels[o]) == "" {
					return nil, fmt.Errorf("%s: no label for %s option %s", path.Base(f), q.ID, o)
				}
			}
			q.OptionText[t.Language] = labels
		}
		c.Languages = append(c.Languages, TextStatus{Language: t.Language, Status: t.Status})
	}
	if !c.Language("en") {
		return nil, fmt.Errorf("texts/en.json is required")
	}
	sort.Slice(c.Languages, func(i, j int) bool { return c.Languages[i].Language < c.Languages[j].Language })
	return &c, nil
}

func (q *Question) check() error {
	if len(q.ID) != 3 || q.ID[0] != 'q' || q.ID[1] < '0' || q.ID[1] > '9' || q.ID[2] < '0' || q.ID[2] > '9' {
		return fmt.Errorf("id must be q01..q99")
	}
	if !slices.Contains(Indicators, q.Indicator) {
		return fmt.Errorf("indicator %q is not an ILO indicator", q.Indicator)
	}
	switch q.Type {
	case AnswerYesNo, AnswerNumber:
		if len(q.Options) > 0 {
			return fmt.Errorf("only choice questions have options")
		}
	case AnswerChoice:
		if len(q.Options) < 2 {
			return fmt.Errorf("a choice needs at least two options")
		}
	default:
		return fmt.Errorf("type must be yes_no, number or choice")
	}
	for _, r := range q.Rules {
		if r.Severity == SeverityNone || SeverityRank(r.Severity) < 0 {
			return fmt.Errorf("rule severity must be medium, high or critical")
		}
		yes, choice := r.Is != nil, len(r.In) > 0
		num := r.AtLeast != nil || r.AtMost != nil || r.Above != "" || r.Below != ""
		switch {
		case q.Type == AnswerYesNo && (!yes || choice || num),
			q.Type == AnswerChoice && (!choice || yes || num),
			q.Type == AnswerNumber && (!num || yes || choice):
			return fmt.Errorf("a %s question's rule must test its answer (is, in, or at_least/at_most/above/below)", q.Type)
		}
		for _, o := range r.In {
			if !slices.Contains(q.Options, o) {
				return fmt.Errorf("rule names unknown option %q", o)
			}
		}
		for _, ctx := range []string{r.Above, r.Below} {
			if ctx != "" && ctx != CtxContractMonthlyNetWage && ctx != CtxContractWeeklyHours {
				return fmt.Errorf("rule compares with unknown context value %q", ctx)
			}
		}
	}
	return nil
}

// Answers are an interview's answers by question id: bool for yes_no,
// float64 for number, string (an option) for choice.
type Answers map[string]any

// CheckAnswers decodes and validates raw answers against the checklist:
// every key a question of it, every value of the question's type (a
// choice one of its options, a number finite and within the question's
// bounds, whole when it counts), every required question answered. A JSON
// null counts as no answer. Errors name the field as "answers.q07".
func (c *Checklist) CheckAnswers(raw map[string]json.RawMessage) (Answers, error) {
	f := FieldErrors{}
	out := Answers{}
	for id, v := range raw {
		q := c.byID[id]
		field := "answers." + id
		if q == nil {
			if !plainKey(id) {
				f.Add("answers", "contains a key that is not a question id")
			} else {
				f.Add(field, "is not a question of checklist version "+c.Version)
			}
			continue
		}
		v = bytes.TrimSpace(v)
		if len(v) == 0 || string(v) == "null" {
			continue
		}
		switch q.Type {
		case AnswerYesNo:
			var b bool
			if json.Unmarshal(v, &b) != nil {
				f.Add(field, "must be true or false")
				continue
			}
			out[id] = b
		case AnswerChoice:
			var s string
			if json.Unmarshal(v, &s) != nil || !slices.Contains(q.Options, s) {
				f.Add(field, oneOfMsg(q.Options))
				continue
			}
			out[id] = s
		case AnswerNumber:
			var n float64
			if v[0] == '"' || json.Unmarshal(v, &n) != nil || math.IsNaN(n) || math.IsInf(n, 0) {
				f.Add(field, "must be a number")
				continue
			}
			switch {
			case q.Integer && n != math.Trunc(n):
				f.Add(field, "must be a whole number")
			case q.Min != nil && n < *q.Min:
				f.Add(field, fmt.Sprintf("must be at least %g", *q.Min))
			case q.Max != nil && n > *q.Max:
				f.Add(field, fmt.Sprintf("must be at most %g", *q.Max))
			default:
				out[id] = n
			}
		}
	}
	for i := range c.Questions {
		q := &c.Questions[i]
		if _, ok := out[q.ID]; !ok && q.Required && f["answers."+q.ID] == "" {
			f.Add("answers."+q.ID, msgRequired)
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// plainKey reports whether an unknown answer key may be echoed as a field
// name (1 to 16 lower-case letters, digits or underscores).
func plainKey(s string) bool {
	if s == "" || len(s) > 16 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// RiskContext is what the severity rules compare answers with: the
// employment's approved terms and its length of service. A zero value
// is unknown and never triggers a rule that needs it.
type RiskContext struct {
	ContractMonthlyNetWage float64
	ContractWeeklyHours    float64
	ServiceMonths          int
}

func (rc RiskContext) value(name string) (float64, bool) {
	var v float64
	switch name {
	case CtxContractMonthlyNetWage:
		v = rc.ContractMonthlyNetWage
	case CtxContractWeeklyHours:
		v = rc.ContractWeeklyHours
	}
	return v, v > 0
}

// Trigger is one question whose answer triggered a severity.
type Trigger struct {
	Question  string `json:"question"`
	Severity  string `json:"severity"`
	Indicator string `json:"indicator"`
}

// Risk is an interview's risk: the highest severity triggered, the ILO
// indicators triggered (sorted, each once) and the triggering questions.
type Risk struct {
	Level      string    `json:"level"`
	Indicators []string  `json:"indicators"`
	Triggers   []Trigger `json:"triggers"`
}

// Assess computes the risk of valid answers (as returned by CheckAnswers):
// a pure function of the checklist, the answers and the context.
func (c *Checklist) Assess(ans Answers, rc RiskContext) Risk {
	r := Risk{Level: SeverityNone, Indicators: []string{}, Triggers: []Trigger{}}
	for i := range c.Questions {
		q := &c.Questions[i]
		a, ok := ans[q.ID]
		if !ok {
			continue
		}
		sev := SeverityNone
		for _, rule := range q.Rules {
			if SeverityRank(rule.Severity) > SeverityRank(sev) && rule.fires(a, rc) {
				sev = rule.Severity
			}
		}
		if sev == SeverityNone {
			continue
		}
		r.Triggers = append(r.Triggers, Trigger{Question: q.ID, Severity: sev, Indicator: q.Indicator})
		if !slices.Contains(r.Indicators, q.Indicator) {
			r.Indicators = append(r.Indicators, q.Indicator)
		}
		if SeverityRank(sev) > SeverityRank(r.Level) {
			r.Level = sev
		}
	}
	sort.Strings(r.Indicators)
	return r
}

func (rule Rule) fires(a any, rc RiskContext) bool {
	if rule.MinServiceMonths > 0 && rc.ServiceMonths < rule.MinServiceMonths {
		return false
	}
	switch v := a.(type) {
	case bool:
		return rule.Is != nil && *rule.Is == v
	case string:
		return slices.Contains(rule.In, v)
	case float64:
		if rule.AtLeast == nil && rule.AtMost == nil && rule.Above == "" && rule.Below == "" {
			return false
		}
		if rule.AtLeast != nil && v < *rule.AtLeast || rule.AtMost != nil && v > *rule.AtMost {
			return false
		}
		if rule.Above != "" {
			if ref, ok := rc.value(rule.Above); !ok || v <= ref {
				return false
			}
		}
		if rule.Below != "" {
			if ref, ok := rc.value(rule.Below); !ok || v >= ref {
				return false
			}
		}
		return true
	}
	return false
}
