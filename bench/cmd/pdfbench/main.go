// Command pdfbench times the contract PDF against headless Chromium
// printing the same contract: fpdf in this process (contracts.Render, the
// fonts parsed on the first document), Chromium kept running and driven
// through chromedp (a new tab per document), and one Chromium process per
// document (`chromium --headless --print-to-pdf`). The HTML is the
// contract's own text (pdftotext of the rendered PDF, one page per page)
// set in the same embedded Noto fonts through @font-face. It prints one
// JSON result.
//
//	pdfbench -fonts contracts/fonts -dir /tmp/pdf -n 50 -chromium /usr/bin/chromium
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pdw-registry/pdw/contracts"
	"github.com/pdw-registry/pdw/models"
)

// Result is printed as JSON; times in milliseconds.
type Result struct {
	Languages      string  `json:"languages"`
	FpdfFirstMS    float64 `json:"fpdf_first_ms"`  // first document: fonts parsed
	FpdfMedianMS   float64 `json:"fpdf_median_ms"` // the next -n
	FpdfMinMS      float64 `json:"fpdf_min_ms"`
	FpdfAllocMB    float64 `json:"fpdf_alloc_mb_per_doc"`
	FpdfPages      int     `json:"fpdf_pages"`
	FpdfBytes      int     `json:"fpdf_bytes"`
	FpdfN          int     `json:"fpdf_n"`
	WarmStartMS    float64 `json:"chromium_warm_start_ms,omitempty"`
	WarmMedianMS   float64 `json:"chromium_warm_median_ms,omitempty"`
	WarmN          int     `json:"chromium_warm_n,omitempty"`
	WarmBytes      int     `json:"chromium_warm_bytes,omitempty"`
	ColdMedianMS   float64 `json:"chromium_process_median_ms,omitempty"`
	ColdN          int     `json:"chromium_process_n,omitempty"`
	ChromiumSkip   string  `json:"chromium_skipped,omitempty"`
	ChromiumVerson string  `json:"chromium_version,omitempty"`
	// Shaped: the same contract with each -shaped worker language (fpdf
	// only; these scripts go through the shaper, the slowest path).
	Shaped []Shaped `json:"shaped,omitempty"`
}

// Shaped is the fpdf timing of one shaped contract.
type Shaped struct {
	Languages string  `json:"languages"`
	MedianMS  float64 `json:"median_ms"`
	MinMS     float64 `json:"min_ms"`
	N         int     `json:"n"`
}

func main() {
	var (
		fonts    = flag.String("fonts", "contracts/fonts", "directory of the contract fonts (for the HTML)")
		dir      = flag.String("dir", os.TempDir(), "where to write contract.pdf, contract.html and Chromium's PDFs")
		n        = flag.Int("n", 50, "fpdf documents timed")
		warmN    = flag.Int("warm", 20, "documents through the running browser")
		coldN    = flag.Int("cold", 5, "documents with one Chromium process each")
		chromium = flag.String("chromium", "/usr/bin/chromium", "Chromium executable")
		host     = flag.String("host", "fr", "host language")
		worker   = flag.String("worker", "tl", "worker language")
		shaped   = flag.String("shaped", "", "comma-separated worker languages also timed with fpdf alone (e.g. ar,hi)")
	)
	flag.Parse()
	res, err := run(*fonts, *dir, *chromium, *host, *worker, *n, *warmN, *coldN)
	if err != nil {
		log.Fatal("pdfbench: ", err)
	}
	for _, lang := range strings.Split(*shaped, ",") {
		if lang = strings.TrimSpace(lang); lang == "" {
			continue
		}
		sh, err := timeShaped(*host, lang, *n)
		if err != nil {
			log.Fatal("pdfbench: ", err)
		}
		res.Shaped = append(res.Shaped, sh)
	}
	out, _ := json.Marshal(res)
	fmt.Println(string(out))
}

