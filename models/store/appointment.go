package store

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
)

// FindAppointmentByID returns an appointment the actor may see; ENOTFOUND
// otherwise. The office's note is read only by roles that may see it, and
// such a read is on record before it returns (audited); others get it blank.
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
	err := db.audited(ctx, func(q *gorm.DB) error {
		var err error
		if a, err = findAppointment(ctx, q, id); err != nil {
			return err
		}
		if a.OutcomeNote, err = db.unseal("appointments", "outcome_note", a.ID, a.OutcomeNote); err != nil {
			return err
		}
		return nil
	}, auditEntry{models.ActionRead, "appointment", id, ""})
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
	office := models.ActorFrom(ctx).SeesOfficeNotes()
	if !office && models.KindForMission(f.Kind) == models.KindCheckin {
		// A mission sees follow-ups as check-ins: it filters them as one.
		q = q.Where("kind IN ?", []string{models.KindCheckin, models.KindFollowUp})
		f.Kind = ""
	}
	if !office {
		f.Urgent = false // urgency is the office's
	}
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
	if f.Urgent {
		q = q.Where("urgent")
	}
	out, next, err := page(q, f.Page, func(a *models.Appointment) string { return a.ID })
	return out, next, translate(err, "appointment")
}

// RecordOutcome records an officer's outcome on a scheduled appointment
// (ECONFLICT on any other; EINVALID for a bad outcome or note) and audits
// it. A missed or employer_present outcome (which counts as not attended)
// climbs the escalation ladder (see escalate): under the policy's
// reschedule step it creates a follow-up appointment, placed in the
// earliest free slot of its window, which is returned too (nil otherwise). The employment goes back in the
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
		follow, err = db.recordOutcomeTx(ctx, tx, a, in, now)
		return err
	})
	if err != nil {
		return nil, nil, translate(err, "appointment")
	}
	return a, follow, nil
}

// recordOutcomeTx records the outcome in on a (read in tx, locked on
// PostgreSQL, under the planning lock) as RecordOutcome describes: the
// note sealed, the change audited, the escalation ladder climbed for a
// missed or employer_present outcome, the employment requeued. a keeps
// the plain note.
func (db *DB) recordOutcomeTx(ctx context.Context, tx *gorm.DB, a *models.Appointment, in models.OutcomeInput, now time.Time) (*models.Appointment, error) {
	if err := in.Apply(a, now); err != nil {
		return nil, err
	}
	sealed, err := db.seal("appointments", "outcome_note", a.ID, a.OutcomeNote)
	if err != nil {
		return nil, err
	}
	row := *a
	row.OutcomeNote = sealed
	if err := tx.Select("status", "outcome_note", "updated_at").Updates(&row).Error; err != nil {
		return nil, err
	}
	a.UpdatedAt = row.UpdatedAt
	detail := "status"
	if a.OutcomeNote != "" {
		detail += ",outcome_note"
	}
	if err := db.audit(ctx, tx, models.ActionUpdate, "appointment", a.ID, detail); err != nil {
		return nil, err
	}
	var follow *models.Appointment
	if slices.Contains(missedStatuses, a.Status) {
		lad, err := db.newLadder(tx, now)
		if err != nil {
			return nil, err
		}
		if follow, err = lad.escalate(ctx, tx, a); err != nil {
			return nil, err
		}
	}
	return follow, db.requeue(tx, a.EmploymentID)
}

// missedStatuses are the outcomes that count as not attended on the
// escalation ladder.
var missedStatuses = []string{models.AppointmentMissed, models.AppointmentEmployerPresent}

// ladderEmployment is what the escalation ladder reads of an employment.
type ladderEmployment struct {
	ID, MissionID, WorkerID, EmployerID, PolicyID, Status string
	// Languages are the worker's, to interview in, first first.
	Languages []string `gorm:"-"`
	// HostLanguage, FollowUpDays and EscalationSteps are the policy's.
	HostLanguage    string
	FollowUpDays    int
	EscalationSteps models.Strings
}

// ladder climbs the escalation ladder for appointments found not attended
// in one transaction; it places the follow-ups it creates in one view of
// the calendar.
type ladder struct {
	db     *DB
	today  models.Date
	booked *models.Booked
}

