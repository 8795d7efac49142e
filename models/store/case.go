package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
)

// officeOnly refuses actors other than the protocol office (officers,
// admins) and the system: cases and referrals are never a mission's nor an
// auditor's business.
func officeOnly(ctx context.Context) error {
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		return models.Errorf(models.EFORBIDDEN, "Cases and referrals are for the protocol office only.")
	}
	return nil
}

// forUpdate locks the rows q reads until the transaction ends (PostgreSQL;
// SQLite has one writer anyway).
func (db *DB) forUpdate(q *gorm.DB) *gorm.DB {
	if db.dialect == migrations.Postgres {
		return q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return q
}

// OpenUrgentCaseTx raises an urgent case on an employment inside the
// caller's transaction tx (a critical interview, the worker's help
// action): it opens a case with priority urgent, or, when the employment
// already has a case that is not closed, reuses that case, raises it to
// urgent, adds the flag's indicators to it and records the flag on its
// timeline. It is idempotent per employment: calling it twice leaves one
// open case. The opening or the flag is audited in tx, as the actor in
// ctx. fl.At is the time of the flag (zero: now). Errors: EINVALID for a
// malformed flag or an unknown employment; EFORBIDDEN for an actor that
// is neither the office nor the system.
func (db *DB) OpenUrgentCaseTx(ctx context.Context, tx *gorm.DB, fl models.CaseFlag) (*models.Case, error) {
	if err := officeOnly(ctx); err != nil {
		return nil, err
	}
	if err := fl.Check(); err != nil {
		return nil, err
	}
	at := fl.At
	if at.IsZero() {
		at = db.now()
	}
	c, _, err := db.flagCase(ctx, tx, fl.EmploymentID, fl.Source, fl.Reason, models.PriorityUrgent, fl.Indicators, at.UTC().Truncate(time.Microsecond))
	return c, err
}

// flagCase opens a case on the employment, or adds the flag to its case
// that is not closed; it reports whether it created the case.
func (db *DB) flagCase(ctx context.Context, tx *gorm.DB, employmentID, source, reason, priority string, indicators []string, at time.Time) (*models.Case, bool, error) {
	// Serialise flags per employment: one open case, even under concurrency
	// (the partial unique index cases_one_open backs this up).
	var emp models.Employment
	err := db.forUpdate(tx.Select("id", "mission_id")).Where("id = ?", employmentID).Take(&emp).Error
	if err != nil {
		if models.ErrorCode(translate(err, "employment")) == models.ENOTFOUND {
			return nil, false, invalidRef("employment_id", "employment")
		}
		return nil, false, err
	}
	var open []models.Case
	if err := db.forUpdate(tx).Where("employment_id = ? AND status <> ?", employmentID, models.CaseClosed).
		Limit(1).Find(&open).Error; err != nil {
		return nil, false, err
	}
	a := models.ActorFrom(ctx)
	if len(open) == 1 {
		c := &open[0]
		from := c.Priority
		data := models.StringMap{"source": source}
		if c.Flag(priority, indicators) {
			data["priority_from"], data["priority_to"] = from, c.Priority
		}
		if len(indicators) > 0 {
			data["indicators"] = strings.Join(indicators, ",")
		}
		if err := db.addActions(ctx, tx, c, []models.CaseAction{{Kind: models.ActFlagged, At: at, Note: reason, Data: data}}); err != nil {
			return nil, false, err
		}
		if err := tx.Save(c).Error; err != nil { // the reason as read: sealed
			return nil, false, err
		}
		if err := db.unsealCase(c); err != nil {
			return nil, false, err
		}
		return c, false, db.audit(ctx, tx, models.ActionUpdate, "case", c.ID, "flagged,"+source)
	}
	now := db.now()
	c := &models.Case{ID: models.NewID(), EmploymentID: emp.ID, MissionID: emp.MissionID, Status: models.CaseOpen,
		Priority: priority, Source: source, Reason: reason, Indicators: models.Strings(slices.Clone(indicators)),
		OpenedBy: a.UserID, OpenedAt: at, CreatedAt: now, UpdatedAt: now}
	if c.Indicators == nil {
		c.Indicators = models.Strings{}
	}
	restore, err := db.sealCase(c)
	if err != nil {
		return nil, false, err
	}
	err = tx.Create(c).Error
	restore()
	if err != nil {
		return nil, false, err
	}
	data := models.StringMap{"source": source, "priority": priority}
	if len(indicators) > 0 {
		data["indicators"] = strings.Join(indicators, ",")
	}
	if err := db.addActions(ctx, tx, c, []models.CaseAction{{Kind: models.ActOpened, At: at, Note: reason, Data: data}}); err != nil {
		return nil, false, err
	}
	return c, true, db.audit(ctx, tx, models.ActionCreate, "case", c.ID, source)
}

// addActions stores timeline entries of c as the actor in ctx and sets
// c.FirstActionAt when one of them is the office's first action on the
// case; the caller saves c.
func (db *DB) addActions(ctx context.Context, tx *gorm.DB, c *models.Case, acts []models.CaseAction) error {
	if len(acts) == 0 {
		return nil
	}
	a := models.ActorFrom(ctx)
	now := db.now()
	for i := range acts {
		x := &acts[i]
		x.ID, x.CaseID, x.ActorID, x.ActorRole, x.CreatedAt = models.NewID(), c.ID, a.UserID, a.Role, now
		if x.At.IsZero() {
			x.At = now
		}
		if x.Data == nil {
			x.Data = models.StringMap{}
		}
		if c.FirstActionAt == nil && models.CountsAsAction(x.Kind, a.Role) {
			t := x.At
			c.FirstActionAt = &t
		}
		restore, err := db.sealRow("case_actions", x.ID, map[string]*string{"note": &x.Note})
		if err != nil {
			return err
		}
		defer restore()
	}
	return tx.Create(&acts).Error
}

// CreateCase opens a case by hand (officers, admins) on an employment, or,
// when the employment already has a case that is not closed, adds the
// reason to that case's timeline (raising it to urgent if asked); it
// reports whether it created the case. EINVALID names a bad field or an
// unknown employment_id.
func (db *DB) CreateCase(ctx context.Context, in models.CaseInput) (*models.Case, bool, error) {
	if err := officeOnly(ctx); err != nil {
		return nil, false, err
	}
	if err := in.Check(); err != nil {
		return nil, false, err
	}
	var c *models.Case
	var created bool
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var err error
		c, created, err = db.flagCase(ctx, tx, in.EmploymentID, models.CaseSourceOfficer, in.Reason, in.Priority, nil, db.now())
		return err
	})
	if err != nil {
		return nil, false, translate(err, "case")
	}
	return c, created, nil
}

