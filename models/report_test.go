package models

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

var testPeriod = ReportQuery{From: Date{2026, 1, 1}, To: Date{2026, 6, 30}, MinCell: 5}

// counts builds report counts for missions a, b, c from metric -> values.
func counts(values map[string][]float64) *ReportCounts {
	c := NewReportCounts()
	c.Missions = []ReportMission{{"a", "A"}, {"b", "B"}, {"c", "C"}}
	for k, vs := range values {
		for i, v := range vs {
			c.Set(k, c.Missions[i].ID, v)
		}
	}
	return c
}

func cellsOf(m *ReportMetric) string {
	parts := []string{m.Total.String()}
	for _, id := range []string{"a", "b", "c"} {
		parts = append(parts, m.ByMission[id].String())
	}
	return strings.Join(parts, " ")
}

// TestBuildReport_Suppression: the cells an auditor sees ("total a b c").
func TestBuildReport_Suppression(t *testing.T) {
	tests := []struct {
		name   string
		values map[string][]float64
		metric string
		want   string // auditor
		exact  string // officer
	}{
		{"nothing small", map[string][]float64{"active": {10, 20, 30}}, "active", "60 10 20 30", "60 10 20 30"},
		{"zeros are not hidden", map[string][]float64{"active": {0, 20, 30}}, "active", "50 0 20 30", "50 0 20 30"},
		{"one small cell hides the next smallest", map[string][]float64{"active": {1, 20, 30}}, "active", "51 <5 <5 30", "51 1 20 30"},
		{"two small cells suffice", map[string][]float64{"active": {1, 2, 30}}, "active", "33 <5 <5 30", "33 1 2 30"},
		{"a small cell beside zeros hides the total", map[string][]float64{"active": {3, 0, 0}}, "active", "<5 <5 0 0", "3 3 0 0"},
		{"a sensitive total is hidden when small", map[string][]float64{"cases_opened": {1, 1, 1}}, "cases_opened", "<5 <5 <5 <5", "3 1 1 1"},
		{"a sensitive total above the threshold shows", map[string][]float64{"cases_opened": {3, 3, 3}}, "cases_opened", "9 <5 <5 <5", "9 3 3 3"},
		// B's part "missed" is small: the total over missions (all of
		// it B's) hides with it, and another part of B in B's column.
		{"parts", map[string][]float64{"checkins_due": {20, 20, 20}, "checkins_on_time": {20, 17, 20}, "checkins_missed": {0, 3, 0}},
			"checkins_missed", "<5 0 <5 0", "3 0 3 0"},
		{"percent over a hidden count", map[string][]float64{"arrivals": {1, 20, 30}, "registered_on_time": {1, 10, 30}},
			"pct_registered_on_time", "80.4 <5 <5 100.0", "80.4 100.0 50.0 100.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cellsOf(BuildReport(testPeriod, counts(tt.values), time.Time{}, false).Metric(tt.metric)); got != tt.exact {
				t.Errorf("officer: %s = %q, want %q", tt.metric, got, tt.exact)
			}
			r := BuildReport(testPeriod, counts(tt.values), time.Time{}, true)
			if got := cellsOf(r.Metric(tt.metric)); got != tt.want {
				t.Errorf("auditor: %s = %q, want %q", tt.metric, got, tt.want)
			}
			checkSuppressed(t, r)
		})
	}
}