// newLadder reads the calendar's bookings as far ahead as the longest
// follow-up window of any policy.
func (db *DB) newLadder(tx *gorm.DB, now time.Time) (*ladder, error) {
	today := db.Calendar.Today(now)
	var days int
	if err := tx.Model(&models.Policy{}).Select("COALESCE(MAX(follow_up_days), 0)").Scan(&days).Error; err != nil {
		return nil, err
	}
	booked, err := db.bookings(tx, today.AddDate(0, 0, 1), today.AddDate(0, 0, max(days, 1)), "")
	if err != nil {
		return nil, err
	}
	return &ladder{db: db, today: today, booked: booked}, nil
}

// employmentFor reads what planning and the ladder need of an employment:
// its ids and status, the languages to interview its worker in (first
// first), and its policy's host language, follow-up window and escalation
// steps.
func employmentFor(tx *gorm.DB, id string) (*ladderEmployment, error) {
	var e ladderEmployment
	err := tx.Table("employments AS e").
		Select("e.id, e.mission_id, e.worker_id, e.employer_id, e.policy_id, e.status, p.host_language, p.follow_up_days, p.escalation_steps").
		Joins("JOIN policies p ON p.id = e.policy_id").Where("e.id = ?", id).Take(&e).Error
	if err != nil {
		return nil, err
	}
	var w models.Worker
	if err := tx.Select("id", "languages", "interview_language").Where("id = ?", e.WorkerID).Take(&w).Error; err != nil {
		return nil, err
	}
	e.Languages = w.InterviewLanguages()
	return &e, nil
}

// logistics is what a mission's focal point is told of an appointment:
// when, where and what kind (a follow-up shown as a check-in, see
// models.KindForMission), never anything from interviews.
func (db *DB) logistics(a *models.Appointment) models.StringMap {
	m := models.StringMap{"kind": models.KindForMission(a.Kind), "status": a.Status, "window_end": a.WindowEnd.String()}
	if a.Placed() {
		m["starts_at"] = a.StartsAt.In(db.Calendar.Location).Format(time.RFC3339)
		m["ends_at"] = a.EndsAt.In(db.Calendar.Location).Format(time.RFC3339)
		m["room"] = a.Room
	}
	return m
}

func event(a *models.Appointment, kind string, step int, notify string, data models.StringMap) models.TimelineEvent {
	var id *string
	if a.ID != "" {
		id = &a.ID
	}
	if data == nil {
		data = models.StringMap{}
	}
	return models.TimelineEvent{ID: models.NewID(), EmploymentID: a.EmploymentID, MissionID: a.MissionID,
		AppointmentID: id, Kind: kind, Step: step, Notify: notify, Data: data}
}

// followUp creates the follow-up of a, due within emp's policy's
// follow_up_days from today and placed in the earliest free slot of booked
// (the office speaking the policy's host language); nil when the
// employment already has a follow-up due from today.
func (db *DB) followUp(ctx context.Context, tx *gorm.DB, a *models.Appointment, emp *ladderEmployment, booked *models.Booked,
	today models.Date, urgent bool) (*models.Appointment, error) {
	f := models.FollowUp(a, today, emp.FollowUpDays)
	f.Urgent = urgent
	db.place(&f, booked.Speaking(emp.HostLanguage), today.AddDate(0, 0, 1), emp.Languages)
	created, err := db.insertAppointments(ctx, tx, []models.Appointment{f})
	if err != nil || len(created) == 0 {
		return nil, err
	}
	return &created[0], nil
}

