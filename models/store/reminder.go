package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pdw-registry/pdw/models"
)

// Outbox receives, inside the transaction that placed them, the
// appointments that a change gave a slot, so that it can insert the jobs
// they cause (reminders) in that same transaction: the jobs exist if and
// only if the change commits. The scheduler implements it. On SQLite it
// must use only tx.
type Outbox interface {
	Placed(ctx context.Context, tx *gorm.DB, appts []models.Appointment) error
}

// placed hands the scheduled, placed appointments among appts to the
// outbox, if there is one. Every code path that gives an appointment a
// slot calls it in its transaction.
func (db *DB) placed(ctx context.Context, tx *gorm.DB, appts []models.Appointment) error {
	if db.Outbox == nil {
		return nil
	}
	var ps []models.Appointment
	for _, a := range appts {
		if a.Placed() && a.Status == models.AppointmentScheduled {
			ps = append(ps, a)
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return db.Outbox.Placed(ctx, tx, ps)
}

// ReminderTarget is what the outbox needs to know about an appointment's
// employment to schedule its reminders (no personal data).
type ReminderTarget struct {
	// Leads are the policy's reminder lead times in days.
	Leads models.IntList
	// WorkerReachable: the worker consented to be contacted and has an e-mail.
	WorkerReachable bool
	// MissionReachable: the mission has a focal point e-mail.
	MissionReachable bool
}

// ReminderTargets reads, inside tx, the reminder targets of the
// employments of appts, keyed by employment id.
func (db *DB) ReminderTargets(tx *gorm.DB, appts []models.Appointment) (map[string]ReminderTarget, error) {
	var ids []string
	seen := map[string]bool{}
	for _, a := range appts {
		if !seen[a.EmploymentID] {
			seen[a.EmploymentID] = true
			ids = append(ids, a.EmploymentID)
		}
	}
	out := make(map[string]ReminderTarget, len(ids))
	for i, n := 0, db.planBatch(); i < len(ids); i += n {
		var rows []struct {
			ID               string
			ReminderLeadDays models.IntList
			ContactConsent   bool
			WorkerEmail      string
			FocalPointEmail  string
		}
		err := tx.Table("employments AS e").
			Select("e.id, p.reminder_lead_days, w.contact_consent, w.email AS worker_email, m.focal_point_email").
			Joins("JOIN policies p ON p.id = e.policy_id").
			Joins("JOIN workers w ON w.id = e.worker_id").
			Joins("JOIN missions m ON m.id = e.mission_id").
			Where("e.id IN ?", ids[i:min(i+n, len(ids))]).Scan(&rows).Error
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			out[r.ID] = ReminderTarget{Leads: r.ReminderLeadDays, WorkerReachable: r.ContactConsent && r.WorkerEmail != "",
				MissionReachable: r.FocalPointEmail != ""}
		}
	}
	return out, nil
}

// ReminderDelivery is one reminder as it is to be sent now: the
// appointment as it currently is, the address and the recipient's languages.
type ReminderDelivery struct {
	Appointment models.Appointment
	// To is the recipient's address; empty when the reminder must not be
	// sent (no consent, no address).
	To string
	// Languages are the recipient's, first first: the worker's, or the
	// mission focal point's one.
	Languages []string
	// WorkerName is set for the mission's reminder only (it must know whom
	// to release).
	WorkerName string
}

// ReminderDelivery reads, at send time, the appointment and the recipient
// of a reminder, so that nothing stale is sent: the caller checks the
// appointment's status and slot. ENOTFOUND when the appointment is gone.
// It reads only what the message may contain, and audits the read.
func (db *DB) ReminderDelivery(ctx context.Context, appointmentID, recipient string) (*ReminderDelivery, error) {
	var d ReminderDelivery
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Omit("outcome_note").Where("id = ?", appointmentID).Take(&d.Appointment).Error; err != nil {
			return err
		}
		var row struct {
			WorkerID        string
			FullName        string
			Languages       models.Strings
			Email           string
			ContactConsent  bool
			FocalPointEmail string
			MissionLanguage string
		}
		err := tx.Table("employments AS e").
			Select("w.id AS worker_id, w.full_name, w.languages, w.email, w.contact_consent, m.focal_point_email, m.language AS mission_language").
			Joins("JOIN workers w ON w.id = e.worker_id").
			Joins("JOIN missions m ON m.id = e.mission_id").
			Where("e.id = ?", d.Appointment.EmploymentID).Take(&row).Error
		if err != nil {
			return err
		}
		switch recipient {
		case models.RecipientWorker:
			if row.ContactConsent {
				d.To = row.Email
			}
			d.Languages = row.Languages
		case models.RecipientMission:
			d.To, d.WorkerName = row.FocalPointEmail, row.FullName
			d.Languages = []string{row.MissionLanguage}
		}
		// The worker's data was read to send a reminder: audited.
		return db.audit(ctx, tx, models.ActionRead, "worker", row.WorkerID, "reminder:"+recipient)
	})
	if err != nil {
		return nil, translate(err, "appointment")
	}
	return &d, nil
}

