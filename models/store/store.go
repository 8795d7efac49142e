// Package store is the registry's data layer: GORM over PostgreSQL or a
// pure-Go SQLite file. Every method that changes something runs in one
// transaction, scopes reads and writes to the actor in the context (a
// mission user sees only its own mission), appends the audit trail in the
// same transaction as the change (reads of personal data are recorded
// through a group commit before they return: auditgroup.go), and turns
// database errors into models error codes.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/keyring"
)

// DefaultSQLitePath is where the embedded database lives when
// PDW_DATABASE_URL is not set.
const DefaultSQLitePath = "./pdw-data/pdw.db"

// DB is the registry's database handle.
type DB struct {
	gdb     *gorm.DB
	sqlDB   *sql.DB
	dialect string
	// Now is the clock; tests replace it.
	Now func() time.Time
	// Calendar is the office's calendar, in which appointments are placed
	// (default: models.DefaultCalendar in UTC). Set it before use.
	Calendar *models.Calendar
	// Outbox, when set, inserts the jobs (reminders) that placing
	// appointments causes, in the placing transaction.
	Outbox Outbox
	// keys seal interviews and notes (WithKeyring).
	keys *keyring.Ring
	// auth caches checked credentials for AuthCacheTTL.
	auth authCache
	// lockSalt makes the advisory lock keys this schema's (see lockKey).
	lockSalt int64
	// group commits the audit events of reads together (auditNow).
	group auditGroup
	// planVacuumAfter: see vacuumPlanQueue.
	planVacuumAfter int
}

// IsPostgres reports whether url names a PostgreSQL server rather than a SQLite file.
func IsPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// Open connects to url: PostgreSQL for postgres:// URLs, otherwise a SQLite
// file at url (or DefaultSQLitePath when url is empty), its directory
// created. It does not migrate: call Migrate or CheckSchema. Options
// give it data keys (WithKeyring).
func Open(ctx context.Context, url string, opts ...Option) (*DB, error) {
	db := &DB{Now: time.Now, Calendar: models.DefaultCalendar(time.UTC), group: newAuditGroup(), planVacuumAfter: planVacuumAfter}
	for _, o := range opts {
		o(db)
	}
	cfg := &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true,
		// SQL is never logged: statements carry personal data as arguments.
		Logger:  logger.Discard,
		NowFunc: func() time.Time { return db.Now().UTC().Truncate(time.Microsecond) },
	}
	var dialector gorm.Dialector
	if IsPostgres(url) {
		db.dialect = migrations.Postgres
		dialector = postgres.Open(url)
	} else {
		db.dialect = migrations.SQLite
		dsn, err := sqliteDSN(url)
		if err != nil {
			return nil, err
		}
		dialector = sqlite.Open(dsn)
	}
	gdb, err := gorm.Open(dialector, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", db.dialect, err)
	}
	sqlDB, err := gdb.DB()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if db.dialect == migrations.SQLite {
		// One connection shared by every user of the file (GORM, River):
		// SQLite has one writer, and a second connection only adds SQLITE_BUSY.
		sqlDB.SetMaxOpenConns(1)
	} else {
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(32)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	db.gdb, db.sqlDB = gdb, sqlDB
	if err := db.Ping(ctx); err != nil {
		sqlDB.Close()
		return nil, err
	}
	if db.dialect == migrations.Postgres {
		// Advisory locks are per database, not per schema: registries in
		// different schemas of one database (test suites running side by
		// side) take different keys, so they never wait on each other.
		var schema string
		if err := gdb.WithContext(ctx).Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
			sqlDB.Close()
			return nil, fmt.Errorf("store: %w", err)
		}
		if schema != "public" {
			h := fnv.New64a()
			h.Write([]byte(schema))
			db.lockSalt = int64(h.Sum64())
		}
	}
	return db, nil
}

// lockKey is the advisory lock key of this registry for key.
func (db *DB) lockKey(key int64) int64 { return key ^ db.lockSalt }

// SQLitePath returns the file of a SQLite database URL (DefaultSQLitePath
// for ""); its directory is the data directory.
func SQLitePath(url string) string {
	path := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite://"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		path = DefaultSQLitePath
	}
	return path
}

