package store

import (
	"cmp"
	"context"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
)

// planLockKey is the PostgreSQL advisory lock that serialises everything
// that places appointments (a planning pass, a follow-up) across
// connections and replicas, so that two of them never book the same room
// slot from stale views of the calendar. SQLite has one writer anyway.
const planLockKey = 0x5044572d504c414e // "PDW-PLAN"

// planBatch is how many employments a planning pass reads at a time, and
// how many ids one statement lists: fewer on SQLite, whose driver binds a
// statement's parameters in quadratic time (see insertRows).
func (db *DB) planBatch() int {
	if db.dialect == migrations.SQLite {
		return 250
	}
	return 1000
}

// MissedAfter is how long after its end a scheduled appointment is marked missed.
const MissedAfter = time.Hour

// freeStatuses are the statuses of appointments that no longer hold their room.
var freeStatuses = []string{models.AppointmentCancelled, models.AppointmentRescheduled}

// lockPlanning takes the planning lock for the rest of tx. A transaction
// takes it before the audit lock (which the planner takes while holding
// it), so the two never wait on each other in opposite orders.
func (db *DB) lockPlanning(tx *gorm.DB) error {
	if db.dialect != migrations.Postgres {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(?)", db.lockKey(planLockKey)).Error
}

// planQueue is a row of the planner's queue: the date on which it next
// looks at an employment (see migration 00003).
type planQueue struct {
	EmploymentID string `gorm:"primaryKey"`
	PlanOn       models.Date
}

func (planQueue) TableName() string { return "plan_queue" }

// requeue puts employments back in the planner's queue for the office's
// today, after a change that bears on what is due. It takes the planning
// lock first, so that a pass running meanwhile, which may have read the
// employments before the change, cannot overwrite the entry with a date
// computed from what it read: the entry is written after the pass's.
func (db *DB) requeue(tx *gorm.DB, employmentIDs ...string) error {
	if err := db.lockPlanning(tx); err != nil {
		return err
	}
	today := db.Calendar.Today(db.now())
	rows := make([]planQueue, len(employmentIDs))
	for i, id := range employmentIDs {
		rows[i] = planQueue{EmploymentID: id, PlanOn: today}
	}
	upsert := clause.OnConflict{Columns: []clause.Column{{Name: "employment_id"}}, DoUpdates: clause.AssignmentColumns([]string{"plan_on"})}
	n := db.insertRows(2)
	for i := 0; i < len(rows); i += n {
		batch := rows[i:min(i+n, len(rows))]
		if err := tx.Clauses(upsert).Create(&batch).Error; err != nil {
			return err
		}
	}
	return nil
}

// planned is an employment as the planner reads it.
type planned struct {
	ID            string
	MissionID     string
	WorkerID      string
	PolicyID      string
	Status        string
	EndDate       *models.Date
	ArrivalDate   *models.Date
	DepartureDate *models.Date
	IDCardExpiry  *models.Date
	Languages     []string `gorm:"-"` // the worker's, to interview in, read separately
	HostLanguage  string   `gorm:"-"` // the policy's
}

// pendingDue is a due appointment waiting for its slot.
type pendingDue struct {
	models.Due
	emp *planned
}

// PlanAppointments is one planning pass at now: for every employment whose
// date in the planner's queue has come, it creates the appointments its
// life cycle calls for (models.DueFor, under the employment's policy: the
// version in force on its start date), gives each the earliest free slot
// inside its window (earliest deadline first) or lists it as unplaceable,
// audits every creation, and moves the employment's queue date to the next
// day something falls due (or takes it off the queue).
//
// It is idempotent and catches up: an appointment is created once per
// employment, kind and window start (a unique constraint, inserted with ON
// CONFLICT DO NOTHING), and a pass after a pause plans everything that fell
// due meanwhile. One pass runs at a time (an advisory lock on PostgreSQL),
// in one transaction.
func (db *DB) PlanAppointments(ctx context.Context, now time.Time) (models.PlanResult, error) {
	res := models.PlanResult{Unplaceable: []models.Unplaceable{}}
	cal := db.Calendar
	today := cal.Today(now)
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockPlanning(tx); err != nil {
			return err
		}
		var policies []models.Policy
		if err := tx.Find(&policies).Error; err != nil {
			return err
		}
		policyByID := make(map[string]*models.Policy, len(policies))
		for i := range policies {
			policyByID[policies[i].ID] = &policies[i]
		}

		// The queue is read in (plan_on, employment_id) order from its own
		// index alone, each batch starting after the last: the plan of that
		// query does not depend on the tables' statistics, so a pass reads
		// only what is due (with nothing due, no row) and never steps over
		// the rows it has moved on. The employments are then read by id.
		var (
			due  []pendingDue
			last *planQueue
		)
		for {
			var keys []planQueue
			q := tx.Where("plan_on <= ?", today)
			if last != nil {
				q = q.Where("(plan_on, employment_id) > (?, ?)", last.PlanOn, last.EmploymentID)
			}
			if err := q.Order("plan_on, employment_id").Limit(db.planBatch()).Find(&keys).Error; err != nil {
				return err
			}
			if len(keys) == 0 {
				break
			}
			last = &keys[len(keys)-1]
			ids := make([]string, len(keys))
			for i := range keys {
				ids[i] = keys[i].EmploymentID
			}
			// Two lookups by primary key: a join here lets PostgreSQL pick
			// a plan that scans a table per batch.
			var batch []planned
			err := tx.Model(&models.Employment{}).
				Select("id", "mission_id", "worker_id", "policy_id", "status", "end_date", "arrival_date", "departure_date", "id_card_expiry").
				Where("id IN ?", ids).Scan(&batch).Error
			if err != nil {
				return err
			}
			res.Employments += len(batch)
			workerIDs := make([]string, len(batch))
			for i := range batch {
				workerIDs[i] = batch[i].WorkerID
			}
			var workers []models.Worker
			if err := tx.Select("id", "languages", "interview_language").Where("id IN ?", workerIDs).Find(&workers).Error; err != nil {
				return err
			}
			languages := make(map[string][]string, len(workers))
			for i := range workers {
				languages[workers[i].ID] = workers[i].InterviewLanguages()
			}
			var existing []models.Appointment
			if err := tx.Select("employment_id", "kind", "status", "window_start", "window_end", "starts_at").
				Where("employment_id IN ?", ids).Find(&existing).Error; err != nil {
				return err
			}
			history := map[string]*models.History{}
			for i := range existing {
				a := &existing[i]
				h := history[a.EmploymentID]
				if h == nil {
					h = &models.History{}
					history[a.EmploymentID] = h
				}
				h.Add(a, cal.Location)
			}
			recheck := map[models.Date][]string{} // zero Date: nothing to recheck
			for i := range batch {
				emp := &batch[i]
				emp.Languages = languages[emp.WorkerID]
				var next models.Date
				if p := policyByID[emp.PolicyID]; p != nil {
					emp.HostLanguage = p.HostLanguage
					h := history[emp.ID]
					if h == nil {
						h = &models.History{}
					}
					e := models.Employment{ID: emp.ID, Status: emp.Status, EndDate: emp.EndDate, ArrivalDate: emp.ArrivalDate,
						DepartureDate: emp.DepartureDate, IDCardExpiry: emp.IDCardExpiry}
					ds, r := models.DueFor(&e, p, h, today)
					for _, d := range ds {
						due = append(due, pendingDue{d, emp})
					}
					if r != nil {
						next = *r
					}
				}
				recheck[next] = append(recheck[next], emp.ID)
			}
			if err := db.moveOn(tx, recheck); err != nil {
				return err
			}
		}
		if len(due) == 0 {
			return nil
		}

		// Earliest deadline first, so that tight windows get the early slots.
		slices.SortFunc(due, func(a, b pendingDue) int {
			return cmp.Or(a.WindowEnd.Time().Compare(b.WindowEnd.Time()), a.WindowStart.Time().Compare(b.WindowStart.Time()),
				cmp.Compare(a.emp.ID, b.emp.ID), cmp.Compare(a.Kind, b.Kind))
		})
		appts := make([]models.Appointment, len(due))
		notBefore := today.AddDate(0, 0, 1)
		booked, err := db.bookings(tx, notBefore, due[len(due)-1].WindowEnd, "")
		if err != nil {
			return err
		}
		for i, d := range due {
			appts[i] = models.Appointment{EmploymentID: d.emp.ID, MissionID: d.emp.MissionID, Kind: d.Kind,
				WindowStart: d.WindowStart, WindowEnd: d.WindowEnd}
			db.place(&appts[i], booked.Speaking(d.emp.HostLanguage), notBefore, d.emp.Languages)
		}
		created, err := db.insertAppointments(ctx, tx, appts)
		if err != nil {
			return err
		}
		for _, a := range created {
			res.Created++
			if a.Placed() {
				res.Placed++
			} else {
				res.Unplaceable = append(res.Unplaceable, models.Unplaceable{AppointmentID: a.ID, EmploymentID: a.EmploymentID,
					Kind: a.Kind, WindowStart: a.WindowStart, WindowEnd: a.WindowEnd})
			}
		}
		return nil
	})
	if err == nil && res.Employments >= db.planVacuumAfter {
		db.vacuumPlanQueue(ctx)
	}
	return res, translate(err, "appointment")
}

