package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// GormForTest exposes the GORM handle to the store's own black-box tests.
func GormForTest(db *DB) *gorm.DB { return db.gdb }

// InsertAppointmentsForTest exposes the planner's insert (ON CONFLICT DO
// NOTHING on employment, kind and window start) to the store's tests.
func InsertAppointmentsForTest(ctx context.Context, db *DB, appts []models.Appointment) (created []models.Appointment, err error) {
	err = db.tx(ctx, func(tx *gorm.DB) error {
		created, err = db.insertAppointments(ctx, tx, appts)
		return err
	})
	return created, err
}

// SetPlanVacuumAfterForTest sets how many employments a planning pass must
// move before it vacuums the queue.
func SetPlanVacuumAfterForTest(db *DB, n int) { db.planVacuumAfter = n }