// checkSuppressed checks an auditor's report: no count from 1 to
// MinCell-1 shows in a mission's column (nor as a sensitive total), and
// no sum (a metric's total over missions, a metric over its parts) has
// exactly one hidden cell.
func checkSuppressed(t *testing.T, r *Report) {
	t.Helper()
	defs := map[string]MetricDef{}
	for _, s := range ReportSections {
		for _, d := range s.Metrics {
			defs[d.Key] = d
		}
	}
	small := func(c Cell) bool { return !c.Hidden && !c.Null && c.Value >= 1 && c.Value < float64(r.MinCell) }
	for _, s := range r.Sections {
		for _, m := range s.Metrics {
			if m.Kind != MetricCount {
				continue
			}
			hidden := 0
			if m.Total.Hidden {
				hidden++
			}
			if small(m.Total) && (defs[m.Key].Sensitive || strings.Contains(m.Key, ".") && s.Key != "briefings") {
				t.Errorf("%s: small sensitive total %s shown", m.Key, m.Total)
			}
			for _, ms := range r.Missions {
				c := m.ByMission[ms.ID]
				if small(c) {
					t.Errorf("%s for %s: small count %s shown", m.Key, ms.ID, c)
				}
				if c.Hidden {
					hidden++
				}
			}
			if hidden == 1 {
				t.Errorf("%s: one hidden cell among the total and its missions: recoverable", m.Key)
			}
			if parts := defs[m.Key].Parts; len(parts) > 0 {
				for _, id := range append([]string{""}, missionIDs(r)...) {
					cell := func(mm *ReportMetric) Cell {
						if id == "" {
							return mm.Total
						}
						return mm.ByMission[id]
					}
					h := 0
					if cell(&m).Hidden {
						h++
					}
					for _, p := range parts {
						if pm := r.Metric(p); pm != nil && cell(pm).Hidden {
							h++
						}
					}
					if h == 1 {
						t.Errorf("%s in column %q: one hidden cell among it and its parts", m.Key, id)
					}
				}
			}
		}
	}
}

func missionIDs(r *Report) []string {
	var out []string
	for _, m := range r.Missions {
		out = append(out, m.ID)
	}
	return out
}

// FuzzBuildReport_Suppression checks the suppression invariants on
// random check-in figures for three missions.
func FuzzBuildReport_Suppression(f *testing.F) {
	f.Add(uint64(1), uint8(5))
	f.Add(uint64(42), uint8(3))
	f.Fuzz(func(t *testing.T, seed uint64, min uint8) {
		rng := rand.New(rand.NewPCG(seed, seed>>7))
		c := counts(nil)
		for _, m := range c.Missions {
			var due float64
			for _, p := range []string{"checkins_on_time", "checkins_late", "checkins_missed", "checkins_employer_present", "checkins_open"} {
				v := float64(rng.IntN(3) * rng.IntN(8))
				c.Set(p, m.ID, v)
				due += v
			}
			c.Set("checkins_due", m.ID, due)
			c.Set("cases_opened", m.ID, float64(rng.IntN(7)))
			c.Set("risk.high", m.ID, float64(rng.IntN(7)))
			c.Set("interviews", m.ID, float64(rng.IntN(7)))
		}
		c.Available[SourceInterviews], c.Available[SourceCases] = true, true
		q := testPeriod
		q.MinCell = int(min%20) + 2
		checkSuppressed(t, BuildReport(q, c, time.Time{}, true))
	})
}

// TestReport_CSV round-trips the CSV and neutralises formulas.
func TestReport_CSV(t *testing.T) {
	c := counts(map[string][]float64{"active": {3, 0, 12}})
	c.Missions[0].Name = `=HYPERLINK("http://x","y")`
	c.Missions[1].Name = "+1 Mission, \"quoted\"\nnew line"
	r := BuildReport(testPeriod, c, time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), false)
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 2 || strings.Join(rows[0], ",") != strings.Join(CSVHeader, ",") {
		t.Fatalf("header %v", rows[0])
	}
	names := map[string]bool{}
	for _, row := range rows[1:] {
		if len(row) != len(CSVHeader) {
			t.Fatalf("row %v", row)
		}
		names[row[4]] = true
		if row[1] == "active" && row[3] == "c" && row[5] != "12" {
			t.Errorf("active for c = %q", row[5])
		}
	}
	for _, want := range []string{`'=HYPERLINK("http://x","y")`, "'+1 Mission, \"quoted\"\nnew line", "All missions"} {
		if !names[want] {
			t.Errorf("no mission cell %q in %v", want, names)
		}
	}
}

func FuzzCSVSafe(f *testing.F) {
	for _, s := range []string{"=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := CSVSafe(s)
		if got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
			t.Errorf("CSVSafe(%q) = %q starts a formula", s, got)
		}
		if strings.TrimPrefix(got, "'") != s && got != s {
			t.Errorf("CSVSafe(%q) = %q changed the text", s, got)
		}
	})
}

