package models

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// contractLanguages are the languages the contracts support today; the
// checklist must have texts in each.
var contractLanguages = []string{"en", "fr", "de", "es", "pt", "tl", "id", "am", "ar", "hi", "ne", "bn", "si", "ta", "sw", "vi"}

// calmAnswers answers every question of c with an answer that triggers nothing.
func calmAnswers() map[string]json.RawMessage {
	raw := map[string]json.RawMessage{}
	for _, q := range CurrentChecklist().Questions {
		switch q.Type {
		case AnswerYesNo:
			// The calm answer is the one no rule tests.
			v := "true"
			for _, r := range q.Rules {
				if r.Is != nil && *r.Is {
					v = "false"
				}
			}
			raw[q.ID] = json.RawMessage(v)
		case AnswerChoice:
			raw[q.ID] = json.RawMessage(`"` + q.Options[0] + `"`)
		case AnswerNumber:
			raw[q.ID] = json.RawMessage("0")
		}
	}
	raw["q05"] = json.RawMessage("1200")
	raw["q12"] = json.RawMessage("45")
	raw["q15"] = json.RawMessage("10")
	return raw
}

func TestChecklist_Data(t *testing.T) {
	c := CurrentChecklist()
	if n := len(c.Questions); n < 28 || n > 35 {
		t.Fatalf("%d questions, want about thirty", n)
	}
	for i, q := range c.Questions {
		if want := fmt.Sprintf("q%02d", i+1); q.ID != want {
			t.Errorf("question %d has id %s, want %s", i, q.ID, want)
		}
		for _, lang := range contractLanguages {
			if q.Text[lang] == "" {
				t.Errorf("%s has no %s text", q.ID, lang)
			}
			for _, o := range q.Options {
				if q.OptionText[lang][o] == "" {
					t.Errorf("%s option %s has no %s label", q.ID, o, lang)
				}
			}
		}
		if len(q.Rules) == 0 {
			t.Errorf("%s has no severity rule", q.ID)
		}
	}
	for _, l := range c.Languages {
		want := "draft"
		if l.Language == "en" {
			want = "source"
		}
		if l.Status != want {
			t.Errorf("%s texts are %q, want %q", l.Language, l.Status, want)
		}
	}
	// Every ILO indicator is asked about.
	for _, ind := range Indicators {
		if !slices.ContainsFunc(c.Questions, func(q Question) bool { return q.Indicator == ind }) {
			t.Errorf("no question maps to indicator %s", ind)
		}
	}
}

// TestChecklist_Parse checks that broken data is refused and that a
// language is added by adding its texts file alone.
func TestChecklist_Parse(t *testing.T) {
	questions := `{"version":"9","questions":[
		{"id":"q01","type":"yes_no","indicator":"deception","required":true,"rules":[{"severity":"high","is":false}]},
		{"id":"q02","type":"choice","options":["a","b"],"indicator":"isolation","required":false,"rules":[{"severity":"medium","in":["b"]}]}]}`
	en := `{"language":"en","status":"source","questions":{"q01":"One?","q02":"Two?"},"options":{"q02":{"a":"A","b":"B"}}}`
	hi := `{"language":"hi","status":"draft","questions":{"q01":"एक?","q02":"दो?"},"options":{"q02":{"a":"ए","b":"बी"}}}`
	tests := []struct {
		name    string
		files   map[string]string
		wantErr string
	}{
		{"english only", map[string]string{"questions.json": questions, "texts/en.json": en}, ""},
		{"a language added by its file", map[string]string{"questions.json": questions, "texts/en.json": en, "texts/hi.json": hi}, ""},
		{"no english", map[string]string{"questions.json": questions, "texts/hi.json": hi}, "en.json is required"},
		{"missing text", map[string]string{"questions.json": questions, "texts/en.json": strings.Replace(en, `"q02":"Two?"`, `"q02":""`, 1)}, "no text for q02"},
		{"missing option label", map[string]string{"questions.json": questions, "texts/en.json": strings.Replace(en, `"b":"B"`, `"c":"B"`, 1)}, "no label"},
		{"file named wrongly", map[string]string{"questions.json": questions, "texts/en.json": en, "texts/xx.json": hi}, "file's name"},
		{"unknown indicator", map[string]string{"questions.json": strings.Replace(questions, `"deception"`, `"bad_luck"`, 1), "texts/en.json": en}, "not an ILO indicator"},
		{"rule of the wrong kind", map[string]string{"questions.json": strings.Replace(questions, `"is":false`, `"in":["a"]`, 1), "texts/en.json": en}, "must test its answer"},
		{"rule on an unknown option", map[string]string{"questions.json": strings.Replace(questions, `"in":["b"]`, `"in":["z"]`, 1), "texts/en.json": en}, "unknown option"},
		{"unknown field", map[string]string{"questions.json": strings.Replace(questions, `"required":true`, `"mandatory":true`, 1), "texts/en.json": en}, "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, body := range tt.files {
				fsys["v/"+name] = &fstest.MapFile{Data: []byte(body)}
			}
			c, err := parseChecklist(fsys, "v")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := tt.files["texts/hi.json"]; ok && c.Question("q02").OptionText["hi"]["b"] != "बी" {
				t.Fatalf("hi texts not loaded: %+v", c.Question("q02"))
			}
		})
	}
}

