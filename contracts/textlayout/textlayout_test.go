package textlayout

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-text/typesetting/font"
)

var pngDir = flag.String("png", "", "write page PNGs of the test document (pdftoppm -r 150) into this directory")

var testFonts = sync.OnceValues(func() (*Fonts, error) {
	var ttfs [][]byte
	for _, name := range []string{"NotoSans-Regular.ttf", "NotoNaskhArabic-Regular.ttf", "NotoSansDevanagari-Regular.ttf"} {
		b, err := os.ReadFile(filepath.Join(fontDir, name))
		if err != nil {
			return nil, err
		}
		ttfs = append(ttfs, b)
	}
	return NewFonts(ttfs[0], ttfs[1:]...)
})

func newTestShaper(tb testing.TB) *Shaper {
	tb.Helper()
	fs, err := testFonts()
	if err != nil {
		tb.Fatal(err)
	}
	return fs.NewShaper()
}

// Contract text: the pay clause, with a Latin employer name, an amount, a
// date and digits inside Arabic; a lam-alef (ولا) and harakat (أجرًا).
const arabicText = "يلتزم صاحب العمل، شركة ACME Ltd.، بأن يدفع للعاملة أجرًا شهريًا صافيًا قدره 1200.00 CHF " +
	"في حساب مصرفي باسمها وحدها، في موعد أقصاه اليوم 25 من كل شهر، ابتداءً من 2026-12-01. " +
	"ولا يجوز أن تتجاوز ساعات العمل 45 ساعة في الأسبوع، وللعاملة يوما راحة أسبوعية على الأقل، " +
	"وتحتفظ بجواز سفرها وهاتفها في جميع الأوقات."

const hindiText = "नियोक्ता कर्मचारी को हर महीने 25,000 रुपये का शुद्ध वेतन उसके अपने नाम के बैंक खाते में देगा। " +
	"कार्य के घंटे प्रति सप्ताह अड़तालीस से अधिक नहीं होंगे, और कर्मचारी को हर सप्ताह कम से कम एक दिन का विश्राम मिलेगा। " +
	"यह अनुबंध 2026-12-01 से प्रभावी होगा; क्षेत्र के श्रम कानून द्वारा निर्धारित शर्तें लागू होंगी और दोनों पक्ष हस्ताक्षर करेंगे।"

// The same clause with the inserted values isolated (FSI/LRI … PDI), as a
// template should insert them: the period stays after "Ltd." and the date
// reads 2026-12-01 left to right, instead of the bidi algorithm's
// ".ACME Ltd" and "01-12-2026" for the bare text.
const arabicIsolatedText = "يلتزم صاحب العمل، شركة \u2068ACME Ltd.\u2069، بأن يدفع للعاملة أجرًا شهريًا صافيًا قدره \u20661200.00 CHF\u2069 " +
	"ابتداءً من \u20662026-12-01\u2069."

const mixedText = "The employer, Mr. Khalid Al-Mansouri (خالد المنصوري), pays the worker 1,400.00 CHF on the 25th " +
	"of each month into an account in her sole name; the contract takes effect on 2026-12-01."

type paragraph struct {
	name, lang, text string
	rtl              bool
}

var paragraphs = []paragraph{
	{"arabic", "ar", arabicText, true},
	{"hindi", "hi", hindiText, false},
	{"mixed-ltr", "en", mixedText, false},
	{"arabic-isolates", "ar", arabicIsolatedText, true},
}

const (
	sizePt   = 12
	columnPt = 480
	leadPt   = 20
)

