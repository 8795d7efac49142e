package models

import (
	"net/mail"
	"strings"
)

// countryCodes holds the 249 officially assigned ISO 3166-1 alpha-2 codes
// (user-assigned codes such as XK are not included).
var countryCodes = codeSet(
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE " +
		"BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD " +
		"CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM " +
		"DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF " +
		"GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU " +
		"ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN " +
		"KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME " +
		"MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA " +
		"NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM " +
		"PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI " +
		"SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK " +
		"TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI " +
		"VN VU WF WS YE YT ZA ZM ZW")

func codeSet(list string) map[string]bool {
	m := make(map[string]bool)
	for _, c := range strings.Fields(list) {
		m[c] = true
	}
	return m
}

// ValidCountry reports whether code is an officially assigned ISO 3166-1
// alpha-2 code written in upper case ("CH", not "ch").
func ValidCountry(code string) bool { return countryCodes[code] }

// grandfathered maps the lower-case form of each tag RFC 5646 section 2.2.8
// grandfathers to its conventional spelling. The irregular ones do not
// follow the langtag syntax and are accepted only from this list.
var grandfathered = func() map[string]string {
	m := make(map[string]string)
	for _, t := range strings.Fields(`en-GB-oed i-ami i-bnn i-default i-enochian
		i-hak i-klingon i-lux i-mingo i-navajo i-pwn i-tao i-tay i-tsu sgn-BE-FR
		sgn-BE-NL sgn-CH-DE art-lojban cel-gaulish no-bok no-nyn zh-guoyu zh-hakka
		zh-min zh-min-nan zh-xiang`) {
		m[strings.ToLower(t)] = t
	}
	return m
}()

// MaxLanguageTagLen is the longest language tag the registry stores.
const MaxLanguageTagLen = 35

// ValidLanguage reports whether tag is a well-formed BCP 47 language tag
// (RFC 5646 section 2.1 syntax, case-insensitive): a primary language of 2
// or 3 letters ("tl", "fil", and sign languages such as "ase" or "sgg"),
// up to three extended language subtags, an optional 4-letter script, an
// optional region (2 letters or 3 digits), variants, extensions and a
// private-use part ("en-US-x-twain"); a tag that is private use only
// ("x-..."), or one of the grandfathered tags. The syntax also allows 4- to
// 8-letter primary subtags, but only registered ones are meaningful and the
// IANA registry holds none, so they are refused, as are repeated variants
// or extension singletons, spaces, the empty string and tags over
// MaxLanguageTagLen characters.
func ValidLanguage(tag string) bool {
	if tag == "" || len(tag) > MaxLanguageTagLen {
		return false
	}
	lower := strings.ToLower(tag)
	if _, ok := grandfathered[lower]; ok {
		return true
	}
	parts := strings.Split(lower, "-")
	for _, p := range parts {
		if len(p) < 1 || len(p) > 8 || !isAlnum(p) {
			return false
		}
	}
	n := len(parts)
	i := 0
	if parts[0] != "x" {
		// language
		if l := len(parts[0]); l < 2 || l > 3 || !isAlpha(parts[0]) {
			return false
		}
		i = 1
		// extlang
		for k := 0; k < 3 && i < n && len(parts[i]) == 3 && isAlpha(parts[i]); k++ {
			i++
		}
		// script
		if i < n && len(parts[i]) == 4 && isAlpha(parts[i]) {
			i++
		}
		// region
		if i < n && (len(parts[i]) == 2 && isAlpha(parts[i]) || len(parts[i]) == 3 && isDigits(parts[i])) {
			i++
		}
		// variants
		seen := make(map[string]bool)
		for i < n && isVariant(parts[i]) {
			if seen[parts[i]] {
				return false
			}
			seen[parts[i]] = true
			i++
		}
		// extensions
		singletons := make(map[string]bool)
		for i < n && len(parts[i]) == 1 && parts[i] != "x" {
			if singletons[parts[i]] {
				return false
			}
			singletons[parts[i]] = true
			i++
			start := i
			for i < n && len(parts[i]) >= 2 {
				i++
			}
			if i == start {
				return false
			}
		}
	}
	// private use: "x" then one or more subtags of 1 to 8 characters
	if i < n && parts[i] == "x" {
		if i == n-1 {
			return false
		}
		i = n
	}
	return i == n
}

// CanonicalLanguage returns tag in the case conventions of RFC 5646
// section 2.1.1 ("zh-hant-tw" -> "zh-Hant-TW"): lower case, except title
// case for a script and upper case for a two-letter region. Tags that are
// not ValidLanguage are returned unchanged.
func CanonicalLanguage(tag string) string {
	if !ValidLanguage(tag) {
		return tag
	}
	lower := strings.ToLower(tag)
	if g, ok := grandfathered[lower]; ok {
		return g
	}
	parts := strings.Split(lower, "-")
	for i := 1; i < len(parts); i++ {
		p := parts[i]
		if len(p) == 1 {
			break // extensions and private use stay lower case
		}
		switch {
		case len(p) == 2:
			parts[i] = strings.ToUpper(p)
		case len(p) == 4 && isAlpha(p):
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "-")
}

func isVariant(p string) bool {
	switch {
	case len(p) >= 5 && len(p) <= 8:
		return isAlnum(p)
	case len(p) == 4:
		return p[0] >= '0' && p[0] <= '9' && isAlnum(p)
	}
	return false
}

func isAlpha(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

// MaxEmailLen is the longest e-mail address accepted (RFC 5321 path limit).
const MaxEmailLen = 254

// ValidEmail reports whether s is a bare e-mail address ("ana@example.org",
// no display name, no angle brackets, no comments) of at most MaxEmailLen
// characters, with exactly one "@" and a domain that has a dot.
func ValidEmail(s string) bool {
	if s == "" || len(s) > MaxEmailLen || strings.Count(s, "@") != 1 {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f {
			return false
		}
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.IndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if local == "" || len(local) > 64 || !strings.Contains(domain, ".") {
		return false
	}
	for _, label := range strings.Split(domain, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c >= 0x80) {
				return false
			}
		}
	}
	return true
}
