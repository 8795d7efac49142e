package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

func TestAPI_ContractVersions(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		// Only approved terms make a contract.
		notified := e.must(201, "officer", "POST", "/api/v1/employments",
			notification(e.worker("officer", "1990-01-01"), e.employer("officer", "head_of_mission"), validTerms())).str("id")
		e.must(409, "officer", "POST", "/api/v1/employments/"+notified+"/contracts", nil)

		emp := e.approvedEmployment()
		v1 := e.must(201, "officer", "POST", "/api/v1/employments/"+emp+"/contracts", nil)
		if got, want := v1.Body["version"], float64(1); got != want {
			t.Errorf("version=%v, want %v", got, want)
		}
		v2 := e.must(201, "officer", "POST", "/api/v1/employments/"+emp+"/contracts", nil)
		if got, want := v2.str("status"), "current"; got != want {
			t.Errorf("v2 status=%q, want %q", got, want)
		}
		if got, want := e.must(200, "officer", "GET", "/api/v1/contracts/"+v1.str("id"), nil).str("status"), "superseded"; got != want {
			t.Errorf("v1 status=%q, want %q", got, want)
		}
		list := e.must(200, "mission", "GET", "/api/v1/employments/"+emp+"/contracts", nil)
		if items := list.Body["items"].([]any); len(items) != 2 {
			t.Errorf("mission lists %d versions, want 2", len(items))
		}

		// The stored bytes are served as they are, with their hash.
		pdf := e.must(200, "mission", "GET", "/api/v1/contracts/"+v2.str("id")+"/pdf", nil)
		sum := sha256.Sum256(pdf.Raw)
		if got, want := hex.EncodeToString(sum[:]), v2.str("sha256"); got != want {
			t.Errorf("sha256 of served bytes %s, want the stored %s", got, want)
		}
		if got, want := pdf.Header.Get("Content-Type"), "application/pdf"; got != want {
			t.Errorf("Content-Type=%q, want %q", got, want)
		}

		// Anyone can check a code; nothing personal comes back.
		ver := e.must(200, "", "GET", "/api/v1/contracts/verify/"+v2.str("verify_code"), nil)
		if ver.Body["valid"] != true || ver.str("sha256") != v2.str("sha256") || ver.str("status") != "current" {
			t.Errorf("verify = %s", ver.Raw)
		}
		if len(ver.Body) != 5 {
			t.Errorf("verify answers more than valid/version/status/sha256/issued_at: %s", ver.Raw)
		}
		e.must(404, "", "GET", "/api/v1/contracts/verify/0000000000", nil)
		e.must(404, "", "GET", "/api/v1/contracts/verify/not-a-code", nil)

		// Signatures: newest version only, once per party, not in the future.
		sig := map[string]any{"party": "worker", "signed_on": "2026-11-02", "place": "Bern"}
		e.must(409, "officer", "POST", "/api/v1/contracts/"+v1.str("id")+"/signatures", sig)
		e.must(201, "officer", "POST", "/api/v1/contracts/"+v2.str("id")+"/signatures", sig)
		e.must(409, "officer", "POST", "/api/v1/contracts/"+v2.str("id")+"/signatures", sig)
		r := e.must(422, "officer", "POST", "/api/v1/contracts/"+v2.str("id")+"/signatures",
			map[string]any{"party": "landlord", "signed_on": "2027-01-01", "place": ""})
		for _, f := range []string{"party", "signed_on", "place"} {
			if r.field(f) == "" {
				t.Errorf("422 does not name %s: %s", f, r.Raw)
			}
		}
		e.must(403, "mission", "POST", "/api/v1/contracts/"+v2.str("id")+"/signatures", sig)

		// Scope: another mission sees nothing; an auditor nothing at all.
		e.must(404, "missionB", "GET", "/api/v1/contracts/"+v2.str("id")+"/pdf", nil)
		e.must(404, "missionB", "GET", "/api/v1/employments/"+emp+"/contracts", nil)
		e.must(403, "auditor", "GET", "/api/v1/contracts/"+v2.str("id")+"/pdf", nil)
	})
}

