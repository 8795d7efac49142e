package scheduler_test

import (
	"context"
	"strings"
	"testing"
	"time"

	pdwmail "github.com/pdw-registry/pdw/mail"
	"github.com/pdw-registry/pdw/models"
)

// TestReminderMail_EveryLanguage sends the worker's and the mission's
// reminder in every language with texts through the in-process SMTP
// server: the subject (RFC 2047, Hindi, Arabic, Sinhala … included) and
// the UTF-8 body arrive exactly as composed, with the language in
// Content-Language, and every header line within 78 characters.
func TestReminderMail_EveryLanguage(t *testing.T) {
	sink := newSink(t, 0)
	sender := sink.sender(t)
	loc := time.FixedZone("CET", 3600)
	start := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	f := models.ReminderFacts{StartsAt: start, EndsAt: start.Add(45 * time.Minute), Place: "Rue 1, Bern", WorkerName: "Ana Reyes"}
	want := map[string]models.ReminderMessage{}
	for _, lang := range models.ReminderLanguages {
		for _, who := range []string{models.RecipientWorker, models.RecipientMission} {
			msg := models.ComposeReminder(who, lang, f, loc)
			to := who + "-" + lang + "@example.org"
			want[to] = msg
			if err := sender.Send(context.Background(), &pdwmail.Message{From: "Protocol <p@office.example>", To: to,
				Subject: msg.Subject, Body: msg.Body, Key: to, Language: msg.Language, Date: start}); err != nil {
				t.Fatalf("%s: %v", to, err)
			}
		}
	}
	got := sink.messages()
	if len(got) != len(want) || len(want) != 32 {
		t.Fatalf("%d messages received, %d sent, want 32", len(got), len(want))
	}
	for _, m := range got {
		w := want[m.to]
		if m.subject != w.Subject {
			t.Errorf("%s: subject %q, want %q", m.to, m.subject, w.Subject)
		}
		if m.body != w.Body {
			t.Errorf("%s: body %q, want %q", m.to, m.body, w.Body)
		}
		if cl := m.header.Get("Content-Language"); cl != w.Language {
			t.Errorf("%s: Content-Language %q", m.to, cl)
		}
		head, _, _ := strings.Cut(m.raw, "\r\n\r\n")
		for _, line := range strings.Split(head, "\r\n") {
			if len(line) > 78 && !strings.HasPrefix(line, "Received:") {
				t.Errorf("%s: header line of %d characters: %q", m.to, len(line), line)
			}
		}
	}
	if hi := want["worker-hi@example.org"]; !strings.Contains(hi.Subject, "प्रोटोकॉल") {
		t.Errorf("Hindi subject %q", hi.Subject)
	}
}