func sqliteDSN(url string) (string, error) {
	path := SQLitePath(url)
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return "", fmt.Errorf("store: create data directory: %w", err)
		}
	}
	// In a file: URI, "#" would end the path (a test named "x#01" would
	// share the file "x") and "%" starts an escape: escape both.
	return "file:" + strings.NewReplacer("%", "%25", "#", "%23").Replace(path) +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=foreign_keys(1)&_txlock=immediate", nil
}

// insertRows returns how many rows of columns columns one multi-row INSERT
// should carry. The SQLite driver binds each parameter by a linear search
// through all of a statement's arguments, so a statement's cost grows with
// the square of its parameters: SQLite statements stay near sqliteParams.
// PostgreSQL takes up to 65,535 parameters.
func (db *DB) insertRows(columns int) int {
	if db.dialect == migrations.SQLite {
		return max(1, sqliteParams/columns)
	}
	return min(1000, 65535/columns)
}

// sqliteParams is the parameter budget of one SQLite statement (see insertRows).
const sqliteParams = 256

// Dialect returns migrations.Postgres or migrations.SQLite.
func (db *DB) Dialect() string { return db.dialect }

// SQL returns the underlying pool, for the job engine and migrations.
func (db *DB) SQL() *sql.DB { return db.sqlDB }

// Close closes the pool.
func (db *DB) Close() error {
	db.stopAuditGroup()
	return db.sqlDB.Close()
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := db.sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("store: database unreachable: %w", err)
	}
	return nil
}

// Migrate applies pending migrations and returns how many ran.
func (db *DB) Migrate(ctx context.Context) (int, error) {
	return migrations.Apply(ctx, db.sqlDB, db.dialect)
}

// CheckSchema returns migrations.ErrSchemaOld (wrapped) when migrations are pending.
func (db *DB) CheckSchema(ctx context.Context) error {
	return migrations.Check(ctx, db.sqlDB, db.dialect)
}

func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

// tx runs fn in one transaction with ctx attached.
func (db *DB) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return db.gdb.WithContext(ctx).Transaction(fn)
}

// Transaction runs fn in one transaction. It exists for the job engine,
// which must insert a job in the same transaction as the change that causes
// it (SQLTx gives River's InsertTx the transaction); the registry's own
// changes go through the store's methods, which scope, validate and audit.
// On SQLite, fn must use only tx: the one connection is tx's until it ends.
func (db *DB) Transaction(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return db.tx(ctx, fn)
}

// SQLTx returns the database/sql transaction under a GORM transaction (as
// given to fn by Transaction), for River's InsertTx.
func SQLTx(tx *gorm.DB) (*sql.Tx, error) {
	switch c := tx.Statement.ConnPool.(type) {
	case *sql.Tx:
		return c, nil
	case *gorm.PreparedStmtTX:
		if t, ok := c.Tx.(*sql.Tx); ok {
			return t, nil
		}
	}
	return nil, errors.New("store: not inside a transaction")
}

// read runs fn on a context-bound session outside an explicit transaction.
func (db *DB) read(ctx context.Context) *gorm.DB { return db.gdb.WithContext(ctx) }

// translate turns a database error into a models error code; nil stays nil
// and *models.Error passes through.
func translate(err error, object string) error {
	var me *models.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &me):
		return err
	case errors.Is(err, gorm.ErrRecordNotFound):
		return models.NotFound(object)
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return models.Errorf(models.ECONFLICT, "This conflicts with an existing %s (a value that must be unique is taken).", object)
	case errors.Is(err, gorm.ErrForeignKeyViolated):
		return models.Errorf(models.ECONFLICT, "The %s refers to or is referred to by another record.", object)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return fmt.Errorf("store: %s: %w", object, err)
}

// ExecRaw runs one SQL statement outside the data layer's rules. It exists
// for administration (creating a schema) and for tests that tamper with
// rows by hand; the application never calls it.
func (db *DB) ExecRaw(ctx context.Context, sql string, args ...any) error {
	return db.gdb.WithContext(ctx).Exec(sql, args...).Error
}