// timeShaped renders the host/worker contract once (its fonts parsed)
// and then times n more.
func timeShaped(host, worker string, n int) (Shaped, error) {
	sh := Shaped{Languages: host + "/" + worker, N: n}
	c, err := contract(host, worker)
	if err != nil {
		return sh, err
	}
	var buf bytes.Buffer
	times := make([]time.Duration, 0, n)
	for i := range n + 1 {
		buf.Reset()
		t := time.Now()
		if err := contracts.Render(&buf, c, contracts.Options{}); err != nil {
			return sh, fmt.Errorf("%s: %w", sh.Languages, err)
		}
		if i > 0 {
			times = append(times, time.Since(t))
		}
	}
	sh.MedianMS, sh.MinMS = ms(median(times)), ms(slices.Min(times))
	return sh, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func run(fontDir, dir, chromium, host, worker string, n, warmN, coldN int) (Result, error) {
	res := Result{Languages: host + "/" + worker, FpdfN: n}
	c, err := contract(host, worker)
	if err != nil {
		return res, err
	}
	var buf bytes.Buffer
	t0 := time.Now()
	if err := contracts.Render(&buf, c, contracts.Options{}); err != nil {
		return res, err
	}
	res.FpdfFirstMS = ms(time.Since(t0))
	pdf := slices.Clone(buf.Bytes())
	res.FpdfBytes = len(pdf)
	res.FpdfPages = bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page "))
	var times []time.Duration
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range n {
		buf.Reset()
		t := time.Now()
		if err := contracts.Render(&buf, c, contracts.Options{}); err != nil {
			return res, err
		}
		times = append(times, time.Since(t))
	}
	runtime.ReadMemStats(&after)
	res.FpdfMedianMS, res.FpdfMinMS = ms(median(times)), ms(slices.Min(times))
	res.FpdfAllocMB = float64(after.TotalAlloc-before.TotalAlloc) / float64(n) / (1 << 20)

	pdfPath := filepath.Join(dir, "contract.pdf")
	if err := os.WriteFile(pdfPath, pdf, 0o600); err != nil {
		return res, err
	}
	if _, err := exec.LookPath(chromium); err != nil {
		res.ChromiumSkip = chromium + " not found"
		return res, nil
	}
	if v, err := exec.Command(chromium, "--version").Output(); err == nil {
		res.ChromiumVerson = strings.TrimSpace(string(v))
	}
	htmlPath := filepath.Join(dir, "contract.html")
	if err := writeHTML(pdfPath, htmlPath, fontDir); err != nil {
		res.ChromiumSkip = "no HTML: " + err.Error()
		return res, nil
	}
	url := "file://" + htmlPath

	// A running browser, a new tab per document.
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("allow-file-access-from-files", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	t0 = time.Now()
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		res.ChromiumSkip = "chromedp: " + err.Error()
		return res, nil
	}
	res.WarmStartMS = ms(time.Since(t0))
	var warm []time.Duration
	for i := range warmN + 1 {
		tctx, cancelT := chromedp.NewContext(bctx)
		t := time.Now()
		err := chromedp.Do(tctx, chromedp.Navigate(url))
		var out []byte
		if err == nil {
			out, err = chromedp.Run(tctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4),
				chromedp.PDFPrintBackground(), chromedp.PDFPreferCSSPageSize()))
		}
		d := time.Since(t)
		cancelT()
		if err != nil {
			res.ChromiumSkip = "chromedp print: " + err.Error()
			return res, nil
		}
		if i > 0 { // the first tab is a warm-up
			warm = append(warm, d)
		}
		res.WarmBytes = len(out)
	}
	cancelB()
	cancelA()
	res.WarmN, res.WarmMedianMS = len(warm), ms(median(warm))

	// One process (and a fresh profile) per document.
	var cold []time.Duration
	for i := range coldN {
		profile, err := os.MkdirTemp(dir, "chromium-profile-")
		if err != nil {
			return res, err
		}
		out := filepath.Join(dir, fmt.Sprintf("chromium-%d.pdf", i))
		t := time.Now()
		cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
			"--allow-file-access-from-files", "--user-data-dir="+profile, "--print-to-pdf="+out, url)
		cmd.Stdout, cmd.Stderr = nil, nil
		err = cmd.Run()
		cold = append(cold, time.Since(t))
		os.RemoveAll(profile)
		if err != nil {
			res.ChromiumSkip = "chromium --print-to-pdf: " + err.Error()
			return res, nil
		}
	}
	res.ColdN, res.ColdMedianMS = len(cold), ms(median(cold))
	return res, nil
}

