package models

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"
)

// checkSummaryJSON fails unless AppendJSON writes what json.Marshal writes
// and the bytes read back to s.
func checkSummaryJSON(t *testing.T, s EmploymentSummary) {
	t.Helper()
	want, wantErr := json.Marshal(s)
	got, err := s.AppendJSON([]byte("prefix"))
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("AppendJSON error %v, json.Marshal error %v", err, wantErr)
	}
	if wantErr != nil {
		return
	}
	if string(got) != "prefix"+string(want) {
		t.Fatalf("AppendJSON:\n got %s\nwant prefix%s", got, want)
	}
	if !roundTrips(s) {
		return
	}
	var back EmploymentSummary
	if err := json.Unmarshal(got[len("prefix"):], &back); err != nil {
		t.Fatalf("read back %s: %v", got, err)
	}
	if !reflect.DeepEqual(back, s) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", back, s)
	}
}

// roundTrips reports whether s can read back unchanged: its strings are
// UTF-8 (json.Marshal replaces bad bytes) and its dates real dates.
func roundTrips(s EmploymentSummary) bool {
	for _, v := range []string{s.ID, s.MissionID, s.EmployerID, s.WorkerID, s.Status, s.MonthlyNetWage, s.Currency} {
		if !utf8.ValidString(v) {
			return false
		}
	}
	for _, d := range []*Date{&s.StartDate, s.EndDate, s.ArrivalDate, s.DepartureDate, s.IDCardExpiry} {
		if d == nil {
			continue
		}
		if p, err := ParseDate(d.String()); err != nil || p != *d {
			return false
		}
	}
	return true
}

func TestEmploymentSummaryJSON(t *testing.T) {
	d := func(y int, m time.Month, day int) *Date { return &Date{y, m, day} }
	full := EmploymentSummary{ID: "0190a8c2-7b1e-7c3a-9f00-000000000001", MissionID: "m", EmployerID: "e", WorkerID: "w",
		Status: StatusActive, StartDate: Date{2026, 3, 1}, EndDate: d(2027, 2, 28), ArrivalDate: d(2026, 2, 20),
		DepartureDate: d(2027, 3, 2), IDCardExpiry: d(2028, 12, 31), MonthlyNetWage: "1200.00", Currency: "CHF", WeeklyHours: 42.5}
	for _, tc := range []struct {
		name string
		edit func(*EmploymentSummary)
	}{
		{"full", func(*EmploymentSummary) {}},
		{"open dates null", func(s *EmploymentSummary) {
			s.EndDate, s.ArrivalDate, s.DepartureDate, s.IDCardExpiry = nil, nil, nil, nil
		}},
		{"zero", func(s *EmploymentSummary) { *s = EmploymentSummary{} }},
		{"html characters alone", func(s *EmploymentSummary) { s.ID, s.Currency = "a&b", "<x>" }},
		{"control character alone", func(s *EmploymentSummary) { s.WorkerID = "a\x7fb\x01" }},
		{"escapes", func(s *EmploymentSummary) { s.Status = "a\"b\\c<d>&e\n\tß€\u2028" }},
		{"invalid utf-8", func(s *EmploymentSummary) { s.Currency = "\xff\xfe" }},
		{"year out of four digits", func(s *EmploymentSummary) { s.StartDate = Date{12345, 1, 2}; s.EndDate = d(-1, 1, 1) }},
		{"whole hours", func(s *EmploymentSummary) { s.WeeklyHours = 40 }},
		{"negative zero", func(s *EmploymentSummary) { s.WeeklyHours = math.Copysign(0, -1) }},
		{"tiny", func(s *EmploymentSummary) { s.WeeklyHours = 1e-9 }},
		{"huge", func(s *EmploymentSummary) { s.WeeklyHours = 1e22 }},
		{"NaN fails", func(s *EmploymentSummary) { s.WeeklyHours = math.NaN() }},
		{"Inf fails", func(s *EmploymentSummary) { s.WeeklyHours = math.Inf(1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := full
			tc.edit(&s)
			checkSummaryJSON(t, s)
		})
	}
}

func FuzzEmploymentSummaryJSON(f *testing.F) {
	f.Add("0190a8c2-7b1e-7c3a-9f00-000000000001", "active", "1200.00", "CHF", 2026, 3, 1, 42.5, true)
	f.Add("a<b>&\"\\", "\x00\x1f\u2028", "", "\xff", -5, 13, 99, 1e-7, false)
	f.Fuzz(func(t *testing.T, id, status, wage, currency string, y, m, d int, hours float64, dates bool) {
		s := EmploymentSummary{ID: id, MissionID: status + id, EmployerID: wage, WorkerID: currency, Status: status,
			StartDate: Date{y, time.Month(m), d}, MonthlyNetWage: wage, Currency: currency, WeeklyHours: hours}
		if dates {
			s.EndDate, s.ArrivalDate = &Date{y + 1, time.Month(m), d}, &Date{y, time.Month(d), m}
			s.DepartureDate, s.IDCardExpiry = &Date{d, time.Month(y), m}, &Date{}
		}
		checkSummaryJSON(t, s)
	})
}

// BenchmarkEmploymentSummaryJSON writes a page of 50 summaries with
// AppendJSON, and with encoding/json for comparison.
func BenchmarkEmploymentSummaryJSON(b *testing.B) {
	end := Date{2027, 2, 28}
	s := EmploymentSummary{ID: "0190a8c2-7b1e-7c3a-9f00-000000000001", MissionID: "0190a8c2-7b1e-7c3a-9f00-000000000002",
		EmployerID: "0190a8c2-7b1e-7c3a-9f00-000000000003", WorkerID: "0190a8c2-7b1e-7c3a-9f00-000000000004",
		Status: StatusActive, StartDate: Date{2026, 3, 1}, EndDate: &end, MonthlyNetWage: "1200.00", Currency: "CHF", WeeklyHours: 42.5}
	page := make([]EmploymentSummary, 50)
	for i := range page {
		page[i] = s
	}
	b.Run("AppendJSON", func(b *testing.B) {
		buf := make([]byte, 0, 32<<10)
		b.ReportAllocs()
		for b.Loop() {
			buf = buf[:0]
			for i := range page {
				buf, _ = page[i].AppendJSON(buf)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(page); err != nil {
				b.Fatal(err)
			}
		}
	})
}
