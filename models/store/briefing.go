package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
)

// BriefingInterval is how long a rights briefing counts: an automatic
// invitation skips workers who attended a briefing (or their arrival
// registration, which includes one) within it before the briefing.
const BriefingInterval = 365 * 24 * time.Hour

// CreateBriefing books a group rights briefing (officers and admins) at
// in.StartsAt for one slot, in in.Room or the first free room: the office
// must be open then and the room free (EINVALID naming starts_at or room);
// an interpreter is booked when the staff do not speak the language and one
// who does is free (EINVALID naming starts_at when none is). It then
// invites workers as in.Invite or in.EmploymentIDs say (see
// InviteToBriefing), all in one transaction, audited.
func (db *DB) CreateBriefing(ctx context.Context, in models.BriefingInput) (*models.BriefingDetail, error) {
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		return nil, models.Errorf(models.EFORBIDDEN, "Only the protocol office organises briefings.")
	}
	now := db.now()
	if err := in.Check(now); err != nil {
		return nil, err
	}
	var d models.BriefingDetail
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockPlanning(tx); err != nil {
			return err
		}
		cal := db.Calendar
		day := cal.Today(*in.StartsAt)
		booked, err := db.bookings(tx, day, day, "")
		if err != nil {
			return err
		}
		switch p, err := policyInForce(tx, day); {
		case err == nil:
			booked = booked.Speaking(p.HostLanguage)
		case models.ErrorCode(err) != models.ENOTFOUND:
			return err
		}
		p, err := booked.BookAt(*in.StartsAt, in.Room, in.Language)
		if err != nil {
			return err
		}
		d.Briefing = models.Briefing{ID: models.NewID(), StartsAt: p.Start.UTC(), EndsAt: p.End.UTC(), Room: p.Room,
			Language: in.Language, Interpreter: p.Interpreter, InterpreterNeeded: p.InterpreterNeeded,
			Capacity: in.Capacity, Status: models.BriefingScheduled, Note: in.Note}
		if err := tx.Create(&d.Briefing).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return &models.Error{Code: models.EINVALID, Message: "That slot cannot be booked.",
					Fields: map[string]string{"room": "is booked for another briefing at that time"}}
			}
			return err
		}
		if err := db.audit(ctx, tx, models.ActionCreate, "briefing", d.ID, d.Language); err != nil {
			return err
		}
		d.Attendees, err = db.invite(ctx, tx, &d.Briefing, in.Invite, in.EmploymentIDs)
		return err
	})
	if err != nil {
		return nil, translate(err, "briefing")
	}
	return &d, nil
}

// InviteToBriefing invites more workers to a scheduled briefing that has
// not begun (ECONFLICT otherwise): the listed employments (each approved
// or active, EINVALID naming employment_ids[i] otherwise; ECONFLICT when
// there are fewer free places than employments, or one already has a
// briefing that day), or with Invite "auto" as many workers as there are
// places (see invite). Each gets an appointment in the briefing's slot,
// with its reminders, and the mission is told the logistics. It returns
// the appointments created.
func (db *DB) InviteToBriefing(ctx context.Context, id string, in models.BriefingInvitation) ([]models.Appointment, error) {
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		return nil, models.Errorf(models.EFORBIDDEN, "Only the protocol office organises briefings.")
	}
	if err := in.Check(); err != nil {
		return nil, err
	}
	var out []models.Appointment
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockPlanning(tx); err != nil {
			return err
		}
		b, err := db.lockBriefing(tx, id)
		if err != nil {
			return err
		}
		if b.Status != models.BriefingScheduled || !db.now().Before(b.StartsAt) {
			return models.Errorf(models.ECONFLICT, "Workers are invited only to a scheduled briefing that has not begun.")
		}
		out, err = db.invite(ctx, tx, b, in.Invite, in.EmploymentIDs)
		return err
	})
	if err != nil {
		return nil, translate(err, "briefing")
	}
	return out, nil
}

func (db *DB) lockBriefing(tx *gorm.DB, id string) (*models.Briefing, error) {
	q := tx
	if db.dialect == migrations.Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var b models.Briefing
	if err := q.Where("id = ?", id).Take(&b).Error; err != nil {
		return nil, err
	}
	return &b, nil
}

// heldPlaces are the statuses of a briefing's appointments that hold a place.
var heldPlaces = []string{models.AppointmentScheduled, models.AppointmentAttended, models.AppointmentMissed,
	models.AppointmentEmployerPresent}