// planVacuumAfter is how many employments a pass must move for it to
// vacuum the queue afterwards (DB.planVacuumAfter; tests lower it).
const planVacuumAfter = 1000

// vacuumPlanQueue removes the queue's dead rows and their index entries
// on PostgreSQL, after a pass that moved many queue rows: each move leaves
// the row's old entry in the (plan_on, employment_id) index among the
// dates already due, and the next pass would have to step over all of them
// (100,000 moved: about 30 ms instead of 2) until autovacuum comes by. It
// does not block readers or writers. A failure changes nothing that
// autovacuum will not mend, so it is not the pass's failure.
func (db *DB) vacuumPlanQueue(ctx context.Context) {
	if db.dialect != migrations.Postgres {
		return
	}
	_, _ = db.sqlDB.ExecContext(ctx, "VACUUM plan_queue")
}

// bookings returns the rooms and interpreters booked on the dates
// from..until (office time), leaving out the appointment except (if any).
func (db *DB) bookings(tx *gorm.DB, from, until models.Date, except string) (*models.Booked, error) {
	cal := db.Calendar
	booked := cal.NewBooked()
	if until.Before(from) {
		return booked, nil
	}
	var rows []struct {
		Room, Interpreter string
		StartsAt, EndsAt  time.Time
	}
	q := tx.Model(&models.Appointment{}).Select("room", "interpreter", "starts_at", "ends_at").
		Where("starts_at >= ? AND starts_at < ? AND status NOT IN ?",
			cal.Midnight(from).UTC(), cal.Midnight(until.AddDate(0, 0, 1)).UTC(), freeStatuses)
	if except != "" {
		q = q.Where("id <> ?", except)
	}
	if err := q.Scan(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		booked.Add(r.Room, r.Interpreter, r.StartsAt, r.EndsAt)
	}
	// A group briefing holds its room (and interpreter) even before anyone
	// is invited; its attendees' appointments repeat the same booking.
	rows = rows[:0]
	err := tx.Model(&models.Briefing{}).Select("room", "interpreter", "starts_at", "ends_at").
		Where("starts_at >= ? AND starts_at < ? AND status <> ?",
			cal.Midnight(from).UTC(), cal.Midnight(until.AddDate(0, 0, 1)).UTC(), models.BriefingCancelled).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		booked.Add(r.Room, r.Interpreter, r.StartsAt, r.EndsAt)
	}
	return booked, nil
}

