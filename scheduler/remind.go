package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/mail"
	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
)

// Reminders: when an appointment gets a slot, one job per policy lead time
// and recipient is inserted in the same transaction (store.Outbox), to run
// lead days before the slot. At run time the job reads the appointment and
// the recipient again and sends nothing stale: not for an appointment that
// is no longer scheduled, has another slot, or has started; not to a
// worker who has withdrawn consent or has no e-mail.

// ReminderArgs is one reminder of one appointment to one recipient. Its
// fields are its uniqueness key: inserting it again (replanning, a second
// replica) is skipped, while a new slot (a reschedule) makes a new key.
type ReminderArgs struct {
	AppointmentID string `json:"appointment_id" river:"unique"`
	// Recipient is models.RecipientWorker or models.RecipientMission: a
	// role, resolved to an address when the reminder is sent.
	Recipient string `json:"recipient" river:"unique"`
	LeadDays  int    `json:"lead_days" river:"unique"`
	// StartsAt is the slot the reminder is for.
	StartsAt time.Time `json:"starts_at" river:"unique"`
}

// Kind names the job.
func (ReminderArgs) Kind() string { return "remind" }

// Key is the reminder's idempotency key, from which its Message-ID is made.
func (a ReminderArgs) Key() string {
	return "remind/" + a.AppointmentID + "/" + a.Recipient + "/" + strconv.Itoa(a.LeadDays) + "/" +
		strconv.FormatInt(a.StartsAt.UTC().Unix(), 10)
}

// Reminder defaults.
const (
	// DefaultReminderAttempts is how often a reminder is tried before River
	// discards it (with DefaultReminderRetry, about eleven hours).
	DefaultReminderAttempts = 12
	// DefaultSkipRetry is how long a reminder waits when no SMTP server is
	// configured before it is tried again.
	DefaultSkipRetry = time.Hour
)

// DefaultReminderRetry is the wait before a failed reminder's next
// attempt: attempt² minutes, at most six hours.
func DefaultReminderRetry(attempt int) time.Duration {
	return min(time.Duration(attempt*attempt)*time.Minute, 6*time.Hour)
}

// Mail configures the reminders' delivery.
type Mail struct {
	// Sender sends the messages (nil: mail.None, every reminder skipped and kept).
	Sender mail.Sender
	// From is the sender's address (PDW_SMTP_FROM).
	From string
	// Place is where appointments take place, as the messages print it
	// before the room (the office's name and address).
	Place string
	// Retry is the wait before attempt attempt+1 (default DefaultReminderRetry).
	Retry func(attempt int) time.Duration
	// SkipRetry is the wait when no server is configured (default DefaultSkipRetry).
	SkipRetry time.Duration
	// MaxAttempts (default DefaultReminderAttempts).
	MaxAttempts int
}

func (m *Mail) defaults() {
	if m.Sender == nil {
		m.Sender = mail.None{}
	}
	if m.From == "" {
		m.From = "PDW Registry <noreply@pdw-registry.invalid>"
	}
	if m.Place == "" {
		m.Place = "Protocol office"
	}
	if m.Retry == nil {
		m.Retry = DefaultReminderRetry
	}
	if m.SkipRetry <= 0 {
		m.SkipRetry = DefaultSkipRetry
	}
	if m.MaxAttempts <= 0 {
		m.MaxAttempts = DefaultReminderAttempts
	}
}

// ReminderJobs returns the reminders of appts, placed appointments whose
// employments have targets, as of now: for each recipient that can be
// reached, one per lead time still ahead, and for the lead times already
// past (an appointment placed less than the longest lead ahead) only the
// shortest of them, to be sent at once, unless another reminder is due
// within a day. Nothing is sent once a slot has started.
func ReminderJobs(appts []models.Appointment, targets map[string]store.ReminderTarget, now time.Time, loc *time.Location, maxAttempts int) []river.InsertManyParams {
	var out []river.InsertManyParams
	for _, a := range appts {
		t, ok := targets[a.EmploymentID]
		if !ok || !a.Placed() || !now.Before(*a.StartsAt) {
			continue
		}
		var recipients []string
		if t.WorkerReachable {
			recipients = append(recipients, models.RecipientWorker)
		}
		if t.MissionReachable {
			recipients = append(recipients, models.RecipientMission)
		}
		leads := slices.Clone([]int(t.Leads))
		slices.Sort(leads)
		leads = slices.Compact(leads)
		// A lead time already past is sent at once (only the shortest such
		// one), unless a later reminder is due within a day anyway.
		pastTaken := false
		for _, lead := range leads {
			if at := models.ReminderAt(*a.StartsAt, lead, loc); lead >= 0 && at.After(now) && !at.After(now.Add(24*time.Hour)) {
				pastTaken = true
			}
		}
		for _, lead := range leads { // shortest first
			if lead < 0 {
				continue
			}
			at := models.ReminderAt(*a.StartsAt, lead, loc)
			if !at.After(now) {
				if pastTaken {
					continue
				}
				pastTaken, at = true, now
			}
			for _, r := range recipients {
				out = append(out, river.InsertManyParams{
					Args: ReminderArgs{AppointmentID: a.ID, Recipient: r, LeadDays: lead, StartsAt: a.StartsAt.UTC()},
					InsertOpts: &river.InsertOpts{ScheduledAt: at.UTC(), MaxAttempts: maxAttempts,
						UniqueOpts: river.UniqueOpts{ByArgs: true}},
				})
			}
		}
	}
	return out
}

