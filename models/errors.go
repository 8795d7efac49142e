// Package models holds the registry's domain types, their validation, the
// policy rules and the error codes every other package maps to HTTP or exit
// statuses. It imports only the standard library.
package models

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error codes. api/errors.go maps each to one HTTP status.
const (
	EBADREQUEST   = "bad_request"      // malformed input (400)
	EUNAUTHORIZED = "unauthorized"     // no or bad credentials (401)
	EFORBIDDEN    = "forbidden"        // role not allowed (403)
	ENOTFOUND     = "not_found"        // unknown id, or another mission's record (404)
	ECONFLICT     = "conflict"         // wrong state, duplicate (409)
	ETOOLARGE     = "too_large"        // body over the limit (413)
	EINVALID      = "validation_error" // well-formed but breaks a rule (422)
	ERATELIMIT    = "rate_limited"     // too many attempts (429)
	EUNAVAILABLE  = "unavailable"      // the deployment lacks a setting the request needs (503)
	EINTERNAL     = "internal"         // anything else (500)
)

// Error is an error the registry means to show to its caller: a code, a
// sentence for people and, for input errors, the failing fields.
type Error struct {
	Code    string
	Message string
	// Fields maps a field path ("terms.monthly_net_wage") to what is wrong with it.
	Fields map[string]string
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("%s: %s", e.Code, e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFound returns the ENOTFOUND error for an object type ("worker").
func NotFound(object string) *Error {
	return &Error{Code: ENOTFOUND, Message: object + " not found."}
}

// ErrorCode returns the code of err, EINTERNAL when err is not an *Error,
// and "" when err is nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the message of err when it is an *Error, and a
// generic sentence otherwise so that internals never reach a caller.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorFields returns the field errors of err, if any.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// FieldErrors collects field-level problems so that every one is reported at once.
type FieldErrors map[string]string

// Add records msg for field unless the field already has a message.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns nil when nothing was added, or an EINVALID *Error carrying the fields.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "The request breaks one or more rules.", Fields: map[string]string(f)}
}
