package store

import (
	"context"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// CreateEvidence files evidence for an employment the actor may see, with
// its uploaded document if any (both in one transaction). Officers and
// admins file any kind; a mission files only pay evidence for its own
// employments (EFORBIDDEN otherwise). Bad input gives EINVALID; a pay
// evidence's amount is read in the currency of the employment's terms.
func (db *DB) CreateEvidence(ctx context.Context, employmentID string, in models.EvidenceInput) (*models.Evidence, error) {
	a := models.ActorFrom(ctx)
	if kind := strings.TrimSpace(in.Kind); a.Role == models.RoleMission && kind != models.EvidencePay && slices.Contains(models.EvidenceKinds, kind) {
		return nil, models.Errorf(models.EFORBIDDEN, "A mission may file only pay evidence; the protocol office files the rest.")
	}
	var ev models.Evidence
	err := db.tx(ctx, func(tx *gorm.DB) error {
		e, err := findEmployment(ctx, tx, employmentID)
		if err != nil {
			return err
		}
		var file *models.EvidenceFile
		if ev, file, err = in.Validate(e.Terms.Currency); err != nil {
			return err
		}
		ev.ID, ev.EmploymentID, ev.MissionID = models.NewID(), e.ID, e.MissionID
		ev.RecordedBy, ev.RecordedRole, ev.CreatedAt = a.UserID, a.Role, db.now()
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
		entries := []auditEntry{{models.ActionCreate, "evidence", ev.ID, ev.Kind + ":" + e.ID}}
		if file != nil {
			file.EvidenceID, file.EmploymentID, file.CreatedAt = ev.ID, e.ID, ev.CreatedAt
			if err := tx.Create(file).Error; err != nil {
				return err
			}
			entries = append(entries, auditEntry{models.ActionCreate, "evidence_file", ev.ID, file.SHA256})
		}
		return db.auditMany(ctx, tx, entries)
	})
	if err != nil {
		return nil, translate(err, "employment")
	}
	ev.Fill()
	return &ev, nil
}

// FindEvidence returns the evidence of an employment the actor may see,
// in filing order. A mission's focal point sees the pay evidence its
// mission filed and every kind's existence, but not the office's notes nor
// the documents of evidence other than pay.
func (db *DB) FindEvidence(ctx context.Context, employmentID string) ([]models.Evidence, error) {
	var out []models.Evidence
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if _, err := findEmployment(ctx, tx, employmentID); err != nil {
			return err
		}
		q := tx.Where("employment_id = ?", employmentID)
		if !models.ActorFrom(ctx).SeesOfficeNotes() {
			// A mission files and sees pay evidence only: the rest
			// (hours, insurance, exit proofs) is the office's record.
			q = q.Where("kind = ?", models.EvidencePay)
		}
		if err := q.Order("id").Find(&out).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionList, "evidence", employmentID, "")
	})
	if err != nil {
		return nil, translate(err, "employment")
	}
	office := models.ActorFrom(ctx).SeesOfficeNotes()
	for i := range out {
		out[i].Fill()
		if !office && out[i].RecordedRole != models.RoleMission {
			out[i].Note = ""
		}
	}
	return out, nil
}

// FindEvidenceFile returns the uploaded document of evidence evidenceID,
// audited as a read of personal data. Officers and admins read any; a
// mission's focal point only the documents of pay evidence of its own
// employments (ENOTFOUND otherwise); other roles get EFORBIDDEN.
func (db *DB) FindEvidenceFile(ctx context.Context, evidenceID string) (*models.EvidenceFile, error) {
	a := models.ActorFrom(ctx)
	if !a.SeesPersonalData() {
		return nil, models.Errorf(models.EFORBIDDEN, "Evidence documents are for the protocol office and the employment's mission.")
	}
	var f models.EvidenceFile
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var ev models.Evidence
		if err := scopeMission(ctx, tx, "mission_id").Where("id = ?", evidenceID).Take(&ev).Error; err != nil {
			return translate(err, "evidence")
		}
		if !a.SeesOfficeNotes() && ev.Kind != models.EvidencePay {
			return models.NotFound("evidence")
		}
		if err := tx.Where("evidence_id = ?", ev.ID).Take(&f).Error; err != nil {
			return translate(err, "evidence file")
		}
		return db.audit(ctx, tx, models.ActionRead, "evidence_file", ev.ID, ev.EmploymentID)
	})
	if err != nil {
		return nil, translate(err, "evidence")
	}
	return &f, nil
}

// EvidenceStatus returns what the evidence of an employment lacks today
// (see models.ComputeEvidenceStatus): for the office only, never a
// mission or an auditor (EFORBIDDEN).
func (db *DB) EvidenceStatus(ctx context.Context, employmentID string) (*models.EvidenceStatus, error) {
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		return nil, models.Errorf(models.EFORBIDDEN, "The evidence status is for the protocol office.")
	}
	var st models.EvidenceStatus
	err := db.tx(ctx, func(tx *gorm.DB) error {
		e, err := findEmployment(ctx, tx, employmentID)
		if err != nil {
			return err
		}
		p, evs, err := evidenceOf(tx, e)
		if err != nil {
			return err
		}
		st = models.ComputeEvidenceStatus(e, p, evs, models.DateOf(db.now()))
		return db.audit(ctx, tx, models.ActionRead, "evidence_status", e.ID, "")
	})
	if err != nil {
		return nil, translate(err, "employment")
	}
	return &st, nil
}

// evidenceOf loads e's policy and its evidence rows (one employment's
// evidence: a few rows per month of employment).
func evidenceOf(tx *gorm.DB, e *models.Employment) (*models.Policy, []models.Evidence, error) {
	var p models.Policy
	if err := tx.Where("id = ?", e.PolicyID).Take(&p).Error; err != nil {
		return nil, nil, err
	}
	var evs []models.Evidence
	if err := tx.Where("employment_id = ?", e.ID).Order("id").Find(&evs).Error; err != nil {
		return nil, nil, err
	}
	return &p, evs, nil
}

// checkExitPack is run when upd ends employment next (already updated,
// was status from): the exit evidence pack must be complete, or upd must
// carry the officer's waiver, which goes with the missing items on the
// employment's timeline (office only) and the audit trail. Otherwise
// ECONFLICT names what is missing.
func (db *DB) checkExitPack(ctx context.Context, tx *gorm.DB, next *models.Employment, upd models.EmploymentUpdate) error {
	p, evs, err := evidenceOf(tx, next)
	if err != nil {
		return err
	}
	pack := models.ComputeExitPack(next, p, evs, models.DateOf(db.now()))
	if pack.Complete {
		return nil
	}
	missing := strings.Join(pack.Missing(), "; ")
	if upd.ExitPackWaiver == nil {
		return &models.Error{Code: models.ECONFLICT,
			Message: "The employment cannot end: its exit evidence pack lacks " + missing +
				". File the evidence, or record the reason to end it anyway in exit_pack_waiver.",
			Fields: models.FieldErrors{"exit_pack_waiver": "is required while the exit evidence pack is incomplete"}}
	}
	ev := models.TimelineEvent{ID: models.NewID(), EmploymentID: next.ID, MissionID: next.MissionID,
		Kind: models.EventExitPackWaived, Data: models.StringMap{"reason": strings.TrimSpace(*upd.ExitPackWaiver), "missing": missing},
		CreatedAt: db.now()}
	if err := tx.Create(&ev).Error; err != nil {
		return err
	}
	return db.audit(ctx, tx, models.ActionCreate, "timeline_event", ev.ID, models.EventExitPackWaived+": "+missing)
}
