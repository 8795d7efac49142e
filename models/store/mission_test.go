package store_test

import (
	"reflect"
	"testing"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// TestDB_FindMissionByID reads one mission with the hand-written query of
// the hot path: every column as GORM reads it (FindMissions), and the
// scope of every role (a mission account sees only its own mission).
func TestDB_FindMissionByID(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		sys := asRole(models.RoleSystem, "")
		a := &models.Mission{Name: "Embassy A", Kind: "embassy", Country: "PH", FocalPointEmail: "a@mission.example", Language: "fr"}
		b := &models.Mission{Name: "Permanent mission B", Kind: "permanent_mission", Country: "ID", FocalPointEmail: "b@mission.example"}
		for _, m := range []*models.Mission{a, b} {
			if err := db.CreateMission(sys, m); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.ExecRaw(sys, "UPDATE missions SET suspended = true WHERE id = ?", b.ID); err != nil {
			t.Fatal(err)
		}
		// What GORM reads, column by column.
		all, _, err := db.FindMissions(sys, models.MissionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]models.Mission{}
		for _, m := range all {
			want[m.ID] = m
		}
		if !want[b.ID].Suspended || want[a.ID].Language != "fr" {
			t.Fatalf("fixture not as meant: %+v", all)
		}

		tests := []struct {
			name, role, mission, id string
			found                   bool
		}{
			{"admin", models.RoleAdmin, "", a.ID, true},
			{"officer, suspended mission", models.RoleOfficer, "", b.ID, true},
			{"auditor", models.RoleAuditor, "", a.ID, true},
			{"system", models.RoleSystem, "", b.ID, true},
			{"its own mission", models.RoleMission, a.ID, a.ID, true},
			{"another mission", models.RoleMission, a.ID, b.ID, false},
			{"mission account without a mission", models.RoleMission, "", a.ID, false},
			{"no such id", models.RoleOfficer, "", models.NewID(), false},
			{"no such id, mission", models.RoleMission, a.ID, models.NewID(), false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.FindMissionByID(asRole(tt.role, tt.mission), tt.id)
				if !tt.found {
					if models.ErrorCode(err) != models.ENOTFOUND {
						t.Fatalf("err = %v, want %s", err, models.ENOTFOUND)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if w := want[tt.id]; !reflect.DeepEqual(*got, w) {
					t.Errorf("got  %+v\nwant %+v (as GORM reads it)", *got, w)
				}
			})
		}
	})
}
