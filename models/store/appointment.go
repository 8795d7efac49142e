package store

import (
	"context"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
)

// FindAppointmentByID returns an appointment the actor may see; ENOTFOUND
// otherwise. The office's note is read only by roles that may see it, and
// such a read is audited in the same transaction; others get it blank.
func (db *DB) FindAppointmentByID(ctx context.Context, id string) (*models.Appointment, error) {
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		a, err := findAppointment(ctx, db.read(ctx), id)
		if err != nil {
			return nil, err
		}
		a.OutcomeNote = ""
		return a, nil
	}
	var a *models.Appointment
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if a, err = findAppointment(ctx, tx, id); err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionRead, "appointment", id, "")
	})
	return a, translate(err, "appointment")
}

func findAppointment(ctx context.Context, q *gorm.DB, id string) (*models.Appointment, error) {
	var a models.Appointment
	err := scopeMission(ctx, q, "mission_id").Where("id = ?", id).Take(&a).Error
	return &a, translate(err, "appointment")
}

// FindAppointments returns one page of the appointments the actor may see,
// without the office's notes (read one appointment for those).
func (db *DB) FindAppointments(ctx context.Context, f models.AppointmentFilter) ([]models.Appointment, string, error) {
	q := scopeMission(ctx, db.read(ctx).Model(&models.Appointment{}), "mission_id").Omit("outcome_note")
	for col, v := range map[string]string{"kind": f.Kind, "status": f.Status, "mission_id": f.MissionID, "employment_id": f.EmploymentID} {
		if v != "" {
			q = q.Where(col+" = ?", v)
		}
	}
	if f.From != nil {
		q = q.Where("starts_at >= ?", db.Calendar.Midnight(*f.From).UTC())
	}
	if f.To != nil {
		q = q.Where("starts_at < ?", db.Calendar.Midnight(f.To.AddDate(0, 0, 1)).UTC())
	}
	if f.Unplaced {
		q = q.Where("starts_at IS NULL")
	}
	out, next, err := page(q, f.Page, func(a *models.Appointment) string { return a.ID })
	return out, next, translate(err, "appointment")
}

// RecordOutcome records an officer's outcome on a scheduled appointment
// (ECONFLICT on any other; EINVALID for a bad outcome or note) and audits
// it. An employer_present outcome counts as not attended: it creates a
// follow-up appointment, placed in the earliest free slot of its window,
// which is returned too (nil otherwise). The employment goes back in the
// planner's queue. Mission users and auditors get EFORBIDDEN.
func (db *DB) RecordOutcome(ctx context.Context, id string, in models.OutcomeInput) (*models.Appointment, *models.Appointment, error) {
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		return nil, nil, models.Errorf(models.EFORBIDDEN, "Only the protocol office records outcomes.")
	}
	var a, follow *models.Appointment
	now := db.now()
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockPlanning(tx); err != nil {
			return err
		}
		q := tx
		if db.dialect == migrations.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		var err error
		if a, err = findAppointment(ctx, q, id); err != nil {
			return err
		}
		if err := in.Apply(a, now); err != nil {
			return err
		}
		if err := tx.Select("status", "outcome_note", "updated_at").Updates(a).Error; err != nil {
			return err
		}
		detail := "status"
		if a.OutcomeNote != "" {
			detail += ",outcome_note"
		}
		if err := db.audit(ctx, tx, models.ActionUpdate, "appointment", id, detail); err != nil {
			return err
		}
		today := db.Calendar.Today(now)
		if a.Status == models.AppointmentEmployerPresent {
			f := models.FollowUp(a, today)
			notBefore := today.AddDate(0, 0, 1)
			booked, err := db.bookings(tx, notBefore, f.WindowEnd)
			if err != nil {
				return err
			}
			db.place(&f, booked, notBefore)
			created, err := db.insertAppointments(ctx, tx, []models.Appointment{f})
			if err != nil {
				return err
			}
			if len(created) == 1 {
				follow = &created[0]
			}
		}
		return db.requeue(tx, a.EmploymentID)
	})
	if err != nil {
		return nil, nil, translate(err, "appointment")
	}
	return a, follow, nil
}
