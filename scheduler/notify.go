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
			msgs := composeNotification(ev, to, db.Calendar.Location, m.Place)
			for _, a := range to.To {
				err := m.Sender.Send(ctx, &mail.Message{From: m.From, To: a.Email, Subject: msgs.Subject, Body: msgs.Body,
					Key: "notify/" + ev.ID + "/" + a.ID, Language: "en", Date: now})
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

// notification is one composed message.
type notification struct{ Subject, Body string }

// composeNotification writes ev's message (English: the office's working
// language for missions and supervisors). A mission's message holds only
// logistics and the name of the worker to release; a supervisors' alert
// holds only ids and a link path.
func composeNotification(ev *models.TimelineEvent, to *store.NotificationRecipients, loc *time.Location, place string) notification {
	if ev.Notify == models.NotifySupervisors {
		return supervisorAlert(ev)
	}
	name := to.WorkerName
	if name == "" {
		name = "the worker"
	}
	var b strings.Builder
	alone := fmt.Sprintf("%s must come alone: the employer, or anyone on the employer's behalf, must not accompany them, "+
		"and the employer must release them from work for the appointment.\n", name)
	when := func() bool {
		start, err1 := time.Parse(time.RFC3339, ev.Data["starts_at"])
		end, err2 := time.Parse(time.RFC3339, ev.Data["ends_at"])
		if err1 != nil {
			return false
		}
		start = start.In(loc)
		fmt.Fprintf(&b, "Date: %s\n", start.Format("Monday 2006-01-02"))
		if err2 == nil {
			fmt.Fprintf(&b, "Time: %s to %s (%s)\n", start.Format("15:04"), end.In(loc).Format("15:04"), loc)
		} else {
			fmt.Fprintf(&b, "Time: %s (%s)\n", start.Format("15:04"), loc)
		}
		p := place
		if room := ev.Data["room"]; room != "" {
			p += ", " + room
		}
		fmt.Fprintf(&b, "Place: %s\n\n", p)
		return true
	}
	var subject string
	switch {
	case ev.Data["status"] == "not_attended":
		subject = "Appointment not attended"
		fmt.Fprintf(&b, "%s did not attend an appointment at the protocol office. "+
			"A follow-up appointment is being set; you will receive its date, time and place.\n", name)
	case ev.Data["status"] == models.AppointmentCancelled:
		subject = "Appointment cancelled"
		fmt.Fprintf(&b, "The following appointment of %s at the protocol office is cancelled:\n\n", name)
		when()
	case ev.Data["kind"] == models.KindFollowUp:
		subject = "Appointment not attended: follow-up appointment"
		fmt.Fprintf(&b, "%s did not attend an appointment at the protocol office. A follow-up appointment is set:\n\n", name)
		if when() {
			b.WriteString(alone)
		}
	default:
		subject = "Appointment at the protocol office"
		fmt.Fprintf(&b, "An appointment of %s at the protocol office is set:\n\n", name)
		if when() {
			b.WriteString(alone)
		} else if d := ev.Data["window_end"]; d != "" {
			fmt.Fprintf(&b, "It is due by %s; you will receive its date, time and place.\n", d)
		}
	}
	b.WriteString("\nThis message is sent automatically by the PDW Registry of the protocol office.\n")
	return notification{Subject: "PDW Registry: " + subject, Body: b.String()}
}

// supervisorAlert is the alert to the office's admins: ids and link paths only.
func supervisorAlert(ev *models.TimelineEvent) notification {
	var b strings.Builder
	what := "a supervisor alert"
	switch ev.Kind {
	case models.EventSupervisorAlert:
		what = "consecutive missed appointments"
	case models.EventEmployerFlagged:
		what = "its employer is flagged for suspension of eligibility (an admin confirms)"
	}
	fmt.Fprintf(&b, "Employment %s needs attention: %s.\n\n", ev.EmploymentID, what)
	if ev.Step > 0 {
		fmt.Fprintf(&b, "Consecutive misses: %d\n", ev.Step)
	}
	if ev.AppointmentID != nil {
		fmt.Fprintf(&b, "Appointment: %s\n", *ev.AppointmentID)
	}
	if id := ev.Data["employer_id"]; id != "" {
		fmt.Fprintf(&b, "Employer: %s (to confirm, an administrator records the suspension in the sanctions register: "+
			"POST /api/v1/sanctions {\"subject_kind\":\"employer\",\"subject_id\":\"%s\",\"action\":\"suspend\",\"reason\",\"legal_basis\"})\n", id, id)
	}
	fmt.Fprintf(&b, "Timeline: /api/v1/employments/%s/timeline\n", ev.EmploymentID)
	b.WriteString("\nThis message is sent automatically by the PDW Registry.\n")
	return notification{Subject: "PDW Registry: employment " + ev.EmploymentID + " needs attention", Body: b.String()}
}
