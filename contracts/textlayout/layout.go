// Package textlayout lays out paragraphs of scripts that need shaping
// (Arabic, Devanagari, Bengali, Sinhala, Tamil, …) and draws them into an
// fpdf document.
//
// Shaping, bidi and line breaking come from github.com/go-text/typesetting
// (a Go port of HarfBuzz): [shaping.Segmenter] splits a paragraph into runs of
// one direction, script and font, [shaping.HarfbuzzShaper] shapes each run,
// and [shaping.LineWrapper] breaks lines at UAX #14 opportunities and orders
// runs for display. The shaped glyphs reach fpdf through a glyph-id font
// ([GlyphIDFont]: U+E000+gid → gid), one Text call per glyph at its shaped
// position; each line is wrapped in an ActualText span so that text
// extraction (pdftotext, copy and paste) returns the real Unicode.
//
// The package takes font bytes from its caller; it embeds no fonts. Scripts
// that need no shaping (Latin, Cyrillic, Greek, Ethiopic) are better served
// by plain fpdf text.
package textlayout

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
)

// unitsPerPt is the shaping resolution: text is shaped at 64 units per
// point, so glyph positions (26.6 fixed point) have 1/4096 pt precision and
// fractional point sizes (in 1/64 pt steps) are honoured; go-text rounds the
// shaping size up to an integer.
const unitsPerPt = 64

func toPt(v fixed.Int26_6) float64 { return float64(v) / (64 * unitsPerPt) }

// Font is one parsed font and its glyph-id twin. It is immutable and safe
// for concurrent use.
type Font struct {
	family string // fpdf family name under which the glyph-id font is registered
	gidTTF []byte
	ft     *font.Font
}

// Family is the stable fpdf family name of the font's glyph-id version:
// its PostScript name, "-gid" and 8 hex digits of the SHA-256 of the
// original file (so two versions of a font never share a name).
func (f *Font) Family() string { return f.family }

// newFont parses ttf and builds its glyph-id twin.
func newFont(ttf []byte) (*Font, error) {
	gid, err := GlyphIDFont(ttf)
	if err != nil {
		return nil, err
	}
	face, err := font.ParseTTF(bytes.NewReader(ttf))
	if err != nil {
		return nil, fmt.Errorf("textlayout: parsing font: %w", err)
	}
	sum := sha256.Sum256(ttf)
	name := postScriptName(ttf)
	name = strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7F && !strings.ContainsRune("()<>[]{}/%#", r) {
			return r
		}
		return -1
	}, name)
	if name == "" {
		name = "font"
	}
	return &Font{family: name + "-gid" + hex.EncodeToString(sum[:4]), gidTTF: gid, ft: face.Font}, nil
}

// Fonts is a set of parsed fonts: a Latin fallback and one font per script.
// Build it once per process (parsing and rewriting the fonts takes some
// milliseconds); it is immutable and safe for concurrent use, and makes
// cheap [Shaper]s with [Fonts.NewShaper].
//
// One Fonts is one style: for bold text build a second Fonts from the bold
// files.
//
// A Fonts remembers the lines its Shapers' [Shaper.Wrap] calls return, by
// text, language, size and width, up to [DefaultCacheBytes] (see
// [Fonts.SetCacheBytes]): text that every document repeats is shaped once
// per process.
type Fonts struct {
	fonts []*Font // [0] is the Latin fallback
	cache *wrapCache
}

// NewFonts parses a Latin fallback font (for Latin words, ASCII digits and
// punctuation inside other scripts, e.g. Noto Sans) and the script fonts
// (e.g. Noto Naskh Arabic, Noto Sans Devanagari). All must be TrueType
// (glyf) fonts with at most [MaxGlyphs] glyphs.
func NewFonts(latin []byte, scripts ...[]byte) (*Fonts, error) {
	fs := &Fonts{cache: newWrapCache(DefaultCacheBytes)}
	for i, ttf := range append([][]byte{latin}, scripts...) {
		f, err := newFont(ttf)
		if err != nil {
			if i == 0 {
				return nil, fmt.Errorf("latin font: %w", err)
			}
			return nil, fmt.Errorf("script font %d: %w", i, err)
		}
		fs.fonts = append(fs.fonts, f)
	}
	return fs, nil
}

