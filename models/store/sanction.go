package store

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
)

// CreateSanction records an administrator's suspension or restoration of
// an employer's or a mission's eligibility and sets the subject's
// suspended flag, in one transaction with its audit event. An unknown
// subject gives EINVALID naming subject_id; suspending a subject that is
// suspended (or restoring one that is not) gives ECONFLICT. Only admins
// (and the system) may.
func (db *DB) CreateSanction(ctx context.Context, in models.SanctionInput) (*models.Sanction, error) {
	a := models.ActorFrom(ctx)
	if a.Role != models.RoleAdmin && a.Role != models.RoleSystem {
		return nil, models.Errorf(models.EFORBIDDEN, "Only an administrator may suspend or restore eligibility.")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	s := &models.Sanction{ID: models.NewID(), SubjectKind: in.SubjectKind, SubjectID: in.SubjectID,
		Action: in.Action, Reason: in.Reason, LegalBasis: in.LegalBasis, ActorID: a.UserID, CreatedAt: db.now()}
	suspend := in.Action == models.SanctionSuspend
	err := db.tx(ctx, func(tx *gorm.DB) error {
		q := tx
		if db.dialect == migrations.Postgres {
			// Two admins deciding at once: one waits for the other.
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		var table string
		var current bool
		switch in.SubjectKind {
		case models.SubjectEmployer:
			var e models.Employer
			if err := q.Where("id = ?", in.SubjectID).Take(&e).Error; err != nil {
				return subjectNotFound(err, "employer")
			}
			table, current, s.MissionID = "employers", e.Suspended, e.MissionID
		default:
			var m models.Mission
			if err := q.Where("id = ?", in.SubjectID).Take(&m).Error; err != nil {
				return subjectNotFound(err, "mission")
			}
			table, current, s.MissionID = "missions", m.Suspended, m.ID
		}
		if current == suspend {
			state := "is not suspended"
			if current {
				state = "is already suspended"
			}
			return models.Errorf(models.ECONFLICT, "The %s's eligibility %s.", in.SubjectKind, state)
		}
		if err := tx.Table(table).Where("id = ?", in.SubjectID).
			Updates(map[string]any{"suspended": suspend, "updated_at": s.CreatedAt}).Error; err != nil {
			return err
		}
		if err := tx.Create(s).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionCreate, "sanction", s.ID, in.Action+":"+in.SubjectKind+":"+in.SubjectID)
	})
	if err != nil {
		return nil, translate(err, "sanction")
	}
	return s, nil
}

func subjectNotFound(err error, object string) error {
	if models.ErrorCode(translate(err, object)) == models.ENOTFOUND {
		return invalidRef("subject_id", object)
	}
	return err
}

// FindSanctions returns one page of the register, oldest first, for a
// subject or a mission when the filter names one. The read is audited:
// reasons may say things about an employer.
func (db *DB) FindSanctions(ctx context.Context, f models.SanctionFilter) ([]models.Sanction, string, error) {
	var (
		out  []models.Sanction
		next string
	)
	err := db.tx(ctx, func(tx *gorm.DB) error {
		q := tx.Model(&models.Sanction{})
		if f.SubjectID != "" {
			q = q.Where("subject_id = ?", f.SubjectID)
		}
		if f.MissionID != "" {
			q = q.Where("mission_id = ?", f.MissionID)
		}
		var err error
		if out, next, err = page(q, f.Page, func(s *models.Sanction) string { return s.ID }); err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionList, "sanction", f.SubjectID, "mission="+f.MissionID)
	})
	return out, next, translate(err, "sanction")
}

// sanctionInForce returns the newest suspension of a subject, or nil when
// the register holds none (a flag set before the register existed).
func sanctionInForce(tx *gorm.DB, subjectID string) (*models.Sanction, error) {
	var s []models.Sanction
	err := tx.Where("subject_id = ? AND action = ?", subjectID, models.SanctionSuspend).
		Order("id DESC").Limit(1).Find(&s).Error
	if err != nil || len(s) == 0 {
		return nil, err
	}
	return &s[0], nil
}

// errSuspendedByRegister refuses a change of the suspended flag that does
// not go through the register: every suspension and restoration has a
// reason, a legal basis and a history.
var errSuspendedByRegister = &models.Error{Code: models.EINVALID, Message: "Eligibility changes only through the sanctions register.",
	Fields: map[string]string{"suspended": "cannot be set here: POST /api/v1/sanctions with subject_kind, subject_id, action, reason and legal_basis"}}
