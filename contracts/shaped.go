package contracts

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pdw-registry/pdw/contracts/textlayout"
)

// shapedFonts are a shaped script's textlayout fonts (its own font and Noto
// Sans, regular and bold), parsed once per process, and a pool of Shapers
// over them: a Shaper is not safe for concurrent use, so each document
// takes its own pair and gives it back when it is written.
type shapedFonts struct {
	once          sync.Once
	regular, bold *textlayout.Fonts
	err           error
	pool          sync.Pool // of *shaperPair
}

// shaperPair is one document's Shapers of a script.
type shaperPair struct{ regular, bold *textlayout.Shaper }

// load parses the fonts of sc once; the faces must be loaded (loadFonts).
func (sf *shapedFonts) load(sc *script) error {
	sf.once.Do(func() {
		fonts := func(latin *face, pick func(*script) *face) (*textlayout.Fonts, error) {
			faces := []*face{latin, pick(sc)}
			for _, o := range sc.with {
				faces = append(faces, pick(o))
			}
			parsed := make([]*textlayout.Font, len(faces))
			for i, f := range faces {
				var err error
				if parsed[i], err = f.shapingFont(); err != nil {
					return nil, err
				}
			}
			return textlayout.NewFontsOf(parsed[0], parsed[1:]...), nil
		}
		sf.regular, sf.err = fonts(notoSans, func(s *script) *face { return s.regular })
		if sf.err == nil {
			sf.bold, sf.err = fonts(notoSansBold, func(s *script) *face { return s.bold })
		}
		if sf.err != nil {
			sf.err = fmt.Errorf("contracts: %s fonts: %w", sc.name, sf.err)
		}
	})
	return sf.err
}

// shapingScript returns the script whose Shapers lay out p: the first
// shaped script among its runs or, when the runs are in other non-Latin
// scripts too (a heading "Nepali / Bengali", the captions under the
// signatures in Arabic and Hindi, an Amharic heading beside a Tamil one),
// a combination of that script with the others, whose fonts it holds.
func shapingScript(p *para) *script {
	var sc *script
	var others []*script
	for _, r := range p.runs {
		if r.script.shaped && sc == nil {
			sc = r.script
		}
	}
	for _, r := range p.runs {
		s := r.script
		if s.code == "Latn" || s.code == sc.code || slices.ContainsFunc(others, func(o *script) bool { return o.code == s.code }) {
			continue
		}
		others = append(others, s)
	}
	if len(others) == 0 {
		return sc
	}
	slices.SortFunc(others, func(a, b *script) int { return strings.Compare(a.code, b.code) })
	key := sc.code + "@" + sc.lang
	for _, o := range others {
		key += "+" + o.code
	}
	if c, ok := combinedScripts.Load(key); ok {
		return c.(*script)
	}
	c := *sc
	c.code, c.with, c.shaping = key, others, &shapedFonts{}
	got, _ := combinedScripts.LoadOrStore(key, &c)
	return got.(*script)
}

// combinedScripts holds the combinations shapingScript made, by key
// ("Deva@ne+Beng"), so that each has one set of fonts and Shapers.
var combinedScripts sync.Map

// shapersFor returns the document's Shapers for sc, taking a pair from the
// pool on first use.
func (d *doc) shapersFor(sc *script) (*shaperPair, error) {
	if sp := d.shapers[sc]; sp != nil {
		return sp, nil
	}
	if err := sc.shaping.load(sc); err != nil {
		return nil, err
	}
	sp, _ := sc.shaping.pool.Get().(*shaperPair)
	if sp == nil {
		sp = &shaperPair{regular: sc.shaping.regular.NewShaper(), bold: sc.shaping.bold.NewShaper()}
	}
	// PageDirection stays set on a pooled Shaper; drawShaped sets it per page.
	sp.regular.PageDirection, sp.bold.PageDirection = textlayout.PageAuto, textlayout.PageAuto
	if d.shapers == nil {
		d.shapers = map[*script]*shaperPair{}
	}
	d.shapers[sc] = sp
	return sp, nil
}

