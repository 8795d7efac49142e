package store_test

import (
	"sync"
	"testing"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// fixture loads the Swiss preset and makes a mission and a diplomat.
func fixture(t *testing.T, db *store.DB) (mission *models.Mission, employer *models.Employer) {
	t.Helper()
	ctx := sys()
	storetest.LoadPreset(t, db, "ch-pheo-2011")
	mission = &models.Mission{Name: "Embassy", Kind: "embassy", Country: "CH", FocalPointEmail: "f@m.example"}
	if err := db.CreateMission(ctx, mission); err != nil {
		t.Fatal(err)
	}
	employer = &models.Employer{MissionID: mission.ID, FullName: "D", Rank: models.RankDiplomat, Immunity: "full"}
	if err := db.CreateEmployer(ctx, employer); err != nil {
		t.Fatal(err)
	}
	return mission, employer
}

func newWorker(t *testing.T, db *store.DB, dob string) *models.Worker {
	t.Helper()
	w := &models.Worker{FullName: "W", Sex: "f", Nationality: "PH", Languages: models.Strings{"tl"}}
	if dob != "" {
		d, err := models.ParseDate(dob)
		if err != nil {
			t.Fatal(err)
		}
		w.DateOfBirth = &d
	}
	if err := db.CreateWorker(sys(), w); err != nil {
		t.Fatal(err)
	}
	return w
}

func input(workerID, employerID string) models.EmploymentInput {
	start := models.Date{Year: 2027, Month: 1, Day: 4}
	return models.EmploymentInput{WorkerID: workerID, EmployerID: employerID, StartDate: &start, Terms: storetest.ValidTerms()}
}

// TestDB_CreateEmployment_QuotaUnderConcurrency sends notifications for
// one diplomat at the same time: exactly one may pass the quota.
func TestDB_CreateEmployment_QuotaUnderConcurrency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, employer := fixture(t, db)
		const n = 6
		workers := make([]*models.Worker, n)
		for i := range workers {
			workers[i] = newWorker(t, db, "1990-01-01")
		}
		var wg sync.WaitGroup
		codes := make(chan string, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := db.CreateEmployment(sys(), input(workers[i].ID, employer.ID))
				codes <- models.ErrorCode(err)
			}()
		}
		wg.Wait()
		close(codes)
		count := map[string]int{}
		for c := range codes {
			count[c]++
		}
		if count[""] != 1 || count[models.EINVALID] != n-1 {
			t.Errorf("outcomes %v, want one success and %d refusals", count, n-1)
		}
	})
}

// TestDB_CreateEmployment_RefusalWritesNothingButTheFlag checks that a
// refused notification leaves no employment, flags a worker of unknown age
// and records the refusal.
func TestDB_CreateEmployment_RefusalWritesNothingButTheFlag(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		_, employer := fixture(t, db)
		w := newWorker(t, db, "")
		_, err := db.CreateEmployment(sys(), input(w.ID, employer.ID))
		if got, want := models.ErrorCode(err), models.EINVALID; got != want {
			t.Fatalf("code=%q, want %q (%v)", got, want, err)
		}
		es, _, err := db.FindEmployments(sys(), models.EmploymentFilter{})
		if err != nil || len(es) != 0 {
			t.Fatalf("employments after refusal: %d (%v)", len(es), err)
		}
		got, err := db.FindWorkerByID(sys(), w.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ReviewReason == "" {
			t.Error("worker of unknown age not flagged for review")
		}
		evs, err := db.FindAuditEvents(sys(), models.AuditFilter{Action: models.ActionRefuse})
		if err != nil || len(evs) != 1 || evs[0].Detail != "age" {
			t.Errorf("refusal audit events %+v (%v)", evs, err)
		}
	})
}
