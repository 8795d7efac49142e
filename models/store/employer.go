package store

import (
	"strings"

	"context"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// FindEmployerByID returns an employer the actor may see; ENOTFOUND otherwise.
func (db *DB) FindEmployerByID(ctx context.Context, id string) (*models.Employer, error) {
	return findEmployer(ctx, db.read(ctx), id)
}

func findEmployer(ctx context.Context, q *gorm.DB, id string) (*models.Employer, error) {
	var e models.Employer
	err := scopeMission(ctx, q, "mission_id").Where("id = ?", id).Take(&e).Error
	return &e, translate(err, "employer")
}

// FindEmployers returns one page of the employers the actor may see.
func (db *DB) FindEmployers(ctx context.Context, f models.EmployerFilter) ([]models.Employer, string, error) {
	q := scopeMission(ctx, db.read(ctx).Model(&models.Employer{}), "mission_id")
	if f.MissionID != "" {
		q = q.Where("mission_id = ?", f.MissionID)
	}
	if f.Rank != "" {
		q = q.Where("rank = ?", f.Rank)
	}
	if f.Query != "" {
		q = whereLike(q, "full_name", f.Query)
	}
	out, next, err := page(q, f.Page, func(e *models.Employer) string { return e.ID })
	return out, next, translate(err, "employer")
}

// CreateEmployer validates and stores e under a mission the actor may see
// (a mission user's own mission when e names none).
func (db *DB) CreateEmployer(ctx context.Context, e *models.Employer) error {
	if a := models.ActorFrom(ctx); a.Role == models.RoleMission && e.MissionID == "" {
		e.MissionID = a.MissionID
	}
	if err := e.Validate(); err != nil {
		return err
	}
	e.ID = models.NewID()
	return translate(db.tx(ctx, func(tx *gorm.DB) error {
		if _, err := findMission(ctx, tx, e.MissionID); err != nil {
			return invalidRef("mission_id", "mission")
		}
		if err := tx.Create(e).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionCreate, "employer", e.ID, "")
	}), "employer")
}

// UpdateEmployer applies upd to an employer the actor may see.
func (db *DB) UpdateEmployer(ctx context.Context, id string, upd models.EmployerUpdate) (*models.Employer, error) {
	var e *models.Employer
	if upd.Suspended != nil {
		return nil, errSuspendedByRegister
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if e, err = findEmployer(ctx, tx, id); err != nil {
			return err
		}
		upd.Apply(e)
		if err := e.Validate(); err != nil {
			return err
		}
		if err := tx.Save(e).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionUpdate, "employer", id, strings.Join(upd.Fields(), ","))
	})
	return e, translate(err, "employer")
}

// DeleteEmployer removes an employer with no employments (ECONFLICT otherwise).
func (db *DB) DeleteEmployer(ctx context.Context, id string) error {
	return translate(db.tx(ctx, func(tx *gorm.DB) error {
		if _, err := findEmployer(ctx, tx, id); err != nil {
			return err
		}
		if err := refuseIfUsed(tx, "employer", id, "employments", "employer_id"); err != nil {
			return err
		}
		if err := tx.Delete(&models.Employer{}, "id = ?", id).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionDelete, "employer", id, "")
	}), "employer")
}

// invalidRef is the 422 for a body field naming a record that does not
// exist or that the actor may not see.
func invalidRef(field, object string) error {
	return &models.Error{Code: models.EINVALID, Message: "The request refers to a record that does not exist.",
		Fields: map[string]string{field: "no such " + object}}
}