func TestWrap(t *testing.T) {
	s := newTestShaper(t)
	for _, p := range paragraphs {
		t.Run(p.name, func(t *testing.T) {
			lines, err := s.Wrap(p.text, p.lang, sizePt, columnPt)
			if err != nil {
				t.Fatal(err)
			}
			if len(lines) < 2 {
				t.Errorf("%d lines; the paragraph should need at least two at %v pt", len(lines), columnPt)
			}
			var texts []string
			for i, ln := range lines {
				if ln.RTL != p.rtl {
					t.Errorf("line %d RTL = %v", i, ln.RTL)
				}
				if ln.Width > columnPt || ln.Width <= 0 {
					t.Errorf("line %d width %.3f pt, column %v pt", i, ln.Width, columnPt)
				}
				right := 0.0
				for _, g := range ln.Glyphs {
					if g.X < -1e-9 {
						t.Errorf("line %d: glyph %d at x %.3f, left of the line", i, g.GID, g.X)
					}
					right = max(right, g.X+g.Advance)
				}
				if right > ln.Width+1e-9 {
					t.Errorf("line %d: glyphs reach %.3f pt, past the line width %.3f", i, right, ln.Width)
				}
				if i < len(lines)-1 && ln.Width < columnPt*0.7 {
					t.Errorf("line %d only %.1f pt wide: bad break?", i, ln.Width)
				}
				texts = append(texts, ln.Text)
			}
			if got, want := strings.Fields(strings.Join(texts, " ")), strings.Fields(p.text); !slices.Equal(got, want) {
				t.Errorf("lines' text\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestWrapLineBreaks(t *testing.T) {
	s := newTestShaper(t)
	for _, tc := range []struct {
		text  string
		lines []string
	}{
		{"سطر أول\nسطر ثان", []string{"سطر أول", "سطر ثان"}},
		{"one\r\ntwo\rthree\u2029four\u0085cinq", []string{"one", "two", "three", "four", "cinq"}},
		{"one\n\nthree", []string{"one", "", "three"}},
		{"one\u2028two", []string{"one", "two"}},
		{"one\n", []string{"one"}},
		{"\n", []string{""}},
	} {
		lines, err := s.Wrap(tc.text, "", sizePt, columnPt)
		if err != nil {
			t.Fatalf("Wrap(%q): %v", tc.text, err)
		}
		var got []string
		for _, ln := range lines {
			got = append(got, ln.Text)
			if len(ln.Glyphs) != utf8.RuneCountInString(strings.ReplaceAll(strings.TrimSpace(ln.Text), " ", "")) {
				t.Errorf("Wrap(%q): line %q has %d glyphs", tc.text, ln.Text, len(ln.Glyphs))
			}
			if ln.Ascent != lines[0].Ascent || ln.Ascent == 0 {
				t.Errorf("Wrap(%q): line %q ascent %v, first line %v", tc.text, ln.Text, ln.Ascent, lines[0].Ascent)
			}
		}
		if !slices.Equal(got, tc.lines) {
			t.Errorf("Wrap(%q) = %q, want %q", tc.text, got, tc.lines)
		}
	}
}

func TestWrapErrors(t *testing.T) {
	s := newTestShaper(t)
	for _, tc := range []struct {
		name        string
		size, width float64
		wantErr     bool
		wantNoLines bool
		text        string
	}{
		{"zero size", 0, 100, true, false, "x"},
		{"negative width", 12, -1, true, false, "x"},
		{"empty text", 12, 100, false, true, ""},
		{"fractional size", 10.5, 100, false, false, "x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines, err := s.Wrap(tc.text, "en", tc.size, tc.width)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err == nil && (len(lines) == 0) != tc.wantNoLines {
				t.Fatalf("%d lines", len(lines))
			}
			if tc.name == "fractional size" && lines[0].SizePt != 10.5 {
				t.Errorf("size %v", lines[0].SizePt)
			}
		})
	}
	var zero Shaper
	if _, err := zero.Wrap("x", "en", 12, 100); err == nil {
		t.Error("zero Shaper: no error")
	}
}

// TestClusters checks a few shaping results that unshaped text gets wrong:
// lam-alef is one ligature glyph, the Devanagari i-matra is drawn before
// its consonant, क्ष is one conjunct glyph, and Arabic letters take their
// joining forms rather than the nominal (isolated) glyphs.
func TestClusters(t *testing.T) {
	s := newTestShaper(t)
	fs, _ := testFonts()
	naskh, deva := font.NewFace(fs.fonts[1].ft), font.NewFace(fs.fonts[2].ft)
	nominal := func(f *font.Face, r rune) uint16 {
		g, ok := f.NominalGlyph(r)
		if !ok {
			t.Fatalf("font lacks U+%04X", r)
		}
		return uint16(g)
	}
	shape := func(text, lang string) []Glyph {
		lines, err := s.Wrap(text, lang, sizePt, columnPt)
		if err != nil || len(lines) != 1 {
			t.Fatalf("Wrap(%q): %d lines, %v", text, len(lines), err)
		}
		return lines[0].Glyphs
	}

	t.Run("lam-alef", func(t *testing.T) {
		// Noto Naskh Arabic 2.004 forms lam-alef through its rlig feature as
		// two glyphs, uniFE8E.rlig (6) and uniFEDF.rlig (450), recorded from
		// go-text; unshaped text would give the nominal alef and lam.
		g := shape("لا", "ar")
		if !slices.Equal(gids(g), []uint16{6, 450}) {
			t.Errorf("لا: glyphs %v, want [6 450] (alef and lam rlig forms)", gids(g))
		}
		for _, x := range g {
			if name := naskh.GlyphName(font.GID(x.GID)); !strings.HasSuffix(name, ".rlig") {
				t.Errorf("glyph %d is %s, not an rlig form", x.GID, name)
			}
		}
		if g[0].GID == nominal(naskh, 'ا') || g[1].GID == nominal(naskh, 'ل') {
			t.Errorf("nominal glyphs used")
		}
	})
	t.Run("joining", func(t *testing.T) {
		// سلم: initial seen, medial lam, final meem: none of them nominal.
		g := shape("سلم", "ar")
		if len(g) != 3 {
			t.Fatalf("سلم: %d glyphs", len(g))
		}
		// Display order is left to right: final meem, medial lam, initial seen.
		for i, r := range []rune{'م', 'ل', 'س'} {
			if g[i].GID == nominal(naskh, r) {
				t.Errorf("%c drawn with its isolated glyph %d", r, g[i].GID)
			}
			if g[i].Font != fs.fonts[1] {
				t.Errorf("%c not in Naskh", r)
			}
		}
	})
	t.Run("i-matra", func(t *testing.T) {
		g := shape("कि", "hi")
		if len(g) != 2 || g[1].GID != nominal(deva, 'क') || g[0].X > g[1].X {
			t.Errorf("कि: glyphs %v, want the i-matra first, then क %d", gids(g), nominal(deva, 'क'))
		}
	})
	t.Run("ksha", func(t *testing.T) {
		if g := shape("क्ष", "hi"); len(g) != 1 {
			t.Errorf("क्ष: glyphs %v, want one conjunct", gids(g))
		}
	})
	t.Run("isolates", func(t *testing.T) {
		latinRun := func(text string) (out []uint16) {
			for _, g := range shape(text, "ar") {
				if g.Font == fs.fonts[0] {
					out = append(out, g.GID)
				}
			}
			return out
		}
		latin := font.NewFace(fs.fonts[0].ft)
		nominals := func(text string) (out []uint16) {
			for _, r := range text {
				out = append(out, nominal(latin, r))
			}
			return out
		}
		for _, tc := range []struct{ text, want string }{
			{"ابتداءً من \u20662026-12-01\u2069.", ".2026-12-01"},
			{"ابتداءً من 2026-12-01.", ".01-12-2026"}, // the bidi algorithm's order without isolates
			{"شركة \u2068ACME Ltd.\u2069، بأن", "ACME Ltd."},
		} {
			if got := latinRun(tc.text); !slices.Equal(got, nominals(strings.ReplaceAll(tc.want, " ", ""))) {
				t.Errorf("%q: Latin glyphs %v, want %q left to right", tc.text, got, tc.want)
			}
		}
	})
	t.Run("latin in arabic", func(t *testing.T) {
		g := shape("شركة ACME 1200", "ar")
		latin := 0
		for _, x := range g {
			if x.Font == fs.fonts[0] {
				latin++
			}
		}
		if latin != 8 {
			t.Errorf("%d glyphs from the Latin font, want 8 (ACME 1200)", latin)
		}
		// Display order: "ACME 1200" on the left, شركة on the right.
		if g[0].Font != fs.fonts[0] || g[len(g)-1].Font != fs.fonts[1] {
			t.Errorf("Latin run not on the left of the Arabic word")
		}
	})
}

func gids(g []Glyph) []uint16 {
	var out []uint16
	for _, x := range g {
		out = append(out, x.GID)
	}
	return out
}

// render lays out the paragraphs one under the other and returns the PDF.
func render(tb testing.TB, s *Shaper, ps []paragraph, compress bool) []byte {
	tb.Helper()
	pdf := newDoc()
	pdf.SetCompression(compress)
	y := 60.0
	for _, p := range ps {
		lines, err := s.Wrap(p.text, p.lang, sizePt, columnPt)
		if err != nil {
			tb.Fatal(err)
		}
		pdf.SetDrawColor(200, 200, 200)
		pdf.Rect(57, y, columnPt, float64(len(lines))*leadPt, "D")
		s.Draw(pdf, lines, 57, y, leadPt)
		y += float64(len(lines))*leadPt + 30
	}
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes()
}

// needTool skips the test when a poppler tool is missing, unless
// PDW_REQUIRE_PDFTOOLS=1.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("PDW_REQUIRE_PDFTOOLS") == "1" {
			t.Fatalf("%s not found and PDW_REQUIRE_PDFTOOLS=1", name)
		}
		t.Skipf("%s not found (install poppler-utils)", name)
	}
	return path
}

