package store_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// TestDB_FindEmployments_Summaries checks the list path: filters, the
// mission scope, keyset pages, and that each summary carries the stored
// employment's fields.
func TestDB_FindEmployments_Summaries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		missionA, _ := fixture(t, db)
		missionB := &models.Mission{Name: "Other", Kind: "embassy", Country: "ID", FocalPointEmail: "o@m.example"}
		if err := db.CreateMission(sys(), missionB); err != nil {
			t.Fatal(err)
		}
		notify := func(m *models.Mission) *models.Employment {
			t.Helper()
			emp := &models.Employer{MissionID: m.ID, FullName: "D", Rank: models.RankDiplomat, Immunity: "full"}
			if err := db.CreateEmployer(sys(), emp); err != nil {
				t.Fatal(err)
			}
			e, err := db.CreateEmployment(sys(), input(newWorker(t, db, "1990-01-01").ID, emp.ID))
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
		var inA, inB []string
		for range 5 {
			inA = append(inA, notify(missionA).ID)
		}
		for range 2 {
			inB = append(inB, notify(missionB).ID)
		}
		arrival, expiry := models.Date{Year: 2027, Month: 1, Day: 2}, models.Date{Year: 2029, Month: 6, Day: 30}
		card := "C-1"
		if _, err := db.UpdateEmployment(sys(), inA[1], models.EmploymentUpdate{ArrivalDate: &arrival,
			IDCardNumber: &card, IDCardExpiry: &expiry}); err != nil {
			t.Fatal(err)
		}
		// Rows of a page differ in wage, hours, status and mission.
		terms := storetest.ValidTerms()
		wage, hours := "1500.50", 40.5
		terms.MonthlyNetWage, terms.WeeklyHours = &wage, &hours
		if _, err := db.UpdateTerms(sys(), inA[3], *terms); err != nil {
			t.Fatal(err)
		}
		approved := models.StatusApproved
		if _, err := db.UpdateEmployment(sys(), inA[2], models.EmploymentUpdate{Status: &approved}); err != nil {
			t.Fatal(err)
		}
		all := append(slices.Clone(inA), inB...)
		slices.Sort(all)
		slices.Sort(inA)
		slices.Sort(inB)

		for _, tc := range []struct {
			name   string
			actor  string // officer, mission, missionB, lost (a mission account without a mission)
			filter models.EmploymentFilter
			want   []string
		}{
			{"officer sees all", "officer", models.EmploymentFilter{}, all},
			{"officer, one mission", "officer", models.EmploymentFilter{MissionID: missionB.ID}, inB},
			{"mission sees its own", "mission", models.EmploymentFilter{}, inA},
			{"mission asking for another", "mission", models.EmploymentFilter{MissionID: missionB.ID}, nil},
			{"other mission", "missionB", models.EmploymentFilter{}, inB},
			{"mission account without mission", "lost", models.EmploymentFilter{}, nil},
			{"status", "officer", models.EmploymentFilter{Status: models.StatusApproved}, []string{inA[2]}},
			{"status, no match", "officer", models.EmploymentFilter{Status: models.StatusEnded}, nil},
			{"after the last", "officer", models.EmploymentFilter{Page: models.Page{After: all[len(all)-1]}}, nil},
		} {
			t.Run(tc.name, func(t *testing.T) {
				actor := map[string]models.Actor{
					"officer":  {UserID: "o", Role: models.RoleOfficer},
					"mission":  {UserID: "m", Role: models.RoleMission, MissionID: missionA.ID},
					"missionB": {UserID: "b", Role: models.RoleMission, MissionID: missionB.ID},
					"lost":     {UserID: "l", Role: models.RoleMission},
				}[tc.actor]
				got, next, err := db.FindEmployments(actorCtx(actor.Role, actor.MissionID), tc.filter)
				if err != nil {
					t.Fatal(err)
				}
				if ids := summaryIDs(got); !slices.Equal(ids, tc.want) {
					t.Fatalf("ids %v, want %v", ids, tc.want)
				}
				if next != "" {
					t.Fatalf("next %q on the only page", next)
				}
			})
		}

		t.Run("fields are the employment's", func(t *testing.T) {
			got, _, err := db.FindEmployments(sys(), models.EmploymentFilter{WorkerID: mustEmployment(t, db, inA[1]).WorkerID})
			if err != nil || len(got) != 1 {
				t.Fatalf("%d summaries (%v)", len(got), err)
			}
			e := mustEmployment(t, db, inA[1])
			want := models.EmploymentSummary{ID: e.ID, MissionID: e.MissionID, EmployerID: e.EmployerID, WorkerID: e.WorkerID,
				Status: e.Status, StartDate: e.StartDate, ArrivalDate: &arrival, IDCardExpiry: &expiry,
				MonthlyNetWage: models.FormatAmount(e.Terms.MonthlyNetWageMinor, e.Terms.Currency),
				Currency:       e.Terms.Currency, WeeklyHours: e.Terms.WeeklyHours}
			if !reflect.DeepEqual(got[0], want) {
				t.Fatalf("summary\n got %+v\nwant %+v", got[0], want)
			}
			if got[0].EndDate != nil || got[0].DepartureDate != nil || want.MonthlyNetWage == "" || want.WeeklyHours == 0 {
				t.Fatalf("summary %+v", got[0])
			}
			every, _, err := db.FindEmployments(sys(), models.EmploymentFilter{})
			if err != nil || len(every) != len(all) {
				t.Fatalf("%d summaries (%v)", len(every), err)
			}
			wages := map[string]bool{}
			for _, got := range every {
				e := mustEmployment(t, db, got.ID)
				want := models.EmploymentSummary{ID: e.ID, MissionID: e.MissionID, EmployerID: e.EmployerID, WorkerID: e.WorkerID,
					Status: e.Status, StartDate: e.StartDate, EndDate: e.EndDate, ArrivalDate: e.ArrivalDate,
					DepartureDate: e.DepartureDate, IDCardExpiry: e.IDCardExpiry,
					MonthlyNetWage: models.FormatAmount(e.Terms.MonthlyNetWageMinor, e.Terms.Currency),
					Currency:       e.Terms.Currency, WeeklyHours: e.Terms.WeeklyHours}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("summary\n got %+v\nwant %+v", got, want)
				}
				wages[got.MonthlyNetWage] = true
			}
			if !wages["1500.50"] || !wages["1200.00"] {
				t.Errorf("wages %v", wages)
			}
			byEmployer, _, err := db.FindEmployments(sys(), models.EmploymentFilter{EmployerID: e.EmployerID, MissionID: missionA.ID})
			if err != nil || !slices.Equal(summaryIDs(byEmployer), []string{e.ID}) {
				t.Fatalf("by employer: %v (%v)", summaryIDs(byEmployer), err)
			}
		})

		t.Run("keyset pages", func(t *testing.T) {
			for _, limit := range []int{1, 2, 3, 7, 8} {
				var seen []string
				p := models.Page{Limit: limit}
				for pages := 0; ; pages++ {
					if pages > len(all) {
						t.Fatalf("limit %d: no end", limit)
					}
					got, next, err := db.FindEmployments(sys(), models.EmploymentFilter{Page: p})
					if err != nil {
						t.Fatal(err)
					}
					if len(got) > limit {
						t.Fatalf("limit %d: page of %d", limit, len(got))
					}
					seen = append(seen, summaryIDs(got)...)
					if next == "" {
						break
					}
					if next != got[len(got)-1].ID {
						t.Fatalf("limit %d: next %q is not the page's last id", limit, next)
					}
					p.After = next
				}
				if !slices.Equal(seen, all) {
					t.Fatalf("limit %d: walked %v, want %v", limit, seen, all)
				}
			}
		})
	})
}

func summaryIDs(s []models.EmploymentSummary) []string {
	var ids []string
	for _, e := range s {
		ids = append(ids, e.ID)
	}
	return ids
}

func mustEmployment(t *testing.T, db *store.DB, id string) *models.Employment {
	t.Helper()
	e, err := db.FindEmploymentByID(sys(), id)
	if err != nil {
		t.Fatal(err)
	}
	return e
}
