package models

import (
	"encoding/json"
	"math"
	"strconv"
)

// EmploymentSummary is an employment as a list shows it: who, where, its
// status and dates, and the figures an officer scans (wage and weekly
// hours). The full terms are on the employment itself.
type EmploymentSummary struct {
	ID            string `json:"id"`
	MissionID     string `json:"mission_id"`
	EmployerID    string `json:"employer_id"`
	WorkerID      string `json:"worker_id"`
	Status        string `json:"status"`
	StartDate     Date   `json:"start_date"`
	EndDate       *Date  `json:"end_date"`
	ArrivalDate   *Date  `json:"arrival_date"`
	DepartureDate *Date  `json:"departure_date"`
	IDCardExpiry  *Date  `json:"id_card_expiry"`
	// MonthlyNetWage is the decimal amount in Currency ("1200.00"), as
	// the terms write it.
	MonthlyNetWage string  `json:"monthly_net_wage"`
	Currency       string  `json:"currency"`
	WeeklyHours    float64 `json:"weekly_hours"`
}

// AppendJSON appends s as a JSON object: the same bytes as json.Marshal(s),
// written without reflection (list pages are the hot path). It fails only
// where json.Marshal fails (a weekly_hours that is NaN or infinite).
func (s *EmploymentSummary) AppendJSON(b []byte) ([]byte, error) {
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
func appendJSONDate(b []byte, d *Date) []byte {
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
