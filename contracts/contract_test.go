package contracts

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/pdw-registry/pdw/models"
)

// clauseFigures lists the contract's clauses in order with the figures
// each must show in every language (formatted in that language).
func clauseFigures(l *language) []struct {
	heading string
	figures []string
} {
	n := l.integer
	d := func(s string) string { return l.date(*date(s)) }
	return []struct {
		heading string
		figures []string
	}{
		{"parties.heading", []string{"Ana Lima Pereira", "Maria Santos Dela Cruz", d("1990-04-12"), "P1234567A", "Embassy of Ruritania", "Philippines"}},
		{"duties.heading", []string{"housekeeping", "care of two children"}},
		{"term.heading", []string{d("2026-09-01"), d("2028-08-31")}},
		{"wage.heading", []string{plain(l.amount(120000, "CHF")), "CHF"}},
		{"deductions.heading", nil},
		{"hours.heading", []string{n(42), n(11), l.number(1.5)}},
		{"overtime.heading", []string{n(25), n(50), n(100)}},
		{"holidays.heading", []string{n(9)}},
		{"leave.heading", []string{n(5)}},
		{"sick.heading", nil},
		{"social.heading", nil},
		{"living.heading", nil},
		{"documents.heading", nil},
		{"travel.heading", nil},
		{"termination.heading", []string{n(45)}},
		{"office.heading", []string{n(14), n(12)}},
		{"help.heading", []string{"+41 00 000 00 01", "+41 00 000 00 02", "+41 00 000 00 03", "112", "Protocol Office duty line"}},
		{"copies.heading", nil},
		{"sign.heading", []string{"Bern", d("2026-07-15")}},
	}
}

// hasFigure reports whether s holds fig as a whole figure: not inside a
// longer number ("5" in "45" or "1.5", "५" in "४५") nor inside a Latin
// code ("9" in "K7P2-9QXM"). A letter of another script may touch it
// (Amharic "በ14").
func hasFigure(s, fig string) bool {
	isAlnum := func(r rune) bool {
		return unicode.IsDigit(r) || r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}
	for i := 0; ; {
		j := strings.Index(s[i:], fig)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(fig)
		before, n := utf8.DecodeLastRuneInString(s[:start])
		beforeSep, _ := utf8.DecodeLastRuneInString(s[:start-n])
		after, m := utf8.DecodeRuneInString(s[end:])
		afterSep, _ := utf8.DecodeRuneInString(s[end+m:])
		prevDigit := (before == '.' || before == ',') && unicode.IsDigit(beforeSep)
		nextDigit := (after == '.' || after == ',') && unicode.IsDigit(afterSep)
		if !isAlnum(before) && before != '-' && !isAlnum(after) && after != '-' && !prevDigit && !nextDigit {
			return true
		}
		i = start + 1
	}
}

func TestHasFigure(t *testing.T) {
	tests := []struct {
		s, fig string
		want   bool
	}{
		{"at least 45 days", "45", true},
		{"at least 45 days", "5", false},
		{"1.5 days", "5", false},
		{"1.5 days", "1.5", true},
		{"1,5 jours", "1", false},
		{"code K7P2-9QXM", "9", false},
		{"በ14 ቀናት", "14", true},
		{"9 paid holidays.", "9", true},
		{"ends 2028-08-31.", "2028-08-31", true},
		{"कम्तीमा ४५ दिन", "५", false},
		{"१.५ दिन", "५", false},
		{"कम्तीमा ४५ दिन", "४५", true},
	}
	for _, tt := range tests {
		if got := hasFigure(tt.s, tt.fig); got != tt.want {
			t.Errorf("hasFigure(%q, %q) = %v, want %v", tt.s, tt.fig, got, tt.want)
		}
	}
}

// TestRender_LanguagePairs renders a contract for every host language
// English or French with every worker language, extracts its text with
// pdftotext and finds each clause's figures in the paragraph of each
// language, under that language's label.
func TestRender_LanguagePairs(t *testing.T) {
	needTool(t, "pdftotext")
	cat, err := embeddedCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"en", "fr"} {
		for _, worker := range allLanguages {
			t.Run(host+"-"+worker, func(t *testing.T) {
				t.Parallel()
				pdf := render(t, testContract(t, host, worker), Options{})
				text := pdfText(t, pdf)
				hl, _ := cat.lookup(host)
				wl, _ := cat.lookup(worker)
				langs := []*language{hl}
				if wl != hl {
					langs = append(langs, wl)
				}
				checkClauses(t, text, langs)
				if !strings.Contains(text, "K7P2-9QXM") || !strings.Contains(text, "https://registry.protocol.example/verify/K7P2-9QXM") {
					t.Error("footer: verification code or URL missing")
				}
				for _, l := range langs {
					v := plain(l.text("doc.text_version", map[string]string{"version": "2026.1", "status": l.version.Status}))
					if !strings.Contains(text, v) {
						t.Errorf("text version line %q missing", v)
					}
				}
			})
		}
	}
}

