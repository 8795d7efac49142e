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
	// SpeaksHostLanguage adds to Languages, for each employment, the host
	// language of its policy (the default, when PDW_OFFICE_LANGUAGES is
	// not set). See Booked.Speaking.
	SpeaksHostLanguage bool
	// Interpreters are the interpreters the planner may book for a
	// language the staff do not speak.
	Interpreters []Interpreter
}

// Interpreter is an interpreter the office books for interviews: one
// interview at a time, only within their hours.
type Interpreter struct {
	Name      string
	Languages []string
	// Hours are when they can be booked; none means the office hours.
	Hours []OfficeHours
}

// Calendar defaults.
const (
	DefaultOfficeHours = "mon-fri 09:00-17:00"
	DefaultSlot        = 45 * time.Minute
	DefaultRooms       = 2
)

// DefaultCalendar is the calendar that works out of the box: Monday to
// Friday 09:00-17:00 in loc, 45-minute slots, 2 rooms, English plus the
// host language of each employment's policy.
func DefaultCalendar(loc *time.Location) *Calendar {
	hours, err := ParseOfficeHours(DefaultOfficeHours)
	if err != nil {
		panic(err)
	}
	return &Calendar{Location: loc, Hours: hours, Slot: DefaultSlot, Rooms: RoomNames(DefaultRooms), Languages: []string{"en"},
		SpeaksHostLanguage: true}
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

// ParseInterpreters reads the interpreter pool (PDW_INTERPRETERS):
// interpreters separated by ";", each written NAME:LANGS or
// NAME:LANGS@HOURS, where LANGS are language codes joined by "+" and HOURS
// are written as the office hours ("mon-fri 09:00-13:00, thu 14:00-17:00");
// without HOURS the interpreter works the office hours. Example:
// "Ana:tl+en@mon-fri 09:00-13:00; Bekele:am@tue 09:00-17:00, thu 09:00-17:00".
func ParseInterpreters(s string) ([]Interpreter, error) {
	var out []Interpreter
	for _, entry := range strings.Split(s, ";") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		name, rest, ok := strings.Cut(entry, ":")
		name = strings.TrimSpace(name)
		if !ok || name == "" || len(name) > MaxShortLen || strings.ContainsAny(name, "@+,") {
			return nil, fmt.Errorf("interpreter %q: want NAME:LANGS[@HOURS], like Ana:tl+en@mon-fri 09:00-13:00", entry)
		}
		for _, iv := range out {
			if strings.EqualFold(iv.Name, name) {
				return nil, fmt.Errorf("interpreter %q is listed twice", name)
			}
		}
		langs, hours, withHours := strings.Cut(rest, "@")
		iv := Interpreter{Name: name}
		for _, l := range strings.Split(langs, "+") {
			l = strings.TrimSpace(l)
			if !ValidLanguage(l) {
				return nil, fmt.Errorf("interpreter %q: %q is not a language code such as en, fr or zh-Hant", name, l)
			}
			iv.Languages = append(iv.Languages, CanonicalLanguage(l))
		}
		if withHours {
			h, err := ParseOfficeHours(hours)
			if err != nil {
				return nil, fmt.Errorf("interpreter %q: %v", name, err)
			}
			iv.Hours = h
		}
		out = append(out, iv)
	}
	return out, nil
}

// Speaks reports whether iv speaks lang.
func (iv *Interpreter) Speaks(lang string) bool {
	for _, l := range iv.Languages {
		if strings.EqualFold(l, lang) {
			return true
		}
	}
	return false
}

// InterpretersFor returns the names of the interpreters who speak lang.
func (c *Calendar) InterpretersFor(lang string) []string {
	var out []string
	for i := range c.Interpreters {
		if c.Interpreters[i].Speaks(lang) {
			out = append(out, c.Interpreters[i].Name)
		}
	}
	return out
}

func (c *Calendar) interpreter(name string) *Interpreter {
	for i := range c.Interpreters {
		if c.Interpreters[i].Name == name {
			return &c.Interpreters[i]
		}
	}
	return nil
}

// within reports whether start..end lies inside one of hours' intervals
// on its weekday (office time).
func (c *Calendar) within(hours []OfficeHours, start, end time.Time) bool {
	s := start.In(c.Location)
	if !end.After(start) || s.Second() != 0 || s.Nanosecond() != 0 {
		return false
	}
	from := s.Hour()*60 + s.Minute()
	to := from + int(end.Sub(start)/time.Minute)
	for _, h := range hours {
		if h.Weekday == s.Weekday() && h.Open <= from && to <= h.Close {
			return true
		}
	}
	return false
}

// Open reports whether the office receives workers from start to end: not
// a closed day, and inside one opening interval.
func (c *Calendar) Open(start, end time.Time) bool {
	return !c.IsClosed(DateOf(start.In(c.Location))) && c.within(c.Hours, start, end)
}

