package store_test

import (
	"testing"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// TestDB_CreateSanction: a suspension sets the flag with its register
// entry and audit event in one transaction; a second suspension changes
// nothing (409); a mission or an officer may not; an unknown subject is
// a 422 naming subject_id.
func TestDB_CreateSanction(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		mission, employer := fixture(t, db)
		admin := models.WithActor(sys(), models.Actor{UserID: "admin-1", Role: models.RoleAdmin})
		in := models.SanctionInput{SubjectKind: models.SubjectEmployer, SubjectID: employer.ID, Action: models.SanctionSuspend,
			Reason: "  Wages unpaid  ", LegalBasis: "PHEO art. 7"}
		s, err := db.CreateSanction(admin, in)
		if err != nil {
			t.Fatal(err)
		}
		if s.MissionID != mission.ID || s.ActorID != "admin-1" || s.Reason != "Wages unpaid" {
			t.Errorf("sanction %+v", s)
		}
		if e, _ := db.FindEmployerByID(sys(), employer.ID); !e.Suspended {
			t.Error("employer not suspended")
		}
		if _, err := db.CreateSanction(admin, in); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("second suspension: %v, want a conflict", err)
		}
		for _, role := range []string{models.RoleOfficer, models.RoleMission, models.RoleAuditor} {
			ctx := models.WithActor(sys(), models.Actor{UserID: "x", Role: role, MissionID: mission.ID})
			if _, err := db.CreateSanction(ctx, in); models.ErrorCode(err) != models.EFORBIDDEN {
				t.Errorf("%s: %v, want forbidden", role, err)
			}
		}
		bad := in
		bad.SubjectKind = models.SubjectMission // an employer's id as a mission's
		if _, err := db.CreateSanction(admin, bad); models.ErrorCode(err) != models.EINVALID || models.ErrorFields(err)["subject_id"] == "" {
			t.Errorf("unknown subject: %v", err)
		}
		evs, err := db.FindAuditEvents(sys(), models.AuditFilter{ObjectType: "sanction", ObjectID: s.ID})
		if err != nil || len(evs) != 1 || evs[0].ActorID != "admin-1" {
			t.Errorf("audit events %+v %v", evs, err)
		}
		if _, err := db.UpdateEmployer(admin, employer.ID, models.EmployerUpdate{Suspended: new(bool)}); models.ErrorCode(err) != models.EINVALID {
			t.Errorf("restoring around the register: %v, want a 422", err)
		}
		list, _, err := db.FindSanctions(sys(), models.SanctionFilter{SubjectID: employer.ID})
		if err != nil || len(list) != 1 || list[0].ID != s.ID {
			t.Errorf("history %+v %v", list, err)
		}
	})
}
