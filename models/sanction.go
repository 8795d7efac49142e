package models

import (
	"strings"
	"time"
)

// Sanction subjects and actions.
const (
	SubjectEmployer = "employer"
	SubjectMission  = "mission"
	SanctionSuspend = "suspend"
	SanctionRestore = "restore"
)

// SanctionSubjects and SanctionActions list the accepted values.
var (
	SanctionSubjects = []string{SubjectEmployer, SubjectMission}
	SanctionActions  = []string{SanctionSuspend, SanctionRestore}
)

// Length limits of a sanction's texts.
const (
	MaxSanctionReasonLen = 1000
	MaxLegalBasisLen     = 300
)

// Sanction is one entry of the sanctions register: an administrator's
// decision to suspend or restore an employer's or a mission's eligibility
// to register new workers. Entries are never changed; the subject's
// suspended flag is the current state.
type Sanction struct {
	ID          string `json:"id" gorm:"primaryKey"`
	SubjectKind string `json:"subject_kind"`
	SubjectID   string `json:"subject_id"`
	// MissionID is the subject's mission (the mission itself for a mission).
	MissionID  string    `json:"mission_id"`
	Action     string    `json:"action"`
	Reason     string    `json:"reason"`
	LegalBasis string    `json:"legal_basis"`
	ActorID    string    `json:"actor_id"`
	CreatedAt  time.Time `json:"created_at"`
}

// SanctionInput is the body of POST /sanctions.
type SanctionInput struct {
	SubjectKind string `json:"subject_kind"`
	SubjectID   string `json:"subject_id"`
	Action      string `json:"action"`
	Reason      string `json:"reason"`
	LegalBasis  string `json:"legal_basis"`
}

// Validate trims in and checks it; the error is an EINVALID *Error naming
// every failing field.
func (in *SanctionInput) Validate() error {
	f := FieldErrors{}
	checkEnum(f, "subject_kind", &in.SubjectKind, SanctionSubjects)
	in.SubjectID = strings.TrimSpace(in.SubjectID)
	switch {
	case in.SubjectID == "":
		f.Add("subject_id", msgRequired)
	case !ValidID(in.SubjectID):
		f.Add("subject_id", msgID)
	}
	checkEnum(f, "action", &in.Action, SanctionActions)
	checkText(f, "reason", &in.Reason, true, MaxSanctionReasonLen)
	checkText(f, "legal_basis", &in.LegalBasis, true, MaxLegalBasisLen)
	return f.Err()
}

// SanctionFilter selects register entries; zero fields match everything.
type SanctionFilter struct {
	SubjectID string
	MissionID string
	Page
}

// SuspendedMessage is the sentence a refused notification gets: who is
// suspended, since when, why and on which legal basis (s is the sanction
// in force, or nil when the register holds none, as for a flag set before
// the register existed).
func SuspendedMessage(subject string, s *Sanction) string {
	msg := "The " + subject + "'s eligibility to register new workers is suspended"
	if s == nil {
		return msg + "."
	}
	return msg + " since " + DateOf(s.CreatedAt.UTC()).String() + ": " + s.Reason + " (legal basis: " + s.LegalBasis + ")."
}

// RefusedSuspendedPrefix starts the audit detail of a notification refused
// because the employer or the mission is suspended; the mission's id
// follows (an id, never personal data), so reports can count refusals per
// mission.
const RefusedSuspendedPrefix = "suspended:"
