package models

import (
	"strings"
	"testing"
)

func TestCurrencyExponent(t *testing.T) {
	tests := []struct {
		code   string
		want   int
		wantOK bool
	}{
		{"CHF", 2, true}, {"EUR", 2, true}, {"USD", 2, true}, {"PHP", 2, true},
		{"JPY", 0, true}, {"KRW", 0, true}, {"XOF", 0, true},
		{"KWD", 3, true}, {"BHD", 3, true}, {"TND", 3, true},
		{"CLF", 4, true}, {"UYW", 4, true},
		{"XCG", 2, true}, {"ZWG", 2, true}, {"SLE", 2, true},
		{"chf", 0, false}, {"", 0, false}, {"XAU", 0, false}, {"XXX", 0, false},
		{"HRK", 0, false}, {"ANG", 0, false}, {"ZWL", 0, false}, {"SLL", 0, false}, {"BGN", 0, false},
	}
	for _, tt := range tests {
		got, ok := CurrencyExponent(tt.code)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("CurrencyExponent(%q) = %d, %v, want %d, %v", tt.code, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		s, currency string
		want        int64
		wantErr     string
	}{
		{"1200.00", "CHF", 120000, ""},
		{"1200", "CHF", 120000, ""},
		{"1200.5", "CHF", 120050, ""},
		{"0", "CHF", 0, ""},
		{"0.01", "CHF", 1, ""},
		{"007.10", "CHF", 710, ""},
		{"1200", "JPY", 1200, ""},
		{"1.234", "KWD", 1234, ""},
		{"1000000000000", "CHF", 100000000000000, ""},
		{"1000000000000.00", "CHF", 100000000000000, ""},
		{"1000000000000.01", "CHF", 0, "must be at most 1000000000000.00"},
		{"99999999999999999999999", "CHF", 0, "must be at most 1000000000000.00"},
		{"1200.000", "CHF", 0, "must have at most 2 decimal places"},
		{"1200.5", "JPY", 0, "must be a whole amount: JPY has no minor unit"},
		{"", "CHF", 0, "must be an amount like 1200.00"},
		{"-1200", "CHF", 0, "must be an amount like 1200.00"},
		{"+1200", "CHF", 0, "must be an amount like 1200.00"},
		{"1e3", "CHF", 0, "must be an amount like 1200.00"},
		{"1 200", "CHF", 0, "must be an amount like 1200.00"},
		{" 1200", "CHF", 0, "must be an amount like 1200.00"},
		{"1,200.00", "CHF", 0, "must be an amount like 1200.00"},
		{"1'200.00", "CHF", 0, "must be an amount like 1200.00"},
		{"1200,00", "CHF", 0, "must be an amount like 1200.00"},
		{"1200.", "CHF", 0, "must be an amount like 1200.00"},
		{".50", "CHF", 0, "must be an amount like 1200.00"},
		{"1.2.3", "CHF", 0, "must be an amount like 1200.00"},
		{"NaN", "CHF", 0, "must be an amount like 1200.00"},
		{"x", "JPY", 0, "must be an amount like 1200"},
		{"x", "KWD", 0, "must be an amount like 1200.000"},
		{"1200", "XYZ", 0, "cannot be read: the currency is not a known ISO 4217 code"},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.s, tt.currency)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if got != tt.want || gotErr != tt.wantErr {
			t.Errorf("ParseAmount(%q, %q) = %d, %q, want %d, %q", tt.s, tt.currency, got, gotErr, tt.want, tt.wantErr)
		}
	}
}

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		minor    int64
		currency string
		want     string
	}{
		{120000, "CHF", "1200.00"},
		{5, "CHF", "0.05"},
		{0, "CHF", "0.00"},
		{1200, "JPY", "1200"},
		{1500, "KWD", "1.500"},
		{7, "CLF", "0.0007"},
		{-150, "CHF", "-1.50"},
		{120000, "???", "1200.00"},
	}
	for _, tt := range tests {
		if got := FormatAmount(tt.minor, tt.currency); got != tt.want {
			t.Errorf("FormatAmount(%d, %q) = %q, want %q", tt.minor, tt.currency, got, tt.want)
		}
	}
}

func TestAmountRoundTrip(t *testing.T) {
	for _, cur := range []string{"CHF", "JPY", "KWD", "CLF"} {
		exp, _ := CurrencyExponent(cur)
		for _, v := range []int64{0, 1, 9, 10, 99, 100, 101, 120000, 123456789, MaxAmountMajor * pow10[exp]} {
			s := FormatAmount(v, cur)
			got, err := ParseAmount(s, cur)
			if err != nil || got != v {
				t.Errorf("ParseAmount(FormatAmount(%d, %s) = %q) = %d, %v", v, cur, s, got, err)
			}
		}
	}
}

func FuzzParseAmount(f *testing.F) {
	currencies := []string{"CHF", "JPY", "KWD", "CLF", "EUR"}
	for _, s := range []string{"1200.00", "1200", "0", "0.5", "-1", "1e3", "1,200", "1000000000000.00",
		"1000000000000.01", "99999999999999999999", "", ".", "1.", ".1", "00000000000000000001.1"} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(2))
	}
	f.Fuzz(func(t *testing.T, s string, c uint8) {
		cur := currencies[int(c)%len(currencies)]
		v, err := ParseAmount(s, cur)
		if err != nil {
			if v != 0 || err.Error() == "" {
				t.Fatalf("ParseAmount(%q, %s) = %d, %v", s, cur, v, err)
			}
			return
		}
		exp, _ := CurrencyExponent(cur)
		if v < 0 || v > MaxAmountMajor*pow10[exp] {
			t.Fatalf("ParseAmount(%q, %s) = %d out of range", s, cur, v)
		}
		if strings.Trim(s, "0123456789.") != "" || strings.Count(s, ".") > 1 {
			t.Fatalf("ParseAmount accepted %q", s)
		}
		out := FormatAmount(v, cur)
		back, err := ParseAmount(out, cur)
		if err != nil || back != v {
			t.Fatalf("round trip of %q (%s): %d -> %q -> %d, %v", s, cur, v, out, back, err)
		}
	})
}
