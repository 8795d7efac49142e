package api

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pdw-registry/pdw/models"
)

// checkSummaryJSON fails unless appendSummaryJSON writes what json.Marshal writes
// and the bytes read back to s.
func checkSummaryJSON(t *testing.T, s models.EmploymentSummary) {
	t.Helper()
	want, wantErr := json.Marshal(s)
	got, err := appendSummaryJSON([]byte("prefix"), &s)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("appendSummaryJSON error %v, json.Marshal error %v", err, wantErr)
	}
	if wantErr != nil {
		return
	}
	if string(got) != "prefix"+string(want) {
		t.Fatalf("appendSummaryJSON:\n got %s\nwant prefix%s", got, want)
	}
	if !roundTrips(s) {
		return
	}
	var back models.EmploymentSummary
	if err := json.Unmarshal(got[len("prefix"):], &back); err != nil {
		t.Fatalf("read back %s: %v", got, err)
	}
	if !reflect.DeepEqual(back, s) {
		t.Fatalf("round trip:\n got %+v\nwant %+v", back, s)
	}
}

// roundTrips reports whether s can read back unchanged: its strings are
// UTF-8 (json.Marshal replaces bad bytes) and its dates real dates.
func roundTrips(s models.EmploymentSummary) bool {
	for _, v := range []string{s.ID, s.MissionID, s.EmployerID, s.WorkerID, s.Status, s.MonthlyNetWage, s.Currency} {
		if !utf8.ValidString(v) {
			return false
		}
	}
	for _, d := range []*models.Date{&s.StartDate, s.EndDate, s.ArrivalDate, s.DepartureDate, s.IDCardExpiry} {
		if d == nil {
			continue
		}
		if p, err := models.ParseDate(d.String()); err != nil || p != *d {
			return false
		}
	}
	return true
}

func TestEmploymentSummaryJSON(t *testing.T) {
	d := func(y int, m time.Month, day int) *models.Date { return new(ymd(y, m, day)) }
	full := models.EmploymentSummary{ID: "0190a8c2-7b1e-7c3a-9f00-000000000001", MissionID: "m", EmployerID: "e", WorkerID: "w",
		Status: models.StatusActive, StartDate: ymd(2026, 3, 1), EndDate: d(2027, 2, 28), ArrivalDate: d(2026, 2, 20),
		DepartureDate: d(2027, 3, 2), IDCardExpiry: d(2028, 12, 31), MonthlyNetWage: "1200.00", Currency: "CHF", WeeklyHours: 42.5}
	for _, tc := range []struct {
		name string
		edit func(*models.EmploymentSummary)
	}{
		{"full", func(*models.EmploymentSummary) {}},
		{"open dates null", func(s *models.EmploymentSummary) {
			s.EndDate, s.ArrivalDate, s.DepartureDate, s.IDCardExpiry = nil, nil, nil, nil
		}},
		{"zero", func(s *models.EmploymentSummary) { *s = models.EmploymentSummary{} }},
		{"html characters alone", func(s *models.EmploymentSummary) { s.ID, s.Currency = "a&b", "<x>" }},
		{"control character alone", func(s *models.EmploymentSummary) { s.WorkerID = "a\x7fb\x01" }},
		{"escapes", func(s *models.EmploymentSummary) { s.Status = "a\"b\\c<d>&e\n\tß€\u2028" }},
		{"invalid utf-8", func(s *models.EmploymentSummary) { s.Currency = "\xff\xfe" }},
		{"year out of four digits", func(s *models.EmploymentSummary) { s.StartDate = ymd(12345, 1, 2); s.EndDate = d(-1, 1, 1) }},
		{"whole hours", func(s *models.EmploymentSummary) { s.WeeklyHours = 40 }},
		{"negative zero", func(s *models.EmploymentSummary) { s.WeeklyHours = math.Copysign(0, -1) }},
		{"tiny", func(s *models.EmploymentSummary) { s.WeeklyHours = 1e-9 }},
		{"huge", func(s *models.EmploymentSummary) { s.WeeklyHours = 1e22 }},
		{"NaN fails", func(s *models.EmploymentSummary) { s.WeeklyHours = math.NaN() }},
		{"Inf fails", func(s *models.EmploymentSummary) { s.WeeklyHours = math.Inf(1) }},
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
		s := models.EmploymentSummary{ID: id, MissionID: status + id, EmployerID: wage, WorkerID: currency, Status: status,
			StartDate: ymd(y, time.Month(m), d), MonthlyNetWage: wage, Currency: currency, WeeklyHours: hours}
		if dates {
			s.EndDate, s.ArrivalDate = new(ymd(y+1, time.Month(m), d)), new(ymd(y, time.Month(d), m))
			s.DepartureDate, s.IDCardExpiry = new(ymd(d, time.Month(y), m)), &models.Date{}
		}
		checkSummaryJSON(t, s)
	})
}

// BenchmarkEmploymentSummaryJSON writes a page of 50 summaries with
// appendSummaryJSON, and with encoding/json for comparison.
func BenchmarkEmploymentSummaryJSON(b *testing.B) {
	end := ymd(2027, 2, 28)
	s := models.EmploymentSummary{ID: "0190a8c2-7b1e-7c3a-9f00-000000000001", MissionID: "0190a8c2-7b1e-7c3a-9f00-000000000002",
		EmployerID: "0190a8c2-7b1e-7c3a-9f00-000000000003", WorkerID: "0190a8c2-7b1e-7c3a-9f00-000000000004",
		Status: models.StatusActive, StartDate: ymd(2026, 3, 1), EndDate: &end, MonthlyNetWage: "1200.00", Currency: "CHF", WeeklyHours: 42.5}
	page := make([]models.EmploymentSummary, 50)
	for i := range page {
		page[i] = s
	}
	b.Run("appendSummaryJSON", func(b *testing.B) {
		buf := make([]byte, 0, 32<<10)
		b.ReportAllocs()
		for b.Loop() {
			buf = buf[:0]
			for i := range page {
				buf, _ = appendSummaryJSON(buf, &page[i])
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

func ymd(y int, m time.Month, d int) models.Date { return models.Date{Year: y, Month: m, Day: d} }
