// Package storetest opens real, migrated databases for tests: a SQLite file
// always, and a fresh PostgreSQL schema when PDW_TEST_DATABASE_URL is set.
// With PDW_REQUIRE_POSTGRES=1 (as in CI) a missing or unreachable
// PostgreSQL fails the test instead of skipping it.
package storetest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/keyring"
	"github.com/pdw-registry/pdw/models/store"
)

// Now is the fixed clock of test databases.
var Now = time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)

// Dialects returns the database kinds the suite runs on: "sqlite", plus
// "postgres" when PDW_TEST_DATABASE_URL is set or PostgreSQL is required.
func Dialects() []string {
	if os.Getenv("PDW_TEST_DATABASE_URL") != "" || os.Getenv("PDW_REQUIRE_POSTGRES") == "1" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Each runs fn as a subtest once per dialect with a fresh migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a fresh, migrated database of the given dialect, closed and
// dropped when the test ends, with the clock fixed at Now.
func Open(tb testing.TB, dialect string) *store.DB {
	tb.Helper()
	return OpenURL(tb, URL(tb, dialect), store.WithKeyring(Keyring(tb)))
}

// KeyringText is the data key of test databases (PDW_DATA_KEY's form).
const KeyringText = "test:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

// Keyring returns the ring of KeyringText.
func Keyring(tb testing.TB) *keyring.Ring {
	tb.Helper()
	r, err := keyring.Parse(KeyringText)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// OpenURL opens and migrates the database at u (as URL returned it) with
// opts, closed when the test ends, with the clock fixed at Now: a way to
// open one database twice, with different keys.
func OpenURL(tb testing.TB, u string, opts ...store.Option) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), u, opts...)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	db.Now = func() time.Time { return Now }
	if _, err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate %s: %v", db.Dialect(), err)
	}
	return db
}

// URL returns a database URL for a fresh, empty database of the dialect: a
// SQLite file in a temporary directory, or a new PostgreSQL schema (dropped
// at cleanup) selected through search_path.
func URL(tb testing.TB, dialect string) string {
	tb.Helper()
	if dialect == "sqlite" {
		return filepath.Join(tb.TempDir(), "pdw.db")
	}
	base := os.Getenv("PDW_TEST_DATABASE_URL")
	if base == "" {
		if os.Getenv("PDW_REQUIRE_POSTGRES") == "1" {
			tb.Fatal("PDW_REQUIRE_POSTGRES=1 but PDW_TEST_DATABASE_URL is not set")
		}
		tb.Skip("PostgreSQL tests skipped: set PDW_TEST_DATABASE_URL=postgres://... to run them")
	}
	admin, err := store.Open(context.Background(), base)
	if err != nil {
		if os.Getenv("PDW_REQUIRE_POSTGRES") == "1" {
			tb.Fatalf("PostgreSQL required but unreachable: %v", err)
		}
		tb.Skipf("PostgreSQL unreachable, skipped: %v", err)
	}
	schema := "t_" + strings.ReplaceAll(models.NewID(), "-", "")
	if err := admin.ExecRaw(context.Background(), "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		tb.Fatalf("create schema: %v", err)
	}
	tb.Cleanup(func() {
		_ = admin.ExecRaw(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	pu, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("PDW_TEST_DATABASE_URL: %v", err)
	}
	q := pu.Query()
	q.Set("search_path", schema)
	pu.RawQuery = q.Encode()
	return pu.String()
}

// MustExec runs raw SQL on db, for tests that tamper with rows by hand.
func MustExec(tb testing.TB, db *store.DB, sql string, args ...any) {
	tb.Helper()
	if err := db.ExecRaw(context.Background(), sql, args...); err != nil {
		tb.Fatalf("exec %q: %v", sql, err)
	}
}

// Describe names the database in failure messages.
func Describe(db *store.DB) string { return fmt.Sprintf("%s database", db.Dialect()) }

// LoadPreset stores the named policy preset as a policy version.
func LoadPreset(tb testing.TB, db *store.DB, name string) *models.Policy {
	tb.Helper()
	in, err := models.Preset(name)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := in.Policy()
	if err != nil {
		tb.Fatalf("preset %s: %v", name, err)
	}
	ctx := models.WithActor(context.Background(), models.SystemActor("test"))
	if err := db.CreatePolicy(ctx, p); err != nil {
		tb.Fatal(err)
	}
	return p
}
