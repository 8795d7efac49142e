package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strconv"
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
	// EvidenceHours is a record of the hours worked in one month (Month,
	// HoursWorked).
	EvidenceHours = "hours"
)

// EvidenceKinds lists every kind.
var EvidenceKinds = []string{EvidencePay, EvidenceInsurance, EvidenceFinalPay, EvidenceReturnTravel, EvidenceHours}

// Limits of evidence documents: the decoded size and the content types
// accepted (each checked against the file's first bytes).
const MaxEvidenceFileBytes = 5 << 20

// EvidenceFileTypes lists the content types an evidence document may have.
var EvidenceFileTypes = []string{"application/pdf", "image/jpeg", "image/png"}

// evidenceMagic are the first bytes of each accepted content type.
var evidenceMagic = map[string][]byte{
	"application/pdf": []byte("%PDF-"),
	"image/jpeg":      {0xFF, 0xD8, 0xFF},
	"image/png":       {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
}

// MaxHoursPerMonth is the most hours a month can hold (31 days of 24 hours).
const MaxHoursPerMonth = 744

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
	Month           string `json:"month"` // YYYY-MM, pay evidence and hours records only
	SoleNameAccount bool   `json:"sole_name_account"`
	// AmountMinor is the pay evidence's amount in minor units of Currency
	// (the employment's terms' currency); Amount is the same as a decimal
	// string ("1200.00"), filled by Fill, null for other kinds.
	AmountMinor int64    `json:"-"`
	Currency    string   `json:"currency"`
	Amount      *string  `json:"amount" gorm:"-"`
	HoursWorked *float64 `json:"hours_worked"` // hours records only
	// FileSHA256 (hex), FileContentType and FileSize describe the uploaded
	// document, if any ("" and 0 otherwise); its bytes are in EvidenceFile.
	FileSHA256      string `json:"file_sha256" gorm:"column:file_sha256"`
	FileContentType string `json:"file_content_type"`
	FileSize        int64  `json:"file_size"`
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

// Fill sets Amount from AmountMinor for pay evidence.
func (e *Evidence) Fill() {
	e.Amount = nil
	if e.Kind == EvidencePay && e.Currency != "" {
		a := FormatAmount(e.AmountMinor, e.Currency)
		e.Amount = &a
	}
}

// EvidenceFile is the uploaded document of one evidence row. Its name may
// hold personal data: the row is deleted at the end of retention.
type EvidenceFile struct {
	EvidenceID   string `gorm:"primaryKey"`
	EmploymentID string
	Name         string
	ContentType  string
	Size         int64
	SHA256       string `gorm:"column:sha256"`
	Data         []byte
	CreatedAt    time.Time
}

// EvidenceFileInput is an uploaded document: Data is its bytes in standard
// base64 (with padding).
type EvidenceFileInput struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Data        string `json:"data"`
}

// EvidenceInput is the body of POST /employments/:id/evidence. Amount is
// a decimal string in the currency of the employment's terms.
type EvidenceInput struct {
	Kind            string             `json:"kind"`
	Month           string             `json:"month"`
	SoleNameAccount *bool              `json:"sole_name_account"`
	Amount          *string            `json:"amount"`
	HoursWorked     *float64           `json:"hours_worked"`
	Insurance       string             `json:"insurance"`
	ValidUntil      *Date              `json:"valid_until"`
	Reference       string             `json:"reference"`
	Note            string             `json:"note"`
	File            *EvidenceFileInput `json:"file"`
}

// ValidMonth reports whether s is a month written YYYY-MM (years 1900 to 9999).
func ValidMonth(s string) bool {
	if len(s) != 7 || s[4] != '-' {
		return false
	}
	_, err := ParseDate(s + "-01")
	return err == nil && s >= "1900-01"
}

