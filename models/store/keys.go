package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/keyring"
)

// RotateResult counts what RotateKeys did in one sealed column.
type RotateResult struct {
	Column string `json:"column"` // table.column
	// Resealed values were sealed under an older key (or, in a column that
	// predates sealing, stored in plain text) and are now sealed under the
	// current key; Current ones already were.
	Resealed int `json:"resealed"`
	Current  int `json:"current"`
}

// DefaultRotateBatch is how many rows RotateKeys re-seals per transaction.
const DefaultRotateBatch = 500

// RotateKeys re-seals every sealed column's values under the keyring's
// current key, batch rows per transaction (each batch audited with one
// update event per row re-sealed), walking each table in id order. It is
// idempotent: values already under the current key are left alone, so a
// run that stops half-way is finished by running it again. A value that
// does not open (a key missing from the ring, a tampered value) stops it
// with an error naming the column and row; nothing of the failing batch is
// written. It is for the system actor (the command line).
func (db *DB) RotateKeys(ctx context.Context, batch int) ([]RotateResult, error) {
	if models.ActorFrom(ctx).Role != models.RoleSystem {
		return nil, models.Errorf(models.EFORBIDDEN, "Keys are rotated from the command line.")
	}
	if db.keys == nil {
		return nil, errNoKey()
	}
	if batch <= 0 {
		batch = DefaultRotateBatch
	}
	current := db.keys.Current()
	var out []RotateResult
	for _, col := range sealedColumns {
		res := RotateResult{Column: col.table + "." + col.column}
		after := ""
		for {
			var rows []struct{ ID, Value string }
			var done bool
			err := db.tx(ctx, func(tx *gorm.DB) error {
				err := tx.Table(col.table).Select("id", col.column+" AS value").
					Where("id > ? AND "+col.column+" <> ''", after).Order("id").Limit(batch).Scan(&rows).Error
				if err != nil {
					return err
				}
				done = len(rows) < batch
				var entries []auditEntry
				for _, r := range rows {
					if kid, ok := keyring.KeyID(r.Value); ok && kid == current {
						res.Current++
						continue
					}
					plain, err := db.unseal(col.table, col.column, r.ID, r.Value)
					if err != nil {
						return fmt.Errorf("%s.%s of row %s: %w", col.table, col.column, r.ID, err)
					}
					sealed, err := db.seal(col.table, col.column, r.ID, plain)
					if err != nil {
						return err
					}
					if err := tx.Table(col.table).Where("id = ?", r.ID).Update(col.column, sealed).Error; err != nil {
						return err
					}
					res.Resealed++
					entries = append(entries, auditEntry{models.ActionUpdate, singular(col.table), r.ID, col.column + ",rekey"})
				}
				return db.auditMany(ctx, tx, entries)
			})
			if err != nil {
				return out, err
			}
			if len(rows) > 0 {
				after = rows[len(rows)-1].ID
			}
			if done {
				break
			}
		}
		out = append(out, res)
	}
	return out, nil
}

func singular(table string) string { return table[:len(table)-1] }
