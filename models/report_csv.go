package models

import (
	"encoding/csv"
	"io"
	"strings"
)

// CSVHeader is the header row of the report's CSV.
var CSVHeader = []string{"section", "metric", "label", "mission_id", "mission", "value"}

// WriteCSV writes r as UTF-8 CSV with a header: one row per metric for
// all missions (mission_id empty, mission "All missions") and one per
// mission and metric. Hidden cells read "<5"; cells that a spreadsheet
// would take for a formula are neutralised (see CSVSafe).
func (r *Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	row := make([]string, len(CSVHeader))
	for _, s := range r.Sections {
		for _, m := range s.Metrics {
			write := func(id, name string, c Cell) error {
				row[0], row[1], row[2], row[3], row[4], row[5] = s.Key, m.Key, m.Label, id, name, c.String()
				for i := range row {
					row[i] = CSVSafe(row[i])
				}
				return cw.Write(row)
			}
			if err := write("", "All missions", m.Total); err != nil {
				return err
			}
			for _, ms := range r.Missions {
				if err := write(ms.ID, ms.Name, m.ByMission[ms.ID]); err != nil {
					return err
				}
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// CSVSafe neutralises a cell that a spreadsheet would run as a formula:
// one starting with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe (OWASP's advice), so it reads as text.
func CSVSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
