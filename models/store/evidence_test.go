package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

func actorCtx(role, mission string) context.Context {
	return models.WithActor(context.Background(), models.Actor{UserID: models.NewID(), Role: role, MissionID: mission})
}

var pdfBytes = []byte("%PDF-1.4\nwage statement")

func pdfFile() *models.EvidenceFileInput {
	return &models.EvidenceFileInput{Name: "statement.pdf", ContentType: "application/pdf", Data: base64.StdEncoding.EncodeToString(pdfBytes)}
}

func payInput(month, amount string, sole bool) models.EvidenceInput {
	return models.EvidenceInput{Kind: models.EvidencePay, Month: month, Amount: &amount, SoleNameAccount: &sole}
}

func hoursInput(month string, h float64) models.EvidenceInput {
	return models.EvidenceInput{Kind: models.EvidenceHours, Month: month, HoursWorked: &h}
}

func mustEvidence(t *testing.T, db *store.DB, ctx context.Context, emp string, in models.EvidenceInput) *models.Evidence {
	t.Helper()
	ev, err := db.CreateEvidence(ctx, emp, in)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// TestDB_EvidenceFile: the document is stored apart with its hash, the
// amount in minor units; who may read the document; the read is audited.
func TestDB_EvidenceFile(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		e := h.Employment(t, storetest.Date("2026-10-01"), models.EmploymentUpdate{}, "tl")
		mission := actorCtx(models.RoleMission, h.Mission.ID)
		in := payInput("2026-10", "1200.05", true)
		in.File = pdfFile()
		ev := mustEvidence(t, db, mission, e.ID, in)
		sum := sha256.Sum256(pdfBytes)
		if ev.FileSHA256 != hex.EncodeToString(sum[:]) || ev.Amount == nil || *ev.Amount != "1200.05" || ev.Currency != "CHF" {
			t.Errorf("evidence %+v", ev)
		}
		var minor int64
		var raw []byte
		var hash string
		if err := db.SQL().QueryRow("SELECT amount_minor FROM evidence WHERE id = "+placeholder(db, 1), ev.ID).Scan(&minor); err != nil || minor != 120005 {
			t.Errorf("amount_minor %d (%v), want 120005", minor, err)
		}
		if err := db.SQL().QueryRow("SELECT data, sha256 FROM evidence_files WHERE evidence_id = "+placeholder(db, 1), ev.ID).Scan(&raw, &hash); err != nil ||
			!bytes.Equal(raw, pdfBytes) || hash != ev.FileSHA256 {
			t.Errorf("stored file %q %s (%v)", raw, hash, err)
		}
		ins := models.EvidenceInput{Kind: models.EvidenceInsurance, Insurance: "health", ValidUntil: storetest.DateP("2027-01-01"), File: pdfFile()}
		insEv := mustEvidence(t, db, storetest.SysCtx(), e.ID, ins)

		other := storetest.NewHousehold(t, db)
		for _, tt := range []struct {
			name string
			ctx  context.Context
			id   string
			code string
		}{
			{"officer", actorCtx(models.RoleOfficer, ""), ev.ID, ""},
			{"officer insurance", actorCtx(models.RoleOfficer, ""), insEv.ID, ""},
			{"own mission", mission, ev.ID, ""},
			{"own mission, insurance", mission, insEv.ID, models.ENOTFOUND},
			{"other mission", actorCtx(models.RoleMission, other.Mission.ID), ev.ID, models.ENOTFOUND},
			{"auditor", actorCtx(models.RoleAuditor, ""), ev.ID, models.EFORBIDDEN},
			{"unknown", actorCtx(models.RoleOfficer, ""), models.NewID(), models.ENOTFOUND},
		} {
			f, err := db.FindEvidenceFile(tt.ctx, tt.id)
			if models.ErrorCode(err) != tt.code && !(tt.code == "" && err == nil) {
				t.Errorf("%s: %v, want %q", tt.name, err, tt.code)
			}
			if err == nil && (!bytes.Equal(f.Data, pdfBytes) || f.ContentType != "application/pdf" || f.Name != "statement.pdf") {
				t.Errorf("%s: file %+v", tt.name, f)
			}
		}
		var reads int64
		if err := db.SQL().QueryRow("SELECT COUNT(*) FROM audit_events WHERE action = 'read' AND object_type = 'evidence_file' AND object_id = "+
			placeholder(db, 1), ev.ID).Scan(&reads); err != nil || reads != 2 {
			t.Errorf("audited reads %d (%v), want 2", reads, err)
		}
	})
}

