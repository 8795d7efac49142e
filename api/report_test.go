package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// reportFixture gives missionA three active employments and missionB one,
// all starting on 2026-12-01, and renames missionA to a formula; a worker
// bears a formula for a name too.
func reportFixture(t *testing.T, e *env) {
	t.Helper()
	e.must(200, "officer", "PATCH", "/api/v1/missions/"+e.missionA.ID, map[string]any{"name": `=HYPERLINK("x")`})
	head := e.employer("officer", "head_of_mission")
	empB := e.must(201, "officer", "POST", "/api/v1/employers", map[string]any{"mission_id": e.missionB.ID, "full_name": "B",
		"rank": "head_of_mission", "immunity": "full"}).str("id")
	for i, employer := range []string{head, head, head, empB} {
		w := e.worker("officer", "1990-01-01")
		if i == 0 {
			e.must(200, "officer", "PATCH", "/api/v1/workers/"+w, map[string]any{"full_name": `=HYPERLINK("x")`})
		}
		id := e.must(201, "officer", "POST", "/api/v1/employments", notification(w, employer, validTerms())).str("id")
		e.must(200, "officer", "PATCH", "/api/v1/employments/"+id, map[string]any{"status": "approved"})
		e.must(200, "officer", "PATCH", "/api/v1/employments/"+id, map[string]any{"status": "active"})
	}
}

const reportPath = "/api/v1/reports/compliance?from=2026-12-01&to=2026-12-31"

func TestAPI_ComplianceReportJSON(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		reportFixture(t, e)
		var rep struct {
			Scope      string `json:"scope"`
			Suppressed bool   `json:"suppressed"`
			Sections   []struct {
				Key     string `json:"key"`
				Metrics []struct {
					Key       string                     `json:"key"`
					Total     json.RawMessage            `json:"total"`
					ByMission map[string]json.RawMessage `json:"by_mission"`
				} `json:"metrics"`
			} `json:"sections"`
		}
		active := func(who string) (total, a, b string) {
			t.Helper()
			r := e.must(200, who, "GET", reportPath, nil)
			if err := json.Unmarshal(r.Raw, &rep); err != nil {
				t.Fatal(err)
			}
			str := func(raw json.RawMessage) string {
				var v any
				if err := json.Unmarshal(raw, &v); err != nil {
					t.Fatal(err)
				}
				return fmt.Sprint(v)
			}
			for _, m := range rep.Sections[0].Metrics {
				if m.Key == "active" {
					return str(m.Total), str(m.ByMission[e.missionA.ID]), str(m.ByMission[e.missionB.ID])
				}
			}
			t.Fatal("no active metric")
			return
		}
		if total, a, b := active("officer"); total != "4" || a != "3" || b != "1" {
			t.Errorf("officer: active %s (A %s, B %s), want 4 (3, 1)", total, a, b)
		}
		if total, a, b := active("admin"); total != "4" || a != "3" || b != "1" {
			t.Errorf("admin: active %s (A %s, B %s), want 4 (3, 1)", total, a, b)
		}
		if total, a, b := active("auditor"); total != "4" || a != "<5" || b != "<5" || !rep.Suppressed {
			t.Errorf("auditor: active %s (A %s, B %s), want 4 (\"<5\", \"<5\")", total, a, b)
		}
		// One mission's report for an auditor: its single worker is hidden in the total too.
		r := e.must(200, "auditor", "GET", reportPath+"&mission_id="+e.missionB.ID, nil)
		if !strings.Contains(string(r.Raw), `"key":"active","label":"Employments active in the period","kind":"count","total":"\u003c5"`) {
			t.Errorf("auditor's report on missionB shows its worker: %.400s", r.Raw)
		}
		e.must(403, "mission", "GET", reportPath, nil)
		e.must(401, "", "GET", reportPath, nil)
	})
}

func TestAPI_ComplianceReportBadParams(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for _, tt := range []struct{ query, field string }{
			{"?to=2026-12-31", "from"},
			{"?from=2026-12-01", "to"},
			{"?from=2026-12-01&to=2026-11-30", "to"},
			{"?from=2026-02-30&to=2026-12-31", "from"},
			{"?from=2026-12-01&to=2026-12-31&format=xls", "format"},
			{"?from=2026-12-01&to=2026-12-31&mission_id=x", "mission_id"},
			{"?from=1990-01-01&to=2026-12-31", "to"},
		} {
			r := e.do("officer", "GET", "/api/v1/reports/compliance"+tt.query, nil)
			if r.Status != http.StatusBadRequest || r.field(tt.field) == "" {
				t.Errorf("%s: %d %s, want 400 naming %s", tt.query, r.Status, r.Raw, tt.field)
			}
		}
		r := e.do("officer", "GET", reportPath+"&mission_id=0190f5f0-0000-7000-8000-000000000000", nil)
		if r.Status != http.StatusUnprocessableEntity || r.field("mission_id") == "" {
			t.Errorf("unknown mission: %d %s", r.Status, r.Raw)
		}
	})
}

// TestAPI_ComplianceReportCSV round-trips the CSV through encoding/csv:
// a header, one row per metric for all missions and per mission, no
// formula cell even with a mission (and a worker) named =HYPERLINK("x").
func TestAPI_ComplianceReportCSV(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		reportFixture(t, e)
		for _, who := range []string{"officer", "auditor"} {
			r := e.must(200, who, "GET", reportPath+"&format=csv", nil)
			if ct := r.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			rows, err := csv.NewReader(bytes.NewReader(r.Raw)).ReadAll()
			if err != nil {
				t.Fatalf("CSV does not parse: %v", err)
			}
			if strings.Join(rows[0], ",") != "section,metric,label,mission_id,mission,value" {
				t.Errorf("header %v", rows[0])
			}
			found := map[string]string{}
			for _, row := range rows[1:] {
				for _, cell := range row {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
						t.Errorf("formula cell %q in row %v", cell, row)
					}
				}
				if row[1] == "active" {
					found[row[3]] = row[5]
					if row[3] == e.missionA.ID && row[4] != `'=HYPERLINK("x")` {
						t.Errorf("mission name cell %q", row[4])
					}
				}
			}
			want := map[string]string{"": "4", e.missionA.ID: "3", e.missionB.ID: "1"}
			if who == "auditor" {
				want[e.missionA.ID], want[e.missionB.ID] = "<5", "<5"
			}
			for k, v := range want {
				if found[k] != v {
					t.Errorf("%s: active for %q = %q, want %q", who, k, found[k], v)
				}
			}
		}
	})
}

// TestAPI_ComplianceReportPDF reads the PDF back with pdftotext.
func TestAPI_ComplianceReportPDF(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		reportFixture(t, e)
		r := e.must(200, "auditor", "GET", reportPath+"&format=pdf", nil)
		if ct := r.Header.Get("Content-Type"); ct != "application/pdf" {
			t.Errorf("Content-Type %q", ct)
		}
		text := strings.Join(strings.Fields(pdfText(t, r.Raw)), " ")
		for _, want := range []string{"Compliance report", "2026-12-01 to 2026-12-31", "Register", "Check-ins", "Sanctions",
			"Exits", "Briefings and languages", "Employments active in the period 4", "<5", "Page 2 of"} {
			if !strings.Contains(text, want) {
				t.Errorf("PDF lacks %q", want)
			}
		}
	})
}