// Validate checks in and returns the evidence it describes (without ids)
// and its document (nil if none; without ids). currency is the employment's
// terms' currency, in which a pay evidence's amount is written. Pay
// evidence needs month, amount and sole_name_account; hours records need
// month and hours_worked; insurance needs insurance and valid_until; the
// other kinds take none of them. Any kind may carry a file. The error is an
// EINVALID *Error naming every failing field.
func (in EvidenceInput) Validate(currency string) (Evidence, *EvidenceFile, error) {
	f := FieldErrors{}
	ev := Evidence{Kind: strings.TrimSpace(in.Kind), Reference: in.Reference, Note: in.Note}
	checkEnum(f, "kind", &ev.Kind, EvidenceKinds)
	month, insurance := strings.TrimSpace(in.Month), strings.TrimSpace(in.Insurance)
	if ev.Kind == EvidencePay || ev.Kind == EvidenceHours {
		switch {
		case month == "":
			f.Add("month", msgRequired)
		case !ValidMonth(month):
			f.Add("month", "must be a month written YYYY-MM")
		}
		ev.Month = month
	}
	switch ev.Kind {
	case EvidencePay:
		if in.SoleNameAccount == nil {
			f.Add("sole_name_account", msgRequired)
		} else {
			ev.SoleNameAccount = *in.SoleNameAccount
		}
		switch {
		case in.Amount == nil || strings.TrimSpace(*in.Amount) == "":
			f.Add("amount", msgRequired)
		default:
			v, err := ParseAmount(strings.TrimSpace(*in.Amount), currency)
			if err != nil {
				f.Add("amount", err.Error())
			} else {
				ev.AmountMinor, ev.Currency = v, currency
			}
		}
	case EvidenceHours:
		switch h := in.HoursWorked; {
		case h == nil:
			f.Add("hours_worked", msgRequired)
		case !(*h >= 0 && *h <= MaxHoursPerMonth):
			f.Add("hours_worked", "must be between 0 and "+strconv.Itoa(MaxHoursPerMonth)+" hours")
		default:
			v := *h
			ev.HoursWorked = &v
		}
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
		if month != "" && ev.Kind != EvidenceHours {
			f.Add("month", "is only for pay evidence and hours records")
		}
		if in.SoleNameAccount != nil {
			f.Add("sole_name_account", "is only for pay evidence")
		}
		if in.Amount != nil {
			f.Add("amount", "is only for pay evidence")
		}
	}
	if ev.Kind != EvidenceHours && in.HoursWorked != nil {
		f.Add("hours_worked", "is only for hours records")
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
	var file *EvidenceFile
	if in.File != nil {
		file = in.File.validate(f)
		if file != nil {
			ev.FileSHA256, ev.FileContentType, ev.FileSize = file.SHA256, file.ContentType, file.Size
		}
	}
	if err := f.Err(); err != nil {
		return Evidence{}, nil, err
	}
	return ev, file, nil
}

// validate checks an uploaded document, adding failures to f under
// "file.name", "file.content_type" and "file.data", and returns it with its
// SHA-256 (nil when it fails).
func (in EvidenceFileInput) validate(f FieldErrors) *EvidenceFile {
	n := len(f)
	name := in.Name
	checkText(f, "file.name", &name, true, MaxEvidenceRefLen)
	ct := strings.ToLower(strings.TrimSpace(in.ContentType))
	if i := strings.IndexByte(ct, ';'); i >= 0 { // "application/pdf; name=x"
		ct = strings.TrimSpace(ct[:i])
	}
	switch {
	case ct == "":
		f.Add("file.content_type", msgRequired)
	case !slices.Contains(EvidenceFileTypes, ct):
		f.Add("file.content_type", oneOfMsg(EvidenceFileTypes))
	}
	var data []byte
	switch {
	case in.Data == "":
		f.Add("file.data", msgRequired)
	case base64.StdEncoding.DecodedLen(len(in.Data)) > MaxEvidenceFileBytes+2:
		f.Add("file.data", "must be at most "+strconv.Itoa(MaxEvidenceFileBytes>>20)+" MiB")
	default:
		var err error
		data, err = base64.StdEncoding.Strict().DecodeString(in.Data)
		switch {
		case err != nil:
			f.Add("file.data", "must be the file's bytes in base64")
		case len(data) == 0:
			f.Add("file.data", msgRequired)
		case len(data) > MaxEvidenceFileBytes:
			f.Add("file.data", "must be at most "+strconv.Itoa(MaxEvidenceFileBytes>>20)+" MiB")
		case slices.Contains(EvidenceFileTypes, ct) && !bytes.HasPrefix(data, evidenceMagic[ct]):
			f.Add("file.data", "does not hold a file of type "+ct)
		}
	}
	if len(f) > n {
		return nil
	}
	sum := sha256.Sum256(data)
	return &EvidenceFile{Name: name, ContentType: ct, Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: data}
}
