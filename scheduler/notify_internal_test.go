package scheduler

import (
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
)

// TestComposeNotification: each kind of timeline message says what it
// must and nothing else: a miss without a placed follow-up, a
// cancellation, an employer flagged (ids only).
func TestComposeNotification(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		t.Skip("no time zone data")
	}
	appt := "appt-1"
	to := &store.NotificationRecipients{WorkerName: "Ana Reyes"}
	for _, tt := range []struct {
		name      string
		ev        models.TimelineEvent
		want, not []string
	}{
		{"miss, follow-up to come", models.TimelineEvent{Notify: models.NotifyMission, Kind: models.EventMissionNotified,
			Data: models.StringMap{"kind": models.KindCheckin, "status": "not_attended"}},
			[]string{"Ana Reyes did not attend", "follow-up"}, []string{"check", "Date:"}},
		{"cancelled", models.TimelineEvent{Notify: models.NotifyMission, Kind: models.EventMissionNotified,
			Data: models.StringMap{"kind": models.KindRegistration, "status": models.AppointmentCancelled,
				"starts_at": "2026-12-01T09:00:00+01:00", "ends_at": "2026-12-01T09:45:00+01:00", "room": "Room 2"}},
			[]string{"cancelled", "2026-12-01", "09:00 to 09:45 (Europe/Zurich)", "Office, Room 2"}, []string{"registration", "come alone"}},
		{"employer flagged", models.TimelineEvent{Notify: models.NotifySupervisors, Kind: models.EventEmployerFlagged, Step: 3,
			EmploymentID: "emp-1", AppointmentID: &appt, Data: models.StringMap{"employer_id": "empl-9"}},
			[]string{"emp-1", "appt-1", "empl-9", "suspension", "/api/v1/employments/emp-1/timeline", "Consecutive misses: 3"}, []string{"Ana Reyes"}},
	} {
		n := composeNotification(&tt.ev, to, loc, "Office", "")
		text := n.Subject + "\n" + n.Body
		for _, w := range tt.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: lacks %q:\n%s", tt.name, w, text)
			}
		}
		for _, w := range append(tt.not, "note", "interview") {
			if strings.Contains(strings.ToLower(text), strings.ToLower(w)) {
				t.Errorf("%s: contains %q:\n%s", tt.name, w, text)
			}
		}
	}
}

// TestComposeNotification_Languages: every kind of message in every
// language with texts: no placeholder left, the worker's name, the date
// and time in the language's digits, the supervisors' ids; an unknown
// language gives English.
func TestComposeNotification_Languages(t *testing.T) {
	loc := time.FixedZone("CET", 3600)
	appt := "appt-1"
	to := &store.NotificationRecipients{WorkerName: "Ana Reyes"}
	slot := models.StringMap{"starts_at": "2026-12-01T09:00:00+01:00", "ends_at": "2026-12-01T09:45:00+01:00", "room": "Room 2"}
	evs := []models.TimelineEvent{
		{Notify: models.NotifyMission, Data: models.StringMap{"status": "not_attended"}},
		{Notify: models.NotifyMission, Data: models.StringMap{"status": models.AppointmentCancelled, "starts_at": slot["starts_at"], "ends_at": slot["ends_at"]}},
		{Notify: models.NotifyMission, Data: models.StringMap{"kind": models.KindFollowUp, "starts_at": slot["starts_at"], "ends_at": slot["ends_at"], "room": "Room 2"}},
		{Notify: models.NotifyMission, Data: models.StringMap{"kind": models.KindCheckin, "starts_at": slot["starts_at"]}},
		{Notify: models.NotifyMission, Data: models.StringMap{"kind": models.KindCheckin, "window_end": "2026-12-20"}},
		{Notify: models.NotifySupervisors, Kind: models.EventEmployerFlagged, Step: 3, EmploymentID: "emp-1", AppointmentID: &appt,
			Data: models.StringMap{"employer_id": "empl-9"}},
	}
	start := time.Date(2026, 12, 1, 9, 0, 0, 0, loc)
	for _, lang := range models.ReminderLanguages {
		tx := models.MailTextsFor(lang)
		for i, ev := range evs {
			n := composeNotification(&ev, to, loc, "Office", lang)
			text := n.Subject + "\n" + n.Body
			if n.Language != lang || !strings.HasPrefix(n.Subject, "PDW Registry: ") || strings.ContainsAny(text, "{}") && ev.Notify != models.NotifySupervisors {
				t.Errorf("%s #%d: language %s:\n%s", lang, i, n.Language, text)
			}
			switch {
			case ev.Notify == models.NotifySupervisors:
				for _, w := range []string{"emp-1", "appt-1", "empl-9", `PATCH /api/v1/employers/empl-9 {"suspended":true}`, "/api/v1/employments/emp-1/timeline", tx.Number(3)} {
					if !strings.Contains(text, w) {
						t.Errorf("%s alert lacks %q:\n%s", lang, w, text)
					}
				}
				if strings.Contains(text, "Ana Reyes") {
					t.Errorf("%s alert names the worker", lang)
				}
			case ev.Data["starts_at"] != "":
				for _, w := range []string{"Ana Reyes", tx.Date(start), tx.Clock(start), tx.Weekday(start), "Office"} {
					if !strings.Contains(text, w) {
						t.Errorf("%s #%d lacks %q:\n%s", lang, i, w, text)
					}
				}
			default:
				if !strings.Contains(text, "Ana Reyes") {
					t.Errorf("%s #%d lacks the worker's name:\n%s", lang, i, text)
				}
			}
		}
	}
	ne := composeNotification(&evs[3], to, loc, "Office", "ne")
	if !strings.Contains(ne.Body, "०९:००") || !strings.Contains(ne.Body, "२०२६-१२-०१") {
		t.Errorf("Nepali message not in Devanagari digits:\n%s", ne.Body)
	}
	if en := composeNotification(&evs[3], to, loc, "Office", "xx"); en.Language != "en" || !strings.Contains(en.Body, "Date: Tuesday 2026-12-01") {
		t.Errorf("unknown language: %s\n%s", en.Language, en.Body)
	}
}
