package contracts

import (
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/models"
)

// TestNumberFormat: numbers, amounts and dates per language, from the
// embedded catalog (CLDR data through golang.org/x/text; the Arabic file
// asks for 0-9; dates in each file's date_format and month names).
func TestNumberFormat(t *testing.T) {
	cat, err := embeddedCatalog()
	if err != nil {
		t.Fatal(err)
	}
	d, _ := models.ParseDate("2026-09-01")
	for _, tc := range []struct {
		tag, amount, number, integer, date string
	}{
		{"en", "1,400.00", "1.5", "12,345", "1 September 2026"},
		{"fr", "1\u202f400,00", "1,5", "12\u202f345", "1 septembre 2026"},
		{"de", "1.400,00", "1,5", "12.345", "1. September 2026"},
		{"vi", "1.400,00", "1,5", "12.345", "1 tháng 9, 2026"},
		{"sw", "1,400.00", "1.5", "12,345", "1 Septemba 2026"},
		{"ar", "1,400.00", "1.5", "12,345", "1 سبتمبر 2026"},
		{"hi", "1,400.00", "1.5", "12,345", "1 सितंबर 2026"},
		{"ta", "1,400.00", "1.5", "12,345", "1 செப்டம்பர், 2026"},
		{"si", "1,400.00", "1.5", "12,345", "2026 සැප්තැම්බර් 1"},
		{"ne", "१,४००.००", "१.५", "१२,३४५", "२०२६ सेप्टेम्बर १"},
		{"bn", "১,৪০০.০০", "১.৫", "১২,৩৪৫", "১ সেপ্টেম্বর, ২০২৬"},
	} {
		l, err := cat.lookup(tc.tag)
		if err != nil {
			t.Fatal(err)
		}
		if got := l.amount(140000, "CHF"); got != tc.amount && !(tc.tag == "fr" && got == strings.ReplaceAll(tc.amount, "\u202f", "\u00a0")) {
			t.Errorf("%s: amount = %q, want %q", tc.tag, got, tc.amount)
		}
		if got := l.number(1.5); got != tc.number {
			t.Errorf("%s: number = %q, want %q", tc.tag, got, tc.number)
		}
		if got := l.integer(12345); got != tc.integer && !(tc.tag == "fr" && got == strings.ReplaceAll(tc.integer, "\u202f", "\u00a0")) {
			t.Errorf("%s: integer = %q, want %q", tc.tag, got, tc.integer)
		}
		if got := l.date(d); got != tc.date {
			t.Errorf("%s: date = %q, want %q", tc.tag, got, tc.date)
		}
	}
	// Currencies without minor units, and a three-decimal one.
	en, _ := cat.lookup("en")
	for _, tc := range []struct {
		minor    int64
		currency string
		want     string
	}{
		{1400, "JPY", "1,400"},
		{1400500, "KWD", "1,400.500"},
		{5, "CHF", "0.05"},
		{-140000, "CHF", "-1,400.00"},
		{-5, "CHF", "-0.05"},
	} {
		if got := en.amount(tc.minor, tc.currency); got != tc.want {
			t.Errorf("amount(%d, %s) = %q, want %q", tc.minor, tc.currency, got, tc.want)
		}
	}
}

// FuzzAmount: an amount written in any language reads back, once its
// digits are made ASCII and its grouping removed, as models.FormatAmount
// writes it.
func FuzzAmount(f *testing.F) {
	cat, err := embeddedCatalog()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []int64{0, 5, 140000, -140000, 1 << 53, -1 << 62} {
		f.Add(s, "CHF", "ne")
	}
	f.Add(int64(1400), "JPY", "fr")
	f.Add(int64(1400500), "KWD", "bn")
	f.Fuzz(func(t *testing.T, minor int64, currency, tag string) {
		l, err := cat.lookup(tag)
		if err != nil {
			return
		}
		got := l.amount(minor, currency)
		var b strings.Builder
		for _, r := range got {
			switch {
			case r >= '0' && r <= '9', r == '-':
				b.WriteRune(r)
			case string(r) == l.nums.decimal:
				b.WriteByte('.')
			default:
				for d, s := range l.nums.digits {
					if string(r) == s {
						b.WriteByte(byte('0' + d))
					}
				}
			}
		}
		if want := models.FormatAmount(minor, currency); b.String() != want {
			t.Errorf("amount(%d, %q) in %s = %q, reads back as %q, want %q", minor, currency, tag, got, b.String(), want)
		}
	})
}

// TestDateWithoutFormat: a message file without date_format (one written
// before it existed) writes dates year-month-day, in its digits.
func TestDateWithoutFormat(t *testing.T) {
	dir := t.TempDir()
	for _, tag := range []string{"fr", "ne"} {
		f := embeddedFile(t, tag)
		f.DateFormat, f.Months = "", nil
		writeOverride(t, dir, tag+".json", f)
	}
	cat, err := LoadMessages(dir)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := models.ParseDate("2026-09-01")
	for tag, want := range map[string]string{"fr": "2026-09-01", "ne": "२०२६-०९-०१", "de": "1. September 2026"} {
		l, _ := cat.lookup(tag)
		if got := l.date(d); got != want {
			t.Errorf("%s: date = %q, want %q", tag, got, want)
		}
	}
}