// ParseFont parses one TrueType font and builds its glyph-id twin, for
// [NewFontsOf]: a font parsed once can serve in several Fonts (the same
// Latin fallback beside each script font) without being parsed again.
func ParseFont(ttf []byte) (*Font, error) { return newFont(ttf) }

// NewFontsOf is [NewFonts] over fonts already parsed with [ParseFont]:
// the Latin fallback first, then the script fonts.
func NewFontsOf(latin *Font, scripts ...*Font) *Fonts {
	return &Fonts{fonts: append([]*Font{latin}, scripts...), cache: newWrapCache(DefaultCacheBytes)}
}

// SetCacheBytes bounds the memory the Fonts spends on remembered Wrap
// results to about n bytes, forgetting what it holds; 0 turns the cache
// off. It is safe to call while Shapers are in use.
func (fs *Fonts) SetCacheBytes(n int) {
	c := fs.cache
	c.mu.Lock()
	c.limit, c.cur, c.old, c.curBytes = max(n, 0), nil, nil, 0
	c.mu.Unlock()
}

// NewShaper returns a new Shaper over these fonts. It is cheap (no font
// parsing), so it suits a sync.Pool's New function:
//
//	pool := sync.Pool{New: func() any { return fonts.NewShaper() }}
func (fs *Fonts) NewShaper() *Shaper {
	s := &Shaper{fonts: fs.fonts, cache: fs.cache}
	for _, f := range fs.fonts {
		s.faces = append(s.faces, font.NewFace(f.ft))
	}
	s.fm.faces = s.faces
	return s
}

// NewShaper is NewFonts followed by [Fonts.NewShaper].
func NewShaper(latin []byte, scripts ...[]byte) (*Shaper, error) {
	fs, err := NewFonts(latin, scripts...)
	if err != nil {
		return nil, err
	}
	return fs.NewShaper(), nil
}

// Shaper shapes, wraps and draws paragraphs. It holds per-face caches and
// scratch buffers, so it is NOT safe for concurrent use: use one per
// goroutine (one per render, or a sync.Pool fed by [Fonts.NewShaper]).
type Shaper struct {
	// PageDirection tells Draw which way text extraction will read the
	// page, for the ActualText of lines that mix directions (see
	// [PageDirection] and [PageDirectionOf]). The default, PageAuto,
	// assumes each paragraph's own direction. It stays set: reset it when
	// taking a Shaper from a pool.
	PageDirection PageDirection

	fonts []*Font
	faces []*font.Face // parallel to fonts
	cache *wrapCache   // shared with the other Shapers of the Fonts
	fm    fontmap
	hb    shaping.HarfbuzzShaper
	seg   shaping.Segmenter
	wrap  shaping.LineWrapper
	runes []rune
	outs  []shaping.Output
	order []int
	tmp   []rune
	span  []byte
	spans map[spanKey]string // spanStart's results, up to maxSpans
}

// Glyph is one shaped glyph placed on a line. Distances are in points.
type Glyph struct {
	Font *Font
	GID  uint16
	// X is the pen position from the line's left edge, before XOffset.
	X float64
	// XOffset and YOffset shift the glyph from the pen position (YOffset
	// positive upwards), e.g. for Arabic marks and Indic vowel signs.
	XOffset, YOffset float64
	Advance          float64
}

// Line is one wrapped line, ready to draw.
type Line struct {
	// Glyphs are in display order, left to right. Glyphs without an outline
	// (spaces) are left out; their advances are in the positions. The
	// slice may be shared with other Wrap results (see [Fonts]): do not
	// modify its elements.
	Glyphs []Glyph
	// Text is the line's text in logical (reading) order, without the
	// whitespace at which the line was broken.
	Text string
	// RTL is the paragraph direction: right-to-left lines are right-aligned.
	RTL bool
	// Width is the line's advance width; it never exceeds ColumnWidth unless
	// a single grapheme is wider than the column.
	Width, ColumnWidth float64
	SizePt             float64
	// Ascent and Descent (both positive) are the largest of the paragraph's
	// fonts, the same on every line so that baselines are evenly spaced.
	Ascent, Descent float64
}

