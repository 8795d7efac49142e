package api

import (
	"encoding/json"
	"math"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// The hot reads (DESIGN.md section 8: GET of one mission, list pages of
// employments) write their bodies with these appenders instead of
// encoding/json's reflection. They produce the very bytes json.Marshal
// does, which FuzzMissionViewJSON and FuzzEmploymentSummaryJSON check
// against it: plain printable ASCII is copied, and anything else (HTML
// characters, control bytes, non-ASCII, invalid UTF-8) is left to
// encoding/json itself.

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

// appendSummaryJSON appends s as a JSON object: the same bytes as json.Marshal(s),
// written without reflection (list pages are the hot path). It fails only
// where json.Marshal fails (a weekly_hours that is NaN or infinite).
func appendSummaryJSON(b []byte, s *models.EmploymentSummary) ([]byte, error) {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, s.ID)
	b = append(b, `,"mission_id":`...)
	b = appendJSONString(b, s.MissionID)
	b = append(b, `,"employer_id":`...)
	b = appendJSONString(b, s.EmployerID)
	b = append(b, `,"worker_id":`...)
	b = appendJSONString(b, s.WorkerID)
	b = append(b, `,"status":`...)
	b = appendJSONString(b, s.Status)
	b = append(b, `,"start_date":`...)
	b = appendJSONDate(b, &s.StartDate)
	b = append(b, `,"end_date":`...)
	b = appendJSONDate(b, s.EndDate)
	b = append(b, `,"arrival_date":`...)
	b = appendJSONDate(b, s.ArrivalDate)
	b = append(b, `,"departure_date":`...)
	b = appendJSONDate(b, s.DepartureDate)
	b = append(b, `,"id_card_expiry":`...)
	b = appendJSONDate(b, s.IDCardExpiry)
	b = append(b, `,"monthly_net_wage":`...)
	b = appendJSONString(b, s.MonthlyNetWage)
	b = append(b, `,"currency":`...)
	b = appendJSONString(b, s.Currency)
	b = append(b, `,"weekly_hours":`...)
	b, err := appendJSONFloat(b, s.WeeklyHours)
	return append(b, '}'), err
}

// appendJSONString appends s quoted. Plain printable ASCII (ids, codes,
// amounts) is copied; anything else goes through encoding/json, which
// escapes it (HTML characters included) as json.Marshal does.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if !plainJSON[s[i]] {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// plainJSON marks the bytes encoding/json copies as they are: printable
// ASCII except the quote, the backslash and the HTML characters <, > and &.
var plainJSON = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendJSONDate appends d as Date.MarshalJSON writes it ("YYYY-MM-DD"),
// or null for nil.
func appendJSONDate(b []byte, d *models.Date) []byte {
	if d == nil {
		return append(b, "null"...)
	}
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		q, _ := d.MarshalJSON() // odd widths and signs: Date's own formatting
		return append(b, q...)
	}
	y, m, dd := d.Year, int(d.Month), d.Day
	return append(b, '"', byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+dd/10), byte('0'+dd%10), '"')
}

// appendJSONFloat appends f as encoding/json writes a float64.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
	if a := math.Abs(f); a == 0 || a >= 1e-6 && a < 1e21 {
		return strconv.AppendFloat(b, f, 'f', -1, 64), nil
	}
	q, err := json.Marshal(f) // exponent form, or the error for NaN and ±Inf
	return append(b, q...), err
}
