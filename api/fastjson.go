package api

import (
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
)

// The hot GET of one record (DESIGN.md section 8) writes its body with
// these appenders instead of encoding/json's reflection. They produce the
// very bytes json.Marshal does (HTML-safe escaping, U+2028/2029 escaped,
// invalid UTF-8 as U+FFFD, times as RFC 3339 with nanoseconds), which
// FuzzMissionViewJSON checks against it.

// jsonContentType is c.JSON's content type, shared rather than made per
// response.
var jsonContentType = []string{"application/json; charset=utf-8"}

// writeJSONBytes writes an already encoded JSON body as c.JSON would
// (status, then the content type unless one is set, then the body).
func writeJSONBytes(c *gin.Context, status int, body []byte) {
	c.Status(status)
	if h := c.Writer.Header(); len(h["Content-Type"]) == 0 {
		h["Content-Type"] = jsonContentType
	}
	_, _ = c.Writer.Write(body)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as encoding/json does with HTML escaping on.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendJSONTime appends t as time.Time's MarshalJSON does; false when
// MarshalJSON would fail (a year outside 0..9999 or a zone offset of a
// day or more), for the caller to fall back on encoding/json.
func appendJSONTime(dst []byte, t time.Time) ([]byte, bool) {
	if y := t.Year(); y < 0 || y > 9999 {
		return dst, false
	}
	if _, off := t.Zone(); off <= -24*60*60 || off >= 24*60*60 {
		return dst, false
	}
	dst = append(dst, '"')
	dst = t.AppendFormat(dst, time.RFC3339Nano)
	return append(dst, '"'), true
}

func appendJSONBool(dst []byte, v bool) []byte {
	if v {
		return append(dst, "true"...)
	}
	return append(dst, "false"...)
}

// appendJSON appends v as json.Marshal would; false when a time cannot be
// encoded (see appendJSONTime).
func (v *missionView) appendJSON(dst []byte) ([]byte, bool) {
	dst = append(dst, `{"id":`...)
	dst = appendJSONString(dst, v.ID)
	dst = append(dst, `,"name":`...)
	dst = appendJSONString(dst, v.Name)
	dst = append(dst, `,"kind":`...)
	dst = appendJSONString(dst, v.Kind)
	dst = append(dst, `,"country":`...)
	dst = appendJSONString(dst, v.Country)
	if v.FocalPointEmail != nil {
		dst = append(dst, `,"focal_point_email":`...)
		dst = appendJSONString(dst, *v.FocalPointEmail)
	}
	dst = append(dst, `,"language":`...)
	dst = appendJSONString(dst, v.Language)
	dst = append(dst, `,"suspended":`...)
	dst = appendJSONBool(dst, v.Suspended)
	dst = append(dst, `,"created_at":`...)
	dst, ok := appendJSONTime(dst, v.CreatedAt)
	if !ok {
		return dst, false
	}
	dst = append(dst, `,"updated_at":`...)
	if dst, ok = appendJSONTime(dst, v.UpdatedAt); !ok {
		return dst, false
	}
	return append(dst, '}'), true
}

// renderMission writes v with status as c.JSON would.
func renderMission(c *gin.Context, status int, v missionView) {
	b, ok := v.appendJSON(make([]byte, 0, 384))
	if !ok {
		c.JSON(status, v)
		return
	}
	writeJSONBytes(c, status, b)
}
