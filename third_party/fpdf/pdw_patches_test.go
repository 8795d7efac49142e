// Copyright ©2026 The go-pdf Authors. All rights reserved.
// Use of this source code is governed by a MIT-style
// license that can be found in the LICENSE file.

package fpdf

// Tests of the PDW patches (README.md, patches/).

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

func readTestFont(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("font/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// renderUTF8 writes a one-page document that registers the fonts under
// family "f" (regular and bold) and draws text in each.
func renderUTF8(t *testing.T, regular, bold []byte, text string) []byte {
	t.Helper()
	return outputUTF8(t, startUTF8(regular, bold, text))
}

func startUTF8(regular, bold []byte, text string) *Fpdf {
	pdf := New("P", "mm", "A4", "")
	pdf.AliasNbPages("{nb}")
	tm := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	pdf.SetCreationDate(tm)
	pdf.SetModificationDate(tm)
	pdf.SetCatalogSort(true)
	pdf.AddUTF8FontFromBytes("f", "", regular)
	pdf.AddUTF8FontFromBytes("f", "B", bold)
	pdf.AddPage()
	pdf.SetFont("f", "", 12)
	pdf.Text(20, 20, text+" {nb}")
	pdf.SetFont("f", "B", 12)
	pdf.Text(20, 40, text)
	return pdf
}

func outputUTF8(t *testing.T, pdf *Fpdf) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cold renders with an empty font cache: every font parsed for this
// document only, as the unpatched library does.
func cold(t *testing.T, regular, bold []byte, text string) []byte {
	t.Helper()
	utf8FontCache.Clear()
	sharedUTF8Files.Clear()
	clearSubsetCache()
	return renderUTF8(t, regular, bold, text)
}

// TestUTF8FontCache checks that a document rendered with cached fonts is
// the document rendered with freshly parsed ones, whatever other
// documents (other glyphs, other fonts under the same family) came
// before, and that the cache keeps its own copy of the font bytes.
func TestUTF8FontCache(t *testing.T) {
	sans := readTestFont(t, "DejaVuSansCondensed.ttf")
	bold := readTestFont(t, "DejaVuSansCondensed-Bold.ttf")
	oblique := readTestFont(t, "DejaVuSansCondensed-Oblique.ttf")
	texts := []string{"Hello, world", "Ζεύς Привет ĳ", "0123456789 xyz"}

	want := map[string][]byte{}
	for _, s := range texts {
		want["sans/"+s] = cold(t, sans, bold, s)
		want["oblique/"+s] = cold(t, oblique, bold, s)
	}
	utf8FontCache.Clear()
	for round := 0; round < 2; round++ {
		for _, s := range texts {
			if got := renderUTF8(t, sans, bold, s); !bytes.Equal(got, want["sans/"+s]) {
				t.Errorf("round %d, sans %q: cached render differs from a cold one", round, s)
			}
			// The same family and style with other bytes is another font.
			if got := renderUTF8(t, oblique, bold, s); !bytes.Equal(got, want["oblique/"+s]) {
				t.Errorf("round %d, oblique %q: cached render differs from a cold one", round, s)
			}
		}
	}

	// The caller may reuse its buffer: the cached font is a copy, and
	// other documents that use the same font are not affected.
	utf8FontCache.Clear()
	buf := bytes.Clone(sans)
	first := renderUTF8(t, buf, bold, texts[0])
	other := startUTF8(sans, bold, texts[1])
	for i := range buf {
		buf[i] = 0
	}
	if got := outputUTF8(t, other); !bytes.Equal(got, want["sans/"+texts[1]]) {
		t.Error("changing the caller's font bytes changed the cached font")
	}
	if !bytes.Equal(first, want["sans/"+texts[0]]) {
		t.Error("first render differs from a cold one")
	}
}

// TestUTF8FontCacheConcurrent renders from several goroutines (run with
// -race) and compares each document with a cold render.
func TestUTF8FontCacheConcurrent(t *testing.T) {
	sans := readTestFont(t, "DejaVuSansCondensed.ttf")
	bold := readTestFont(t, "DejaVuSansCondensed-Bold.ttf")
	texts := []string{"Hello", "Привет мир", "Ζεύς", "ĳ ŉ ſ", "日本"}
	want := make([][]byte, len(texts))
	for i, s := range texts {
		want[i] = cold(t, sans, bold, s)
	}
	utf8FontCache.Clear()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var bad []string
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range texts {
				j := (i + w) % len(texts)
				pdf := startUTF8(sans, bold, texts[j])
				var buf bytes.Buffer
				err := pdf.Output(&buf)
				if err != nil || !bytes.Equal(buf.Bytes(), want[j]) {
					mu.Lock()
					bad = append(bad, texts[j])
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for _, s := range bad {
		t.Errorf("%q: concurrent render differs from a cold one", s)
	}
}

// putReference is untypedKeyMap.put(nil, v) before patch d5.
func putReference(pa *untypedKeyMap, value int) {
	var key any
	for n := 0; ; n++ {
		if pa.getIndex(n) < 0 {
			key = n
			break
		}
	}
	pa.keySet = append(pa.keySet, key)
	pa.valueSet = append(pa.valueSet, value)
}

// TestUntypedKeyMapPut checks that put(nil, v) picks the key the
// original search picks, over random sequences of the operations
// generateCIDFontMap uses.
func TestUntypedKeyMapPut(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for seq := 0; seq < 2000; seq++ {
		var got, want untypedKeyMap
		for op := 0; op < 40; op++ {
			v := r.IntN(1000)
			switch r.IntN(6) {
			case 0:
				got.put("interval", 1)
				want.put("interval", 1)
			case 1:
				if len(got.keySet) > 0 {
					got.pop()
					want.pop()
				}
			case 2:
				got.delete("interval")
				want.delete("interval")
			case 3:
				// A key removed from the middle leaves a gap.
				if len(got.keySet) > 0 {
					k := got.keySet[r.IntN(len(got.keySet))]
					got.delete(k)
					want.delete(k)
				}
			default:
				got.put(nil, v)
				putReference(&want, v)
			}
			if len(got.keySet) != len(want.keySet) {
				t.Fatalf("sequence %d: %d keys, want %d", seq, len(got.keySet), len(want.keySet))
			}
			for i := range got.keySet {
				if got.keySet[i] != want.keySet[i] || got.valueSet[i] != want.valueSet[i] {
					t.Fatalf("sequence %d: keys %v, want %v", seq, got.keySet, want.keySet)
				}
			}
		}
	}
}

// stockText is the operator stock fpdf v0.12.0's Text writes, from its
// code before patch d6.
func stockText(f *Fpdf, x, y float64, txtStr string) string {
	var txt2 string
	if f.isCurrentUTF8 {
		if f.isRTL {
			txtStr = reverseText(txtStr)
			x -= f.GetStringWidth(txtStr)
		}
		txt2 = f.escape(utf8toutf16(txtStr, false))
	} else {
		txt2 = f.escape(txtStr)
	}
	s := sprintf("BT %.2f %.2f Td (%s) Tj ET", x*f.k, (f.h-y)*f.k, txt2)
	if f.underline && txtStr != "" {
		s += " " + f.dounderline(x, y, txtStr)
	}
	if f.strikeout && txtStr != "" {
		s += " " + f.dostrikeout(x, y, txtStr)
	}
	if f.colorFlag {
		s = sprintf("q %s %s Q", f.color.text.str, s)
	}
	return s + "\n"
}

// TestTextOperator (patch d6): Text writes what stock fpdf writes, with
// and without colour, underline and strike-out, in UTF-8, core and
// right-to-left modes, for text that needs escaping and for coordinates
// off the page.
func TestTextOperator(t *testing.T) {
	pdf := New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes("dv", "", readTestFont(t, "DejaVuSansCondensed.ttf"))
	pdf.AddPage()
	texts := []string{"", "plain", `a (b) c\d` + "\r\n", "Žluťoučký kůň ←", "\uE123\uE000", "١٢٣ عربي"}
	coords := [][2]float64{{20, 30}, {0, 0}, {-3.456, 1e-3}, {210.125, 297.005}, {1e6, -0.004999}}
	n := 0
	for _, font := range []string{"dv", "Helvetica"} {
		pdf.SetFont(font, "", 11)
		for _, style := range []string{"", "U", "S", "US"} {
			pdf.SetFontStyle(style)
			for _, color := range []bool{false, true} {
				if color {
					pdf.SetTextColor(200, 10, 30)
				} else {
					pdf.SetTextColor(0, 0, 0)
				}
				for _, rtl := range []bool{false, true} {
					if rtl {
						pdf.RTL()
					} else {
						pdf.LTR()
					}
					for _, txt := range texts {
						if font == "Helvetica" && strings.ContainsFunc(txt, func(r rune) bool { return r > 0x7F }) {
							continue
						}
						for _, xy := range coords {
							page := pdf.pages[pdf.page]
							before := page.Len()
							want := stockText(pdf, xy[0], xy[1], txt)
							pdf.Text(xy[0], xy[1], txt)
							if got := page.String()[before:]; got != want {
								t.Fatalf("Text(%v, %v, %q) font %s style %q colour %v rtl %v wrote\n%q, stock writes\n%q",
									xy[0], xy[1], txt, font, style, color, rtl, got, want)
							}
							n++
						}
					}
				}
			}
		}
	}
	if pdf.Err() {
		t.Fatal(pdf.Error())
	}
	if n < 500 {
		t.Fatalf("only %d cases", n)
	}
}

// TestSubsetCache (patch d7): documents whose fonts and runes an earlier
// document had get the cached subset, and are the documents a cold
// render makes; an encrypted document (putstream encrypts in place) does
// not spoil the cached streams; a font parsed for one document only is
// not cached.
func TestSubsetCache(t *testing.T) {
	sans := readTestFont(t, "DejaVuSansCondensed.ttf")
	bold := readTestFont(t, "DejaVuSansCondensed-Bold.ttf")
	texts := []string{"Hello, world", "Ζεύς Привет ĳ", "Hello, world!"}
	want := map[string][]byte{}
	for _, s := range texts {
		want[s] = cold(t, sans, bold, s)
	}
	protected := func() []byte {
		pdf := startUTF8(sans, bold, texts[0])
		pdf.SetProtection(0, "user", "owner")
		return outputUTF8(t, pdf)
	}
	utf8FontCache.Clear()
	sharedUTF8Files.Clear()
	clearSubsetCache()
	wantProtected := protected()
	for round := range 3 {
		for _, s := range texts {
			if got := renderUTF8(t, sans, bold, s); !bytes.Equal(got, want[s]) {
				t.Errorf("round %d, %q: render with cached subsets differs from a cold one", round, s)
			}
		}
		if got := protected(); !bytes.Equal(got, wantProtected) {
			t.Errorf("round %d: protected render differs from the first", round)
		}
	}
	// Two fonts, three rune sets ("Hello, world" and its "!" differ).
	if n, _ := subsetCacheSize(); n != 6 {
		t.Errorf("subset cache holds %d entries, want 6", n)
	}

	// AddUTF8Font by file name parses the font for the document alone.
	clearSubsetCache()
	pdf := New("P", "mm", "A4", "")
	pdf.SetFontLocation("font")
	pdf.AddUTF8Font("dv", "", "DejaVuSansCondensed.ttf")
	pdf.AddPage()
	pdf.SetFont("dv", "", 12)
	pdf.Text(20, 20, texts[1])
	outputUTF8(t, pdf)
	if n, _ := subsetCacheSize(); n != 0 {
		t.Errorf("subset cache holds %d entries after a font added by file name, want 0", n)
	}
}

// TestSubsetCacheBounded renders documents with ever other runes from
// several goroutines (run with -race) under a small budget: the cache
// stays within it while evicting, and every document is its cold render.
func TestSubsetCacheBounded(t *testing.T) {
	sans := readTestFont(t, "DejaVuSansCondensed.ttf")
	bold := readTestFont(t, "DejaVuSansCondensed-Bold.ttf")
	var texts []string
	for i := range 16 {
		texts = append(texts, string([]rune{'a' + rune(i), 'A' + rune(i), 0x410 + rune(i), 0x3B1 + rune(i)}))
	}
	want := make([][]byte, len(texts))
	for i, s := range texts {
		want[i] = cold(t, sans, bold, s)
	}
	utf8FontCache.Clear()
	sharedUTF8Files.Clear()
	clearSubsetCache()
	defer func(n int) { subsetCacheBytes = n; clearSubsetCache() }(subsetCacheBytes)
	renderUTF8(t, sans, bold, texts[0])
	_, one := subsetCacheSize()
	subsetCacheBytes = 10 * one // room for about five documents' two subsets
	clearSubsetCache()

	var wg sync.WaitGroup
	var mu sync.Mutex
	var bad []string
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range 2 {
				for i := range texts {
					j := (i + 5*w + r) % len(texts)
					pdf := startUTF8(sans, bold, texts[j])
					var buf bytes.Buffer
					err := pdf.Output(&buf)
					_, size := subsetCacheSize()
					mu.Lock()
					if err != nil || !bytes.Equal(buf.Bytes(), want[j]) {
						bad = append(bad, texts[j]+": differs from a cold render")
					}
					if size > subsetCacheBytes {
						bad = append(bad, fmt.Sprintf("cache holds %d bytes, budget %d", size, subsetCacheBytes))
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for _, s := range bad {
		t.Error(s)
	}
}
