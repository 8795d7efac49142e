package main

import (
	"strings"
	"testing"

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
