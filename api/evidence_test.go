package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"mime"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// testFileBytes returns a small document of the content type ct: the
// file's signature followed by some bytes.
func testFileBytes(ct string) []byte {
	head := map[string]string{"application/pdf": "%PDF-1.4\n", "image/jpeg": "\xff\xd8\xff\xe0", "image/png": "\x89PNG\r\n\x1a\n"}[ct]
	return append([]byte(head), []byte("evidence document body")...)
}

// testFile is the "file" member of an evidence body.
func testFile(ct string) map[string]any {
	return map[string]any{"name": "statement 10-2026.pdf", "content_type": ct, "data": base64.StdEncoding.EncodeToString(testFileBytes(ct))}
}

// TestAPI_EvidenceFile files evidence with documents and reads them back:
// the bytes, content type, attachment disposition and hash; who may read
// which; bad documents named by field; the read audited.
func TestAPI_EvidenceFile(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := e.must(201, "mission", "POST", "/api/v1/employments",
			notification(e.worker("mission", "1990-01-01"), e.employer("mission", "diplomat"), validTerms())).str("id")
		path := "/api/v1/employments/" + id + "/evidence"
		pay := e.must(201, "mission", "POST", path, map[string]any{"kind": "pay", "month": "2026-12", "amount": "1200.5",
			"sole_name_account": true, "file": testFile("application/pdf")})
		if got := pay.str("amount"); got != "1200.50" {
			t.Errorf("amount %q, want 1200.50", got)
		}
		sum := sha256.Sum256(testFileBytes("application/pdf"))
		if got := pay.str("file_sha256"); got != hex.EncodeToString(sum[:]) {
			t.Errorf("file_sha256 %q, want the document's hash", got)
		}
		ins := e.must(201, "officer", "POST", path, map[string]any{"kind": "insurance", "insurance": "health",
			"valid_until": "2027-06-30", "file": testFile("image/png")}).str("id")
		payFile, insFile := "/api/v1/evidence/"+pay.str("id")+"/file", "/api/v1/evidence/"+ins+"/file"

		for _, tt := range []struct {
			who, path string
			want      int
		}{
			{"officer", payFile, 200}, {"admin", insFile, 200}, {"mission", payFile, 200},
			{"mission", insFile, 404}, // a mission reads only pay evidence documents
			{"missionB", payFile, 404}, {"auditor", payFile, 403},
			{"officer", "/api/v1/evidence/" + models.NewID() + "/file", 404},
			{"officer", "/api/v1/evidence/nonsense/file", 404},
		} {
			if r := e.do(tt.who, "GET", tt.path, nil); r.Status != tt.want {
				t.Errorf("%s GET %s: %d, want %d", tt.who, tt.path, r.Status, tt.want)
			}
		}
		for _, it := range e.must(200, "mission", "GET", path, nil).Body["items"].([]any) {
			if ev := it.(map[string]any); ev["kind"] == "insurance" && ev["file_sha256"] != "" {
				t.Errorf("mission sees the insurance document's hash: %v", ev)
			}
		}
		r := e.must(200, "officer", "GET", payFile, nil)
		if !bytes.Equal(r.Raw, testFileBytes("application/pdf")) || r.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("document %q (%s), want the bytes filed", r.Raw, r.Header.Get("Content-Type"))
		}
		if d, p, err := mime.ParseMediaType(r.Header.Get("Content-Disposition")); err != nil || d != "attachment" || p["filename"] != "statement 10-2026.pdf" {
			t.Errorf("Content-Disposition %q", r.Header.Get("Content-Disposition"))
		}
		// An evidence without a document has no file.
		bare := e.must(201, "officer", "POST", path, map[string]any{"kind": "final_pay"}).str("id")
		e.must(404, "officer", "GET", "/api/v1/evidence/"+bare+"/file", nil)

		audit := e.must(200, "admin", "GET", "/api/v1/audit?limit=500", nil)
		if !strings.Contains(string(audit.Raw), `"evidence_file"`) || !strings.Contains(string(audit.Raw), `"read"`) {
			t.Errorf("the document read is not in the audit trail")
		}

		big := base64.StdEncoding.EncodeToString(append([]byte("%PDF-"), make([]byte, models.MaxEvidenceFileBytes)...))
		for _, tt := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"kind": "pay", "month": "2026-12", "sole_name_account": true}, "amount"},
			{map[string]any{"kind": "pay", "month": "2026-12", "amount": "12.345", "sole_name_account": true}, "amount"},
			{map[string]any{"kind": "pay", "month": "2026-12", "amount": "-1", "sole_name_account": true}, "amount"},
			{map[string]any{"kind": "final_pay", "amount": "1"}, "amount"},
			{map[string]any{"kind": "hours", "month": "2026-12"}, "hours_worked"},
			{map[string]any{"kind": "hours", "month": "2026-12", "hours_worked": 745}, "hours_worked"},
			{map[string]any{"kind": "hours", "hours_worked": 180}, "month"},
			{map[string]any{"kind": "final_pay", "hours_worked": 1}, "hours_worked"},
			{map[string]any{"kind": "final_pay", "file": map[string]any{"name": "x.gif", "content_type": "image/gif", "data": "R0lGODlh"}}, "file.content_type"},
			{map[string]any{"kind": "final_pay", "file": map[string]any{"name": "x.pdf", "content_type": "application/pdf", "data": "not base64!"}}, "file.data"},
			{map[string]any{"kind": "final_pay", "file": map[string]any{"name": "x.pdf", "content_type": "application/pdf",
				"data": base64.StdEncoding.EncodeToString(testFileBytes("image/png"))}}, "file.data"},
			{map[string]any{"kind": "final_pay", "file": map[string]any{"name": "x.pdf", "content_type": "application/pdf", "data": big}}, "file.data"},
			{map[string]any{"kind": "final_pay", "file": map[string]any{"content_type": "application/pdf", "data": "JVBERi0="}}, "file.name"},
		} {
			r := e.do("officer", "POST", path, tt.body)
			if r.Status != 422 || r.field(tt.field) == "" {
				t.Errorf("%v: %d %.300s; want 422 naming %s", tt.body["kind"], r.Status, r.Raw, tt.field)
			}
		}
		// Beyond the route's body limit: 413; other routes keep theirs.
		huge := strings.Repeat("A", MaxEvidenceBodyBytes)
		if r := e.do("officer", "POST", path, map[string]any{"kind": "final_pay", "note": huge}); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("body over the limit: %d", r.Status)
		}
		if r := e.do("officer", "POST", "/api/v1/employers", map[string]any{"full_name": strings.Repeat("A", 2<<20)}); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("another route took a 2 MiB body: %d", r.Status)
		}
		e.must(201, "officer", "POST", path, map[string]any{"kind": "hours", "month": "2026-12", "hours_worked": 180.5,
			"file": testFile("image/jpeg")})
	})
}

