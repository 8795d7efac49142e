package contracts

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/models"
)

// embeddedFile returns the decoded embedded message file of tag.
func embeddedFile(t *testing.T, tag string) messageFile {
	t.Helper()
	b, err := messageFS.ReadFile("messages/" + tag + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var f messageFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// writeOverride writes f as dir/<name>.
func writeOverride(t *testing.T, dir, name string, f messageFile) {
	t.Helper()
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLoadMessages_Embedded(t *testing.T) {
	cat, err := LoadMessages("")
	if err != nil {
		t.Fatal(err)
	}
	if got := cat.Languages(); !slices.Equal(got, []string{"am", "ar", "bn", "de", "en", "es", "fr", "hi", "id", "ne", "pt", "si", "sw", "ta", "tl", "vi"}) {
		t.Errorf("Languages() = %v", got)
	}
	for _, tag := range allLanguages {
		v, err := cat.TextVersion(tag)
		if err != nil {
			t.Fatal(err)
		}
		want := "draft translation"
		if tag == "en" {
			want = "draft, not legally reviewed"
		}
		if v.Language != tag || v.Version == "" || v.Status != want || v.Source != "embedded" {
			t.Errorf("TextVersion(%s) = %+v", tag, v)
		}
	}
}

func TestLoadMessages_Override(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		change func(f *messageFile)
		want   []string // substrings of the error; none: loads
	}{
		{"MissingKey", "fr.json", func(f *messageFile) { delete(f.Messages, "wage.amount") }, []string{"messages fr", `missing key "wage.amount"`}},
		{"UnknownPlaceholder", "de.json", func(f *messageFile) { f.Messages["wage.amount"] = "Lohn {wage} {currency} {salary}" }, []string{"messages de", `"wage.amount"`, "{salary}"}},
		{"MissingPlaceholder", "tl.json", func(f *messageFile) { f.Messages["leave.body"] = "May bakasyon." }, []string{"messages tl", `"leave.body"`, "{leave_weeks} is missing"}},
		{"PlaceholderNotAllowed", "en.json", func(f *messageFile) { f.Messages["doc.title"] = "Contract {version}" }, []string{"messages en", `"doc.title"`, "takes none"}},
		{"UnknownKey", "es.json", func(f *messageFile) { f.Messages["wage.bonus"] = "x" }, []string{"messages es", `unknown key "wage.bonus"`}},
		{"Brace", "pt.json", func(f *messageFile) { f.Messages["wage.heading"] = "Salário {" }, []string{"messages pt", `"wage.heading"`, "no matching"}},
		{"Empty", "id.json", func(f *messageFile) { f.Messages["wage.heading"] = " " }, []string{"messages id", "empty"}},
		{"NoVersion", "fr.json", func(f *messageFile) { f.Version = "" }, []string{"messages fr", `"version" is required`}},
		{"BadDecimal", "fr.json", func(f *messageFile) { f.DecimalSeparator = "·" }, []string{"decimal_separator"}},
		{"Undrawable", "am.json", func(f *messageFile) { f.Messages["wage.heading"] = "工资" }, []string{"messages am", `"wage.heading"`, "U+5DE5"}},
		{"UnsupportedScript", "he.json", func(f *messageFile) { f.Script = "Hebr" }, []string{"messages he", `script "Hebr" is not supported (supported: Arab, Beng, Deva, Ethi, Latn, Sinh, Taml)`}},
		{"ArabicOverride", "ar.json", func(f *messageFile) { f.Script = "Arab"; f.Messages["language.name"] = "العربية" }, nil},
		{"BadName", "french.json", func(f *messageFile) {}, []string{"french.json", "not a language tag"}},
		{"Certified", "fr.json", func(f *messageFile) { f.Version = "CERT-2026-7"; f.Status = "certified translation" }, nil},
		{"NewLanguage", "nl.json", func(f *messageFile) { f.Messages["language.name"] = "Nederlands"; f.DecimalSeparator = "," }, nil},
		{"NoDecimalSeparator", "nl.json", func(f *messageFile) { f.DecimalSeparator = "" }, nil},
		{"WrongDecimalSeparator", "nl.json", func(f *messageFile) { f.DecimalSeparator = "." }, []string{`messages nl: "decimal_separator" is "." but numbers in this language are written 1,5`}},
		{"UnknownDigits", "fr.json", func(f *messageFile) { f.Digits = "klingon" }, []string{`messages fr: "digits"`}},
		{"LatinDigits", "ne.json", func(f *messageFile) { f.Digits = "latn" }, nil},
		{"NoDateFormat", "fr.json", func(f *messageFile) { f.DateFormat, f.Months = "", nil }, nil},
		{"DateFormatPlaceholder", "fr.json", func(f *messageFile) { f.DateFormat = "{day} {month}" }, []string{`messages fr: "date_format": placeholder {year} is missing`}},
		{"Months", "de.json", func(f *messageFile) { f.Months = f.Months[:11] }, []string{`messages de: "months" must name the twelve months`}},
		{"MonthsAlone", "de.json", func(f *messageFile) { f.DateFormat = "" }, []string{`messages de: "months" is given without "date_format"`}},
		{"MonthUndrawable", "am.json", func(f *messageFile) { f.Months[0] = "一月" }, []string{`messages am: "months" 1:`, "U+4E00"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			base := strings.TrimSuffix(tt.file, ".json")
			if !slices.Contains(allLanguages, base) {
				base = "en"
			}
			f := embeddedFile(t, base)
			tt.change(&f)
			writeOverride(t, dir, tt.file, f)
			// Files that are not JSON are ignored.
			if err := os.WriteFile(filepath.Join(dir, "README.txt"), []byte("certified texts"), 0o600); err != nil {
				t.Fatal(err)
			}
			cat, err := LoadMessages(dir)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("LoadMessages: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("LoadMessages loaded %v, want an error", cat.Languages())
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestLoadMessages_CertifiedIsPrinted renders with an overriding French
// text and finds its version and status in the PDF; TextVersion names the
// file.
func TestLoadMessages_CertifiedIsPrinted(t *testing.T) {
	dir := t.TempDir()
	f := embeddedFile(t, "fr")
	f.Version, f.Status = "CERT-2026-7", "traduction certifiée"
	writeOverride(t, dir, "fr.json", f)
	cat, err := LoadMessages(dir)
	if err != nil {
		t.Fatal(err)
	}
	v, err := cat.TextVersion("fr")
	if err != nil || v.Version != "CERT-2026-7" || v.Source != filepath.Join(dir, "fr.json") {
		t.Errorf("TextVersion(fr) = %+v, %v", v, err)
	}
	needTool(t, "pdftotext")
	text := pdfText(t, render(t, testContract(t, "fr", "tl"), Options{Catalog: cat}))
	if !strings.Contains(text, "Texte français : version CERT-2026-7 (traduction certifiée)") {
		t.Errorf("certified version not printed:\n%.400s", text)
	}
	if !strings.Contains(text, "Tekstong Tagalog: bersiyon 2026.1 (draft translation)") {
		t.Errorf("embedded Tagalog version not printed:\n%.400s", text)
	}
}

func TestLoadMessages_ReportsEveryProblem(t *testing.T) {
	dir := t.TempDir()
	fr := embeddedFile(t, "fr")
	delete(fr.Messages, "hours.body")
	delete(fr.Messages, "leave.body")
	writeOverride(t, dir, "fr.json", fr)
	am := embeddedFile(t, "am")
	am.Messages["wage.amount"] = "{wage}"
	writeOverride(t, dir, "am.json", am)
	_, err := LoadMessages(dir)
	for _, w := range []string{`messages fr: missing key "hours.body"`, `messages fr: missing key "leave.body"`, `messages am: key "wage.amount": placeholder {currency} is missing`} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v lacks %q", err, w)
		}
	}
	if _, err := LoadMessages(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing override directory loaded")
	}
}

func TestParseTemplate(t *testing.T) {
	tests := []struct {
		text    string
		allowed []string
		vars    map[string]string
		want    string
		err     string
	}{
		{"Net {wage} {currency}.", []string{"wage", "currency"}, map[string]string{"wage": "1200.00", "currency": "CHF"}, "Net 1200.00 CHF.", ""},
		{"{a}{a}", []string{"a"}, map[string]string{"a": "x"}, "xx", ""},
		{"no placeholders", nil, nil, "no placeholders", ""},
		{"Net {wage}", []string{"wage", "currency"}, nil, "", "{currency} is missing"},
		{"Net {salary}", []string{"wage"}, nil, "", "unknown placeholder {salary}"},
		{"a } b", nil, nil, "", "lone"},
		{"a { b", nil, nil, "", "no matching"},
		{"a {{b}}", []string{"b"}, nil, "", "no matching"},
	}
	for _, tt := range tests {
		tpl, err := parseTemplate(tt.text, tt.allowed)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseTemplate(%q) err = %v, want %q", tt.text, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseTemplate(%q): %v", tt.text, err)
			continue
		}
		if got := tpl.fill(tt.vars); got != tt.want {
			t.Errorf("fill(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestMessages_SameFiguresEverywhere checks that every language's file
// keeps the figures in the same places as English: each key uses the
// same placeholders (LoadMessages enforces it) and the files are valid
// for rendering every optional sentence.
func TestMessages_AllOptionalSentencesRender(t *testing.T) {
	c := testContract(t, "en", "am")
	c.Policy.BoardLodgingDeductible = true
	c.EndDate = nil
	c.Worker.DateOfBirth = nil
	for _, tag := range allLanguages {
		c.WorkerLanguage = tag
		var buf bytes.Buffer
		if err := Render(&buf, c, Options{}); err != nil {
			t.Errorf("%s: %v", tag, err)
		}
		l := testLeaflet(t, tag)
		l.Policy.BoardLodgingDeductible = true
		l.WorkerName = ""
		if err := RenderLeaflet(&buf, l, Options{}); err != nil {
			t.Errorf("leaflet %s: %v", tag, err)
		}
	}
	var le *LanguageError
	if _, err := (&Catalog{}).TextVersion("fr"); !errors.As(err, &le) {
		t.Errorf("TextVersion on an empty catalog: %v", err)
	}
}

// TestMessages_EveryRank guards the rank names: Render prints
// "rank.<rank>" for every rank models accepts.
func TestMessages_EveryRank(t *testing.T) {
	for _, r := range models.Ranks {
		if _, ok := schema["rank."+r]; !ok {
			t.Errorf("no message key rank.%s", r)
		}
	}
}
