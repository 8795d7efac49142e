package api

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pdw-registry/pdw/models/store/storetest"
)

// BenchmarkAPI_ListEmployments serves one 50-row page of employments (the
// list scenario of bench/run.sh: ?mission_id=X&limit=50) through the whole
// handler chain, as an officer with an API token, on each database. The
// loop does not decode the response: it measures the server's work only.
//
//	go test -run '^$' -bench ListEmployments ./api
func BenchmarkAPI_ListEmployments(b *testing.B) {
	for _, dialect := range storetest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			e := newEnv(b, storetest.Open(b, dialect))
			for range 60 {
				e.approvedEmployment()
			}
			path := "/api/v1/employments?limit=50&mission_id=" + e.missionA.ID
			if r := e.must(200, "officer", "GET", path, nil); len(r.Body["items"].([]any)) != 50 {
				b.Fatalf("page of %d", len(r.Body["items"].([]any)))
			}
			benchGET(b, e, path)
		})
	}
}

// benchGET serves GET path as the officer (API token) through the whole
// handler chain, once per iteration, failing on any status but 200. The
// request and recorder are made anew each time, as net/http would.
func benchGET(b *testing.B, e *env, path string) {
	h := e.srv.Handler()
	auth := "Bearer " + e.tokens["officer"]
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", auth)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