// TestAPI_EvidenceStatus: the office sees the gaps, a mission and an
// auditor do not; the months follow the arrival and today (February,
// still running, is not due).
func TestAPI_EvidenceStatus(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := e.must(201, "mission", "POST", "/api/v1/employments",
			notification(e.worker("mission", "1990-01-01"), e.employer("mission", "diplomat"), validTerms())).str("id")
		path := "/api/v1/employments/" + id
		e.must(200, "mission", "PATCH", path, map[string]any{"arrival_date": "2026-12-10"})
		e.db.Now = func() time.Time { return time.Date(2027, 2, 15, 9, 0, 0, 0, time.UTC) }
		e.must(201, "mission", "POST", path+"/evidence", map[string]any{"kind": "pay", "month": "2027-01", "amount": "1200", "sole_name_account": true})
		e.must(201, "mission", "POST", path+"/evidence", map[string]any{"kind": "pay", "month": "2026-12", "amount": "1200", "sole_name_account": false})
		e.must(201, "officer", "POST", path+"/evidence", map[string]any{"kind": "hours", "month": "2026-12", "hours_worked": 190})
		e.must(201, "officer", "POST", path+"/evidence", map[string]any{"kind": "insurance", "insurance": "health", "valid_until": "2027-01-31"})
		r := e.must(200, "officer", "GET", path+"/evidence/status", nil)
		for key, want := range map[string]string{
			"months_without_pay": "2026-12", "months_without_hours": "2027-01",
		} {
			var got []string
			for _, m := range r.Body[key].([]any) {
				got = append(got, m.(string))
			}
			if strings.Join(got, " ") != want {
				t.Errorf("%s = %v, want %s", key, got, want)
			}
		}
		if got := string(r.Raw); !strings.Contains(got, `{"insurance":"health","problem":"expired","valid_until":"2027-01-31"}`) ||
			!strings.Contains(got, `{"insurance":"accident","problem":"missing","valid_until":null}`) {
			t.Errorf("insurance gaps: %s", got)
		}
		if r.Body["exit_pack"].(map[string]any)["complete"] != false {
			t.Errorf("exit pack complete: %s", r.Raw)
		}
		for _, who := range []string{"mission", "missionB", "auditor"} {
			if r := e.do(who, "GET", path+"/evidence/status", nil); r.Status != 403 || strings.Contains(string(r.Raw), "2026-12") {
				t.Errorf("%s reads the evidence status: %d %s", who, r.Status, r.Raw)
			}
		}
		e.must(404, "officer", "GET", "/api/v1/employments/"+models.NewID()+"/evidence/status", nil)
	})
}

