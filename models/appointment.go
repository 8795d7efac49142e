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

// KindForMission is the kind a mission's focal point is shown: a
// follow-up is shown as a check-in, so that a follow-up planned after an
// interview that raised a concern gives the employer's side no hint of it
// (a miss, which the mission is told of, is named in the notice itself).
func KindForMission(kind string) string {
	if kind == KindFollowUp {
		return KindCheckin
	}
	return kind
}

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
	// Language is the interview's language: the worker's first language
	// when the staff or a free interpreter speak it, else the worker's next
	// language that the staff speak (see Booked.PlaceInterview).
	Language string `json:"language"`
	// InterpreterNeeded is set when the office's own staff do not speak
	// Language; Interpreter names the interpreter booked for the slot.
	// NoInterpreterNote says what is missing for officers (no interpreter
	// was found for the worker's first language).
	InterpreterNeeded bool   `json:"interpreter_needed"`
	Interpreter       string `json:"interpreter"`
	NoInterpreterNote string `json:"no_interpreter_note"`
	// BriefingID is set on a worker's place in a group briefing (kind
	// briefing): the slot and room are the briefing's.
	BriefingID *string `json:"briefing_id"`
	// Urgent marks a follow-up after a second consecutive miss: an urgent
	// task for officers (GET /appointments?urgent=true).
	Urgent bool `json:"urgent"`
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
	note := checkNote(f, "note", in.Note, false)
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

// checkNote checks an officer's free text (plain text, at most MaxNoteLen
// characters) and returns it trimmed.
func checkNote(f FieldErrors, field, s string, required bool) string {
	note := strings.TrimSpace(s)
	switch {
	case note == "" && required:
		f.Add(field, msgRequired)
	case !utf8.ValidString(note) || strings.IndexFunc(note, func(r rune) bool {
		return unicode.IsControl(r) && r != '\n' && r != '\t'
	}) >= 0:
		f.Add(field, "must be plain text")
	case utf8.RuneCountInString(note) > MaxNoteLen:
		f.Add(field, "must be at most "+strconv.Itoa(MaxNoteLen)+" characters")
	}
	return note
}

// AppointmentInput is an appointment an officer books by hand
// (POST /appointments): at StartsAt, for one slot, in Room (or the first
// free room), in Language (or the language the planner would choose).
// Note is the officer's reason, kept on the employment's timeline.
type AppointmentInput struct {
	EmploymentID string     `json:"employment_id"`
	Kind         string     `json:"kind"`
	StartsAt     *time.Time `json:"starts_at"`
	Room         string     `json:"room"`
	Language     string     `json:"language"`
	Note         string     `json:"note"`
}

// Check validates the input's form (the slot itself is checked against
// the calendar when it is booked) and trims it.
func (in *AppointmentInput) Check(now time.Time) error {
	f := FieldErrors{}
	if !ValidID(in.EmploymentID) {
		f.Add("employment_id", "must be an employment's id")
	}
	if !slices.Contains(AppointmentKinds, in.Kind) {
		f.Add("kind", oneOfMsg(AppointmentKinds))
	}
	checkStart(f, in.StartsAt, now)
	in.Room = strings.TrimSpace(in.Room)
	if in.Language = strings.TrimSpace(in.Language); in.Language != "" {
		if !ValidLanguage(in.Language) {
			f.Add("language", "must be a language code such as en, fr or zh-Hant")
		} else {
			in.Language = CanonicalLanguage(in.Language)
		}
	}
	in.Note = checkNote(f, "note", in.Note, false)
	return f.Err()
}

func checkStart(f FieldErrors, at *time.Time, now time.Time) {
	switch {
	case at == nil:
		f.Add("starts_at", msgRequired)
	case !at.After(now):
		f.Add("starts_at", "must be in the future")
	}
}

// AppointmentUpdate reschedules a scheduled appointment (StartsAt, Room
// and Reason) or cancels it (Status "cancelled" and Reason). A reschedule
// moves the slot in place: the appointment keeps its id, kind and due
// window; the previous slot and the reason go on the employment's
// timeline.
type AppointmentUpdate struct {
	StartsAt *time.Time `json:"starts_at"`
	Room     string     `json:"room"`
	Status   string     `json:"status"`
	Reason   string     `json:"reason"`
}

// Cancel reports whether the update cancels the appointment.
func (u *AppointmentUpdate) Cancel() bool { return u.Status == AppointmentCancelled }

