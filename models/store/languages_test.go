package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// TestDB_PlanLanguages: the office's staff speak English plus the policy's
// host language (French under the Swiss preset) unless the office lists
// its languages itself; a worker's interview language (a sign language)
// comes first and books an interpreter who signs it.
func TestDB_PlanLanguages(t *testing.T) {
	tests := []struct {
		name         string
		hostLanguage bool
		interpreters string
		languages    []string
		interviewIn  string
		wantLanguage string
		wantIv       string
		wantNeeded   bool
	}{
		{"host language spoken by default", true, "", []string{"fr", "tl"}, "", "fr", "", false},
		{"office lists its own languages", false, "", []string{"fr", "tl"}, "", "fr", "", true},
		{"sign language first", true, "Lea:sgg@mon-fri 09:00-12:00", []string{"de", "en"}, "sgg", "sgg", "Lea", true},
		{"sign language, no interpreter: next language spoken", true, "", []string{"de", "en"}, "sgg", "en", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				db.Calendar.SpeaksHostLanguage = tt.hostLanguage
				ivs, err := models.ParseInterpreters(tt.interpreters)
				if err != nil {
					t.Fatal(err)
				}
				db.Calendar.Interpreters = ivs
				h := storetest.NewHousehold(t, db)
				active := models.StatusActive
				e := h.Employment(t, storetest.Date("2026-10-01"), models.EmploymentUpdate{Status: &active, ArrivalDate: datep("2026-11-02")}, tt.languages...)
				if tt.interviewIn != "" {
					if _, err := db.UpdateWorker(sys(), e.WorkerID, models.WorkerUpdate{InterviewLanguage: &tt.interviewIn}); err != nil {
						t.Fatal(err)
					}
				}
				a := planned(t, db, e)
				if a.Language != tt.wantLanguage || a.Interpreter != tt.wantIv || a.InterpreterNeeded != tt.wantNeeded {
					t.Errorf("appointment language %q interpreter %q needed %v, want %q %q %v (note %q)",
						a.Language, a.Interpreter, a.InterpreterNeeded, tt.wantLanguage, tt.wantIv, tt.wantNeeded, a.NoInterpreterNote)
				}
				if tt.interviewIn != "" && tt.wantIv == "" && !strings.Contains(a.NoInterpreterNote, tt.interviewIn) {
					t.Errorf("note %q does not say that no interpreter was found for %s", a.NoInterpreterNote, tt.interviewIn)
				}
			})
		})
	}
}

// TestDB_FollowUpDaysFromPolicy: a missed appointment's follow-up is due
// within the policy's follow_up_days.
func TestDB_FollowUpDaysFromPolicy(t *testing.T) {
	for _, days := range []int{5, 30} {
		storetest.Each(t, func(t *testing.T, db *store.DB) {
			h := storetest.NewHousehold(t, db)
			if err := db.ExecRaw(sys(), "UPDATE policies SET follow_up_days = ?", days); err != nil {
				t.Fatal(err)
			}
			e := arrived(t, h, "2026-11-02")
			a := planned(t, db, e)
			db.Now = func() time.Time { return a.EndsAt.Add(time.Minute) }
			_, follow, err := db.RecordOutcome(sys(), a.ID, models.OutcomeInput{Outcome: models.AppointmentMissed})
			if err != nil || follow == nil {
				t.Fatalf("outcome: %v %+v", err, follow)
			}
			today := db.Calendar.Today(db.Now())
			if want := today.AddDate(0, 0, days); follow.WindowEnd != want || !follow.Placed() {
				t.Errorf("follow_up_days %d: follow-up window ends %s (placed %v), want %s", days, follow.WindowEnd, follow.Placed(), want)
			}
		})
	}
}