// release gives the document's Shapers back to their pools. The document
// must not draw shaped text afterwards.
func (d *doc) release() {
	for sc, sp := range d.shapers {
		sc.shaping.pool.Put(sp)
	}
	d.shapers = nil
}

// shapedLine is one shaped line (or the part of a line in one style),
// positioned and paginated, waiting to be drawn by drawShaped.
type shapedLine struct {
	page   int
	sh     *textlayout.Shaper
	line   textlayout.Line
	x, top float64 // mm: what Shaper.Draw takes
	leadPt float64
	color  rgb
	lang   string
	// src is the line's own text when it holds the page-count alias
	// "{nb}": the line is shaped again with the count when it is drawn,
	// written with nums when set.
	src  string
	nums *numberFormat
}

// A styleGroup is a stretch of a paragraph's runs in one weight and colour:
// textlayout shapes each with one font set and draws it in one colour.
type styleGroup struct {
	text  string
	bold  bool
	color rgb
}

func styleGroups(runs []run) []styleGroup {
	var out []styleGroup
	for _, r := range runs {
		if n := len(out); n > 0 && out[n-1].bold == r.bold && out[n-1].color == r.color {
			out[n-1].text += r.text
			continue
		}
		out = append(out, styleGroup{text: r.text, bold: r.bold, color: r.color})
	}
	return out
}

// piece is the part of a line in one style.
type piece struct {
	sh    *textlayout.Shaper
	line  textlayout.Line
	color rgb
	gap   float64 // pt of space before it on its line
}

// shapedParagraph lays out p with textlayout. Each stretch of runs in one
// weight and colour is shaped on its own, and the stretches follow one
// another on a line as words do: a label first, then the text, whose first
// line takes the room the label leaves and whose other lines the full
// column. The paragraph's direction is its first run's: an Arabic
// paragraph is right-aligned, its label at the right; a Latin paragraph
// with an Arabic run in it (a bilingual caption) stays left-aligned, its
// Arabic words in their own order.
//
// The lines are laid out and paginated here and drawn when the document is
// closed (drawShaped), once the page count is known (the Arabic footer
// prints it) and each page's reading direction for text extraction too.
func shapedParagraph(d *doc, p *para) error {
	sc := shapingScript(p)
	sp, err := d.shapersFor(sc)
	if err != nil {
		return err
	}
	rtl := p.runs[0].script.rtl
	// A left-to-right paragraph with a right-to-left run in it (a Latin
	// caption with its Arabic twin) is shaped as "und": the shaper finds
	// each run's script, and the paragraph stays left to right. Otherwise
	// the paragraph is shaped in its shaped script's language, which picks
	// language-specific glyph forms (Nepali's, in Devanagari).
	lang := "und"
	if rtl || !sc.rtl {
		lang = sc.lang
	}
	size, lead := p.size, p.leadMM
	if rtl {
		if sc.scale > 0 && !p.unscaled {
			size, lead = size*sc.scale, lead*sc.scale
		}
	}
	width := p.width
	if width == 0 {
		width = d.right - d.left - p.indent
	}
	l := &lineLayout{d: d, lead: lead, ascent: p.leadMM * 0.74, lang: lang, rtl: rtl, x0: d.left + p.indent, width: width, nums: p.nums}
	colPt := width / ptToMM
	space := float64(notoSans.width(' ')) * size / 1000 // spaces are set in Noto Sans
	minRoom := 3 * size

	groups := styleGroups(p.runs)
	for gi, g := range groups {
		sh := sp.regular
		if g.bold {
			sh = sp.bold
		}
		gap := 0.0
		if gi > 0 && (strings.HasSuffix(groups[gi-1].text, " ") || strings.HasPrefix(g.text, " ")) {
			gap = space
		}
		text := strings.TrimLeft(g.text, " ")
		if strings.HasPrefix(text, "\n") {
			l.emit()
			text = text[1:]
		}
		text = strings.TrimRight(text, " ")
		for text != "" {
			if len(l.cur) == 0 {
				// A full column: every line but the last is complete; the
				// last may be continued by the next stretch.
				lines, err := sh.Wrap(text, lang, size, colPt)
				if err != nil {
					return fmt.Errorf("contracts: %w", err)
				}
				for i, ln := range lines {
					if i > 0 {
						l.emit()
					}
					l.add(piece{sh: sh, line: ln, color: g.color})
				}
				break
			}
			// The rest of a started line: take its first line only, and
			// only if it ends between words.
			avail := colPt - l.used - gap
			if avail < minRoom {
				l.emit()
				continue
			}
			// Shaping a prefix that holds more than a line gives the same
			// first line as the whole text (lines are filled greedily) at
			// a fraction of the cost; the rest is shaped again below.
			lines, err := sh.Wrap(prefix(text, avail/(0.2*size)), lang, size, avail)
			if err == nil && len(lines) < 2 {
				lines, err = sh.Wrap(text, lang, size, avail)
			}
			if err != nil {
				return fmt.Errorf("contracts: %w", err)
			}
			rest, ok := after(text, lines[0].Text)
			if !ok {
				l.emit()
				continue
			}
			l.add(piece{sh: sh, line: lines[0], color: g.color, gap: gap})
			if rest == "" {
				break
			}
			l.emit()
			text = rest
		}
	}
	l.emit()
	return nil
}

