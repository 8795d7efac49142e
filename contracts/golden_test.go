package contracts

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// The contracts are rendered with a patched copy of fpdf
// (third_party/fpdf, see its README): fonts parsed once per process and
// shared by every document. These tests pin the output. Each case's
// PDF must hash to the value in testdata/render-sha256.txt, and the text
// pdftotext extracts from it to the value recorded with the unpatched
// library (v0.12.0 as published), which the patches must not change.
// Patches d1-d3 and d5-d7 reproduce the stock PDFs byte for byte; d4 (a
// shorter CIDToGIDMap) changes the bytes but not the text or the pixels.
// The fr-ne, fr-bn, fr-si and fr-ta hashes were recorded with d1-d5.
// Run with -update-golden after a deliberate change to the output: it
// rewrites the PDF hashes and refuses to change a text hash.

var updateGolden = flag.Bool("update-golden", false,
	"rewrite the PDF hashes in testdata/render-sha256.txt (text hashes are kept unless absent)")

const goldenFile = "testdata/render-sha256.txt"

type goldenCase struct {
	name string
	// names are other worker names the case can draw: other glyphs
	// through the same fonts.
	names []string
	// render renders the case, with name as the worker's name unless
	// name is empty.
	render func(name string) ([]byte, error)
}

func (gc goldenCase) mustRender(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := gc.render(name)
	if err != nil {
		tb.Fatalf("%s: %v", gc.name, err)
	}
	return b
}

// latinNames are drawn by every document (Noto Sans).
var latinNames = []string{"Žofie Ångström-Ærø", "Nguyễn Thị Hồng"}

// scriptNames are names in a language's own script, where the
// documents can draw them (names are not shaped).
var scriptNames = map[string]string{"am": "ሰላም ወርቅ"}

func caseNames(lang string) []string {
	names := append([]string{}, latinNames...)
	if n, ok := scriptNames[lang]; ok {
		names = append(names, n)
	}
	return names
}

func contractCase(tb testing.TB, host, worker string) goldenCase {
	c := testContract(tb, host, worker)
	return goldenCase{
		name:  "contract-" + host + "-" + worker,
		names: caseNames(worker),
		render: func(name string) ([]byte, error) {
			c := c
			if name != "" {
				c.Worker.FullName = name
			}
			var buf bytes.Buffer
			err := Render(&buf, c, Options{})
			return buf.Bytes(), err
		},
	}
}

func leafletCase(tb testing.TB, lang string) goldenCase {
	l := testLeaflet(tb, lang)
	return goldenCase{
		name:  "leaflet-" + lang,
		names: caseNames(lang),
		render: func(name string) ([]byte, error) {
			l := l
			if name != "" {
				l.WorkerName = name
			}
			var buf bytes.Buffer
			err := RenderLeaflet(&buf, l, Options{})
			return buf.Bytes(), err
		},
	}
}

// goldenCases cover the Latin contract (two fonts), Ethiopic (four),
// shaped Arabic, Devanagari (Hindi and Nepali), Bengali, Sinhala and
// Tamil (glyph-id fonts) and leaflets.
func goldenCases(tb testing.TB) []goldenCase {
	return []goldenCase{
		contractCase(tb, "fr", "tl"),
		contractCase(tb, "fr", "am"),
		contractCase(tb, "fr", "ar"),
		contractCase(tb, "fr", "hi"),
		contractCase(tb, "fr", "ne"),
		contractCase(tb, "fr", "bn"),
		contractCase(tb, "fr", "si"),
		contractCase(tb, "fr", "ta"),
		leafletCase(tb, "am"),
		leafletCase(tb, "ar"),
	}
}

type goldenHashes struct{ pdf, text string }

func readGolden(t *testing.T) map[string]goldenHashes {
	t.Helper()
	b, err := os.ReadFile(goldenFile)
	if err != nil {
		if os.IsNotExist(err) && *updateGolden {
			return map[string]goldenHashes{}
		}
		t.Fatal(err)
	}
	m := map[string]goldenHashes{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if len(f) != 3 {
			t.Fatalf("%s: bad line %q", goldenFile, line)
		}
		m[f[0]] = goldenHashes{pdf: f[1], text: f[2]}
	}
	return m
}

