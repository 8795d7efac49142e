package store

import (
	"strings"

	"context"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// FindMissionByID returns a mission the actor may see; ENOTFOUND otherwise.
func (db *DB) FindMissionByID(ctx context.Context, id string) (*models.Mission, error) {
	return findMission(ctx, db.read(ctx), id)
}

func findMission(ctx context.Context, q *gorm.DB, id string) (*models.Mission, error) {
	var m models.Mission
	err := scopeMission(ctx, q, "id").Where("id = ?", id).Take(&m).Error
	return &m, translate(err, "mission")
}

// FindMissions returns one page of the missions the actor may see.
func (db *DB) FindMissions(ctx context.Context, f models.MissionFilter) ([]models.Mission, string, error) {
	q := scopeMission(ctx, db.read(ctx).Model(&models.Mission{}), "id")
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Country != "" {
		q = q.Where("country = ?", f.Country)
	}
	if f.Query != "" {
		q = whereLike(q, "name", f.Query)
	}
	out, next, err := page(q, f.Page, func(m *models.Mission) string { return m.ID })
	return out, next, translate(err, "mission")
}

// CreateMission validates and stores m, giving it an id.
func (db *DB) CreateMission(ctx context.Context, m *models.Mission) error {
	if err := m.Validate(); err != nil {
		return err
	}
	m.ID = models.NewID()
	return translate(db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(m).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionCreate, "mission", m.ID, "")
	}), "mission")
}

// UpdateMission applies upd to a mission the actor may see.
func (db *DB) UpdateMission(ctx context.Context, id string, upd models.MissionUpdate) (*models.Mission, error) {
	var m *models.Mission
	if upd.Suspended != nil {
		return nil, errSuspendedByRegister
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if m, err = findMission(ctx, tx, id); err != nil {
			return err
		}
		upd.Apply(m)
		if err := m.Validate(); err != nil {
			return err
		}
		if err := tx.Save(m).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionUpdate, "mission", id, strings.Join(upd.Fields(), ","))
	})
	return m, translate(err, "mission")
}

// DeleteMission removes a mission that nothing refers to (ECONFLICT otherwise).
func (db *DB) DeleteMission(ctx context.Context, id string) error {
	return translate(db.tx(ctx, func(tx *gorm.DB) error {
		if _, err := findMission(ctx, tx, id); err != nil {
			return err
		}
		if err := refuseIfUsed(tx, "mission", id,
			"employers", "mission_id", "workers", "mission_id", "users", "mission_id"); err != nil {
			return err
		}
		if err := tx.Delete(&models.Mission{}, "id = ?", id).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionDelete, "mission", id, "")
	}), "mission")
}

// refuseIfUsed returns ECONFLICT when any (table, column) pair refers to id.
func refuseIfUsed(tx *gorm.DB, object, id string, tableColumns ...string) error {
	for i := 0; i+1 < len(tableColumns); i += 2 {
		var n int64
		if err := tx.Table(tableColumns[i]).Where(tableColumns[i+1]+" = ?", id).Limit(1).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return models.Errorf(models.ECONFLICT, "The %s cannot be deleted: %s still refer to it.", object, tableColumns[i])
		}
	}
	return nil
}
