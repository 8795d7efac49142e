package api

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"testing"

	"github.com/pdw-registry/pdw/models"
)

// TestAPI_ListEmploymentsSummaries checks the employments list: summary
// rows (no terms) with the employment's own values, keyset pages, the
// mission scope, and bytes that encoding/json would write the same.
func TestAPI_ListEmploymentsSummaries(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		var ids []string
		for range 3 {
			ids = append(ids, e.approvedEmployment())
		}
		arrived := ids[1]
		e.must(200, "officer", "PATCH", "/api/v1/employments/"+arrived, map[string]any{"arrival_date": "2026-05-04"})
		slices.Sort(ids)
		base := "/api/v1/employments?mission_id=" + e.missionA.ID

		// Two pages of two, through the cursor.
		var items []map[string]any
		path := base + "&limit=2"
		for pages := 0; path != ""; pages++ {
			if pages > 2 {
				t.Fatal("pagination does not end")
			}
			r := e.must(200, "officer", "GET", path, nil)
			if ct := r.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if cl := r.Header.Get("Content-Length"); cl != strconv.Itoa(len(r.Raw)) {
				t.Errorf("Content-Length %q for %d bytes", cl, len(r.Raw))
			}
			checkSameAsEncodingJSON(t, r.Raw)
			for _, it := range r.Body["items"].([]any) {
				items = append(items, it.(map[string]any))
			}
			path = ""
			if next, ok := r.Body["next"].(string); ok {
				path = base + "&limit=2&after=" + next
			} else if r.Body["next"] != nil {
				t.Fatalf("next %v", r.Body["next"])
			}
		}
		var got []string
		for _, it := range items {
			got = append(got, it["id"].(string))
		}
		if !slices.Equal(got, ids) {
			t.Fatalf("listed %v, want %v", got, ids)
		}

		wantKeys := []string{"arrival_date", "currency", "departure_date", "employer_id", "end_date", "id",
			"id_card_expiry", "mission_id", "monthly_net_wage", "start_date", "status", "weekly_hours", "worker_id"}
		for _, it := range items {
			if keys := slices.Sorted(maps.Keys(it)); !slices.Equal(keys, wantKeys) {
				t.Fatalf("summary keys %v, want %v", keys, wantKeys)
			}
			one := e.must(200, "officer", "GET", "/api/v1/employments/"+it["id"].(string), nil).Body
			terms := one["terms"].(map[string]any)
			for k, want := range map[string]any{"mission_id": one["mission_id"], "employer_id": one["employer_id"],
				"worker_id": one["worker_id"], "status": one["status"], "start_date": one["start_date"],
				"arrival_date": one["arrival_date"], "end_date": one["end_date"], "id_card_expiry": one["id_card_expiry"],
				"monthly_net_wage": terms["monthly_net_wage"], "currency": terms["currency"], "weekly_hours": terms["weekly_hours"]} {
				if it[k] != want {
					t.Errorf("%s: %s = %v, the employment has %v", it["id"], k, it[k], want)
				}
			}
		}
		if got := items[slices.Index(ids, arrived)]["arrival_date"]; got != "2026-05-04" {
			t.Errorf("arrival_date %v, want 2026-05-04", got)
		}

		// The mission scope: a focal point lists its own mission only.
		for _, tc := range []struct {
			who, path string
			want      int
		}{
			{"mission", "/api/v1/employments", 3},
			{"mission", base, 3},
			{"missionB", "/api/v1/employments", 0},
			{"missionB", base, 0},
			{"officer", "/api/v1/employments?mission_id=" + e.missionB.ID, 0},
			{"officer", base + "&status=approved&limit=50", 3},
			{"officer", base + "&status=active", 0},
		} {
			r := e.must(200, tc.who, "GET", tc.path, nil)
			if n := len(r.Body["items"].([]any)); n != tc.want {
				t.Errorf("%s %s: %d items, want %d", tc.who, tc.path, n, tc.want)
			}
			checkSameAsEncodingJSON(t, r.Raw)
		}
	})
}

// checkSameAsEncodingJSON fails unless raw reads strictly as a page of
// summaries and json.Marshal writes that page back byte for byte.
func checkSameAsEncodingJSON(t *testing.T, raw []byte) {
	t.Helper()
	var page listBody[models.EmploymentSummary]
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&page); err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	next := ""
	if page.Next != nil {
		next = *page.Next
	}
	again, err := json.Marshal(list(page.Items, next))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, raw) {
		t.Fatalf("list body\n got %s\nwant %s", raw, again)
	}
}