// Wrap shapes text in language lang (a BCP 47 tag such as "ar", "hi",
// "ne", "en") at sizePt points and breaks it into lines at most widthPt
// points wide. Text is normally one paragraph; a paragraph separator (line
// feed, CR LF, U+2029) starts a new one, and a line separator (U+2028) ends
// a line.
//
// The paragraph direction follows lang (right to left for Arabic, Persian,
// Urdu, Hebrew and other right-to-left languages or script subtags); with an
// empty lang it follows the first strong letter. Runs of the other direction
// inside it (Latin names, numbers in Arabic; an Arabic name in English) are
// ordered by the Unicode bidi algorithm. Wrap inserted values (names,
// amounts, dates) in U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL
// ISOLATE to keep their punctuation with them: bare, "ACME Ltd." inside
// Arabic shows as ".ACME Ltd" and "2026-12-01" as "01-12-2026", as the bidi
// algorithm (and every browser) has it.
func (s *Shaper) Wrap(text, lang string, sizePt, widthPt float64) ([]Line, error) {
	if !(sizePt > 0 && sizePt*unitsPerPt < 1<<20) {
		return nil, fmt.Errorf("textlayout: font size %v pt out of range", sizePt)
	}
	if !(widthPt > 0 && widthPt*64*unitsPerPt < math.MaxInt32) {
		return nil, fmt.Errorf("textlayout: column width %v pt out of range", widthPt)
	}
	if len(s.faces) == 0 {
		return nil, errors.New("textlayout: Shaper has no fonts (use NewShaper or Fonts.NewShaper)")
	}
	if text == "" {
		return nil, nil
	}
	key := wrapKey{text: text, lang: lang, sizePt: sizePt, widthPt: widthPt}
	if lines, ok := s.cache.get(key); ok {
		return lines, nil
	}
	rtl := paragraphRTL(lang, text)
	var lines []Line
	var ascent, descent float64
	for text != "" {
		// go-text's bidi pass stops at the first paragraph separator, so
		// each paragraph is shaped and wrapped on its own.
		para, rest, _ := cutParagraph(text)
		text = rest
		var err error
		n := len(lines)
		if lines, err = s.wrapParagraph(lines, para, lang, rtl, sizePt, widthPt); err != nil {
			return nil, err
		}
		if len(lines) == n { // empty paragraph: a blank line, Latin font metrics
			blank := Line{RTL: rtl, ColumnWidth: widthPt, SizePt: roundSize(sizePt)}
			if ext, ok := s.faces[0].FontHExtents(); ok {
				scale := blank.SizePt / float64(s.faces[0].Upem())
				blank.Ascent, blank.Descent = float64(ext.Ascender)*scale, -float64(ext.Descender)*scale
			}
			lines = append(lines, blank)
		}
		ascent, descent = max(ascent, lines[n].Ascent), max(descent, lines[n].Descent)
	}
	for i := range lines {
		lines[i].Ascent, lines[i].Descent = ascent, descent
	}
	s.cache.put(key, lines)
	return lines, nil
}

// cutParagraph splits text after its first paragraph separator (bidi class
// B: LF, CR, CR LF, FS, GS, RS, NEL, U+2029).
func cutParagraph(text string) (para, rest string, found bool) {
	i := strings.IndexFunc(text, func(r rune) bool {
		switch r {
		case '\n', '\r', 0x1C, 0x1D, 0x1E, 0x85, 0x2029:
			return true
		}
		return false
	})
	if i < 0 {
		return text, "", false
	}
	n := 1
	if text[i] == 0xC2 || text[i] == 0xE2 { // NEL, U+2029
		_, n = utf8.DecodeRuneInString(text[i:])
	} else if text[i] == '\r' && strings.HasPrefix(text[i:], "\r\n") {
		n = 2
	}
	return text[:i], text[i+n:], true
}

func roundSize(sizePt float64) float64 { return math.Round(sizePt*unitsPerPt) / unitsPerPt }

