package contracts

import (
	"bytes"
	"compress/zlib"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
)

// shapedCases are one paragraph per shaped script, each with a Latin name
// and an amount in it, and clusters that unshaped text gets wrong. The
// glyph ids were recorded from go-text/typesetting v0.3.5 (HarfBuzz port)
// shaping each cluster alone in the embedded font, regular weight
// (fonts-noto-core 20201225-1); the test requires the same glyphs, in
// display order, in the paragraph the contracts route lays out.
var shapedCases = []struct {
	name, code, lang, text string
	clusters               []struct {
		text string
		gids []uint16
	}
}{
	{"arabic", "Arab", "ar",
		"يلتزم صاحب العمل \u2068ACME Trading Ltd.\u2069 بأن يدفع أجرًا شهريًا قدره \u20661,400.00 CHF\u2069 ولا يجوز أي خصم منه.",
		[]struct {
			text string
			gids []uint16
		}{
			{"لا", []uint16{6, 450}}, // lam-alef: alef and lam rlig forms, drawn left to right
		}},
	{"hindi", "Deva", "hi",
		"नियोक्ता Ana Lima Pereira यह मानती हैं कि कर्मचारी को हर महीने 1,400.00 CHF मिलेंगे; क्षेत्र के श्रम कानून लागू होंगे।",
		[]struct {
			text string
			gids []uint16
		}{
			{"क्ष", []uint16{179}},    // one conjunct glyph
			{"कि", []uint16{607, 25}}, // the i-matra before क
			{"श्र", []uint16{284}},
		}},
	{"nepali", "Deva", "ne",
		"रोजगारदाता Ana Lima Pereira ले हरेक महिना १,४००.०० CHF तलब दिनेछन्; झ ५ ८ नेपाली रूपमा लेखिन्छन्।",
		[]struct {
			text string
			gids []uint16
		}{
			{"झ", []uint16{593}}, // Nepali form (Hindi: 33)
			{"५", []uint16{601}}, // Nepali form (Hindi: 111)
			{"८", []uint16{602}}, // Nepali form (Hindi: 114)
		}},
	{"bengali", "Beng", "bn",
		"নিয়োগকর্তা Ana Lima Pereira প্রতি মাসে ১,৪০০.০০ CHF দেবেন; কোনো ক্ষতি হলে কি করবেন তা জানুন।",
		[]struct {
			text string
			gids []uint16
		}{
			{"কো", []uint16{450, 20, 54}}, // split o-kar around ক
			{"ক্ষ", []uint16{129}},        // one conjunct glyph
			{"কি", []uint16{55, 20}},      // the i-kar before ক
		}},
	{"sinhala", "Sinh", "si",
		"සේවා යෝජක Ana Lima Pereira මසකට 1,400.00 CHF ගෙවයි; කොන්දේසි ශ්‍රී ලංකා නීතියට අනුව මෙම ගිවිසුම බලපවතී.",
		[]struct {
			text string
			gids []uint16
		}{
			{"කො", []uint16{74, 24, 66}},  // split vowel around ක
			{"ශ්‍රී", []uint16{350, 167}}, // rakaransaya through ZWJ
			{"මෙ", []uint16{74, 53}},      // kombuva before ම
		}},
	{"tamil", "Taml", "ta",
		"முதலாளி Ana Lima Pereira ஒவ்வொரு மாதமும் 1,400.00 CHF கொடுப்பார்; ஸ்ரீ வேலை நேரம் குறைவு.",
		[]struct {
			text string
			gids []uint16
		}{
			{"கொ", []uint16{46, 18, 41}}, // split o around க
			{"ஸ்ரீ", []uint16{163}},      // one ligature
			{"வே", []uint16{47, 36}},     // prebase e before வ
		}},
}

// renderShaped draws text as one paragraph of script code in language
// lang through the contracts route (doc.paragraph) and returns the PDF and
// the glyph ids of the paragraph's lines in display order, with the ids
// drawn from the script's own font.
func renderShaped(t *testing.T, code, lang, text string) (pdf []byte, gids []uint16, own []bool) {
	t.Helper()
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	sc := scripts[code].forLanguage(lang)
	d := newDoc(time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC), "test", lang)
	defer d.release()
	d.newPage()
	if err := d.paragraph(&para{runs: []run{{text: text, script: sc}}, size: 11, leadMM: lead(11)}); err != nil {
		t.Fatal(err)
	}
	for _, l := range d.shaped {
		for _, g := range l.line.Glyphs {
			gids = append(gids, g.GID)
			// Noto Sans's PostScript names are NotoSans-Regular and -Bold.
			own = append(own, !strings.HasPrefix(g.Font.Family(), "NotoSans-"))
		}
	}
	var buf bytes.Buffer
	if err := d.output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), gids, own
}

