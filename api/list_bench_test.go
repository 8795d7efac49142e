package api

import (
	"testing"

	"github.com/pdw-registry/pdw/models/store/storetest"
)

// BenchmarkAPI_ListEmployments serves one 50-row page of employments (the
// list scenario of bench/run.sh) through the whole handler chain, as an
// officer with an API token, on each database.
//
//	go test -run '^$' -bench ListEmployments ./api
func BenchmarkAPI_ListEmployments(b *testing.B) {
	for _, dialect := range storetest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			e := newEnv(b, storetest.Open(b, dialect))
			for range 60 {
				e.approvedEmployment()
			}
			path := "/api/v1/employments?limit=50"
			if r := e.must(200, "officer", "GET", path, nil); len(r.Body["items"].([]any)) != 50 {
				b.Fatalf("page of %d", len(r.Body["items"].([]any)))
			}
			b.ReportAllocs()
			for b.Loop() {
				e.do("officer", "GET", path, nil)
			}
		})
	}
}