func writeGolden(t *testing.T, m map[string]goldenHashes) {
	t.Helper()
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("# name, SHA-256 of the PDF (fpdf v0.12.0 with patches d1-d5, third_party/fpdf),\n" +
		"# SHA-256 of `pdftotext -enc UTF-8 in.pdf -` (recorded with stock fpdf v0.12.0, which patch d4 must not change).\n" +
		"# The stock PDF hashes are in commit c8b1f55; d1-d3 and d5 reproduced them byte for byte.\n")
	for _, n := range names {
		fmt.Fprintf(&b, "%s %s %s\n", n, m[n].pdf, m[n].text)
	}
	if err := os.WriteFile(goldenFile, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// rawPDFText is pdftotext's output as is (no whitespace folding).
func rawPDFText(tb testing.TB, pdf []byte) []byte {
	tb.Helper()
	tool := needTool(tb, "pdftotext")
	in := filepath.Join(tb.TempDir(), "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		tb.Fatalf("pdftotext: %v", err)
	}
	return out
}

// TestRenderGolden renders every case twice, before and after documents
// with other glyph sets, and checks both renders against the recorded
// hashes: a font shared between documents must carry nothing from one
// document into the next.
func TestRenderGolden(t *testing.T) {
	golden := readGolden(t)
	for _, gc := range goldenCases(t) {
		t.Run(gc.name, func(t *testing.T) {
			first := gc.mustRender(t, "")
			for _, name := range gc.names {
				gc.mustRender(t, name)
			}
			again := gc.mustRender(t, "")
			if !bytes.Equal(first, again) {
				t.Fatalf("second render differs from the first (%d vs %d bytes)", len(again), len(first))
			}
			pdfHash, textHash := sha(first), sha(rawPDFText(t, first))
			want, ok := golden[gc.name]
			if *updateGolden {
				if ok && want.text != "" && want.text != textHash {
					t.Errorf("text hash %s, recorded with stock fpdf %s: not updating", textHash, want.text)
					return
				}
				golden[gc.name] = goldenHashes{pdf: pdfHash, text: textHash}
				return
			}
			if !ok {
				t.Fatalf("no hashes for %s in %s (run with -update-golden)", gc.name, goldenFile)
			}
			if pdfHash != want.pdf {
				t.Errorf("PDF SHA-256 %s, want %s", pdfHash, want.pdf)
			}
			if textHash != want.text {
				t.Errorf("pdftotext SHA-256 %s, want %s (stock fpdf)", textHash, want.text)
			}
		})
	}
	if *updateGolden && !t.Failed() {
		writeGolden(t, golden)
	}
}

// TestRenderConcurrent renders documents with different glyph sets from
// several goroutines at once (run it with -race) and compares each with a
// sequential render of the same input.
func TestRenderConcurrent(t *testing.T) {
	type job struct {
		gc   goldenCase
		name string
	}
	var jobs []job
	want := map[string][]byte{}
	for _, gc := range goldenCases(t) {
		for _, n := range append([]string{""}, gc.names...) {
			jobs = append(jobs, job{gc, n})
			want[gc.name+"/"+n] = gc.mustRender(t, n)
		}
	}
	const workers = 4
	var wg sync.WaitGroup
	errs := make(chan string, workers*len(jobs))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := range jobs {
				j := jobs[(i+w*5)%len(jobs)] // each worker in another order
				got, err := j.gc.render(j.name)
				if err != nil {
					errs <- fmt.Sprintf("%s with name %q: %v", j.gc.name, j.name, err)
				} else if !bytes.Equal(got, want[j.gc.name+"/"+j.name]) {
					errs <- fmt.Sprintf("%s with name %q: concurrent render differs from sequential", j.gc.name, j.name)
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
