package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/models"
)

// sameInEveryLanguage are report texts spelt alike in English and French.
var sameInEveryLanguage = map[string]bool{"Sanctions": true}

// TestReportTexts: every section title, every fixed figure's label and
// every dynamic figures' pattern of models.ReportSections has a console
// text in each language, the English one the report's own.
func TestReportTexts(t *testing.T) {
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	type want struct{ key, en string }
	var keys []want
	for _, sd := range models.ReportSections {
		keys = append(keys, want{"report.section." + sd.Key, sd.Title})
		for _, md := range sd.Metrics {
			keys = append(keys, want{"report.m." + md.Key, md.Label})
		}
		if sd.Dynamic != "" {
			keys = append(keys, want{"report.dyn." + sd.Key, sd.DynamicLabel})
		}
	}
	for _, lang := range models.ConsoleLanguages {
		for _, k := range keys {
			got, ok := cat.langs[lang][k.key]
			switch {
			case !ok:
				t.Errorf("%s: no text %s (%q)", lang, k.key, k.en)
			case lang == "en" && got != k.en:
				t.Errorf("en: %s is %q, the report's label is %q", k.key, got, k.en)
			case lang != "en" && got == k.en && !sameInEveryLanguage[got]:
				t.Errorf("%s: %s is the English %q", lang, k.key, got)
			}
		}
	}
}

// TestWeb_ReportLanguage: the report page's titles and labels follow the
// console's language, dynamic figures included; the English page keeps
// the report's labels.
func TestWeb_ReportLanguage(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		appt, _ := e.startedAppointment("tl")
		e.must(http.StatusSeeOther, "officer", "POST", "/appointments/"+appt+"/interview", interviewValues(nil))
		path := "/reports/compliance?from=2026-01-01&to=2026-11-30"

		en := e.must(http.StatusOK, "officer", "GET", path, nil).Body
		for _, s := range []string{`<h2 id="h-sec-register">Register</h2>`, `<h2 id="h-sec-contracts">Contracts</h2>`,
			"<th scope=\"row\">Employments active in the period</th>", "<th scope=\"row\">" + escaped("% of contracts signed") + "</th>",
			"<th scope=\"row\">Interviews at risk level none</th>", "<th scope=\"row\">Briefings held in Filipino</th>", "All missions, from"} {
			if !strings.Contains(en, s) {
				t.Errorf("English report lacks %q", s)
			}
		}
		if strings.Contains(en, "Registre") || strings.Contains(en, "pendant la période") {
			t.Errorf("English report shows French")
		}

		e.must(http.StatusSeeOther, "officer", "POST", "/account/language", url.Values{"language": {"fr"}})
		fr := e.must(http.StatusOK, "officer", "GET", path, nil).Body
		for _, s := range []string{`<h2 id="h-sec-register">Registre</h2>`, `<h2 id="h-sec-contracts">Contrats</h2>`,
			`<h2 id="h-sec-indicators">` + escaped("Indicateurs de travail forcé de l'OIT") + `</h2>`,
			"<th scope=\"row\">Emplois actifs pendant la période</th>",
			"<th scope=\"row\">" + escaped("% des contrats signés par les deux parties") + "</th>",
			"<th scope=\"row\">Entretiens, niveau de risque : aucun</th>", "<th scope=\"row\">" + escaped("Séances d'information tenues en filipino") + "</th>",
			"Toutes les missions, du"} {
			if !strings.Contains(fr, s) {
				t.Errorf("French report lacks %q", s)
			}
		}
		for _, s := range []string{">Register<", ">Employments active in the period<", escaped("% of contracts signed"),
			"Interviews at risk level", "All missions"} {
			if strings.Contains(fr, s) {
				t.Errorf("French report shows the English %q", s)
			}
		}
	})
}

// TestReportLabels: a dynamic figure's label names its level, indicator,
// kind of organisation or language in the console's language, and any
// figure the console has no text for keeps the report's English label.
func TestReportLabels(t *testing.T) {
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	w := &Web{text: cat}
	for _, tc := range []struct {
		lang, key, label, want string
	}{
		{"fr", "active", "Employments active in the period", "Emplois actifs pendant la période"},
		{"en", "active", "Employments active in the period", "Employments active in the period"},
		{"fr", "risk.high", "Interviews at risk level high", "Entretiens, niveau de risque : élevé"},
		{"en", "risk.high", "Interviews at risk level high", "Interviews at risk level high"},
		{"fr", "indicator.debt_bondage", "Interviews showing debt bondage", "Entretiens faisant apparaître l'indicateur : servitude pour dettes"},
		{"en", "indicator.debt_bondage", "Interviews showing debt bondage", "Interviews showing debt bondage"},
		{"fr", "referral.ngo", "Referrals to ngo", "Orientations, type d'organisation : ONG"},
		{"en", "referral.ngo", "Referrals to ngo", "Referrals to NGO"},
		{"fr", "language.en", "Briefings held in en", "Séances d'information tenues en anglais"},
		{"en", "language.am", "Briefings held in am", "Briefings held in Amharic"},
		// No console text: the report's label.
		{"fr", "risk.extreme", "Interviews at risk level extreme", "Interviews at risk level extreme"},
		{"fr", "indicator.new_one", "Interviews showing new one", "Interviews showing new one"},
		{"fr", "referral.embassy", "Referrals to embassy", "Referrals to embassy"},
		{"fr", "language.zz", "Briefings held in zz", "Briefings held in zz"},
		{"fr", "language.x-foo", "Briefings held in x-foo", "Briefings held in x-foo"},
		{"fr", "a_figure_added_later", "A figure added later", "A figure added later"},
	} {
		v := &view{w: w, Lang: tc.lang}
		if got := metricLabel(v, models.ReportMetric{Key: tc.key, Label: tc.label}); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.lang, tc.key, got, tc.want)
		}
	}
	secs := translateSections(&view{w: w, Lang: "fr"}, []models.ReportSection{{Key: "new_section", Title: "New section"}, {Key: "pay", Title: "Pay and insurance evidence"}})
	if secs[0].Title != "New section" || secs[1].Title != "Preuves de paiement et d'assurance" {
		t.Errorf("titles %q, %q", secs[0].Title, secs[1].Title)
	}
}