// FindCaseByID returns a case and its whole timeline, in order, and
// records the read in the audit trail in the same transaction.
func (db *DB) FindCaseByID(ctx context.Context, id string) (*models.Case, []models.CaseAction, error) {
	if err := officeOnly(ctx); err != nil {
		return nil, nil, err
	}
	var c models.Case
	var acts []models.CaseAction
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", id).Take(&c).Error; err != nil {
			return err
		}
		if err := tx.Where("case_id = ?", id).Order("id").Find(&acts).Error; err != nil {
			return err
		}
		if err := db.unsealCase(&c); err != nil {
			return err
		}
		if err := db.unsealActions(acts); err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionRead, "case", id, "")
	})
	if err != nil {
		return nil, nil, translate(err, "case")
	}
	if acts == nil {
		acts = []models.CaseAction{}
	}
	return &c, acts, nil
}

// FindCases returns one page of cases (keyset by id) and records the
// listing, with the ids listed, in the audit trail.
func (db *DB) FindCases(ctx context.Context, f models.CaseFilter) ([]models.Case, string, error) {
	if err := officeOnly(ctx); err != nil {
		return nil, "", err
	}
	var out []models.Case
	var next string
	err := db.tx(ctx, func(tx *gorm.DB) error {
		q := tx.Model(&models.Case{})
		for col, v := range map[string]string{"status": f.Status, "priority": f.Priority, "assigned_to": f.AssignedTo,
			"employment_id": f.EmploymentID} {
			if v != "" {
				q = q.Where(col+" = ?", v)
			}
		}
		var err error
		if out, next, err = page(q, f.Page, func(c *models.Case) string { return c.ID }); err != nil {
			return err
		}
		for i := range out {
			if err := db.unsealCase(&out[i]); err != nil {
				return err
			}
		}
		return db.auditListed(ctx, tx, "case", len(out), func(i int) string { return out[i].ID })
	})
	return out, next, translate(err, "case")
}

// auditListed records a listing of n objects (ids by idOf) in tx; an empty
// page is not recorded.
func (db *DB) auditListed(ctx context.Context, tx *gorm.DB, object string, n int, idOf func(int) string) error {
	if n == 0 {
		return nil
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = idOf(i)
	}
	return db.audit(ctx, tx, models.ActionList, object, "", strings.Join(ids, ","))
}

