package store

import (
	"reflect"
	"strings"
)

// changed lists, comma-separated, the JSON names of the fields an update
// sets (its non-nil pointer fields): the audit trail records which fields
// changed, never their values.
func changed(upd any) string {
	v := reflect.ValueOf(upd)
	t := v.Type()
	var names []string
	for i := 0; i < t.NumField(); i++ {
		f := v.Field(i)
		if f.Kind() != reflect.Pointer || f.IsNil() {
			continue
		}
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name == "" {
			name = t.Field(i).Name
		}
		names = append(names, name)
	}
	return strings.Join(names, ",")
}
