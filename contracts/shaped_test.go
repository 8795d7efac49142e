package contracts

import "testing"

// TestFillIsolated: values inserted in right-to-left text are isolated;
// an empty value is left empty.
func TestFillIsolated(t *testing.T) {
	tpl, err := parseTemplate("قدره {wage} {currency}{x}.", []string{"wage", "currency", "x"})
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"wage": "1200.00", "currency": "CHF", "x": ""}
	if got, want := tpl.fillIsolated(vars, true), "قدره \u20681200.00\u2069 \u2068CHF\u2069."; got != want {
		t.Errorf("fillIsolated = %q, want %q", got, want)
	}
	if got, want := tpl.fill(vars), "قدره 1200.00 CHF."; got != want {
		t.Errorf("fill = %q, want %q", got, want)
	}
}

func TestAfter(t *testing.T) {
	for _, tc := range []struct {
		text, first, rest string
		ok                bool
	}{
		{"one two three", "one two", "three", true},
		{"one  two", "one", "two", true},
		{"one\ntwo", "one", "two", true},
		{"one \n\nthree", "one", "\nthree", true},
		{"one", "one", "", true},
		{"onetwo", "one", "", false}, // broken inside a word
		{"one two", "two", "", false},
		{"one two", "", "", false},
	} {
		rest, ok := after(tc.text, tc.first)
		if rest != tc.rest || ok != tc.ok {
			t.Errorf("after(%q, %q) = %q, %v; want %q, %v", tc.text, tc.first, rest, ok, tc.rest, tc.ok)
		}
	}
}

func TestPrefix(t *testing.T) {
	for _, tc := range []struct {
		text string
		n    float64
		want string
	}{
		{"one two three", 2, "one"},
		{"one two three", 4, "one two"},
		{"one two three", 20, "one two three"},
		{"a \u2068Maria Santos Dela\u2069 cruz", 3, "a \u2068Maria Santos Dela\u2069"}, // not inside an isolate
		{"", 1, ""},
	} {
		if got := prefix(tc.text, tc.n); got != tc.want {
			t.Errorf("prefix(%q, %v) = %q, want %q", tc.text, tc.n, got, tc.want)
		}
	}
}
