package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"slices"

	"github.com/pdw-registry/pdw/contracts"
	"github.com/pdw-registry/pdw/models"
)

// cmdReport writes the compliance report for a period to --out (or "-"
// for stdout): exact figures, as the protocol office sees them, or with
// --auditor as an auditor's report (small counts suppressed by
// PDW_REPORT_MIN_CELL). The file is written whole or not at all.
func cmdReport(ctx context.Context, e *env, args []string) error {
	var from, to, mission, format, out string
	var auditor bool
	if err := flags(e, "report", args, func(fs *flag.FlagSet) {
		fs.StringVar(&from, "from", "", "first day of the period (YYYY-MM-DD)")
		fs.StringVar(&to, "to", "", "last day of the period (YYYY-MM-DD)")
		fs.StringVar(&mission, "mission", "", "one mission's id (default: every mission)")
		fs.StringVar(&format, "format", "json", "json, csv or pdf")
		fs.StringVar(&out, "out", "", "file to write (- for standard output)")
		fs.BoolVar(&auditor, "auditor", false, "suppress small counts as an auditor's report does")
	}); err != nil {
		return err
	}
	q := models.ReportQuery{MissionID: mission, MinCell: e.cfg.ReportMinCell}
	fields := models.FieldErrors{}
	for name, v := range map[string]struct {
		s   string
		dst *models.Date
	}{"--from": {from, &q.From}, "--to": {to, &q.To}} {
		d, err := models.ParseDate(v.s)
		if err != nil {
			fields.Add(name, err.Error())
		}
		*v.dst = d
	}
	if !slices.Contains(models.ReportFormats, format) {
		fields.Add("--format", "must be json, csv or pdf")
	}
	if out == "" {
		fields.Add("--out", "is required (a file, or - for standard output)")
	}
	if len(fields) > 0 {
		return &exitError{code: 2, msg: (&models.Error{Code: models.EBADREQUEST, Message: "report: bad arguments.", Fields: fields}).Error()}
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if auditor {
		a := models.ActorFrom(ctx)
		a.Role = models.RoleAuditor
		ctx = models.WithActor(ctx, a)
	}
	r, err := db.ComplianceReport(ctx, q)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch format {
	case models.ReportCSV:
		err = r.WriteCSV(&buf)
	case models.ReportPDF:
		err = contracts.RenderReport(&buf, r)
	default:
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	}
	if err != nil {
		return err
	}
	if out == "-" {
		_, err = e.stdout.Write(buf.Bytes())
		return err
	}
	return os.WriteFile(out, buf.Bytes(), 0o600)
}
