package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"reflect"
	"time"
)

// Date is a calendar date with no time zone, written "YYYY-MM-DD" in JSON
// and in the database.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses "YYYY-MM-DD" and rejects impossible dates ("2026-02-30").
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("must be a date written YYYY-MM-DD")
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("must be a real date written YYYY-MM-DD")
	}
	return DateOf(t), nil
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Before reports whether d comes before e.
func (d Date) Before(e Date) bool { return d.Time().Before(e.Time()) }

// After reports whether d comes after e.
func (d Date) After(e Date) bool { return d.Time().After(e.Time()) }

// AddDate adds years, months and days as time.Time.AddDate does.
func (d Date) AddDate(years, months, days int) Date {
	return DateOf(d.Time().AddDate(years, months, days))
}

// YearsSince returns the number of whole years from birth to d (an age).
func (d Date) YearsSince(birth Date) int {
	years := d.Year - birth.Year
	if d.Month < birth.Month || d.Month == birth.Month && d.Day < birth.Day {
		years--
	}
	return years
}

// MarshalJSON writes "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &json.UnmarshalTypeError{Value: string(b), Type: dateType}
	}
	v, err := ParseDate(s)
	if err != nil {
		return &DateError{Value: s, Err: err}
	}
	*d = v
	return nil
}

var dateType = reflect.TypeOf(Date{})

// DateError is returned by Date.UnmarshalJSON for a string that is no date;
// the request decoder turns it into a 400 naming the field.
type DateError struct {
	Value string
	Err   error
}

func (e *DateError) Error() string { return e.Err.Error() }

// Value stores the date as "YYYY-MM-DD" (a DATE on PostgreSQL, TEXT on SQLite).
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan reads a DATE, a timestamp or "YYYY-MM-DD" text.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d = DateOf(v.UTC())
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	default:
		return fmt.Errorf("models: cannot scan %T into Date", src)
	}
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	v, err := ParseDate(s)
	if err != nil {
		return fmt.Errorf("models: scan date %q: %w", s, err)
	}
	*d = v
	return nil
}
