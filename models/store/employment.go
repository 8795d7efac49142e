package store

import (
	"slices"
	"strings"

	"context"
	"errors"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
)

// FindEmploymentByID returns an employment the actor may see; ENOTFOUND otherwise.
func (db *DB) FindEmploymentByID(ctx context.Context, id string) (*models.Employment, error) {
	return findEmployment(ctx, db.read(ctx), id)
}

func findEmployment(ctx context.Context, q *gorm.DB, id string) (*models.Employment, error) {
	var e models.Employment
	err := scopeMission(ctx, q, "mission_id").Where("id = ?", id).Take(&e).Error
	return &e, translate(err, "employment")
}

// CreateEmployment checks a notification against the policy in force on its
// start date, the worker's age, the household quota and the employer's
// eligibility, and stores it as "notified". Every violation is reported at
// once (EINVALID); a suspended employer or mission gives ECONFLICT. A worker
// presumed or found to be a minor is flagged for an officer even though the
// notification is refused.
func (db *DB) CreateEmployment(ctx context.Context, in models.EmploymentInput) (*models.Employment, error) {
	var (
		emp       models.Employment
		flagID    string
		flagMsg   string
		refusedOn error
		// suspendedIn is the mission of a notification refused because the
		// employer or the mission is suspended (reports count them).
		suspendedIn string
	)
	err := db.tx(ctx, func(tx *gorm.DB) error {
		on := models.DateOf(db.now())
		if in.StartDate != nil {
			on = *in.StartDate
		}
		fields := models.FieldErrors{}
		policy, err := policyInForce(tx, on)
		if err != nil {
			if models.ErrorCode(err) != models.ENOTFOUND {
				return err
			}
			return &models.Error{Code: models.EINVALID, Message: "No policy applies to this employment.",
				Fields: map[string]string{"start_date": "no policy is in force on this date; an administrator must load one"}}
		}
		e, err := in.Validate(policy)
		for k, v := range models.ErrorFields(err) {
			fields.Add(k, v)
		}
		if err != nil && models.ErrorCode(err) != models.EINVALID {
			return err
		}

		var employer *models.Employer
		if models.ValidID(in.EmployerID) {
			q := tx
			if db.dialect == migrations.Postgres {
				// Serialise notifications per employer so the quota holds under concurrency.
				q = q.Clauses(clause.Locking{Strength: "UPDATE"})
			}
			if employer, err = findEmployer(ctx, q, in.EmployerID); err != nil {
				if models.ErrorCode(err) != models.ENOTFOUND {
					return err
				}
				employer = nil
				fields.Add("employer_id", "no such employer")
			}
		}
		var worker *models.Worker
		if models.ValidID(in.WorkerID) {
			if worker, err = findWorker(ctx, tx, in.WorkerID); err != nil {
				if models.ErrorCode(err) != models.ENOTFOUND {
					return err
				}
				worker = nil
				fields.Add("worker_id", "no such worker")
			}
		}

		if employer != nil {
			var mission models.Mission
			if err := tx.Where("id = ?", employer.MissionID).Take(&mission).Error; err != nil {
				return err
			}
			if employer.Suspended || mission.Suspended {
				// The refusal says why: the sanction in force, from the register.
				subject, id := "employer", employer.ID
				if !employer.Suspended {
					subject, id = "mission", mission.ID
				}
				s, err := sanctionInForce(tx, id)
				if err != nil {
					return err
				}
				suspendedIn = mission.ID
				refusedOn = models.Errorf(models.ECONFLICT, "%s", models.SuspendedMessage(subject, s))
				return refusedOn
			}
			var open int64
			if err := tx.Model(&models.Employment{}).
				Where("employer_id = ? AND status IN ?", employer.ID, models.OpenStatuses).Count(&open).Error; err != nil {
				return err
			}
			if msg := models.CheckHouseholdQuota(employer.Rank, int(open), policy); msg != "" {
				fields.Add("employer_id", msg)
			}
		}
		if worker != nil {
			if employer != nil && worker.MissionID != nil && *worker.MissionID != employer.MissionID {
				fields.Add("worker_id", "the worker belongs to another mission")
			}
			var open int64
			if err := tx.Model(&models.Employment{}).
				Where("worker_id = ? AND status IN ?", worker.ID, models.OpenStatuses).Count(&open).Error; err != nil {
				return err
			}
			if open > 0 {
				fields.Add("worker_id", "the worker already has an open employment")
			}
			if worker.ReviewReason != "" {
				fields.Add("worker_id", "the worker is flagged for an officer's review and cannot be notified until an officer clears the flag")
			}
			if in.StartDate != nil {
				if field, msg := models.CheckWorkerAge(worker, *in.StartDate, policy); msg != "" {
					fields.Add(field, msg)
					flagID, flagMsg = worker.ID, msg
				}
				if in.Terms != nil && in.Terms.AnnualLeaveWeeks != nil {
					if field, msg := models.CheckYoungWorkerLeave(worker, *in.StartDate, *in.Terms.AnnualLeaveWeeks, policy); msg != "" {
						fields.Add(field, msg)
					}
				}
			}
		}
		if len(fields) > 0 {
			refusedOn = fields.Err()
			return refusedOn
		}

		emp = e
		emp.ID = models.NewID()
		emp.MissionID = employer.MissionID
		emp.PolicyID = policy.ID
		emp.Status = models.StatusNotified
		if err := tx.Create(&emp).Error; err != nil {
			return err
		}
		if worker.MissionID == nil {
			if err := tx.Model(worker).Update("mission_id", employer.MissionID).Error; err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, models.ActionCreate, "employment", emp.ID, "")
	})
	if err != nil {
		if errors.Is(err, refusedOn) && refusedOn != nil {
			// The refusal itself is recorded, and an age problem flags the worker.
			detail := "policy"
			if suspendedIn != "" {
				detail = models.RefusedSuspendedPrefix + suspendedIn
			}
			if flagID != "" {
				detail = "age"
				if ferr := db.flagWorker(ctx, flagID, flagMsg); ferr != nil {
					return nil, translate(ferr, "worker")
				}
			}
			if aerr := db.Audit(ctx, models.ActionRefuse, "employment", "", detail); aerr != nil {
				return nil, translate(aerr, "employment")
			}
		}
		return nil, translate(err, "employment")
	}
	return &emp, nil
}

