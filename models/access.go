package models

import (
	"strings"
	"time"
)

// ConsoleLanguages are the languages of the office's web console; the
// first is the default.
var ConsoleLanguages = []string{"en", "fr"}

// WorkerAccessCode is a worker's personal access code to their private
// page (/w/:code), handed over in person at arrival registration. Only
// its SHA-256 is stored; one code per worker, a new one replaces the old.
type WorkerAccessCode struct {
	WorkerID  string `gorm:"primaryKey"`
	CodeHash  string
	CreatedAt time.Time
}

// AccessCodeLength is the number of characters of an access code.
const AccessCodeLength = 16

// AccessCodeAlphabet is the alphabet of access codes: Crockford's base 32
// without the letters easily mistaken for digits (no I, L, O, U), so a
// code read aloud or typed from paper is unambiguous. 16 characters carry
// 80 bits.
const AccessCodeAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NormalizeAccessCode upper-cases a typed code and drops the spaces and
// dashes a person may add when copying it; it reports whether the result
// has the length and alphabet of a code.
func NormalizeAccessCode(s string) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '-':
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		if r > 127 || !strings.ContainsRune(AccessCodeAlphabet, r) {
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != AccessCodeLength {
		return "", false
	}
	return b.String(), true
}

// WorkerPage is what a worker's private page shows: only the worker's own
// logistics and documents, never anything the office wrote about them.
type WorkerPage struct {
	WorkerID string
	// FirstName is the worker's name as printed on the page's greeting.
	FullName  string
	Languages []string
	// EmploymentID is the worker's current (open) employment, if any.
	EmploymentID string
	// Next is the worker's next placed, scheduled appointment, if any.
	Next *Appointment
	// ContractID is the newest contract version of the current employment.
	ContractID string
	// ContractLanguages are that contract's languages.
	ContractLanguages []string
}

// EventWorkerHelp is the timeline entry of a worker's discreet alarm from
// their private page: a supervisors' alert.
const EventWorkerHelp = "worker_help"

// RoleWorker is the audit trail's role of a worker acting through their
// access code; it is not an account role.
const RoleWorker = "worker"
