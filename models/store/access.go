package store

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// newAccessCode returns a random code of models.AccessCodeLength
// characters of models.AccessCodeAlphabet (32 letters: 5 bits each, no
// modulo bias).
func newAccessCode() string {
	var b [models.AccessCodeLength]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("store: crypto/rand failed: " + err.Error())
	}
	for i := range b {
		b[i] = models.AccessCodeAlphabet[b[i]&31]
	}
	return string(b[:])
}

// IssueAccessCode gives a worker the actor may see a new personal access
// code, returned this once; only its hash is stored, and any earlier code
// of the worker stops working. Officers and admins only (EFORBIDDEN);
// ENOTFOUND for a worker the actor cannot see.
func (db *DB) IssueAccessCode(ctx context.Context, workerID string) (string, error) {
	if !models.ActorFrom(ctx).SeesPrivateContact() {
		return "", models.Errorf(models.EFORBIDDEN, "Only the protocol office issues access codes.")
	}
	code := newAccessCode()
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if _, err := findWorker(ctx, tx, workerID); err != nil {
			return err
		}
		if err := tx.Where("worker_id = ?", workerID).Delete(&models.WorkerAccessCode{}).Error; err != nil {
			return err
		}
		ac := &models.WorkerAccessCode{WorkerID: workerID, CodeHash: HashSecret(code), CreatedAt: db.now()}
		if err := tx.Create(ac).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionCreate, "access_code", workerID, "")
	})
	if err != nil {
		return "", translate(err, "worker")
	}
	return code, nil
}

// RevokeAccessCode ends a worker's access code (no error if none).
func (db *DB) RevokeAccessCode(ctx context.Context, workerID string) error {
	if !models.ActorFrom(ctx).SeesPrivateContact() {
		return models.Errorf(models.EFORBIDDEN, "Only the protocol office revokes access codes.")
	}
	return translate(db.tx(ctx, func(tx *gorm.DB) error {
		if _, err := findWorker(ctx, tx, workerID); err != nil {
			return err
		}
		res := tx.Where("worker_id = ?", workerID).Delete(&models.WorkerAccessCode{})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return db.audit(ctx, tx, models.ActionDelete, "access_code", workerID, "")
	}), "worker")
}

// workerActor is the actor of a request made with a worker's access code:
// it is written into the audit trail and sees nothing scoped.
func workerActor(ctx context.Context, workerID string) context.Context {
	a := models.ActorFrom(ctx)
	return models.WithActor(ctx, models.Actor{UserID: "worker:" + workerID, Role: models.RoleWorker, RequestID: a.RequestID})
}

// workerByCode finds the worker of an access code inside tx, and the
// worker's open employment; ENOTFOUND for a code that is malformed,
// unknown or revoked, or whose worker has no open employment.
func workerByCode(tx *gorm.DB, code string) (*models.Worker, *models.Employment, error) {
	code, ok := models.NormalizeAccessCode(code)
	if !ok {
		return nil, nil, models.NotFound("page")
	}
	var ac models.WorkerAccessCode
	if err := tx.Where("code_hash = ?", HashSecret(code)).Take(&ac).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil, models.NotFound("page")
		}
		return nil, nil, err
	}
	var w models.Worker
	if err := tx.Where("id = ?", ac.WorkerID).Take(&w).Error; err != nil {
		return nil, nil, err
	}
	// The code expires with the employment: once the worker has none
	// open (ended, refused), it opens nothing, as an unknown code.
	e, err := openEmployment(tx, w.ID)
	if err != nil {
		return nil, nil, err
	}
	if e == nil {
		return nil, nil, models.NotFound("page")
	}
	return &w, e, nil
}

// openEmployment returns the worker's newest open employment, or nil.
func openEmployment(tx *gorm.DB, workerID string) (*models.Employment, error) {
	var es []models.Employment
	err := tx.Where("worker_id = ? AND status IN ?", workerID, models.OpenStatuses).
		Order("start_date DESC, id DESC").Limit(1).Find(&es).Error
	if err != nil || len(es) == 0 {
		return nil, err
	}
	return &es[0], nil
}

