package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/pdw-registry/pdw/mail"
	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
)

// The notify job sends the timeline's messages (entries with a recipient
// in notify and no notified_at): to the mission's focal point the
// logistics of an appointment (when, where, that the worker must come
// alone and be released; after a miss, that the worker did not attend and
// a follow-up is set), never notes, interview data or the worker's contact
// data; to the supervisors (the office's live admin accounts) an alert
// that an employment needs attention, with ids and a link path only. Each
// message's Message-ID comes from the entry's id and the recipient, so a
// retried send is recognisable as the same message; an entry is marked
// notified, with the send audited, in one transaction once all its
// messages are sent.

// NotifyResult is what one notify pass did.
type NotifyResult struct {
	// Sent counts the timeline entries sent and marked notified.
	Sent int `json:"sent"`
	// Messages counts the e-mails sent.
	Messages int `json:"messages"`
	// Skipped counts the entries left pending because no SMTP server is
	// configured (the pass stops at the first).
	Skipped int `json:"skipped"`
	// NoRecipient counts the entries left pending because there is nobody
	// to send to (a mission without a focal point e-mail, no admin).
	NoRecipient int `json:"no_recipient"`
}

// notifyBatch is how many entries a pass reads at a time.
const notifyBatch = 100

// Notify sends, at now, every timeline message still pending, through
// m.Sender. Without a server (mail.ErrNotConfigured) it logs that the
// messages were skipped (ids only) and leaves them pending. An error from
// the server stops the pass (the entry stays pending and is sent again,
// with the same Message-IDs, next time).
func Notify(ctx context.Context, db *store.DB, m Mail, now time.Time, log *slog.Logger) (NotifyResult, error) {
	ctx = asSystem(ctx)
	m.defaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var res NotifyResult
	after := ""
	for {
		evs, err := db.PendingNotificationsAfter(ctx, after, notifyBatch)
		if err != nil {
			return res, err
		}
		for i := range evs {
			ev := &evs[i]
			after = ev.ID
			attrs := []any{slog.String("timeline_event_id", ev.ID), slog.String("employment_id", ev.EmploymentID),
				slog.String("recipient", ev.Notify)}
			to, err := db.NotificationRecipients(ctx, ev)
			if err != nil {
				return res, err
			}
			if len(to.To) == 0 {
				res.NoRecipient++
				log.InfoContext(ctx, "notification not sent: no recipient address; kept", attrs...)
				continue
			}
			for _, a := range to.To {
				msgs := composeNotification(ev, to, db.Calendar.Location, m.Place, notifyLanguage(a))
				err := m.Sender.Send(ctx, &mail.Message{From: m.From, To: a.Email, Subject: msgs.Subject, Body: msgs.Body,
					Key: "notify/" + ev.ID + "/" + a.ID, Language: msgs.Language, Date: now})
				if errors.Is(err, mail.ErrNotConfigured) {
					res.Skipped++
					log.InfoContext(ctx, "notifications skipped: no SMTP server configured (PDW_SMTP_URL); kept for later", attrs...)
					return res, nil
				}
				if err != nil {
					return res, fmt.Errorf("scheduler: notification %s: %w", ev.ID, err)
				}
				res.Messages++
			}
			ok, err := db.RecordNotified(ctx, ev.ID, now, "notified_at,"+ev.Notify+":"+strconv.Itoa(len(to.To)))
			if err != nil {
				return res, err
			}
			if ok {
				res.Sent++
				log.InfoContext(ctx, "notification sent", append(attrs, slog.Int("messages", len(to.To)))...)
			}
		}
		if len(evs) < notifyBatch {
			return res, nil
		}
	}
}

// notifyLanguage is the language a recipient's notifications are written
// in: the mission's language for its focal point, the account's for an
// administrator ("" when not known: English, the office's working
// language). composeNotification takes any BCP 47 tag and falls back to
// English for one without texts.
func notifyLanguage(a store.NotifyAddress) string { return a.Language }

// notification is one composed message.
type notification struct{ Language, Subject, Body string }

// subjectPrefix starts every notification's subject: the product's name,
// the same in every language.
const subjectPrefix = "PDW Registry: "

