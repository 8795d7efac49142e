package store

import "gorm.io/gorm"

// GormForTest exposes the GORM handle to the store's own black-box tests.
func GormForTest(db *DB) *gorm.DB { return db.gdb }