// checkClauses walks the clauses in order: each starts with "n. " and the
// host heading; inside it, each language's paragraph starts with the
// language's name and must hold the clause's figures.
func checkClauses(t *testing.T, text string, langs []*language) {
	t.Helper()
	host := langs[0]
	clauses := clauseFigures(host)
	starts := make([]int, len(clauses)+1)
	from := 0
	for i, cl := range clauses {
		h := fmt.Sprintf("%d. %s", i+1, host.text(cl.heading, nil))
		j := strings.Index(text[from:], h)
		if j < 0 {
			t.Fatalf("heading %q not found after offset %d", h, from)
		}
		starts[i] = from + j
		from = starts[i] + len(h)
	}
	starts[len(clauses)] = len(text)
	for i, cl := range clauses {
		seg := text[starts[i]:starts[i+1]]
		for _, l := range langs {
			if h := l.text(cl.heading, nil); !strings.Contains(seg, h) {
				t.Errorf("%s: %s heading %q missing", cl.heading, l.tag, h)
			}
		}
		// Split the clause at the language labels.
		parts := map[*language]string{}
		pos := make([]int, len(langs))
		for k, l := range langs {
			lab := l.text("language.name", nil) + " "
			j := strings.Index(seg, lab)
			if j < 0 {
				t.Errorf("%s: label %q missing", cl.heading, lab)
				return
			}
			pos[k] = j + len(lab)
		}
		for k, l := range langs {
			end := len(seg)
			if k+1 < len(langs) {
				end = pos[k+1]
			}
			if pos[k] > end {
				t.Errorf("%s: %s paragraph comes after the next language's", cl.heading, l.tag)
				return
			}
			parts[l] = seg[pos[k]:end]
		}
		for _, l := range langs {
			figs := cl.figures
			if l != host {
				figs = clauseFigures(l)[i].figures
			}
			for _, f := range figs {
				if !hasFigure(parts[l], f) {
					t.Errorf("%s: %s paragraph lacks %q:\n%s", cl.heading, l.tag, f, parts[l])
				}
			}
		}
	}
}

func TestRender_Deterministic(t *testing.T) {
	for _, pair := range [][2]string{{"fr", "tl"}, {"en", "am"}, {"fr", "ar"}} {
		c := testContract(t, pair[0], pair[1])
		first := render(t, c, Options{})
		if second := render(t, c, Options{}); !bytes.Equal(first, second) {
			t.Errorf("%s-%s: two renders differ (%d and %d bytes)", pair[0], pair[1], len(first), len(second))
		}
		// Concurrent renders share fonts and messages read-only.
		var wg sync.WaitGroup
		out := make([][]byte, 4)
		for i := range out {
			wg.Go(func() {
				var buf bytes.Buffer
				if err := Render(&buf, c, Options{}); err != nil {
					t.Error(err)
				}
				out[i] = buf.Bytes()
			})
		}
		wg.Wait()
		for i, b := range out {
			if !bytes.Equal(first, b) {
				t.Errorf("%s-%s: concurrent render %d differs", pair[0], pair[1], i)
			}
		}
	}
	// Another instant gives other bytes (the dates are in the PDF).
	c := testContract(t, "fr", "tl")
	a := render(t, c, Options{})
	c.IssuedAt = c.IssuedAt.AddDate(0, 0, 1)
	if bytes.Equal(a, render(t, c, Options{})) {
		t.Error("a different IssuedAt gave the same bytes")
	}
}

func TestRender_Pages(t *testing.T) {
	pdf := render(t, testContract(t, "fr", "tl"), Options{})
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("output starts %q", pdf[:8])
	}
	if got, want := pageCount(pdf), 3; got != want {
		t.Errorf("fr-tl contract has %d pages, want %d", got, want)
	}
}

