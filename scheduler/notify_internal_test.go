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
		n := composeNotification(&tt.ev, to, loc, "Office")
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
