package models

import (
	"time"
)

// Reminder recipients. A reminder goes to the worker only through the
// worker's own e-mail and only with their contact consent; the mission's
// focal point gets the logistics only (when, where, that the worker comes
// alone and that the employer must release them): never notes, interview
// data, the interview language, risk, or the worker's contact data.
const (
	RecipientWorker  = "worker"
	RecipientMission = "mission"
)

// ReminderLanguages lists the languages that have reminder and
// notification texts (models/mailtexts/<tag>.json), sorted.
var ReminderLanguages = mailLanguages()

// ReminderLanguage is the language of a reminder to someone whose
// languages are langs (first first): the first one when texts exist for
// it (or for its language subtag: "pt-BR" uses "pt"), otherwise English.
func ReminderLanguage(langs []string) string {
	if len(langs) > 0 {
		return MailLanguage(langs[0])
	}
	return "en"
}

// ReminderMessage is one reminder, ready to send.
type ReminderMessage struct {
	Language, Subject, Body string
}

// ReminderFacts is all a reminder may say: the slot, the place, and (for
// the mission only, which must know whom to release) the worker's name.
type ReminderFacts struct {
	StartsAt, EndsAt time.Time
	Place            string
	WorkerName       string
}

// ComposeReminder writes the reminder for recipient (RecipientWorker or
// RecipientMission) in lang (English when lang has no texts), with times
// in loc, the office's time zone. The worker's message does not name the
// worker (a shared mailbox shows no more than needed).
func ComposeReminder(recipient, lang string, f ReminderFacts, loc *time.Location) ReminderMessage {
	t := mailTextsFor(lang)
	start, end := f.StartsAt.In(loc), f.EndsAt.In(loc)
	vars := map[string]string{
		"date":  t.date(start),
		"start": t.clock(start),
		"end":   t.clock(end),
		"zone":  ZoneName(loc, start),
		"place": f.Place,
	}
	if recipient == RecipientMission {
		vars["worker"] = f.WorkerName
		return ReminderMessage{Language: t.tag, Subject: t.text("reminder.mission_subject", vars), Body: t.text("reminder.mission_body", vars)}
	}
	return ReminderMessage{Language: t.tag, Subject: t.text("reminder.worker_subject", vars), Body: t.text("reminder.worker_body", vars)}
}

// ZoneName names loc for a message: its IANA name, or the abbreviation
// in force at t when loc has no name.
func ZoneName(loc *time.Location, t time.Time) string {
	zone := loc.String()
	if zone == "Local" || zone == "" {
		zone = t.In(loc).Format("MST")
	}
	return zone
}

// ReminderAt is when the reminder lead days before an appointment starting
// at start is sent: the same time of day in loc, lead days earlier.
func ReminderAt(start time.Time, lead int, loc *time.Location) time.Time {
	return start.In(loc).AddDate(0, 0, -lead)
}

// CalendarToken is a user's calendar-feed token, stored as its hash.
type CalendarToken struct {
	UserID    string `gorm:"primaryKey"`
	TokenHash string
	CreatedAt time.Time
}

// CalendarEntry is an appointment in a calendar, with the worker's name
// for the office's staff (empty for others).
type CalendarEntry struct {
	Appointment
	WorkerName string
}
