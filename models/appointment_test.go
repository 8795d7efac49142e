package models

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestOutcomeApply(t *testing.T) {
	start := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
	sched := func() Appointment {
		return Appointment{Kind: KindCheckin, Status: AppointmentScheduled, StartsAt: &start}
	}
	after, before := start.Add(time.Hour), start.Add(-time.Hour)
	tests := []struct {
		name     string
		status   string
		in       OutcomeInput
		now      time.Time
		wantCode string
		wantErr  map[string]string
	}{
		{"attended", "", OutcomeInput{Outcome: " attended ", Note: " came alone\nall well "}, after, "", nil},
		{"employer present", "", OutcomeInput{Outcome: AppointmentEmployerPresent}, after, "", nil},
		{"cancel ahead", "", OutcomeInput{Outcome: AppointmentCancelled}, before, "", nil},
		{"missed ahead of time", "", OutcomeInput{Outcome: AppointmentMissed}, before, EINVALID,
			map[string]string{"outcome": "only cancelled may be recorded before the appointment's start"}},
		{"unknown outcome", "", OutcomeInput{Outcome: "rescheduled"}, after, EINVALID,
			map[string]string{"outcome": "must be one of: attended, missed, employer_present, cancelled"}},
		{"no outcome, bad note", "", OutcomeInput{Note: "a\x00b"}, after, EINVALID,
			map[string]string{"outcome": "is required", "note": "must be plain text"}},
		{"on a cancelled appointment", AppointmentCancelled, OutcomeInput{Outcome: AppointmentAttended}, after, ECONFLICT, nil},
		{"twice", AppointmentAttended, OutcomeInput{Outcome: AppointmentMissed}, after, ECONFLICT, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := sched()
			if tt.status != "" {
				a.Status = tt.status
			}
			before := a
			err := tt.in.Apply(&a, tt.now)
			if got := ErrorCode(err); got != tt.wantCode {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.wantCode)
			}
			if err != nil {
				if tt.wantErr != nil && !reflect.DeepEqual(ErrorFields(err), tt.wantErr) {
					t.Errorf("fields = %v, want %v", ErrorFields(err), tt.wantErr)
				}
				if !reflect.DeepEqual(a, before) {
					t.Errorf("appointment changed on error: %+v", a)
				}
				return
			}
			if want := strings.TrimSpace(tt.in.Outcome); a.Status != want {
				t.Errorf("status = %q, want %q", a.Status, want)
			}
		})
	}
	a := sched()
	if err := (OutcomeInput{Outcome: "attended", Note: " came alone\nall well "}).Apply(&a, after); err != nil || a.OutcomeNote != "came alone\nall well" {
		t.Errorf("note = %q, %v", a.OutcomeNote, err)
	}
}

func TestFollowUp(t *testing.T) {
	a := Appointment{EmploymentID: "e", MissionID: "m", Kind: KindCheckin, Status: AppointmentEmployerPresent, Language: "tl", InterpreterNeeded: true, NoInterpreterNote: "n"}
	f := FollowUp(&a, d("2026-11-03"), 14)
	want := Appointment{EmploymentID: "e", MissionID: "m", Kind: KindFollowUp, Status: AppointmentScheduled,
		WindowStart: d("2026-11-03"), WindowEnd: d("2026-11-17")}
	if !reflect.DeepEqual(f, want) {
		t.Errorf("FollowUp = %+v, want %+v", f, want)
	}
}

func TestEscalationFor(t *testing.T) {
	all := []string{EscalationReschedule, EscalationOfficerFollowUp, EscalationSupervisorAlert, EscalationEligibilitySuspended}
	for _, tt := range []struct {
		misses int
		steps  []string
		want   Escalation
	}{
		{1, all, Escalation{FollowUp: true}},
		{2, all, Escalation{FollowUp: true, Urgent: true, Supervisor: true}},
		{3, all, Escalation{FollowUp: true, Urgent: true, Supervisor: true, FlagEmployer: true}},
		{5, all, Escalation{FollowUp: true, Urgent: true, Supervisor: true, FlagEmployer: true}},
		{3, []string{EscalationReschedule, EscalationSupervisorAlert}, Escalation{FollowUp: true, Supervisor: true}},
		{3, nil, Escalation{}},
	} {
		if got := EscalationFor(tt.misses, tt.steps); got != tt.want {
			t.Errorf("EscalationFor(%d, %v) = %+v, want %+v", tt.misses, tt.steps, got, tt.want)
		}
	}
}

func TestAppointmentInputs(t *testing.T) {
	now := time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC)
	later, earlier := now.Add(time.Hour), now.Add(-time.Hour)
	fields := func(err error) string {
		var keys []string
		for k := range ErrorFields(err) {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		return strings.Join(keys, ",")
	}
	in := AppointmentInput{EmploymentID: NewID(), Kind: KindCheckin, StartsAt: &later, Language: "FR", Room: " A "}
	if err := in.Check(now); err != nil || in.Language != "fr" || in.Room != "A" {
		t.Errorf("good input: %+v %v", in, err)
	}
	bad := AppointmentInput{EmploymentID: "x", Kind: "party", StartsAt: &earlier, Language: "1", Note: "a\x00"}
	if got := fields(bad.Check(now)); got != "employment_id,kind,language,note,starts_at" {
		t.Errorf("bad input names %q", got)
	}
	for _, tt := range []struct {
		u    AppointmentUpdate
		want string
	}{
		{AppointmentUpdate{StartsAt: &later, Room: "A", Reason: "worker ill"}, ""},
		{AppointmentUpdate{Status: "cancelled", Reason: "left the country"}, ""},
		{AppointmentUpdate{StartsAt: &later, Room: "A"}, "reason"},
		{AppointmentUpdate{Reason: "r"}, "room,starts_at"},
		{AppointmentUpdate{StartsAt: &earlier, Room: "A", Reason: "r"}, "starts_at"},
		{AppointmentUpdate{Status: "cancelled", StartsAt: &later, Reason: "r"}, "status"},
		{AppointmentUpdate{Status: "attended", Reason: "r"}, "status"},
	} {
		if got := fields(tt.u.Check(now)); got != tt.want {
			t.Errorf("%+v names %q, want %q", tt.u, got, tt.want)
		}
	}
}
