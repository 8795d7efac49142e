package contracts

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrUnsupportedText is returned (wrapped, naming the field and the code
// point, never the text) when data to be printed holds a character that
// none of the embedded fonts can draw in the paragraphs it appears in,
// such as Chinese characters, Ethiopic inside an Arabic paragraph, or
// Arabic letters inside a Latin one (only a shaped paragraph joins them).
var ErrUnsupportedText = errors.New("contracts: text has characters no embedded font can draw")

// A script is a writing system the renderer can draw: its fonts and the
// function that lays out and draws a paragraph in it.
//
// Latin and Ethiopic map one rune to one glyph, so they share
// plainParagraph. Arabic needs shaping (joining forms, right to left,
// digits and Latin runs kept in order): shapedParagraph lays it out with
// contracts/textlayout, which places glyphs from glyph-id fonts and wraps
// each line in an ActualText span so that extracted text reads in logical
// order (see shaped.go). A language whose message file names a script
// missing from this table is refused when the messages are loaded.
type script struct {
	code    string // ISO 15924, as in the message files ("Latn")
	name    string
	regular *face
	bold    *face
	// rtl marks a right-to-left script: its paragraphs are right-aligned,
	// its labels stand at the right, and the values its texts insert are
	// wrapped in bidi isolates.
	rtl bool
	// lang is the language tag a shaped paragraph of the script is shaped
	// in ("ar"): textlayout takes the paragraph direction from it.
	lang string
	// scale enlarges the script's own paragraphs (font size and line
	// height) against Latin ones of the same role: Naskh letters at a given
	// point size look smaller than Noto Sans. 0 means 1.
	scale float64
	// shaping holds a shaped script's textlayout fonts and Shapers.
	shaping *shapedFonts
	// with are the other scripts whose fonts a combination of scripts
	// (shapingScript) shapes with, after its own.
	with []*script
	// shaped marks a script whose paragraph function shapes text; a
	// paragraph with any run in such a script is drawn by it, Latin and
	// digits included (a shaper lays out every script and orders
	// mixed-direction runs; plainParagraph cannot draw a shaped script).
	shaped bool
	// paragraph lays out and draws p from the current position.
	paragraph func(d *doc, p *para) error
}

var scripts = map[string]*script{
	"Latn": {code: "Latn", name: "Latin", regular: notoSans, bold: notoSansBold},
	"Ethi": {code: "Ethi", name: "Ethiopic", regular: notoEthiopic, bold: notoEthiopicBold},
	"Arab": {code: "Arab", name: "Arabic", regular: notoNaskh, bold: notoNaskhBold,
		rtl: true, lang: "ar", scale: 1.1, shaped: true, shaping: &shapedFonts{}},
	// The Indic scripts have a regular weight only: bold text in them is
	// set in the regular font (their Latin words still in Noto Sans Bold).
	"Deva": {code: "Deva", name: "Devanagari", regular: notoDevanagari, bold: notoDevanagari,
		lang: "hi", shaped: true, shaping: &shapedFonts{}},
	"Beng": {code: "Beng", name: "Bengali", regular: notoBengali, bold: notoBengali,
		lang: "bn", shaped: true, shaping: &shapedFonts{}},
	"Sinh": {code: "Sinh", name: "Sinhala", regular: notoSinhala, bold: notoSinhala,
		lang: "si", shaped: true, shaping: &shapedFonts{}},
	"Taml": {code: "Taml", name: "Tamil", regular: notoTamil, bold: notoTamil,
		lang: "ta", shaped: true, shaping: &shapedFonts{}},
}

// init attaches the paragraph functions (set here, not in the literal,
// because plainParagraph itself looks scripts up for font fallback).
func init() {
	scripts["Latn"].paragraph = plainParagraph
	scripts["Ethi"].paragraph = plainParagraph
	for _, code := range []string{"Arab", "Deva", "Beng", "Sinh", "Taml"} {
		scripts[code].paragraph = shapedParagraph
	}
}

// forLanguage returns the script as language tag writes it: a shaped
// script whose default shaping language is another one (Nepali in
// Devanagari, whose default is Hindi) gets a copy that shapes in tag's
// language (HarfBuzz picks Nepali glyph forms for "ne") and shares the
// fonts and Shaper pools of the original.
func (s *script) forLanguage(tag string) *script {
	base, _, _ := strings.Cut(tag, "-")
	if !s.shaped || base == s.lang || base == "" {
		return s
	}
	c := *s
	c.lang = base
	return &c
}

// scriptCodes lists the supported script codes, sorted.
func scriptCodes() []string {
	return slices.Sorted(maps.Keys(scripts))
}

// fallbackScripts is the order in which other scripts' fonts are tried
// for a rune the paragraph's own script font lacks (digits and Latin
// letters inside Amharic, an Ethiopic name inside a French contract).
// Arabic is not among them: plainParagraph cannot join its letters.
var fallbackScripts = []string{"Latn", "Ethi"}

// faceFor returns the face that draws r in a run of script s, trying s's
// font first and then the fallbacks, or nil when no embedded font has r.
// A shaped script falls back to Latin only: its paragraphs are drawn with
// textlayout fonts, which hold its own font and Noto Sans.
func faceFor(s *script, bold bool, r rune) *face {
	pick := func(sc *script) *face {
		if bold {
			return sc.bold
		}
		return sc.regular
	}
	if f := pick(s); f.covers(r) {
		return f
	}
	for _, code := range fallbackScripts {
		if s.shaped && code != "Latn" {
			continue
		}
		if f := pick(scripts[code]); f.covers(r) {
			return f
		}
	}
	return nil
}

// checkDrawable reports the first rune of s that no embedded font draws
// in script sc, wrapped in ErrUnsupportedText and naming field.
func checkDrawable(field, s string, sc *script) error {
	for _, r := range s {
		if r == '\n' || r == ' ' {
			continue
		}
		if unicode.IsControl(r) || faceFor(sc, false, r) == nil || faceFor(sc, true, r) == nil {
			return fmt.Errorf("%w: %s holds U+%04X", ErrUnsupportedText, field, r)
		}
	}
	return nil
}

// A run is text in one style and one script. Adjacent runs with no space
// between them form one word.
type run struct {
	text   string
	bold   bool
	script *script
	color  rgb
}

type rgb struct{ r, g, b int }

// para is a paragraph to draw: runs, a column (x, width from the left
// margin), a font size in points and a line height in mm.
type para struct {
	runs   []run
	indent float64 // mm from the left margin
	width  float64 // mm; 0 means to the right margin
	size   float64 // pt
	leadMM float64 // line height, mm
	// unscaled keeps size and leadMM in a script that scales its own
	// paragraphs (script.scale): a heading beside one in another
	// language keeps its size, or text extraction (poppler) takes the
	// taller one for the line above and reads it first.
	unscaled bool
	// nums, when set, writes the page count that replaces the alias
	// "{nb}" in a shaped paragraph (in the language's digits).
	nums *numberFormat
}

// segment is a stretch of a word drawn in one face and colour.
type segment struct {
	face  *face
	color rgb
	text  []byte // UTF-8
	w     float64
}

// A word is the text between two spaces, possibly in several faces.
type word struct {
	parts     []*segment
	w         float64
	space     float64 // width of the space that follows it, mm
	spaceFace *face   // face the following spaces were measured in, if one
	spaces    int     // how many spaces follow
	brk       bool    // a hard line break follows
}

// ptToMM converts points to millimetres.
const ptToMM = 25.4 / 72

// plainParagraph draws p with one glyph per rune, left aligned, breaking
// lines at spaces (and inside a word only when the word alone is wider
// than the column), and starting a new page when the next line would run
// into the footer.
func plainParagraph(d *doc, p *para) error {
	words, err := splitWords(p)
	if err != nil {
		return err
	}
	width := p.width
	if width == 0 {
		width = d.right - d.left - p.indent
	}
	em := p.size * ptToMM / 1000
	var line []*word
	var lineW float64
	flush := func() {
		d.drawLine(p, line)
		line, lineW = line[:0], 0
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		if len(line) > 0 && lineW+line[len(line)-1].space+w.w > width {
			flush()
		}
		if len(line) == 0 && w.w > width {
			head, tail := splitWord(w, width, em)
			line = append(line, head)
			flush()
			if tail != nil {
				words[i] = tail
				i--
			}
			continue
		}
		if len(line) > 0 {
			lineW += line[len(line)-1].space
		}
		line = append(line, w)
		lineW += w.w
		if w.brk {
			flush()
		}
	}
	if len(line) > 0 {
		flush()
	}
	return nil
}

// splitWords splits p's runs into words and each word into segments by
// face and colour.
func splitWords(p *para) ([]*word, error) {
	var out []*word
	var cur *word
	em := p.size * ptToMM / 1000 // mm per thousandth of an em
	for _, r := range p.runs {
		for _, c := range r.text {
			if c == ' ' || c == '\n' {
				if cur == nil {
					if len(out) == 0 {
						continue // leading space
					}
					cur = out[len(out)-1] // a second space: widen the first
				}
				if c == '\n' {
					cur.brk = true
				} else {
					f := faceFor(r.script, r.bold, ' ')
					cur.space += float64(f.width(' ')) * em
					cur.spaces++
					if cur.spaces == 1 {
						cur.spaceFace = f
					} else if cur.spaceFace != f {
						cur.spaceFace = nil
					}
				}
				cur = nil
				continue
			}
			f := faceFor(r.script, r.bold, c)
			if f == nil {
				return nil, fmt.Errorf("%w: U+%04X", ErrUnsupportedText, c)
			}
			if cur == nil {
				cur = &word{}
				out = append(out, cur)
			}
			n := len(cur.parts)
			if n == 0 || cur.parts[n-1].face != f || cur.parts[n-1].color != r.color {
				cur.parts = append(cur.parts, &segment{face: f, color: r.color})
				n++
			}
			s := cur.parts[n-1]
			s.text = utf8.AppendRune(s.text, c)
			cw := float64(f.width(c)) * em
			s.w += cw
			cur.w += cw
		}
	}
	return out, nil
}

// splitWord cuts w after as many runes as fit in width (at least one).
// em is the size of a thousandth of an em in mm.
func splitWord(w *word, width, em float64) (head, tail *word) {
	head = &word{}
	for pi, s := range w.parts {
		hs := &segment{face: s.face, color: s.color}
		for i, c := range string(s.text) {
			cw := float64(s.face.width(c)) * em
			if head.w+hs.w+cw > width && (head.w > 0 || hs.w > 0) {
				if len(hs.text) > 0 {
					head.parts = append(head.parts, hs)
					head.w += hs.w
				}
				rest := &segment{face: s.face, color: s.color, text: s.text[i:]}
				for _, r := range string(rest.text) {
					rest.w += float64(s.face.width(r)) * em
				}
				tail = &word{space: w.space, spaceFace: w.spaceFace, spaces: w.spaces, brk: w.brk}
				tail.parts = append([]*segment{rest}, w.parts[pi+1:]...)
				for _, tp := range tail.parts {
					tail.w += tp.w
				}
				return head, tail
			}
			hs.text = utf8.AppendRune(hs.text, c)
			hs.w += cw
		}
		head.parts = append(head.parts, hs)
		head.w += hs.w
	}
	head.space, head.spaceFace, head.spaces, head.brk = w.space, w.spaceFace, w.spaces, w.brk
	return head, nil
}

// drawLine draws one line of words at the current y and moves down,
// starting a new page first when the line would run into the footer.
// Consecutive segments in one face and colour, with the spaces between
// them when those were measured in that face too, become one Text
// operation, so text extraction sees whole lines.
func (d *doc) drawLine(p *para, line []*word) {
	lead := p.leadMM
	if d.y+lead > d.bottom && !d.inFooter {
		d.newPage()
	}
	baseline := d.y + lead*0.74
	x := d.left + p.indent
	var cur *segment
	var curX float64
	var buf []byte
	emit := func() {
		if cur != nil && len(buf) > 0 {
			d.text(cur.face, p.size, cur.color, curX, baseline, string(buf))
		}
		buf, cur = buf[:0], nil
	}
	for i, w := range line {
		for _, s := range w.parts {
			if cur == nil || cur.face != s.face || cur.color != s.color {
				emit()
				cur, curX = s, x
			}
			buf = append(buf, s.text...)
			x += s.w
		}
		if i == len(line)-1 {
			break
		}
		next := line[i+1].parts[0]
		if cur != nil && w.spaceFace == cur.face && next.face == cur.face && next.color == cur.color {
			for range w.spaces {
				buf = append(buf, ' ')
			}
		} else {
			emit()
		}
		x += w.space
	}
	emit()
	d.y += lead
}