func TestRender_UnsupportedLanguage(t *testing.T) {
	tests := []struct {
		name, host, worker, tag string
	}{
		{"HebrewHost", "he", "en", "he"},
		{"HebrewWorker", "fr", "he", "he"},
		{"Unknown", "en", "zz", "zz"},
		{"NotATag", "en", "not a tag", "not a tag"},
		{"Script", "fr", "sr-Latn", "sr-Latn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Render(&buf, testContract(t, tt.host, tt.worker), Options{})
			if !errors.Is(err, ErrUnsupportedLanguage) {
				t.Fatalf("err = %v, want ErrUnsupportedLanguage", err)
			}
			var le *LanguageError
			if !errors.As(err, &le) || le.Tag != tt.tag {
				t.Errorf("LanguageError tag = %v, want %q", le, tt.tag)
			}
			if !strings.Contains(err.Error(), `unsupported language "`+tt.tag+`"`) {
				t.Errorf("error %q does not name the language", err)
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written on error", buf.Len())
			}
		})
	}
	t.Run("Leaflet", func(t *testing.T) {
		err := RenderLeaflet(&bytes.Buffer{}, testLeaflet(t, "he"), Options{})
		if !errors.Is(err, ErrUnsupportedLanguage) {
			t.Fatalf("err = %v, want ErrUnsupportedLanguage", err)
		}
	})
	t.Run("RegionFallsBack", func(t *testing.T) {
		render(t, testContract(t, "en", "pt-BR"), Options{})
		render(t, testContract(t, "FR", "tl"), Options{})
		render(t, testContract(t, "es-419", "tl"), Options{})
	})
}

func TestRender_InvalidInput(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Contract)
		field  string
	}{
		{"IssuedAt", func(c *Contract) { c.IssuedAt = time.Time{} }, "issued_at"},
		{"Version", func(c *Contract) { c.Version = 0 }, "version"},
		{"Code", func(c *Contract) { c.VerifyCode = "" }, "verify_code"},
		{"URL", func(c *Contract) { c.VerifyURL = " " }, "verify_url"},
		{"Place", func(c *Contract) { c.Place = "" }, "place"},
		{"Employer", func(c *Contract) { c.Employer.FullName = "" }, "employer"},
		{"Rank", func(c *Contract) { c.Employer.Rank = "ambassador" }, "rank"},
		{"Country", func(c *Contract) { c.Employer.MissionCountry = "" }, "mission country"},
		{"Nationality", func(c *Contract) { c.Worker.Nationality = "" }, "nationality"},
		{"EndDate", func(c *Contract) { c.EndDate = &models.Date{} }, "end_date"},
		{"Hours", func(c *Contract) { c.Terms.WeeklyHours = 0 }, "weekly_hours"},
		{"Worker", func(c *Contract) { c.Worker.FullName = "" }, "worker full_name"},
		{"Passport", func(c *Contract) { c.Worker.PassportNumber = "" }, "passport"},
		{"Start", func(c *Contract) { c.StartDate = nil }, "start_date"},
		{"Wage", func(c *Contract) { c.Terms.MonthlyNetWageMinor = 0 }, "wage"},
		{"Duties", func(c *Contract) { c.Terms.Duties = nil }, "duty"},
		{"PayDay", func(c *Contract) { c.Terms.PayDay = 29 }, "pay_day"},
		{"NegativePayDay", func(c *Contract) { c.Terms.PayDay = -1 }, "pay_day"},
		{"Checkins", func(c *Contract) { c.Policy.CheckinIntervalMonths = 0 }, "checkin_interval_months"},
		{"Hotline", func(c *Contract) { c.Help.Office.Phone = "" }, "hotline"},
		{"Emergency", func(c *Contract) { c.Help.Emergency = "" }, "emergency"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testContract(t, "fr", "tl")
			tt.change(&c)
			err := Render(&bytes.Buffer{}, c, Options{})
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("err = %v, want ErrInvalidInput", err)
			}
			if !strings.Contains(err.Error(), tt.field) {
				t.Errorf("error %q does not name %q", err, tt.field)
			}
		})
	}
}

func TestRender_UnsupportedText(t *testing.T) {
	c := testContract(t, "fr", "tl")
	c.Worker.FullName = "王芳"
	err := Render(&bytes.Buffer{}, c, Options{})
	if !errors.Is(err, ErrUnsupportedText) {
		t.Fatalf("err = %v, want ErrUnsupportedText", err)
	}
	if !strings.Contains(err.Error(), "worker full_name") || !strings.Contains(err.Error(), "U+738B") {
		t.Errorf("error %q should name the field and the code point", err)
	}
	if strings.Contains(err.Error(), "王") {
		t.Errorf("error %q repeats personal data", err)
	}
	// A character beyond the Basic Multilingual Plane (fpdf cannot draw it).
	c = testContract(t, "fr", "tl")
	c.Terms.Duties = models.Strings{"cooking 🍲"}
	if err := Render(&bytes.Buffer{}, c, Options{}); !errors.Is(err, ErrUnsupportedText) {
		t.Errorf("emoji: err = %v, want ErrUnsupportedText", err)
	}
}

