package scheduler

import (
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
)

// TestComposeNotification_InterviewCritical: the supervisors' same-day
// alert of a critical interview names ids and the timeline only: no
// answer, indicator, note or worker's name.
func TestComposeNotification_InterviewCritical(t *testing.T) {
	appt := "appt-7"
	ev := models.TimelineEvent{Notify: models.NotifySupervisors, Kind: models.EventInterviewCritical, EmploymentID: "emp-7",
		AppointmentID: &appt, Data: models.StringMap{"interview_id": "iv-7", "risk_level": models.SeverityCritical}}
	n := composeNotification(&ev, &store.NotificationRecipients{WorkerName: "Ana Reyes"}, time.UTC, "Office", "en")
	text := n.Subject + "\n" + n.Body
	for _, w := range []string{"emp-7", "critical risk", "act today", "/api/v1/employments/emp-7/timeline"} {
		if !strings.Contains(text, w) {
			t.Errorf("lacks %q:\n%s", w, text)
		}
	}
	for _, w := range []string{"Ana Reyes", "interview", "note", "violence", "restriction", "iv-7"} {
		if strings.Contains(strings.ToLower(text), strings.ToLower(w)) {
			t.Errorf("contains %q:\n%s", w, text)
		}
	}
}