// HasRoom reports whether room is one of the office's rooms.
func (c *Calendar) HasRoom(room string) bool { return slices.Contains(c.Rooms, room) }

// Booked holds the office's booked room and interpreter time, day by day,
// so that the planner can find the earliest free slot. It is built from the
// appointments that hold a room and updated as appointments are placed.
type Booked struct {
	cal   *Calendar
	byDay map[Date][]booking
	full  map[Date]bool // days known to have no free room left
	// views are the Speaking views made of these bookings, by host
	// language, made once each (a planning pass asks for one per due
	// appointment).
	views map[string]*Booked
}

type booking struct {
	room, interpreter string
	start, end        time.Time
}

// NewBooked returns an empty set of bookings on c.
func (c *Calendar) NewBooked() *Booked {
	return &Booked{cal: c, byDay: map[Date][]booking{}, full: map[Date]bool{}, views: map[string]*Booked{}}
}

// Speaking returns a view of b, sharing its bookings, in which the staff
// also speak host (the host language of the policy of the employment being
// placed) when the calendar says they speak it. b itself is unchanged.
func (b *Booked) Speaking(host string) *Booked {
	if !b.cal.SpeaksHostLanguage || host == "" || b.cal.Speaks(host) {
		return b
	}
	if v := b.views[host]; v != nil {
		return v
	}
	cal := *b.cal
	cal.Languages = append(slices.Clip(cal.Languages), host)
	v := &Booked{cal: &cal, byDay: b.byDay, full: b.full, views: b.views}
	b.views[host] = v
	return v
}

// Add records that room (and interpreter, unless "") is taken from start to end.
func (b *Booked) Add(room, interpreter string, start, end time.Time) {
	d := DateOf(start.In(b.cal.Location))
	b.byDay[d] = append(b.byDay[d], booking{room: room, interpreter: interpreter, start: start, end: end})
}

func (b *Booked) free(room, interpreter string, start, end time.Time) bool {
	for _, k := range b.byDay[DateOf(start.In(b.cal.Location))] {
		if !k.start.Before(end) || !start.Before(k.end) {
			continue
		}
		if (room != "" && k.room == room) || (interpreter != "" && k.interpreter == interpreter) {
			return false
		}
	}
	return true
}

// RoomFree reports whether room is free from start to end.
func (b *Booked) RoomFree(room string, start, end time.Time) bool {
	return b.free(room, "", start, end)
}

// FreeRoom returns the first of the office's rooms free from start to end, or "".
func (b *Booked) FreeRoom(start, end time.Time) string {
	for _, r := range b.cal.Rooms {
		if b.free(r, "", start, end) {
			return r
		}
	}
	return ""
}

// FreeInterpreter returns the first interpreter among names who works and
// is free from start to end, or "".
func (b *Booked) FreeInterpreter(names []string, start, end time.Time) string {
	for _, n := range names {
		iv := b.cal.interpreter(n)
		if iv == nil {
			continue
		}
		hours := iv.Hours
		if len(hours) == 0 {
			hours = b.cal.Hours
		}
		if b.cal.within(hours, start, end) && b.free("", n, start, end) {
			return n
		}
	}
	return ""
}

// Place books and returns the earliest free slot and room on a date from
// max(from, notBefore) to until (both included), with one of interpreters
// free for it when any are named (nil: none needed), or ok=false when
// every slot in that span is taken, closed or past.
func (b *Booked) Place(from, until, notBefore Date, interpreters []string) (start, end time.Time, room, interpreter string, ok bool) {
	if from.Before(notBefore) {
		from = notBefore
	}
	for d := from; !d.After(until); d = d.AddDate(0, 0, 1) {
		if b.full[d] {
			continue
		}
		anyRoom := false
		for _, s := range b.cal.Slots(d) {
			e := s.Add(b.cal.Slot)
			r := b.FreeRoom(s, e)
			if r == "" {
				continue
			}
			anyRoom = true
			var iv string
			if interpreters != nil {
				if iv = b.FreeInterpreter(interpreters, s, e); iv == "" {
					continue
				}
			}
			b.Add(r, iv, s, e)
			return s, e, r, iv, true
		}
		if !anyRoom {
			b.full[d] = true
		}
	}
	return time.Time{}, time.Time{}, "", "", false
}

// Placement is where and in which language an interview takes place.
type Placement struct {
	// Start, End and Room are zero when no slot was free (unplaceable).
	Start, End time.Time
	Room       string
	// Language is the interview's language; Interpreter the interpreter
	// booked for it ("" when the staff speak it or none was free).
	Language          string
	Interpreter       string
	InterpreterNeeded bool
	// Note tells officers what is missing: no interpreter for the worker's
	// first language.
	Note string
}

// Placed reports whether a slot was found.
func (p Placement) Placed() bool { return p.Room != "" }

