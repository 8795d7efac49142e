package textlayout

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// PageDirection is the reading direction a text extractor picks for a page.
//
// Poppler (pdftotext, evince and most Linux viewers) decides it once per
// page: right to left if the page has more right-to-left letters (Arabic,
// Hebrew) than left-to-right ones (Latin, Devanagari, …), else left to right.
// It then treats each line's characters, ActualText included, as laid out
// left to right and reorders them with a simple rule (TextOutputDev.cc,
// reorderText) that depends on that page direction. For a line in one
// direction only the page direction does not matter; for a line that mixes
// directions (a Latin name or an amount inside Arabic, an Arabic name inside
// English) the ActualText has to be arranged for the page direction poppler
// will pick, or the line's parts come out in the wrong order.
type PageDirection int

const (
	// PageAuto assumes that the page reads like the paragraph: right to left
	// for right-to-left paragraphs. Right for a page in one language.
	PageAuto PageDirection = iota
	// PageLTR: the page has at least as many left-to-right letters as
	// right-to-left ones.
	PageLTR
	// PageRTL: the page has more right-to-left letters.
	PageRTL
)

// PageDirectionOf counts letters the way poppler does over all the text
// of a page (shaped and plain) and returns the direction it will pick.
// Assign the result to [Shaper.PageDirection] before drawing the page's
// shaped paragraphs.
func PageDirectionOf(pageTexts ...string) PageDirection {
	n := 0
	for _, t := range pageTexts {
		for _, r := range t {
			switch popplerClass(r) {
			case 'L':
				n++
			case 'R':
				n--
			}
		}
	}
	if n >= 0 {
		return PageLTR
	}
	return PageRTL
}

// spanStart returns the BDC operator opening a line's /Span whose ActualText
// is actualTextFor(text, pageRTL) as UTF-16BE with a byte-order mark.
func (s *Shaper) spanStart(text string, pageRTL bool) string {
	k := spanKey{text, pageRTL}
	if span, ok := s.spans[k]; ok {
		return span
	}
	span := s.makeSpanStart(text, pageRTL)
	if len(s.spans) >= maxSpans {
		clear(s.spans)
	}
	if s.spans == nil {
		s.spans = make(map[spanKey]string)
	}
	s.spans[k] = span
	return span
}

// spanKey is what a line's span depends on.
type spanKey struct {
	text    string
	pageRTL bool
}

// maxSpans bounds the spans a Shaper remembers: a contract draws a few
// hundred lines, most of them the same in every document.
const maxSpans = 2048

func (s *Shaper) makeSpanStart(text string, pageRTL bool) string {
	const hexDigits = "0123456789ABCDEF"
	b := append(s.span[:0], "/Span <</ActualText <FEFF"...)
	put := func(u uint16) {
		b = append(b, hexDigits[u>>12], hexDigits[u>>8&0xF], hexDigits[u>>4&0xF], hexDigits[u&0xF])
	}
	s.tmp = actualTextFor(s.tmp[:0], text, pageRTL)
	for _, r := range s.tmp {
		if r >= 0x10000 {
			r -= 0x10000
			put(uint16(0xD800 + r>>10))
			put(uint16(0xDC00 + r&0x3FF))
			continue
		}
		put(uint16(r))
	}
	b = append(b, ">>> BDC"...)
	s.span = b
	return string(b)
}