// place gives a, a new appointment, its id, status and, when one is free
// inside its window (not before notBefore), a slot, with the interview's
// language and interpreter chosen for a worker who speaks langs (see
// models.Booked.PlaceInterview).
func (db *DB) place(a *models.Appointment, booked *models.Booked, notBefore models.Date, langs []string) {
	a.ID = models.NewID()
	a.Status = models.AppointmentScheduled
	p := booked.PlaceInterview(langs, a.WindowStart, a.WindowEnd, notBefore)
	a.Language, a.Interpreter, a.InterpreterNeeded, a.NoInterpreterNote = p.Language, p.Interpreter, p.InterpreterNeeded, p.Note
	if p.Placed() {
		s, e := p.Start.UTC(), p.End.UTC()
		a.StartsAt, a.EndsAt, a.Room = &s, &e, p.Room
	}
}

// insertAppointments inserts appts, skipping any whose employment, kind and
// window start already has one, audits the ones it created and returns them.
func (db *DB) insertAppointments(ctx context.Context, tx *gorm.DB, appts []models.Appointment) ([]models.Appointment, error) {
	var created []models.Appointment
	if db.dialect == migrations.Postgres && len(appts) > 0 {
		in, err := db.insertAppointmentsPG(ctx, tx, appts)
		if err != nil {
			return nil, err
		}
		for _, a := range appts {
			if in[a.ID] {
				created = append(created, a)
			}
		}
		return db.afterInsertAppointments(ctx, tx, created)
	}
	onConflict := clause.OnConflict{DoNothing: true,
		Columns: []clause.Column{{Name: "employment_id"}, {Name: "kind"}, {Name: "window_start"}}}
	rows := db.insertRows(18) // an appointment's columns
	for i := 0; i < len(appts); i += rows {
		batch := appts[i:min(i+rows, len(appts))]
		r := tx.Clauses(onConflict).Create(&batch)
		if r.Error != nil {
			return nil, r.Error
		}
		if int(r.RowsAffected) == len(batch) {
			created = append(created, batch...)
			continue
		}
		// Some already existed: keep the ones that went in.
		ids := make([]string, len(batch))
		for j := range batch {
			ids[j] = batch[j].ID
		}
		var in []string
		if err := tx.Model(&models.Appointment{}).Where("id IN ?", ids).Pluck("id", &in).Error; err != nil {
			return nil, err
		}
		for _, a := range batch {
			if slices.Contains(in, a.ID) { // a batch's few ids
				created = append(created, a)
			}
		}
	}
	return db.afterInsertAppointments(ctx, tx, created)
}

