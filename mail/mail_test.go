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
	if !bytes.Contains(raw, []byte("Subject:\r\n =?utf-8?q?")) { // folded: the encoded word does not fit after "Subject: "
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

// TestEncodeSubject: subjects in every script decode back exactly, are
// folded into header lines of at most 78 characters, and use base64 when
// mostly non-ASCII.
func TestEncodeSubject(t *testing.T) {
	for _, tc := range []struct{ subject, enc string }{
		{"Reminder: your appointment", ""},
		{"Rappel : votre rendez-vous au service du protocole le 01.12.2026", ""},
		{"Rappel : rendez-vous à 09:00 – ሰላም", "q"},
		{"याद दिलाना: 01/12/2026 को प्रोटोकॉल कार्यालय में आपकी मुलाक़ात", "b"},
		{"تذكير: موعدك في مكتب المراسم يوم 2026-12-01", "b"},
		{"ማስታወሻ፦ በ01/12/2026 በፕሮቶኮል ጽሕፈት ቤት ያለዎት ቀጠሮ", "b"},
		{"සිහිකැඳවීම: 2026-12-01 දින ප්‍රොටෝකෝල කාර්යාලයේ ඔබේ හමුවීම", "b"},
		{"Nhắc lịch: cuộc hẹn của bạn tại văn phòng lễ tân ngày 01/12/2026", "q"},
	} {
		enc := pdwmail.EncodeSubject(tc.subject)
		if want := "=?utf-8?" + tc.enc + "?"; tc.enc != "" && !strings.HasPrefix(enc, want) || tc.enc == "" && enc != tc.subject {
			t.Errorf("%q encoded as %q, want %s encoding", tc.subject, enc, tc.enc)
		}
		m := &pdwmail.Message{From: "p@office.example", To: "w@example.org", Subject: tc.subject, Body: "x\n", Key: "k"}
		raw := m.Bytes()
		head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
		for _, line := range strings.Split(string(head), "\r\n") {
			if len(line) > 78 {
				t.Errorf("%q: header line of %d characters: %q", tc.subject, len(line), line)
			}
		}
		parsed, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject")); err != nil || got != tc.subject {
			t.Errorf("subject decodes to %q (%v), want %q", got, err, tc.subject)
		}
	}
}
