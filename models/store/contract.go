package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// contractable are the statuses whose terms are approved.
var contractable = []string{models.StatusApproved, models.StatusActive}

// CreateContract generates the next contract version of an employment the
// actor may see: it gathers the parties, terms and policy, renders the PDF
// outside any transaction, then stores the version, its bytes and their
// SHA-256 and supersedes the previous version, in one transaction.
// ECONFLICT when the employment's terms are not approved, or when another
// version was generated at the same moment.
func (db *DB) CreateContract(ctx context.Context, employmentID string, render func(models.ContractData) (models.RenderedContract, error)) (*models.ContractVersion, error) {
	var data models.ContractData
	err := db.tx(ctx, func(tx *gorm.DB) error {
		e, err := findEmployment(ctx, tx, employmentID)
		if err != nil {
			return err
		}
		if !slices.Contains(contractable, e.Status) {
			return models.Errorf(models.ECONFLICT, "A contract is generated only from approved terms; this employment is %s.", e.Status)
		}
		data.Employment = *e
		if err := tx.Where("id = ?", e.WorkerID).Take(&data.Worker).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ?", e.EmployerID).Take(&data.Employer).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ?", e.MissionID).Take(&data.Mission).Error; err != nil {
			return err
		}
		if err := tx.Where("id = ?", e.PolicyID).Take(&data.Policy).Error; err != nil {
			return err
		}
		var last int
		if err := tx.Model(&models.ContractVersion{}).Where("employment_id = ?", e.ID).
			Select("COALESCE(MAX(version), 0)").Scan(&last).Error; err != nil {
			return err
		}
		data.Version = last + 1
		return nil
	})
	if err != nil {
		return nil, translate(err, "employment")
	}
	data.VerifyCode = models.NewVerifyCode()
	data.IssuedAt = db.now()
	if len(data.Employment.Terms.ContractLanguages) < 2 {
		return nil, &models.Error{Code: models.EINVALID, Message: "A contract needs two languages.",
			Fields: map[string]string{"terms.contract_languages": "must name the host language and the worker's language"}}
	}

	doc, err := render(data)
	if err != nil {
		return nil, err
	}
	pdf := doc.PDF
	sum := sha256.Sum256(pdf)
	c := &models.ContractVersion{
		ID: models.NewID(), EmploymentID: data.Employment.ID, MissionID: data.Employment.MissionID,
		PolicyID: data.Policy.ID, Version: data.Version, Status: models.ContractCurrent,
		HostLanguage: data.Employment.Terms.ContractLanguages[0], WorkerLanguage: data.Employment.Terms.ContractLanguages[1],
		HostTextVersion: doc.HostTextVersion, WorkerTextVersion: doc.WorkerTextVersion,
		Terms: data.Employment.Terms, SHA256: hex.EncodeToString(sum[:]), SizeBytes: len(pdf),
		VerifyCode: data.VerifyCode, IssuedAt: data.IssuedAt,
	}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&models.ContractVersion{}).
			Where("employment_id = ? AND status = ?", c.EmploymentID, models.ContractCurrent).
			Updates(map[string]any{"status": models.ContractSuperseded, "updated_at": db.now()})
		if res.Error != nil {
			return res.Error
		}
		if err := tx.Create(c).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return models.Errorf(models.ECONFLICT, "Another contract version was generated at the same moment; reload and try again.")
			}
			return err
		}
		if err := tx.Create(&models.ContractPDF{ContractID: c.ID, PDF: pdf}).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionCreate, "contract", c.ID, "")
	})
	if err != nil {
		return nil, translate(err, "contract")
	}
	return c, nil
}

func findContract(ctx context.Context, q *gorm.DB, id string) (*models.ContractVersion, error) {
	var c models.ContractVersion
	err := scopeMission(ctx, q, "mission_id").Where("id = ?", id).Take(&c).Error
	return &c, translate(err, "contract")
}

// FindContractByID returns a contract version the actor may see.
func (db *DB) FindContractByID(ctx context.Context, id string) (*models.ContractVersion, error) {
	return findContract(ctx, db.read(ctx), id)
}

// FindContracts lists the versions of an employment the actor may see, newest last.
func (db *DB) FindContracts(ctx context.Context, employmentID string) ([]models.ContractVersion, error) {
	if _, err := db.FindEmploymentByID(ctx, employmentID); err != nil {
		return nil, err
	}
	var out []models.ContractVersion
	err := db.read(ctx).Where("employment_id = ?", employmentID).Order("version").Find(&out).Error
	return out, translate(err, "contract")
}

// ContractPDF returns the stored bytes of a contract version the actor may
// see, and records the download in the audit trail.
func (db *DB) ContractPDF(ctx context.Context, id string) (*models.ContractVersion, []byte, error) {
	var (
		c   *models.ContractVersion
		pdf models.ContractPDF
	)
	err := db.audited(ctx, func(q *gorm.DB) error {
		var err error
		if c, err = findContract(ctx, q, id); err != nil {
			return err
		}
		if err := q.Where("contract_id = ?", id).Take(&pdf).Error; err != nil {
			return err
		}
		return nil
	}, auditEntry{models.ActionRead, "contract", id, "pdf"})
	if err != nil {
		return nil, nil, translate(err, "contract")
	}
	return c, pdf.PDF, nil
}

