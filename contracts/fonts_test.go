package contracts

import (
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

func TestFonts_Coverage(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		f    *face
		r    rune
		want bool
	}{
		{notoSans, 'A', true},
		{notoSans, 'é', true},
		{notoSans, 'Ж', true},
		{notoSans, 'ሀ', false},
		{notoSans, '王', false},
		{notoSansBold, '€', true},
		{notoEthiopic, 'ሀ', true},
		{notoEthiopic, '።', true},
		{notoEthiopicBold, 'ፊ', true},
		{notoEthiopic, 'A', false},
		{notoEthiopic, '1', false},
		{notoEthiopic, ' ', true},
		{notoSans, 0x1F372, false},
	}
	for _, tt := range tests {
		if got := tt.f.covers(tt.r); got != tt.want {
			t.Errorf("%s covers %U = %v, want %v", tt.f.file, tt.r, got, tt.want)
		}
	}
	// Digits in Amharic text fall back to the Latin font.
	if f := faceFor(scripts["Ethi"], false, '1'); f != notoSans {
		t.Errorf("faceFor(Ethi, '1') = %v, want Noto Sans", f.file)
	}
	if f := faceFor(scripts["Latn"], true, 'ሀ'); f != notoEthiopicBold {
		t.Errorf("faceFor(Latn bold, 'ሀ') = %v, want Noto Sans Ethiopic Bold", f.file)
	}
}

// TestFonts_WidthsMatchFpdf checks the layout's widths against fpdf's own
// for the same fonts, so that measured lines are the lines drawn.
func TestFonts_WidthsMatchFpdf(t *testing.T) {
	if err := loadFonts(); err != nil {
		t.Fatal(err)
	}
	for _, f := range allFaces {
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.AddUTF8FontFromBytes(f.family, f.style, f.data)
		pdf.SetFont(f.family, f.style, 10)
		for _, s := range []string{"Maria Santos Dela Cruz, 1200.00 CHF", "Français : «éàç»", "ሠራተኛው የሚሠራው ለዚህ አሠሪ ብቻ ነው።"} {
			var units int
			for _, r := range s {
				if f.covers(r) {
					units += f.width(r)
				}
			}
			var covered []rune
			for _, r := range s {
				if f.covers(r) {
					covered = append(covered, r)
				}
			}
			if got, want := units, pdf.GetStringSymbolWidth(string(covered)); got != want {
				t.Errorf("%s: width of %q = %d, fpdf says %d", f.file, string(covered), got, want)
			}
		}
		if err := pdf.Error(); err != nil {
			t.Fatal(err)
		}
	}
}

func TestParseMetrics_Bad(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("not a font at all"), make([]byte, 40)} {
		if _, err := parseMetrics(b); err == nil {
			t.Errorf("parseMetrics(%q) succeeded", b)
		}
	}
}