func TestChecklist_CheckAnswers(t *testing.T) {
	c := CurrentChecklist()
	with := func(changes map[string]string) map[string]json.RawMessage {
		raw := calmAnswers()
		for k, v := range changes {
			if v == "" {
				delete(raw, k)
			} else {
				raw[k] = json.RawMessage(v)
			}
		}
		return raw
	}
	tests := []struct {
		name   string
		raw    map[string]json.RawMessage
		fields map[string]string // field -> part of the message; nil: valid
	}{
		{"calm answers", with(nil), nil},
		{"optional question left out", with(map[string]string{"q05": "", "q15": "null"}), nil},
		{"required yes/no missing", with(map[string]string{"q07": ""}), map[string]string{"answers.q07": "required"}},
		{"required answered null", with(map[string]string{"q25": "null"}), map[string]string{"answers.q25": "required"}},
		{"yes/no as a string", with(map[string]string{"q02": `"yes"`}), map[string]string{"answers.q02": "true or false"}},
		{"number as a string", with(map[string]string{"q12": `"45"`}), map[string]string{"answers.q12": "number"}},
		{"number not whole", with(map[string]string{"q12": "45.5"}), map[string]string{"answers.q12": "whole"}},
		{"number negative", with(map[string]string{"q08": "-1"}), map[string]string{"answers.q08": "at least 0"}},
		{"number too large", with(map[string]string{"q12": "169"}), map[string]string{"answers.q12": "at most 168"}},
		{"amount with cents", with(map[string]string{"q05": "1199.95"}), nil},
		{"choice unknown", with(map[string]string{"q27": `"maybe"`}), map[string]string{"answers.q27": "must be one of"}},
		{"choice as bool", with(map[string]string{"q01": "true"}), map[string]string{"answers.q01": "must be one of"}},
		{"unknown question", with(map[string]string{"q99": "true"}), map[string]string{"answers.q99": "not a question"}},
		{"two errors", with(map[string]string{"q03": "1", "q04": ""}), map[string]string{"answers.q03": "true or false", "answers.q04": "required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ans, err := c.CheckAnswers(tt.raw)
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("CheckAnswers: %v", err)
				}
				for id := range tt.raw {
					if _, ok := ans[id]; !ok && string(tt.raw[id]) != "null" {
						t.Errorf("answer %s dropped", id)
					}
				}
				return
			}
			var me *Error
			if !errors.As(err, &me) || me.Code != EINVALID {
				t.Fatalf("err %v, want EINVALID", err)
			}
			if len(me.Fields) != len(tt.fields) {
				t.Errorf("fields %v, want %v", me.Fields, tt.fields)
			}
			for f, want := range tt.fields {
				if !strings.Contains(me.Fields[f], want) {
					t.Errorf("field %s: %q, want it to contain %q (all: %v)", f, me.Fields[f], want, me.Fields)
				}
			}
		})
	}
}

