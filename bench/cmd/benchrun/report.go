package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// write renders RESULTS.md.
func (r *runner) write() error {
	res := r.res
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("# Benchmark results\n\n")
	p("Written by `bench/run.sh` (bench/cmd/benchrun); do not edit by hand. Every figure below was measured in\n")
	p("this one run on this machine, against anchors measured in the same run. Load generator, `pdw serve`\n")
	p("and PostgreSQL share the same cores, as in `research/perf-anchors.md`.\n\n")

	p("## Machine\n\n| fact | value |\n|---|---|\n")
	for _, m := range res.Machine {
		p("| %s | %s |\n", m[0], m[1])
	}
	p("| load average (1, 5, 15 min) | %s at the start, %s at the end (other work on the machine shows here) |\n", res.LoadStart, res.LoadEnd)
	p("| wall time of the run | %s |\n\n", res.Elapsed.Round(1e9))

	sTPS, bTPS := res.PgbenchS, res.PgbenchTPCB
	p("## Anchors\n\n| anchor | result | command |\n|---|---|---|\n")
	p("| `pgbench -S` (select only) | **%.0f TPS**, latency avg %s | `pgbench -i -s 10`, then `pgbench -S -c 8 -j 2 -T N -n` |\n", sTPS, res.PgbenchSLat)
	p("| `pgbench` TPC-B-like | **%.0f TPS**, latency avg %s | `pgbench -c 8 -j 2 -T N -n` |\n", bTPS, res.PgbenchTPCBLat)
	if b := res.Bare; b != nil {
		p("| bare Gin + GORM GET-by-id (perf-anchors 3c: Gin release + Recovery only, GORM defaults, pgx, pool 16; 100,000 rows) | **%.0f req/s**, %.2fx pgbench -S (0.56x where the anchors were measured); p50 %.1f / p99 %.1f ms, %d errors | bench/cmd/bareapi under `bench/cmd/load -scenario bare-get -c %d` |\n",
			b.RPS, safeDiv(b.RPS, sTPS), b.P50, b.P99, b.Errors, r.cfg.conns)
	}
	pd := res.PDF
	if pd.Skip == "" && pd.WarmMedianMS > 0 {
		p("| headless Chromium, browser kept open (chromedp, new tab per document) | **%.0f ms/doc** median of %d (browser start %.0f ms) | bench/cmd/pdfbench |\n",
			pd.WarmMedianMS, pd.WarmN, pd.WarmStartMS)
		p("| headless Chromium, one process per document (`chromium --headless --print-to-pdf`) | **%.0f ms/doc** median of %d | bench/cmd/pdfbench |\n",
			pd.ColdMedianMS, pd.ColdN)
	} else if pd.Skip != "" {
		p("| headless Chromium | not measured: %s | |\n", pd.Skip)
	}
	p("\nSeeded: %d missions, %d employers, %d workers (%d of them without an employment, for POST), %d employments, %d appointments in %.1f s (bulk rows by COPY: %.1f s).\n\n",
		res.Seed.Counts.Missions, res.Seed.Counts.Employers, res.Seed.Counts.Workers, res.Seed.Counts.FreeWorkers,
		res.Seed.Counts.Employments, res.Seed.Counts.Appointments, res.Seed.SeedSeconds, res.Seed.CopySeconds)

	// The targets of DESIGN.md section 8.
	type row struct{ work, figure, ratio, target, verdict string }
	var rows []row
	verdict := func(ok bool) string {
		if ok {
			return "**met**"
		}
		return "**not met**"
	}
	ratio := func(a, b float64) string {
		if b == 0 {
			return "n/a"
		}
		return fmt.Sprintf("%.2fx", a/b)
	}

	if pd.FpdfMedianMS > 0 {
		fig := fmt.Sprintf("%.1f ms median of %d (first, fonts parsed: %.1f ms; min %.1f ms), %.1f MB allocated/doc, %d pages, %d bytes (%s)",
			pd.FpdfMedianMS, pd.FpdfN, pd.FpdfFirstMS, pd.FpdfMinMS, pd.FpdfAllocMB, pd.FpdfPages, pd.FpdfBytes, pd.Languages)
		rows = append(rows, row{"bilingual contract PDF (fpdf)", fig, ratio(pd.FpdfMedianMS, 10) + " of the 10 ms budget",
			"median <= 10 ms", verdict(pd.FpdfMedianMS <= 10)})
		if len(pd.Shaped) > 0 {
			worst, figs := pd.Shaped[0], make([]string, len(pd.Shaped))
			for i, sh := range pd.Shaped {
				figs[i] = fmt.Sprintf("%s %.1f", sh.Languages, sh.MedianMS)
				if sh.MedianMS > worst.MedianMS {
					worst = sh
				}
			}
			rows = append(rows, row{"bilingual contract PDF, shaped scripts (fpdf)",
				fmt.Sprintf("ms median of %d each: %s", worst.N, strings.Join(figs, ", ")),
				ratio(worst.MedianMS, 10) + " of the 10 ms budget (slowest, " + worst.Languages + ")",
				"median <= 10 ms", verdict(worst.MedianMS <= 10)})
		}
		if pd.WarmMedianMS > 0 {
			rows = append(rows, row{"contract PDF vs warm Chromium", fmt.Sprintf("%.0f ms vs %.1f ms", pd.WarmMedianMS, pd.FpdfMedianMS),
				fmt.Sprintf("fpdf %.0fx faster (vs one process per document: %.0fx)", pd.WarmMedianMS/pd.FpdfMedianMS, pd.ColdMedianMS/pd.FpdfMedianMS),
				">= 50x faster than warm Chromium", verdict(pd.WarmMedianMS/pd.FpdfMedianMS >= 50)})
		}
	}
	lat := func(l loadResult) string {
		return fmt.Sprintf("p50 %.1f / p90 %.1f / p99 %.1f ms, %d requests, %d errors", l.P50, l.P90, l.P99, l.Requests, l.Errors)
	}
	if l, ok := res.Loads["get-mission"]; ok {
		vs := ratio(l.RPS, sTPS) + " of pgbench -S"
		if b := res.Bare; b != nil {
			vs += "; " + ratio(l.RPS, b.RPS) + " of the bare Gin + GORM GET"
		}
		rows = append(rows, row{"GET one record, no personal data (`GET /api/v1/missions/:id`)", fmt.Sprintf("%.0f req/s; %s", l.RPS, lat(l)),
			vs, ">= 0.5x pgbench -S, p99 <= 25 ms", verdict(l.RPS >= 0.5*sTPS && l.P99 <= 25 && l.Errors == 0)})
	}
	if l, ok := res.Loads["get-worker"]; ok {
		rows = append(rows, row{"GET a worker's personal data, audit row written (`GET /api/v1/workers/:id`)", fmt.Sprintf("%.0f req/s; %s", l.RPS, lat(l)),
			ratio(l.RPS, bTPS) + " of TPC-B", ">= 1x pgbench TPC-B", verdict(l.RPS >= bTPS && l.Errors == 0)})
	}
	if l, ok := res.Loads["list"]; ok {
		rows = append(rows, row{"list, 50 rows, keyset (`GET /api/v1/employments?mission_id=&limit=50`)", fmt.Sprintf("%.0f req/s; %s", l.RPS, lat(l)),
			ratio(l.RPS, sTPS) + " of pgbench -S", ">= 0.2x pgbench -S", verdict(l.RPS >= 0.2*sTPS && l.Errors == 0)})
	}
	if l, ok := res.Loads["post-employment"]; ok {
		rows = append(rows, row{"POST a notification (`POST /api/v1/employments`)", fmt.Sprintf("%.0f req/s; %s", l.RPS, lat(l)),
			ratio(l.RPS, bTPS) + " of TPC-B", "(no target; anchor TPC-B)", "—"})
	}
	if res.Report.Skipped != "" {
		rows = append(rows, row{"compliance report, per mission", "not measured: " + res.Report.Skipped, "", "<= 150 ms on PostgreSQL, <= 600 ms on SQLite, < 20 MB", "not measured"})
	} else if res.Report.Requests > 0 {
		rows = append(rows, row{"compliance report, per mission (over HTTP)", fmt.Sprintf("%.0f ms median of %d", res.Report.P50, res.Report.Requests),
			ratio(res.Report.P50, 150) + " of 150 ms", "<= 150 ms on PostgreSQL", verdict(res.Report.P50 <= 150)})
	}
	if v, ok := res.Plan["due"]; ok {
		rows = append(rows, row{"scheduler planning pass, 100,000 employments due (PostgreSQL)", fmt.Sprintf("%.2f s", v/1e9),
			ratio(v/1e9, 5) + " of 5 s", "<= 5 s", verdict(v/1e9 <= 5)})
	}
	if v, ok := res.Plan["nothing-due"]; ok {
		rows = append(rows, row{"scheduler planning pass, nothing due (PostgreSQL)", fmt.Sprintf("%.2f ms", v/1e6),
			ratio(v/1e6, 20) + " of 20 ms", "<= 20 ms", verdict(v/1e6 <= 20)})
	}
	if v, ok := res.Plan["nothing-due-after-due"]; ok {
		rows = append(rows, row{"planning pass, nothing due, the first pass right after the 100,000 (it walks the index entries they left)", fmt.Sprintf("%.2f ms", v/1e6),
			ratio(v/1e6, 20) + " of 20 ms", "<= 20 ms", verdict(v/1e6 <= 20)})
	}
	if v, ok := res.Plan["nothing-due-old-snapshot"]; ok {
		rows = append(rows, row{"planning pass, nothing due, an older snapshot open", fmt.Sprintf("%.2f ms", v/1e6),
			ratio(v/1e6, 20) + " of 20 ms", "<= 20 ms", verdict(v/1e6 <= 20)})
	}
	if res.RSSMax > 0 {
		rows = append(rows, row{"server memory under the API load above", fmt.Sprintf("RSS max %.0f MiB sampled every 250 ms (VmHWM %.0f MiB)", res.RSSMax, res.RSSHWM),
			ratio(res.RSSMax, 150) + " of 150 MB", "RSS <= 150 MB", verdict(res.RSSMax <= 150)})
	}
	if res.Soak != nil {
		s := res.Soak
		flat, growth := soakFlat(s.RSSSamples)
		rows = append(rows, row{fmt.Sprintf("soak: %s of mixed load", r.cfg.soak), fmt.Sprintf("%.0f req/s, %d requests, %d errors; RSS %s", s.RPS, s.Requests, s.Errors, samples(s.RSSSamples)),
			fmt.Sprintf("RSS last third vs first third: %+.0f%%", growth*100), "zero errors, flat RSS", verdict(s.Errors == 0 && flat)})
	}
	if cr := res.Crash; cr != nil {
		rows = append(rows, row{"crash: kill -9 during a batch of notifications",
			fmt.Sprintf("%d answered 201, %d stored (%d committed unanswered), %d answered but lost, %d half-written; restart %v in %.1f s; audit verify: %s",
				cr.Acknowledged, cr.Stored, cr.Unacknowledged, cr.MissingAck, cr.HalfWritten, cr.Restarted, cr.RestartSeconds, cr.AuditVerify),
			"", "no half-written employment, clean restart", verdict(cr.OK)})
	}

	p("## Targets (DESIGN.md section 8)\n\n| work | figure | ratio to anchor / target | target | verdict |\n|---|---|---|---|---|\n")
	for _, rw := range rows {
		p("| %s | %s | %s | %s | %s |\n", rw.work, rw.figure, rw.ratio, rw.target, rw.verdict)
	}
	p("\n")

	p("## Details\n\n")
	p("- Load: `bench/cmd/load`, a separate process, %d connections (keep-alive), an officer's API token, random ids from the\n", r.cfg.conns)
	p("  seeded rows; every request checked for its status (200, or 201 for POST). Latency is measured by the client.\n")
	if l, ok := res.Loads["get-mission"]; ok && l.Client == "raw" {
		p("  GETs (the bare anchor's too) go through its raw client: one HTTP/1.1 connection per worker, requests written by\n")
		p("  hand, answers read by `http.ReadResponse` (about half the client CPU of `net/http.Client`, nearer wrk, which\n")
		p("  measured the anchors); POSTs through `net/http.Client`. `-client std` sends GETs through `net/http.Client` too.\n")
	}
	p("  Server: `pdw serve` with its defaults (JSON access log at info, to a file; scheduler running), on PostgreSQL.\n")
	if res.Errors5xx >= 0 {
		p("- 5xx answers counted by the server's own `/metrics` over the API runs: %.0f.\n", res.Errors5xx)
	}
	if b := res.Bare; b != nil {
		p("- Bare anchor (`bare-get`): %.1f s measured, statuses %v, max latency %.0f ms; the same load generator and client as\n", b.Seconds, b.Statuses, b.Max)
		p("  `get-mission` (Go, not wrk as in perf-anchors.md), so its ratio to pgbench -S here shows what this machine and generator\n")
		p("  leave to any Gin + GORM stack, and GET one mission's ratio to it what the registry's own chain costs.\n")
		if b.FirstError != "" {
			p("  First error: %s\n", b.FirstError)
		}
	}
	keys := make([]string, 0, len(res.Loads))
	for k := range res.Loads {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		l := res.Loads[k]
		p("- `%s`: %.1f s measured, statuses %v, max latency %.0f ms, server RSS max %.0f MiB", k, l.Seconds, l.Statuses, l.Max, l.RSSMaxMB)
		if l.FirstError != "" {
			p(", first error: %s", l.FirstError)
		}
		p("\n")
	}
	if pd.FpdfMedianMS > 0 {
		p("- Contract PDF: `contracts.Render` of the 3-page %s contract in one process (the server renders a contract once\n", pd.Languages)
		p("  per version and then serves the stored bytes). Chromium printed an HTML page with the same text (pdftotext of\n")
		p("  the PDF, page for page) in the same embedded Noto fonts; %s.\n", pd.Version)
	}
	if res.PlanRaw != "" {
		p("- Planning pass: `go test -run '^$' -bench '^BenchmarkPlan$/^postgres$' ./scheduler` (its own 100,000 employments, seeded\n  with GORM in a separate database):\n\n```\n%s```\n", res.PlanRaw)
	}
	for _, n := range res.Notes {
		p("- %s\n", n)
	}
	if r.cfg.soak == 0 {
		p("- The soak did not run in this invocation (`--soak 10m`).\n")
	} else if res.Soak == nil {
		p("- The soak did not run (see the notes above).\n")
	}
	if !r.cfg.crash {
		p("- The crash check did not run in this invocation (`--crash`).\n")
	}

	if err := os.MkdirAll(filepath.Dir(r.cfg.out), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(r.cfg.out, []byte(b.String()), 0o644); err != nil {
		return err
	}
	fmt.Fprint(os.Stdout, b.String())
	return nil
}

func safeDiv(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// soakFlat compares the mean RSS of the last third of the samples with the
// first third: flat when it grew by less than 20 %.
func soakFlat(s []float64) (bool, float64) {
	if len(s) < 3 {
		return true, 0
	}
	third := len(s) / 3
	mean := func(xs []float64) float64 {
		var t float64
		for _, x := range xs {
			t += x
		}
		return t / float64(len(xs))
	}
	first, last := mean(s[:third]), mean(s[len(s)-third:])
	growth := last/first - 1
	return growth < 0.2, growth
}

func samples(s []float64) string {
	if len(s) == 0 {
		return "not sampled"
	}
	parts := make([]string, len(s))
	for i, v := range s {
		parts[i] = fmt.Sprintf("%.0f", v)
	}
	return strings.Join(parts, " ") + " MiB every 10 s"
}
