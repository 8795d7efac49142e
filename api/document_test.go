package api

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/contracts"
)

// pdfText extracts the text of a PDF with pdftotext (poppler-utils), or
// skips when it is missing and PDW_REQUIRE_PDFTOOLS is not set.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("PDW_REQUIRE_PDFTOOLS") == "1" {
			t.Fatal("pdftotext is required (PDW_REQUIRE_PDFTOOLS=1) but missing")
		}
		t.Skip("pdftotext not installed")
	}
	f, err := os.CreateTemp(t.TempDir(), "*.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(pdf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f.Name(), "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestAPI_ContractDocument(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		emp := e.approvedEmployment()
		c := e.must(201, "officer", "POST", "/api/v1/employments/"+emp+"/contracts", nil)
		for _, k := range []string{"host_text_version", "worker_text_version"} {
			if !strings.Contains(c.str(k), "draft") {
				t.Errorf("%s=%q, want the text version and its draft status", k, c.str(k))
			}
		}
		pdf := e.must(200, "officer", "GET", "/api/v1/contracts/"+c.str("id")+"/pdf", nil).Raw
		if !strings.HasPrefix(string(pdf), "%PDF-") {
			t.Fatalf("not a PDF: %.20q", pdf)
		}
		text := pdfText(t, pdf)
		for _, want := range []string{"1,200.00", "Worker Test", "Employer head_of_mission", c.str("verify_code"),
			"https://registry.example/verify/" + c.str("verify_code"), "+41 58 000 00 01", "Bern"} {
			if !strings.Contains(text, want) {
				t.Errorf("contract text lacks %q", want)
			}
		}
	})
}

// TestAPI_ArabicContract: a French/Arabic contract through the API; the
// Arabic comes back from the PDF as Arabic text.
func TestAPI_ArabicContract(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		terms := validTerms()
		terms["contract_languages"] = []string{"fr", "ar"}
		id := e.must(201, "officer", "POST", "/api/v1/employments",
			notification(e.worker("officer", "1990-01-01"), e.employer("officer", "head_of_mission"), terms)).str("id")
		e.must(200, "officer", "PATCH", "/api/v1/employments/"+id, map[string]any{"status": "approved"})
		c := e.must(201, "officer", "POST", "/api/v1/employments/"+id+"/contracts", nil)
		if !strings.HasPrefix(c.str("worker_text_version"), "ar ") {
			t.Errorf("worker_text_version=%q", c.str("worker_text_version"))
		}
		text := pdfText(t, e.must(200, "officer", "GET", "/api/v1/contracts/"+c.str("id")+"/pdf", nil).Raw)
		arabic := 0
		for _, r := range text {
			if r >= 0x0600 && r <= 0x06FF {
				arabic++
			}
		}
		if arabic < 500 || !strings.Contains(text, "1,200.00") {
			t.Errorf("the contract holds %d Arabic letters (want hundreds) and the wage: %v", arabic, strings.Contains(text, "1,200.00"))
		}
	})
}

func TestAPI_ContractLanguageRefused(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		for _, lang := range []string{"zh", "xx"} {
			terms := validTerms()
			terms["contract_languages"] = []string{"fr", lang}
			id := e.must(201, "officer", "POST", "/api/v1/employments",
				notification(e.worker("officer", "1990-01-01"), e.employer("officer", "head_of_mission"), terms)).str("id")
			e.must(200, "officer", "PATCH", "/api/v1/employments/"+id, map[string]any{"status": "approved"})
			r := e.must(422, "officer", "POST", "/api/v1/employments/"+id+"/contracts", nil)
			if !strings.Contains(r.field("terms.contract_languages"), lang) {
				t.Errorf("422 for %s does not name it: %s", lang, r.Raw)
			}
			list := e.must(200, "officer", "GET", "/api/v1/employments/"+id+"/contracts", nil)
			if items := list.Body["items"].([]any); len(items) != 0 {
				t.Errorf("a refused contract left %d versions", len(items))
			}
		}
	})
}

func TestAPI_DocumentsNeedTheirSettings(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		opts := testOptions()
		opts.Documents.Help = contracts.Help{}
		e.srv = New(e.db, opts)
		emp := e.approvedEmployment()
		r := e.must(503, "officer", "POST", "/api/v1/employments/"+emp+"/contracts", nil)
		if !strings.Contains(string(r.Raw), "PDW_HELP_OFFICE_PHONE") {
			t.Errorf("503 does not name the missing setting: %s", r.Raw)
		}
	})
}

func TestAPI_WorkerLeaflet(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		wrk := e.worker("mission", "1990-01-01") // languages tl, en; missionA's
		r := e.must(200, "mission", "GET", "/api/v1/workers/"+wrk+"/leaflet.pdf", nil)
		if got, want := r.Header.Get("Content-Type"), "application/pdf"; got != want {
			t.Fatalf("Content-Type=%q, want %q", got, want)
		}
		text := pdfText(t, r.Raw)
		for _, want := range []string{"Worker Test", "+41 58 000 00 03", "112"} {
			if !strings.Contains(text, want) {
				t.Errorf("leaflet lacks %q", want)
			}
		}
		e.must(422, "officer", "GET", "/api/v1/workers/"+wrk+"/leaflet.pdf?lang=zh", nil)
		e.must(400, "officer", "GET", "/api/v1/workers/"+wrk+"/leaflet.pdf?lang=not+a+language", nil)
		e.must(404, "missionB", "GET", "/api/v1/workers/"+wrk+"/leaflet.pdf", nil)
		e.must(403, "auditor", "GET", "/api/v1/workers/"+wrk+"/leaflet.pdf", nil)
	})
}