// actualTextFor appends to dst a line's logical text arranged so that
// poppler's reordering (see [PageDirection]) gives the logical text back.
//
// Poppler knows three classes of character (popplerClass): right-to-left
// letters (R), left-to-right letters and number characters (L), and the rest
// (N: spaces, most punctuation, combining marks). On a right-to-left page it
// reads a line from the right: a stretch without L characters is emitted
// reversed, then a stretch without R characters is emitted as it stands, and
// so on. On a left-to-right page it reads from the left: a stretch without R
// characters as it stands, then a stretch without L characters reversed.
//
// This function inverts that rule: it cuts the logical text into the
// stretches poppler will find, reverses the right-to-left ones, and for a
// right-to-left page also puts the stretches in reverse order. A purely
// right-to-left line thus becomes its text reversed rune by rune. Where a
// stretch ends in neutral characters that poppler would give to the next
// stretch, a mark of the stretch's own direction is added after them (U+200E
// LEFT-TO-RIGHT MARK after a Latin or numeric stretch on a right-to-left
// page, U+200F RIGHT-TO-LEFT MARK after an Arabic stretch on a left-to-right
// page), so spaces and punctuation stay where they are. The marks are
// invisible and carry no text; pdftotext adds its own embedding controls
// (U+202A..U+202C) around such stretches anyway.
func actualTextFor(dst []rune, text string, pageRTL bool) []rune {
	// class is popplerClass with number characters counted as L: the rule
	// does not tell them apart.
	class := func(r rune) byte {
		if c := popplerClass(r); c != '#' {
			return c
		}
		return 'L'
	}
	if !pageRTL {
		for len(text) > 0 {
			// An L-stretch (no R), as it stands.
			i := strings.IndexFunc(text, func(r rune) bool { return class(r) == 'R' })
			if i < 0 {
				i = len(text)
			}
			for _, r := range text[:i] {
				dst = append(dst, r)
			}
			text = text[i:]
			// An R-stretch (no L), reversed.
			j := strings.IndexFunc(text, func(r rune) bool { return class(r) == 'L' })
			if j < 0 {
				j = len(text)
			}
			stretch := text[:j]
			text = text[j:]
			if stretch == "" {
				continue
			}
			if class(lastRune(stretch)) == 'N' {
				dst = append(dst, '\u200F')
			}
			dst = appendReversed(dst, stretch)
		}
		return dst
	}

	// Right-to-left page: collect the stretches from the logical start
	// (R-stretch, L-stretch, R-stretch, …) and emit them in reverse order.
	type stretch struct {
		text string
		rtl  bool
	}
	var stretches []stretch
	for len(text) > 0 {
		i := strings.IndexFunc(text, func(r rune) bool { return class(r) == 'L' })
		if i < 0 {
			i = len(text)
		}
		if i > 0 {
			stretches = append(stretches, stretch{text[:i], true})
		}
		text = text[i:]
		j := strings.IndexFunc(text, func(r rune) bool { return class(r) == 'R' })
		if j < 0 {
			j = len(text)
		}
		if j > 0 {
			stretches = append(stretches, stretch{text[:j], false})
		}
		text = text[j:]
	}
	for n := len(stretches) - 1; n >= 0; n-- {
		st := stretches[n]
		if st.rtl {
			dst = appendReversed(dst, st.text)
			continue
		}
		for _, r := range st.text {
			dst = append(dst, r)
		}
		if class(lastRune(st.text)) == 'N' {
			dst = append(dst, '\u200E')
		}
	}
	return dst
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func appendReversed(dst []rune, s string) []rune {
	n := len(dst)
	for _, r := range s {
		dst = append(dst, r)
	}
	for i, j := n, len(dst)-1; i < j; i, j = i+1, j-1 {
		dst[i], dst[j] = dst[j], dst[i]
	}
	return dst
}

// popplerClass approximates poppler's character classes (UnicodeTypeTable):
// 'R' for right-to-left letters and RLM/ALM; 'L' for left-to-right letters
// and spacing marks; '#' for digits and the number punctuation of the bidi
// classes ES, ET and CS (".,:/+-%$" and their Arabic and currency
// relatives); 'N' for the rest: spaces, other punctuation, combining marks.
func popplerClass(r rune) byte {
	if r >= 0 && r < 0x10000 {
		return bmpClasses()[r]
	}
	return computePopplerClass(r)
}

// bmpClasses holds popplerClass for the Basic Multilingual Plane, built on
// first use: the Unicode table lookups cost more than the rest of a page's
// direction and ActualText work.
var bmpClasses = sync.OnceValue(func() *[0x10000]byte {
	var t [0x10000]byte
	for r := range rune(0x10000) {
		t[r] = computePopplerClass(r)
	}
	return &t
})

// computePopplerClass is popplerClass from the Unicode tables.
func computePopplerClass(r rune) byte {
	switch {
	case r == '\u200E':
		return 'L'
	case r == '\u200F' || r == '\u061C' || r == '\u061B' || r == '\u061F' || r == '\u06D4':
		// RLM, ALM and the Arabic semicolon, question mark and full stop:
		// poppler's table has them as right-to-left, though Unicode puts
		// the semicolon and question mark in the Common script.
		return 'R'
	case unicode.IsDigit(r):
		return '#'
	case unicode.In(r, unicode.Mn, unicode.Me):
		return 'N'
	case unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko,
		unicode.Samaritan, unicode.Mandaic, unicode.Adlam, unicode.Hanifi_Rohingya):
		if unicode.IsLetter(r) {
			return 'R'
		}
	case unicode.IsLetter(r) || unicode.Is(unicode.Mc, r):
		return 'L'
	}
	if r < 0x80 && strings.ContainsRune("#$%+,-./:", r) ||
		strings.ContainsRune("\u00A2\u00A3\u00A4\u00A5\u00B0\u00B1\u060C\u066A\u066B\u066C\u2030\u2031\u2212", r) ||
		r >= 0x20A0 && r <= 0x20CF {
		return '#'
	}
	return 'N'
}