func TestAPI_ContractNeedsTwoLanguages(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		terms := validTerms()
		terms["contract_languages"] = []string{"fr"}
		id := e.must(201, "officer", "POST", "/api/v1/employments",
			notification(e.worker("officer", "1990-01-01"), e.employer("officer", "head_of_mission"), terms)).str("id")
		e.must(200, "officer", "PATCH", "/api/v1/employments/"+id, map[string]any{"status": "approved"})
		r := e.must(422, "officer", "POST", "/api/v1/employments/"+id+"/contracts", nil)
		if r.field("terms.contract_languages") == "" {
			t.Errorf("422 does not name terms.contract_languages: %s", r.Raw)
		}
	})
}

// TestAPI_ContractTamperDetected changes one byte of a stored PDF by hand:
// the integrity check names that version.
func TestAPI_ContractTamperDetected(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		emp := e.approvedEmployment()
		c := e.must(201, "officer", "POST", "/api/v1/employments/"+emp+"/contracts", nil).str("id")
		e.must(201, "officer", "POST", "/api/v1/employments/"+e.approvedEmployment()+"/contracts", nil)
		bad, n, err := e.db.VerifyContracts(e.sys())
		if err != nil || len(bad) != 0 || n != 2 {
			t.Fatalf("intact store: bad %v, checked %d, err %v", bad, n, err)
		}
		pdf := e.must(200, "officer", "GET", "/api/v1/contracts/"+c+"/pdf", nil).Raw
		pdf[len(pdf)-1] ^= 1
		storetest.MustExec(t, e.db, "UPDATE contract_pdfs SET pdf = ? WHERE contract_id = ?", pdf, c)
		bad, _, err = e.db.VerifyContracts(e.sys())
		if err != nil || len(bad) != 1 || bad[0].ContractID != c {
			t.Fatalf("after tampering: bad %+v, err %v", bad, err)
		}
	})
}

// TestAPI_PolicyAffected raises the wage floor in a new policy version: the
// employment whose current contract pays less is listed with the reason.
func TestAPI_PolicyAffected(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		emp := e.approvedEmployment()
		e.must(201, "officer", "POST", "/api/v1/employments/"+emp+"/contracts", nil)
		rich := e.approvedEmployment()
		in, err := models.Preset("ch-pheo-2011")
		if err != nil {
			t.Fatal(err)
		}
		wage := "1300.00"
		in.MinMonthlyNetWage = &wage
		b, _ := json.Marshal(in)
		p := e.must(201, "admin", "POST", "/api/v1/policies", b).str("id")
		_ = rich // has no contract: not listed
		r := e.must(200, "officer", "GET", "/api/v1/policies/"+p+"/affected", nil)
		items := r.Body["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("affected = %s, want one employment", r.Raw)
		}
		it := items[0].(map[string]any)
		if it["employment_id"] != emp || it["violations"].(map[string]any)["terms.monthly_net_wage"] == nil {
			t.Errorf("affected item = %v", it)
		}
	})
}

// TestAPI_TermsChangeMakesANewVersion: new terms are checked against the
// policy, kept on the employment, and shown by the next contract version,
// while the earlier version keeps the terms it was made from.
func TestAPI_TermsChangeMakesANewVersion(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		emp := e.approvedEmployment()
		v1 := e.must(201, "officer", "POST", "/api/v1/employments/"+emp+"/contracts", nil)
		low := validTerms()
		low["monthly_net_wage"] = "900.00"
		if r := e.must(422, "officer", "PUT", "/api/v1/employments/"+emp+"/terms", low); r.field("terms.monthly_net_wage") == "" {
			t.Errorf("422 does not name the wage: %s", r.Raw)
		}
		e.must(403, "mission", "PUT", "/api/v1/employments/"+emp+"/terms", validTerms())
		raised := validTerms()
		raised["monthly_net_wage"] = "1500.00"
		e.must(200, "officer", "PUT", "/api/v1/employments/"+emp+"/terms", raised)
		v2 := e.must(201, "officer", "POST", "/api/v1/employments/"+emp+"/contracts", nil)
		wage := func(r response) any { return r.Body["terms"].(map[string]any)["monthly_net_wage"] }
		if got, want := wage(v2), "1500.00"; got != want {
			t.Errorf("v2 wage=%v, want %v", got, want)
		}
		old := e.must(200, "officer", "GET", "/api/v1/contracts/"+v1.str("id"), nil)
		if got, want := wage(old), "1200.00"; got != want || old.str("status") != "superseded" {
			t.Errorf("v1 wage=%v status=%s, want %v superseded", got, old.str("status"), want)
		}
	})
}
