package store

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// adminOnly refuses every actor but admins and the system.
func adminOnly(ctx context.Context) error {
	if r := models.ActorFrom(ctx).Role; r != models.RoleAdmin && r != models.RoleSystem {
		return models.Errorf(models.EFORBIDDEN, "Only an administrator configures referral organisations.")
	}
	return nil
}

// CreateOrganisation validates and stores a referral organisation (admins).
func (db *DB) CreateOrganisation(ctx context.Context, in models.OrganisationInput) (*models.Organisation, error) {
	if err := adminOnly(ctx); err != nil {
		return nil, err
	}
	o, err := in.Organisation()
	if err != nil {
		return nil, err
	}
	o.ID = models.NewID()
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&o).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionCreate, "organisation", o.ID, o.Kind)
	})
	if err != nil {
		return nil, translate(err, "organisation")
	}
	return &o, nil
}

// FindOrganisationByID returns one organisation (the office only).
func (db *DB) FindOrganisationByID(ctx context.Context, id string) (*models.Organisation, error) {
	if err := officeOnly(ctx); err != nil {
		return nil, err
	}
	var o models.Organisation
	err := db.read(ctx).Where("id = ?", id).Take(&o).Error
	return &o, translate(err, "organisation")
}

// FindOrganisations returns one page of organisations (the office only).
func (db *DB) FindOrganisations(ctx context.Context, f models.OrganisationFilter) ([]models.Organisation, string, error) {
	if err := officeOnly(ctx); err != nil {
		return nil, "", err
	}
	q := db.read(ctx).Model(&models.Organisation{})
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Active != nil {
		q = q.Where("active = ?", *f.Active)
	}
	out, next, err := page(q, f.Page, func(o *models.Organisation) string { return o.ID })
	return out, next, translate(err, "organisation")
}

// UpdateOrganisation applies an administrator's change.
func (db *DB) UpdateOrganisation(ctx context.Context, id string, upd models.OrganisationUpdate) (*models.Organisation, error) {
	if err := adminOnly(ctx); err != nil {
		return nil, err
	}
	var o models.Organisation
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.forUpdate(tx).Where("id = ?", id).Take(&o).Error; err != nil {
			return err
		}
		if err := upd.Apply(&o); err != nil {
			return err
		}
		if err := tx.Save(&o).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionUpdate, "organisation", id, strings.Join(upd.Fields(), ","))
	})
	if err != nil {
		return nil, translate(err, "organisation")
	}
	return &o, nil
}