func TestCell_JSON(t *testing.T) {
	for _, c := range []Cell{{Value: 12, Kind: MetricCount}, {Null: true}, {Hidden: true, Below: 5}, {Value: 33.3, Kind: MetricPercent}} {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var back Cell
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		back.Kind = c.Kind
		if back != c {
			t.Errorf("%s read back as %+v, want %+v", b, back, c)
		}
	}
	var c Cell
	if err := json.Unmarshal([]byte(`"many"`), &c); err == nil {
		t.Error(`"many" read as a cell`)
	}
}

func TestReportQuery_Validate(t *testing.T) {
	tests := []struct {
		q     ReportQuery
		field string
	}{
		{ReportQuery{From: Date{2026, 1, 1}, To: Date{2026, 1, 1}}, ""},
		{ReportQuery{From: Date{2016, 7, 1}, To: Date{2026, 6, 30}}, ""},
		{ReportQuery{From: Date{2016, 6, 30}, To: Date{2026, 6, 30}}, "to"},
		{ReportQuery{To: Date{2026, 1, 1}}, "from"},
		{ReportQuery{From: Date{2026, 1, 1}}, "to"},
		{ReportQuery{From: Date{2026, 1, 2}, To: Date{2026, 1, 1}}, "to"},
		{ReportQuery{From: Date{2026, 1, 1}, To: Date{2026, 1, 1}, MissionID: "nope"}, "mission_id"},
		{ReportQuery{From: Date{2026, 1, 1}, To: Date{2026, 1, 1}, MinCell: -1}, "min_cell"},
	}
	for _, tt := range tests {
		err := tt.q.Validate()
		if got := ErrorFields(err)[tt.field]; (tt.field == "") != (err == nil) || tt.field != "" && got == "" {
			t.Errorf("%+v: %v, want a problem with %q", tt.q, err, tt.field)
		}
	}
}

func FuzzEvidenceInput(f *testing.F) {
	f.Add("pay", "2026-10", "", "", "ref", "note", true)
	f.Add("insurance", "", "health", "2027-01-01", "", "", false)
	f.Add("final_pay", "13-2026", "x", "2027-02-30", "\x00", "\x01", true)
	f.Fuzz(func(t *testing.T, kind, month, insurance, until, ref, note string, sole bool) {
		in := EvidenceInput{Kind: kind, Month: month, Insurance: insurance, Reference: ref, Note: note, SoleNameAccount: &sole}
		if d, err := ParseDate(until); err == nil {
			in.ValidUntil = &d
		}
		ev, _, err := in.Validate("CHF")
		if err != nil {
			if ErrorCode(err) != EINVALID || len(ErrorFields(err)) == 0 {
				t.Fatalf("error %v names no field", err)
			}
			return
		}
		monthly := ev.Kind == EvidencePay || ev.Kind == EvidenceHours
		if monthly && !ValidMonth(ev.Month) || !monthly && ev.Month != "" {
			t.Errorf("accepted %+v", ev)
		}
		if ev.Kind == EvidenceInsurance && ev.ValidUntil == nil {
			t.Errorf("insurance without expiry accepted")
		}
	})
}

func FuzzSanctionInput(f *testing.F) {
	f.Add("employer", "0190f5f0-0000-7000-8000-000000000000", "suspend", "reason", "basis")
	f.Add("mission", "x", "ban", "", "\x00")
	f.Fuzz(func(t *testing.T, kind, id, action, reason, basis string) {
		in := SanctionInput{SubjectKind: kind, SubjectID: id, Action: action, Reason: reason, LegalBasis: basis}
		if err := in.Validate(); err != nil && (ErrorCode(err) != EINVALID || len(ErrorFields(err)) == 0) {
			t.Fatalf("error %v names no field", err)
		} else if err == nil && (in.Reason == "" || in.LegalBasis == "" || !ValidID(in.SubjectID)) {
			t.Errorf("accepted %+v", in)
		}
	})
}
