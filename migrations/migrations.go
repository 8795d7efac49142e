// Package migrations holds the versioned SQL schema, one folder per
// dialect, and applies it with goose, followed by the job engine's (River's)
// own migrations. It is the only schema source outside tests: the service
// never calls GORM's AutoMigrate.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// Dialects.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

func provider(db *sql.DB, dialect string) (*goose.Provider, error) {
	var gd goose.Dialect
	switch dialect {
	case Postgres:
		gd = goose.DialectPostgres
	case SQLite:
		gd = goose.DialectSQLite3
	default:
		return nil, fmt.Errorf("migrations: unknown dialect %q", dialect)
	}
	sub, err := fs.Sub(files, dialect)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(gd, db, sub)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// Apply brings the schema up to the newest version, the registry's tables
// and then the job engine's, and returns how many migrations it applied.
func Apply(ctx context.Context, db *sql.DB, dialect string) (int, error) {
	p, err := provider(db, dialect)
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return len(res), fmt.Errorf("migrations: apply: %w", err)
	}
	n, err := applyRiver(ctx, db, dialect)
	return len(res) + n, err
}

// Status returns the schema's current version and the newest version this
// binary knows.
func Status(ctx context.Context, db *sql.DB, dialect string) (current, latest int64, err error) {
	p, err := provider(db, dialect)
	if err != nil {
		return 0, 0, err
	}
	current, err = p.GetDBVersion(ctx)
	if err != nil && !errors.Is(err, goose.ErrNoMigrations) {
		return 0, 0, fmt.Errorf("migrations: status: %w", err)
	}
	srcs := p.ListSources()
	if len(srcs) > 0 {
		latest = srcs[len(srcs)-1].Version
	}
	return current, latest, nil
}

// ErrSchemaOld is returned by Check when migrations are pending.
var ErrSchemaOld = errors.New("migrations: the database schema is older than this binary; run `pdw migrate`")

// Check returns ErrSchemaOld (wrapped with the versions) when the schema is
// behind, the job engine's tables included, and an error when it is ahead
// of this binary.
func Check(ctx context.Context, db *sql.DB, dialect string) error {
	current, latest, err := Status(ctx, db, dialect)
	if err != nil {
		return err
	}
	switch {
	case current < latest:
		return fmt.Errorf("%w (schema version %d, binary expects %d)", ErrSchemaOld, current, latest)
	case current > latest:
		return fmt.Errorf("migrations: the database schema (version %d) is newer than this binary (%d); upgrade pdw", current, latest)
	}
	return checkRiver(ctx, db, dialect)
}
