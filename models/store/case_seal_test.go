package store_test

import (
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// TestDB_CaseTextSealed: a case's reason, its actions' notes and a
// referral's reason are sealed in the database (the raw columns hold no
// plain text) and read back in plain text through the store, the export
// included.
func TestDB_CaseTextSealed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCaseWorld(t, db)
		ngo, err := db.CreateOrganisation(w.asAdmin, models.OrganisationInput{Kind: "ngo", Name: "Domestic Aid", Phone: "+41 58 000 00 03"})
		if err != nil {
			t.Fatal(err)
		}
		const reason, note, why = "employer keeps her passport", "called the worker's sister", "needs a shelter tonight"
		c, _, err := db.CreateCase(w.asOfficer, models.CaseInput{EmploymentID: w.emp.ID, Reason: reason})
		if err != nil || c.Reason != reason {
			t.Fatalf("CreateCase: %+v %v", c, err)
		}
		if act, err := db.AddCaseAction(w.asOfficer, c.ID, models.ActionInput{Kind: "call", Note: note}); err != nil || act.Note != note {
			t.Fatalf("AddCaseAction: %+v %v", act, err)
		}
		yes := true
		r, err := db.CreateReferral(w.asOfficer, models.ReferralInput{CaseID: c.ID, OrganisationID: ngo.ID, Consent: &yes,
			ConsentRecordedBy: w.officer.ID, Reason: why})
		if err != nil || r.Reason != why {
			t.Fatalf("CreateReferral: %+v %v", r, err)
		}

		for _, q := range []string{"SELECT reason FROM cases", "SELECT note FROM case_actions", "SELECT reason FROM referrals"} {
			rows, err := db.SQL().Query(q)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var v string
				if err := rows.Scan(&v); err != nil {
					t.Fatal(err)
				}
				for _, secret := range []string{"passport", "sister", "shelter"} {
					if strings.Contains(v, secret) {
						t.Errorf("%s: %q holds plain text", q, v)
					}
				}
				if v != "" && !strings.HasPrefix(v, "v1:") {
					t.Errorf("%s: %q is not sealed", q, v)
				}
			}
			rows.Close()
		}

		got, acts, err := db.FindCaseByID(w.asOfficer, c.ID)
		if err != nil || got.Reason != reason {
			t.Fatalf("FindCaseByID: %+v %v", got, err)
		}
		var notes []string
		for _, a := range acts {
			notes = append(notes, a.Note)
		}
		if all := strings.Join(notes, "|"); !strings.Contains(all, note) || !strings.Contains(all, why) || !strings.Contains(all, reason) {
			t.Errorf("actions' notes = %q, want the reason, the note and the referral's reason", all)
		}
		list, _, err := db.FindCases(w.asOfficer, models.CaseFilter{EmploymentID: w.emp.ID})
		if err != nil || len(list) != 1 || list[0].Reason != reason {
			t.Errorf("FindCases: %+v %v", list, err)
		}
		if rr, err := db.FindReferralByID(w.asOfficer, r.ID); err != nil || rr.Reason != why {
			t.Errorf("FindReferralByID: %+v %v", rr, err)
		}
		if ex, err := db.ExportReferral(w.asOfficer, r.ID, "Office"); err != nil || ex.Referral.OutgoingReferralDetails != why {
			t.Errorf("ExportReferral: %+v %v", ex, err)
		}
		u, err := db.UpdateCase(w.asOfficer, c.ID, models.CaseUpdate{AssignedTo: &w.officer.ID, Note: "mine"})
		if err != nil || u.Reason != reason {
			t.Errorf("UpdateCase: %+v %v", u, err)
		}
	})
}
