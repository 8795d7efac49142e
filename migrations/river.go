package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// The job engine (River) keeps its queue in tables of its own (river_job,
// river_leader, river_migration, …). It ships and versions their SQL for
// each dialect; Apply and Check run it beside the registry's own migrations
// so that one command brings the whole schema up to date.

// riverDriver returns River's driver for the dialect over db, the same pool
// the registry uses (River needs no connection of its own to migrate).
func riverDriver(db *sql.DB, dialect string) (riverdriver.Driver[*sql.Tx], error) {
	switch dialect {
	case Postgres:
		return riverdatabasesql.New(db), nil
	case SQLite:
		return riversqlite.New(db), nil
	}
	return nil, fmt.Errorf("migrations: unknown dialect %q", dialect)
}

func riverMigrator(db *sql.DB, dialect string) (*rivermigrate.Migrator[*sql.Tx], error) {
	drv, err := riverDriver(db, dialect)
	if err != nil {
		return nil, err
	}
	// River logs each applied version; Apply reports the count instead.
	m, err := rivermigrate.New(drv, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, fmt.Errorf("migrations: job engine: %w", err)
	}
	return m, nil
}

// applyRiver brings River's tables up to date and returns how many of its
// versions ran.
func applyRiver(ctx context.Context, db *sql.DB, dialect string) (int, error) {
	m, err := riverMigrator(db, dialect)
	if err != nil {
		return 0, err
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, fmt.Errorf("migrations: job engine: %w", err)
	}
	return len(res.Versions), nil
}

// checkRiver returns ErrSchemaOld (wrapped) when River's tables are behind.
func checkRiver(ctx context.Context, db *sql.DB, dialect string) error {
	m, err := riverMigrator(db, dialect)
	if err != nil {
		return err
	}
	res, err := m.Validate(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrations: job engine: %w", err)
	}
	if !res.OK {
		return fmt.Errorf("%w (job engine: %s)", ErrSchemaOld, strings.Join(res.Messages, "; "))
	}
	return nil
}
