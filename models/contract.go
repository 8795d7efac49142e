package models

import (
	"crypto/rand"
	"time"
)

// Contract version statuses.
const (
	ContractCurrent    = "current"
	ContractSuperseded = "superseded"
)

// ContractVersion is one immutable, generated version of an employment's
// contract: the terms it was made from, and (in its own table) the PDF
// bytes whose SHA-256 it records. A newer version supersedes it.
type ContractVersion struct {
	ID             string `json:"id" gorm:"primaryKey"`
	EmploymentID   string `json:"employment_id"`
	MissionID      string `json:"mission_id"`
	PolicyID       string `json:"policy_id"`
	Version        int    `json:"version"`
	Status         string `json:"status"`
	HostLanguage   string `json:"host_language"`
	WorkerLanguage string `json:"worker_language"`
	// Terms is the snapshot of the employment's terms the PDF shows.
	Terms Terms `json:"terms" gorm:"serializer:json;type:text"`
	// HostTextVersion and WorkerTextVersion name the version (and status,
	// e.g. "draft translation") of each language's texts the PDF used.
	HostTextVersion   string    `json:"host_text_version"`
	WorkerTextVersion string    `json:"worker_text_version"`
	SHA256            string    `json:"sha256" gorm:"column:sha256"`
	SizeBytes         int       `json:"size_bytes"`
	VerifyCode        string    `json:"verify_code"`
	IssuedAt          time.Time `json:"issued_at"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}

// ContractPDF holds the stored bytes of a contract version; served as they
// are, never re-rendered.
type ContractPDF struct {
	ContractID string `gorm:"primaryKey"`
	PDF        []byte
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Signature parties.
const (
	PartyEmployer = "employer"
	PartyWorker   = "worker"
)

// ContractSignature records that a party signed a contract version, when
// and where.
type ContractSignature struct {
	ID         string    `json:"id" gorm:"primaryKey"`
	ContractID string    `json:"contract_id"`
	Party      string    `json:"party"`
	SignedOn   Date      `json:"signed_on"`
	Place      string    `json:"place"`
	RecordedBy string    `json:"recorded_by"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// ContractData is everything a contract document shows, gathered by the
// data layer for the renderer.
type ContractData struct {
	Version    int
	VerifyCode string
	IssuedAt   time.Time
	Employment Employment
	Worker     Worker
	Employer   Employer
	Mission    Mission
	Policy     Policy
}

// RenderedContract is a rendered contract document and the versions of the
// texts it was written with.
type RenderedContract struct {
	PDF               []byte
	HostTextVersion   string
	WorkerTextVersion string
}

// verifyAlphabet is Crockford's base 32: no I, L, O or U to misread.
const verifyAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewVerifyCode returns a random 10-character code (50 bits) printed on
// every page of a contract so anyone can check it is genuine.
func NewVerifyCode() string {
	var b [10]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("models: crypto/rand failed: " + err.Error())
	}
	for i := range b {
		b[i] = verifyAlphabet[b[i]&31]
	}
	return string(b[:])
}

// ValidVerifyCode reports whether s could be a verification code.
func ValidVerifyCode(s string) bool {
	if len(s) != 10 {
		return false
	}
	for i := 0; i < len(s); i++ {
		ok := false
		for j := 0; j < len(verifyAlphabet); j++ {
			if s[i] == verifyAlphabet[j] {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// SignatureInput is the body of a signature record.
type SignatureInput struct {
	Party    string `json:"party"`
	SignedOn *Date  `json:"signed_on"`
	Place    string `json:"place"`
}

// Validate checks a signature record against the day it is recorded.
func (in *SignatureInput) Validate(today Date) error {
	f := FieldErrors{}
	if in.Party != PartyEmployer && in.Party != PartyWorker {
		f.Add("party", "must be employer or worker")
	}
	switch {
	case in.SignedOn == nil:
		f.Add("signed_on", msgRequired)
	case in.SignedOn.After(today):
		f.Add("signed_on", "must not be in the future")
	}
	checkText(f, "place", &in.Place, true, MaxNameLen)
	return f.Err()
}

// TableName is "contracts": the table holds the contract versions.
func (ContractVersion) TableName() string { return "contracts" }

// AffectedEmployment is an open employment whose current contract's terms
// fall below a policy version.
type AffectedEmployment struct {
	EmploymentID string            `json:"employment_id"`
	ContractID   string            `json:"contract_id"`
	Version      int               `json:"contract_version"`
	Violations   map[string]string `json:"violations"`
}

// ContractIntegrity is the result of re-hashing one stored PDF.
type ContractIntegrity struct {
	ContractID string
	Version    int
	Stored     string // the SHA-256 recorded at generation
	Actual     string // the SHA-256 of the bytes now stored
}