// UpdateEmployment applies upd (dates, ID card, a status change the life
// cycle allows) to an employment the actor may see. A mission user may
// report only arrival and departure dates. Ending an employment needs a
// complete exit evidence pack or the officer's exit_pack_waiver (see
// checkExitPack).
func (db *DB) UpdateEmployment(ctx context.Context, id string, upd models.EmploymentUpdate) (*models.Employment, error) {
	if models.ActorFrom(ctx).Role == models.RoleMission &&
		(upd.Status != nil || upd.IDCardNumber != nil || upd.IDCardExpiry != nil || upd.EndDate != nil || upd.ExitPackWaiver != nil) {
		return nil, models.Errorf(models.EFORBIDDEN, "A mission may report only arrival and departure dates.")
	}
	var e *models.Employment
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if e, err = findEmployment(ctx, tx, id); err != nil {
			return err
		}
		if err := renewalAttended(tx, e, upd); err != nil {
			return err
		}
		ends := upd.Ends(e.Status)
		if err := upd.Apply(e); err != nil {
			return err
		}
		// Ending needs the exit evidence pack, or an officer's reason.
		if ends {
			if err := db.checkExitPack(ctx, tx, e, upd); err != nil {
				return err
			}
		}
		if err := tx.Save(e).Error; err != nil {
			return err
		}
		// Dates and status decide what is due: the planner looks again.
		if err := db.requeue(tx, id); err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionUpdate, "employment", id, strings.Join(upd.Fields(), ","))
	})
	return e, translate(err, "employment")
}

// changeable are the statuses whose terms may still change.
var changeable = []string{models.StatusNotified, models.StatusApproved, models.StatusActive, models.StatusSuspended}

// UpdateTerms replaces an employment's terms (officers), checked against
// the newest policy version in force on its start date, which the
// employment then refers to. Contracts already generated keep the terms
// they were made from; the next version shows the new ones.
func (db *DB) UpdateTerms(ctx context.Context, id string, in models.TermsInput) (*models.Employment, error) {
	var e *models.Employment
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var err error
		if e, err = findEmployment(ctx, tx, id); err != nil {
			return err
		}
		if !slices.Contains(changeable, e.Status) {
			return models.Errorf(models.ECONFLICT, "The terms of an employment that is %s cannot change.", e.Status)
		}
		policy, err := policyInForce(tx, e.StartDate)
		if err != nil {
			return err
		}
		terms, fields := models.ValidateTerms(in, policy)
		var worker models.Worker
		if err := tx.Where("id = ?", e.WorkerID).Take(&worker).Error; err != nil {
			return err
		}
		if in.AnnualLeaveWeeks != nil {
			if field, msg := models.CheckYoungWorkerLeave(&worker, e.StartDate, *in.AnnualLeaveWeeks, policy); msg != "" {
				fields.Add(field, msg)
			}
		}
		if err := fields.Err(); err != nil {
			return err
		}
		e.Terms, e.PolicyID = terms, policy.ID
		if err := tx.Save(e).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionUpdate, "employment", id, "terms")
	})
	return e, translate(err, "employment")
}

// renewalAttended blocks the renewal of an ID card (a later expiry than
// the card on record) until the worker has attended a renewal interview
// for the current card: one due within the card's validity before its
// expiry (planned, or booked by hand). The renewal is the office's chance
// to see the worker alone, and it must not be skipped.
func renewalAttended(tx *gorm.DB, e *models.Employment, upd models.EmploymentUpdate) error {
	if upd.IDCardExpiry == nil || e.IDCardExpiry == nil || !upd.IDCardExpiry.After(*e.IDCardExpiry) {
		return nil
	}
	var p models.Policy
	if err := tx.Where("id = ?", e.PolicyID).Take(&p).Error; err != nil {
		return err
	}
	validity := p.IDCardValidityMonths
	if validity <= 0 {
		validity = 12
	}
	var n int64
	err := tx.Model(&models.Appointment{}).
		Where("employment_id = ? AND kind = ? AND status = ? AND window_end <= ? AND window_end > ?",
			e.ID, models.KindRenewal, models.AppointmentAttended, *e.IDCardExpiry, e.IDCardExpiry.AddDate(0, -validity, 0)).
		Count(&n).Error
	if err != nil {
		return err
	}
	if n == 0 {
		return models.Errorf(models.ECONFLICT,
			"The ID card cannot be renewed until the worker has attended the renewal interview for the card expiring on %s.", e.IDCardExpiry)
	}
	return nil
}
