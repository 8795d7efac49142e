package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
)

// missionColumns are the columns of a models.Mission, in the order
// FindMissionByID scans them.
const missionColumns = "id, name, kind, country, focal_point_email, language, suspended, created_at, updated_at"

// FindMissionByID returns a mission the actor may see; ENOTFOUND otherwise.
//
// It is the hot read of DESIGN.md section 8 (GET one record at >= 0.5x
// pgbench -S), so it skips GORM's statement building and reflection: one
// fixed statement (prepared once per connection by pgx), scanned into the
// struct's fields. The scope is db.where's (scopeMission's): a mission
// account sees only its own mission, and one without a mission sees none.
func (db *DB) FindMissionByID(ctx context.Context, id string) (*models.Mission, error) {
	w := db.where(ctx, "id")
	w.add("id = ", id)
	q := "SELECT " + missionColumns + " FROM missions" + w.sql()
	var m models.Mission
	dest := []any{&m.ID, &m.Name, &m.Kind, &m.Country, &m.FocalPointEmail, &m.Language, &m.Suspended, &m.CreatedAt, &m.UpdatedAt}
	var err error
	if db.dialect == migrations.Postgres {
		err = db.withPgx(ctx, func(c *pgx.Conn) error { return c.QueryRow(ctx, q, w.args...).Scan(dest...) })
	} else {
		err = db.sqlDB.QueryRowContext(ctx, q, w.args...).Scan(dest...)
	}
	if errors.Is(err, sql.ErrNoRows) || errors.Is(err, pgx.ErrNoRows) {
		err = gorm.ErrRecordNotFound
	}
	return &m, translate(err, "mission")
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
