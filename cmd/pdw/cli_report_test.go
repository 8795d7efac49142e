package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// TestReport writes the report in each format: one mission with one
// active employment, exact for the office and "<5" with --auditor.
func TestReport(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			vars := dbEnv(storetest.URL(t, dialect))
			mustPDW(t, vars, "", "migrate")
			db := openStore(t, vars["PDW_DATABASE_URL"])
			h := storetest.NewHousehold(t, db)
			active := models.StatusActive
			h.Employment(t, storetest.Date("2026-03-01"), models.EmploymentUpdate{Status: &active}, "tl")
			dir := t.TempDir()
			period := []string{"report", "--from", "2026-01-01", "--to", "2026-06-30"}

			var rep models.Report
			r := mustPDW(t, vars, "", append(period, "--out", "-")...)
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatalf("JSON: %v", err)
			}
			if c := rep.Metric("active"); c == nil || c.Total.Value != 1 || rep.Suppressed {
				t.Errorf("active = %+v, suppressed %v", c, rep.Suppressed)
			}

			csvFile := filepath.Join(dir, "r.csv")
			mustPDW(t, vars, "", append(period, "--format", "csv", "--auditor", "--mission", h.Mission.ID, "--out", csvFile)...)
			f, err := os.Open(csvFile)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := csv.NewReader(f).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, row := range rows {
				if row[1] == "active" && row[3] == "" {
					found = true
					if row[5] != "<5" {
						t.Errorf("auditor's active = %q, want <5", row[5])
					}
				}
			}
			if !found {
				t.Error("no active row in the CSV")
			}

			pdfFile := filepath.Join(dir, "r.pdf")
			mustPDW(t, vars, "", append(period, "--format", "pdf", "--out", pdfFile)...)
			if tool, err := exec.LookPath("pdftotext"); err == nil {
				out, err := exec.Command(tool, pdfFile, "-").Output()
				if err != nil || !strings.Contains(string(out), "Compliance report") {
					t.Errorf("pdftotext: %v %.200s", err, out)
				}
			} else if os.Getenv("PDW_REQUIRE_PDFTOOLS") == "1" {
				t.Fatal("pdftotext missing")
			}

			for _, args := range [][]string{
				{"report", "--to", "2026-06-30", "--out", "-"},
				{"report", "--from", "2026-01-01", "--to", "2026-06-30", "--format", "xls", "--out", "-"},
				{"report", "--from", "2026-01-01", "--to", "2026-06-30"},
			} {
				if r := pdw(t, vars, "", args...); r.code != 2 {
					t.Errorf("pdw %v: exit %d, want 2; %s", args, r.code, r.stderr)
				}
			}
			if r := pdw(t, vars, "", "report", "--from", "2026-07-01", "--to", "2026-06-30", "--out", "-"); r.code != 1 || !strings.Contains(r.stderr, "to") {
				t.Errorf("to before from: exit %d, %s", r.code, r.stderr)
			}
		})
	}
}
