package store

import (
	"errors"
	"fmt"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/keyring"
)

// Option configures Open.
type Option func(*DB)

// WithKeyring gives the store the data keys with which it seals
// interviews' answers, indicators and notes, appointments' outcome notes,
// and the free text of cases, their actions and referrals (see models/keyring). Without one, writing or reading those gives
// EUNAVAILABLE.
func WithKeyring(r *keyring.Ring) Option { return func(db *DB) { db.keys = r } }

// Keyring returns the store's data keys (nil when none was given).
func (db *DB) Keyring() *keyring.Ring { return db.keys }

// sealedColumn is one column whose values are sealed: the table, its
// column and whether values written before sealing existed (plain text,
// read as is and sealed by RotateKeys).
type sealedColumn struct {
	table, column string
	legacyPlain   bool
}

// sealedColumns lists every sealed column, for RotateKeys.
var sealedColumns = []sealedColumn{
	{"appointments", "outcome_note", true},
	{"interviews", "answers", false},
	{"interviews", "indicators", false},
	{"interviews", "notes", false},
	{"cases", "reason", false},
	{"case_actions", "note", false},
	{"referrals", "reason", false},
}

func errNoKey() error {
	return models.Errorf(models.EUNAVAILABLE,
		"No data key is configured (PDW_DATA_KEY or PDW_DATA_KEY_FILE): interviews and notes cannot be written or read.")
}

// additional data binding a sealed value to its row and column.
func sealAD(table, column, id string) []byte { return []byte(table + "." + column + ":" + id) }

// seal encrypts s for the row id's column; "" stays "" (an absent note).
func (db *DB) seal(table, column, id, s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if db.keys == nil {
		return "", errNoKey()
	}
	return db.keys.Seal([]byte(s), sealAD(table, column, id))
}

// unseal decrypts a value sealed by seal for the same row and column. A
// plain value is returned as is only in a column that predates sealing.
func (db *DB) unseal(table, column, id, s string) (string, error) {
	if s == "" {
		return "", nil
	}
	if !keyring.IsSealed(s) {
		for _, c := range sealedColumns {
			if c.table == table && c.column == column && c.legacyPlain {
				return s, nil
			}
		}
		return "", fmt.Errorf("store: %s.%s of %s is not sealed", table, column, id)
	}
	if db.keys == nil {
		return "", errNoKey()
	}
	b, err := db.keys.Open(s, sealAD(table, column, id))
	if err != nil {
		if errors.Is(err, keyring.ErrUnknownKey) {
			return "", models.Errorf(models.EUNAVAILABLE,
				"A stored value is sealed under a data key that PDW_DATA_KEY no longer holds: add the old key after the current one.")
		}
		return "", fmt.Errorf("store: %s.%s of %s: %w", table, column, id, err)
	}
	return string(b), nil
}

// sealRow seals in place the fields (column -> field) of the row id of
// table, and returns a function that puts the plain values back (for
// the caller, after the row is written).
func (db *DB) sealRow(table, id string, fields map[string]*string) (restore func(), err error) {
	plain := make(map[*string]string, len(fields))
	restore = func() {
		for f, v := range plain {
			*f = v
		}
	}
	for col, f := range fields {
		sealed, err := db.seal(table, col, id, *f)
		if err != nil {
			restore()
			return nil, err
		}
		plain[f] = *f
		*f = sealed
	}
	return restore, nil
}

// unsealRow opens in place the sealed fields (column -> field) of the row
// id of table.
func (db *DB) unsealRow(table, id string, fields map[string]*string) error {
	for col, f := range fields {
		v, err := db.unseal(table, col, id, *f)
		if err != nil {
			return err
		}
		*f = v
	}
	return nil
}

// Cases' reasons, actions' notes and referrals' reasons are sealed.

func (db *DB) sealCase(c *models.Case) (func(), error) {
	return db.sealRow("cases", c.ID, map[string]*string{"reason": &c.Reason})
}

func (db *DB) unsealCase(c *models.Case) error {
	return db.unsealRow("cases", c.ID, map[string]*string{"reason": &c.Reason})
}

func (db *DB) unsealActions(acts []models.CaseAction) error {
	for i := range acts {
		if err := db.unsealRow("case_actions", acts[i].ID, map[string]*string{"note": &acts[i].Note}); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) unsealReferral(r *models.Referral) error {
	return db.unsealRow("referrals", r.ID, map[string]*string{"reason": &r.Reason})
}
