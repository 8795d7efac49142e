package models

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"time"
)

// Interview is the private record of an interview with the worker alone:
// the checklist version it used, the typed answers, the officer's notes
// and the risk computed from them. Only the protocol office reads it
// (never a mission, never an auditor). Answers, notes and the triggered
// indicators are encrypted at rest; the risk level is kept in clear for
// the office's queues.
type Interview struct {
	ID                  string    `json:"id"`
	AppointmentID       string    `json:"appointment_id"`
	EmploymentID        string    `json:"employment_id"`
	MissionID           string    `json:"mission_id"`
	ChecklistVersion    string    `json:"checklist_version"`
	InterpreterLanguage string    `json:"interpreter_language"`
	WorkerSeenAlone     bool      `json:"worker_seen_alone"`
	Answers             Answers   `json:"answers"`
	Notes               string    `json:"notes"`
	Risk                Risk      `json:"risk"`
	RecordedBy          string    `json:"recorded_by"`
	CreatedAt           time.Time `json:"created_at"`
}

// InterviewInput is an officer's record of an interview (POST /interviews).
type InterviewInput struct {
	AppointmentID       string                     `json:"appointment_id"`
	Answers             map[string]json.RawMessage `json:"answers"`
	InterpreterLanguage string                     `json:"interpreter_language"`
	WorkerSeenAlone     *bool                      `json:"worker_seen_alone"`
	Notes               string                     `json:"notes"`
}

// SeenAlone reports whether the officer saw the worker alone.
func (in *InterviewInput) SeenAlone() bool { return in.WorkerSeenAlone != nil && *in.WorkerSeenAlone }

// Check validates the input against the checklist and trims it, returning
// the decoded answers. When the worker was not seen alone the answers are
// not checked (nor kept: the check-in is not valid, see
// store.RecordInterview); appointment_id, worker_seen_alone, the
// interpreter's language and the notes always are.
func (in *InterviewInput) Check(c *Checklist) (Answers, error) {
	f := FieldErrors{}
	if !ValidID(in.AppointmentID) {
		f.Add("appointment_id", "must be an appointment's id")
	}
	if in.WorkerSeenAlone == nil {
		f.Add("worker_seen_alone", msgRequired)
	}
	if in.InterpreterLanguage = strings.TrimSpace(in.InterpreterLanguage); in.InterpreterLanguage != "" {
		if !ValidLanguage(in.InterpreterLanguage) {
			f.Add("interpreter_language", "must be a language code such as en, fr or zh-Hant")
		} else {
			in.InterpreterLanguage = CanonicalLanguage(in.InterpreterLanguage)
		}
	}
	in.Notes = checkNote(f, "notes", in.Notes, false)
	var ans Answers
	if in.SeenAlone() {
		if in.Answers == nil {
			f.Add("answers", msgRequired)
		} else {
			var err error
			if ans, err = c.CheckAnswers(in.Answers); err != nil {
				var me *Error
				if !errors.As(err, &me) {
					return nil, err
				}
				for k, v := range me.Fields {
					f.Add(k, v)
				}
			}
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	return ans, nil
}

// Timeline event kinds an interview's risk leads to. None is addressed
// to a mission, and none carries an answer, a note or an indicator.
const (
	// EventInterviewCritical alerts the supervisors the same day (notify
	// supervisors). data: interview_id, risk_level.
	EventInterviewCritical = "interview_critical"
	// EventUrgentCaseOpened records the urgent case a critical interview
	// opened (or raised to urgent). data: interview_id, case_id.
	EventUrgentCaseOpened = "urgent_case_opened"
	// EventInterviewFollowUp records the follow-up a high risk plans. data: interview_id, risk_level.
	EventInterviewFollowUp = "interview_follow_up"
	// EventRecheckNextVisit is a note for officers: re-check at the next
	// visit (medium risk). data: interview_id, risk_level.
	EventRecheckNextVisit = "recheck_next_visit"
	// EventNotSeenAlone: an interview could not be held because the worker
	// was not seen alone; the appointment became employer_present.
	EventNotSeenAlone = "not_seen_alone"
)

// InterviewFilter pages an employment's interviews.
type InterviewFilter struct {
	EmploymentID string
	Page
}

// RiskContextFor returns what the severity rules compare answers with for
// an employment on today: its terms' wage (in major units of its
// currency) and weekly hours, and its whole months of service since the
// worker's arrival (or the start date when no arrival is recorded).
func RiskContextFor(e *Employment, today Date) RiskContext {
	rc := RiskContext{ContractWeeklyHours: e.Terms.WeeklyHours}
	if exp, ok := CurrencyExponent(e.Terms.Currency); ok {
		rc.ContractMonthlyNetWage = float64(e.Terms.MonthlyNetWageMinor) / math.Pow10(exp)
	}
	from := e.StartDate
	if e.ArrivalDate != nil {
		from = *e.ArrivalDate
	}
	if m := (today.Year-from.Year)*12 + int(today.Month) - int(from.Month); m > 0 {
		if today.Day < from.Day {
			m--
		}
		rc.ServiceMonths = m
	}
	return rc
}

// InterviewResult is what recording an interview did: the interview
// (nil when the worker was not seen alone: no interview is kept), the
// appointment as it now is, the follow-up appointment planned (if any),
// and the kinds of the timeline entries recorded for the office.
type InterviewResult struct {
	Interview   *Interview
	Appointment *Appointment
	FollowUp    *Appointment
	Actions     []string
}
