package migrations_test

import (
	"context"
	"errors"
	"testing"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// TestApply_MigratesJobEngine checks that one Apply brings up both the
// registry's tables and River's, that a second Apply does nothing, and
// that Check notices River's tables being behind.
func TestApply_MigratesJobEngine(t *testing.T) {
	for _, dialect := range storetest.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db, err := store.Open(ctx, storetest.URL(t, dialect))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := migrations.Check(ctx, db.SQL(), db.Dialect()); !errors.Is(err, migrations.ErrSchemaOld) {
				t.Fatalf("Check on an empty database = %v, want ErrSchemaOld", err)
			}
			n, err := migrations.Apply(ctx, db.SQL(), db.Dialect())
			if err != nil {
				t.Fatal(err)
			}
			_, latest, err := migrations.Status(ctx, db.SQL(), db.Dialect())
			if err != nil {
				t.Fatal(err)
			}
			if n <= int(latest) {
				t.Errorf("Apply ran %d migrations, want the registry's %d plus River's", n, latest)
			}
			if n, err := migrations.Apply(ctx, db.SQL(), db.Dialect()); err != nil || n != 0 {
				t.Errorf("second Apply = %d, %v; want 0, nil", n, err)
			}
			if err := migrations.Check(ctx, db.SQL(), db.Dialect()); err != nil {
				t.Fatalf("Check after Apply: %v", err)
			}
			for _, table := range []string{"river_job", "river_leader", "river_queue"} {
				storetest.MustExec(t, db, "SELECT COUNT(*) FROM "+table)
			}
			storetest.MustExec(t, db, "DELETE FROM river_migration WHERE version = (SELECT MAX(version) FROM river_migration)")
			if err := migrations.Check(ctx, db.SQL(), db.Dialect()); !errors.Is(err, migrations.ErrSchemaOld) {
				t.Errorf("Check with River's last version missing = %v, want ErrSchemaOld", err)
			}
		})
	}
}