// TestAPI_EndNeedsExitPack: ending an employment needs the complete exit
// evidence pack or an officer's waiver; a mission never waives; the
// waiver goes on the office's timeline, not the mission's.
func TestAPI_EndNeedsExitPack(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := e.must(201, "mission", "POST", "/api/v1/employments",
			notification(e.worker("mission", "1990-01-01"), e.employer("mission", "diplomat"), validTerms())).str("id")
		path := "/api/v1/employments/" + id
		e.must(200, "officer", "PATCH", path, map[string]any{"status": "approved"})
		e.must(200, "officer", "PATCH", path, map[string]any{"status": "active", "arrival_date": "2026-12-01",
			"id_card_number": "S-1", "id_card_expiry": "2027-12-01"})
		end := map[string]any{"status": "ended", "departure_date": "2027-02-20"}
		r := e.must(409, "officer", "PATCH", path, end)
		for _, want := range []string{"2026-12", "2027-02", "hours records", "insurance proof", "final pay", "return travel", "exit_pack_waiver"} {
			if !strings.Contains(string(r.Raw), want) {
				t.Errorf("409 does not name %q: %s", want, r.Raw)
			}
		}
		e.must(403, "mission", "PATCH", path, map[string]any{"exit_pack_waiver": "we say so"})
		e.must(422, "officer", "PATCH", path, map[string]any{"exit_pack_waiver": "not ending"})
		e.must(422, "officer", "PATCH", path, map[string]any{"status": "ended", "departure_date": "2027-02-20", "exit_pack_waiver": "  "})

		// File the pack but the return travel: still 409, naming only it.
		for _, m := range []string{"2026-12", "2027-01", "2027-02"} {
			e.must(201, "mission", "POST", path+"/evidence", map[string]any{"kind": "pay", "month": m, "amount": "1200.00", "sole_name_account": true})
			e.must(201, "officer", "POST", path+"/evidence", map[string]any{"kind": "hours", "month": m, "hours_worked": 180})
		}
		for _, ins := range []string{"health", "accident"} {
			e.must(201, "officer", "POST", path+"/evidence", map[string]any{"kind": "insurance", "insurance": ins, "valid_until": "2027-01-31"})
		}
		e.must(201, "officer", "POST", path+"/evidence", map[string]any{"kind": "final_pay"})
		r = e.must(409, "officer", "PATCH", path, end)
		if s := string(r.Raw); !strings.Contains(s, "return travel") || strings.Contains(s, "2026-12") || strings.Contains(s, "insurance") {
			t.Errorf("409 with only the return travel missing: %s", s)
		}
		waived := map[string]any{"status": "ended", "departure_date": "2027-02-20", "exit_pack_waiver": "Ticket refunded in cash, receipt lost."}
		if got := e.must(200, "officer", "PATCH", path, waived).str("status"); got != "ended" {
			t.Errorf("status %q after the waiver", got)
		}
		office := e.must(200, "officer", "GET", path+"/timeline", nil)
		if s := string(office.Raw); !strings.Contains(s, models.EventExitPackWaived) || !strings.Contains(s, "receipt lost") || !strings.Contains(s, "return travel") {
			t.Errorf("office timeline lacks the waiver: %s", s)
		}
		if s := string(e.must(200, "mission", "GET", path+"/timeline", nil).Raw); strings.Contains(s, models.EventExitPackWaived) || strings.Contains(s, "receipt") {
			t.Errorf("mission timeline shows the waiver: %s", s)
		}
		if s := string(e.must(200, "admin", "GET", "/api/v1/audit?limit=500", nil).Raw); !strings.Contains(s, models.EventExitPackWaived) {
			t.Errorf("audit trail lacks the waiver")
		}
	})
}