// Placed implements store.Outbox: it inserts the reminders of appts inside
// tx, the transaction that placed them.
func (s *Scheduler) Placed(ctx context.Context, tx *gorm.DB, appts []models.Appointment) error {
	targets, err := s.db.ReminderTargets(tx, appts)
	if err != nil {
		return err
	}
	params := ReminderJobs(appts, targets, s.cfg.Now(), s.db.Calendar.Location, s.cfg.Mail.MaxAttempts)
	if len(params) == 0 {
		return nil
	}
	sqlTx, err := store.SQLTx(tx)
	if err != nil {
		return err
	}
	for i := 0; i < len(params); i += 1000 {
		if _, err := s.client.InsertManyTx(ctx, sqlTx, params[i:min(i+1000, len(params))]); err != nil {
			return fmt.Errorf("scheduler: enqueue reminders: %w", err)
		}
	}
	return nil
}

// Reminder results.
const (
	ReminderSent    = "sent"
	ReminderStale   = "stale"   // the appointment is gone, no longer scheduled, moved, or started
	ReminderNoRoute = "noroute" // no consent or no address: nothing sent
)

// ErrSkipped is returned by SendReminder when no SMTP server is configured:
// nothing was sent and the reminder should be tried again later.
var ErrSkipped = errors.New("scheduler: reminder skipped: no SMTP server configured")

// SendReminder sends one reminder at now, if it is still due: it reads the
// appointment and the recipient afresh and sends nothing stale. It returns
// what it did; an error means it should be tried again (ErrSkipped when no
// server is configured). It logs no personal data.
func SendReminder(ctx context.Context, db *store.DB, m Mail, args ReminderArgs, now time.Time, log *slog.Logger) (string, error) {
	m.defaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	attrs := []any{slog.String("appointment_id", args.AppointmentID), slog.String("recipient", args.Recipient),
		slog.Int("lead_days", args.LeadDays)}
	d, err := db.ReminderDelivery(asSystem(ctx), args.AppointmentID, args.Recipient)
	var me *models.Error
	if errors.As(err, &me) && me.Code == models.ENOTFOUND {
		return ReminderStale, nil
	}
	if err != nil {
		return "", err
	}
	a := d.Appointment
	if a.Status != models.AppointmentScheduled || !a.Placed() || !a.StartsAt.Equal(args.StartsAt) || !now.Before(*a.StartsAt) {
		log.InfoContext(ctx, "reminder not sent: stale", attrs...)
		return ReminderStale, nil
	}
	if d.To == "" {
		log.InfoContext(ctx, "reminder not sent: no consent or no address", attrs...)
		return ReminderNoRoute, nil
	}
	lang := models.ReminderLanguage(d.Languages)
	place := m.Place
	if a.Room != "" {
		place += ", " + a.Room
	}
	end := *a.StartsAt
	if a.EndsAt != nil {
		end = *a.EndsAt
	}
	msg := models.ComposeReminder(args.Recipient, lang,
		models.ReminderFacts{StartsAt: *a.StartsAt, EndsAt: end, Place: place, WorkerName: d.WorkerName}, db.Calendar.Location)
	err = m.Sender.Send(ctx, &mail.Message{From: m.From, To: d.To, Subject: msg.Subject, Body: msg.Body,
		Key: args.Key(), Language: msg.Language, Date: now})
	if errors.Is(err, mail.ErrNotConfigured) {
		log.InfoContext(ctx, "reminder skipped: no SMTP server configured (PDW_SMTP_URL); kept for later", attrs...)
		return "", ErrSkipped
	}
	if err != nil {
		return "", err
	}
	log.InfoContext(ctx, "reminder sent", attrs...)
	return ReminderSent, nil
}

type remindWorker struct {
	river.WorkerDefaults[ReminderArgs]
	s *Scheduler
}

func (w *remindWorker) NextRetry(job *river.Job[ReminderArgs]) time.Time {
	return time.Now().Add(w.s.cfg.Mail.Retry(job.Attempt))
}

func (w *remindWorker) Timeout(*river.Job[ReminderArgs]) time.Duration { return 2 * time.Minute }

func (w *remindWorker) Work(ctx context.Context, job *river.Job[ReminderArgs]) error {
	result, err := SendReminder(ctx, w.s.db, w.s.cfg.Mail, job.Args, w.s.cfg.Now(), w.s.cfg.Logger)
	w.s.cfg.Metrics.Reminder(reminderResult(result, err))
	if errors.Is(err, ErrSkipped) {
		return river.JobSnooze(w.s.cfg.Mail.SkipRetry)
	}
	return err
}
