package textlayout

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
)

// newUncachedShaper returns a Shaper over the test fonts whose Fonts
// remembers nothing: every Wrap shapes.
func newUncachedShaper(tb testing.TB) *Shaper {
	tb.Helper()
	fs, err := testFonts()
	if err != nil {
		tb.Fatal(err)
	}
	u := NewFontsOf(fs.fonts[0], fs.fonts[1:]...)
	u.SetCacheBytes(0)
	return u.NewShaper()
}

type wrapCase struct {
	text, lang      string
	sizePt, widthPt float64
}

// wrapCases are the test paragraphs at a few sizes and widths, and
// prefixes of them (different keys, overlapping text).
func wrapCases() []wrapCase {
	var cs []wrapCase
	for _, p := range paragraphs {
		for _, w := range []float64{columnPt, 200, 90.5} {
			cs = append(cs, wrapCase{p.text, p.lang, sizePt, w}, wrapCase{p.text, p.lang, 9.5, w},
				wrapCase{p.text[:len(p.text)/2], p.lang, sizePt, w})
		}
		cs = append(cs, wrapCase{p.text, "und", sizePt, columnPt}) // another language, another key
	}
	return cs
}

// TestWrapCacheSameResult: a Wrap answered from the cache returns what
// shaping returns, and a caller changing the Lines it got (as contracts
// does with Text) changes nothing for the next caller.
func TestWrapCacheSameResult(t *testing.T) {
	fs, err := testFonts()
	if err != nil {
		t.Fatal(err)
	}
	cached := NewFontsOf(fs.fonts[0], fs.fonts[1:]...)
	a, b := cached.NewShaper(), cached.NewShaper()
	u := newUncachedShaper(t)
	for _, c := range wrapCases() {
		want, err := u.Wrap(c.text, c.lang, c.sizePt, c.widthPt)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range []*Shaper{a, b, a} { // shaped, then twice from the cache
			got, err := s.Wrap(c.text, c.lang, c.sizePt, c.widthPt)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s %v/%v (call %d): cached lines differ from shaped ones", c.lang, c.sizePt, c.widthPt, i)
			}
			got[0].Text, got[0].Width = "changed", -1
		}
	}
	if n, _ := cached.cache.len(); n != len(wrapCases()) {
		t.Errorf("cache holds %d entries, want %d", n, len(wrapCases()))
	}
}

// TestWrapCacheBounded: the cache stays within its budget however many
// different texts pass, and keeps answering correctly.
func TestWrapCacheBounded(t *testing.T) {
	fs, err := testFonts()
	if err != nil {
		t.Fatal(err)
	}
	const budget = 64 << 10
	f := NewFontsOf(fs.fonts[0], fs.fonts[1:]...)
	f.SetCacheBytes(budget)
	s, u := f.NewShaper(), newUncachedShaper(t)
	for i := range 300 {
		text := fmt.Sprintf("%s %d", hindiText[:200], i)
		for range 2 {
			got, err := s.Wrap(text, "hi", sizePt, columnPt)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := u.Wrap(text, "hi", sizePt, columnPt)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("text %d: cached lines differ from shaped ones", i)
			}
		}
		if n, bytes := f.cache.len(); bytes > budget || n == 0 {
			t.Fatalf("after %d texts the cache holds %d entries, %d bytes; budget %d", i+1, n, bytes, budget)
		}
	}
}

// TestWrapCacheConcurrent: Shapers of one Fonts wrap the same texts from
// several goroutines (run with -race), under a budget small enough that
// entries are evicted and shaped again meanwhile, and get what an
// uncached Shaper gets.
func TestWrapCacheConcurrent(t *testing.T) {
	fs, err := testFonts()
	if err != nil {
		t.Fatal(err)
	}
	cases := wrapCases()
	u := newUncachedShaper(t)
	want := make([][]Line, len(cases))
	for i, c := range cases {
		if want[i], err = u.Wrap(c.text, c.lang, c.sizePt, c.widthPt); err != nil {
			t.Fatal(err)
		}
	}
	for _, budget := range []int{DefaultCacheBytes, 96 << 10} {
		f := NewFontsOf(fs.fonts[0], fs.fonts[1:]...)
		f.SetCacheBytes(budget)
		const workers = 6
		var wg sync.WaitGroup
		errs := make(chan string, workers*len(cases)*3)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := f.NewShaper()
				for r := range 3 {
					for j := range cases {
						i := (j + w*7 + r) % len(cases)
						c := cases[i]
						got, err := s.Wrap(c.text, c.lang, c.sizePt, c.widthPt)
						if err != nil {
							errs <- err.Error()
							continue
						}
						if !reflect.DeepEqual(got, want[i]) {
							errs <- fmt.Sprintf("budget %d, %s %v/%v: lines differ", budget, c.lang, c.sizePt, c.widthPt)
						}
						got[0].Text = "changed by the caller"
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	}
}

// TestPopplerClassTable: the table popplerClass reads for the BMP agrees
// with the Unicode tables for every code point.
func TestPopplerClassTable(t *testing.T) {
	for r := range rune(0x10000) {
		if got, want := popplerClass(r), computePopplerClass(r); got != want {
			t.Fatalf("popplerClass(%U) = %c, computed %c", r, got, want)
		}
	}
	for _, r := range []rune{0x1F600, 0x10FFFF, 0x1E900, -1} {
		if got, want := popplerClass(r), computePopplerClass(r); got != want {
			t.Errorf("popplerClass(%U) = %c, computed %c", r, got, want)
		}
	}
}

// TestSpanStartRemembered: a span answered from the Shaper's memory is
// the one made afresh, for both page directions, also after the memory
// was cleared for being full.
func TestSpanStartRemembered(t *testing.T) {
	s := newTestShaper(t)
	for i := range maxSpans + 10 {
		for _, p := range paragraphs {
			text := fmt.Sprintf("%s %d", p.text[:60], i%(maxSpans/2+7))
			for _, rtl := range []bool{false, true} {
				if got, want := s.spanStart(text, rtl), s.makeSpanStart(text, rtl); got != want {
					t.Fatalf("spanStart(%q, %v) = %q, want %q", text, rtl, got, want)
				}
			}
		}
		if len(s.spans) > maxSpans {
			t.Fatalf("%d spans remembered, at most %d", len(s.spans), maxSpans)
		}
	}
}
