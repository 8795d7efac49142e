package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// MaxReminderLead is the longest reminder lead time of any policy, in
// days (0 without policies or leads).
func (db *DB) MaxReminderLead(ctx context.Context) (int, error) {
	var ps []models.Policy
	if err := db.read(ctx).Select("id", "reminder_lead_days").Find(&ps).Error; err != nil {
		return 0, translate(err, "policy")
	}
	longest := 0
	for _, p := range ps {
		for _, d := range p.ReminderLeadDays {
			longest = max(longest, d)
		}
	}
	return longest, nil
}

// RequeueReminders hands to the outbox again, in batches, every scheduled
// appointment with a slot starting after now and within the longest
// reminder lead time (plus a day, for clock changes), so that appointments
// placed while no job engine was attached (`pdw jobs run plan` without a
// scheduler, an outage) get their missing reminders. The outbox's
// uniqueness skips the reminders that exist. It reads by the index on
// starts_at, so it costs what is due. It returns how many appointments it
// handed over; with no outbox it does nothing.
func (db *DB) RequeueReminders(ctx context.Context, now time.Time) (int, error) {
	if db.Outbox == nil {
		return 0, nil
	}
	lead, err := db.MaxReminderLead(ctx)
	if err != nil {
		return 0, err
	}
	from, to := now.UTC(), now.UTC().AddDate(0, 0, lead+1)
	total := 0
	afterAt, afterID := from, ""
	for {
		var batch []models.Appointment
		err := db.tx(ctx, func(tx *gorm.DB) error {
			err := tx.Omit("outcome_note").
				Where("starts_at IS NOT NULL AND starts_at <= ? AND status = ?", to, models.AppointmentScheduled).
				Where("(starts_at > ? OR (starts_at = ? AND id > ?))", afterAt, afterAt, afterID).
				Order("starts_at, id").Limit(db.planBatch()).Find(&batch).Error
			if err != nil || len(batch) == 0 {
				return err
			}
			return db.placed(ctx, tx, batch)
		})
		if err != nil {
			return total, translate(err, "appointment")
		}
		total += len(batch)
		if len(batch) < db.planBatch() {
			return total, nil
		}
		last := batch[len(batch)-1]
		afterAt, afterID = *last.StartsAt, last.ID
	}
}
