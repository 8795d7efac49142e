package models

import (
	"strings"
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

// ReminderLanguages lists the languages that have reminder texts.
var ReminderLanguages = []string{"en", "fr"}

// reminderTexts are the reminder messages per language. DRAFT: the French
// texts are a draft translation, to be checked by a translator before use.
// Placeholders: {date}, {start}, {end}, {zone}, {place}, {worker}.
var reminderTexts = map[string]struct {
	date                                                   string // Go layout
	workerSubject, workerBody, missionSubject, missionBody string
}{
	"en": {
		date:          "2006-01-02",
		workerSubject: "Reminder: your appointment at the protocol office on {date}",
		workerBody: "Hello,\n\n" +
			"This is a reminder of your appointment at the protocol office.\n\n" +
			"  Date:  {date}\n  Time:  {start} to {end} ({zone})\n  Place: {place}\n\n" +
			"Please come alone. Your employer must let you come during working hours.\n" +
			"The appointment is free of charge and what you say is confidential.\n" +
			"If you cannot come or need help, contact the protocol office.\n\n" +
			"This message was sent automatically.\n",
		missionSubject: "Appointment of a private domestic worker at the protocol office on {date}",
		missionBody: "Dear focal point,\n\n" +
			"The protocol office has given {worker}, a private domestic worker employed by a member of your mission, an appointment.\n\n" +
			"  Date:  {date}\n  Time:  {start} to {end} ({zone})\n  Place: {place}\n\n" +
			"The worker must come alone. The employer must release the worker from work for the appointment, without loss of pay.\n\n" +
			"This message was sent automatically.\n",
	},
	"fr": { // DRAFT translation
		date:          "02.01.2006",
		workerSubject: "Rappel : votre rendez-vous au service du protocole le {date}",
		workerBody: "Bonjour,\n\n" +
			"Ceci est un rappel de votre rendez-vous au service du protocole.\n\n" +
			"  Date :  {date}\n  Heure : de {start} à {end} ({zone})\n  Lieu :  {place}\n\n" +
			"Venez seul·e. Votre employeur doit vous laisser venir pendant les heures de travail.\n" +
			"Le rendez-vous est gratuit et ce que vous dites reste confidentiel.\n" +
			"Si vous ne pouvez pas venir ou avez besoin d'aide, contactez le service du protocole.\n\n" +
			"Ce message a été envoyé automatiquement.\n",
		missionSubject: "Rendez-vous d'un·e employé·e domestique privé·e au service du protocole le {date}",
		missionBody: "Madame, Monsieur,\n\n" +
			"Le service du protocole a fixé un rendez-vous à {worker}, employé·e domestique privé·e d'un membre de votre mission.\n\n" +
			"  Date :  {date}\n  Heure : de {start} à {end} ({zone})\n  Lieu :  {place}\n\n" +
			"L'employé·e doit venir seul·e. L'employeur doit le ou la libérer de son travail pour le rendez-vous, sans perte de salaire.\n\n" +
			"Ce message a été envoyé automatiquement.\n",
	},
}

// ReminderLanguage is the language of a reminder to someone whose
// languages are langs (first first): the first one when reminder texts
// exist for it, otherwise English.
func ReminderLanguage(langs []string) string {
	if len(langs) > 0 {
		l := strings.ToLower(strings.TrimSpace(langs[0]))
		if _, ok := reminderTexts[l]; ok {
			return l
		}
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
	t, ok := reminderTexts[lang]
	if !ok {
		lang, t = "en", reminderTexts["en"]
	}
	start, end := f.StartsAt.In(loc), f.EndsAt.In(loc)
	zone := loc.String()
	if zone == "Local" || zone == "" {
		zone = start.Format("MST")
	}
	worker := ""
	if recipient == RecipientMission {
		worker = f.WorkerName
	}
	r := strings.NewReplacer("{date}", start.Format(t.date), "{start}", start.Format("15:04"), "{end}", end.Format("15:04"),
		"{zone}", zone, "{place}", f.Place, "{worker}", worker)
	if recipient == RecipientMission {
		return ReminderMessage{Language: lang, Subject: r.Replace(t.missionSubject), Body: r.Replace(t.missionBody)}
	}
	return ReminderMessage{Language: lang, Subject: r.Replace(t.workerSubject), Body: r.Replace(t.workerBody)}
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
