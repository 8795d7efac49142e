package contracts

import (
	"strings"
	"testing"
)

// TestCatalog_PageMessages checks the worker page's texts: every language
// has them, placeholders are filled, and Arabic is right to left.
func TestCatalog_PageMessages(t *testing.T) {
	cat, err := LoadMessages("")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range cat.Languages() {
		for key, vars := range schema {
			if !strings.HasPrefix(key, "page.") {
				continue
			}
			m := map[string]string{}
			for _, v := range vars {
				m[v] = "<" + v + ">"
			}
			got, err := cat.Message(lang, key, m)
			if err != nil {
				t.Errorf("%s %s: %v", lang, key, err)
				continue
			}
			for _, v := range vars {
				if !strings.Contains(got, "<"+v+">") {
					t.Errorf("%s %s=%q lacks {%s}", lang, key, got, v)
				}
			}
		}
	}
	tests := []struct {
		tag string
		rtl bool
	}{{"ar", true}, {"en", false}, {"am", false}, {"fr-CH", false}, {"xx", false}}
	for _, tt := range tests {
		if got := cat.RightToLeft(tt.tag); got != tt.rtl {
			t.Errorf("RightToLeft(%q)=%v, want %v", tt.tag, got, tt.rtl)
		}
	}
	if _, err := cat.Message("en", "page.next_date", nil); err == nil {
		t.Error("a missing placeholder value gave no error")
	}
	if _, err := cat.Message("en", "page.nope", nil); err == nil {
		t.Error("an unknown key gave no error")
	}
	if cat.Has("xx") || !cat.Has("pt-BR") {
		t.Error("Has: xx or pt-BR wrong")
	}
}