// wrapParagraph appends the lines of one paragraph (no paragraph separator)
// to lines.
func (s *Shaper) wrapParagraph(lines []Line, text, lang string, rtl bool, sizePt, widthPt float64) ([]Line, error) {
	s.runes = s.runes[:0]
	for _, r := range text {
		s.runes = append(s.runes, r)
	}
	if len(s.runes) == 0 {
		return lines, nil
	}
	dir := di.DirectionLTR
	if rtl {
		dir = di.DirectionRTL
	}

	size := fixed.I(int(math.Round(sizePt * unitsPerPt)))
	s.fm.reset()
	runs := s.seg.Split(shaping.Input{
		Text:      s.runes,
		RunStart:  0,
		RunEnd:    len(s.runes),
		Direction: dir,
		Face:      s.faces[0],
		Size:      size,
		Language:  language.NewLanguage(lang),
	}, &s.fm)
	s.outs = s.outs[:0]
	var ascent, descent fixed.Int26_6
	covered := 0
	for _, in := range runs {
		out := s.hb.Shape(in)
		ascent = max(ascent, out.LineBounds.Ascent)
		descent = max(descent, -out.LineBounds.Descent)
		s.outs = append(s.outs, out)
		covered = max(covered, in.RunEnd)
	}
	if covered != len(s.runes) {
		// The wrapper would panic on runs that do not cover the text.
		return nil, fmt.Errorf("textlayout: segmentation covered %d of %d runes", covered, len(s.runes))
	}

	maxWidth := fixed.Int26_6(math.Floor(widthPt * 64 * unitsPerPt))
	wrapped, _ := s.wrap.WrapParagraphF(shaping.WrapConfig{Direction: dir}, maxWidth, s.runes, shaping.NewSliceIterator(s.outs))

	n := 0
	for _, l := range wrapped {
		for _, run := range l {
			n += len(run.Glyphs)
		}
	}
	glyphs := make([]Glyph, 0, n)
	for _, l := range wrapped {
		s.order = s.order[:0]
		start, end := len(s.runes), 0
		for i, run := range l {
			s.order = append(s.order, i)
			start = min(start, run.Runes.Offset)
			end = max(end, run.Runes.Offset+run.Runes.Count)
		}
		slices.SortFunc(s.order, func(a, b int) int { return int(l[a].VisualIndex) - int(l[b].VisualIndex) })

		first := len(glyphs)
		var pen fixed.Int26_6
		for _, i := range s.order {
			run := &l[i]
			f := s.fontOf(run.Face)
			for _, g := range run.Glyphs {
				if g.Width != 0 || g.Height != 0 {
					glyphs = append(glyphs, Glyph{
						Font:    f,
						GID:     uint16(g.GlyphID),
						X:       toPt(pen),
						XOffset: toPt(g.XOffset),
						YOffset: toPt(g.YOffset),
						Advance: toPt(g.Advance),
					})
				}
				pen += g.Advance
			}
		}
		lineText := ""
		if start < end {
			lineText = strings.TrimRightFunc(string(s.runes[start:end]), unicode.IsSpace)
		}
		lines = append(lines, Line{
			Glyphs:      glyphs[first:len(glyphs):len(glyphs)],
			Text:        lineText,
			RTL:         rtl,
			Width:       toPt(pen),
			ColumnWidth: widthPt,
			SizePt:      roundSize(sizePt),
			Ascent:      toPt(ascent),
			Descent:     toPt(descent),
		})
	}
	return lines, nil
}

func (s *Shaper) fontOf(face *font.Face) *Font {
	for i, f := range s.faces {
		if f == face {
			return s.fonts[i]
		}
	}
	// Cannot happen: the fontmap only hands out s.faces.
	panic("textlayout: run shaped with a face this Shaper does not own")
}

