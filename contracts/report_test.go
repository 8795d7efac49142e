package contracts

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
)

// testReport builds a report over two missions from invented counts, one
// mission with a single worker; suppress makes it an auditor's.
func testReport(suppress bool) *models.Report {
	c := models.NewReportCounts()
	c.Missions = []models.ReportMission{{ID: "m-a", Name: "Embassy of Ruritania"}, {ID: "m-b", Name: "Embassy of Freedonia"}}
	c.AsOf = time.Date(2026, 7, 1, 6, 0, 0, 0, time.UTC)
	for key, v := range map[string][2]float64{
		"active": {40, 1}, "entries": {7, 1}, "checkins_due": {30, 1}, "checkins_on_time": {22, 1}, "checkins_missed": {6, 0},
		"checkins_late": {2, 0}, "with_contract": {38, 1}, "language.tl": {12, 1}, "briefings": {12, 1},
	} {
		c.Set(key, "m-a", v[0])
		c.Set(key, "m-b", v[1])
	}
	c.Set("median_days_to_registration", "m-a", 6)
	c.Set("median_days_to_registration", "", 6)
	q := models.ReportQuery{From: models.Date{Year: 2026, Month: 1, Day: 1}, To: models.Date{Year: 2026, Month: 6, Day: 30}, MinCell: 5}
	return models.BuildReport(q, c, time.Date(2026, 7, 1, 8, 30, 0, 0, time.UTC), suppress)
}

func renderReport(tb testing.TB, r *models.Report) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := RenderReport(&buf, r); err != nil {
		tb.Fatalf("RenderReport: %v", err)
	}
	return buf.Bytes()
}

// TestRenderReport reads the PDF back: the cover's period, scope and
// times, every section's title, the figures, the page numbers; an
// auditor's report prints "<5" where an officer's prints the count.
func TestRenderReport(t *testing.T) {
	officer := renderReport(t, testReport(false))
	text := pdfText(t, officer)
	want := []string{"Compliance report", "2026-01-01 to 2026-06-30", "Scope All missions", "Generated 2026-07-01 08:30 UTC",
		"Data as of 2026-07-01 06:00 UTC", "Exact figures", "Embassy of Ruritania", "Embassy of Freedonia",
		"Employments active in the period 41", "Check-ins per mission: attended on schedule and missed", "Page 1 of"}
	for _, s := range models.ReportSections {
		want = append(want, s.Title)
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("officer's PDF lacks %q", w)
		}
	}
	auditor := pdfText(t, renderReport(t, testReport(true)))
	for _, w := range []string{"Small counts suppressed", "<5", "Employments active in the period 41"} {
		if !strings.Contains(auditor, w) {
			t.Errorf("auditor's PDF lacks %q", w)
		}
	}
	if strings.Contains(auditor, "Exact figures") {
		t.Error("auditor's PDF claims exact figures")
	}
	if !bytes.HasPrefix(officer, []byte("%PDF-")) {
		t.Error("not a PDF")
	}
	// Deterministic: the same report gives the same bytes.
	if again := renderReport(t, testReport(false)); !bytes.Equal(again, officer) {
		t.Error("two renders of the same report differ")
	}
}

func TestRenderReport_NeedsTime(t *testing.T) {
	r := testReport(false)
	r.GeneratedAt = time.Time{}
	if err := RenderReport(&bytes.Buffer{}, r); err == nil {
		t.Error("a report without a generation time rendered")
	}
}
