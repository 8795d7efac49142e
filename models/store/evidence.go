package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// CreateEvidence files evidence for an employment the actor may see.
// Officers and admins file any kind; a mission files only pay evidence for
// its own employments (EFORBIDDEN otherwise). Bad input gives EINVALID.
func (db *DB) CreateEvidence(ctx context.Context, employmentID string, in models.EvidenceInput) (*models.Evidence, error) {
	a := models.ActorFrom(ctx)
	ev, err := in.Validate()
	if err != nil {
		return nil, err
	}
	if a.Role == models.RoleMission && ev.Kind != models.EvidencePay {
		return nil, models.Errorf(models.EFORBIDDEN, "A mission may file only pay evidence; the protocol office files the rest.")
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		e, err := findEmployment(ctx, tx, employmentID)
		if err != nil {
			return err
		}
		ev.ID, ev.EmploymentID, ev.MissionID = models.NewID(), e.ID, e.MissionID
		ev.RecordedBy, ev.RecordedRole, ev.CreatedAt = a.UserID, a.Role, db.now()
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionCreate, "evidence", ev.ID, ev.Kind+":"+e.ID)
	})
	if err != nil {
		return nil, translate(err, "employment")
	}
	return &ev, nil
}

// FindEvidence returns the evidence of an employment the actor may see,
// in filing order. A mission's focal point sees the pay evidence its
// mission filed and every kind's existence, but not the office's notes.
func (db *DB) FindEvidence(ctx context.Context, employmentID string) ([]models.Evidence, error) {
	var out []models.Evidence
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if _, err := findEmployment(ctx, tx, employmentID); err != nil {
			return err
		}
		if err := tx.Where("employment_id = ?", employmentID).Order("id").Find(&out).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionList, "evidence", employmentID, "")
	})
	if err != nil {
		return nil, translate(err, "employment")
	}
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		for i := range out {
			if out[i].RecordedRole != models.RoleMission {
				out[i].Note = ""
			}
		}
	}
	return out, nil
}
