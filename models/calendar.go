package models

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// OfficeHours is one opening interval on a weekday, in minutes after
// midnight (local time of the office).
type OfficeHours struct {
	Weekday     time.Weekday
	Open, Close int
}

// Calendar is the protocol office's calendar: when it receives workers,
// for how long, in how many rooms at once, which days it is closed, and the
// languages its own staff speak. Appointments always take place in one of
// its rooms, never at the employer's residence or the mission.
type Calendar struct {
	// Location is the office's time zone; office hours, closed days and
	// appointment windows are read in it.
	Location *time.Location
	// Hours lists the opening intervals; a weekday may have several (a
	// lunch break) or none (closed).
	Hours []OfficeHours
	// Slot is the length of one appointment.
	Slot time.Duration
	// Rooms names the rooms that can hold an interview at the same time.
	Rooms []string
	// Closed lists dates on which the office is closed (public holidays).
	Closed []Date
	// Languages are the languages the office's own staff speak.
	Languages []string
}

// Calendar defaults.
const (
	DefaultOfficeHours = "mon-fri 09:00-17:00"
	DefaultSlot        = 45 * time.Minute
	DefaultRooms       = 2
)

// DefaultCalendar is the calendar that works out of the box: Monday to
// Friday 09:00-17:00 in loc, 45-minute slots, 2 rooms, English.
func DefaultCalendar(loc *time.Location) *Calendar {
	hours, err := ParseOfficeHours(DefaultOfficeHours)
	if err != nil {
		panic(err)
	}
	return &Calendar{Location: loc, Hours: hours, Slot: DefaultSlot, Rooms: RoomNames(DefaultRooms), Languages: []string{"en"}}
}

// RoomNames returns n room names: "Room 1", "Room 2", ….
func RoomNames(n int) []string {
	rooms := make([]string, n)
	for i := range rooms {
		rooms[i] = "Room " + strconv.Itoa(i+1)
	}
	return rooms
}

