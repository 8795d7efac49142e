package models

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// The sixteen languages of issue 9.
var mailWant = []string{"am", "ar", "bn", "de", "en", "es", "fr", "hi", "id", "ne", "pt", "si", "sw", "ta", "tl", "vi"}

func TestMailTexts_EveryLanguage(t *testing.T) {
	if got := strings.Join(ReminderLanguages, " "); got != strings.Join(mailWant, " ") {
		t.Fatalf("ReminderLanguages = %s, want %s", got, strings.Join(mailWant, " "))
	}
	loc := time.FixedZone("CET", 3600)
	start := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	f := ReminderFacts{StartsAt: start, EndsAt: start.Add(45 * time.Minute), Place: "Rue 1, Bern", WorkerName: "Ana Reyes"}
	for _, tag := range mailWant {
		tx := MailTextsFor(tag)
		if tx.Language() != tag {
			t.Fatalf("MailTextsFor(%s) gave %s", tag, tx.Language())
		}
		if want := "draft translation"; tag != "en" && tx.Status() != want {
			t.Errorf("%s: status %q, want %q", tag, tx.Status(), want)
		}
		for _, who := range []string{RecipientWorker, RecipientMission} {
			m := ComposeReminder(who, tag, f, loc)
			text := m.Subject + "\n" + m.Body
			if m.Language != tag || strings.ContainsAny(text, "{}") {
				t.Errorf("%s %s: language %s, text %q", tag, who, m.Language, text)
			}
			if !strings.Contains(m.Body, "Rue 1, Bern") || !strings.Contains(m.Body, tx.Clock(start.In(loc))) || !strings.Contains(m.Subject, tx.Date(start.In(loc))) {
				t.Errorf("%s %s: lacks place, time or date:\n%s", tag, who, text)
			}
			if got := strings.Contains(text, "Ana Reyes"); got != (who == RecipientMission) {
				t.Errorf("%s %s: names the worker = %v", tag, who, got)
			}
		}
	}
}

func TestMailTexts_Formats(t *testing.T) {
	tm := time.Date(2026, 12, 1, 9, 5, 0, 0, time.UTC) // a Tuesday
	for _, tc := range []struct{ tag, date, clock, weekday string }{
		{"en", "2026-12-01", "09:05", "Tuesday"},
		{"fr", "01.12.2026", "09:05", "mardi"},
		{"ne", "२०२६-१२-०१", "०९:०५", "मङ्गलबार"},
		{"bn", "০১/১২/২০২৬", "০৯:০৫", "মঙ্গলবার"},
		{"ar", "2026-12-01", "09:05", "الثلاثاء"},
	} {
		tx := MailTextsFor(tc.tag)
		if got := tx.Date(tm); got != tc.date {
			t.Errorf("%s: Date = %q, want %q", tc.tag, got, tc.date)
		}
		if got := tx.Clock(tm); got != tc.clock {
			t.Errorf("%s: Clock = %q, want %q", tc.tag, got, tc.clock)
		}
		if got := tx.Weekday(tm); got != tc.weekday {
			t.Errorf("%s: Weekday = %q, want %q", tc.tag, got, tc.weekday)
		}
	}
}

func TestMailLanguage(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ne", "ne"}, {"NE", "ne"}, {"pt-BR", "pt"}, {"sw-KE", "sw"}, {"zh", "en"}, {"", "en"}, {"not a tag!", "en"},
	} {
		if got := MailLanguage(tc.in); got != tc.want {
			t.Errorf("MailLanguage(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := ReminderLanguage([]string{"bn", "en"}); got != "bn" {
		t.Errorf("ReminderLanguage = %q", got)
	}
}

// TestLoadMailTexts_Problems: a file with a missing key, a wrong
// placeholder or bad digits is refused, naming the language and key.
func TestLoadMailTexts_Problems(t *testing.T) {
	en, err := mailFS.ReadFile("mailtexts/en.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func(f *mailFile)
		want   string
	}{
		{"missing key", func(f *mailFile) { delete(f.Messages, "notify.alone") }, `xx: missing key "notify.alone"`},
		{"unknown placeholder", func(f *mailFile) { f.Messages["notify.set"] = "{worker} {who}" }, `key "notify.set": unknown placeholder {who}`},
		{"missing placeholder", func(f *mailFile) { f.Messages["alert.subject"] = "attention" }, `key "alert.subject": placeholder {employment} is missing`},
		{"unknown key", func(f *mailFile) { f.Messages["notify.extra"] = "x" }, `unknown key "notify.extra"`},
		{"digits", func(f *mailFile) { f.Digits = "0123" }, `"digits" must be the ten digits`},
		{"weekdays", func(f *mailFile) { f.Weekdays = f.Weekdays[:6] }, `"weekdays"`},
		{"layout", func(f *mailFile) { f.DateLayout = "date" }, `"date_layout"`},
		{"ok", func(f *mailFile) {}, ""},
	} {
		var f mailFile
		if err := json.Unmarshal(en, &f); err != nil {
			t.Fatal(err)
		}
		tc.change(&f)
		b, _ := json.Marshal(f)
		_, err := loadMailTexts(fstest.MapFS{"mailtexts/en.json": {Data: en}, "mailtexts/xx.json": {Data: b}})
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

func FuzzParseMailTexts(f *testing.F) {
	en, _ := mailFS.ReadFile("mailtexts/en.json")
	f.Add(en)
	f.Add([]byte(`{"status":"x","date_layout":"2006","weekdays":[],"messages":{"notify.set":"{"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tx, errs := parseMailTexts("xx", b)
		if (tx == nil) == (len(errs) == 0) {
			t.Fatalf("texts %v and %d problems", tx != nil, len(errs))
		}
		if tx != nil {
			vars := map[string]string{}
			for _, k := range []string{"worker", "date", "start", "end", "zone", "place", "weekday", "employment", "what", "count", "id", "action", "path"} {
				vars[k] = "v"
			}
			for key := range mailSchema {
				_ = tx.Text(key, vars)
			}
		}
	})
}