// CreateReferral refers a case that is not closed (ECONFLICT otherwise) to
// an active organisation, with the worker's consent recorded by an enabled
// officer or admin, or, to an emergency organisation only, without
// consent but with a reason (the referral is then flagged emergency).
// EINVALID names consent, consent_recorded_by, reason, case_id or
// organisation_id. The referral goes on the case's timeline and in the
// audit trail, in one transaction.
func (db *DB) CreateReferral(ctx context.Context, in models.ReferralInput) (*models.Referral, error) {
	if err := officeOnly(ctx); err != nil {
		return nil, err
	}
	if err := in.Check(); err != nil {
		return nil, err
	}
	var r models.Referral
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var c models.Case
		if err := db.forUpdate(tx).Where("id = ?", in.CaseID).Take(&c).Error; err != nil {
			if models.ErrorCode(translate(err, "case")) == models.ENOTFOUND {
				return invalidRef("case_id", "case")
			}
			return err
		}
		var o models.Organisation
		if err := tx.Where("id = ?", in.OrganisationID).Take(&o).Error; err != nil {
			if models.ErrorCode(translate(err, "organisation")) == models.ENOTFOUND {
				return invalidRef("organisation_id", "organisation")
			}
			return err
		}
		if !o.Active {
			return &models.Error{Code: models.EINVALID, Message: "The organisation takes no new referrals.",
				Fields: map[string]string{"organisation_id": "is inactive"}}
		}
		emergency, err := in.Decide(&o)
		if err != nil {
			return err
		}
		var recordedBy *string
		if !emergency {
			if err := officeAccount(tx, "consent_recorded_by", in.ConsentRecordedBy); err != nil {
				return err
			}
			v := in.ConsentRecordedBy
			recordedBy = &v
		}
		if c.Status == models.CaseClosed {
			return models.Errorf(models.ECONFLICT, "The case is closed: a new allegation opens a new case.")
		}
		now := db.now()
		r = models.Referral{ID: models.NewID(), CaseID: c.ID, EmploymentID: c.EmploymentID, OrganisationID: o.ID,
			Consent: !emergency, ConsentRecordedBy: recordedBy, Emergency: emergency, Reason: in.Reason,
			ReferredAt: now, CreatedBy: models.ActorFrom(ctx).UserID, CreatedAt: now}
		restore, err := db.sealRow("referrals", r.ID, map[string]*string{"reason": &r.Reason})
		if err != nil {
			return err
		}
		err = tx.Create(&r).Error
		restore()
		if err != nil {
			return err
		}
		data := models.StringMap{"referral_id": r.ID, "organisation_id": o.ID, "organisation_kind": o.Kind,
			"consent": boolText(r.Consent), "emergency": boolText(r.Emergency)}
		if err := db.addActions(ctx, tx, &c, []models.CaseAction{{Kind: models.ActReferral, At: now, Note: r.Reason, Data: data}}); err != nil {
			return err
		}
		if err := tx.Save(&c).Error; err != nil {
			return err
		}
		detail := "consent"
		if emergency {
			detail = "emergency"
		}
		return db.audit(ctx, tx, models.ActionCreate, "referral", r.ID, detail)
	})
	if err != nil {
		return nil, translate(err, "referral")
	}
	return &r, nil
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// FindReferralByID returns one referral and records the read.
func (db *DB) FindReferralByID(ctx context.Context, id string) (*models.Referral, error) {
	if err := officeOnly(ctx); err != nil {
		return nil, err
	}
	var r models.Referral
	err := db.audited(ctx, func(q *gorm.DB) error {
		if err := q.Where("id = ?", id).Take(&r).Error; err != nil {
			return err
		}
		if err := db.unsealReferral(&r); err != nil {
			return err
		}
		return nil
	}, auditEntry{models.ActionRead, "referral", id, ""})
	if err != nil {
		return nil, translate(err, "referral")
	}
	return &r, nil
}

// FindReferrals returns one page of referrals (of one case when
// f.CaseID is set) and records the listing.
func (db *DB) FindReferrals(ctx context.Context, f models.ReferralFilter) ([]models.Referral, string, error) {
	if err := officeOnly(ctx); err != nil {
		return nil, "", err
	}
	var out []models.Referral
	var next string
	err := db.tx(ctx, func(tx *gorm.DB) error {
		q := tx.Model(&models.Referral{})
		if f.CaseID != "" {
			q = q.Where("case_id = ?", f.CaseID)
		}
		var err error
		if out, next, err = page(q, f.Page, func(r *models.Referral) string { return r.ID }); err != nil {
			return err
		}
		for i := range out {
			if err := db.unsealReferral(&out[i]); err != nil {
				return err
			}
		}
		return db.auditListed(ctx, tx, "referral", len(out), func(i int) string { return out[i].ID })
	})
	return out, next, translate(err, "referral")
}

// ExportReferral builds the referral's export (models.ReferralExport) for
// the receiving organisation, office naming the referring office, and
// records the export (a read of the worker's data) in the audit trail.
func (db *DB) ExportReferral(ctx context.Context, id, office string) (*models.ReferralExport, error) {
	if err := officeOnly(ctx); err != nil {
		return nil, err
	}
	var out models.ReferralExport
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var r models.Referral
		if err := tx.Where("id = ?", id).Take(&r).Error; err != nil {
			return err
		}
		var c models.Case
		if err := tx.Where("id = ?", r.CaseID).Take(&c).Error; err != nil {
			return err
		}
		if err := db.unsealReferral(&r); err != nil {
			return err
		}
		if err := db.unsealCase(&c); err != nil {
			return err
		}
		var o models.Organisation
		if err := tx.Where("id = ?", r.OrganisationID).Take(&o).Error; err != nil {
			return err
		}
		var w models.Worker
		err := tx.Select("id", "date_of_birth", "sex", "nationality", "languages").
			Where("id = (SELECT worker_id FROM employments WHERE id = ?)", r.EmploymentID).Take(&w).Error
		if err != nil {
			return err
		}
		out = models.ExportReferralData(&r, &c, &o, &w, db.Calendar.Today(r.ReferredAt), office, db.now())
		return db.audit(ctx, tx, models.ActionRead, "referral", id, "export")
	})
	if err != nil {
		return nil, translate(err, "referral")
	}
	return &out, nil
}
