package store

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// ErasedName replaces an erased worker's name.
const ErasedName = "[erased]"

// RetentionResult is what one retention pass erased.
type RetentionResult struct {
	// Workers whose personal data was erased.
	Workers int `json:"workers"`
	// Employments of theirs whose contract PDFs and notes were erased.
	Employments int `json:"employments"`
	// ContractPDFs deleted (the contract rows, hashes and versions stay).
	ContractPDFs int `json:"contract_pdfs"`
	// EvidenceFiles deleted (the evidence rows stay, without their text).
	EvidenceFiles int `json:"evidence_files"`
}

// retentionEmployment is what the retention pass reads of an employment.
type retentionEmployment struct {
	ID, WorkerID, Status   string
	EndDate, DepartureDate *models.Date
	UpdatedAt              time.Time
	RetentionYears         int
}

// expired reports whether e ended more than its policy's retention_years
// before today: counted from the departure date, else the end date, else
// the day of its last change (office time zone).
func (db *DB) expired(e retentionEmployment, today models.Date) bool {
	if e.Status != models.StatusEnded && e.Status != models.StatusRefused {
		return false
	}
	var ref models.Date
	switch {
	case e.DepartureDate != nil:
		ref = *e.DepartureDate
	case e.EndDate != nil:
		ref = *e.EndDate
	default:
		ref = db.Calendar.Today(e.UpdatedAt)
	}
	return ref.AddDate(e.RetentionYears, 0, 0).Before(today)
}

// EraseExpired erases, in batches of workers, the personal data of every
// worker all of whose employments ended (ended or refused) more than their
// policy's retention_years before now: the worker's name becomes
// ErasedName and the date of birth, passport number, phone, e-mail,
// consent and review reason are cleared; their employments' ID card
// numbers, contract PDFs (the contracts' rows with hashes and versions
// stay), appointment notes, interviews' answers, indicators and notes
// (their risk levels stay) and the free text of their timelines (notes,
// reasons) are erased. Ids, dates, statuses, kinds, sex, nationality and
// languages stay, so aggregate statistics survive. A worker with another
// employment still within retention (or still open) is left alone. Each
// erasure is audited (action erase, ids only) in its batch's transaction.
// Idempotent: an erased worker is not read again.
func (db *DB) EraseExpired(ctx context.Context, now time.Time) (RetentionResult, error) {
	var res RetentionResult
	today := db.Calendar.Today(now)
	stamp := db.now()
	after := ""
	n := db.planBatch()
	for {
		var workerIDs []string
		err := db.read(ctx).Table("employments AS e").Distinct("e.worker_id").
			Joins("JOIN workers w ON w.id = e.worker_id").
			Where("e.status IN ? AND w.full_name <> ? AND e.worker_id > ?", []string{models.StatusEnded, models.StatusRefused}, ErasedName, after).
			Order("e.worker_id").Limit(n).Pluck("e.worker_id", &workerIDs).Error
		if err != nil {
			return res, translate(err, "worker")
		}
		if len(workerIDs) == 0 {
			break
		}
		after = workerIDs[len(workerIDs)-1]
		err = db.tx(ctx, func(tx *gorm.DB) error {
			return db.eraseBatch(ctx, tx, workerIDs, today, stamp, &res)
		})
		if err != nil {
			return res, translate(err, "worker")
		}
		if len(workerIDs) < n {
			break
		}
	}
	err := db.eraseNeverEmployed(ctx, today, stamp, &res)
	return res, translate(err, "worker")
}

// eraseNeverEmployed erases the personal data of workers with no
// employment at all (registered but never notified, or refused before any
// employment was stored, such as a presumed minor) whose record has not
// changed for the retention_years of the policy in force today. Without a
// policy in force it erases nothing.
func (db *DB) eraseNeverEmployed(ctx context.Context, today models.Date, stamp time.Time, res *RetentionResult) error {
	p, err := policyInForce(db.read(ctx), today)
	if err != nil {
		if models.ErrorCode(err) == models.ENOTFOUND {
			return nil
		}
		return err
	}
	cutoff := stamp.AddDate(-p.RetentionYears, 0, 0)
	after, n := "", db.planBatch()
	for {
		var ids []string
		err := db.read(ctx).Model(&models.Worker{}).
			Where("full_name <> ? AND updated_at < ? AND id > ?", ErasedName, cutoff, after).
			Where("NOT EXISTS (SELECT 1 FROM employments e WHERE e.worker_id = workers.id)").
			Order("id").Limit(n).Pluck("id", &ids).Error
		if err != nil || len(ids) == 0 {
			return err
		}
		after = ids[len(ids)-1]
		err = db.tx(ctx, func(tx *gorm.DB) error {
			if err := eraseWorkers(tx, ids, stamp); err != nil {
				return err
			}
			audits := make([]auditEntry, len(ids))
			for i, id := range ids {
				audits[i] = auditEntry{models.ActionErase, "worker", id, "no employment"}
			}
			return db.auditMany(ctx, tx, audits)
		})
		if err != nil {
			return err
		}
		res.Workers += len(ids)
		if len(ids) < n {
			return nil
		}
	}
}

