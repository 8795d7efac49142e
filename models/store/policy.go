package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// policyInForce returns the newest version effective on the given date.
func policyInForce(q *gorm.DB, on models.Date) (*models.Policy, error) {
	var p models.Policy
	err := q.Where("effective_from <= ?", on).Order("effective_from DESC, version DESC").Take(&p).Error
	return &p, translate(err, "policy")
}

// PolicyInForce returns the policy version in force on a date (ENOTFOUND
// when none is).
func (db *DB) PolicyInForce(ctx context.Context, on models.Date) (*models.Policy, error) {
	return policyInForce(db.read(ctx), on)
}

// FindPolicyByID returns one policy version.
func (db *DB) FindPolicyByID(ctx context.Context, id string) (*models.Policy, error) {
	var p models.Policy
	err := db.read(ctx).Where("id = ?", id).Take(&p).Error
	return &p, translate(err, "policy")
}

// FindPolicies returns one page of policy versions, oldest first.
func (db *DB) FindPolicies(ctx context.Context, pg models.Page) ([]models.Policy, string, error) {
	out, next, err := page(db.read(ctx).Model(&models.Policy{}), pg, func(p *models.Policy) string { return p.ID })
	return out, next, translate(err, "policy")
}

// CreatePolicy stores a new policy version (the next version number). Old
// versions are never changed: employments keep the version they were
// checked against.
func (db *DB) CreatePolicy(ctx context.Context, p *models.Policy) error {
	p.ID = models.NewID()
	return translate(db.tx(ctx, func(tx *gorm.DB) error {
		var last int
		if err := tx.Model(&models.Policy{}).Select("COALESCE(MAX(version), 0)").Scan(&last).Error; err != nil {
			return err
		}
		p.Version = last + 1
		if err := tx.Create(p).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionCreate, "policy", p.ID, p.Name)
	}), "policy")
}
