package api

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// parseICS reads an iCalendar file back: every line ends in CRLF and is at
// most 75 octets; folded lines are unfolded; it returns the VEVENTs as
// property maps (names without parameters) and fails on anything else.
func parseICS(t *testing.T, raw []byte) []map[string]string {
	t.Helper()
	s := string(raw)
	if !strings.HasSuffix(s, "\r\n") {
		t.Fatalf("iCalendar does not end in CRLF")
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line longer than 75 octets: %q", l)
		}
		if strings.HasPrefix(l, " ") && len(lines) > 0 {
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	if len(lines) < 2 || lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
		t.Fatalf("not a VCALENDAR: %q", lines)
	}
	var events []map[string]string
	var cur map[string]string
	for _, l := range lines[1 : len(lines)-1] {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("bad line %q", l)
		}
		name, _, _ = strings.Cut(name, ";")
		switch {
		case l == "BEGIN:VEVENT":
			cur = map[string]string{}
		case l == "END:VEVENT":
			events = append(events, cur)
			cur = nil
		case cur != nil:
			cur[name] = strings.NewReplacer(`\n`, "\n", `\,`, ",", `\;`, ";", `\\`, `\`).Replace(value)
		}
	}
	return events
}

// TestAPI_AppointmentICS: the office's staff get the kind and the worker's
// name, the own mission the logistics only, another mission nothing; the
// time is the slot's, in UTC.
func TestAPI_AppointmentICS(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := e.appointment()
		appt := e.must(200, "officer", "GET", "/api/v1/appointments/"+id, nil)
		start, err := time.Parse(time.RFC3339, appt.str("starts_at"))
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/appointments/" + id + "/ics"

		r := e.must(200, "officer", "GET", path, nil)
		if ct := r.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		evs := parseICS(t, r.Raw)
		if len(evs) != 1 {
			t.Fatalf("%d events, want 1", len(evs))
		}
		ev := evs[0]
		if ev["DTSTART"] != start.UTC().Format("20060102T150405Z") || ev["UID"] != id+"@pdw-registry" ||
			!strings.Contains(ev["LOCATION"], appt.str("room")) || ev["STATUS"] != "CONFIRMED" {
			t.Errorf("officer's event %v; slot %s in %s", ev, start, appt.str("room"))
		}
		if ev["SUMMARY"] != "Registration: Worker Test" {
			t.Errorf("officer's summary %q", ev["SUMMARY"])
		}

		mev := parseICS(t, e.must(200, "mission", "GET", path, nil).Raw)[0]
		if mev["DTSTART"] != ev["DTSTART"] || mev["DTEND"] != ev["DTEND"] || mev["LOCATION"] != ev["LOCATION"] {
			t.Errorf("mission's event lacks the logistics: %v", mev)
		}
		all := strings.ToLower(mev["SUMMARY"] + mev["DESCRIPTION"])
		for _, secret := range []string{"worker test", "registration", "tl", "interpreter", "note"} {
			if strings.Contains(all, secret) {
				t.Errorf("mission's event shows %q: %v", secret, mev)
			}
		}
		if !strings.Contains(all, "alone") || !strings.Contains(all, "release") {
			t.Errorf("mission's event does not say the worker comes alone and is released: %v", mev)
		}
		e.must(http.StatusNotFound, "missionB", "GET", path, nil)
		e.must(http.StatusForbidden, "auditor", "GET", path, nil)
	})
}

// TestAPI_CalendarFeed: the feed needs a valid token; a new token
// replaces the old; it lists the office's appointments with names.
func TestAPI_CalendarFeed(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env) {
		id := e.appointment()
		e.must(http.StatusUnauthorized, "", "GET", "/api/v1/calendar.ics", nil)
		e.must(http.StatusUnauthorized, "", "GET", "/api/v1/calendar.ics?token=pdwcal_wrong", nil)
		e.must(http.StatusForbidden, "mission", "POST", "/api/v1/calendar/token", nil)

		first := e.must(201, "officer", "POST", "/api/v1/calendar/token", nil).str("token")
		if !strings.HasPrefix(first, "pdwcal_") {
			t.Fatalf("token %q", first)
		}
		r := e.must(200, "", "GET", "/api/v1/calendar.ics?token="+first, nil)
		evs := parseICS(t, r.Raw)
		found := false
		for _, ev := range evs {
			if ev["UID"] == id+"@pdw-registry" {
				found = ev["SUMMARY"] == "Registration: Worker Test"
			}
		}
		if !found {
			t.Errorf("feed lacks appointment %s with its worker: %s", id, r.Raw)
		}
		second := e.must(201, "officer", "POST", "/api/v1/calendar/token", nil).str("token")
		e.must(http.StatusUnauthorized, "", "GET", "/api/v1/calendar.ics?token="+first, nil)
		e.must(200, "", "GET", "/api/v1/calendar.ics?token="+second, nil)
		if strings.Contains(string(e.must(200, "officer", "GET", "/api/v1/tokens", nil).Raw), second) {
			t.Error("the calendar token's secret is listed")
		}
	})
}

// TestICSLine_Folding: long UTF-8 values fold at 75 octets between
// characters, and escaping survives the round trip.
func TestICSLine_Folding(t *testing.T) {
	summary := "Check-in: " + strings.Repeat("ተስፋዬ ገብረ; Ngô Thị, ", 8) + `back\slash` + "\nline"
	raw := icsCalendar("x", func(b *bytes.Buffer) {
		icsLine(b, "BEGIN", "VEVENT")
		icsLine(b, "SUMMARY", icsText(summary))
		icsLine(b, "END", "VEVENT")
	})
	if !utf8.Valid(raw) {
		t.Fatal("folding split a UTF-8 sequence")
	}
	for _, l := range strings.Split(string(raw), "\r\n") {
		if !utf8.ValidString(l) {
			t.Errorf("line %q is not valid UTF-8 on its own", l)
		}
	}
	if got := parseICS(t, raw)[0]["SUMMARY"]; got != summary {
		t.Errorf("summary round trip:\n got %q\nwant %q", got, summary)
	}
}
