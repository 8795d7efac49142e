// Package mail sends the registry's outgoing messages over SMTP: plain
// UTF-8 text, RFC 2047-encoded subjects, and a Message-ID derived from the
// message's idempotency key, so that a message sent twice (a retry after a
// lost reply) carries the same Message-ID and can be recognised as one.
//
// It is written on the standard library's net/smtp: the registry sends one
// short text message per connection, which net/smtp (frozen, but
// maintained for security fixes) does fully with STARTTLS and PLAIN auth,
// and it adds no dependency to a service that handles personal data.
package mail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Message is one outgoing e-mail.
type Message struct {
	From, To string
	Subject  string
	// Body is plain UTF-8 text.
	Body string
	// Key is the message's idempotency key: the same key always gives the
	// same Message-ID.
	Key string
	// Language is the body's language (Content-Language).
	Language string
	Date     time.Time
}

// MessageID is the Message-ID (without angle brackets) derived from key,
// in the domain of from.
func MessageID(key, from string) string {
	sum := sha256.Sum256([]byte(key))
	domain := "pdw-registry.invalid"
	if a, err := mail.ParseAddress(from); err == nil {
		if i := strings.LastIndexByte(a.Address, '@'); i >= 0 && i < len(a.Address)-1 {
			domain = a.Address[i+1:]
		}
	}
	return hex.EncodeToString(sum[:16]) + "@" + domain
}

// Bytes renders m as an RFC 5322 message: UTF-8 text, quoted-printable,
// the subject encoded per RFC 2047.
func (m *Message) Bytes() []byte {
	var b bytes.Buffer
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	h("From", m.From)
	h("To", m.To)
	b.WriteString(foldHeader("Subject", EncodeSubject(m.Subject)))
	h("Date", date.Format(time.RFC1123Z))
	h("Message-ID", "<"+MessageID(m.Key, m.From)+">")
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "quoted-printable")
	if m.Language != "" {
		h("Content-Language", m.Language)
	}
	h("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	w := quotedprintable.NewWriter(&b)
	_, _ = w.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")))
	_ = w.Close()
	return b.Bytes()
}

// EncodeSubject encodes s as RFC 2047 encoded-words in UTF-8 (ASCII text
// is left as it is): Q encoding when s is mostly ASCII, B (base64) when
// it is mostly another script (a Hindi or Arabic subject is about half
// the size in base64). Go's encoder splits a long subject into several
// encoded-words of at most 75 characters; they are folded onto
// continuation lines, so that no header line is longer than 78
// characters (RFC 5322 2.1.1) whatever the language.
func EncodeSubject(s string) string {
	enc := mime.QEncoding
	ascii := 0
	for i := 0; i < len(s); i++ {
		if s[i] < utf8.RuneSelf {
			ascii++
		}
	}
	if ascii*2 < len(s) {
		enc = mime.BEncoding
	}
	return strings.ReplaceAll(enc.Encode("utf-8", s), "?= =?", "?=\r\n =?")
}

// foldHeader writes "name: value" CRLF-terminated, folding the value at
// its spaces so that lines stay within 78 characters where a space
// allows (an encoded subject's words are at most 75 characters).
func foldHeader(name, value string) string {
	var b strings.Builder
	b.WriteString(name + ":")
	col := len(name) + 1
	for i, line := range strings.Split(value, "\r\n ") {
		for j, word := range strings.Split(line, " ") {
			if (i > 0 && j == 0) || col+1+len(word) > 78 {
				b.WriteString("\r\n")
				col = 0
			}
			b.WriteString(" " + word)
			col += 1 + len(word)
		}
	}
	b.WriteString("\r\n")
	return b.String()
}

// Sender sends messages.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// ErrNotConfigured is returned by a Sender that has no server to send to.
var ErrNotConfigured = errors.New("mail: no SMTP server configured (PDW_SMTP_URL)")

// None is the Sender without a server: every Send returns ErrNotConfigured.
type None struct{}

// Send returns ErrNotConfigured.
func (None) Send(context.Context, *Message) error { return ErrNotConfigured }

// SMTP sends through one SMTP server.
type SMTP struct {
	addr, host  string
	implicitTLS bool // smtps://
	user, pass  string
	// TLSConfig, when set, replaces the default (the server's host name verified).
	TLSConfig *tls.Config
	// Timeout bounds one message's delivery (default 30 s).
	Timeout time.Duration
}

// ParseURL reads smtp://[user:pass@]host[:port] (port 587 by default;
// STARTTLS when the server offers it, and required before authenticating)
// or smtps://[user:pass@]host[:port] (TLS from the start, port 465).
func ParseURL(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("mail: PDW_SMTP_URL is not a URL") // the URL may hold a password: not echoed
	}
	s := &SMTP{host: u.Hostname(), Timeout: 30 * time.Second}
	port := u.Port()
	switch u.Scheme {
	case "smtp":
		if port == "" {
			port = "587"
		}
	case "smtps":
		s.implicitTLS = true
		if port == "" {
			port = "465"
		}
	default:
		return nil, errors.New("mail: PDW_SMTP_URL must start with smtp:// or smtps://")
	}
	if s.host == "" {
		return nil, errors.New("mail: PDW_SMTP_URL names no host")
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	s.addr = net.JoinHostPort(s.host, port)
	return s, nil
}

func (s *SMTP) tlsConfig() *tls.Config {
	if s.TLSConfig != nil {
		return s.TLSConfig
	}
	return &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
}

// Send delivers m over one connection.
func (s *SMTP) Send(ctx context.Context, m *Message) error {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return fmt.Errorf("mail: connect: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	if s.implicitTLS {
		conn = tls.Client(conn, s.tlsConfig())
	}
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail: greeting: %w", err)
	}
	defer c.Close()
	if !s.implicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(s.tlsConfig()); err != nil {
				return fmt.Errorf("mail: starttls: %w", err)
			}
		}
	}
	if s.user != "" {
		// PlainAuth refuses to send the password without TLS (but to localhost).
		if err := c.Auth(smtp.PlainAuth("", s.user, s.pass, s.host)); err != nil {
			return fmt.Errorf("mail: auth: %w", err)
		}
	}
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return fmt.Errorf("mail: from address: %w", err)
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return errors.New("mail: the recipient's address is not valid")
	}
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("mail: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return fmt.Errorf("mail: RCPT TO refused: %s", smtpCode(err))
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail: DATA: %w", err)
	}
	if _, err := w.Write(m.Bytes()); err != nil {
		return fmt.Errorf("mail: write: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: message refused: %w", err)
	}
	_ = c.Quit()
	return nil
}

// smtpCode keeps only the reply code of a refusal of a recipient (the
// reply text often repeats the address: personal data stays out of logs
// and job errors).
func smtpCode(err error) string {
	var te interface{ Error() string }
	if errors.As(err, &te) {
		if s := te.Error(); len(s) >= 3 {
			return s[:3]
		}
	}
	return "error"
}
