package store_test

import (
	"encoding/base64"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// TestDB_RetentionErasesEverywhereReportUnchanged (issue 5, acceptance):
// an employment that ended more than retention_years ago is erased: its
// worker's name and contacts, interview answers, indicators and notes,
// outcome notes, case reasons and action notes, referral reasons,
// evidence texts and documents, access codes, contract PDFs; and the
// compliance report of its period gives the same figures before and after.
func TestDB_RetentionErasesEverywhereReportUnchanged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		store.BcryptCost = bcrypt.MinCost
		h := storetest.NewHousehold(t, db)
		a := startedAppointment(t, db, h) // db.Now: just after its start (2026-11)
		ctx := sys()
		const secret = "SECRET-7c1e"
		res, err := db.RecordInterview(ctx, interviewInput(a, map[string]any{"q05": 800}, secret+" interview note"))
		if err != nil {
			t.Fatal(err)
		}
		e, err := db.FindEmploymentByID(ctx, a.EmploymentID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateWorker(ctx, e.WorkerID, models.WorkerUpdate{FullName: ptrS(secret + " Name"),
			PassportNumber: ptrS("P" + secret), Phone: ptrS("+41 79 111 22 33"), Email: ptrS("secret@example.org")}); err != nil {
			t.Fatal(err)
		}
		officer := &models.User{Email: "o@office.example", Role: models.RoleOfficer}
		if err := db.CreateUser(ctx, officer, "a long enough password"); err != nil {
			t.Fatal(err)
		}
		c, _, err := db.CreateCase(ctx, models.CaseInput{EmploymentID: e.ID, Reason: secret + " case"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddCaseAction(ctx, c.ID, models.ActionInput{Kind: "note", Note: secret + " action"}); err != nil {
			t.Fatal(err)
		}
		admin := models.WithActor(ctx, models.Actor{UserID: "admin", Role: models.RoleAdmin})
		org, err := db.CreateOrganisation(admin, models.OrganisationInput{Kind: "ngo", Name: "Aid", Phone: "+41 58 000 00 03"})
		if err != nil {
			t.Fatal(err)
		}
		yes := true
		if _, err := db.CreateReferral(ctx, models.ReferralInput{CaseID: c.ID, OrganisationID: org.ID, Consent: &yes,
			ConsentRecordedBy: officer.ID, Reason: secret + " referral"}); err != nil {
			t.Fatal(err)
		}
		pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.4 " + secret))
		if _, err := db.CreateEvidence(ctx, e.ID, models.EvidenceInput{Kind: models.EvidencePay, Month: "2026-11", SoleNameAccount: &yes,
			Amount: ptrS("1200.00"), Reference: secret + " ref", Note: secret + " evidence",
			File: &models.EvidenceFileInput{Name: "pay.pdf", ContentType: "application/pdf", Data: pdf}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.IssueAccessCode(ctx, e.WorkerID); err != nil {
			t.Fatal(err)
		}
		storetest.MustExec(t, db, "UPDATE appointments SET outcome_note = ? WHERE id = ?", secret+" outcome", res.Appointment.ID)
		storetest.MustExec(t, db, "UPDATE employments SET status = ?, departure_date = ? WHERE id = ?",
			models.StatusEnded, storetest.Date("2026-11-30"), e.ID)

		q := models.ReportQuery{From: storetest.Date("2026-01-01"), To: storetest.Date("2026-12-31"), MinCell: 5}
		office := models.WithActor(ctx, models.Actor{UserID: officer.ID, Role: models.RoleOfficer})
		before, err := db.ComplianceReport(office, q)
		if err != nil {
			t.Fatal(err)
		}

		later := time.Date(2032, 12, 1, 3, 0, 0, 0, time.UTC) // six years on: past retention (5)
		r, err := db.EraseExpired(ctx, later)
		if err != nil || r.Workers != 1 || r.EvidenceFiles != 1 {
			t.Fatalf("EraseExpired = %+v, %v; want one worker and one evidence file", r, err)
		}

		// No table holds the secret any more, nor the worker's contacts.
		tables := []string{"workers", "interviews", "appointments", "cases", "case_actions", "referrals", "evidence",
			"evidence_files", "worker_access_codes", "timeline_events", "contracts"}
		for _, table := range tables {
			rows, err := db.SQL().Query("SELECT * FROM " + table)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			for rows.Next() {
				vals := make([]any, len(cols))
				ptrs := make([]any, len(cols))
				for i := range vals {
					ptrs[i] = &vals[i]
				}
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for i, v := range vals {
					var s string
					switch x := v.(type) {
					case string:
						s = x
					case []byte:
						s = string(x)
					}
					for _, bad := range []string{secret, "+41 79 111 22 33", "secret@example.org"} {
						if strings.Contains(s, bad) {
							t.Errorf("%s.%s still holds %q", table, cols[i], bad)
						}
					}
					if strings.HasPrefix(s, "v1:") && cols[i] != "id" {
						t.Errorf("%s.%s still holds a sealed value (an answer, note or reason)", table, cols[i])
					}
				}
			}
			rows.Close()
		}
		var codes, files int
		if err := db.SQL().QueryRow("SELECT (SELECT COUNT(*) FROM worker_access_codes), (SELECT COUNT(*) FROM evidence_files)").Scan(&codes, &files); err != nil {
			t.Fatal(err)
		}
		if codes != 0 || files != 0 {
			t.Errorf("after erasure: %d access codes, %d evidence files; want none", codes, files)
		}

		after, err := db.ComplianceReport(office, q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(before.Sections, after.Sections) || !reflect.DeepEqual(before.Missions, after.Missions) {
			t.Errorf("the report changed with the erasure:\nbefore %+v\nafter  %+v", before.Sections, after.Sections)
		}
		if before.Metric("interviews") == nil || before.Metric("interviews").Total.Value != 1 {
			t.Errorf("the report does not count the interview: %+v", before.Metric("interviews"))
		}
		// The interview's indicator (pay below the contract) is counted,
		// before and after the erasure.
		if m := after.Metric("indicator.withholding_of_wages"); m == nil || m.Total.Value != 1 {
			t.Errorf("interviews showing withholding of wages = %+v, want 1", m)
		}
	})
}

func ptrS(s string) *string { return &s }
