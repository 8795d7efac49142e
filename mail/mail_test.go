package mail_test

import (
	"bytes"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	pdwmail "github.com/pdw-registry/pdw/mail"
)

// TestMessage_Bytes: UTF-8 body in quoted-printable, an RFC 2047 subject,
// a Message-ID that depends on the key alone, in the sender's domain.
func TestMessage_Bytes(t *testing.T) {
	m := &pdwmail.Message{From: "Protocol <protocol@office.example>", To: "w@example.org", Subject: "Rappel : rendez-vous à 09:00 – ሰላም",
		Body: "Ligne é\nየአማርኛ ጽሑፍ\n", Key: "remind/1/worker/1/0", Language: "fr", Date: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	raw := m.Bytes()
	if !bytes.Contains(raw, []byte("Subject: =?utf-8?q?")) {
		t.Errorf("subject not RFC 2047-encoded:\n%s", raw)
	}
	parsed, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject"))
	if err != nil || subject != m.Subject {
		t.Errorf("subject decodes to %q (%v), want %q", subject, err, m.Subject)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(parsed.Body))
	if err != nil || strings.ReplaceAll(string(body), "\r\n", "\n") != m.Body {
		t.Errorf("body decodes to %q (%v)", body, err)
	}
	id := parsed.Header.Get("Message-ID")
	if id != "<"+pdwmail.MessageID(m.Key, m.From)+">" || !strings.HasSuffix(id, "@office.example>") {
		t.Errorf("Message-ID %q", id)
	}
	m2 := *m
	m2.Date = m.Date.Add(time.Hour)
	if other, _ := mail.ReadMessage(bytes.NewReader(m2.Bytes())); other.Header.Get("Message-ID") != id {
		t.Error("the same key gave another Message-ID")
	}
	for _, h := range []string{"Content-Type", "Content-Transfer-Encoding", "Content-Language", "Auto-Submitted"} {
		if parsed.Header.Get(h) == "" {
			t.Errorf("no %s header", h)
		}
	}
}

func TestParseURL(t *testing.T) {
	for _, ok := range []string{"smtp://user:pass@mail.example:587", "smtp://mail.example", "smtps://u:p@mail.example"} {
		if _, err := pdwmail.ParseURL(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"http://mail.example", "smtp://", "::"} {
		_, err := pdwmail.ParseURL(bad)
		if err == nil {
			t.Errorf("%s accepted", bad)
		} else if strings.Contains(err.Error(), "pass") {
			t.Errorf("%s: error echoes the URL: %v", bad, err)
		}
	}
}
