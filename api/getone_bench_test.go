package api

import (
	"io"
	"log/slog"
	"testing"

	"github.com/pdw-registry/pdw/models/store/storetest"
)

// BenchmarkAPI_GetMission serves GET /api/v1/missions/:id (one record, no
// personal data: the get-mission scenario of bench/run.sh) through the
// whole handler chain, as an officer with an API token, on each database,
// with the JSON access log of `pdw serve` (to io.Discard) and the
// Prometheus metrics on. The response recorder and request are made anew
// for each request, as net/http would.
//
//	go test -run '^$' -bench GetMission -benchmem ./api
func BenchmarkAPI_GetMission(b *testing.B) {
	for _, dialect := range storetest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			e := newEnv(b, storetest.Open(b, dialect))
			opts := testOptions()
			opts.Logger = slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
			e.srv = New(e.db, opts)
			path := "/api/v1/missions/" + e.missionA.ID
			if r := e.must(200, "officer", "GET", path, nil); r.str("id") != e.missionA.ID {
				b.Fatalf("got %s", r.Raw)
			}
			benchGET(b, e, path)
		})
	}
}