// TestAPI_EndWithCompletePack: a complete pack ends without a waiver.
func TestAPI_EndWithCompletePack(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := e.must(201, "mission", "POST", "/api/v1/employments",
			notification(e.worker("mission", "1990-01-01"), e.employer("mission", "diplomat"), validTerms())).str("id")
		path := "/api/v1/employments/" + id
		e.must(200, "officer", "PATCH", path, map[string]any{"status": "approved"})
		// The card was issued in 2027-01 (expiry less 12 months): the pack starts then.
		e.must(200, "officer", "PATCH", path, map[string]any{"status": "active", "arrival_date": "2026-12-01",
			"id_card_number": "S-1", "id_card_expiry": "2028-01-15"})
		for _, m := range []string{"2027-01", "2027-02"} {
			e.must(201, "mission", "POST", path+"/evidence", map[string]any{"kind": "pay", "month": m, "amount": "1200.00", "sole_name_account": false})
			e.must(201, "officer", "POST", path+"/evidence", map[string]any{"kind": "hours", "month": m, "hours_worked": 180})
		}
		for _, ins := range []string{"health", "accident"} {
			e.must(201, "officer", "POST", path+"/evidence", map[string]any{"kind": "insurance", "insurance": ins, "valid_until": "2027-01-31"})
		}
		e.must(201, "officer", "POST", path+"/evidence", map[string]any{"kind": "final_pay"})
		e.must(201, "officer", "POST", path+"/evidence", map[string]any{"kind": "return_travel"})
		e.must(200, "officer", "PATCH", path, map[string]any{"status": "ended", "departure_date": "2027-02-20"})
	})
}

// BenchmarkAPI_EvidenceUpload files pay evidence with a document of the
// largest size (5 MiB) and reads the document back, on SQLite.
func BenchmarkAPI_EvidenceUpload(b *testing.B) {
	e := newEnv(b, storetest.OpenURL(b, storetest.URL(b, "sqlite")))
	id := e.must(201, "mission", "POST", "/api/v1/employments",
		notification(e.worker("mission", "1990-01-01"), e.employer("mission", "diplomat"), validTerms())).str("id")
	doc := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{'x'}, models.MaxEvidenceFileBytes-9)...)
	body := map[string]any{"kind": "pay", "month": "2026-12", "amount": "1200.00", "sole_name_account": true,
		"file": map[string]any{"name": "statement.pdf", "content_type": "application/pdf", "data": base64.StdEncoding.EncodeToString(doc)}}
	b.ResetTimer()
	for b.Loop() {
		ev := e.must(201, "officer", "POST", "/api/v1/employments/"+id+"/evidence", body).str("id")
		if r := e.must(200, "officer", "GET", "/api/v1/evidence/"+ev+"/file", nil); len(r.Raw) != len(doc) {
			b.Fatalf("read back %d bytes", len(r.Raw))
		}
	}
}