// Draw draws lines (from [Shaper.Wrap]) into the current page of pdf: x and
// y (in the document's unit) are the top-left corner of the column, each
// line takes lineHeightPt points, so the paragraph ends at
// y + len(lines)*lineHeightPt/pdf.GetConversionRatio(). Right-to-left lines
// are aligned to the column's right edge, left-to-right lines to its left
// edge. Draw does not break pages.
//
// The glyph-id fonts are registered with pdf on first use (fpdf embeds every
// registered font, so fonts a document never draws are never registered),
// once per document under [Font.Family]. Each line is a marked-content span
// whose ActualText carries the line's Unicode text, arranged so that poppler
// (pdftotext, evince) returns it in logical order: a purely right-to-left
// line is reversed rune by rune, a line that mixes directions is arranged
// for the page direction (see [PageDirection]).
// Draw puts fpdf in left-to-right mode (fpdf's RTL mode would reverse each
// glyph again) and restores the current font afterwards; text colour is the
// document's current one.
func (s *Shaper) Draw(pdf *fpdf.Fpdf, lines []Line, x, y, lineHeightPt float64) {
	if len(lines) == 0 || pdf.Err() {
		return
	}
	k := pdf.GetConversionRatio()
	prevFamily, prevStyle := pdf.GetFontFamily(), pdf.GetFontStyle()
	prevSize, _ := pdf.GetFontSize()
	pdf.LTR()

	var cur *Font
	curSize := 0.0
	for i := range lines {
		ln := &lines[i]
		top := y + float64(i)*lineHeightPt/k
		baseline := top + ((lineHeightPt-ln.Ascent-ln.Descent)/2+ln.Ascent)/k
		left := x
		if ln.RTL {
			left += (ln.ColumnWidth - ln.Width) / k
		}
		pageRTL := ln.RTL
		if s.PageDirection != PageAuto {
			pageRTL = s.PageDirection == PageRTL
		}
		pdf.RawWriteStr(s.spanStart(ln.Text, pageRTL))
		for _, g := range ln.Glyphs {
			if g.Font != cur || ln.SizePt != curSize {
				pdf.AddUTF8FontFromBytes(g.Font.family, "", g.Font.gidTTF)
				pdf.SetFont(g.Font.family, "", ln.SizePt)
				cur, curSize = g.Font, ln.SizePt
			}
			pdf.Text(left+(g.X+g.XOffset)/k, baseline-g.YOffset/k, glyphString(g.GID))
		}
		pdf.RawWriteStr("EMC")
	}
	if prevFamily != "" {
		pdf.SetFont(prevFamily, prevStyle, prevSize)
	}
}

// paragraphRTL decides the paragraph direction: from the language tag when it
// names a right-to-left language or script, else from the first strong
// letter when lang is empty.
func paragraphRTL(lang, text string) bool {
	if lang != "" {
		tag := strings.ToLower(strings.ReplaceAll(lang, "_", "-"))
		primary, rest, _ := strings.Cut(tag, "-")
		for _, sub := range strings.Split(rest, "-") {
			switch sub {
			case "arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "mand", "samr":
				return true
			case "latn", "cyrl", "deva", "beng", "sinh", "taml", "ethi", "grek":
				return false
			}
		}
		switch primary {
		case "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps", "sd", "syr", "ug", "ur", "yi":
			return true
		}
		return false
	}
	for _, r := range text {
		switch {
		case unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko):
			return true
		case unicode.IsLetter(r):
			return false
		}
	}
	return false
}

// fontmap resolves each rune to a face for shaping.Segmenter:
//   - a combining mark stays with the face of its base when that face has it;
//   - ASCII, Latin letters, and common punctuation in a Latin (or unknown)
//     context go to the Latin fallback first (so "ACME Ltd." and
//     "1200.00" inside Arabic are set in Noto Sans);
//   - everything else goes to the first script font that has it, then to the
//     Latin fallback; a rune no font has goes to the first script font
//     (and shows as its .notdef box).
type fontmap struct {
	faces  []*font.Face // [0] is the Latin fallback
	script language.Script
	last   *font.Face
}

var _ shaping.FontmapScript = (*fontmap)(nil)

func (m *fontmap) reset() { m.last, m.script = nil, 0 }

// SetScript receives the script the segmenter resolved for the next runes.
func (m *fontmap) SetScript(s language.Script) { m.script = s }

func (m *fontmap) ResolveFace(r rune) *font.Face {
	f := m.resolve(r)
	m.last = f
	return f
}

func (m *fontmap) resolve(r rune) *font.Face {
	if m.last != nil && unicode.Is(unicode.M, r) {
		if _, ok := m.last.NominalGlyph(r); ok {
			return m.last
		}
	}
	latinFirst := m.latinFirst(r)
	if latinFirst {
		for _, f := range m.faces {
			if _, ok := f.NominalGlyph(r); ok {
				return f
			}
		}
	} else {
		for _, f := range m.faces[1:] {
			if _, ok := f.NominalGlyph(r); ok {
				return f
			}
		}
		if _, ok := m.faces[0].NominalGlyph(r); ok {
			return m.faces[0]
		}
	}
	if !latinFirst && len(m.faces) > 1 {
		return m.faces[1]
	}
	return m.faces[0]
}

func (m *fontmap) latinFirst(r rune) bool {
	if r < 0x80 {
		return true
	}
	switch language.LookupScript(r) {
	case language.Latin:
		return true
	case language.Common, language.Inherited, language.Unknown:
		switch m.script {
		case 0, language.Latin, language.Common, language.Inherited, language.Unknown:
			return true
		}
	}
	return false
}
