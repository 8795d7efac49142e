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
	b.Add("A", at("2026-11-02", "09:00"), at("2026-11-02", "09:45"))

	start, end, room, ok := b.Place(d("2026-11-01"), d("2026-11-06"), d("2026-10-30"))
	if !ok || !start.Equal(at("2026-11-02", "09:00")) || room != "B" || end.Sub(start) != 45*time.Minute {
		t.Fatalf("first placement = %v %s %v, want Monday 09:00 in room B", start, room, ok)
	}
	start, _, room, _ = b.Place(d("2026-11-02"), d("2026-11-06"), d("2026-11-02"))
	if !start.Equal(at("2026-11-02", "09:45")) || room != "A" {
		t.Errorf("second placement = %v %s, want Monday 09:45 in room A", start, room)
	}
	// notBefore moves the search past Monday; Tuesday is closed.
	start, _, _, _ = b.Place(d("2026-11-01"), d("2026-11-06"), d("2026-11-03"))
	if !start.Equal(at("2026-11-04", "09:00")) {
		t.Errorf("placement not before Tuesday (closed) = %v, want Wednesday 09:00", start)
	}
	// A window on a weekend has no slot at all.
	if _, _, _, ok := b.Place(d("2026-11-07"), d("2026-11-08"), d("2026-11-01")); ok {
		t.Error("placed an appointment on a weekend")
	}
	// Fill Thursday: 10 slots x 2 rooms, then the 21st goes to Friday.
	for i := 0; i < 20; i++ {
		s, e, _, ok := b.Place(d("2026-11-05"), d("2026-11-06"), d("2026-11-05"))
		if !ok || DateOf(s.In(loc)) != d("2026-11-05") {
			t.Fatalf("placement %d = %v %v, want Thursday", i, s, ok)
		}
		if s.In(loc).Hour() < 9 || e.In(loc).After(at("2026-11-05", "17:00")) {
			t.Fatalf("placement %v-%v outside office hours", s, e)
		}
	}
	if s, _, _, _ := b.Place(d("2026-11-05"), d("2026-11-06"), d("2026-11-05")); !s.Equal(at("2026-11-06", "09:00")) {
		t.Errorf("21st placement = %v, want Friday 09:00", s)
	}
	if _, _, _, ok := b.Place(d("2026-11-05"), d("2026-11-05"), d("2026-11-05")); ok {
		t.Error("placed an appointment on a full day")
	}
	// A window that has passed is never placed later.
	if _, _, _, ok := b.Place(d("2026-10-01"), d("2026-10-14"), d("2026-11-02")); ok {
		t.Error("placed an appointment after its window")
	}
}

func TestInterviewLanguage(t *testing.T) {
	c := DefaultCalendar(time.UTC)
	c.Languages = []string{"en", "fr"}
	if l, need, note := c.InterviewLanguage([]string{"FR", "tl"}); l != "FR" || need || note != "" {
		t.Errorf("French speaker: %q %v %q", l, need, note)
	}
	if l, need, note := c.InterviewLanguage([]string{"tl", "en"}); l != "tl" || !need || !strings.Contains(note, "tl") {
		t.Errorf("Tagalog speaker: %q %v %q", l, need, note)
	}
	if l, need, _ := c.InterviewLanguage(nil); l != "" || need {
		t.Errorf("no languages: %q %v", l, need)
	}
}