// PlaceInterview books the earliest slot from max(from, notBefore) to until
// for an interview with a worker who speaks langs (first language first).
// The interview is in the first language when the office's staff speak it
// or an interpreter who speaks it is free for a slot in the window (then
// booked with the slot); otherwise in the worker's next language that the
// staff speak, with a note that no interpreter was found for the first.
// When the worker speaks no language of the office either, the interview
// is in the first language, an interpreter is still needed and the note
// says none is booked.
func (b *Booked) PlaceInterview(langs []string, from, until, notBefore Date) Placement {
	var p Placement
	place := func(interpreters []string) bool {
		s, e, r, iv, ok := b.Place(from, until, notBefore, interpreters)
		if ok {
			p.Start, p.End, p.Room, p.Interpreter = s, e, r, iv
		}
		return ok
	}
	if len(langs) == 0 {
		place(nil)
		return p
	}
	first := langs[0]
	p.Language = first
	if b.cal.Speaks(first) {
		place(nil)
		return p
	}
	if ivs := b.cal.InterpretersFor(first); len(ivs) > 0 && place(ivs) {
		p.InterpreterNeeded = true
		return p
	}
	why := "no interpreter speaks " + first
	if len(b.cal.InterpretersFor(first)) > 0 {
		why = "no interpreter who speaks " + first + " is free in the window"
	}
	for _, l := range langs[1:] {
		if b.cal.Speaks(l) {
			p.Language = l
			p.Note = "The worker's first language is " + first + ", but " + why + ": the interview is in " + l + "."
			place(nil)
			return p
		}
	}
	p.InterpreterNeeded = true
	p.Note = "The office's staff do not speak " + first + ", " + why + ", and the worker speaks no other language of the office: arrange an interpreter."
	place(nil)
	return p
}

// BookAt checks a slot chosen by hand, from start for one slot length, for
// an interview in lang: the office must be open, room (or, when room is
// "", any room) free, and an interpreter free when the staff do not speak
// lang and one speaks it. It books the slot and returns it, or an
// EINVALID error naming starts_at or room.
func (b *Booked) BookAt(start time.Time, room, lang string) (Placement, error) {
	end := start.Add(b.cal.Slot)
	p := Placement{Start: start, End: end, Language: lang}
	bad := func(field, msg string) (Placement, error) {
		return Placement{}, &Error{Code: EINVALID, Message: "That slot cannot be booked.", Fields: map[string]string{field: msg}}
	}
	if !b.cal.Open(start, end) {
		return bad("starts_at", "must be a time at which the office is open for a whole slot ("+
			strconv.Itoa(int(b.cal.Slot/time.Minute))+" minutes), on a day it is not closed")
	}
	switch {
	case room == "":
		if p.Room = b.FreeRoom(start, end); p.Room == "" {
			return bad("starts_at", "no room is free at that time")
		}
	case !b.cal.HasRoom(room):
		return bad("room", "must be one of the office's rooms: "+strings.Join(b.cal.Rooms, ", "))
	case !b.RoomFree(room, start, end):
		return bad("room", "is booked for another appointment at that time")
	default:
		p.Room = room
	}
	if lang != "" && !b.cal.Speaks(lang) {
		p.InterpreterNeeded = true
		if ivs := b.cal.InterpretersFor(lang); len(ivs) > 0 {
			if p.Interpreter = b.FreeInterpreter(ivs, start, end); p.Interpreter == "" {
				return bad("starts_at", "no interpreter who speaks "+lang+" is free at that time")
			}
		} else {
			p.Note = "The office's staff do not speak " + lang + " and no interpreter speaks it: arrange one."
		}
	}
	b.Add(p.Room, p.Interpreter, start, end)
	return p, nil
}

// BookInterviewAt books a slot chosen by hand for an interview with a
// worker who speaks langs, choosing the language as PlaceInterview does but
// for that slot only: the first language when the staff speak it or an
// interpreter who speaks it is free then, else the next language the staff
// speak (noted). Errors are BookAt's.
func (b *Booked) BookInterviewAt(start time.Time, room string, langs []string) (Placement, error) {
	if len(langs) == 0 {
		return b.BookAt(start, room, "")
	}
	first := langs[0]
	ivs := b.cal.InterpretersFor(first)
	if b.cal.Speaks(first) || b.FreeInterpreter(ivs, start, start.Add(b.cal.Slot)) != "" {
		return b.BookAt(start, room, first)
	}
	why := "no interpreter speaks " + first
	if len(ivs) > 0 {
		why = "no interpreter who speaks " + first + " is free at that time"
	}
	for _, l := range langs[1:] {
		if b.cal.Speaks(l) {
			p, err := b.BookAt(start, room, l)
			p.Note = "The worker's first language is " + first + ", but " + why + ": the interview is in " + l + "."
			return p, err
		}
	}
	return b.BookAt(start, room, first)
}