// fontNames returns which embedded font families a PDF carries.
func fontNames(pdf []byte) (latin, ethiopic bool) {
	return bytes.Contains(pdf, []byte("/BaseFont /utf8notosans\n")), bytes.Contains(pdf, []byte("/BaseFont /utf8notosansethiopic"))
}

func TestRender_FontsPerDocument(t *testing.T) {
	latin, ethiopic := fontNames(render(t, testContract(t, "fr", "tl"), Options{}))
	if !latin || ethiopic {
		t.Errorf("fr-tl: Latin font %v, Ethiopic font %v; want only Latin", latin, ethiopic)
	}
	latin, ethiopic = fontNames(render(t, testContract(t, "fr", "am"), Options{}))
	if !latin || !ethiopic {
		t.Errorf("fr-am: Latin font %v, Ethiopic font %v; want both", latin, ethiopic)
	}
	// An Ethiopic name in a Latin-only contract brings the Ethiopic font
	// in for that name only.
	c := testContract(t, "fr", "tl")
	c.Worker.FullName = "ትዕግሥት አበበ"
	pdf := render(t, c, Options{})
	if _, ethiopic := fontNames(pdf); !ethiopic {
		t.Error("fr-tl with an Ethiopic name: no Ethiopic font embedded")
	}
	needTool(t, "pdftotext")
	if text := pdfText(t, pdf); strings.Count(text, "ትዕግሥት አበበ") < 3 {
		t.Errorf("the Ethiopic name should appear in both parties paragraphs and the signature:\n%s", text)
	}
}

func TestRender_TermsChooseSentences(t *testing.T) {
	needTool(t, "pdftotext")
	c := testContract(t, "en", "")
	c.EndDate = nil
	c.Worker.DateOfBirth = nil
	c.Terms.ReturnTravelByEmployer = false
	c.Terms.PaidIntoSoleNameAccount = false
	c.Terms.AccidentInsuranceByEmpl = false
	c.Policy.BoardLodgingDeductible = true
	c.Help.Mediation = Contact{}
	text := pdfText(t, render(t, c, Options{}))
	cat, _ := embeddedCatalog()
	en, _ := cat.lookup("en")
	for _, key := range []string{"term.open", "deductions.board", "sick.health"} {
		if want := en.text(key, c.vars(en)); !strings.Contains(text, want) {
			t.Errorf("missing %s: %q", key, want)
		}
	}
	if !strings.Contains(text, "date of birth: not recorded") {
		t.Error("unknown date of birth not printed as not recorded")
	}
	for _, key := range []string{"travel.heading", "wage.account", "sick.accident", "deductions.all", "help.mediation"} {
		t.Run(key, func(t *testing.T) {
			v := c.vars(en)
			v["contact"] = ""
			if s := strings.TrimSuffix(en.text(key, v), ": "); strings.Contains(text, s) {
				t.Errorf("%s printed though the terms do not provide it: %q", key, s)
			}
		})
	}
}

