package models

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseOfficeHours(t *testing.T) {
	tests := []struct {
		in      string
		want    []OfficeHours
		wantErr string
	}{
		{"mon-fri 09:00-17:00", []OfficeHours{{time.Monday, 540, 1020}, {time.Tuesday, 540, 1020}, {time.Wednesday, 540, 1020},
			{time.Thursday, 540, 1020}, {time.Friday, 540, 1020}}, ""},
		{"sat 09:00-12:00, Mon 13:30-17:00,mon 08:00-12:00", []OfficeHours{{time.Monday, 480, 720}, {time.Monday, 810, 1020},
			{time.Saturday, 540, 720}}, ""},
		{"sat-sun 10:00-24:00", []OfficeHours{{time.Sunday, 600, 1440}, {time.Saturday, 600, 1440}}, ""},
		{"", nil, "none given"},
		{"mon", nil, "want DAYS"},
		{"fri-mon 09:00-17:00", nil, "days must be"},
		{"mon 17:00-09:00", nil, "opening time before"},
		{"mon 9:00-17:00", nil, "opening time before"},
		{"mon 09:00-24:01", nil, "opening time before"},
		{"mon 09:00-12:00, mon 11:00-13:00", nil, "overlap on Monday"},
	}
	for _, tt := range tests {
		got, err := ParseOfficeHours(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParseOfficeHours(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseOfficeHours(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseRoomsDatesLanguages(t *testing.T) {
	if got, err := ParseRooms("3"); err != nil || !reflect.DeepEqual(got, []string{"Room 1", "Room 2", "Room 3"}) {
		t.Errorf("ParseRooms(3) = %v, %v", got, err)
	}
	if got, err := ParseRooms(" Blue , Green "); err != nil || !reflect.DeepEqual(got, []string{"Blue", "Green"}) {
		t.Errorf("ParseRooms(names) = %v, %v", got, err)
	}
	for _, bad := range []string{"0", "", "Blue,Blue", " , "} {
		if _, err := ParseRooms(bad); err == nil {
			t.Errorf("ParseRooms(%q) accepted", bad)
		}
	}
	if got, err := ParseDates("2026-12-25, 2026-12-26,"); err != nil || !reflect.DeepEqual(got, []Date{d("2026-12-25"), d("2026-12-26")}) {
		t.Errorf("ParseDates = %v, %v", got, err)
	}
	if _, err := ParseDates("2026-02-30"); err == nil {
		t.Error("ParseDates accepted 2026-02-30")
	}
	if got, err := ParseLanguages("EN, fr"); err != nil || !reflect.DeepEqual(got, []string{"en", "fr"}) {
		t.Errorf("ParseLanguages = %v, %v", got, err)
	}
	if _, err := ParseLanguages("english!"); err == nil {
		t.Error("ParseLanguages accepted english!")
	}
}

func zurich(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	return loc
}

func TestCalendarSlots(t *testing.T) {
	loc := zurich(t)
	c := DefaultCalendar(loc)
	c.Closed = []Date{d("2026-12-25")}
	slots := c.Slots(d("2026-11-02")) // a Monday
	if len(slots) != 10 {
		t.Fatalf("a Monday has %d 45-minute slots from 09:00 to 17:00, want 10: %v", len(slots), slots)
	}
	if first, last := slots[0].Format("15:04 MST"), slots[9].Format("15:04"); first != "09:00 CET" || last != "15:45" {
		t.Errorf("slots run %s to %s, want 09:00 CET to 15:45 (16:30 would end after closing)", first, last)
	}
	for _, closed := range []string{"2026-11-07", "2026-11-08", "2026-12-25"} { // Saturday, Sunday, closed day
		if got := c.Slots(d(closed)); len(got) != 0 {
			t.Errorf("Slots(%s) = %v, want none", closed, got)
		}
	}
	if got := (&Calendar{Location: loc, Hours: c.Hours}).Slots(d("2026-11-02")); len(got) != 0 {
		t.Errorf("a calendar without a slot length has slots: %v", got)
	}
	// Summer time: the same local hours, an hour earlier in UTC.
	if got := c.Slots(d("2026-07-01"))[0].UTC().Format("15:04"); got != "07:00" {
		t.Errorf("first slot on 2026-07-01 at %s UTC, want 07:00", got)
	}
}

func TestBookedPlace(t *testing.T) {
	loc := zurich(t)
	c := DefaultCalendar(loc)
	c.Rooms = []string{"A", "B"}
	c.Closed = []Date{d("2026-11-03")}
	b := c.NewBooked()
	at := func(day, hm string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", day+" "+hm, loc)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	// Room A is taken at 09:00 on Monday by an earlier booking.
	b.Add("A", "", at("2026-11-02", "09:00"), at("2026-11-02", "09:45"))

	start, end, room, _, ok := b.Place(d("2026-11-01"), d("2026-11-06"), d("2026-10-30"), nil)
	if !ok || !start.Equal(at("2026-11-02", "09:00")) || room != "B" || end.Sub(start) != 45*time.Minute {
		t.Fatalf("first placement = %v %s %v, want Monday 09:00 in room B", start, room, ok)
	}
	start, _, room, _, _ = b.Place(d("2026-11-02"), d("2026-11-06"), d("2026-11-02"), nil)
	if !start.Equal(at("2026-11-02", "09:45")) || room != "A" {
		t.Errorf("second placement = %v %s, want Monday 09:45 in room A", start, room)
	}
	// notBefore moves the search past Monday; Tuesday is closed.
	start, _, _, _, _ = b.Place(d("2026-11-01"), d("2026-11-06"), d("2026-11-03"), nil)
	if !start.Equal(at("2026-11-04", "09:00")) {
		t.Errorf("placement not before Tuesday (closed) = %v, want Wednesday 09:00", start)
	}
	// A window on a weekend has no slot at all.
	if _, _, _, _, ok := b.Place(d("2026-11-07"), d("2026-11-08"), d("2026-11-01"), nil); ok {
		t.Error("placed an appointment on a weekend")
	}
	// Fill Thursday: 10 slots x 2 rooms, then the 21st goes to Friday.
	for i := 0; i < 20; i++ {
		s, e, _, _, ok := b.Place(d("2026-11-05"), d("2026-11-06"), d("2026-11-05"), nil)
		if !ok || DateOf(s.In(loc)) != d("2026-11-05") {
			t.Fatalf("placement %d = %v %v, want Thursday", i, s, ok)
		}
		if s.In(loc).Hour() < 9 || e.In(loc).After(at("2026-11-05", "17:00")) {
			t.Fatalf("placement %v-%v outside office hours", s, e)
		}
	}
	if s, _, _, _, _ := b.Place(d("2026-11-05"), d("2026-11-06"), d("2026-11-05"), nil); !s.Equal(at("2026-11-06", "09:00")) {
		t.Errorf("21st placement = %v, want Friday 09:00", s)
	}
	if _, _, _, _, ok := b.Place(d("2026-11-05"), d("2026-11-05"), d("2026-11-05"), nil); ok {
		t.Error("placed an appointment on a full day")
	}
	// A window that has passed is never placed later.
	if _, _, _, _, ok := b.Place(d("2026-10-01"), d("2026-10-14"), d("2026-11-02"), nil); ok {
		t.Error("placed an appointment after its window")
	}
}

func TestParseInterpreters(t *testing.T) {
	ivs, err := ParseInterpreters("Ana:tl+EN@mon-fri 09:00-13:00; Bekele:am@tue 09:00-17:00, thu 09:00-17:00 ; Chen:zh-hant")
	if err != nil {
		t.Fatal(err)
	}
	if len(ivs) != 3 || ivs[0].Name != "Ana" || strings.Join(ivs[0].Languages, ",") != "tl,en" || len(ivs[0].Hours) != 5 ||
		ivs[1].Name != "Bekele" || len(ivs[1].Hours) != 2 || ivs[1].Hours[0].Weekday != time.Tuesday ||
		ivs[2].Languages[0] != "zh-Hant" || ivs[2].Hours != nil {
		t.Errorf("parsed %+v", ivs)
	}
	if ivs, err := ParseInterpreters(" "); err != nil || len(ivs) != 0 {
		t.Errorf("empty: %v %v", ivs, err)
	}
	for _, bad := range []string{"Ana", ":tl", "Ana:", "Ana:xx-1", "Ana:tl@mon 9-10", "Ana:tl; ana:en", "A+B:tl"} {
		if _, err := ParseInterpreters(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestPlaceInterview(t *testing.T) {
	c := DefaultCalendar(time.UTC)
	c.Languages = []string{"en", "fr"}
	c.Rooms = []string{"A", "B"}
	ivs, err := ParseInterpreters("Ana:tl@mon 09:00-10:30")
	if err != nil {
		t.Fatal(err)
	}
	c.Interpreters = ivs
	at := func(s string) time.Time {
		tm, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	b := c.NewBooked()
	mon, fri := d("2026-11-02"), d("2026-11-06")

	// The staff speak French: no interpreter.
	if p := b.PlaceInterview([]string{"FR", "tl"}, mon, fri, mon); p.Language != "FR" || p.Interpreter != "" || p.InterpreterNeeded || p.Note != "" ||
		!p.Start.Equal(at("2026-11-02 09:00")) || p.Room != "A" {
		t.Errorf("French speaker: %+v", p)
	}
	// Tagalog: Ana works Monday 09:00-10:30, two slots; never twice at once.
	p1 := b.PlaceInterview([]string{"tl", "en"}, mon, fri, mon)
	p2 := b.PlaceInterview([]string{"tl", "en"}, mon, fri, mon)
	if p1.Language != "tl" || p1.Interpreter != "Ana" || !p1.InterpreterNeeded || p1.Note != "" || !p1.Start.Equal(at("2026-11-02 09:00")) || p1.Room != "B" {
		t.Errorf("first Tagalog speaker: %+v", p1)
	}
	if p2.Interpreter != "Ana" || !p2.Start.Equal(at("2026-11-02 09:45")) {
		t.Errorf("second Tagalog speaker: %+v, want Ana at 09:45 (she is busy at 09:00)", p2)
	}
	// Ana's hours are used up this week: fall back to English, noted.
	p3 := b.PlaceInterview([]string{"tl", "en"}, mon, fri, mon)
	if p3.Language != "en" || p3.Interpreter != "" || p3.InterpreterNeeded || !strings.Contains(p3.Note, "tl") || !p3.Placed() {
		t.Errorf("third Tagalog speaker: %+v, want English with a note", p3)
	}
	// Amharic: no interpreter speaks it, and the worker speaks nothing else.
	p4 := b.PlaceInterview([]string{"am"}, mon, fri, mon)
	if p4.Language != "am" || !p4.InterpreterNeeded || p4.Interpreter != "" || !strings.Contains(p4.Note, "arrange") || !p4.Placed() {
		t.Errorf("Amharic speaker: %+v", p4)
	}
	if p := b.PlaceInterview(nil, mon, fri, mon); p.Language != "" || p.InterpreterNeeded || !p.Placed() {
		t.Errorf("no languages: %+v", p)
	}

	// By hand: closed hours and rooms name the field; an interpreter is booked.
	field := func(err error) string {
		for k := range ErrorFields(err) {
			return k
		}
		return ""
	}
	if _, err := b.BookAt(at("2026-11-03 08:30"), "", "en"); field(err) != "starts_at" {
		t.Errorf("before opening: %v", err)
	}
	if _, err := b.BookAt(at("2026-11-03 16:30"), "", "en"); field(err) != "starts_at" {
		t.Errorf("ending after closing: %v", err)
	}
	if _, err := b.BookAt(at("2026-11-07 10:00"), "", "en"); field(err) != "starts_at" {
		t.Errorf("on a Saturday: %v", err)
	}
	if _, err := b.BookAt(at("2026-11-03 10:00"), "C", "en"); field(err) != "room" {
		t.Errorf("no such room: %v", err)
	}
	if _, err := b.BookAt(at("2026-11-02 09:15"), "A", "en"); field(err) != "room" {
		t.Errorf("room taken: %v", err)
	}
	b2 := c.NewBooked()
	b2.Add("A", "Ana", at("2026-11-09 09:00"), at("2026-11-09 09:45"))
	if _, err := b2.BookAt(at("2026-11-09 09:30"), "B", "tl"); field(err) != "starts_at" || !strings.Contains(ErrorFields(err)["starts_at"], "interpreter") {
		t.Errorf("Ana busy: %v", err)
	}
	if p, err := b2.BookAt(at("2026-11-09 09:45"), "B", "tl"); err != nil || p.Interpreter != "Ana" || !p.InterpreterNeeded {
		t.Errorf("Ana free: %+v %v", p, err)
	}
	if p, err := b.BookAt(at("2026-11-03 10:10"), "B", "fr"); err != nil || p.Room != "B" || !p.End.Equal(at("2026-11-03 10:55")) {
		t.Errorf("a free slot off the grid: %+v %v", p, err)
	}
}

func TestSpeakingHostLanguage(t *testing.T) {
	mon, fri := d("2026-11-02"), d("2026-11-06")
	c := DefaultCalendar(time.UTC)
	c.Rooms = []string{"A"}
	b := c.NewBooked()
	// Without the host language the German speaker is interviewed in English.
	if p := b.PlaceInterview([]string{"de", "en"}, mon, mon, mon); p.Language != "en" || p.Note == "" {
		t.Errorf("without host language: %+v, want English with a note", p)
	}
	// With the policy's host language German, the staff speak German.
	p := b.Speaking("de").PlaceInterview([]string{"de", "en"}, mon, fri, mon)
	if p.Language != "de" || p.InterpreterNeeded || p.Note != "" {
		t.Errorf("host language de: %+v, want German, no interpreter", p)
	}
	// The view shares the bookings: 09:00 and 09:45 are taken in room A.
	if !p.Start.Equal(time.Date(2026, 11, 2, 9, 45, 0, 0, time.UTC)) || b.RoomFree("A", p.Start, p.End) {
		t.Errorf("view did not share bookings: %+v", p)
	}
	if c.Speaks("de") {
		t.Error("Speaking changed the calendar itself")
	}
	// An office that set its languages explicitly does not get the host's.
	c.SpeaksHostLanguage = false
	if p := c.NewBooked().Speaking("de").PlaceInterview([]string{"de", "en"}, mon, fri, mon); p.Language != "en" {
		t.Errorf("explicit office languages: %+v, want English", p)
	}
}
