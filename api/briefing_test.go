package api

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

var briefingSlot atomic.Int64

// briefingStart returns a distinct free briefing start for each call: a
// 45-minute slot on a weekday from Monday 2026-12-07, two rooms a slot.
func briefingStart() string {
	n := int(briefingSlot.Add(1) - 1)
	day := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*(n/100)+(n/20)%5)
	start := day.Add(9*time.Hour + time.Duration((n%20)/2)*45*time.Minute)
	return start.Format(time.RFC3339)
}

// briefing creates an empty Tagalog briefing for 10 and returns its id.
func (e *env) briefing() string {
	e.t.Helper()
	return e.must(201, "officer", "POST", "/api/v1/briefings",
		map[string]any{"starts_at": briefingStart(), "language": "tl", "capacity": 10}).str("id")
}

func attendees(r response) []any { a, _ := r.Body["attendees"].([]any); return a }

// TestAPI_Briefings: a group briefing books a room for a slot, invites
// workers who speak its language (automatically, up to its capacity, or
// by hand), gives each an appointment in its slot that the mission sees,
// and a cancellation cancels every place.
func TestAPI_Briefings(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		// Three employments of Tagalog speakers, one of a French speaker.
		var tl []string
		for range 3 {
			tl = append(tl, e.approvedEmployment())
		}
		fr := e.approvedEmployment()
		w := e.must(200, "officer", "GET", "/api/v1/employments/"+fr, nil).str("worker_id")
		e.must(200, "officer", "PATCH", "/api/v1/workers/"+w, map[string]any{"languages": []string{"fr"}})

		start := briefingStart()
		b := e.must(201, "officer", "POST", "/api/v1/briefings",
			map[string]any{"starts_at": start, "language": "tl", "capacity": 2, "invite": "auto", "note": "rights"})
		id := b.str("id")
		if got := attendees(b); len(got) != 2 {
			t.Fatalf("auto invitation: %d attendees, want 2 (the capacity): %s", len(got), b.Raw)
		}
		if b.str("room") == "" || b.str("status") != "scheduled" || b.Body["interpreter_needed"] != true {
			t.Errorf("briefing = %s, want a room, scheduled, interpreter needed (the staff speak en and fr)", b.Raw)
		}
		for _, a := range attendees(b) {
			am := a.(map[string]any)
			if am["kind"] != "briefing" || am["starts_at"] != start || am["briefing_id"] != id || am["employment_id"] == fr {
				t.Errorf("attendee %v", am)
			}
		}
		// Full: a third by hand is refused; an unknown or bad id names the field.
		if r := e.do("officer", "POST", "/api/v1/briefings/"+id+"/invitations", map[string]any{"employment_ids": []string{tl[2]}}); r.Status != 409 {
			t.Errorf("invite into a full briefing: %d %s, want 409", r.Status, r.Raw)
		}
		if r := e.do("officer", "POST", "/api/v1/briefings/"+id+"/invitations", map[string]any{"employment_ids": []string{"x"}}); r.field("employment_ids[0]") == "" {
			t.Errorf("bad id: %d %s, want 422 naming employment_ids[0]", r.Status, r.Raw)
		}
		// A second briefing: auto invites only the Tagalog speaker left.
		b2 := e.must(201, "officer", "POST", "/api/v1/briefings",
			map[string]any{"starts_at": briefingStart(), "language": "tl", "capacity": 5, "invite": "auto"})
		if got := attendees(b2); len(got) != 1 || got[0].(map[string]any)["employment_id"] != tl[2] {
			t.Errorf("second briefing attendees = %v, want only %s", got, tl[2])
		}
		// By hand, the French speaker (the officer's choice).
		inv := e.must(201, "officer", "POST", "/api/v1/briefings/"+b2.str("id")+"/invitations", map[string]any{"employment_ids": []string{fr}})
		if got, _ := inv.Body["invited"].([]any); len(got) != 1 {
			t.Errorf("invited = %s", inv.Raw)
		}

		// The mission sees its worker's briefing among its appointments, logistics only.
		l := e.must(200, "mission", "GET", "/api/v1/appointments?kind=briefing", nil)
		items, _ := l.Body["items"].([]any)
		if len(items) != 4 {
			t.Errorf("mission sees %d briefing appointments, want 4", len(items))
		}
		for _, it := range items {
			if _, ok := it.(map[string]any)["briefing_id"]; ok {
				t.Errorf("mission sees office fields: %v", it)
			}
		}
		// A place in a briefing is not rescheduled on its own.
		a0 := attendees(b)[0].(map[string]any)["id"].(string)
		if r := e.do("officer", "PATCH", "/api/v1/appointments/"+a0, map[string]any{"starts_at": "2026-12-08T10:00:00Z", "room": "Room 1", "reason": "x"}); r.Status != 409 {
			t.Errorf("reschedule a briefing place: %d %s, want 409", r.Status, r.Raw)
		}

		// Held only once begun; a cancellation needs its reason and frees every place.
		if r := e.do("officer", "PATCH", "/api/v1/briefings/"+id, map[string]any{"status": "held"}); r.field("status") == "" {
			t.Errorf("held before start: %d %s, want 422 naming status", r.Status, r.Raw)
		}
		if r := e.do("officer", "PATCH", "/api/v1/briefings/"+id, map[string]any{"status": "cancelled"}); r.field("note") == "" {
			t.Errorf("cancel without reason: %d %s, want 422 naming note", r.Status, r.Raw)
		}
		c := e.must(200, "officer", "PATCH", "/api/v1/briefings/"+id, map[string]any{"status": "cancelled", "note": "room flooded"})
		for _, a := range attendees(c) {
			if a.(map[string]any)["status"] != "cancelled" {
				t.Errorf("place after cancellation: %v", a)
			}
		}
		if r := e.do("officer", "POST", "/api/v1/briefings/"+id+"/invitations", map[string]any{"invite": "auto"}); r.Status != 409 {
			t.Errorf("invite to a cancelled briefing: %d, want 409", r.Status)
		}
		// The freed room can take another briefing at the same time.
		e.must(201, "officer", "POST", "/api/v1/briefings", map[string]any{"starts_at": start, "room": c.str("room"), "language": "en", "capacity": 3})

		list := e.must(200, "admin", "GET", "/api/v1/briefings?language=tl&from=2026-12-01&to=2026-12-31", nil)
		if items, _ := list.Body["items"].([]any); len(items) != 2 {
			t.Errorf("list of Tagalog briefings: %s", list.Raw)
		}
	})
}

