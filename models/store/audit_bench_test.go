package store_test

import (
	"testing"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// BenchmarkFindWorkerByIDParallel reads one worker (an audited read of
// personal data) from 64 goroutines at once, as the API does under load:
// the audit chain admits one append at a time, so this measures how well
// the reads share their appends (the group commit).
func BenchmarkFindWorkerByIDParallel(b *testing.B) {
	for _, dialect := range storetest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			h := storetest.NewHousehold(b, db)
			e := h.Employment(b, storetest.Date("2026-11-02"), models.EmploymentUpdate{}, "tl")
			b.SetParallelism(32) // 32 x GOMAXPROCS goroutines
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := db.FindWorkerByID(sys(), e.WorkerID); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
