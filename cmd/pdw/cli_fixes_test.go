package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/models"

	"github.com/pdw-registry/pdw/models/store/storetest"
)

// TestServe_SetupTokenShownAtAnyLogLevel: without the token nobody can
// log in, so it is printed even when the log level hides warnings.
func TestServe_SetupTokenShownAtAnyLogLevel(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			vars := dbEnv(storetest.URL(t, d))
			vars["PDW_LOG_LEVEL"] = "error"
			s := startServe(t, vars)
			if tok := setupToken(t, s.logs.String()); !strings.HasPrefix(tok, "setup_") {
				t.Errorf("no setup token at PDW_LOG_LEVEL=error; logs: %s", s.logs)
			}
			if got, want := s.stop(), 0; got != want {
				t.Errorf("exit %d, want %d", got, want)
			}
		})
	}
}

// TestSeedDemo_OnlyIntoAnEmptyRegistry: a second run refuses rather than
// doubling the demo.
func TestSeedDemo_OnlyIntoAnEmptyRegistry(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			vars := dbEnv(storetest.URL(t, d))
			mustPDW(t, vars, "", "seed-demo")
			r := pdw(t, vars, "", "seed-demo")
			if r.code == 0 || !strings.Contains(r.stderr, "empty registry") {
				t.Errorf("second seed-demo: exit %d, stderr %q", r.code, r.stderr)
			}
		})
	}
}

// TestAdminCommands_RespectAutoMigrateFalse: with PDW_AUTO_MIGRATE=false
// no command but `pdw migrate` changes the schema.
func TestAdminCommands_RespectAutoMigrateFalse(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			vars := dbEnv(storetest.URL(t, d))
			vars["PDW_AUTO_MIGRATE"] = "false"
			for _, args := range [][]string{
				{"policy", "load", "--preset", "ch-pheo-2011"},
				{"user", "add", "--email", "a@office.example", "--role", "admin"},
				{"seed-demo"},
			} {
				r := pdw(t, vars, "a long enough password\n", args...)
				if r.code == 0 || !strings.Contains(r.stderr, "pdw migrate") {
					t.Errorf("pdw %s on an unmigrated database: exit %d, stderr %q", strings.Join(args, " "), r.code, r.stderr)
				}
			}
			mustPDW(t, vars, "", "migrate")
			mustPDW(t, vars, "", "policy", "load", "--preset", "ch-pheo-2011")
		})
	}
}

// TestServe_RefusesIncompleteTexts: an override directory missing a key
// stops the start instead of printing a blank clause.
func TestServe_RefusesIncompleteTexts(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "fr.json"), []byte(`{"version":"certified-1","status":"certified"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := dbEnv(storetest.URL(t, "sqlite"))
	vars["PDW_TEXTS_DIR"] = dir
	vars["PDW_HTTP_ADDR"] = "127.0.0.1:0"
	r := pdw(t, vars, "", "serve")
	if r.code == 0 || !strings.Contains(r.stderr, "fr") {
		t.Errorf("serve with incomplete texts: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestContractsVerify: the integrity check passes on stored PDFs and names
// the one whose bytes were changed by hand.
func TestContractsVerify(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			url := storetest.URL(t, d)
			vars := dbEnv(url)
			mustPDW(t, vars, "", "seed-demo")
			db := openStore(t, url)
			ctx := sysCtx()
			es, _, err := db.FindEmployments(ctx, models.EmploymentFilter{Status: models.StatusActive})
			if err != nil || len(es) < 2 {
				t.Fatalf("active employments: %d (%v)", len(es), err)
			}
			var ids []string
			for _, e := range es[:2] {
				c, err := db.CreateContract(ctx, e.ID, func(d models.ContractData) (models.RenderedContract, error) {
					return models.RenderedContract{PDF: []byte("%PDF-1.4 v" + d.VerifyCode), HostTextVersion: "t", WorkerTextVersion: "t"}, nil
				})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, c.ID)
			}
			if r := mustPDW(t, vars, "", "contracts", "verify"); !strings.Contains(r.stdout, "all 2") {
				t.Errorf("stdout %q", r.stdout)
			}
			if err := db.ExecRaw(ctx, "UPDATE contract_pdfs SET pdf = ? WHERE contract_id = ?", []byte("%PDF-1.4 forged"), ids[1]); err != nil {
				t.Fatal(err)
			}
			r := pdw(t, vars, "", "contracts", "verify")
			if r.code != 1 || !strings.Contains(r.stderr, ids[1]) || strings.Contains(r.stderr, ids[0]) {
				t.Errorf("after tampering: exit %d, stderr %q", r.code, r.stderr)
			}
		})
	}
}