// escalate climbs the ladder after a, just marked missed or
// employer_present: it counts the employment's consecutive misses up to a
// (private interviews and renewals, exit and follow-ups alike; a cancelled
// appointment neither breaks nor extends the run; an attended one ends
// it) and, under the employment's policy's escalation steps
// (models.EscalationFor), records each step on the timeline: the miss; a
// follow-up within the policy's follow_up_days and the mission notified of
// it; from the second, an urgent task and a supervisor alert with the
// mission notified; from the third, the employer flagged for suspension
// of eligibility, which an admin confirms by suspending the employer
// (never done here). It returns the follow-up it created, if any.
func (l *ladder) escalate(ctx context.Context, tx *gorm.DB, a *models.Appointment) (*models.Appointment, error) {
	db := l.db
	if a.Kind == models.KindBriefing {
		// A group briefing is not a private interview: a miss is noted on
		// the timeline and the worker stays a candidate for the next one.
		ev := event(a, models.EventMissed, 0, "", models.StringMap{"outcome": a.Status})
		return nil, tx.Create(&ev).Error
	}
	emp, err := employmentFor(tx, a.EmploymentID)
	if err != nil {
		return nil, err
	}
	steps := emp.EscalationSteps

	var hist []models.Appointment
	err = tx.Select("id", "status", "starts_at", "window_end").
		Where("employment_id = ? AND kind <> ? AND status IN ?", a.EmploymentID, models.KindBriefing,
			append([]string{models.AppointmentAttended}, missedStatuses...)).Find(&hist).Error
	if err != nil {
		return nil, err
	}
	at := func(x *models.Appointment) time.Time {
		if x.StartsAt != nil {
			return *x.StartsAt
		}
		return db.Calendar.Midnight(x.WindowEnd)
	}
	slices.SortFunc(hist, func(x, y models.Appointment) int {
		return cmp.Or(at(&x).Compare(at(&y)), cmp.Compare(x.ID, y.ID))
	})
	misses := 0
	if i := slices.IndexFunc(hist, func(x models.Appointment) bool { return x.ID == a.ID }); i >= 0 {
		for ; i >= 0 && slices.Contains(missedStatuses, hist[i].Status); i-- {
			misses++
		}
	}
	misses = max(misses, 1)

	esc := models.EscalationFor(misses, steps)
	events := []models.TimelineEvent{event(a, models.EventMissed, misses, "", models.StringMap{"outcome": a.Status})}
	var follow *models.Appointment
	if esc.FollowUp {
		var err error
		if follow, err = db.followUp(ctx, tx, a, emp, l.booked, l.today, esc.Urgent); err != nil {
			return nil, err
		}
		if follow != nil {
			data := models.StringMap{"window_start": follow.WindowStart.String(), "window_end": follow.WindowEnd.String()}
			if !follow.Placed() {
				data["unplaceable"] = "true"
			}
			events = append(events, event(follow, models.EventFollowUpPlanned, misses, "", data))
			if follow.Placed() {
				notice := db.logistics(follow)
				notice["after_miss"] = "true" // the notice says the worker did not attend
				events = append(events, event(follow, models.EventMissionNotified, misses, models.NotifyMission, notice))
			}
		}
	}
	target := a
	if follow != nil {
		target = follow
	}
	if esc.Urgent {
		events = append(events, event(target, models.EventUrgentTask, misses, "", nil))
	}
	if esc.Supervisor {
		events = append(events, event(a, models.EventSupervisorAlert, misses, models.NotifySupervisors, nil))
		if follow == nil || !follow.Placed() {
			// The mission still learns that the worker did not come.
			events = append(events, event(a, models.EventMissionNotified, misses, models.NotifyMission,
				models.StringMap{"kind": models.KindForMission(a.Kind), "status": "not_attended"}))
		}
	}
	if esc.FlagEmployer {
		events = append(events, event(a, models.EventEmployerFlagged, misses, models.NotifySupervisors,
			models.StringMap{"employer_id": emp.EmployerID}))
	}
	if err := tx.Create(&events).Error; err != nil {
		return nil, err
	}
	return follow, nil
}

