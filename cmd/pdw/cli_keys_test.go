package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/keyring"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

func genKey(t *testing.T) string {
	t.Helper()
	k, err := keyring.Generate()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func ringOf(t *testing.T, s string) store.Option {
	t.Helper()
	r, err := keyring.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return store.WithKeyring(r)
}

// recordInterviews records n interviews (with notes) on db, as an officer.
func recordInterviews(t *testing.T, db *store.DB, n int) map[string]string {
	t.Helper()
	h := storetest.NewHousehold(t, db)
	ctx := models.WithActor(sysCtx(), models.Actor{UserID: "officer", Role: models.RoleOfficer})
	notes := map[string]string{}
	for i := range n {
		db.Now = func() time.Time { return storetest.Now }
		active := models.StatusActive
		e := h.Employment(t, storetest.Date("2026-10-01"), models.EmploymentUpdate{Status: &active, ArrivalDate: storetest.DateP("2026-11-02")}, "en")
		if _, err := db.PlanAppointments(sysCtx(), storetest.Now); err != nil {
			t.Fatal(err)
		}
		as, _, err := db.FindAppointments(sysCtx(), models.AppointmentFilter{EmploymentID: e.ID})
		if err != nil || len(as) != 1 {
			t.Fatalf("appointments %v %v", as, err)
		}
		start := *as[0].StartsAt
		db.Now = func() time.Time { return start.Add(time.Minute) }
		raw := map[string]json.RawMessage{}
		for _, q := range models.CurrentChecklist().Questions {
			switch q.Type {
			case models.AnswerYesNo:
				raw[q.ID] = json.RawMessage("false")
			case models.AnswerChoice:
				raw[q.ID] = json.RawMessage(`"` + q.Options[0] + `"`)
			default:
				raw[q.ID] = json.RawMessage("1")
			}
		}
		yes := true
		note := "cli note " + string(rune('a'+i))
		res, err := db.RecordInterview(ctx, models.InterviewInput{AppointmentID: as[0].ID, Answers: raw, WorkerSeenAlone: &yes, Notes: note})
		if err != nil {
			t.Fatal(err)
		}
		notes[res.Interview.ID] = note
	}
	return notes
}

// TestKeysRotate seals under key A, rotates to B with the command, and
// reads everything with B alone; a second run re-seals nothing.
func TestKeysRotate(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			url := storetest.URL(t, dialect)
			keyA, keyB := "a:"+genKey(t), "b:"+genKey(t)
			notes := recordInterviews(t, storetest.OpenURL(t, url, ringOf(t, keyA)), 3)

			vars := dbEnv(url)
			vars["PDW_DATA_KEY"] = keyB + "," + keyA
			r := mustPDW(t, vars, "", "keys", "rotate", "--batch", "2")
			for _, want := range []string{"interviews.answers: re-sealed 3,", "interviews.notes: re-sealed 3,", "under key b"} {
				if !strings.Contains(r.stdout, want) {
					t.Errorf("output lacks %q:\n%s", want, r.stdout)
				}
			}
			for _, k := range []string{keyA, keyB} {
				if strings.Contains(r.stdout+r.stderr, strings.SplitN(k, ":", 2)[1]) {
					t.Fatal("key material in the output")
				}
			}
			r = mustPDW(t, vars, "", "keys", "rotate")
			if !strings.Contains(r.stdout, "re-sealed 0 value(s)") || !strings.Contains(r.stdout, "interviews.notes: re-sealed 0, already under the current key 3") {
				t.Errorf("second run:\n%s", r.stdout)
			}

			onlyB := storetest.OpenURL(t, url, ringOf(t, keyB))
			for id, note := range notes {
				iv, err := onlyB.FindInterview(sysCtx(), id)
				if err != nil || iv.Notes != note {
					t.Fatalf("read with B only: %+v %v", iv, err)
				}
			}
			// With only A, the command stops and says so.
			vars["PDW_DATA_KEY"] = keyA
			if r := pdw(t, vars, "", "keys", "rotate"); r.code == 0 || !strings.Contains(r.stderr, "no longer holds") {
				t.Errorf("rotate with a retired key: exit %d\n%s", r.code, r.stderr)
			}
		})
	}
}

// TestDataKeyConfig: a bad key is refused without echoing it; the file
// form works; without a key SQLite gets a development key (0600) beside
// the database, reused on the next start, with a warning naming no key.
func TestDataKeyConfig(t *testing.T) {
	dir := t.TempDir()
	url := filepath.Join(dir, "pdw.db")
	vars := dbEnv(url)
	vars["PDW_DATA_KEY"] = "a:c2hvcnQ=" // "short"
	if r := pdw(t, vars, "", "keys", "rotate"); r.code != 2 || !strings.Contains(r.stderr, "PDW_DATA_KEY") || strings.Contains(r.stderr, "c2hvcnQ") {
		t.Fatalf("bad key: exit %d %s", r.code, r.stderr)
	}
	keyFile := filepath.Join(dir, "key")
	k := genKey(t)
	if err := os.WriteFile(keyFile, []byte("f:"+k+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	vars = dbEnv(url)
	vars["PDW_DATA_KEY_FILE"] = keyFile
	if r := mustPDW(t, vars, "", "keys", "rotate"); !strings.Contains(r.stdout, "under key f") {
		t.Fatalf("file key: %s", r.stdout)
	}

	vars = dbEnv(url)
	r := mustPDW(t, vars, "", "keys", "rotate")
	dev := filepath.Join(dir, "data.key")
	st, err := os.Stat(dev)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("development key: %v %v", st, err)
	}
	b, _ := os.ReadFile(dev)
	key := strings.TrimSpace(string(b))
	if !strings.Contains(r.stderr, "generated a development data key") || strings.Contains(r.stderr, key) {
		t.Fatalf("warning: %s", r.stderr)
	}
	r = mustPDW(t, vars, "", "keys", "rotate")
	b2, _ := os.ReadFile(dev)
	if string(b2) != string(b) || !strings.Contains(r.stderr, "using the development data key") {
		t.Fatalf("second start changed the key or said nothing: %s", r.stderr)
	}
	if err := os.Chmod(dev, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := pdw(t, vars, "", "keys", "rotate"); r.code != 1 || !strings.Contains(r.stderr, "chmod 600") {
		t.Fatalf("readable key file: exit %d %s", r.code, r.stderr)
	}
}