func TestChecklist_Assess(t *testing.T) {
	c := CurrentChecklist()
	swiss := RiskContext{ContractMonthlyNetWage: 1200, ContractWeeklyHours: 45, ServiceMonths: 14}
	tests := []struct {
		name       string
		changes    map[string]any
		rc         RiskContext
		level      string
		indicators []string
		questions  []string
	}{
		{"nothing", nil, swiss, SeverityNone, nil, nil},
		{"passport kept by employer", map[string]any{"q01": "no_held_by_employer"}, swiss, SeverityCritical, []string{"retention_of_identity_documents"}, []string{"q01"}},
		{"passport elsewhere", map[string]any{"q01": "no_held_elsewhere"}, swiss, SeverityHigh, []string{"retention_of_identity_documents"}, []string{"q01"}},
		{"no copy of contract", map[string]any{"q03": false}, swiss, SeverityHigh, []string{"deception"}, []string{"q03"}},
		{"paid below the contract", map[string]any{"q05": 900.0}, swiss, SeverityHigh, []string{"withholding_of_wages"}, []string{"q05"}},
		{"paid the contract", map[string]any{"q05": 1200.0}, swiss, SeverityNone, nil, nil},
		{"pay below but wage unknown", map[string]any{"q05": 900.0}, RiskContext{}, SeverityNone, nil, nil},
		{"one month late", map[string]any{"q08": 1.0}, swiss, SeverityHigh, []string{"withholding_of_wages"}, []string{"q08"}},
		{"three months late", map[string]any{"q08": 3.0}, swiss, SeverityCritical, []string{"withholding_of_wages"}, []string{"q08"}},
		{"46 hours over a 45-hour contract", map[string]any{"q12": 46.0}, swiss, SeverityHigh, []string{"excessive_overtime"}, []string{"q12"}},
		{"70 hours", map[string]any{"q12": 70.0}, swiss, SeverityCritical, []string{"excessive_overtime"}, []string{"q12"}},
		{"one night", map[string]any{"q13": 1.0}, swiss, SeverityMedium, []string{"excessive_overtime"}, []string{"q13"}},
		{"three nights", map[string]any{"q13": 3.0}, swiss, SeverityHigh, []string{"excessive_overtime"}, []string{"q13"}},
		{"no holiday after 14 months", map[string]any{"q15": 0.0}, swiss, SeverityMedium, []string{"abusive_working_and_living_conditions"}, []string{"q15"}},
		{"no holiday after 6 months", map[string]any{"q15": 0.0}, RiskContext{ServiceMonths: 6}, SeverityNone, nil, nil},
		{"locked in", map[string]any{"q18": true}, swiss, SeverityCritical, []string{"restriction_of_movement"}, []string{"q18"}},
		{"family contact forbidden", map[string]any{"q20": "forbidden"}, swiss, SeverityHigh, []string{"isolation"}, []string{"q20"}},
		{"no family contact", map[string]any{"q20": "none"}, swiss, SeverityMedium, []string{"isolation"}, []string{"q20"}},
		{"insults", map[string]any{"q27": "insults"}, swiss, SeverityHigh, []string{"intimidation_and_threats"}, []string{"q27"}},
		{"threats", map[string]any{"q27": "threats"}, swiss, SeverityCritical, []string{"intimidation_and_threats"}, []string{"q27"}},
		{"several, highest wins", map[string]any{"q16": false, "q19": false, "q26": true}, swiss, SeverityCritical,
			[]string{"abusive_working_and_living_conditions", "isolation", "physical_and_sexual_violence"}, []string{"q16", "q19", "q26"}},
		{"medium and high", map[string]any{"q21": false, "q29": false}, swiss, SeverityHigh, []string{"abuse_of_vulnerability", "isolation"}, []string{"q21", "q29"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := calmAnswers()
			ans, err := c.CheckAnswers(raw)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.changes {
				ans[k] = v
			}
			r := c.Assess(ans, tt.rc)
			if r.Level != tt.level {
				t.Errorf("level %s, want %s (%+v)", r.Level, tt.level, r.Triggers)
			}
			if strings.Join(r.Indicators, ",") != strings.Join(tt.indicators, ",") {
				t.Errorf("indicators %v, want %v", r.Indicators, tt.indicators)
			}
			var qs []string
			for _, tr := range r.Triggers {
				qs = append(qs, tr.Question)
			}
			if strings.Join(qs, ",") != strings.Join(tt.questions, ",") {
				t.Errorf("triggers %v, want %v", qs, tt.questions)
			}
		})
	}
}