// CreateAppointment books an appointment by hand (officers and admins) at
// in.StartsAt for one slot, in in.Room or the first free room: the office
// must be open then, the room one of its rooms and free (EINVALID naming
// starts_at or room). Its due window is that day. The language is
// in.Language or the one the planner would choose for that slot, with an
// interpreter booked when one is needed and free. The creation is audited
// and put on the employment's timeline (with the officer's note) and the
// mission is notified of the logistics. An employment not yet approved, or
// refused, gives ECONFLICT, as does an appointment of the same kind
// already due on that day.
func (db *DB) CreateAppointment(ctx context.Context, in models.AppointmentInput) (*models.Appointment, error) {
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		return nil, models.Errorf(models.EFORBIDDEN, "Only the protocol office books appointments.")
	}
	now := db.now()
	if err := in.Check(now); err != nil {
		return nil, err
	}
	var a models.Appointment
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockPlanning(tx); err != nil {
			return err
		}
		emp, err := employmentFor(tx, in.EmploymentID)
		if err != nil {
			return translate(err, "employment")
		}
		if emp.Status == models.StatusNotified || emp.Status == models.StatusRefused {
			return models.Errorf(models.ECONFLICT, "The employment is %s: appointments are booked once it is approved.", emp.Status)
		}
		day := db.Calendar.Today(*in.StartsAt)
		booked, err := db.bookings(tx, day, day, "")
		if err != nil {
			return err
		}
		booked = booked.Speaking(emp.HostLanguage)
		var p models.Placement
		if in.Language != "" {
			p, err = booked.BookAt(*in.StartsAt, in.Room, in.Language)
		} else {
			p, err = booked.BookInterviewAt(*in.StartsAt, in.Room, emp.Languages)
		}
		if err != nil {
			return err
		}
		s, e := p.Start.UTC(), p.End.UTC()
		a = models.Appointment{ID: models.NewID(), EmploymentID: emp.ID, MissionID: emp.MissionID, Kind: in.Kind,
			Status: models.AppointmentScheduled, WindowStart: day, WindowEnd: day, StartsAt: &s, EndsAt: &e, Room: p.Room,
			Language: p.Language, Interpreter: p.Interpreter, InterpreterNeeded: p.InterpreterNeeded, NoInterpreterNote: p.Note}
		if err := tx.Create(&a).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return models.Errorf(models.ECONFLICT, "The employment already has a %s appointment due on %s.", in.Kind, day)
			}
			return err
		}
		if err := db.audit(ctx, tx, models.ActionCreate, "appointment", a.ID, a.Kind+",manual"); err != nil {
			return err
		}
		if err := db.placed(ctx, tx, []models.Appointment{a}); err != nil { // reminders, in this transaction
			return err
		}
		data := models.StringMap{"starts_at": a.StartsAt.In(db.Calendar.Location).Format(time.RFC3339), "room": a.Room}
		if in.Note != "" {
			data["note"] = in.Note
		}
		events := []models.TimelineEvent{event(&a, models.EventCreated, 0, "", data),
			event(&a, models.EventMissionNotified, 0, models.NotifyMission, db.logistics(&a))}
		if err := tx.Create(&events).Error; err != nil {
			return err
		}
		return db.requeue(tx, a.EmploymentID)
	})
	if err != nil {
		return nil, translate(err, "appointment")
	}
	return &a, nil
}

// UpdateAppointment reschedules or cancels a scheduled appointment
// (officers and admins; ECONFLICT on any other status). A reschedule moves
// the slot in place, keeping the appointment's id, kind and due window (the
// unique key), to u.StartsAt in u.Room: the office must be open then, the
// room one of its rooms and free, and an interpreter free when the
// interview needs one (EINVALID naming starts_at or room). The previous
// slot and the reason go on the employment's timeline; the change is
// audited and the mission notified of the new logistics. A cancellation
// frees the slot, with its reason on the timeline.
func (db *DB) UpdateAppointment(ctx context.Context, id string, u models.AppointmentUpdate) (*models.Appointment, error) {
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		return nil, models.Errorf(models.EFORBIDDEN, "Only the protocol office reschedules appointments.")
	}
	now := db.now()
	if err := u.Check(now); err != nil {
		return nil, err
	}
	var a *models.Appointment
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
		if a.Status != models.AppointmentScheduled {
			return models.Errorf(models.ECONFLICT, "This appointment is %s: only a scheduled appointment can be rescheduled or cancelled.",
				strings.ReplaceAll(a.Status, "_", " "))
		}
		var events []models.TimelineEvent
		var detail string
		if u.Cancel() {
			a.Status = models.AppointmentCancelled
			if err := tx.Select("status", "updated_at").Updates(a).Error; err != nil {
				return err
			}
			detail = "status"
			events = append(events, event(a, models.EventCancelled, 0, "", models.StringMap{"reason": u.Reason}))
		} else {
			if a.BriefingID != nil {
				return models.Errorf(models.ECONFLICT, "This appointment is a place in a group briefing: reschedule the briefing, or cancel this place.")
			}
			day := db.Calendar.Today(*u.StartsAt)
			booked, err := db.bookings(tx, day, day, a.ID)
			if err != nil {
				return err
			}
			emp, err := employmentFor(tx, a.EmploymentID)
			if err != nil {
				return err
			}
			p, err := booked.Speaking(emp.HostLanguage).BookAt(*u.StartsAt, u.Room, a.Language)
			if err != nil {
				return err
			}
			data := models.StringMap{"reason": u.Reason, "room": p.Room,
				"starts_at": p.Start.In(db.Calendar.Location).Format(time.RFC3339)}
			if a.Placed() {
				data["previous_starts_at"] = a.StartsAt.In(db.Calendar.Location).Format(time.RFC3339)
				data["previous_room"] = a.Room
			}
			if d := db.Calendar.Today(p.Start); d.Before(a.WindowStart) || d.After(a.WindowEnd) {
				data["outside_window"] = "true"
			}
			s, e := p.Start.UTC(), p.End.UTC()
			a.StartsAt, a.EndsAt, a.Room, a.Interpreter = &s, &e, p.Room, p.Interpreter
			if p.Note != "" {
				a.NoInterpreterNote = p.Note
			}
			if err := tx.Select("starts_at", "ends_at", "room", "interpreter", "no_interpreter_note", "updated_at").Updates(a).Error; err != nil {
				return err
			}
			detail = "starts_at,ends_at,room,reason"
			events = append(events, event(a, models.EventRescheduled, 0, "", data))
			// Reminders for the new slot; those of the old one find it moved
			// at send time and send nothing.
			if err := db.placed(ctx, tx, []models.Appointment{*a}); err != nil {
				return err
			}
		}
		events = append(events, event(a, models.EventMissionNotified, 0, models.NotifyMission, db.logistics(a)))
		if err := tx.Create(&events).Error; err != nil {
			return err
		}
		if err := db.audit(ctx, tx, models.ActionUpdate, "appointment", a.ID, detail); err != nil {
			return err
		}
		return db.requeue(tx, a.EmploymentID)
	})
	if err != nil {
		return nil, translate(err, "appointment")
	}
	return a, nil
}