// bidiControls are the embedding marks (LRE, RLE, PDF, LRO, RLO, LRI, RLI,
// FSI, PDI, LRM, RLM) that pdftotext puts around runs of the other direction.
var bidiControls = strings.NewReplacer(
	"\u202a", "", "\u202b", "", "\u202c", "", "\u202d", "", "\u202e", "",
	"\u2066", "", "\u2067", "", "\u2068", "", "\u2069", "", "\u200e", "", "\u200f", "")

// pdftotext returns the PDF's text as pdftotext extracts it, without the
// bidi control characters it adds.
func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	tool := needTool(t, "pdftotext")
	file := filepath.Join(t.TempDir(), "t.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return bidiControls.Replace(string(out))
}

func TestPDFTextExtraction(t *testing.T) {
	s := newTestShaper(t)
	for _, p := range paragraphs {
		t.Run(p.name, func(t *testing.T) {
			text := pdftotext(t, render(t, s, []paragraph{p}, true))
			got, want := strings.Fields(text), strings.Fields(bidiControls.Replace(p.text))
			if !slices.Equal(got, want) {
				t.Errorf("pdftotext\n got %q\nwant %q", got, want)
			}
		})
	}
}

// TestPDFTextExtractionSharedPage: paragraphs of both directions on one
// page, which poppler reads left to right (Latin and Devanagari letters
// outnumber Arabic ones): with PageDirection from PageDirectionOf, the mixed
// Arabic lines still come back in logical order.
func TestPDFTextExtractionSharedPage(t *testing.T) {
	s := newTestShaper(t)
	for _, tc := range []struct {
		name string
		ps   []paragraph
		dir  PageDirection
	}{
		{"ltr page", paragraphs, PageLTR},
		{"rtl page", []paragraph{paragraphs[0], paragraphs[0], paragraphs[2]}, PageRTL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var texts []string
			for _, p := range tc.ps {
				texts = append(texts, p.text)
			}
			if got := PageDirectionOf(texts...); got != tc.dir {
				t.Fatalf("PageDirectionOf = %v, want %v", got, tc.dir)
			}
			s.PageDirection = tc.dir
			defer func() { s.PageDirection = PageAuto }()
			got := strings.Fields(pdftotext(t, render(t, s, tc.ps, true)))
			want := strings.Fields(bidiControls.Replace(strings.Join(texts, " ")))
			if !slices.Equal(got, want) {
				t.Errorf("pdftotext\n got %q\nwant %q", got, want)
			}
		})
	}
}