// invite gives workers places in b: the employments ids, or with mode
// "auto" the approved and active employments whose worker speaks b's
// language (or is to be interviewed in it), has no briefing scheduled and
// attended none (nor an arrival registration) in the BriefingInterval
// before b, earliest arrival first, up to b's free places.
func (db *DB) invite(ctx context.Context, tx *gorm.DB, b *models.Briefing, mode string, ids []string) ([]models.Appointment, error) {
	if mode == models.InviteNone && len(ids) == 0 {
		return []models.Appointment{}, nil
	}
	var taken int64
	if err := tx.Model(&models.Appointment{}).Where("briefing_id = ? AND status IN ?", b.ID, heldPlaces).
		Count(&taken).Error; err != nil {
		return nil, err
	}
	free := b.Capacity - int(taken)
	var emps []briefingEmp
	if mode == models.InviteAuto {
		var err error
		if emps, err = db.briefingCandidates(tx, b, free); err != nil {
			return nil, err
		}
	} else {
		if len(ids) > free {
			return nil, models.Errorf(models.ECONFLICT, "The briefing has %d free places; %d employments were listed.", max(free, 0), len(ids))
		}
		var found []briefingEmp
		if err := tx.Model(&models.Employment{}).Select("id", "mission_id", "worker_id", "status").
			Where("id IN ?", ids).Scan(&found).Error; err != nil {
			return nil, err
		}
		byID := make(map[string]briefingEmp, len(found))
		for _, e := range found {
			byID[e.ID] = e
		}
		f := models.FieldErrors{}
		for i, id := range ids {
			e, ok := byID[id]
			field := "employment_ids[" + strconv.Itoa(i) + "]"
			switch {
			case !ok:
				f.Add(field, "no such employment")
			case e.Status != models.StatusApproved && e.Status != models.StatusActive:
				f.Add(field, "is "+e.Status+": only approved or active employments are invited")
			default:
				emps = append(emps, e)
			}
		}
		if err := f.Err(); err != nil {
			return nil, err
		}
	}
	if len(emps) == 0 {
		return []models.Appointment{}, nil
	}
	day := db.Calendar.Today(b.StartsAt)
	appts := make([]models.Appointment, len(emps))
	for i, e := range emps {
		s, en := b.StartsAt, b.EndsAt
		appts[i] = models.Appointment{ID: models.NewID(), EmploymentID: e.ID, MissionID: e.MissionID, Kind: models.KindBriefing,
			Status: models.AppointmentScheduled, WindowStart: day, WindowEnd: day, StartsAt: &s, EndsAt: &en, Room: b.Room,
			Language: b.Language, Interpreter: b.Interpreter, InterpreterNeeded: b.InterpreterNeeded, BriefingID: &b.ID}
	}
	created, err := db.insertAppointments(ctx, tx, appts)
	if err != nil {
		return nil, err
	}
	if len(created) < len(appts) && mode != models.InviteAuto {
		return nil, models.Errorf(models.ECONFLICT, "%d of the employments listed already have a briefing on %s.", len(appts)-len(created), day)
	}
	events := make([]models.TimelineEvent, 0, 2*len(created))
	for i := range created {
		a := &created[i]
		events = append(events,
			event(a, models.EventCreated, 0, "", models.StringMap{"briefing_id": b.ID, "starts_at": a.StartsAt.In(db.Calendar.Location).Format(time.RFC3339), "room": a.Room}),
			event(a, models.EventMissionNotified, 0, models.NotifyMission, db.logistics(a)))
	}
	if len(events) > 0 {
		if err := tx.CreateInBatches(&events, 200).Error; err != nil {
			return nil, err
		}
	}
	return created, nil
}

// briefingEmp is what invite reads of an employment.
type briefingEmp struct{ ID, MissionID, WorkerID, Status string }

// briefingCandidates returns up to n employments to invite automatically
// to b (see invite). Language is checked on the worker's record, a batch
// at a time, so that only the places' worth of rows is kept.
func (db *DB) briefingCandidates(tx *gorm.DB, b *models.Briefing, n int) ([]briefingEmp, error) {
	var out []briefingEmp
	if n <= 0 {
		return out, nil
	}
	since := b.StartsAt.Add(-BriefingInterval).UTC()
	recent := tx.Model(&models.Appointment{}).Select("1").
		Where("appointments.employment_id = employments.id").
		Where("(kind = ? AND status = ?) OR (kind IN ? AND status = ? AND starts_at >= ?)",
			models.KindBriefing, models.AppointmentScheduled,
			[]string{models.KindBriefing, models.KindRegistration}, models.AppointmentAttended, since)
	after := ""
	const batch = 500
	for len(out) < n {
		var rows []briefingEmp
		q := tx.Model(&models.Employment{}).Select("id", "mission_id", "worker_id", "status").
			Where("status IN ?", []string{models.StatusApproved, models.StatusActive}).
			Where("NOT EXISTS (?)", recent).Order("id").Limit(batch)
		if after != "" {
			q = q.Where("id > ?", after)
		}
		if err := q.Scan(&rows).Error; err != nil {
			return nil, err
		}
		if len(rows) == 0 {
			break
		}
		after = rows[len(rows)-1].ID
		workerIDs := make([]string, len(rows))
		for i := range rows {
			workerIDs[i] = rows[i].WorkerID
		}
		var workers []models.Worker
		if err := tx.Select("id", "languages", "interview_language").Where("id IN ?", workerIDs).Find(&workers).Error; err != nil {
			return nil, err
		}
		speaks := make(map[string]bool, len(workers))
		for i := range workers {
			for _, l := range workers[i].InterviewLanguages() {
				if strings.EqualFold(l, b.Language) {
					speaks[workers[i].ID] = true
				}
			}
		}
		for _, r := range rows {
			if speaks[r.WorkerID] && len(out) < n {
				out = append(out, r)
			}
		}
		if len(rows) < batch {
			break
		}
	}
	return out, nil
}

