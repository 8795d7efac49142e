package models

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Appointment kinds.
const (
	// KindRegistration is the in-person arrival registration, with the rights briefing.
	KindRegistration = "registration"
	// KindCheckin is the periodic private interview with the worker alone.
	KindCheckin = "checkin"
	// KindRenewal is the interview before the ID card's renewal.
	KindRenewal = "renewal"
	// KindExit is the exit interview at departure or termination.
	KindExit = "exit"
	// KindFollowUp follows a missed or a flagged interview.
	KindFollowUp = "follow_up"
	// KindBriefing is a group rights briefing.
	KindBriefing = "briefing"
)

// AppointmentKinds lists every kind.
var AppointmentKinds = []string{KindRegistration, KindCheckin, KindRenewal, KindExit, KindFollowUp, KindBriefing}

// Appointment statuses: an appointment is scheduled until an outcome is
// recorded (by an officer, or "missed" by the sweep); the others are final.
const (
	AppointmentScheduled       = "scheduled"
	AppointmentAttended        = "attended"
	AppointmentMissed          = "missed"
	AppointmentEmployerPresent = "employer_present"
	AppointmentCancelled       = "cancelled"
	AppointmentRescheduled     = "rescheduled"
)

// AppointmentStatuses lists every status.
var AppointmentStatuses = []string{AppointmentScheduled, AppointmentAttended, AppointmentMissed,
	AppointmentEmployerPresent, AppointmentCancelled, AppointmentRescheduled}

// Outcomes lists the outcomes an officer may record on a scheduled appointment.
var Outcomes = []string{AppointmentAttended, AppointmentMissed, AppointmentEmployerPresent, AppointmentCancelled}

// Appointment is a meeting of the worker, alone, with the protocol office,
// in one of the office's rooms. The planner creates one for every due
// window (at most one per employment, kind and window start); it has a slot
// (StartsAt, EndsAt, Room) unless no free slot could be found inside the
// window, in which case officers must place it by hand ("unplaceable").
type Appointment struct {
	ID           string `json:"id" gorm:"primaryKey"`
	EmploymentID string `json:"employment_id"`
	// MissionID is the employment's mission, kept here for scoping and reports.
	MissionID string `json:"mission_id"`
	Kind      string `json:"kind"`
	Status    string `json:"status"`
	// WindowStart and WindowEnd bound the dates (in the office's time zone,
	// both included) on which the appointment is due.
	WindowStart Date       `json:"window_start"`
	WindowEnd   Date       `json:"window_end"`
	StartsAt    *time.Time `json:"starts_at"`
	EndsAt      *time.Time `json:"ends_at"`
	Room        string     `json:"room"`
	// Language is the interview's language: the worker's first language.
	Language string `json:"language"`
	// InterpreterNeeded is set when the office's own staff do not speak
	// Language; NoInterpreterNote says what is missing for officers.
	InterpreterNeeded bool   `json:"interpreter_needed"`
	NoInterpreterNote string `json:"no_interpreter_note"`
	// OutcomeNote is the officer's note with the outcome; only the office sees it.
	OutcomeNote string    `json:"outcome_note"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Placed reports whether the appointment has a slot.
func (a *Appointment) Placed() bool { return a.StartsAt != nil }

// MaxNoteLen caps an outcome note (characters).
const MaxNoteLen = 4000

// OutcomeInput is an officer's record of how a scheduled appointment went.
type OutcomeInput struct {
	Outcome string `json:"outcome"`
	Note    string `json:"note"`
}

// Apply checks the outcome against a and, when it is acceptable, records it
// on a; on error a is left unchanged. An unknown outcome or a bad note gives
// EINVALID naming the field; an attended, missed or employer_present
// outcome before the appointment's start gives EINVALID too. An appointment
// that is not scheduled gives ECONFLICT: outcomes are final.
func (in OutcomeInput) Apply(a *Appointment, now time.Time) error {
	f := FieldErrors{}
	outcome := strings.TrimSpace(in.Outcome)
	switch {
	case outcome == "":
		f.Add("outcome", msgRequired)
	case !slices.Contains(Outcomes, outcome):
		f.Add("outcome", oneOfMsg(Outcomes))
	}
	note := strings.TrimSpace(in.Note)
	switch {
	case !utf8.ValidString(note) || strings.IndexFunc(note, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\t'
	}) >= 0:
		f.Add("note", "must be plain text")
	case utf8.RuneCountInString(note) > MaxNoteLen:
		f.Add("note", "must be at most "+strconv.Itoa(MaxNoteLen)+" characters")
	}
	if err := f.Err(); err != nil {
		return err
	}
	if a.Status != AppointmentScheduled {
		return Errorf(ECONFLICT, "This appointment is %s: an outcome can be recorded only once, on a scheduled appointment.",
			strings.ReplaceAll(a.Status, "_", " "))
	}
	if outcome != AppointmentCancelled && a.StartsAt != nil && now.Before(*a.StartsAt) {
		return &Error{Code: EINVALID, Message: "The appointment has not started yet.",
			Fields: map[string]string{"outcome": "only cancelled may be recorded before the appointment's start"}}
	}
	a.Status = outcome
	a.OutcomeNote = note
	return nil
}

// FollowUpWindowDays is how many days after an unattended appointment its
// follow-up is due (office practice; the policy's escalation steps name
// the steps, not the number of days).
const FollowUpWindowDays = 14

// FollowUp returns the follow-up appointment due after a, which was not
// attended, starting on today: same employment, language and interpreter
// needs, no slot yet.
func FollowUp(a *Appointment, today Date) Appointment {
	return Appointment{
		EmploymentID: a.EmploymentID, MissionID: a.MissionID, Kind: KindFollowUp, Status: AppointmentScheduled,
		WindowStart: today, WindowEnd: today.AddDate(0, 0, FollowUpWindowDays),
		Language: a.Language, InterpreterNeeded: a.InterpreterNeeded, NoInterpreterNote: a.NoInterpreterNote,
	}
}

// AppointmentFilter selects appointments.
type AppointmentFilter struct {
	// From and To select appointments whose slot falls on those dates (in
	// the office's time zone, both included); unplaced ones have no date.
	From, To     *Date
	Kind         string
	Status       string
	MissionID    string
	EmploymentID string
	// Unplaced selects the appointments that still have no slot.
	Unplaced bool
	Page
}

// PlanResult is what one planning pass did.
type PlanResult struct {
	// Employments is how many employments the pass examined.
	Employments int `json:"employments"`
	// Created counts new appointments, Placed those of them given a slot.
	Created int `json:"created"`
	Placed  int `json:"placed"`
	// Unplaceable lists the new appointments for which no free slot exists
	// inside their window: officers must place them.
	Unplaceable []Unplaceable `json:"unplaceable"`
}

// Unplaceable names an appointment the planner could not place (ids and
// dates only).
type Unplaceable struct {
	AppointmentID string `json:"appointment_id"`
	EmploymentID  string `json:"employment_id"`
	Kind          string `json:"kind"`
	WindowStart   Date   `json:"window_start"`
	WindowEnd     Date   `json:"window_end"`
}
