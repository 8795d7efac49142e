package models

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Case statuses, a small life cycle (the names follow the Human
// Trafficking Case Data Standard's cas_Status: Active, FollowUp, Closed):
//
//	open      -> follow_up, closed
//	follow_up -> open, closed
//	closed    (final: a new allegation opens a new case)
//
// A case that is not closed is "open" in the sense of the one-open-case
// rule: an employment has at most one case that is not closed.
const (
	CaseOpen     = "open"
	CaseFollowUp = "follow_up"
	CaseClosed   = "closed"
)

// CaseStatuses lists every case status.
var CaseStatuses = []string{CaseOpen, CaseFollowUp, CaseClosed}

var caseTransitions = map[string][]string{
	CaseOpen:     {CaseFollowUp, CaseClosed},
	CaseFollowUp: {CaseOpen, CaseClosed},
}

// CanCaseTransition reports whether a case may move from one status to another.
func CanCaseTransition(from, to string) bool {
	return slices.Contains(caseTransitions[from], to)
}

// Case priorities.
const (
	PriorityUrgent = "urgent"
	PriorityNormal = "normal"
)

// CasePriorities lists the priorities.
var CasePriorities = []string{PriorityUrgent, PriorityNormal}

// Case sources: what flagged the employment.
const (
	// CaseSourceOfficer: an officer opened the case (an allegation, a concern).
	CaseSourceOfficer = "officer"
	// CaseSourceInterview: an interview's answers triggered a critical risk.
	CaseSourceInterview = "interview"
	// CaseSourceWorker: the worker's own "I need help" action.
	CaseSourceWorker = "worker"
)

// CaseSources lists the sources.
var CaseSources = []string{CaseSourceOfficer, CaseSourceInterview, CaseSourceWorker}

// Case outcomes, recorded when a case is closed.
const (
	OutcomeResolved  = "resolved"       // the problem was remedied (arrears paid, conditions fixed)
	OutcomeReferred  = "referred"       // handed over to a referral organisation (HTCDS ClosedReferred)
	OutcomeUnfounded = "unfounded"      // no concern confirmed
	OutcomeEnded     = "employment_end" // the employment ended (departure, termination)
	OutcomeOther     = "other"
)

// CaseOutcomes lists the outcomes.
var CaseOutcomes = []string{OutcomeResolved, OutcomeReferred, OutcomeUnfounded, OutcomeEnded, OutcomeOther}

// Case is the office's record of a concern about one employment: opened
// when a risk or an allegation appears, worked through a timeline of
// actions, closed with an outcome. Only the protocol office (officers,
// admins) ever reads it: a mission never learns that it exists.
//
// Reason and the actions' notes are sensitive free text, stored as plain
// text for now in columns meant to be sealed (encrypted at rest) in place.
type Case struct {
	ID           string `json:"id" gorm:"primaryKey"`
	EmploymentID string `json:"employment_id"`
	// MissionID is the employment's mission, kept for the compliance
	// report's per-mission figures; never shown to a mission.
	MissionID string `json:"mission_id"`
	Status    string `json:"status"`
	Priority  string `json:"priority"`
	Source    string `json:"source"`
	Reason    string `json:"reason"`
	// Indicators are the ILO forced-labour indicators the case carries
	// (from interviews), as snake_case keys.
	Indicators Strings `json:"indicators" gorm:"type:text"`
	// AssignedTo is the officer's or admin's account id, or nil.
	AssignedTo *string   `json:"assigned_to"`
	OpenedBy   string    `json:"opened_by"`
	OpenedAt   time.Time `json:"opened_at"`
	// FirstActionAt is when an officer or admin first acted on the case
	// after it was opened (assignment, note, contact, referral, status
	// change): the compliance report's "time from flag to action".
	FirstActionAt *time.Time `json:"first_action_at"`
	ClosedAt      *time.Time `json:"closed_at"`
	Outcome       string     `json:"outcome"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// Case action kinds. Officers record the first group by hand
// (POST /cases/:id/actions); the registry records the others as the case
// changes.
const (
	ActNote              = "note"
	ActCall              = "call"
	ActMeeting           = "meeting"
	ActVisit             = "visit"
	ActEvidenceRequested = "evidence_requested"
	ActMissionContacted  = "mission_contacted"
	ActOther             = "other"

	ActOpened          = "opened"           // the case was opened
	ActFlagged         = "flagged"          // another risk or allegation on the open case
	ActAssigned        = "assigned"         // data: assigned_to ("" when unassigned)
	ActStatusChanged   = "status_changed"   // data: from, to
	ActPriorityChanged = "priority_changed" // data: from, to
	ActReferral        = "referral"         // data: referral_id, organisation_id, emergency
	ActClosed          = "closed"           // data: from, outcome
)

// ManualActionKinds are the kinds an officer may record by hand.
var ManualActionKinds = []string{ActNote, ActCall, ActMeeting, ActVisit, ActEvidenceRequested, ActMissionContacted, ActOther}

// CaseAction is one entry of a case's timeline: who did what, when.
type CaseAction struct {
	ID        string    `json:"id" gorm:"primaryKey"`
	CaseID    string    `json:"case_id"`
	Kind      string    `json:"kind"`
	ActorID   string    `json:"actor_id"`
	ActorRole string    `json:"actor_role"`
	At        time.Time `json:"at"`
	// Note is the officer's free text (sensitive: to be sealed at rest).
	Note string `json:"note"`
	// Data holds the change's ids and values (never free text).
	Data      StringMap `json:"data" gorm:"type:text"`
	CreatedAt time.Time `json:"created_at"`
}

// CountsAsAction reports whether an action of this kind by an actor of
// this role is an officer acting on the case, which sets FirstActionAt.
// The opening and later flags are not actions on the case, nor is
// anything the system records.
func CountsAsAction(kind, role string) bool {
	return kind != ActOpened && kind != ActFlagged && (role == RoleOfficer || role == RoleAdmin)
}

// CaseFilter selects cases.
type CaseFilter struct {
	Status       string
	Priority     string
	AssignedTo   string
	EmploymentID string
	Page
}

// MaxReasonLen caps a case's or a referral's reason (characters).
const MaxReasonLen = MaxNoteLen

// MaxIndicators caps the indicators a case carries.
const MaxIndicators = 40

var indicatorKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// CaseInput opens a case by hand (POST /cases).
type CaseInput struct {
	EmploymentID string `json:"employment_id"`
	Reason       string `json:"reason"`
	Priority     string `json:"priority"`
}

// Check validates the input, trims it and defaults the priority to normal.
func (in *CaseInput) Check() error {
	f := FieldErrors{}
	if !ValidID(in.EmploymentID) {
		f.Add("employment_id", "must be an employment's id")
	}
	in.Reason = checkNote(f, "reason", in.Reason, true)
	in.Priority = strings.TrimSpace(in.Priority)
	if in.Priority == "" {
		in.Priority = PriorityNormal
	} else if !slices.Contains(CasePriorities, in.Priority) {
		f.Add("priority", oneOfMsg(CasePriorities))
	}
	return f.Err()
}

// CaseFlag is a risk or an allegation raised on an employment by the
// registry itself (a critical interview, the worker's help action): see
// store.OpenUrgentCaseTx.
type CaseFlag struct {
	EmploymentID string
	// Source is CaseSourceInterview or CaseSourceWorker (or CaseSourceOfficer).
	Source string
	// Reason is a short text for officers; it may be empty for the worker's
	// discreet help action.
	Reason string
	// Indicators are the ILO indicator keys triggered, if any.
	Indicators []string
	// At is when the flag was raised (the interview's time); zero means now.
	At time.Time
}

// Check validates the flag (programming errors surface as EINVALID).
func (fl *CaseFlag) Check() error {
	f := FieldErrors{}
	if !ValidID(fl.EmploymentID) {
		f.Add("employment_id", "must be an employment's id")
	}
	if !slices.Contains(CaseSources, fl.Source) {
		f.Add("source", oneOfMsg(CaseSources))
	}
	fl.Reason = checkNote(f, "reason", fl.Reason, false)
	checkIndicators(f, "indicators", fl.Indicators)
	return f.Err()
}

func checkIndicators(f FieldErrors, field string, keys []string) {
	if len(keys) > MaxIndicators {
		f.Add(field, "must list at most 40 indicators")
		return
	}
	for _, k := range keys {
		if !indicatorKey.MatchString(k) {
			f.Add(field, "must be snake_case indicator keys")
			return
		}
	}
}

// mergeIndicators returns a's keys followed by b's not already in a.
func mergeIndicators(a, b []string) Strings {
	out := slices.Clone(a)
	for _, k := range b {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// Flag applies another flag to c, a case that is not closed: the
// indicators join the case's, and an urgent priority raises the case's.
// It reports whether the priority was raised.
func (c *Case) Flag(priority string, indicators []string) (raised bool) {
	c.Indicators = mergeIndicators(c.Indicators, indicators)
	if priority == PriorityUrgent && c.Priority != PriorityUrgent {
		c.Priority = PriorityUrgent
		return true
	}
	return false
}

// CaseUpdate is an officer's change to a case (PATCH /cases/:id): a nil
// field is left as it is. AssignedTo "" unassigns. Closing (status
// "closed") needs an Outcome; Note goes with the change onto the timeline.
type CaseUpdate struct {
	AssignedTo *string `json:"assigned_to"`
	Status     *string `json:"status"`
	Priority   *string `json:"priority"`
	Outcome    *string `json:"outcome"`
	Note       string  `json:"note"`
}

// Fields returns the JSON names of the set fields (for the audit trail).
func (u CaseUpdate) Fields() []string {
	return setNames([]setField{{"assigned_to", u.AssignedTo != nil}, {"status", u.Status != nil},
		{"priority", u.Priority != nil}, {"outcome", u.Outcome != nil}, {"note", u.Note != ""}})
}

// Check validates the update's form and trims it: at least one change, an
// accepted status and priority, an outcome only (and always) when closing.
// Whether the change is allowed from the case's status is Apply's.
func (u *CaseUpdate) Check() error {
	f := FieldErrors{}
	if u.AssignedTo == nil && u.Status == nil && u.Priority == nil && u.Outcome == nil {
		f.Add("body", "must change at least one of assigned_to, status, priority (a note alone is an action: POST /cases/:id/actions)")
	}
	if u.AssignedTo != nil {
		*u.AssignedTo = strings.TrimSpace(*u.AssignedTo)
		if *u.AssignedTo != "" && !ValidID(*u.AssignedTo) {
			f.Add("assigned_to", "must be an officer's account id, or empty to unassign")
		}
	}
	if u.Status != nil {
		*u.Status = strings.TrimSpace(*u.Status)
		if !slices.Contains(CaseStatuses, *u.Status) {
			f.Add("status", oneOfMsg(CaseStatuses))
		}
	}
	if u.Priority != nil {
		*u.Priority = strings.TrimSpace(*u.Priority)
		if !slices.Contains(CasePriorities, *u.Priority) {
			f.Add("priority", oneOfMsg(CasePriorities))
		}
	}
	closing := u.Status != nil && *u.Status == CaseClosed
	switch {
	case u.Outcome != nil && !closing:
		f.Add("outcome", "is recorded only when closing the case (status closed)")
	case u.Outcome == nil && closing:
		f.Add("outcome", msgRequired+" to close a case ("+strings.Join(CaseOutcomes, ", ")+")")
	case u.Outcome != nil:
		*u.Outcome = strings.TrimSpace(*u.Outcome)
		if !slices.Contains(CaseOutcomes, *u.Outcome) {
			f.Add("outcome", oneOfMsg(CaseOutcomes))
		}
	}
	u.Note = checkNote(f, "note", u.Note, false)
	return f.Err()
}

// Apply checks the update against c (call Check first) and, when it is
// acceptable, applies it to c at now and returns the timeline entries it
// makes (without ids, case id or actor). A closed case gives ECONFLICT, as
// does a status change the life cycle does not allow. Setting a value the
// case already has is no change (and no entry).
func (u CaseUpdate) Apply(c *Case, now time.Time) ([]CaseAction, error) {
	if c.Status == CaseClosed {
		return nil, Errorf(ECONFLICT, "The case is closed: a new allegation opens a new case.")
	}
	if u.Status != nil && *u.Status != c.Status && !CanCaseTransition(c.Status, *u.Status) {
		return nil, Errorf(ECONFLICT, "A case cannot move from %s to %s.", c.Status, *u.Status)
	}
	var acts []CaseAction
	add := func(kind string, data StringMap) {
		acts = append(acts, CaseAction{Kind: kind, At: now, Note: u.Note, Data: data})
	}
	if u.AssignedTo != nil {
		cur := ""
		if c.AssignedTo != nil {
			cur = *c.AssignedTo
		}
		if *u.AssignedTo != cur {
			if *u.AssignedTo == "" {
				c.AssignedTo = nil
			} else {
				v := *u.AssignedTo
				c.AssignedTo = &v
			}
			add(ActAssigned, StringMap{"assigned_to": *u.AssignedTo})
		}
	}
	if u.Priority != nil && *u.Priority != c.Priority {
		add(ActPriorityChanged, StringMap{"from": c.Priority, "to": *u.Priority})
		c.Priority = *u.Priority
	}
	if u.Status != nil && *u.Status != c.Status {
		if *u.Status == CaseClosed {
			add(ActClosed, StringMap{"from": c.Status, "outcome": *u.Outcome})
			t := now
			c.ClosedAt, c.Outcome = &t, *u.Outcome
		} else {
			add(ActStatusChanged, StringMap{"from": c.Status, "to": *u.Status})
		}
		c.Status = *u.Status
	}
	// The note goes on the first entry only.
	for i := 1; i < len(acts); i++ {
		acts[i].Note = ""
	}
	return acts, nil
}

// ActionInput is an action an officer records by hand (POST /cases/:id/actions).
type ActionInput struct {
	Kind string `json:"kind"`
	Note string `json:"note"`
}

// Check validates and trims the input: a manual kind and a note (required
// for a plain note).
func (in *ActionInput) Check() error {
	f := FieldErrors{}
	in.Kind = strings.TrimSpace(in.Kind)
	if !slices.Contains(ManualActionKinds, in.Kind) {
		f.Add("kind", oneOfMsg(ManualActionKinds))
	}
	in.Note = checkNote(f, "note", in.Note, in.Kind == ActNote || in.Kind == ActOther)
	return f.Err()
}