// prefix returns text up to the first space after at least n runes that
// is outside any bidi isolate, or all of text.
func prefix(text string, n float64) string {
	depth, runes := 0, 0
	for i, r := range text {
		switch {
		case r >= '\u2066' && r <= '\u2068':
			depth++
		case r == '\u2069' && depth > 0:
			depth--
		case r == ' ' && depth == 0 && float64(runes) >= n:
			return text[:i]
		}
		runes++
	}
	return text
}

// after returns what follows the line text first at the start of text,
// without the spaces or the line feed at which the line was broken; ok is
// false when first is not where text starts or was broken inside a word.
func after(text, first string) (rest string, ok bool) {
	if first == "" || !strings.HasPrefix(text, first) {
		return "", false
	}
	rest = text[len(first):]
	trimmed := strings.TrimLeft(rest, " ")
	switch {
	case rest == "":
		return "", true
	case strings.HasPrefix(trimmed, "\n"):
		return trimmed[1:], true
	case len(trimmed) == len(rest):
		return "", false
	}
	return trimmed, true
}

// lineLayout collects the pieces of the current line of a shaped paragraph.
type lineLayout struct {
	d      *doc
	lead   float64 // line height, mm
	ascent float64 // mm from the top of a line to its baseline
	lang   string
	rtl    bool
	x0     float64 // left edge of the column, mm
	width  float64 // mm
	cur    []piece
	used   float64 // pt taken on the current line
	nums   *numberFormat
}

func (l *lineLayout) add(pc piece) {
	l.cur = append(l.cur, pc)
	l.used += pc.gap + pc.line.Width
}