// TestShapedScripts renders a paragraph per shaped script and checks (a)
// that pdftotext returns the source text in logical order, Latin name and
// amount included, and (b) that known clusters are drawn with the glyphs
// HarfBuzz (go-text) gives for the embedded font.
func TestShapedScripts(t *testing.T) {
	for _, tc := range shapedCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pdf, gids, own := renderShaped(t, tc.code, tc.lang, tc.text)
			for _, cl := range tc.clusters {
				i := indexSeq(gids, cl.gids)
				if i < 0 {
					t.Errorf("cluster %q: glyphs %v not in the paragraph %v", cl.text, cl.gids, gids)
					continue
				}
				for j := i; j < i+len(cl.gids); j++ {
					if !own[j] {
						t.Errorf("cluster %q: glyph %d drawn from the Latin font", cl.text, gids[j])
					}
				}
			}
			if got, want := pdfText(t, pdf), plain(tc.text); got != want {
				t.Errorf("pdftotext:\n got %q\nwant %q", got, want)
			}
		})
	}
}

// indexSeq returns where sub starts in s, or -1.
func indexSeq(s, sub []uint16) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if slices.Equal(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

// TestScriptFontsOnlyWhenUsed: a document embeds the fonts of the scripts
// it draws and no others (fpdf embeds every registered font).
func TestScriptFontsOnlyWhenUsed(t *testing.T) {
	fonts := map[string]string{"ar": "notonaskharabic", "hi": "notosansdevanagari", "ne": "notosansdevanagari",
		"bn": "notosansbengali", "si": "notosanssinhala", "ta": "notosanstamil", "am": "notosansethiopic"}
	for _, pair := range [][2]string{{"fr", "en"}, {"fr", "tl"}, {"en", "hi"}, {"fr", "ne"}, {"en", "bn"}, {"en", "si"}, {"en", "ta"}, {"fr", "ar"}} {
		pdf := string(render(t, testContract(t, pair[0], pair[1]), Options{}))
		for lang, family := range fonts {
			want := lang == pair[1]
			if got := strings.Contains(pdf, "/BaseFont /utf8"+family); got != want && !(got && fonts[pair[1]] == family) {
				t.Errorf("%s-%s contract embeds %s: %v, want %v", pair[0], pair[1], family, got, want)
			}
		}
	}
}

// notdefGlyphs counts the glyphs drawn as glyph 0 (.notdef, a box) in
// pdf: a shaped glyph is one Text call, "(\xE0\x00) Tj" for glyph 0 of a
// glyph-id font, in the page streams (inflated here).
func notdefGlyphs(t *testing.T, pdf []byte) int {
	t.Helper()
	n := 0
	rest := pdf
	for {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			return n
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("\nendstream"))
		if j < 0 {
			return n
		}
		data := rest[:j]
		rest = rest[j:]
		r, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			continue // not a compressed stream
		}
		content, err := io.ReadAll(r)
		if err != nil {
			continue
		}
		n += bytes.Count(content, []byte("Td (\xe0\x00) Tj"))
	}
}

// TestMixedScriptParagraphs: paragraphs that hold two non-Latin scripts
// (a heading "Nepali / Bengali", the captions under the signatures in
// Arabic and Hindi, Amharic beside Tamil) are shaped with the fonts of
// both: no glyph is drawn as .notdef, and the text extracts.
func TestMixedScriptParagraphs(t *testing.T) {
	cat, err := embeddedCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{"ar", "hi"}, {"hi", "ar"}, {"ne", "bn"}, {"si", "ta"}, {"am", "ta"}, {"ta", "am"}, {"am", "ar"}, {"fr", "si"}} {
		t.Run(pair[0]+"-"+pair[1], func(t *testing.T) {
			t.Parallel()
			pdf := render(t, testContract(t, pair[0], pair[1]), Options{})
			if n := notdefGlyphs(t, pdf); n > 0 {
				t.Errorf("%d glyphs drawn as .notdef", n)
			}
			text := pdfText(t, pdf)
			for _, tag := range pair {
				l, _ := cat.lookup(tag)
				if w := plain(l.text("sign.worker", nil)); !strings.Contains(text, w) {
					t.Errorf("%s caption %q missing", tag, w)
				}
			}
		})
	}
}
