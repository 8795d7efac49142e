package models

import "database/sql/driver"

// Strings is a list of short strings (languages, duties) stored as a JSON
// array in one text column.
type Strings []string

// Value stores the list as a JSON array ("[]" when empty).
func (s Strings) Value() (driver.Value, error) { return jsonValue(s, "[]") }

// Scan reads a JSON array.
func (s *Strings) Scan(src any) error { return jsonScan(src, s) }
