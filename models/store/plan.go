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
// how many ids one statement lists.
const planBatch = 500

// MissedAfter is how long after its end a scheduled appointment is marked missed.
const MissedAfter = time.Hour

// freeStatuses are the statuses of appointments that no longer hold their room.
var freeStatuses = []string{models.AppointmentCancelled, models.AppointmentRescheduled}

func (db *DB) lockPlanning(tx *gorm.DB) error {
	if db.dialect != migrations.Postgres {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(?)", int64(planLockKey)).Error
}

// today is the office's date now.
func (db *DB) today() *models.Date {
	d := db.Calendar.Today(db.now())
	return &d
}

// planned is an employment as the planner reads it.
type planned struct {
	ID            string
	MissionID     string
	PolicyID      string
	Status        string
	EndDate       *models.Date
	ArrivalDate   *models.Date
	DepartureDate *models.Date
	IDCardExpiry  *models.Date
	PlanOn        models.Date
	Languages     models.Strings // the worker's
}

// pendingDue is a due appointment waiting for its slot.
type pendingDue struct {
	models.Due
	emp *planned
}

// PlanAppointments is one planning pass at now: for every employment whose
// plan_on date has come, it creates the appointments its life cycle calls
// for (models.DueFor, under the employment's policy: the version in force
// on its start date), gives each the earliest free slot inside its window
// (earliest deadline first) or lists it as unplaceable, audits every
// creation, and moves plan_on to the next date something falls due.
//
// It is idempotent and catches up: an appointment is created once per
// employment, kind and window start (a unique constraint, inserted with ON
// CONFLICT DO NOTHING), and a pass after a pause plans everything that fell
// due meanwhile. One pass runs at a time (an advisory lock on PostgreSQL),
// in one transaction.
func (db *DB) PlanAppointments(ctx context.Context, now time.Time) (models.PlanResult, error) {
	var res models.PlanResult
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

		// Batches are read in (plan_on, id) order from the index on both,
		// each starting after the last: a pass reads only what is due,
		// whatever the table's statistics say (with nothing due, no row),
		// and never steps over the rows it has already moved on.
		var (
			due  []pendingDue
			last *planned
		)
		for {
			var batch []planned
			q := tx.Table("employments AS e").
				Select("e.id, e.mission_id, e.policy_id, e.status, e.end_date, e.arrival_date, e.departure_date, e.id_card_expiry, e.plan_on, w.languages").
				Joins("JOIN workers AS w ON w.id = e.worker_id").
				Where("e.plan_on <= ?", today)
			if last != nil {
				q = q.Where("(e.plan_on, e.id) > (?, ?)", last.PlanOn, last.ID)
			}
			if err := q.Order("e.plan_on, e.id").Limit(planBatch).Scan(&batch).Error; err != nil {
				return err
			}
			if len(batch) == 0 {
				break
			}
			last = &batch[len(batch)-1]
			res.Employments += len(batch)
			ids := make([]string, len(batch))
			for i := range batch {
				ids[i] = batch[i].ID
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
				var next models.Date
				if p := policyByID[emp.PolicyID]; p != nil {
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
			if err := db.setPlanOn(tx, recheck); err != nil {
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
		booked, err := db.bookings(tx, notBefore, due[len(due)-1].WindowEnd)
		if err != nil {
			return err
		}
		for i, d := range due {
			appts[i] = models.Appointment{EmploymentID: d.emp.ID, MissionID: d.emp.MissionID, Kind: d.Kind,
				WindowStart: d.WindowStart, WindowEnd: d.WindowEnd}
			appts[i].Language, appts[i].InterpreterNeeded, appts[i].NoInterpreterNote = cal.InterviewLanguage(d.emp.Languages)
			db.place(&appts[i], booked, notBefore)
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
	return res, translate(err, "appointment")
}

// bookings returns the rooms booked on the dates from..until (office time).
func (db *DB) bookings(tx *gorm.DB, from, until models.Date) (*models.Booked, error) {
	cal := db.Calendar
	booked := cal.NewBooked()
	if until.Before(from) {
		return booked, nil
	}
	var rows []struct {
		Room             string
		StartsAt, EndsAt time.Time
	}
	err := tx.Model(&models.Appointment{}).Select("room", "starts_at", "ends_at").
		Where("starts_at >= ? AND starts_at < ? AND status NOT IN ?",
			cal.Midnight(from).UTC(), cal.Midnight(until.AddDate(0, 0, 1)).UTC(), freeStatuses).
		Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		booked.Add(r.Room, r.StartsAt, r.EndsAt)
	}
	return booked, nil
}

// place gives a, a new appointment, its id, status and, when one is free
// inside its window (not before notBefore), a slot.
func (db *DB) place(a *models.Appointment, booked *models.Booked, notBefore models.Date) {
	a.ID = models.NewID()
	a.Status = models.AppointmentScheduled
	if start, end, room, ok := booked.Place(a.WindowStart, a.WindowEnd, notBefore); ok {
		s, e := start.UTC(), end.UTC()
		a.StartsAt, a.EndsAt, a.Room = &s, &e, room
	}
}

// insertAppointments inserts appts, skipping any whose employment, kind and
// window start already has one, audits the ones it created and returns them.
func (db *DB) insertAppointments(ctx context.Context, tx *gorm.DB, appts []models.Appointment) ([]models.Appointment, error) {
	var created []models.Appointment
	onConflict := clause.OnConflict{DoNothing: true,
		Columns: []clause.Column{{Name: "employment_id"}, {Name: "kind"}, {Name: "window_start"}}}
	rows := db.insertRows(16) // an appointment's columns
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
	entries := make([]auditEntry, len(created))
	for i, a := range created {
		detail := a.Kind
		if !a.Placed() {
			detail += ",unplaceable"
		}
		entries[i] = auditEntry{models.ActionCreate, "appointment", a.ID, detail}
	}
	return created, db.auditMany(ctx, tx, entries)
}

// setPlanOn stores the next planning date of each group of employments (the
// zero Date: none).
func (db *DB) setPlanOn(tx *gorm.DB, groups map[models.Date][]string) error {
	for on, ids := range groups {
		var v any
		if !on.IsZero() {
			v = on
		}
		for i := 0; i < len(ids); i += planBatch {
			err := tx.Model(&models.Employment{}).Where("id IN ?", ids[i:min(i+planBatch, len(ids))]).
				UpdateColumn("plan_on", v).Error
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// SweepMissed marks as missed every appointment still scheduled MissedAfter
// after its end at now, audits each, and has the planner look at their
// employments again. It catches up: everything that ended before the
// cut-off is swept, however long ago. It returns how many it marked.
func (db *DB) SweepMissed(ctx context.Context, now time.Time) (int, error) {
	cutoff := now.Add(-MissedAfter).UTC()
	var n int
	err := db.tx(ctx, func(tx *gorm.DB) error {
		q := tx.Model(&models.Appointment{}).Select("id", "employment_id").
			Where("status = ? AND ends_at < ?", models.AppointmentScheduled, cutoff).Order("id")
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
		for i := 0; i < len(ids); i += planBatch {
			err := tx.Model(&models.Appointment{}).Where("id IN ?", ids[i:min(i+planBatch, len(ids))]).
				Updates(map[string]any{"status": models.AppointmentMissed, "updated_at": db.now()}).Error
			if err != nil {
				return err
			}
		}
		n = len(rows)
		if err := db.auditMany(ctx, tx, entries); err != nil {
			return err
		}
		return db.setPlanOn(tx, map[models.Date][]string{db.Calendar.Today(now): emps})
	})
	return n, translate(err, "appointment")
}