// officeAccount checks that id is an enabled officer's or admin's account
// (EINVALID naming field otherwise).
func officeAccount(tx *gorm.DB, field, id string) error {
	var u models.User
	err := tx.Select("id", "role", "disabled").Where("id = ?", id).Take(&u).Error
	if err != nil {
		if models.ErrorCode(translate(err, "user")) == models.ENOTFOUND {
			return invalidRef(field, "account")
		}
		return err
	}
	if u.Disabled || (u.Role != models.RoleOfficer && u.Role != models.RoleAdmin) {
		return &models.Error{Code: models.EINVALID, Message: "The account named is not an active officer's or admin's.",
			Fields: map[string]string{field: "must be an enabled officer's or admin's account"}}
	}
	return nil
}

// UpdateCase assigns a case, changes its priority or moves it along its
// life cycle (closing it with an outcome), putting each change and the
// note on its timeline. EINVALID names a bad field (an assignee who is not
// an enabled officer or admin); ECONFLICT for a closed case or a
// transition the life cycle does not allow.
func (db *DB) UpdateCase(ctx context.Context, id string, upd models.CaseUpdate) (*models.Case, error) {
	if err := officeOnly(ctx); err != nil {
		return nil, err
	}
	if err := upd.Check(); err != nil {
		return nil, err
	}
	var c models.Case
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.forUpdate(tx).Where("id = ?", id).Take(&c).Error; err != nil {
			return err
		}
		if upd.AssignedTo != nil && *upd.AssignedTo != "" {
			if err := officeAccount(tx, "assigned_to", *upd.AssignedTo); err != nil {
				return err
			}
		}
		acts, err := upd.Apply(&c, db.now())
		if err != nil {
			return err
		}
		if len(acts) == 0 {
			return nil // nothing changed
		}
		if err := db.addActions(ctx, tx, &c, acts); err != nil {
			return err
		}
		if err := tx.Save(&c).Error; err != nil { // the reason as read: sealed
			return err
		}
		return db.audit(ctx, tx, models.ActionUpdate, "case", id, strings.Join(upd.Fields(), ","))
	})
	if err == nil {
		err = db.unsealCase(&c)
	}
	if err != nil {
		return nil, translate(err, "case")
	}
	return &c, nil
}

// AddCaseAction records an action an officer took on a case that is not
// closed (ECONFLICT otherwise).
func (db *DB) AddCaseAction(ctx context.Context, caseID string, in models.ActionInput) (*models.CaseAction, error) {
	if err := officeOnly(ctx); err != nil {
		return nil, err
	}
	if err := in.Check(); err != nil {
		return nil, err
	}
	var act models.CaseAction
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var c models.Case
		if err := db.forUpdate(tx).Where("id = ?", caseID).Take(&c).Error; err != nil {
			return err
		}
		if c.Status == models.CaseClosed {
			return models.Errorf(models.ECONFLICT, "The case is closed: a new allegation opens a new case.")
		}
		acts := []models.CaseAction{{Kind: in.Kind, Note: in.Note}}
		if err := db.addActions(ctx, tx, &c, acts); err != nil {
			return err
		}
		act = acts[0]
		if err := tx.Save(&c).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionCreate, "case_action", act.ID, in.Kind)
	})
	if err != nil {
		return nil, translate(err, "case")
	}
	return &act, nil
}

// eraseCaseText erases the free text of the cases of the employments ids
// at the end of their retention period: the cases' reasons, the actions'
// notes and the referrals' reasons. The rows stay (kinds, times,
// statuses, outcomes, organisations), so the compliance report's figures
// do not change.
func eraseCaseText(tx *gorm.DB, ids []string, stamp time.Time) error {
	sub := tx.Model(&models.Case{}).Select("id").Where("employment_id IN ?", ids)
	if err := tx.Model(&models.CaseAction{}).Where("case_id IN (?) AND note <> ''", sub).
		Update("note", "").Error; err != nil {
		return err
	}
	if err := tx.Model(&models.Referral{}).Where("employment_id IN ? AND reason <> ''", ids).
		Update("reason", "").Error; err != nil {
		return err
	}
	return tx.Model(&models.Case{}).Where("employment_id IN ? AND reason <> ''", ids).
		Updates(map[string]any{"reason": "", "updated_at": stamp}).Error
}
