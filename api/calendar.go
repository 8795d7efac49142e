package api

import (
	"bytes"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// Calendars: one appointment as an iCalendar file (the office's staff and
// the appointment's own mission), and a feed of the office's appointments
// per officer, protected by a calendar token in the URL (calendar
// programs cannot send a header), stored hashed and shown once.
//
// The iCalendar is written here, a small subset of RFC 5545 (VCALENDAR
// with VEVENTs: UID, DTSTAMP, DTSTART, DTEND, SUMMARY, LOCATION,
// DESCRIPTION, STATUS; text escaping and 75-octet line folding), rather
// than with a library: that subset is some sixty lines, and every time is
// written in UTC ("Z"), which needs no VTIMEZONE and is exact in every
// calendar program, which shows it in its user's own zone.

// calendarFeedDays bounds the feed: appointments from 30 days ago to a year ahead.
const (
	calendarFeedPast   = 30 * 24 * time.Hour
	calendarFeedFuture = 366 * 24 * time.Hour
)

var kindTitles = map[string]string{
	models.KindRegistration: "Registration", models.KindCheckin: "Check-in", models.KindRenewal: "Renewal",
	models.KindExit: "Exit interview", models.KindFollowUp: "Follow-up", models.KindBriefing: "Rights briefing",
}

// icsEvent renders one appointment for the actor: the office's staff see
// the kind and the worker's name; a mission sees the logistics only.
func (s *Server) icsEvent(b *bytes.Buffer, a models.Actor, e *models.CalendarEntry, stamp time.Time) {
	place := s.opts.OfficePlace
	if place == "" {
		place = "Protocol office"
	}
	if e.Room != "" {
		place += ", " + e.Room
	}
	summary := "Appointment at the protocol office (the worker comes alone)"
	desc := "The worker must come alone. The employer must release the worker from work for the appointment."
	if a.SeesOfficeNotes() {
		summary = kindTitles[e.Kind]
		if e.WorkerName != "" {
			summary += ": " + e.WorkerName
		}
		desc = "PDW Registry appointment " + e.ID
	}
	status := "CONFIRMED"
	if e.Status == models.AppointmentCancelled || e.Status == models.AppointmentRescheduled {
		status = "CANCELLED"
	}
	icsLine(b, "BEGIN", "VEVENT")
	icsLine(b, "UID", e.ID+"@pdw-registry")
	icsLine(b, "DTSTAMP", icsTime(stamp))
	icsLine(b, "DTSTART", icsTime(*e.StartsAt))
	icsLine(b, "DTEND", icsTime(*e.EndsAt))
	icsLine(b, "SUMMARY", icsText(summary))
	icsLine(b, "LOCATION", icsText(place))
	icsLine(b, "DESCRIPTION", icsText(desc))
	icsLine(b, "STATUS", status)
	icsLine(b, "END", "VEVENT")
}

func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// icsText escapes a TEXT value (RFC 5545 3.3.11).
func icsText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// icsLine writes NAME:value folded at 75 octets, never inside a UTF-8 sequence.
func icsLine(b *bytes.Buffer, name, value string) {
	line := name + ":" + value
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut] + "\r\n ")
		line = line[cut:]
		limit = 74 // the continuation's leading space counts
	}
	b.WriteString(line + "\r\n")
}

func icsCalendar(name string, events func(b *bytes.Buffer)) []byte {
	var b bytes.Buffer
	icsLine(&b, "BEGIN", "VCALENDAR")
	icsLine(&b, "VERSION", "2.0")
	icsLine(&b, "PRODID", "-//PDW Registry//Appointments//EN")
	icsLine(&b, "CALSCALE", "GREGORIAN")
	icsLine(&b, "METHOD", "PUBLISH")
	icsLine(&b, "X-WR-CALNAME", icsText(name))
	events(&b)
	icsLine(&b, "END", "VCALENDAR")
	return b.Bytes()
}

func writeICS(c *gin.Context, filename string, body []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+filename+`"`)
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, "text/calendar; charset=utf-8", body)
}

// appointmentICS serves one placed appointment as an iCalendar file.
func (s *Server) appointmentICS(c *gin.Context) {
	id, ok := s.pathID(c, "appointment")
	if !ok {
		return
	}
	e, err := s.store.AppointmentCalendar(c.Request.Context(), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if !e.Placed() {
		s.writeError(c, models.Errorf(models.ECONFLICT, "This appointment has no slot yet: the office must place it first."))
		return
	}
	a := actor(c)
	writeICS(c, "appointment.ics", icsCalendar("Protocol office appointment", func(b *bytes.Buffer) {
		s.icsEvent(b, a, e, s.opts.Now())
	}))
}

// createCalendarToken gives the caller (an officer or admin) a new
// calendar-feed token, replacing the old one, and shows it this once.
func (s *Server) createCalendarToken(c *gin.Context) {
	secret, err := s.store.CreateCalendarToken(c.Request.Context())
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"token": secret, "path": "/api/v1/calendar.ics?token=" + secret})
}

// calendarFeed serves the office's appointments to the holder of a
// calendar token: from 30 days ago to a year ahead, with workers' names.
func (s *Server) calendarFeed(c *gin.Context) {
	ctx := c.Request.Context()
	u, err := s.store.UserByCalendarToken(ctx, c.Query("token"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	a := models.Actor{UserID: u.ID, Role: u.Role, RequestID: requestID(c)}
	ctx = models.WithActor(ctx, a)
	now := s.opts.Now()
	es, err := s.store.CalendarFeed(ctx, now.Add(-calendarFeedPast), now.Add(calendarFeedFuture))
	if err != nil {
		s.writeError(c, err)
		return
	}
	writeICS(c, "pdw-appointments.ics", icsCalendar("Protocol office appointments", func(b *bytes.Buffer) {
		for i := range es {
			if es[i].Placed() {
				s.icsEvent(b, a, &es[i], now)
			}
		}
	}))
}