// TestPDFTextExtractionArabicPunctuation: the Arabic semicolon and question
// mark (Unicode script Common, right to left for poppler) stay in place
// next to a Latin word, on pages of both directions.
func TestPDFTextExtractionArabicPunctuation(t *testing.T) {
	for _, r := range "؛؟۔" {
		if c := popplerClass(r); c != 'R' {
			t.Errorf("popplerClass(%U) = %c, want R", r, c)
		}
	}
	s := newTestShaper(t)
	const text = "الجنسية: \u2068Philippines\u2069؛ تاريخ الميلاد: \u20661990-04-12\u2069؛ هل يحتفظ العامل بجواز \u2068P1234567A\u2069؟ نعم."
	latin := paragraph{"latin", "en", strings.Repeat("Latin words make this page read from left to right. ", 3), false}
	for _, tc := range []struct {
		name string
		ps   []paragraph
		dir  PageDirection
	}{
		{"rtl page", []paragraph{{"ar", "ar", text, true}}, PageRTL},
		{"ltr page", []paragraph{{"ar", "ar", text, true}, latin}, PageLTR},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var texts []string
			for _, p := range tc.ps {
				texts = append(texts, p.text)
			}
			if got := PageDirectionOf(texts...); got != tc.dir {
				t.Fatalf("PageDirectionOf = %v, want %v", got, tc.dir)
			}
			s.PageDirection = tc.dir
			defer func() { s.PageDirection = PageAuto }()
			got := strings.Fields(pdftotext(t, render(t, s, tc.ps, true)))
			want := strings.Fields(bidiControls.Replace(strings.Join(texts, " ")))
			if !slices.Equal(got, want) {
				t.Errorf("pdftotext\n got %q\nwant %q", got, want)
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	s := newTestShaper(t)
	a := render(t, s, paragraphs, true)
	b := render(t, newTestShaper(t), paragraphs, true)
	if !bytes.Equal(a, b) {
		t.Fatalf("two renders differ (%d and %d bytes)", len(a), len(b))
	}
}

// TestFontsRegisteredLazily: only the fonts a document draws are embedded,
// each once.
func TestFontsRegisteredLazily(t *testing.T) {
	s := newTestShaper(t)
	fs, _ := testFonts()
	for _, tc := range []struct {
		name string
		ps   []paragraph
		want []*Font
	}{
		{"hindi only", paragraphs[1:2], []*Font{fs.fonts[0], fs.fonts[2]}},
		{"arabic twice", []paragraph{paragraphs[0], paragraphs[0]}, []*Font{fs.fonts[0], fs.fonts[1]}},
		{"pure arabic", []paragraph{{"ar", "ar", "صاحب العمل", true}}, []*Font{fs.fonts[1]}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pdf := string(render(t, s, tc.ps, true))
			for _, f := range fs.fonts {
				n := strings.Count(pdf, "/Type /Font\n/Subtype /Type0\n/BaseFont /utf8"+strings.ToLower(f.Family()))
				want := 0
				if slices.Contains(tc.want, f) {
					want = 1
				}
				if n != want {
					t.Errorf("font %s embedded %d times, want %d", f.Family(), n, want)
				}
			}
		})
	}
}

// TestContentStream: marked-content and text objects are balanced, each
// line is one span, and the RTL ActualText is the line reversed.
func TestContentStream(t *testing.T) {
	s := newTestShaper(t)
	pdf := string(render(t, s, paragraphs, false))
	lines := 0
	for _, p := range paragraphs {
		l, _ := s.Wrap(p.text, p.lang, sizePt, columnPt)
		lines += len(l)
	}
	for _, tc := range []struct{ open, close string }{{" BDC\n", "\nEMC\n"}, {"BT ", " ET\n"}} {
		if o, c := strings.Count(pdf, tc.open), strings.Count(pdf, tc.close); o != c {
			t.Errorf("%d %q, %d %q", o, tc.open, c, tc.close)
		}
	}
	if n := strings.Count(pdf, "/Span <</ActualText <FEFF"); n != lines {
		t.Errorf("%d spans for %d lines", n, lines)
	}
	if got, want := s.spanStart("a😀", false), "/Span <</ActualText <FEFF0061D83DDE00>>> BDC"; got != want {
		t.Errorf("ActualText %s, want %s", got, want)
	}
	if got, want := s.spanStart("لا 1", true), "/Span <</ActualText <FEFF0031002006270644>>> BDC"; got != want {
		t.Errorf("ActualText %s, want %s", got, want)
	}
}

// popplerReorder models poppler's reorderText (TextOutputDev.cc): the line
// text, left to right, is cut into stretches without L characters (emitted
// reversed) and stretches without R characters (emitted as they stand), read
// from the right on a right-to-left page and from the left otherwise.
func popplerReorder(visual []rune, pageRTL bool) string {
	isL := func(r rune) bool { c := popplerClass(r); return c == 'L' || c == '#' }
	isR := func(r rune) bool { return popplerClass(r) == 'R' }
	var out []rune
	if !pageRTL {
		for i := 0; i < len(visual); {
			j := i
			for j < len(visual) && !isR(visual[j]) {
				j++
			}
			out = append(out, visual[i:j]...)
			k := j
			for k < len(visual) && !isL(visual[k]) {
				k++
			}
			for m := k - 1; m >= j; m-- {
				out = append(out, visual[m])
			}
			i = k
		}
		return string(out)
	}
	for i := len(visual) - 1; i >= 0; {
		j := i
		for j >= 0 && !isL(visual[j]) {
			j--
		}
		for k := i; k > j; k-- {
			out = append(out, visual[k])
		}
		k := j
		for k >= 0 && !isR(visual[k]) {
			k--
		}
		out = append(out, visual[k+1:j+1]...)
		i = k
	}
	return string(out)
}

var stripMarks = strings.NewReplacer("\u200e", "", "\u200f", "")

// TestActualTextFor: through poppler's reordering, the ActualText gives the
// logical text back, on pages of either direction.
func TestActualTextFor(t *testing.T) {
	texts := []string{
		"لا", "صاحب العمل", "أجرًا شهريًا", "ثمانٍ", "(صاحب العمل)", "«العمل»",
		"قدره 1200.00 CHF في", "شركة ACME Ltd.، بأن", "ابتداءً من 2026-12-01.", "اليوم 25 من",
		"ACME", "ACME Ltd)", "1,400.00", "(1200)",
		"Khalid (خالد المنصوري), pays", "name خالد", "خالد name", "A ب C د E",
		"नियोक्ता 25,000 रुपये", "", " ", "a😀ب",
	}
	texts = append(texts, strings.Fields(arabicText)...)
	for _, p := range paragraphs {
		texts = append(texts, p.text)
	}
	for _, text := range texts {
		for _, pageRTL := range []bool{false, true} {
			actual := actualTextFor(nil, text, pageRTL)
			if got := stripMarks.Replace(popplerReorder(actual, pageRTL)); got != text {
				t.Errorf("pageRTL %v: %q → ActualText %q → poppler %q", pageRTL, text, string(actual), got)
			}
		}
	}
	// The spike's rule for lines in one direction: reversed rune by rune.
	for _, pageRTL := range []bool{false, true} {
		if got, want := string(actualTextFor(nil, "أجرًا شهريًا", pageRTL)), "اًيرهش اًرجأ"; got != want {
			t.Errorf("pageRTL %v: %q, want %q", pageRTL, got, want)
		}
	}
}

func TestPageDirectionOf(t *testing.T) {
	for _, tc := range []struct {
		texts []string
		want  PageDirection
	}{
		{[]string{arabicText}, PageRTL},
		{[]string{hindiText}, PageLTR},
		{[]string{arabicText, mixedText, hindiText}, PageLTR},
		{[]string{"12345"}, PageLTR},
		{[]string{"صاحب", "ACME"}, PageLTR},
		{[]string{"صاحب", "ACM"}, PageRTL},
	} {
		if got := PageDirectionOf(tc.texts...); got != tc.want {
			t.Errorf("PageDirectionOf(%.20q…) = %v, want %v", tc.texts, got, tc.want)
		}
	}
}

// TestDrawKeepsDocumentState: the caller's font comes back after Draw, and
// fpdf's RTL mode does not shift the glyphs.
func TestDrawKeepsDocumentState(t *testing.T) {
	s := newTestShaper(t)
	lines, err := s.Wrap(arabicText, "ar", sizePt, columnPt)
	if err != nil {
		t.Fatal(err)
	}
	draw := func(rtlMode bool) string {
		pdf := newDoc()
		pdf.SetCompression(false)
		pdf.SetFont("Helvetica", "B", 10)
		if rtlMode {
			pdf.RTL()
		}
		s.Draw(pdf, lines, 57, 60, leadPt)
		size, _ := pdf.GetFontSize()
		if f, st := pdf.GetFontFamily(), pdf.GetFontStyle(); f != "helvetica" || st != "B" || size != 10 {
			t.Errorf("font after Draw: %s %s %v", f, st, size)
		}
		var out bytes.Buffer
		if err := pdf.Output(&out); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	if draw(true) != draw(false) {
		t.Error("fpdf's RTL mode changes what Draw writes")
	}
}

func TestParagraphDirection(t *testing.T) {
	for _, tc := range []struct {
		lang, text string
		rtl        bool
	}{
		{"ar", "ACME Ltd.", true},
		{"ar-EG", "x", true},
		{"fa", "x", true},
		{"pa-Arab", "x", true},
		{"en", "خالد", false},
		{"hi", "x", false},
		{"", "(خالد) ACME", true},
		{"", "12 ACME خالد", false},
		{"", "123", false},
	} {
		if got := paragraphRTL(tc.lang, tc.text); got != tc.rtl {
			t.Errorf("paragraphRTL(%q, %q) = %v", tc.lang, tc.text, got)
		}
	}
}

// TestPNG renders the test paragraphs and, with -png DIR, writes the pages
// as PNG (pdftoppm -r 150) for a person to look at:
//
//	go test ./contracts/textlayout -run TestPNG -args -png DIR
func TestPNG(t *testing.T) {
	if *pngDir == "" {
		t.Skip("no -png DIR given")
	}
	tool := needTool(t, "pdftoppm")
	s := newTestShaper(t)
	ps := append(slices.Clone(paragraphs), paragraph{"nepali", "ne", "नेपाली अंक: ५८९ र झ्याल।", false})
	pdf := render(t, s, ps, true)
	if err := os.MkdirAll(*pngDir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(*pngDir, "textlayout.pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(tool, "-r", "150", "-png", file, filepath.Join(*pngDir, "textlayout")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(*pngDir, "textlayout*.png"))
	t.Logf("wrote %s and %v", file, pngs)
}

// BenchmarkArabicParagraph: one paragraph wrapped and drawn into an open
// document whose fonts are already registered (the per-paragraph cost in a
// contract).
func BenchmarkArabicParagraph(b *testing.B) {
	s := newUncachedShaper(b)
	pdf := newDoc()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if i%30 == 29 {
			pdf.AddPage()
		}
		lines, err := s.Wrap(arabicText, "ar", sizePt, columnPt)
		if err != nil {
			b.Fatal(err)
		}
		s.Draw(pdf, lines, 57, 60+float64(i%30)*20, leadPt)
	}
	if pdf.Err() {
		b.Fatal(pdf.Error())
	}
}

// BenchmarkArabicDocument: a new document with one Arabic paragraph, output
// included: fpdf's font parsing and subsetting dominate.
func BenchmarkArabicDocument(b *testing.B) {
	s := newTestShaper(b)
	b.ReportAllocs()
	for b.Loop() {
		pdf := newDoc()
		lines, _ := s.Wrap(arabicText, "ar", sizePt, columnPt)
		s.Draw(pdf, lines, 57, 60, leadPt)
		if err := pdf.Output(new(bytes.Buffer)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkArabicWrap: shaping and line breaking alone (no cache).
func BenchmarkArabicWrap(b *testing.B) {
	s := newUncachedShaper(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Wrap(arabicText, "ar", sizePt, columnPt); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleShaper() {
	latin, _ := os.ReadFile("../fonts/NotoSans-Regular.ttf")
	naskh, _ := os.ReadFile("../fonts/NotoNaskhArabic-Regular.ttf")
	fonts, err := NewFonts(latin, naskh) // once per process
	if err != nil {
		panic(err)
	}
	s := fonts.NewShaper() // one per goroutine
	pdf := fpdf.New("P", "pt", "A4", "")
	pdf.AddPage()
	lines, _ := s.Wrap("يدفع صاحب العمل 1200.00 CHF شهريًا.", "ar", 12, 480)
	s.Draw(pdf, lines, 57, 60, 18)
	fmt.Println(len(lines), lines[0].RTL, lines[0].Text)
	// Output: 1 true يدفع صاحب العمل 1200.00 CHF شهريًا.
}

// TestNewFontsOf: fonts parsed once with ParseFont and combined with
// NewFontsOf shape as NewFonts does, under the same family names.
func TestNewFontsOf(t *testing.T) {
	var parsed []*Font
	for _, name := range []string{"NotoSans-Regular.ttf", "NotoNaskhArabic-Regular.ttf", "NotoSansDevanagari-Regular.ttf"} {
		b, err := os.ReadFile(filepath.Join(fontDir, name))
		if err != nil {
			t.Fatal(err)
		}
		f, err := ParseFont(b)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
	}
	a := newTestShaper(t)
	b := NewFontsOf(parsed[0], parsed[1:]...).NewShaper()
	for _, tc := range []struct{ text, lang string }{{hindiText, "hi"}, {arabicIsolatedText, "ar"}} {
		la, err1 := a.Wrap(tc.text, tc.lang, sizePt, columnPt)
		lb, err2 := b.Wrap(tc.text, tc.lang, sizePt, columnPt)
		if err1 != nil || err2 != nil || len(la) != len(lb) {
			t.Fatalf("%s: %d and %d lines (%v, %v)", tc.lang, len(la), len(lb), err1, err2)
		}
		for i := range la {
			if !slices.Equal(gids(la[i].Glyphs), gids(lb[i].Glyphs)) || la[i].Glyphs[0].Font.Family() != lb[i].Glyphs[0].Font.Family() {
				t.Errorf("%s line %d differs", tc.lang, i)
			}
		}
	}
}

// BenchmarkArabicWrapCached: the same paragraph answered from the Fonts'
// cache, as every document after the first gets its template text.
func BenchmarkArabicWrapCached(b *testing.B) {
	s := newTestShaper(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Wrap(arabicText, "ar", sizePt, columnPt); err != nil {
			b.Fatal(err)
		}
	}
}