var weekdays = map[string]time.Weekday{"mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday, "sun": time.Sunday}

// isoDay numbers weekdays Monday 1 to Sunday 7, so that ranges read as in a diary.
func isoDay(d time.Weekday) int {
	if d == time.Sunday {
		return 7
	}
	return int(d)
}

// ParseOfficeHours reads opening intervals written as comma-separated
// entries "DAYS HH:MM-HH:MM", where DAYS is a day ("mon") or a range of
// days ("mon-fri"): "mon-fri 09:00-12:00, mon-fri 13:30-17:00, sat 09:00-12:00".
func ParseOfficeHours(s string) ([]OfficeHours, error) {
	var out []OfficeHours
	for _, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		days, span, ok := strings.Cut(entry, " ")
		if !ok {
			return nil, fmt.Errorf("office hours %q: want DAYS HH:MM-HH:MM, like mon-fri 09:00-17:00", entry)
		}
		first, last, isRange := strings.Cut(strings.ToLower(days), "-")
		if !isRange {
			last = first
		}
		from, ok1 := weekdays[first]
		to, ok2 := weekdays[last]
		if !ok1 || !ok2 || isoDay(from) > isoDay(to) {
			return nil, fmt.Errorf("office hours %q: days must be mon, tue, wed, thu, fri, sat or sun, or a range such as mon-fri", entry)
		}
		openS, closeS, ok := strings.Cut(strings.TrimSpace(span), "-")
		open, err1 := parseClock(openS)
		closing, err2 := parseClock(closeS)
		if !ok || err1 != nil || err2 != nil || open >= closing {
			return nil, fmt.Errorf("office hours %q: want an opening time before a closing time, like 09:00-17:00", entry)
		}
		for d := isoDay(from); d <= isoDay(to); d++ {
			out = append(out, OfficeHours{Weekday: time.Weekday(d % 7), Open: open, Close: closing})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("office hours: none given")
	}
	slices.SortFunc(out, func(a, b OfficeHours) int {
		if a.Weekday != b.Weekday {
			return int(a.Weekday) - int(b.Weekday)
		}
		return a.Open - b.Open
	})
	for i := 1; i < len(out); i++ {
		if out[i].Weekday == out[i-1].Weekday && out[i].Open < out[i-1].Close {
			return nil, fmt.Errorf("office hours: two intervals overlap on %s", out[i].Weekday)
		}
	}
	return out, nil
}

// parseClock reads "HH:MM" (00:00 to 24:00) as minutes after midnight.
func parseClock(s string) (int, error) {
	s = strings.TrimSpace(s)
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, fmt.Errorf("bad time %q", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || mm < 0 || mm > 59 || hh*60+mm > 24*60 {
		return 0, fmt.Errorf("bad time %q", s)
	}
	return hh*60 + mm, nil
}

// ParseRooms reads the office's rooms: a number ("2": Room 1 and Room 2)
// or comma-separated names ("Blue room, Green room").
func ParseRooms(s string) ([]string, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > 100 {
			return nil, fmt.Errorf("rooms: want 1 to 100 rooms")
		}
		return RoomNames(n), nil
	}
	var rooms []string
	for _, r := range strings.Split(s, ",") {
		r = strings.TrimSpace(r)
		if r == "" {
			continue
		}
		if len(r) > MaxShortLen || slices.Contains(rooms, r) {
			return nil, fmt.Errorf("rooms: each name at most %d characters, none twice", MaxShortLen)
		}
		rooms = append(rooms, r)
	}
	if len(rooms) == 0 {
		return nil, fmt.Errorf("rooms: want a number or comma-separated room names")
	}
	return rooms, nil
}

// ParseDates reads comma-separated YYYY-MM-DD dates.
func ParseDates(s string) ([]Date, error) {
	var out []Date
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		d, err := ParseDate(p)
		if err != nil {
			return nil, fmt.Errorf("%q %v", p, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// ParseLanguages reads comma-separated language codes and canonicalises them.
func ParseLanguages(s string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !ValidLanguage(p) {
			return nil, fmt.Errorf("%q is not a language code such as en, fr or zh-Hant", p)
		}
		out = append(out, CanonicalLanguage(p))
	}
	return out, nil
}

// Today returns the office's date at now.
func (c *Calendar) Today(now time.Time) Date { return DateOf(now.In(c.Location)) }

// Midnight returns the start of d in the office's time zone.
func (c *Calendar) Midnight(d Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, c.Location)
}

// IsClosed reports whether d is one of the closed days.
func (c *Calendar) IsClosed(d Date) bool { return slices.Contains(c.Closed, d) }

// Slots returns the start of every slot on d, in order: none on a closed
// day or a weekday without office hours (or with a slot shorter than a
// minute). A slot ends within its opening interval.
func (c *Calendar) Slots(d Date) []time.Time {
	step := int(c.Slot / time.Minute)
	if step <= 0 || c.IsClosed(d) {
		return nil
	}
	wd := d.Time().Weekday()
	var out []time.Time
	for _, h := range c.Hours {
		if h.Weekday != wd {
			continue
		}
		for m := h.Open; m+step <= h.Close; m += step {
			out = append(out, time.Date(d.Year, d.Month, d.Day, m/60, m%60, 0, 0, c.Location))
		}
	}
	return out
}

// Speaks reports whether the office's own staff speak lang.
func (c *Calendar) Speaks(lang string) bool {
	for _, l := range c.Languages {
		if strings.EqualFold(l, lang) {
			return true
		}
	}
	return false
}

// Booked holds the office's booked room time, day by day, so that the
// planner can find the earliest free slot. It is built from the
// appointments that hold a room and updated as appointments are placed.
type Booked struct {
	cal   *Calendar
	byDay map[Date][]booking
	full  map[Date]bool // days known to have no free slot left
}

type booking struct {
	room       string
	start, end time.Time
}

// NewBooked returns an empty set of bookings on c.
func (c *Calendar) NewBooked() *Booked {
	return &Booked{cal: c, byDay: map[Date][]booking{}, full: map[Date]bool{}}
}

// Add records that room is taken from start to end.
func (b *Booked) Add(room string, start, end time.Time) {
	d := DateOf(start.In(b.cal.Location))
	b.byDay[d] = append(b.byDay[d], booking{room: room, start: start, end: end})
}

func (b *Booked) free(d Date, room string, start, end time.Time) bool {
	for _, k := range b.byDay[d] {
		if k.room == room && k.start.Before(end) && start.Before(k.end) {
			return false
		}
	}
	return true
}

// Place books and returns the earliest free slot and room on a date from
// max(from, notBefore) to until (both included), or ok=false when every slot
// in that span is taken, closed or past.
func (b *Booked) Place(from, until, notBefore Date) (start, end time.Time, room string, ok bool) {
	if from.Before(notBefore) {
		from = notBefore
	}
	for d := from; !d.After(until); d = d.AddDate(0, 0, 1) {
		if b.full[d] {
			continue
		}
		for _, s := range b.cal.Slots(d) {
			e := s.Add(b.cal.Slot)
			for _, r := range b.cal.Rooms {
				if b.free(d, r, s, e) {
					b.Add(r, s, e)
					return s, e, r, true
				}
			}
		}
		b.full[d] = true
	}
	return time.Time{}, time.Time{}, "", false
}

// InterviewLanguage returns the language of an interview with a worker who
// speaks langs (first language first): the first language, and whether an
// interpreter is needed because the office's own staff do not speak it,
// with a note saying so for officers. (Booking interpreters is not
// automated yet: the note says that none is booked.)
func (c *Calendar) InterviewLanguage(langs []string) (lang string, interpreter bool, note string) {
	if len(langs) == 0 {
		return "", false, ""
	}
	lang = langs[0]
	if c.Speaks(lang) {
		return lang, false, ""
	}
	return lang, true, "The office's staff do not speak " + lang + " and no interpreter is booked yet."
}