// FindTimeline returns one page of an employment's timeline, in order. The
// office sees every entry; a mission's focal point (of the employment's
// mission only: ENOTFOUND otherwise) sees only the entries addressed to it,
// which carry logistics alone.
func (db *DB) FindTimeline(ctx context.Context, employmentID string, p models.Page) ([]models.TimelineEvent, string, error) {
	actor := models.ActorFrom(ctx)
	if !actor.SeesOfficeNotes() && actor.Role != models.RoleMission {
		return nil, "", models.Errorf(models.EFORBIDDEN, "Timelines are for the protocol office and the employment's mission.")
	}
	q := db.read(ctx)
	var n int64
	if err := scopeMission(ctx, q.Model(&models.Employment{}), "mission_id").Where("id = ?", employmentID).Count(&n).Error; err != nil {
		return nil, "", translate(err, "employment")
	}
	if n == 0 {
		return nil, "", models.NotFound("employment")
	}
	q = q.Model(&models.TimelineEvent{}).Where("employment_id = ?", employmentID)
	if !actor.SeesOfficeNotes() {
		q = q.Where("notify = ?", models.NotifyMission)
	}
	out, next, err := page(q, p, func(e *models.TimelineEvent) string { return e.ID })
	return out, next, translate(err, "timeline")
}

// PendingNotifications returns up to limit timeline entries that are
// messages not yet sent (a recipient in notify, no notified_at), oldest
// first: the outbox from which the sender of messages works. It is for the
// system's jobs: the entries are not scoped to an actor.
func (db *DB) PendingNotifications(ctx context.Context, limit int) ([]models.TimelineEvent, error) {
	var out []models.TimelineEvent
	err := db.read(ctx).Where("notify <> '' AND notified_at IS NULL").Order("id").Limit(max(limit, 1)).Find(&out).Error
	return out, translate(err, "timeline")
}

// MarkNotified records that the entries ids were sent at at; an entry
// already marked keeps its time. It returns how many it marked.
func (db *DB) MarkNotified(ctx context.Context, ids []string, at time.Time) (int, error) {
	var n int64
	err := db.tx(ctx, func(tx *gorm.DB) error {
		for i, step := 0, db.planBatch(); i < len(ids); i += step {
			r := tx.Model(&models.TimelineEvent{}).Where("id IN ? AND notify <> '' AND notified_at IS NULL", ids[i:min(i+step, len(ids))]).
				Update("notified_at", at.UTC().Truncate(time.Microsecond))
			if r.Error != nil {
				return r.Error
			}
			n += r.RowsAffected
		}
		return nil
	})
	return int(n), translate(err, "timeline")
}