// afterInsertAppointments audits the appointments just created and queues
// their reminders, in tx.
func (db *DB) afterInsertAppointments(ctx context.Context, tx *gorm.DB, created []models.Appointment) ([]models.Appointment, error) {
	entries := make([]auditEntry, len(created))
	for i, a := range created {
		detail := a.Kind
		if !a.Placed() {
			detail += ",unplaceable"
		}
		entries[i] = auditEntry{models.ActionCreate, "appointment", a.ID, detail}
	}
	if err := db.placed(ctx, tx, created); err != nil { // reminders, in this transaction
		return nil, err
	}
	return created, db.auditMany(ctx, tx, entries)
}

// moveOn sets the queue date of each group of employments, all in the
// queue; the zero Date takes them off it.
func (db *DB) moveOn(tx *gorm.DB, groups map[models.Date][]string) error {
	n := db.planBatch()
	for on, ids := range groups {
		for i := 0; i < len(ids); i += n {
			q := tx.Where("employment_id IN ?", ids[i:min(i+n, len(ids))])
			var err error
			if on.IsZero() {
				err = q.Delete(&planQueue{}).Error
			} else {
				err = q.Model(&planQueue{}).Update("plan_on", on).Error
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// SweepMissed marks as missed every appointment still scheduled MissedAfter
// after its end at now, audits each, climbs the escalation ladder for each
// (see escalate: a follow-up, the mission notified, and so on) and puts
// their employments back in the planner's queue. It catches up: everything
// that ended before the cut-off is swept, however long ago, in the order
// the appointments took place. It returns how many it marked.
func (db *DB) SweepMissed(ctx context.Context, now time.Time) (int, error) {
	cutoff := now.Add(-MissedAfter).UTC()
	var n int
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockPlanning(tx); err != nil {
			return err
		}
		q := tx.Model(&models.Appointment{}).
			Where("status = ? AND ends_at < ?", models.AppointmentScheduled, cutoff).Order("starts_at, id")
		if db.dialect == migrations.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		var rows []models.Appointment
		if err := q.Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		ids := make([]string, len(rows))
		var emps []string
		seen := map[string]bool{}
		entries := make([]auditEntry, len(rows))
		for i, a := range rows {
			ids[i] = a.ID
			if !seen[a.EmploymentID] {
				seen[a.EmploymentID] = true
				emps = append(emps, a.EmploymentID)
			}
			entries[i] = auditEntry{models.ActionUpdate, "appointment", a.ID, "status"}
		}
		for i, n := 0, db.planBatch(); i < len(ids); i += n {
			err := tx.Model(&models.Appointment{}).Where("id IN ?", ids[i:min(i+n, len(ids))]).
				Updates(map[string]any{"status": models.AppointmentMissed, "updated_at": db.now()}).Error
			if err != nil {
				return err
			}
		}
		n = len(rows)
		if err := db.auditMany(ctx, tx, entries); err != nil {
			return err
		}
		lad, err := db.newLadder(tx, now)
		if err != nil {
			return err
		}
		for i := range rows {
			rows[i].Status = models.AppointmentMissed
			if _, err := lad.escalate(ctx, tx, &rows[i]); err != nil {
				return err
			}
		}
		return db.requeue(tx, emps...)
	})
	return n, translate(err, "appointment")
}