// WorkerPageByCode returns what the worker's private page shows: the
// worker's name and languages, the next placed appointment of the current
// employment and its newest contract. The read is audited with the worker
// as the actor. ENOTFOUND for an unknown or revoked code.
func (db *DB) WorkerPageByCode(ctx context.Context, code string) (*models.WorkerPage, error) {
	var p *models.WorkerPage
	err := db.tx(ctx, func(tx *gorm.DB) error {
		w, e, err := workerByCode(tx, code)
		if err != nil {
			return err
		}
		p = &models.WorkerPage{WorkerID: w.ID, FullName: w.FullName, Languages: slices.Clone([]string(w.Languages)),
			EmploymentID: e.ID}
		var next []models.Appointment
		err = tx.Where("employment_id = ? AND status = ? AND starts_at IS NOT NULL AND ends_at > ?",
			e.ID, models.AppointmentScheduled, db.now()).Order("starts_at").Limit(1).Find(&next).Error
		if err != nil {
			return err
		}
		if len(next) == 1 {
			a := next[0]
			a.OutcomeNote, a.NoInterpreterNote = "", "" // the office's notes are not the worker's page
			p.Next = &a
		}
		var cs []models.ContractVersion
		if err := tx.Where("employment_id = ?", e.ID).Order("version DESC").Limit(1).Find(&cs).Error; err != nil {
			return err
		}
		if len(cs) == 1 {
			p.ContractID = cs[0].ID
			p.ContractLanguages = []string{cs[0].HostLanguage, cs[0].WorkerLanguage}
		}
		return db.audit(workerActor(ctx, w.ID), tx, models.ActionRead, "worker", w.ID, "own_page")
	})
	if err != nil {
		return nil, translate(err, "page")
	}
	return p, nil
}

// WorkerContractPDF returns the stored PDF of the newest contract of the
// worker's current employment (ENOTFOUND if there is none), audited with
// the worker as the actor.
func (db *DB) WorkerContractPDF(ctx context.Context, code string) (*models.ContractVersion, []byte, error) {
	var (
		c   models.ContractVersion
		pdf models.ContractPDF
	)
	err := db.tx(ctx, func(tx *gorm.DB) error {
		w, e, err := workerByCode(tx, code)
		if err != nil {
			return err
		}
		if err := tx.Where("employment_id = ?", e.ID).Order("version DESC").Limit(1).Take(&c).Error; err != nil {
			return err
		}
		if err := tx.Where("contract_id = ?", c.ID).Take(&pdf).Error; err != nil {
			return err
		}
		return db.audit(workerActor(ctx, w.ID), tx, models.ActionRead, "contract", c.ID, "pdf")
	})
	if err != nil {
		return nil, nil, translate(err, "contract")
	}
	return &c, pdf.PDF, nil
}

// WorkerHelp records a worker's discreet alarm from their private page: a
// supervisors' alert on the timeline of the worker's current employment
// (sent by the notify job), audited with the worker as the actor, and an
// urgent case. A code whose employment has ended opens nothing
// (ENOTFOUND, see workerByCode). A second press while the
// first alert is still unsent adds nothing.
func (db *DB) WorkerHelp(ctx context.Context, code string) error {
	return translate(db.tx(ctx, func(tx *gorm.DB) error {
		w, e, err := workerByCode(tx, code)
		if err != nil {
			return err
		}
		var pending int64
		if err := tx.Model(&models.TimelineEvent{}).Where("employment_id = ? AND kind = ? AND notified_at IS NULL",
			e.ID, models.EventWorkerHelp).Count(&pending).Error; err != nil {
			return err
		}
		if pending > 0 {
			return nil
		}
		ev := models.TimelineEvent{ID: models.NewID(), EmploymentID: e.ID, MissionID: e.MissionID,
			Kind: models.EventWorkerHelp, Notify: models.NotifySupervisors, Data: models.StringMap{"source": "worker_page"},
			CreatedAt: db.now()}
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
		if err := db.audit(workerActor(ctx, w.ID), tx, models.ActionCreate, "timeline_event", ev.ID, models.EventWorkerHelp); err != nil {
			return err
		}
		// The alarm opens an urgent case (or raises the open one), as the
		// registry itself: the worker has no account.
		_, err = db.OpenUrgentCaseTx(models.WithActor(ctx, models.SystemActor("worker_help")), tx,
			models.CaseFlag{EmploymentID: e.ID, Source: models.CaseSourceWorker, Reason: "The worker pressed the help button on their page.", At: ev.CreatedAt})
		return err
	}), "page")
}

// SetLanguage sets the console language of the actor's own account.
func (db *DB) SetLanguage(ctx context.Context, lang string) (*models.User, error) {
	defer db.auth.flush() // the cached account carries its language
	lang = strings.TrimSpace(lang)
	if !slices.Contains(models.ConsoleLanguages, lang) {
		return nil, &models.Error{Code: models.EINVALID, Message: "The console has no such language.",
			Fields: map[string]string{"language": "must be one of " + strings.Join(models.ConsoleLanguages, ", ")}}
	}
	a := models.ActorFrom(ctx)
	var u models.User
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", a.UserID).Take(&u).Error; err != nil {
			return err
		}
		u.Language = lang
		if err := tx.Model(&u).UpdateColumn("language", lang).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionUpdate, "user", u.ID, "language")
	})
	return &u, translate(err, "user")
}
