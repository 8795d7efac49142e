package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// The timeline's messages (entries with a recipient in notify) are sent
// by the scheduler's notify job: it reads them after a cursor
// (PendingNotificationsAfter), resolves their recipients
// (NotificationRecipients), sends them and records each send
// (RecordNotified).

// PendingNotificationsAfter returns up to limit timeline entries that are
// messages not yet sent, with ids after after, oldest first (by the
// outbox's partial index). For the system's jobs: not scoped to an actor.
func (db *DB) PendingNotificationsAfter(ctx context.Context, after string, limit int) ([]models.TimelineEvent, error) {
	var out []models.TimelineEvent
	err := db.read(ctx).Where("notify <> '' AND notified_at IS NULL AND id > ?", after).
		Order("id").Limit(max(limit, 1)).Find(&out).Error
	return out, translate(err, "timeline")
}

// NotifyAddress is one recipient of a timeline message.
type NotifyAddress struct {
	// ID names the recipient in the message's idempotency key (the
	// mission's id, or the admin's user id).
	ID    string
	Email string
	// Language is the recipient's ("" when not known: the office writes
	// in English).
	Language string
}

// NotificationRecipients is who a timeline message goes to.
type NotificationRecipients struct {
	// To are the addresses: the mission's focal point, or the office's
	// live administrators (the supervisors). Empty: nobody to send to.
	To []NotifyAddress
	// WorkerName is set for a mission's message only: whom the employer
	// must release (the mission's reminders name the worker too).
	WorkerName string
}

// NotificationRecipients resolves the recipients of ev. For a mission's
// message it reads the worker's name (and audits that read); for the
// supervisors, the e-mails of the live admin accounts.
func (db *DB) NotificationRecipients(ctx context.Context, ev *models.TimelineEvent) (*NotificationRecipients, error) {
	var r NotificationRecipients
	err := db.tx(ctx, func(tx *gorm.DB) error {
		switch ev.Notify {
		case models.NotifyMission:
			var row struct {
				WorkerID, FullName, FocalPointEmail, Language string
			}
			err := tx.Table("employments AS e").Select("w.id AS worker_id, w.full_name, m.focal_point_email, m.language").
				Joins("JOIN workers w ON w.id = e.worker_id").Joins("JOIN missions m ON m.id = e.mission_id").
				Where("e.id = ?", ev.EmploymentID).Take(&row).Error
			if err != nil {
				return err
			}
			if row.FocalPointEmail == "" {
				return nil
			}
			r.To = []NotifyAddress{{ID: ev.MissionID, Email: row.FocalPointEmail, Language: row.Language}}
			r.WorkerName = row.FullName
			return db.audit(ctx, tx, models.ActionRead, "worker", row.WorkerID, "notify:"+ev.ID)
		case models.NotifySupervisors:
			var users []models.User
			if err := tx.Select("id", "email").Where("role = ? AND NOT disabled", models.RoleAdmin).Order("id").Find(&users).Error; err != nil {
				return err
			}
			for _, u := range users {
				if u.Email != "" {
					r.To = append(r.To, NotifyAddress{ID: u.ID, Email: u.Email})
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, translate(err, "timeline")
	}
	return &r, nil
}

// RecordNotified marks the timeline entry id sent at at and records the
// send in the audit trail (ids and a count only), in one transaction. It
// reports false when the entry was already marked (a concurrent sender):
// then nothing is recorded.
func (db *DB) RecordNotified(ctx context.Context, id string, at time.Time, detail string) (bool, error) {
	var marked bool
	err := db.tx(ctx, func(tx *gorm.DB) error {
		r := tx.Model(&models.TimelineEvent{}).Where("id = ? AND notify <> '' AND notified_at IS NULL", id).
			Update("notified_at", at.UTC().Truncate(time.Microsecond))
		if r.Error != nil || r.RowsAffected == 0 {
			return r.Error
		}
		marked = true
		return db.audit(ctx, tx, models.ActionUpdate, "timeline_event", id, detail)
	})
	return marked, translate(err, "timeline")
}
