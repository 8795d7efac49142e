package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// step is one command of a sequence run against the same database.
type step struct {
	name     string
	args     []string
	stdin    string
	wantCode int    // exact exit status; -1 means any non-zero status
	wantOut  string // substring of stdout
	wantErr  string // substring of stderr
}

func runSteps(t *testing.T, vars map[string]string, steps []step) {
	t.Helper()
	for _, s := range steps {
		r := pdw(t, vars, s.stdin, s.args...)
		switch {
		case s.wantCode == -1 && r.code == 0:
			t.Errorf("%s: pdw %s: exit 0, want non-zero\nstdout: %s", s.name, strings.Join(s.args, " "), r.stdout)
		case s.wantCode != -1 && r.code != s.wantCode:
			t.Errorf("%s: pdw %s: exit %d, want %d\nstdout: %s\nstderr: %s", s.name, strings.Join(s.args, " "),
				r.code, s.wantCode, r.stdout, r.stderr)
		}
		if !strings.Contains(r.stdout, s.wantOut) {
			t.Errorf("%s: stdout = %q, want it to contain %q", s.name, r.stdout, s.wantOut)
		}
		if !strings.Contains(r.stderr, s.wantErr) {
			t.Errorf("%s: stderr = %q, want it to contain %q", s.name, r.stderr, s.wantErr)
		}
	}
}

func TestMigrateAndPolicyLoad(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			vars := dbEnv(storetest.URL(t, dialect))
			dir := t.TempDir()

			// A policy file made from the preset, and one with a field the
			// loader does not know.
			show := mustPDW(t, vars, "", "policy", "show-preset", "ch-pheo-2011")
			goodFile := filepath.Join(dir, "policy.json")
			if err := os.WriteFile(goodFile, []byte(show.stdout), 0o600); err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(show.stdout), &m); err != nil {
				t.Fatalf("show-preset output is not JSON: %v", err)
			}
			m["minimum_wage_bonus"] = 1
			b, err := json.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			unknownFile := filepath.Join(dir, "unknown.json")
			if err := os.WriteFile(unknownFile, b, 0o600); err != nil {
				t.Fatal(err)
			}
			brokenFile := filepath.Join(dir, "broken.json")
			if err := os.WriteFile(brokenFile, []byte(`{"name": `), 0o600); err != nil {
				t.Fatal(err)
			}

			runSteps(t, vars, []step{
				{name: "first migrate", args: []string{"migrate"}, wantOut: "schema is current", wantErr: ""},
				{name: "second migrate applies none", args: []string{"migrate"}, wantOut: "applied 0 migration(s)"},
				{name: "preset", args: []string{"policy", "load", "--preset", "ch-pheo-2011"}, wantOut: "as version 1"},
				{name: "generic preset has no figures", args: []string{"policy", "load", "--preset", "generic"}, wantCode: -1,
					wantErr: "fill in every figure"},
				{name: "unknown preset", args: []string{"policy", "load", "--preset", "nope"}, wantCode: 2, wantErr: "unknown preset"},
				{name: "file from show-preset", args: []string{"policy", "load", "--file", goodFile}, wantOut: "as version 2"},
				{name: "file with an unknown field", args: []string{"policy", "load", "--file", unknownFile}, wantCode: 2,
					wantErr: "unknown field"},
				{name: "file that is not JSON", args: []string{"policy", "load", "--file", brokenFile}, wantCode: 2, wantErr: brokenFile},
				{name: "missing file", args: []string{"policy", "load", "--file", filepath.Join(dir, "absent.json")}, wantCode: 1,
					wantErr: "absent.json"},
				{name: "effective date override", args: []string{"policy", "load", "--file", goodFile, "--effective-from", "2030-01-01"},
					wantOut: "as version 3"},
			})

			db := openStore(t, vars["PDW_DATABASE_URL"])
			ps, _, err := db.FindPolicies(sysCtx(), models.Page{})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := len(ps), 3; got != want {
				t.Fatalf("policies = %d, want %d (failed loads must store nothing)", got, want)
			}
			for i, p := range ps {
				if got, want := p.Version, i+1; got != want {
					t.Errorf("policy %d: version %d, want %d", i, got, want)
				}
			}
			if got, want := ps[2].EffectiveFrom.String(), "2030-01-01"; got != want {
				t.Errorf("overridden effective_from = %s, want %s", got, want)
			}
		})
	}
}