func (db *DB) eraseBatch(ctx context.Context, tx *gorm.DB, workerIDs []string, today models.Date, stamp time.Time, res *RetentionResult) error {
	var emps []retentionEmployment
	err := tx.Table("employments AS e").
		Select("e.id, e.worker_id, e.status, e.end_date, e.departure_date, e.updated_at, p.retention_years").
		Joins("JOIN policies p ON p.id = e.policy_id").
		Where("e.worker_id IN ?", workerIDs).Order("e.worker_id, e.id").Scan(&emps).Error
	if err != nil {
		return err
	}
	keep := map[string]bool{}
	byWorker := map[string][]string{}
	for _, e := range emps {
		if !db.expired(e, today) {
			keep[e.WorkerID] = true
		}
		byWorker[e.WorkerID] = append(byWorker[e.WorkerID], e.ID)
	}
	var erase, empIDs []string
	var audits []auditEntry
	for _, w := range workerIDs {
		if keep[w] || len(byWorker[w]) == 0 {
			continue
		}
		erase = append(erase, w)
		empIDs = append(empIDs, byWorker[w]...)
		audits = append(audits, auditEntry{models.ActionErase, "worker", w, "employments:" + strings.Join(byWorker[w], ",")})
	}
	if len(erase) == 0 {
		return nil
	}
	if err := eraseWorkers(tx, erase, stamp); err != nil {
		return err
	}
	for i, step := 0, db.planBatch(); i < len(empIDs); i += step {
		ids := empIDs[i:min(i+step, len(empIDs))]
		if err := tx.Model(&models.Employment{}).Where("id IN ? AND id_card_number <> ''", ids).
			Updates(map[string]any{"id_card_number": "", "updated_at": stamp}).Error; err != nil {
			return err
		}
		r := tx.Exec("DELETE FROM contract_pdfs WHERE contract_id IN (SELECT id FROM contracts WHERE employment_id IN ?)", ids)
		if r.Error != nil {
			return r.Error
		}
		res.ContractPDFs += int(r.RowsAffected)
		if err := tx.Model(&models.Appointment{}).Where("employment_id IN ? AND outcome_note <> ''", ids).
			Updates(map[string]any{"outcome_note": "", "updated_at": stamp}).Error; err != nil {
			return err
		}
		if err := eraseTimelineText(tx, ids); err != nil {
			return err
		}
		// Evidence stays for statistics; its free text and uploaded
		// documents go (with their hashes).
		r = tx.Where("employment_id IN ?", ids).Delete(&models.EvidenceFile{})
		if r.Error != nil {
			return r.Error
		}
		res.EvidenceFiles += int(r.RowsAffected)
		if err := tx.Model(&models.Evidence{}).Where("employment_id IN ? AND (reference <> '' OR note <> '' OR file_sha256 <> '')", ids).
			Updates(map[string]any{"reference": "", "note": "", "file_sha256": "", "file_content_type": "", "file_size": 0}).Error; err != nil {
			return err
		}
		if err := eraseCaseText(tx, ids, stamp); err != nil {
			return err
		}
		// Interviews keep their row, checklist version and risk level (for
		// statistics); answers, indicators and notes go.
		if err := tx.Model(&interviewRow{}).Where("employment_id IN ? AND answers <> ''", ids).
			Updates(map[string]any{"answers": "", "indicators": "", "notes": "", "updated_at": stamp}).Error; err != nil {
			return err
		}
	}
	res.Workers += len(erase)
	res.Employments += len(empIDs)
	return db.auditMany(ctx, tx, audits)
}

// eraseWorkers clears the personal data of the workers ids: the name
// becomes ErasedName; date of birth, passport number, phone, e-mail,
// consent and review reason go. Ids, sex, nationality and languages stay
// for statistics.
func eraseWorkers(tx *gorm.DB, ids []string, stamp time.Time) error {
	if err := tx.Where("worker_id IN ?", ids).Delete(&models.WorkerAccessCode{}).Error; err != nil {
		return err
	}
	return tx.Model(&models.Worker{}).Where("id IN ?", ids).Updates(map[string]any{
		"full_name": ErasedName, "date_of_birth": nil, "date_of_birth_uncertain": false, "passport_number": "",
		"phone": "", "email": "", "contact_consent": false, "review_reason": "", "updated_at": stamp,
	}).Error
}

// timelineFreeText are the keys of timeline data that officers write
// freely (and so may hold personal data).
var timelineFreeText = []string{"note", "reason"}

// eraseTimelineText removes the free text from the timelines of the
// employments ids (the entries, their kinds and times stay).
func eraseTimelineText(tx *gorm.DB, ids []string) error {
	var evs []models.TimelineEvent
	if err := tx.Select("id", "data").Where("employment_id IN ? AND kind IN ?", ids,
		[]string{models.EventCreated, models.EventRescheduled, models.EventCancelled, models.EventExitPackWaived}).Find(&evs).Error; err != nil {
		return err
	}
	for _, ev := range evs {
		changed := false
		for _, k := range timelineFreeText {
			if _, ok := ev.Data[k]; ok {
				delete(ev.Data, k)
				changed = true
			}
		}
		if changed {
			if err := tx.Model(&models.TimelineEvent{}).Where("id = ?", ev.ID).Update("data", ev.Data).Error; err != nil {
				return err
			}
		}
	}
	return nil
}
