package models

import (
	"strconv"
	"strings"
	"time"
)

// Briefing statuses: a briefing is scheduled until an officer records that
// it was held, or cancels it.
const (
	BriefingScheduled = "scheduled"
	BriefingHeld      = "held"
	BriefingCancelled = "cancelled"
)

// BriefingStatuses lists every briefing status.
var BriefingStatuses = []string{BriefingScheduled, BriefingHeld, BriefingCancelled}

// MaxBriefingCapacity bounds how many workers one briefing receives.
const MaxBriefingCapacity = 100

// Briefing is a group rights briefing at the protocol office: one room for
// one slot, in one language (with an interpreter when the staff do not
// speak it), for up to Capacity workers. Each worker invited holds an
// appointment of kind briefing in the same slot and room (its BriefingID
// names the briefing), so reminders, outcomes and the mission's notice
// work as for any appointment. Like every appointment it takes place in
// the office, never at the employer's residence or the mission.
type Briefing struct {
	ID                string    `json:"id" gorm:"primaryKey"`
	StartsAt          time.Time `json:"starts_at"`
	EndsAt            time.Time `json:"ends_at"`
	Room              string    `json:"room"`
	Language          string    `json:"language"`
	Interpreter       string    `json:"interpreter"`
	InterpreterNeeded bool      `json:"interpreter_needed"`
	Capacity          int       `json:"capacity"`
	Status            string    `json:"status"`
	Note              string    `json:"note"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// BriefingInput is an officer's request for a group briefing. With Invite
// "auto" the registry fills it with the workers who speak its language and
// have not had a briefing for a year (see InviteAuto); with EmploymentIDs
// it invites those employments' workers; both may be left empty and
// workers invited later.
type BriefingInput struct {
	StartsAt      *time.Time `json:"starts_at"`
	Room          string     `json:"room"`
	Language      string     `json:"language"`
	Capacity      int        `json:"capacity"`
	Note          string     `json:"note"`
	Invite        string     `json:"invite"`
	EmploymentIDs []string   `json:"employment_ids"`
}

// Invite modes.
const (
	InviteAuto = "auto"
	InviteNone = ""
)

// Check validates the input's form and trims it (the slot is checked
// against the calendar when it is booked).
func (in *BriefingInput) Check(now time.Time) error {
	f := FieldErrors{}
	checkStart(f, in.StartsAt, now)
	in.Room = strings.TrimSpace(in.Room)
	in.Language = strings.TrimSpace(in.Language)
	switch {
	case in.Language == "":
		f.Add("language", msgRequired)
	case !ValidLanguage(in.Language):
		f.Add("language", "must be a language code such as en, tl or a sign language such as ase")
	default:
		in.Language = CanonicalLanguage(in.Language)
	}
	if in.Capacity < 1 || in.Capacity > MaxBriefingCapacity {
		f.Add("capacity", "must be between 1 and "+strconv.Itoa(MaxBriefingCapacity))
	}
	in.Note = checkNote(f, "note", in.Note, false)
	checkInvite(f, &in.Invite, in.EmploymentIDs, in.Capacity)
	return f.Err()
}

// BriefingInvitation invites more workers to a briefing: the employments
// listed, or with Invite "auto" as many as there are free places.
type BriefingInvitation struct {
	Invite        string   `json:"invite"`
	EmploymentIDs []string `json:"employment_ids"`
}

// Check validates the invitation's form.
func (in *BriefingInvitation) Check() error {
	f := FieldErrors{}
	checkInvite(f, &in.Invite, in.EmploymentIDs, MaxBriefingCapacity)
	if in.Invite == InviteNone && len(in.EmploymentIDs) == 0 {
		f.Add("employment_ids", "must list at least one employment, or set invite to \"auto\"")
	}
	return f.Err()
}

func checkInvite(f FieldErrors, invite *string, ids []string, capacity int) {
	*invite = strings.TrimSpace(*invite)
	if *invite != InviteNone && *invite != InviteAuto {
		f.Add("invite", `must be "auto" or left out`)
	}
	if *invite == InviteAuto && len(ids) > 0 {
		f.Add("employment_ids", `must be left out when invite is "auto"`)
	}
	if len(ids) > capacity && capacity >= 1 {
		f.Add("employment_ids", "must list at most "+strconv.Itoa(capacity)+" employments (the capacity)")
	}
	seen := make(map[string]bool, len(ids))
	for i, id := range ids {
		field := "employment_ids[" + strconv.Itoa(i) + "]"
		switch {
		case !ValidID(id):
			f.Add(field, msgID)
		case seen[id]:
			f.Add(field, "is listed twice")
		}
		seen[id] = true
	}
}

// BriefingUpdate records that a briefing was held, or cancels it, with a
// note. Holding it records nothing about the workers: their attendance is
// each appointment's outcome.
type BriefingUpdate struct {
	Status string `json:"status"`
	Note   string `json:"note"`
}

// Apply checks the update against b and records it; on error b is left
// unchanged. Only a scheduled briefing changes (ECONFLICT otherwise); it
// is held only once it has begun.
func (u BriefingUpdate) Apply(b *Briefing, now time.Time) error {
	f := FieldErrors{}
	status := strings.TrimSpace(u.Status)
	if status != BriefingHeld && status != BriefingCancelled {
		f.Add("status", `must be "held" or "cancelled"`)
	}
	note := checkNote(f, "note", u.Note, status == BriefingCancelled)
	if err := f.Err(); err != nil {
		return err
	}
	if b.Status != BriefingScheduled {
		return Errorf(ECONFLICT, "This briefing is %s already.", b.Status)
	}
	if status == BriefingHeld && now.Before(b.StartsAt) {
		return &Error{Code: EINVALID, Message: "A briefing is held only once it has begun.",
			Fields: map[string]string{"status": "cannot be held before the briefing's start"}}
	}
	b.Status = status
	if note != "" {
		b.Note = note
	}
	return nil
}

// BriefingFilter selects briefings. From and To are dates in the office's
// time zone, both included.
type BriefingFilter struct {
	From, To *Date
	Status   string
	Language string
	Page
}

// BriefingDetail is a briefing with its attendees' appointments.
type BriefingDetail struct {
	Briefing
	Attendees []Appointment `json:"attendees"`
}
