package models

import (
	"strings"
	"testing"
	"unicode"
)

func TestValidCountry(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"CH", true}, {"PH", true}, {"SS", true}, {"CW", true}, {"AQ", true}, {"ZW", true},
		{"ch", false}, {"Ch", false}, {"", false}, {"C", false}, {"CHE", false},
		{"XK", false}, // user-assigned, not official
		{"UK", false}, // exceptionally reserved, not assigned
		{"EU", false}, {"ZZ", false}, {" CH", false},
	}
	for _, tt := range tests {
		if got := ValidCountry(tt.code); got != tt.want {
			t.Errorf("ValidCountry(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
	if got, want := len(countryCodes), 249; got != want {
		t.Errorf("len(countryCodes) = %d, want %d", got, want)
	}
}

func TestValidLanguage(t *testing.T) {
	tests := []struct {
		tag  string
		want bool
	}{
		{"tl", true},
		{"fil", true},
		{"zh-Hant-TW", true},
		{"ase", true},
		{"sgg", true},
		{"en-US-x-twain", true},
		{"fr", true},
		{"EN-us", true},
		{"sgn-ase", true},          // extlang
		{"zh-yue-HK", true},        // extlang and region
		{"es-419", true},           // numeric region
		{"sl-rozaj-biske", true},   // variants
		{"de-CH-1901", true},       // digit-initial variant
		{"en-a-bbb-x-a-ccc", true}, // extension then private use
		{"x-whatever", true},       // private use only
		{"i-klingon", true},        // grandfathered, irregular
		{"en-GB-oed", true},        // grandfathered, irregular
		{"sgn-CH-DE", true},        // grandfathered sign language
		{"zh-min-nan", true},       // grandfathered, regular
		{"", false},
		{"e", false},
		{"english language", false},
		{"english", false}, // 5-8 letter primary subtags are unregistered
		{"engl", false},    // 4 letters are reserved
		{"12", false},
		{"en_US", false},
		{"en-", false},
		{"-en", false},
		{"en--US", false},
		{"en-US-", false},
		{"en-x", false},                          // empty private use
		{"en-a", false},                          // empty extension
		{"en-a-b", false},                        // extension subtag too short
		{"de-1901-1901", false},                  // repeated variant
		{"en-a-bbb-a-ccc", false},                // repeated singleton
		{"en-US-US", false},                      // second region
		{"zh-abc-def-ghi-jkl", false},            // four extlangs
		{"en-abcdefghi", false},                  // subtag over 8
		{"tl ", false},                           // space
		{"tlé", false},                           // non-ASCII
		{strings.Repeat("a-", 17) + "aa", false}, // 36 characters
	}
	for _, tt := range tests {
		if got := ValidLanguage(tt.tag); got != tt.want {
			t.Errorf("ValidLanguage(%q) = %v, want %v", tt.tag, got, tt.want)
		}
	}
}

func TestCanonicalLanguage(t *testing.T) {
	tests := []struct{ tag, want string }{
		{"zh-hant-tw", "zh-Hant-TW"},
		{"EN-us", "en-US"},
		{"FIL", "fil"},
		{"en-US-X-TWAIN", "en-US-x-twain"},
		{"en-a-bb-x-cc", "en-a-bb-x-cc"},
		{"I-KLINGON", "i-klingon"},
		{"SGN-ch-de", "sgn-CH-DE"},
		{"es-419", "es-419"},
		{"not a tag", "not a tag"},
	}
	for _, tt := range tests {
		if got := CanonicalLanguage(tt.tag); got != tt.want {
			t.Errorf("CanonicalLanguage(%q) = %q, want %q", tt.tag, got, tt.want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"ana@example.org", true},
		{"focal.point+pdw@mission.example.ch", true},
		{"a@b.co", true},
		{"", false},
		{"ana", false},
		{"ana@example", false},      // no dot in the domain
		{"ana@@example.org", false}, // two @
		{"a@b@example.org", false},  // two @
		{"Ana <ana@example.org>", false},
		{"<ana@example.org>", false},
		{"ana@example.org (Ana)", false},
		{`"ana maria"@example.org`, false},
		{"ana @example.org", false},
		{"ana@example..org", false},
		{"ana@.example.org", false},
		{"ana@example.org.", false},
		{"ana@-example.org", false},
		{"ana@[192.0.2.1]", false},
		{".ana@example.org", false},
		{"ana.@example.org", false},
		{strings.Repeat("a", 64) + "@example.org", true},
		{strings.Repeat("a", 65) + "@example.org", false},
		{"a@" + strings.Repeat(strings.Repeat("b", 60)+".", 4) + "org", true},  // 250 characters
		{"a@" + strings.Repeat(strings.Repeat("b", 60)+".", 5) + "org", false}, // over 254
	}
	for _, tt := range tests {
		if got := ValidEmail(tt.s); got != tt.want {
			t.Errorf("ValidEmail(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func TestValidPhone(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"+41 22 123 45 67", true},
		{"(022) 123-4567", true},
		{"123456", true},
		{"12345", false},
		{"123456789012345678901", false},
		{"41+22123456", false},
		{"+41 22 123 45 67 ext. 3", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidPhone(tt.s); got != tt.want {
			t.Errorf("ValidPhone(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

func FuzzValidLanguage(f *testing.F) {
	for _, s := range []string{"tl", "fil", "zh-Hant-TW", "ase", "sgg", "en-US-x-twain", "", "e",
		"english language", "12", "sgn-ase", "de-CH-1901", "i-klingon", "en-a-bbb-x-a-ccc", "x-a", "es-419",
		"zh-yue-Hant-HK-rozaj-u-co-phonebk-x-private"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !ValidLanguage(s) {
			return
		}
		if len(s) > MaxLanguageTagLen || strings.IndexFunc(s, func(r rune) bool {
			return !(r == '-' || r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
		}) >= 0 {
			t.Fatalf("ValidLanguage(%q) = true for a tag with other characters or too long", s)
		}
		c := CanonicalLanguage(s)
		if !strings.EqualFold(c, s) || !ValidLanguage(c) {
			t.Fatalf("CanonicalLanguage(%q) = %q, not the same tag", s, c)
		}
		if CanonicalLanguage(c) != c {
			t.Fatalf("CanonicalLanguage is not idempotent on %q", c)
		}
		if !ValidLanguage(strings.ToUpper(s)) || !ValidLanguage(strings.ToLower(s)) {
			t.Fatalf("ValidLanguage(%q) depends on case", s)
		}
	})
}