func TestUserAndToken(t *testing.T) {
	const password = "correct horse battery staple\n"
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			url := storetest.URL(t, dialect)
			vars := dbEnv(url)
			mustPDW(t, vars, "", "migrate")

			db := openStore(t, url)
			mission := &models.Mission{Name: "Embassy of Testland", Kind: models.MissionEmbassy, Country: "PH",
				FocalPointEmail: "focal@testland.example"}
			if err := db.CreateMission(sysCtx(), mission); err != nil {
				t.Fatal(err)
			}

			runSteps(t, vars, []step{
				{name: "admin", args: []string{"user", "add", "--email", "a@x.example", "--role", "admin"}, stdin: password,
					wantOut: "created admin account a@x.example"},
				{name: "password without newline", args: []string{"user", "add", "--email", "b@x.example", "--role", "officer"},
					stdin: "twelve chars!", wantOut: "created officer account b@x.example"},
				{name: "short password", args: []string{"user", "add", "--email", "c@x.example", "--role", "admin"}, stdin: "short\n",
					wantCode: -1, wantErr: "password"},
				{name: "no password", args: []string{"user", "add", "--email", "c@x.example", "--role", "admin"}, stdin: "",
					wantCode: -1, wantErr: "password"},
				{name: "mission role without mission", args: []string{"user", "add", "--email", "m@x.example", "--role", "mission"},
					stdin: password, wantCode: -1, wantErr: "mission_id"},
				{name: "mission role with unknown mission", args: []string{"user", "add", "--email", "m@x.example", "--role", "mission",
					"--mission", models.NewID()}, stdin: password, wantCode: -1, wantErr: "mission_id"},
				{name: "mission role", args: []string{"user", "add", "--email", "m@x.example", "--role", "mission",
					"--mission", mission.ID}, stdin: password, wantOut: "created mission account m@x.example"},
				{name: "mission on another role", args: []string{"user", "add", "--email", "o@x.example", "--role", "officer",
					"--mission", mission.ID}, stdin: password, wantCode: -1, wantErr: "mission_id"},
				{name: "unknown role", args: []string{"user", "add", "--email", "r@x.example", "--role", "root"}, stdin: password,
					wantCode: -1, wantErr: "role"},
				{name: "bad e-mail", args: []string{"user", "add", "--email", "not-an-address", "--role", "admin"}, stdin: password,
					wantCode: -1, wantErr: "email"},
				{name: "duplicate e-mail", args: []string{"user", "add", "--email", "a@x.example", "--role", "auditor"}, stdin: password,
					wantCode: -1, wantErr: "already"},
				{name: "duplicate e-mail in capitals", args: []string{"user", "add", "--email", " A@X.example", "--role", "auditor"},
					stdin: password, wantCode: -1, wantErr: "already"},
				{name: "token for unknown account", args: []string{"token", "create", "--email", "nobody@x.example", "--name", "ci"},
					wantCode: -1, wantErr: "not found"},
				{name: "token without a name", args: []string{"token", "create", "--email", "a@x.example"},
					wantCode: -1, wantErr: "name"},
			})

			n, err := db.CountUsers(sysCtx())
			if err != nil {
				t.Fatal(err)
			}
			if got, want := n, int64(3); got != want {
				t.Errorf("users = %d, want %d", got, want)
			}

			r := mustPDW(t, vars, "", "token", "create", "--email", "a@x.example", "--name", "ci")
			secret := strings.TrimSpace(r.stdout)
			if !strings.HasPrefix(secret, "pdw_") {
				t.Fatalf("token = %q, want a pdw_ prefix", secret)
			}
			if strings.Contains(r.stderr, secret) {
				t.Errorf("the token secret was also written to stderr (logs)")
			}
			u, err := db.UserByToken(sysCtx(), secret)
			if err != nil {
				t.Fatalf("UserByToken(printed token): %v", err)
			}
			if got, want := u.Email+" "+u.Role, "a@x.example admin"; got != want {
				t.Errorf("token authenticates %q, want %q", got, want)
			}
			if _, err := db.UserByToken(sysCtx(), secret+"x"); models.ErrorCode(err) != models.EUNAUTHORIZED {
				t.Errorf("UserByToken(altered token) = %v, want %s", err, models.EUNAUTHORIZED)
			}
			if _, err := db.Authenticate(sysCtx(), "a@x.example", strings.TrimSpace(password)); err != nil {
				t.Errorf("Authenticate with the stdin password: %v", err)
			}
		})
	}
}