// composeNotification writes ev's message in lang (a BCP 47 tag; texts
// from models' mail catalogue, English when lang has none, e.g. ""). A
// mission's message holds only logistics and the name of the worker to
// release; a supervisors' alert holds only ids and a link path.
func composeNotification(ev *models.TimelineEvent, to *store.NotificationRecipients, loc *time.Location, place, lang string) notification {
	tx := models.MailTextsFor(lang)
	if ev.Notify == models.NotifySupervisors {
		return supervisorAlert(ev, tx)
	}
	name := to.WorkerName
	if name == "" {
		name = tx.Text("notify.the_worker", nil)
	}
	who := map[string]string{"worker": name}
	var b strings.Builder
	when := func() bool {
		start, err1 := time.Parse(time.RFC3339, ev.Data["starts_at"])
		end, err2 := time.Parse(time.RFC3339, ev.Data["ends_at"])
		if err1 != nil {
			return false
		}
		start = start.In(loc)
		p := place
		if room := ev.Data["room"]; room != "" {
			p += ", " + room
		}
		vars := map[string]string{"weekday": tx.Weekday(start), "date": tx.Date(start), "start": tx.Clock(start),
			"zone": models.ZoneName(loc, start), "place": p}
		if err2 == nil {
			vars["end"] = tx.Clock(end.In(loc))
			b.WriteString(tx.Text("notify.when", vars))
		} else {
			b.WriteString(tx.Text("notify.when_start", vars))
		}
		return true
	}
	var subject string
	switch {
	case ev.Data["status"] == "not_attended":
		subject = tx.Text("notify.subject.not_attended", nil)
		b.WriteString(tx.Text("notify.not_attended", who))
	case ev.Data["status"] == models.AppointmentCancelled:
		subject = tx.Text("notify.subject.cancelled", nil)
		b.WriteString(tx.Text("notify.cancelled", who))
		when()
	case ev.Data["after_miss"] == "true" || ev.Data["kind"] == models.KindFollowUp:
		subject = tx.Text("notify.subject.follow_up", nil)
		b.WriteString(tx.Text("notify.follow_up", who))
		if when() {
			b.WriteString(tx.Text("notify.alone", who))
		}
	default:
		subject = tx.Text("notify.subject.set", nil)
		b.WriteString(tx.Text("notify.set", who))
		if when() {
			b.WriteString(tx.Text("notify.alone", who))
		} else if d := ev.Data["window_end"]; d != "" {
			if day, err := models.ParseDate(d); err == nil {
				d = tx.Date(day.Time())
			}
			b.WriteString(tx.Text("notify.due_by", map[string]string{"date": d}))
		}
	}
	b.WriteString(tx.Text("notify.footer", nil))
	return notification{Language: tx.Language(), Subject: subjectPrefix + subject, Body: b.String()}
}

// supervisorAlert is the alert to the office's admins: ids and link paths only.
func supervisorAlert(ev *models.TimelineEvent, tx *models.MailTexts) notification {
	var b strings.Builder
	what := tx.Text("alert.what.other", nil)
	switch ev.Kind {
	case models.EventSupervisorAlert:
		what = tx.Text("alert.what.missed", nil)
	case models.EventEmployerFlagged:
		what = tx.Text("alert.what.flagged", nil)
	case models.EventInterviewCritical:
		what = tx.Text("alert.what.critical", nil)
	}
	b.WriteString(tx.Text("alert.body", map[string]string{"employment": ev.EmploymentID, "what": what}))
	if ev.Step > 0 {
		b.WriteString(tx.Text("alert.misses", map[string]string{"count": tx.Number(ev.Step)}))
	}
	if ev.AppointmentID != nil {
		b.WriteString(tx.Text("alert.appointment", map[string]string{"id": *ev.AppointmentID}))
	}
	if id := ev.Data["employer_id"]; id != "" {
		b.WriteString(tx.Text("alert.employer", map[string]string{"id": id,
			"action": "PATCH /api/v1/employers/" + id + ` {"suspended":true}`}))
	}
	b.WriteString(tx.Text("alert.timeline", map[string]string{"path": "/api/v1/employments/" + ev.EmploymentID + "/timeline"}))
	b.WriteString(tx.Text("alert.footer", nil))
	return notification{Language: tx.Language(),
		Subject: subjectPrefix + tx.Text("alert.subject", map[string]string{"employment": ev.EmploymentID}), Body: b.String()}
}
