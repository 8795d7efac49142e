package store_test

import (
	"sort"
	"strings"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// TestSchema_MatchesModels proves that the migrated schema and the GORM
// models agree: every model field has a column of a compatible type and
// every column has a field.
func TestSchema_MatchesModels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		gdb := store.GormForTest(db)
		for _, m := range store.Models {
			stmt := &gorm.Statement{DB: gdb}
			if err := stmt.Parse(m); err != nil {
				t.Fatalf("parse %T: %v", m, err)
			}
			table := stmt.Schema.Table
			if !gdb.Migrator().HasTable(table) {
				t.Errorf("table %s (model %T) is missing from the migrated schema", table, m)
				continue
			}
			cols, err := gdb.Migrator().ColumnTypes(table)
			if err != nil {
				t.Fatalf("columns of %s: %v", table, err)
			}
			byName := map[string]gorm.ColumnType{}
			for _, c := range cols {
				byName[c.Name()] = c
			}
			fields := map[string]bool{}
			for _, f := range stmt.Schema.Fields {
				if f.DBName == "" {
					continue
				}
				fields[f.DBName] = true
				c, ok := byName[f.DBName]
				if !ok {
					t.Errorf("%s: model field %s has no column %q", table, f.Name, f.DBName)
					continue
				}
				want := fieldKind(f)
				if want == "date" && db.Dialect() == "sqlite" {
					want = "text" // SQLite has no date type: "YYYY-MM-DD" text
				}
				if got := kindOf(c.DatabaseTypeName()); got != want {
					t.Errorf("%s.%s: column type %s (%s), model field %s wants %s", table, f.DBName, c.DatabaseTypeName(), got, f.Name, want)
				}
			}
			var extra []string
			for name := range byName {
				if !fields[name] {
					extra = append(extra, name)
				}
			}
			sort.Strings(extra)
			if len(extra) > 0 {
				t.Errorf("%s: columns %v have no model field", table, extra)
			}
		}
	})
}

// kindOf folds a database type name into a portable kind.
func kindOf(dbType string) string {
	switch t := strings.ToLower(dbType); {
	case strings.Contains(t, "int"):
		return "int"
	case strings.Contains(t, "bool"):
		return "bool"
	case strings.Contains(t, "float"), strings.Contains(t, "double"), t == "real", t == "numeric":
		return "float"
	case strings.Contains(t, "timestamp"), t == "datetime":
		return "time"
	case t == "date":
		return "date"
	default:
		return "text"
	}
}

func fieldKind(f *schema.Field) string {
	if t := f.FieldType.String(); t == "models.Date" || t == "*models.Date" {
		return "date"
	}
	switch f.DataType {
	case schema.Int, schema.Uint:
		return "int"
	case schema.Bool:
		return "bool"
	case schema.Float:
		return "float"
	case schema.Time:
		return "time"
	}
	return "text"
}