// stubPNG is a 21x21 checkerboard standing in for an encoder's output:
// the test checks that the hook's image reaches every page, not that it
// is a QR code.
func stubPNG(t *testing.T) []byte {
	img := image.NewGray(image.Rect(0, 0, 21, 21))
	for y := 0; y < 21; y++ {
		for x := 0; x < 21; x++ {
			if (x+y)%2 == 0 {
				img.SetGray(x, y, color.Gray{Y: 255})
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRender_QRCodeHook(t *testing.T) {
	c := testContract(t, "fr", "tl")
	var got []string
	pdf := render(t, c, Options{QRCode: func(url string) ([]byte, error) {
		got = append(got, url)
		return stubPNG(t), nil
	}})
	if len(got) != 1 || got[0] != c.VerifyURL {
		t.Errorf("QRCode called with %q, want once with %q", got, c.VerifyURL)
	}
	if n := bytes.Count(pdf, []byte("/Subtype /Image")); n != 1 {
		t.Errorf("%d image objects, want 1 (shared by every page)", n)
	}
	if n := bytes.Count(pdf, []byte("/XObject")); n < 1 {
		t.Error("no page uses the image")
	}
	without := render(t, c, Options{})
	if bytes.Contains(without, []byte("/Subtype /Image")) {
		t.Error("an image without the hook")
	}
	fail := errors.New("encoder broke")
	err := Render(&bytes.Buffer{}, c, Options{QRCode: func(string) ([]byte, error) { return nil, fail }})
	if !errors.Is(err, fail) {
		t.Errorf("err = %v, want the encoder's error", err)
	}
}

func TestRender_LongWords(t *testing.T) {
	needTool(t, "pdftotext")
	c := testContract(t, "en", "am")
	c.VerifyURL = "https://registry.protocol.example/verify/" + strings.Repeat("K7P2", 40)
	c.Terms.Duties = models.Strings{strings.Repeat("x", 100)}
	text := pdfText(t, render(t, c, Options{}))
	if !strings.Contains(strings.ReplaceAll(text, " ", ""), strings.Repeat("x", 100)) {
		t.Error("a word wider than the column lost characters")
	}
}

// langParagraphs splits clause n (1-based, heading key heading, followed by
// the clause next or none) of the extracted text at the language labels
// and returns each language's paragraph, keyed by tag.
func langParagraphs(t *testing.T, text string, langs []*language, n int, heading, next string) map[string]string {
	t.Helper()
	host := langs[0]
	h := fmt.Sprintf("%d. %s", n, host.text(heading, nil))
	start := strings.Index(text, h)
	if start < 0 {
		t.Fatalf("heading %q not found", h)
	}
	end := len(text)
	if next != "" {
		if j := strings.Index(text[start:], fmt.Sprintf("%d. %s", n+1, host.text(next, nil))); j >= 0 {
			end = start + j
		}
	}
	seg := text[start:end]
	pos := make([]int, len(langs)+1)
	for k, l := range langs {
		lab := l.text("language.name", nil) + " "
		j := strings.Index(seg, lab)
		if j < 0 || k > 0 && j < pos[k-1] {
			t.Fatalf("clause %d: label %q missing or out of order in %q", n, lab, seg)
		}
		pos[k] = j + len(lab)
	}
	out := map[string]string{}
	for k, l := range langs {
		e := len(seg)
		if k+1 < len(langs) {
			e = strings.LastIndex(seg[:pos[k+1]], langs[k+1].text("language.name", nil))
		}
		out[l.tag] = seg[pos[k]:e]
	}
	return out
}

// TestRender_PayDay: the wage clause says when the wage is paid, in each
// language's own paragraph: on the day the terms name, on the first (in
// words), or at the latest on the last day of the month when they name
// none. pdftotext reads the pay day sentence with "25" back, word for
// word, in the French and the Tagalog or Arabic paragraph.
func TestRender_PayDay(t *testing.T) {
	needTool(t, "pdftotext")
	cat, err := embeddedCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		worker string
		payDay int
		key    string
	}{
		{"tl", 25, "wage.pay_day"},
		{"ar", 25, "wage.pay_day"},
		{"tl", 0, "wage.pay_last"},
		{"ar", 0, "wage.pay_last"},
		{"tl", 1, "wage.pay_first"},
	} {
		t.Run(fmt.Sprintf("fr-%s-%d", tc.worker, tc.payDay), func(t *testing.T) {
			t.Parallel()
			c := testContract(t, "fr", tc.worker)
			c.Terms.PayDay = tc.payDay
			var n int
			var next string
			clauses := c.clauses()
			for i, cl := range clauses {
				if cl.heading == "wage.heading" {
					n = i + 1
					next = clauses[i+1].heading
					if !slices.Contains(cl.sentences, tc.key) {
						t.Errorf("wage clause sentences %v lack %s", cl.sentences, tc.key)
					}
				}
			}
			pdf := render(t, c, Options{})
			text := pdfText(t, pdf)
			fr, _ := cat.lookup("fr")
			wl, _ := cat.lookup(tc.worker)
			text = withoutFooters(text+" ", &c, []*language{fr, wl}, pageCount(pdf))
			paras := langParagraphs(t, text, []*language{fr, wl}, n, "wage.heading", next)
			for _, l := range []*language{fr, wl} {
				sentence := plain(l.text(tc.key, c.vars(l)))
				if tc.payDay == 25 && !strings.Contains(sentence, "25") {
					t.Fatalf("%s: the sentence %q lacks 25", l.tag, sentence)
				}
				if wordsAt(strings.Fields(paras[l.tag]), strings.Fields(sentence)) < 0 {
					t.Errorf("%s paragraph lacks %q:\n%s", l.tag, sentence, paras[l.tag])
				}
				for _, other := range []string{"wage.pay_day", "wage.pay_first", "wage.pay_last"} {
					if other == tc.key {
						continue
					}
					if s := plain(l.text(other, c.vars(l))); strings.Contains(text, s) {
						t.Errorf("%s: %s printed as well: %q", l.tag, other, s)
					}
				}
			}
		})
	}
}
