package store

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// FindWorkerByID returns a worker the actor may see and records the read
// of the worker's personal data in the audit trail before it returns: no
// audit row, no data.
func (db *DB) FindWorkerByID(ctx context.Context, id string) (*models.Worker, error) {
	var w *models.Worker
	err := db.audited(ctx, func(q *gorm.DB) error {
		var err error
		w, err = findWorker(ctx, q, id)
		return err
	}, auditEntry{models.ActionRead, "worker", id, ""})
	return w, translate(err, "worker")
}

func findWorker(ctx context.Context, q *gorm.DB, id string) (*models.Worker, error) {
	var w models.Worker
	err := scopeMission(ctx, q, "mission_id").Where("id = ?", id).Take(&w).Error
	return &w, translate(err, "worker")
}

// FindWorkers returns one page of the workers the actor may see and
// records the listing (with the ids listed) in the audit trail.
func (db *DB) FindWorkers(ctx context.Context, f models.WorkerFilter) ([]models.Worker, string, error) {
	var out []models.Worker
	var next string
	err := db.tx(ctx, func(tx *gorm.DB) error {
		q := scopeMission(ctx, tx.Model(&models.Worker{}), "mission_id")
		if f.MissionID != "" {
			q = q.Where("mission_id = ?", f.MissionID)
		}
		if f.Nationality != "" {
			q = q.Where("nationality = ?", f.Nationality)
		}
		if f.Query != "" {
			q = whereLike(q, "full_name", f.Query)
		}
		if f.NeedsReview {
			q = q.Where("review_reason <> ''")
		}
		var err error
		if out, next, err = page(q, f.Page, func(w *models.Worker) string { return w.ID }); err != nil {
			return err
		}
		if len(out) == 0 {
			return nil
		}
		ids := make([]string, len(out))
		for i := range out {
			ids[i] = out[i].ID
		}
		return db.audit(ctx, tx, models.ActionList, "worker", "", strings.Join(ids, ","))
	})
	return out, next, translate(err, "worker")
}

// CreateWorker validates and stores w. A mission user's worker always
// belongs to its mission.
func (db *DB) CreateWorker(ctx context.Context, w *models.Worker) error {
	if a := models.ActorFrom(ctx); a.Role == models.RoleMission {
		if w.Phone != "" || w.Email != "" || w.ContactConsent {
			return errMissionContact
		}
		if w.MissionID != nil && *w.MissionID != a.MissionID {
			return invalidRef("mission_id", "mission")
		}
		w.MissionID = &a.MissionID
	}
	if err := w.Validate(models.DateOf(db.now())); err != nil {
		return err
	}
	w.ID = models.NewID()
	w.ReviewReason = ""
	return translate(db.tx(ctx, func(tx *gorm.DB) error {
		if w.MissionID != nil {
			if _, err := findMission(ctx, tx, *w.MissionID); err != nil {
				return invalidRef("mission_id", "mission")
			}
		}
		if err := tx.Create(w).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionCreate, "worker", w.ID, "")
	}), "worker")
}

// errMissionContact refuses a mission's attempt to set the worker's own
// channel: the phone, e-mail and consent to be contacted are taken from
// the worker in person, so that reminders reach the worker and not the
// household.
var errMissionContact = models.Errorf(models.EFORBIDDEN,
	"A mission may not set a worker's phone, e-mail or contact consent: an officer takes them from the worker in person.")

// UpdateWorker applies upd to a worker the actor may see. A mission user
// may not change the worker's passport number or private contact details.
func (db *DB) UpdateWorker(ctx context.Context, id string, upd models.WorkerUpdate) (*models.Worker, error) {
	if models.ActorFrom(ctx).Role == models.RoleMission &&
		(upd.PassportNumber != nil || upd.Phone != nil || upd.Email != nil || upd.ContactConsent != nil) {
		return nil, errMissionContact
	}
	if upd.ReviewReason != nil && !models.ActorFrom(ctx).SeesPrivateContact() {
		return nil, models.Errorf(models.EFORBIDDEN, "Only an officer may set or clear a worker's review flag.")
	}
	var w *models.Worker
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if w, err = findWorker(ctx, tx, id); err != nil {
			return err
		}
		upd.Apply(w)
		if err := w.Validate(models.DateOf(db.now())); err != nil {
			return err
		}
		if err := tx.Save(w).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionUpdate, "worker", id, strings.Join(upd.Fields(), ","))
	})
	return w, translate(err, "worker")
}

// DeleteWorker removes a worker with no employments (ECONFLICT otherwise).
func (db *DB) DeleteWorker(ctx context.Context, id string) error {
	return translate(db.tx(ctx, func(tx *gorm.DB) error {
		if _, err := findWorker(ctx, tx, id); err != nil {
			return err
		}
		if err := refuseIfUsed(tx, "worker", id, "employments", "worker_id"); err != nil {
			return err
		}
		if err := tx.Delete(&models.Worker{}, "id = ?", id).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionDelete, "worker", id, "")
	}), "worker")
}

// flagWorker marks a worker for an officer's review, in its own
// transaction so that it survives the refusal that caused it.
func (db *DB) flagWorker(ctx context.Context, id, reason string) error {
	return db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&models.Worker{}).Where("id = ?", id).
			Updates(map[string]any{"review_reason": reason, "updated_at": db.now()})
		if res.Error != nil {
			return res.Error
		}
		return db.audit(ctx, tx, models.ActionUpdate, "worker", id, "review_reason")
	})
}
