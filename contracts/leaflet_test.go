package contracts

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

// TestRenderLeaflet_Languages renders the leaflet in every language and
// finds the title, the policy's figures, the appointments and every help
// line in its text.
func TestRenderLeaflet_Languages(t *testing.T) {
	needTool(t, "pdftotext")
	cat, err := embeddedCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, tag := range allLanguages {
		t.Run(tag, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := RenderLeaflet(&buf, testLeaflet(t, tag), Options{}); err != nil {
				t.Fatal(err)
			}
			if n := pageCount(buf.Bytes()); n < 1 || n > 2 {
				t.Errorf("%d pages, want 1 or 2", n)
			}
			text := pdfText(t, buf.Bytes())
			l, _ := cat.lookup(tag)
			want := []string{
				l.text("leaflet.title", nil),
				l.text("leaflet.alone", nil),
				l.text("leaflet.appointments_heading", nil),
				"Maria Santos Dela Cruz",
				"Protocol Office duty line, +41 00 000 00 01",
				"+41 00 000 00 02", "+41 00 000 00 03", "Domestic Workers' Support Centre",
				l.date(*date("2026-07-15")),
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("missing %q", w)
				}
			}
			n := l.integer
			for _, fig := range []string{plain(l.amount(120000, "CHF")), n(45), n(11), l.number(1.5), n(4), n(8), n(14), n(12), "112"} {
				if !hasFigure(text, fig) {
					t.Errorf("missing figure %q", fig)
				}
			}
		})
	}
}

func TestRenderLeaflet_Deterministic(t *testing.T) {
	var a, b bytes.Buffer
	l := testLeaflet(t, "am")
	if err := RenderLeaflet(&a, l, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := RenderLeaflet(&b, l, Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renders of the same leaflet differ")
	}
}

func TestRenderLeaflet_InvalidInput(t *testing.T) {
	tests := []struct {
		name   string
		change func(l *Leaflet)
	}{
		{"IssuedAt", func(l *Leaflet) { l.IssuedAt = time.Time{} }},
		{"Wage", func(l *Leaflet) { l.Policy.MinMonthlyNetWageMinor = 0 }},
		{"Hours", func(l *Leaflet) { l.Policy.MaxWeeklyHours = 0 }},
		{"Arrival", func(l *Leaflet) { l.Policy.ArrivalRegistrationDays = 0 }},
		{"Hotline", func(l *Leaflet) { l.Help.Office = Contact{Name: "Office"} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := testLeaflet(t, "fr")
			tt.change(&l)
			if err := RenderLeaflet(&bytes.Buffer{}, l, Options{}); !errors.Is(err, ErrInvalidInput) {
				t.Errorf("err = %v, want ErrInvalidInput", err)
			}
		})
	}
	l := testLeaflet(t, "fr")
	l.Help.NGO.Name = "Центр 支援"
	if err := RenderLeaflet(&bytes.Buffer{}, l, Options{}); !errors.Is(err, ErrUnsupportedText) || !strings.Contains(err.Error(), "help ngo") {
		t.Errorf("err = %v, want ErrUnsupportedText naming help ngo", err)
	}
}