// TestAPI_BriefingBadInput names the field of every bad input.
func TestAPI_BriefingBadInput(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		ok := func() map[string]any {
			return map[string]any{"starts_at": briefingStart(), "language": "tl", "capacity": 5}
		}
		tests := []struct {
			name   string
			change func(map[string]any)
			field  string
		}{
			{"no start", func(m map[string]any) { delete(m, "starts_at") }, "starts_at"},
			{"past", func(m map[string]any) { m["starts_at"] = "2026-01-05T10:00:00Z" }, "starts_at"},
			{"saturday", func(m map[string]any) { m["starts_at"] = "2026-12-12T10:00:00Z" }, "starts_at"},
			{"evening", func(m map[string]any) { m["starts_at"] = "2026-12-08T18:00:00Z" }, "starts_at"},
			{"room", func(m map[string]any) { m["room"] = "Garden" }, "room"},
			{"language", func(m map[string]any) { m["language"] = "Tagalog please" }, "language"},
			{"no language", func(m map[string]any) { delete(m, "language") }, "language"},
			{"capacity", func(m map[string]any) { m["capacity"] = 0 }, "capacity"},
			{"big", func(m map[string]any) { m["capacity"] = 101 }, "capacity"},
			{"invite", func(m map[string]any) { m["invite"] = "everyone" }, "invite"},
			{"both", func(m map[string]any) {
				m["invite"] = "auto"
				m["employment_ids"] = []string{"01900000-0000-7000-8000-000000000000"}
			}, "employment_ids"},
			{"unknown field", func(m map[string]any) { m["rooms"] = 2 }, "rooms"},
		}
		for _, tt := range tests {
			body := ok()
			tt.change(body)
			r := e.do("officer", "POST", "/api/v1/briefings", body)
			if r.Status != 422 && r.Status != 400 || r.field(tt.field) == "" {
				t.Errorf("%s: %d %s, want 4xx naming %s", tt.name, r.Status, r.Raw, tt.field)
			}
		}
		if r := e.do("officer", "GET", "/api/v1/briefings/"+fmt.Sprint("nope"), nil); r.Status != 400 && r.Status != 404 {
			t.Errorf("bad id: %d", r.Status)
		}
	})
}