// CreateCalendarToken gives the actor a new calendar-feed token, replacing
// any earlier one, and returns its secret (only its hash is stored).
func (db *DB) CreateCalendarToken(ctx context.Context) (string, error) {
	a := models.ActorFrom(ctx)
	if a.UserID == "" || (a.Role != models.RoleAdmin && a.Role != models.RoleOfficer) {
		return "", models.Errorf(models.EFORBIDDEN, "Only the protocol office's staff have a calendar feed.")
	}
	secret := Secret("pdwcal_")
	t := models.CalendarToken{UserID: a.UserID, TokenHash: HashSecret(secret), CreatedAt: db.now()}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		upsert := clause.OnConflict{Columns: []clause.Column{{Name: "user_id"}},
			DoUpdates: clause.AssignmentColumns([]string{"token_hash", "created_at"})}
		if err := tx.Clauses(upsert).Create(&t).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionCreate, "calendar_token", a.UserID, "")
	})
	if err != nil {
		return "", translate(err, "calendar token")
	}
	return secret, nil
}

// UserByCalendarToken returns the live officer or administrator whose
// calendar token secret is; EUNAUTHORIZED otherwise.
func (db *DB) UserByCalendarToken(ctx context.Context, secret string) (*models.User, error) {
	bad := models.Errorf(models.EUNAUTHORIZED, "The calendar token is not valid.")
	if secret == "" {
		return nil, bad
	}
	var t models.CalendarToken
	err := db.read(ctx).Where("token_hash = ?", HashSecret(secret)).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, bad
	}
	if err != nil {
		return nil, translate(err, "calendar token")
	}
	u, err := db.liveUser(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	if u.Role != models.RoleAdmin && u.Role != models.RoleOfficer {
		return nil, bad
	}
	return u, nil
}

// AppointmentCalendar returns one placed-or-not appointment the actor may
// see, for its calendar file; the worker's name only for the office's
// staff (audited as a read of the appointment).
func (db *DB) AppointmentCalendar(ctx context.Context, id string) (*models.CalendarEntry, error) {
	var e models.CalendarEntry
	err := db.tx(ctx, func(tx *gorm.DB) error {
		a, err := findAppointment(ctx, tx.Omit("outcome_note"), id)
		if err != nil {
			return err
		}
		e.Appointment = *a
		e.OutcomeNote = ""
		if !models.ActorFrom(ctx).SeesOfficeNotes() {
			return nil
		}
		if err := workerNames(tx, []*models.CalendarEntry{&e}); err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionRead, "appointment", id, "calendar")
	})
	if err != nil {
		return nil, translate(err, "appointment")
	}
	return &e, nil
}

// CalendarFeed returns the scheduled and attended appointments placed
// between from and to, with the workers' names, for an officer's feed
// (audited as one read of the calendar).
func (db *DB) CalendarFeed(ctx context.Context, from, to time.Time) ([]models.CalendarEntry, error) {
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		return nil, models.Errorf(models.EFORBIDDEN, "Only the protocol office's staff have a calendar feed.")
	}
	var out []models.CalendarEntry
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var as []models.Appointment
		err := tx.Omit("outcome_note").Where("starts_at >= ? AND starts_at < ? AND status NOT IN ?", from.UTC(), to.UTC(), freeStatuses).
			Order("starts_at, id").Limit(5000).Find(&as).Error
		if err != nil {
			return err
		}
		out = make([]models.CalendarEntry, len(as))
		ptrs := make([]*models.CalendarEntry, len(as))
		for i := range as {
			out[i].Appointment = as[i]
			ptrs[i] = &out[i]
		}
		if err := workerNames(tx, ptrs); err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionRead, "calendar", models.ActorFrom(ctx).UserID, "feed")
	})
	return out, translate(err, "appointment")
}

func workerNames(tx *gorm.DB, es []*models.CalendarEntry) error {
	if len(es) == 0 {
		return nil
	}
	ids := make([]string, 0, len(es))
	for _, e := range es {
		ids = append(ids, e.EmploymentID)
	}
	names := map[string]string{}
	for i, n := 0, 500; i < len(ids); i += n {
		var rows []struct{ ID, FullName string }
		err := tx.Table("employments AS e").Select("e.id, w.full_name").Joins("JOIN workers w ON w.id = e.worker_id").
			Where("e.id IN ?", ids[i:min(i+n, len(ids))]).Scan(&rows).Error
		if err != nil {
			return err
		}
		for _, r := range rows {
			names[r.ID] = r.FullName
		}
	}
	for _, e := range es {
		e.WorkerName = names[e.EmploymentID]
	}
	return nil
}