// writeHTML sets the PDF's text (pdftotext, pages split at form feeds) in
// the contract fonts, one printed page per PDF page.
func writeHTML(pdfPath, htmlPath, fontDir string) error {
	text, err := exec.Command("pdftotext", "-enc", "UTF-8", pdfPath, "-").Output()
	if err != nil {
		return fmt.Errorf("pdftotext: %w", err)
	}
	abs, err := filepath.Abs(fontDir)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("<!doctype html><html><head><meta charset=\"utf-8\"><title>Contract</title><style>\n")
	for _, f := range []struct{ family, file, weight string }{
		{"Noto Sans", "NotoSans-Regular.ttf", "normal"}, {"Noto Sans", "NotoSans-Bold.ttf", "bold"},
		{"Noto Sans Ethiopic", "NotoSansEthiopic-Regular.ttf", "normal"}, {"Noto Naskh Arabic", "NotoNaskhArabic-Regular.ttf", "normal"},
	} {
		fmt.Fprintf(&b, "@font-face{font-family:%q;src:url(\"file://%s\");font-weight:%s}\n", f.family, filepath.Join(abs, f.file), f.weight)
	}
	b.WriteString("@page{size:A4;margin:12mm 12mm}\nbody{font-family:\"Noto Sans\",\"Noto Sans Ethiopic\",\"Noto Naskh Arabic\";font-size:7.5pt;line-height:1.2}\n" +
		".page{break-after:page}\np{margin:0 0 .5em}\n</style></head><body>\n")
	for _, pg := range strings.Split(strings.TrimRight(string(text), "\f\n"), "\f") {
		b.WriteString("<div class=\"page\">\n")
		for _, para := range strings.Split(pg, "\n\n") {
			if para = strings.TrimSpace(para); para != "" {
				b.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(para), "\n", "<br>") + "</p>\n")
			}
		}
		b.WriteString("</div>\n")
	}
	b.WriteString("</body></html>\n")
	return os.WriteFile(htmlPath, []byte(b.String()), 0o600)
}

// contract is a complete 3-page contract (invented people), as the
// contracts package's own benchmark renders.
func contract(host, worker string) (contracts.Contract, error) {
	in, err := models.Preset("ch-pheo-2011")
	if err != nil {
		return contracts.Contract{}, err
	}
	p, err := in.Policy()
	if err != nil {
		return contracts.Contract{}, err
	}
	date := func(s string) *models.Date {
		d, err := models.ParseDate(s)
		if err != nil {
			panic(err)
		}
		return &d
	}
	return contracts.Contract{
		HostLanguage: host, WorkerLanguage: worker, Version: 2, VerifyCode: "K7P2-9QXM",
		VerifyURL: "https://registry.protocol.example/verify/K7P2-9QXM",
		IssuedAt:  time.Date(2026, 7, 15, 10, 30, 0, 0, time.UTC), Place: "Bern",
		Employer: contracts.Employer{FullName: "Ana Lima Pereira", Rank: models.RankDiplomat,
			MissionName: "Embassy of Ruritania", MissionCountry: "Ruritania"},
		Worker: contracts.Worker{FullName: "Maria Santos Dela Cruz", Nationality: "Philippines",
			DateOfBirth: date("1990-04-12"), PassportNumber: "P1234567A"},
		StartDate: date("2026-09-01"), EndDate: date("2028-08-31"),
		Terms: models.Terms{MonthlyNetWageMinor: 120000, Currency: "CHF", WeeklyHours: 42, DailyRestHours: 11,
			WeeklyRestDays: 1.5, AnnualLeaveWeeks: 5, PublicHolidays: 9, OvertimePremiumPct: 25, NightPremiumPct: 100,
			SundayPremiumPct: 50, OwnLockableRoom: true, PaidIntoSoleNameAccount: true, WorkerKeepsPassport: true,
			OwnPhoneAndFamilyContact: true, HealthInsuranceByEmployer: true, AccidentInsuranceByEmpl: true,
			ReturnTravelByEmployer: true, NoticePeriodDays: 45, PayDay: 25,
			Duties:            models.Strings{"housekeeping", "cooking", "care of two children"},
			ContractLanguages: models.Strings{host, worker}},
		Policy: *p,
		Help: contracts.Help{Office: contracts.Contact{Name: "Protocol Office duty line", Phone: "+41 00 000 00 01"},
			Mediation: contracts.Contact{Name: "Bureau de l'amiable compositeur", Phone: "+41 00 000 00 02"},
			NGO:       contracts.Contact{Name: "Domestic Workers' Support Centre", Phone: "+41 00 000 00 03"},
			Emergency: "112"},
	}, nil
}
