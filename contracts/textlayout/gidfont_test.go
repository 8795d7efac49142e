package textlayout

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-text/typesetting/font"
)

// Tests read the product's font files; textlayout itself embeds none.
const fontDir = "../fonts"

func readFont(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(fontDir, name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func newDoc() *fpdf.Fpdf {
	pdf := fpdf.New("P", "pt", "A4", "")
	pdf.SetCreationDate(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	pdf.SetModificationDate(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	pdf.SetCatalogSort(true)
	pdf.AddPage()
	return pdf
}

func TestGlyphIDFont(t *testing.T) {
	for _, name := range []string{"NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf", "NotoSans-Regular.ttf", "NotoSansDevanagari-Regular.ttf"} {
		t.Run(name, func(t *testing.T) {
			orig := readFont(t, name)
			gid, err := GlyphIDFont(orig)
			if err != nil {
				t.Fatal(err)
			}
			face, err := font.ParseTTF(bytes.NewReader(gid))
			if err != nil {
				t.Fatalf("go-text cannot parse the glyph-id font: %v", err)
			}
			origFace, err := font.ParseTTF(bytes.NewReader(orig))
			if err != nil {
				t.Fatal(err)
			}
			n := int(binary.BigEndian.Uint16(tableOf(t, gid, "maxp")[4:]))
			if n == 0 || n > MaxGlyphs {
				t.Fatalf("numGlyphs %d", n)
			}
			for _, g := range []int{0, 1, 2, 3, 100, n / 2, n - 2, n - 1} {
				got, ok := face.NominalGlyph(rune(PUABase + g))
				if !ok || int(got) != g {
					t.Errorf("NominalGlyph(U+%04X) = %d, %v; want %d", PUABase+g, got, ok, g)
				}
				if a, b := face.HorizontalAdvance(font.GID(g)), origFace.HorizontalAdvance(font.GID(g)); a != b {
					t.Errorf("glyph %d advance %v, original %v", g, a, b)
				}
			}
			if g, ok := face.NominalGlyph(rune(PUABase + n)); ok {
				t.Errorf("U+%04X (past the last glyph) maps to %d", PUABase+n, g)
			}
			if g, ok := face.NominalGlyph('A'); ok {
				t.Errorf("'A' still maps to %d", g)
			}

			// Directory: sorted tags, 4-byte aligned offsets, valid checksums,
			// and the whole-file sum that head.checkSumAdjustment completes.
			numTables := int(binary.BigEndian.Uint16(gid[4:]))
			prev := ""
			for i := range numTables {
				rec := gid[12+16*i:]
				tag := string(rec[:4])
				off := binary.BigEndian.Uint32(rec[8:])
				length := binary.BigEndian.Uint32(rec[12:])
				if tag <= prev {
					t.Errorf("table %q after %q: directory not sorted", tag, prev)
				}
				prev = tag
				if off%4 != 0 {
					t.Errorf("table %q at offset %d: not 4-byte aligned", tag, off)
				}
				data := slices.Clone(gid[off : off+length])
				if tag == "head" {
					binary.BigEndian.PutUint32(data[8:], 0)
				}
				if got, want := binary.BigEndian.Uint32(rec[4:]), checksum(data); got != want {
					t.Errorf("table %q checksum %#x, want %#x", tag, got, want)
				}
				if tag != "cmap" && tag != "OS/2" && !bytes.Equal(gid[off:off+length], tableOf(t, orig, tag)) && tag != "head" {
					t.Errorf("table %q changed", tag)
				}
			}
			if sum := checksum(gid); sum != 0xB1B0AFBA {
				t.Errorf("whole-font checksum %#x, want 0xB1B0AFBA", sum)
			}

			// fpdf accepts and embeds it.
			pdf := newDoc()
			pdf.AddUTF8FontFromBytes("gid", "", gid)
			pdf.SetFont("gid", "", 12)
			pdf.Text(20, 20, glyphString(1)+glyphString(uint16(n-1)))
			var out bytes.Buffer
			if err := pdf.Output(&out); err != nil {
				t.Fatalf("fpdf: %v", err)
			}
			if out.Len() < 1000 {
				t.Errorf("PDF only %d bytes", out.Len())
			}
		})
	}
}

func tableOf(t *testing.T, ttf []byte, tag string) []byte {
	t.Helper()
	tables, err := readTableDirectory(ttf)
	if err != nil {
		t.Fatal(err)
	}
	return tables[tag]
}

func TestGlyphIDFontRefuses(t *testing.T) {
	naskh := readFont(t, "NotoNaskhArabic-Regular.ttf")
	patched := func(f func(b []byte)) []byte {
		b := slices.Clone(naskh)
		f(b)
		return b
	}
	tableRecord := func(b []byte, tag string) []byte {
		n := int(binary.BigEndian.Uint16(b[4:]))
		for i := range n {
			if rec := b[12+16*i:]; string(rec[:4]) == tag {
				return rec
			}
		}
		t.Fatalf("no %q table", tag)
		return nil
	}
	tests := []struct {
		name string
		ttf  []byte
		want string
	}{
		{"OTTO", patched(func(b []byte) { copy(b, "OTTO") }), "CFF"},
		{"CFF table", patched(func(b []byte) { copy(tableRecord(b, "GDEF"), "CFF ") }), "CFF"},
		{"collection", patched(func(b []byte) { copy(b, "ttcf") }), "collection"},
		{"too many glyphs", patched(func(b []byte) {
			off := binary.BigEndian.Uint32(tableRecord(b, "maxp")[8:])
			binary.BigEndian.PutUint16(b[off+4:], MaxGlyphs+1)
		}), "6401 glyphs"},
		{"table outside file", patched(func(b []byte) {
			binary.BigEndian.PutUint32(tableRecord(b, "glyf")[12:], uint32(len(b)))
		}), "outside"},
		{"no glyf", patched(func(b []byte) { copy(tableRecord(b, "glyf"), "glyX") }), "glyf"},
		{"truncated", naskh[:40], "truncated"},
		{"empty", nil, "too short"},
		{"not a font", []byte("%PDF-1.4 this is not a font at all"), "not a TrueType font"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := GlyphIDFont(tc.ttf)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}