func TestInterviewInput_Check(t *testing.T) {
	c := CurrentChecklist()
	yes, no := true, false
	tests := []struct {
		name   string
		in     InterviewInput
		fields []string
	}{
		{"valid", InterviewInput{AppointmentID: NewID(), WorkerSeenAlone: &yes, Answers: calmAnswers(), InterpreterLanguage: "TL"}, nil},
		{"not alone: answers not needed", InterviewInput{AppointmentID: NewID(), WorkerSeenAlone: &no}, nil},
		{"seen alone missing", InterviewInput{AppointmentID: NewID(), Answers: calmAnswers()}, []string{"worker_seen_alone"}},
		{"no answers", InterviewInput{AppointmentID: NewID(), WorkerSeenAlone: &yes}, []string{"answers"}},
		{"bad ids and language", InterviewInput{AppointmentID: "x", WorkerSeenAlone: &yes, Answers: calmAnswers(), InterpreterLanguage: "??"},
			[]string{"appointment_id", "interpreter_language"}},
		{"bad note and answer", InterviewInput{AppointmentID: NewID(), WorkerSeenAlone: &yes, Notes: "a\x00b",
			Answers: map[string]json.RawMessage{"q01": json.RawMessage(`"yes"`)}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.in.Check(c)
			if tt.name == "bad note and answer" {
				var me *Error
				if !errors.As(err, &me) || me.Fields["notes"] == "" || me.Fields["answers.q02"] == "" {
					t.Fatalf("err %v, want notes and answers.q02 named", err)
				}
				return
			}
			if tt.fields == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var me *Error
			if !errors.As(err, &me) {
				t.Fatalf("err %v", err)
			}
			for _, f := range tt.fields {
				if me.Fields[f] == "" {
					t.Errorf("field %s not named: %v", f, me.Fields)
				}
			}
		})
	}
	in := InterviewInput{AppointmentID: NewID(), WorkerSeenAlone: &yes, Answers: calmAnswers(), InterpreterLanguage: "TL"}
	if _, err := in.Check(c); err != nil || in.InterpreterLanguage != "tl" {
		t.Fatalf("language not canonical: %q %v", in.InterpreterLanguage, err)
	}
}

// FuzzCheckAnswers feeds arbitrary answer objects to the validator: it
// never panics, every error is EINVALID naming answers fields, and what
// it accepts is typed as the checklist says and can be assessed.
func FuzzCheckAnswers(f *testing.F) {
	calm, _ := json.Marshal(calmAnswers())
	f.Add(string(calm))
	f.Add(`{"q01":"no_held_by_employer","q12":1e308,"q13":-0,"q99":null}`)
	f.Add(`{"q05":"NaN","q08":1.5,"q02":"true"}`)
	f.Add(`{"\u0000":true}`)
	c := CurrentChecklist()
	f.Fuzz(func(t *testing.T, body string) {
		var raw map[string]json.RawMessage
		if json.Unmarshal([]byte(body), &raw) != nil {
			return
		}
		ans, err := c.CheckAnswers(raw)
		if err != nil {
			var me *Error
			if !errors.As(err, &me) || me.Code != EINVALID || len(me.Fields) == 0 {
				t.Fatalf("error %v is not EINVALID with fields", err)
			}
			for k := range me.Fields {
				if k != "answers" && !(strings.HasPrefix(k, "answers.") && plainKey(strings.TrimPrefix(k, "answers."))) {
					t.Fatalf("field %q", k)
				}
			}
			return
		}
		for id, v := range ans {
			q := c.Question(id)
			if q == nil {
				t.Fatalf("accepted unknown id %q", id)
			}
			switch v.(type) {
			case bool:
				if q.Type != AnswerYesNo {
					t.Fatalf("%s: bool for %s", id, q.Type)
				}
			case float64:
				if q.Type != AnswerNumber {
					t.Fatalf("%s: number for %s", id, q.Type)
				}
			case string:
				if q.Type != AnswerChoice || !slices.Contains(q.Options, v.(string)) {
					t.Fatalf("%s: %q for %s", id, v, q.Type)
				}
			default:
				t.Fatalf("%s: %T", id, v)
			}
		}
		for _, q := range c.Questions {
			if _, ok := ans[q.ID]; q.Required && !ok {
				t.Fatalf("required %s missing but accepted", q.ID)
			}
		}
		if r := c.Assess(ans, RiskContext{ContractMonthlyNetWage: 1200, ContractWeeklyHours: 45, ServiceMonths: 20}); SeverityRank(r.Level) < 0 {
			t.Fatalf("level %q", r.Level)
		}
	})
}