// Check validates the update's form and trims it.
func (u *AppointmentUpdate) Check(now time.Time) error {
	f := FieldErrors{}
	u.Room = strings.TrimSpace(u.Room)
	switch u.Status {
	case AppointmentCancelled:
		if u.StartsAt != nil || u.Room != "" {
			f.Add("status", "a cancellation takes only a reason, no starts_at or room")
		}
	case "":
		checkStart(f, u.StartsAt, now)
		if u.Room == "" {
			f.Add("room", msgRequired)
		}
	default:
		f.Add("status", "must be cancelled, or absent to reschedule")
	}
	u.Reason = checkNote(f, "reason", u.Reason, true)
	return f.Err()
}

// Timeline event kinds: what happened to an employment's appointments,
// and each step of the escalation ladder.
const (
	EventCreated         = "appointment_created" // booked by hand
	EventRescheduled     = "rescheduled"         // data: previous_starts_at, previous_room, starts_at, room, reason
	EventCancelled       = "cancelled"           // data: reason
	EventMissed          = "missed"              // data: outcome (missed or employer_present); step: consecutive misses
	EventFollowUpPlanned = "follow_up_planned"   // the reschedule step
	EventMissionNotified = "mission_notified"    // notify mission: logistics of an appointment
	EventUrgentTask      = "urgent_task"         // the officer_follow_up step
	EventSupervisorAlert = "supervisor_alert"    // notify supervisors
	EventEmployerFlagged = "employer_flagged"    // the eligibility_suspended step: an admin confirms
	NotifyMission        = "mission"
	NotifySupervisors    = "supervisors"
)

// TimelineEvent is one entry of an employment's timeline. Step is the
// number of consecutive misses that led to an escalation entry (0
// otherwise). Notify names who must be told ("mission" or "supervisors",
// "" for none): the entry is then a message to send, and NotifiedAt is set
// once it is sent. A mission's entries carry logistics only (kind, date,
// time, room): never anything from interviews.
type TimelineEvent struct {
	ID            string     `json:"id" gorm:"primaryKey"`
	EmploymentID  string     `json:"employment_id"`
	MissionID     string     `json:"mission_id"`
	AppointmentID *string    `json:"appointment_id"`
	Kind          string     `json:"kind"`
	Step          int        `json:"step"`
	Notify        string     `json:"notify"`
	Data          StringMap  `json:"data" gorm:"type:text"`
	NotifiedAt    *time.Time `json:"notified_at"`
	CreatedAt     time.Time  `json:"created_at"`
}

// FollowUp returns the follow-up appointment due within days (the policy's
// follow_up_days) after a, which was not attended or raised a concern,
// starting on today: same employment, no slot yet (the planner chooses the
// slot, language and interpreter).
func FollowUp(a *Appointment, today Date, days int) Appointment {
	return Appointment{
		EmploymentID: a.EmploymentID, MissionID: a.MissionID, Kind: KindFollowUp, Status: AppointmentScheduled,
		WindowStart: today, WindowEnd: today.AddDate(0, 0, max(days, 1)),
	}
}

// Escalation is what the ladder does after a miss, given how many
// consecutive misses there now are and the policy's escalation steps.
type Escalation struct {
	// FollowUp: plan a follow-up within the policy's days and notify the
	// mission of it (the reschedule step, every miss).
	FollowUp bool
	// Urgent: the follow-up is an urgent task for officers (the
	// officer_follow_up step, from the second consecutive miss).
	Urgent bool
	// Supervisor: alert the supervisors and notify the mission (the
	// supervisor_alert_and_mission_notified step, from the second).
	Supervisor bool
	// FlagEmployer: flag the employer for suspension of eligibility, which
	// an admin confirms (the eligibility_suspended step, from the third).
	FlagEmployer bool
}

// EscalationFor returns the ladder's rung for the misses-th consecutive
// miss (missed or employer_present) under a policy listing steps. A step
// the policy does not list is skipped.
func EscalationFor(misses int, steps []string) Escalation {
	has := func(s string) bool { return slices.Contains(steps, s) }
	return Escalation{
		FollowUp:     misses >= 1 && has(EscalationReschedule),
		Urgent:       misses >= 2 && has(EscalationOfficerFollowUp),
		Supervisor:   misses >= 2 && has(EscalationSupervisorAlert),
		FlagEmployer: misses >= 3 && has(EscalationEligibilitySuspended),
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
	// Urgent selects the urgent follow-ups still scheduled.
	Urgent bool
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