// TestDB_EndingNeedsExitPack: a refused ending changes nothing; a waiver
// ends it and records the reason and what was missing.
func TestDB_EndingNeedsExitPack(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		active := models.StatusActive
		e := h.Employment(t, storetest.Date("2026-09-01"), models.EmploymentUpdate{Status: &active, ArrivalDate: storetest.DateP("2026-09-01")}, "tl")
		ended := models.StatusEnded
		officer := actorCtx(models.RoleOfficer, "")
		end := models.EmploymentUpdate{Status: &ended, DepartureDate: storetest.DateP("2026-10-31")}
		_, err := db.UpdateEmployment(officer, e.ID, end)
		if models.ErrorCode(err) != models.ECONFLICT || !strings.Contains(err.Error(), "2026-09, 2026-10") {
			t.Fatalf("ending without a pack: %v", err)
		}
		if got, _ := db.FindEmploymentByID(storetest.SysCtx(), e.ID); got.Status != models.StatusActive || got.DepartureDate != nil {
			t.Errorf("a refused ending changed the employment: %+v", got)
		}
		end.ExitPackWaiver = new("SECRET reason naming the worker")
		if _, err := db.UpdateEmployment(actorCtx(models.RoleMission, h.Mission.ID), e.ID, end); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Errorf("a mission waives: %v", err)
		}
		if _, err := db.UpdateEmployment(officer, e.ID, end); err != nil {
			t.Fatal(err)
		}
		tl, _, err := db.FindTimeline(officer, e.ID, models.Page{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var found bool
		for _, ev := range tl {
			if ev.Kind == models.EventExitPackWaived {
				found = ev.Data["reason"] == "SECRET reason naming the worker" && strings.Contains(ev.Data["missing"], "proof of final pay") && ev.Notify == ""
			}
		}
		if !found {
			t.Errorf("no waiver on the timeline: %+v", tl)
		}
	})
}

// TestDB_Retention_ErasesEvidenceFiles: past retention the documents,
// their hashes, the references, notes and the waiver's reason are gone;
// the evidence rows stay for the reports.
func TestDB_Retention_ErasesEvidenceFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		e := h.Employment(t, storetest.Date("2026-09-01"), models.EmploymentUpdate{}, "tl")
		in := payInput("2026-09", "1200", true)
		in.File, in.Reference, in.Note = pdfFile(), "SECRET ref", "SECRET note"
		ev := mustEvidence(t, db, storetest.SysCtx(), e.ID, in)
		kept := h.Employment(t, storetest.Date("2026-09-01"), models.EmploymentUpdate{}, "tl")
		in.File = pdfFile()
		mustEvidence(t, db, storetest.SysCtx(), kept.ID, in)
		ended := models.StatusEnded
		if _, err := db.UpdateEmployment(storetest.SysCtx(), e.ID, models.EmploymentUpdate{Status: &ended,
			DepartureDate: storetest.DateP("2026-10-31"), ExitPackWaiver: new("SECRET waiver")}); err != nil {
			t.Fatal(err)
		}
		res, err := db.EraseExpired(storetest.SysCtx(), time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		if res.EvidenceFiles != 1 {
			t.Errorf("erased %d evidence files, want 1", res.EvidenceFiles)
		}
		var files, rows int64
		db.SQL().QueryRow("SELECT COUNT(*) FROM evidence_files WHERE employment_id = "+placeholder(db, 1), e.ID).Scan(&files)
		db.SQL().QueryRow("SELECT COUNT(*) FROM evidence_files").Scan(&rows)
		if files != 0 || rows != 1 {
			t.Errorf("evidence files left: %d of the erased employment, %d in all (want 0 and 1)", files, rows)
		}
		var ref, note, sum, month string
		if err := db.SQL().QueryRow("SELECT reference, note, file_sha256, month FROM evidence WHERE id = "+placeholder(db, 1), ev.ID).
			Scan(&ref, &note, &sum, &month); err != nil || ref != "" || note != "" || sum != "" || month != "2026-09" {
			t.Errorf("evidence row after retention: %q %q %q %q (%v)", ref, note, sum, month, err)
		}
		var data string
		db.SQL().QueryRow("SELECT data FROM timeline_events WHERE kind = 'exit_pack_waived' AND employment_id = "+placeholder(db, 1), e.ID).Scan(&data)
		if strings.Contains(data, "SECRET") || !strings.Contains(data, "missing") {
			t.Errorf("waiver entry after retention: %s", data)
		}
	})
}

// TestDB_EvidenceStatus: only the office; gaps computed on the store's day.
func TestDB_EvidenceStatus(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := storetest.NewHousehold(t, db)
		e := h.Employment(t, storetest.Date("2026-08-15"), models.EmploymentUpdate{ArrivalDate: storetest.DateP("2026-09-02")}, "tl")
		mustEvidence(t, db, storetest.SysCtx(), e.ID, payInput("2026-09", "1200", true))
		mustEvidence(t, db, storetest.SysCtx(), e.ID, hoursInput("2026-10", 170))
		st, err := db.EvidenceStatus(actorCtx(models.RoleOfficer, ""), e.ID)
		if err != nil {
			t.Fatal(err)
		}
		// storetest.Now is 2026-11-02.
		// November is running: not due yet.
		if got := strings.Join(st.MonthsWithoutPay, " "); got != "2026-10" {
			t.Errorf("months without pay %q", got)
		}
		if got := strings.Join(st.MonthsWithoutHours, " "); got != "2026-09" {
			t.Errorf("months without hours %q", got)
		}
		for _, ctx := range []context.Context{actorCtx(models.RoleMission, h.Mission.ID), actorCtx(models.RoleAuditor, "")} {
			if _, err := db.EvidenceStatus(ctx, e.ID); models.ErrorCode(err) != models.EFORBIDDEN {
				t.Errorf("%s reads the status: %v", models.ActorFrom(ctx).Role, err)
			}
		}
	})
}
