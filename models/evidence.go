package models

import (
	"slices"
	"strings"
	"time"
)

// Evidence kinds.
const (
	// EvidencePay is proof of one month's wage paid (a bank statement):
	// Month names the month, SoleNameAccount whether the account is in the
	// worker's sole name.
	EvidencePay = "pay"
	// EvidenceInsurance is proof of an insurance (health or accident) valid until ValidUntil.
	EvidenceInsurance = "insurance"
	// EvidenceFinalPay is proof of the final pay at the end of an employment.
	EvidenceFinalPay = "final_pay"
	// EvidenceReturnTravel is proof that the employer paid the worker's return travel.
	EvidenceReturnTravel = "return_travel"
)

// EvidenceKinds lists every kind.
var EvidenceKinds = []string{EvidencePay, EvidenceInsurance, EvidenceFinalPay, EvidenceReturnTravel}

// InsuranceKinds lists the insurances evidence may prove.
var InsuranceKinds = []string{"health", "accident"}

// Length limits of evidence texts.
const (
	MaxEvidenceRefLen  = 200
	MaxEvidenceNoteLen = 1000
)

// Evidence is a document filed for an employment (see the kinds). Its
// reference and note are free text: they are erased with the worker's
// personal data at the end of retention.
type Evidence struct {
	ID              string `json:"id" gorm:"primaryKey"`
	EmploymentID    string `json:"employment_id"`
	MissionID       string `json:"mission_id"`
	Kind            string `json:"kind"`
	Month           string `json:"month"` // YYYY-MM, pay evidence only
	SoleNameAccount bool   `json:"sole_name_account"`
	Insurance       string `json:"insurance"`
	ValidUntil      *Date  `json:"valid_until"`
	Reference       string `json:"reference"`
	Note            string `json:"note"`
	// RecordedBy and RecordedRole are the account that filed it.
	RecordedBy   string    `json:"recorded_by"`
	RecordedRole string    `json:"recorded_role"`
	CreatedAt    time.Time `json:"created_at"`
}

// TableName is "evidence" (not "evidences").
func (Evidence) TableName() string { return "evidence" }

// EvidenceInput is the body of POST /employments/:id/evidence.
type EvidenceInput struct {
	Kind            string `json:"kind"`
	Month           string `json:"month"`
	SoleNameAccount *bool  `json:"sole_name_account"`
	Insurance       string `json:"insurance"`
	ValidUntil      *Date  `json:"valid_until"`
	Reference       string `json:"reference"`
	Note            string `json:"note"`
}

// ValidMonth reports whether s is a month written YYYY-MM (years 1900 to 9999).
func ValidMonth(s string) bool {
	if len(s) != 7 || s[4] != '-' {
		return false
	}
	_, err := ParseDate(s + "-01")
	return err == nil && s >= "1900-01"
}

// Validate checks in and returns the evidence it describes (without ids).
// Pay evidence needs month and sole_name_account; insurance needs
// insurance and valid_until; the other kinds take neither. The error is an
// EINVALID *Error naming every failing field.
func (in EvidenceInput) Validate() (Evidence, error) {
	f := FieldErrors{}
	ev := Evidence{Kind: strings.TrimSpace(in.Kind), Reference: in.Reference, Note: in.Note}
	checkEnum(f, "kind", &ev.Kind, EvidenceKinds)
	month, insurance := strings.TrimSpace(in.Month), strings.TrimSpace(in.Insurance)
	switch ev.Kind {
	case EvidencePay:
		switch {
		case month == "":
			f.Add("month", msgRequired)
		case !ValidMonth(month):
			f.Add("month", "must be a month written YYYY-MM")
		}
		if in.SoleNameAccount == nil {
			f.Add("sole_name_account", msgRequired)
		} else {
			ev.SoleNameAccount = *in.SoleNameAccount
		}
		ev.Month = month
	case EvidenceInsurance:
		switch {
		case insurance == "":
			f.Add("insurance", msgRequired)
		case !slices.Contains(InsuranceKinds, insurance):
			f.Add("insurance", oneOfMsg(InsuranceKinds))
		}
		if in.ValidUntil == nil {
			f.Add("valid_until", msgRequired)
		} else {
			d := *in.ValidUntil
			ev.ValidUntil = &d
		}
		ev.Insurance = insurance
	}
	if ev.Kind != EvidencePay {
		if month != "" {
			f.Add("month", "is only for pay evidence")
		}
		if in.SoleNameAccount != nil {
			f.Add("sole_name_account", "is only for pay evidence")
		}
	}
	if ev.Kind != EvidenceInsurance {
		if insurance != "" {
			f.Add("insurance", "is only for insurance evidence")
		}
		if in.ValidUntil != nil {
			f.Add("valid_until", "is only for insurance evidence")
		}
	}
	checkText(f, "reference", &ev.Reference, false, MaxEvidenceRefLen)
	ev.Note = checkNote(f, "note", ev.Note, false)
	if len(ev.Note) > 0 && len([]rune(ev.Note)) > MaxEvidenceNoteLen {
		f.Add("note", "must be at most 1000 characters")
	}
	return ev, f.Err()
}