// emit places the current line at d.y, starting a new page first when it
// would run into the footer, and queues its pieces for drawShaped. The
// baseline is where plainParagraph puts it for the paragraph's unscaled
// line height, so shaped and plain text side by side (a bilingual heading)
// share it; a scaled paragraph's extra height goes below.
func (l *lineLayout) emit() {
	if len(l.cur) == 0 {
		return
	}
	d := l.d
	if d.y+l.lead > d.bottom && !d.inFooter {
		d.newPage()
	}
	page := d.pdf.PageNo()
	for _, pc := range l.cur {
		d.noteText(pc.line.Text)
	}
	srcs := make([]string, len(l.cur))
	for i, pc := range l.cur {
		if strings.Contains(pc.line.Text, pageCountAlias) {
			srcs[i] = pc.line.Text
		}
	}
	if len(l.cur) > 1 {
		// One ActualText for the whole line, on its widest piece: a text
		// extractor reorders a line's characters as a whole, and spans side
		// by side would come out in the wrong order when a piece mixes
		// directions. The other pieces carry an invisible mark of the
		// line's direction, so that their place still holds a character:
		// with none, poppler sees a short last line under the label as a
		// block of its own and may read it after the blocks to its left.
		var b strings.Builder
		widest := 0
		for i, pc := range l.cur {
			if i > 0 && pc.gap > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(pc.line.Text)
			if pc.line.Width > l.cur[widest].line.Width {
				widest = i
			}
		}
		mark := "\u200E" // LEFT-TO-RIGHT MARK
		if l.rtl {
			mark = "\u200F" // RIGHT-TO-LEFT MARK
		}
		for i := range l.cur {
			l.cur[i].line.Text = mark
		}
		l.cur[widest].line.Text = b.String()
	}

	baseline := d.y + l.ascent
	leadPt := l.lead / ptToMM
	pen := l.x0
	if l.rtl {
		pen = l.x0 + l.width
	}
	for i, pc := range l.cur {
		ln := pc.line
		var x float64
		if l.rtl {
			// Shaper.Draw right-aligns a right-to-left line in its column.
			pen -= pc.gap * ptToMM
			x = pen - ln.ColumnWidth*ptToMM
			pen -= ln.Width * ptToMM
		} else {
			pen += pc.gap * ptToMM
			x = pen
			pen += ln.Width * ptToMM
		}
		top := baseline - ((leadPt-ln.Ascent-ln.Descent)/2+ln.Ascent)*ptToMM
		d.shaped = append(d.shaped, shapedLine{page: page, sh: pc.sh, line: ln, x: x, top: top,
			leadPt: leadPt, color: pc.color, lang: l.lang, src: srcs[i], nums: l.nums})
	}
	d.y += l.lead
	l.cur = l.cur[:0]
	l.used = 0
}

// pageCountAlias is fpdf's alias for the page count (AliasNbPages in
// newDoc); fpdf replaces it in plain text only, not in shaped glyphs.
const pageCountAlias = "{nb}"

// drawShaped draws every queued shaped line into its page. It runs as the
// document is closed, after the last page's footer: the page count is then
// known, and so is each page's text, from which poppler will decide the
// page's reading direction (textlayout.PageDirectionOf), which the
// ActualText of lines that mix directions must be arranged for.
func (d *doc) drawShaped() {
	if len(d.shaped) == 0 {
		return
	}
	last := d.pdf.PageNo()
	total := strconv.Itoa(last)
	for i := 0; i < len(d.shaped); {
		page := d.shaped[i].page
		d.pdf.SetPage(page)
		// fpdf writes a font selection only when the font changes: make the
		// next one a change, so that it reaches this page's content.
		if d.pdf.GetFontFamily() != "" {
			d.pdf.SetFontSize(1)
		}
		dir := textlayout.PageDirectionOf(d.pageText[page]...)
		for ; i < len(d.shaped) && d.shaped[i].page == page; i++ {
			s := &d.shaped[i]
			s.sh.PageDirection = dir
			lines := []textlayout.Line{s.line}
			if s.src != "" {
				ln := s.line
				total := total
				if s.nums != nil {
					total = s.nums.digitsOf(total)
				}
				again, err := s.sh.Wrap(strings.ReplaceAll(s.src, pageCountAlias, total), s.lang, ln.SizePt, ln.ColumnWidth)
				if err != nil {
					d.footErr(fmt.Errorf("contracts: %w", err))
					continue
				}
				if len(again) > 0 {
					again[0].Text = strings.ReplaceAll(ln.Text, pageCountAlias, total)
				}
				lines = again
			}
			d.pdf.SetTextColor(s.color.r, s.color.g, s.color.b)
			s.sh.Draw(d.pdf, lines, s.x, s.top, s.leadPt)
		}
	}
	d.pdf.SetPage(last)
	d.shaped = nil
}

// noteText records text drawn on the current page, for the page's reading
// direction.
func (d *doc) noteText(s string) {
	n := d.pdf.PageNo()
	for len(d.pageText) <= n {
		d.pageText = append(d.pageText, nil)
	}
	d.pageText[n] = append(d.pageText[n], s)
}