// FindContractByCode returns the contract version with a verification code
// (for the public check: the caller shows nothing personal).
func (db *DB) FindContractByCode(ctx context.Context, code string) (*models.ContractVersion, error) {
	var c models.ContractVersion
	err := db.read(ctx).Where("verify_code = ?", code).Take(&c).Error
	return &c, translate(err, "contract")
}

// CreateSignature records a party's signature on the newest version of a
// contract the actor may see (ECONFLICT on a superseded version or when
// that party has already signed).
func (db *DB) CreateSignature(ctx context.Context, contractID string, in models.SignatureInput) (*models.ContractSignature, error) {
	if err := in.Validate(models.DateOf(db.now())); err != nil {
		return nil, err
	}
	s := &models.ContractSignature{ID: models.NewID(), ContractID: contractID, Party: in.Party,
		SignedOn: *in.SignedOn, Place: in.Place, RecordedBy: models.ActorFrom(ctx).UserID}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		c, err := findContract(ctx, tx, contractID)
		if err != nil {
			return err
		}
		if c.Status != models.ContractCurrent {
			return models.Errorf(models.ECONFLICT, "Signatures are recorded only on the newest version of a contract; version %d is superseded.", c.Version)
		}
		if s.SignedOn.Before(models.DateOf(c.IssuedAt)) {
			return &models.Error{Code: models.EINVALID, Message: "The signature predates the contract.",
				Fields: map[string]string{"signed_on": "must not be before the contract was issued"}}
		}
		if err := tx.Create(s).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return models.Errorf(models.ECONFLICT, "The %s has already signed this version.", in.Party)
			}
			return err
		}
		return db.audit(ctx, tx, models.ActionCreate, "contract_signature", s.ID, c.ID)
	})
	if err != nil {
		return nil, translate(err, "contract")
	}
	return s, nil
}

// FindSignatures lists the signatures of a contract version the actor may see.
func (db *DB) FindSignatures(ctx context.Context, contractID string) ([]models.ContractSignature, error) {
	if _, err := db.FindContractByID(ctx, contractID); err != nil {
		return nil, err
	}
	var out []models.ContractSignature
	err := db.read(ctx).Where("contract_id = ?", contractID).Order("id").Find(&out).Error
	return out, translate(err, "signature")
}

// VerifyContracts re-hashes every stored PDF in batches and returns those
// whose bytes no longer match the hash recorded when they were generated.
func (db *DB) VerifyContracts(ctx context.Context) (bad []models.ContractIntegrity, checked int, err error) {
	after := ""
	for {
		var rows []struct {
			ID      string
			Version int
			SHA256  string `gorm:"column:sha256"`
			PDF     []byte
		}
		err := db.read(ctx).Table("contracts").
			Select("contracts.id, contracts.version, contracts.sha256, contract_pdfs.pdf").
			Joins("JOIN contract_pdfs ON contract_pdfs.contract_id = contracts.id").
			Where("contracts.id > ?", after).Order("contracts.id").Limit(200).Scan(&rows).Error
		if err != nil {
			return nil, checked, translate(err, "contract")
		}
		for _, r := range rows {
			sum := sha256.Sum256(r.PDF)
			if actual := hex.EncodeToString(sum[:]); actual != r.SHA256 {
				bad = append(bad, models.ContractIntegrity{ContractID: r.ID, Version: r.Version, Stored: r.SHA256, Actual: actual})
			}
			checked++
			after = r.ID
		}
		if len(rows) < 200 {
			return bad, checked, nil
		}
	}
}

// AffectedByPolicy checks the current contract of every open employment
// against a policy version and returns those that fall below its floors.
func (db *DB) AffectedByPolicy(ctx context.Context, policyID string) ([]models.AffectedEmployment, error) {
	p, err := db.FindPolicyByID(ctx, policyID)
	if err != nil {
		return nil, err
	}
	out := []models.AffectedEmployment{}
	after := ""
	for {
		var cs []models.ContractVersion
		err := db.read(ctx).Model(&models.ContractVersion{}).
			Joins("JOIN employments ON employments.id = contracts.employment_id").
			Where("contracts.status = ? AND employments.status IN ? AND contracts.id > ?", models.ContractCurrent, models.OpenStatuses, after).
			Order("contracts.id").Limit(500).Find(&cs).Error
		if err != nil {
			return nil, translate(err, "contract")
		}
		for i := range cs {
			if v := models.TermsBelow(cs[i].Terms, p); len(v) > 0 {
				out = append(out, models.AffectedEmployment{EmploymentID: cs[i].EmploymentID, ContractID: cs[i].ID, Version: cs[i].Version, Violations: v})
			}
			after = cs[i].ID
		}
		if len(cs) < 500 {
			return out, nil
		}
	}
}