// FindBriefings returns one page of briefings (officers and admins), in
// order of creation.
func (db *DB) FindBriefings(ctx context.Context, f models.BriefingFilter) ([]models.Briefing, string, error) {
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		return nil, "", models.Errorf(models.EFORBIDDEN, "Only the protocol office sees briefings.")
	}
	q := db.read(ctx).Model(&models.Briefing{})
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Language != "" {
		q = q.Where("LOWER(language) = ?", strings.ToLower(f.Language))
	}
	if f.From != nil {
		q = q.Where("starts_at >= ?", db.Calendar.Midnight(*f.From).UTC())
	}
	if f.To != nil {
		q = q.Where("starts_at < ?", db.Calendar.Midnight(f.To.AddDate(0, 0, 1)).UTC())
	}
	out, next, err := page(q, f.Page, func(b *models.Briefing) string { return b.ID })
	return out, next, translate(err, "briefing")
}

// FindBriefing returns a briefing with its attendees' appointments
// (officers and admins; outcome notes left out).
func (db *DB) FindBriefing(ctx context.Context, id string) (*models.BriefingDetail, error) {
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		return nil, models.Errorf(models.EFORBIDDEN, "Only the protocol office sees briefings.")
	}
	var d models.BriefingDetail
	q := db.read(ctx)
	if err := q.Where("id = ?", id).Take(&d.Briefing).Error; err != nil {
		return nil, translate(err, "briefing")
	}
	if err := q.Omit("outcome_note").Where("briefing_id = ?", id).Order("id").Find(&d.Attendees).Error; err != nil {
		return nil, translate(err, "briefing")
	}
	return &d, nil
}

// UpdateBriefing records that a scheduled briefing was held, or cancels it
// (the note, the reason, is required): a cancellation cancels every
// scheduled place in it, with the reason on each employment's timeline and
// the mission notified. Audited; ECONFLICT unless it is scheduled.
func (db *DB) UpdateBriefing(ctx context.Context, id string, u models.BriefingUpdate) (*models.BriefingDetail, error) {
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		return nil, models.Errorf(models.EFORBIDDEN, "Only the protocol office organises briefings.")
	}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockPlanning(tx); err != nil {
			return err
		}
		b, err := db.lockBriefing(tx, id)
		if err != nil {
			return err
		}
		if err := u.Apply(b, db.now()); err != nil {
			return err
		}
		if err := tx.Select("status", "note", "updated_at").Updates(b).Error; err != nil {
			return err
		}
		if err := db.audit(ctx, tx, models.ActionUpdate, "briefing", b.ID, "status"); err != nil {
			return err
		}
		if b.Status != models.BriefingCancelled {
			return nil
		}
		var places []models.Appointment
		if err := tx.Omit("outcome_note").Where("briefing_id = ? AND status = ?", b.ID, models.AppointmentScheduled).
			Find(&places).Error; err != nil {
			return err
		}
		if len(places) == 0 {
			return nil
		}
		ids := make([]string, len(places))
		events := make([]models.TimelineEvent, 0, 2*len(places))
		entries := make([]auditEntry, len(places))
		for i := range places {
			a := &places[i]
			a.Status = models.AppointmentCancelled
			ids[i] = a.ID
			entries[i] = auditEntry{models.ActionUpdate, "appointment", a.ID, "status"}
			events = append(events, event(a, models.EventCancelled, 0, "", models.StringMap{"reason": b.Note, "briefing_id": b.ID}),
				event(a, models.EventMissionNotified, 0, models.NotifyMission, db.logistics(a)))
		}
		for i, n := 0, db.planBatch(); i < len(ids); i += n {
			err := tx.Model(&models.Appointment{}).Where("id IN ?", ids[i:min(i+n, len(ids))]).
				Updates(map[string]any{"status": models.AppointmentCancelled, "updated_at": db.now()}).Error
			if err != nil {
				return err
			}
		}
		if err := tx.CreateInBatches(&events, 200).Error; err != nil {
			return err
		}
		return db.auditMany(ctx, tx, entries)
	})
	if err != nil {
		return nil, translate(err, "briefing")
	}
	return db.FindBriefing(ctx, id)
}
