package store

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
)

// interviewIndicator is one ILO indicator an interview triggered, kept in
// clear for the compliance report (see migration 00013).
type interviewIndicator struct {
	InterviewID string `gorm:"primaryKey"`
	MissionID   string
	Indicator   string `gorm:"primaryKey"`
	RecordedAt  time.Time
}

func (interviewIndicator) TableName() string { return "interview_indicators" }

// interviewRow is an interview as stored: answers, indicators (the
// triggers of its risk) and notes sealed (see seal).
type interviewRow struct {
	ID                  string `gorm:"primaryKey"`
	AppointmentID       string
	EmploymentID        string
	MissionID           string
	ChecklistVersion    string
	InterpreterLanguage string
	WorkerSeenAlone     bool
	Answers             string
	Indicators          string
	Notes               string
	RiskLevel           string
	RecordedBy          string
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

func (interviewRow) TableName() string { return "interviews" }

func (db *DB) sealInterview(iv *models.Interview) (*interviewRow, error) {
	ans, err := json.Marshal(iv.Answers)
	if err != nil {
		return nil, err
	}
	trig, err := json.Marshal(iv.Risk.Triggers)
	if err != nil {
		return nil, err
	}
	r := &interviewRow{ID: iv.ID, AppointmentID: iv.AppointmentID, EmploymentID: iv.EmploymentID, MissionID: iv.MissionID,
		ChecklistVersion: iv.ChecklistVersion, InterpreterLanguage: iv.InterpreterLanguage, WorkerSeenAlone: iv.WorkerSeenAlone,
		RiskLevel: iv.Risk.Level, RecordedBy: iv.RecordedBy}
	if r.Answers, err = db.seal("interviews", "answers", iv.ID, string(ans)); err != nil {
		return nil, err
	}
	if r.Indicators, err = db.seal("interviews", "indicators", iv.ID, string(trig)); err != nil {
		return nil, err
	}
	if r.Notes, err = db.seal("interviews", "notes", iv.ID, iv.Notes); err != nil {
		return nil, err
	}
	return r, nil
}

func (db *DB) openInterview(r *interviewRow) (*models.Interview, error) {
	iv := &models.Interview{ID: r.ID, AppointmentID: r.AppointmentID, EmploymentID: r.EmploymentID, MissionID: r.MissionID,
		ChecklistVersion: r.ChecklistVersion, InterpreterLanguage: r.InterpreterLanguage, WorkerSeenAlone: r.WorkerSeenAlone,
		RecordedBy: r.RecordedBy, CreatedAt: r.CreatedAt, Risk: models.Risk{Level: r.RiskLevel, Indicators: []string{}}}
	iv.Answers, iv.Risk.Triggers = models.Answers{}, []models.Trigger{}
	// Erased by retention: "" (the risk level stays).
	ans, err := db.unseal("interviews", "answers", r.ID, r.Answers)
	if err != nil {
		return nil, err
	}
	if ans != "" {
		if err := json.Unmarshal([]byte(ans), &iv.Answers); err != nil {
			return nil, err
		}
	}
	trig, err := db.unseal("interviews", "indicators", r.ID, r.Indicators)
	if err != nil {
		return nil, err
	}
	if trig != "" {
		if err := json.Unmarshal([]byte(trig), &iv.Risk.Triggers); err != nil {
			return nil, err
		}
	}
	for _, t := range iv.Risk.Triggers {
		if !slices.Contains(iv.Risk.Indicators, t.Indicator) {
			iv.Risk.Indicators = append(iv.Risk.Indicators, t.Indicator)
		}
	}
	slices.Sort(iv.Risk.Indicators)
	if iv.Notes, err = db.unseal("interviews", "notes", r.ID, r.Notes); err != nil {
		return nil, err
	}
	return iv, nil
}

// RecordInterview records an officer's interview on an appointment
// (officers and admins; others EFORBIDDEN), in one transaction.
//
// The appointment (not a group briefing) must be attended, or scheduled
// and started: recording the interview then records the attended outcome
// in the same transaction (RecordOutcome's path). Any other status, or an
// interview already recorded for the appointment, is ECONFLICT; an
// appointment not yet started is EINVALID naming appointment_id. The
// answers are checked against the current checklist (EINVALID naming
// answers.qNN).
//
// The risk (models.Checklist.Assess, against the employment's terms and
// length of service) leads to its actions on the employment's timeline,
// none addressed to the mission: critical alerts the supervisors the same
// day (the notify job e-mails them) and opens an urgent case, or raises
// the employment's open case to urgent (openUrgentCaseTx); high plans a
// follow-up appointment within the policy's follow_up_days (as the
// escalation ladder does), placed in
// the earliest free slot and its logistics sent to the mission as for any
// appointment; medium leaves a note to re-check at the next visit.
//
// worker_seen_alone false keeps no interview: a scheduled appointment is
// recorded as employer_present with the notes as its (sealed) outcome
// note, which climbs the escalation ladder exactly as RecordOutcome does
// (a follow-up is planned); an appointment already attended is ECONFLICT.
func (db *DB) RecordInterview(ctx context.Context, in models.InterviewInput) (*models.InterviewResult, error) {
	actor := models.ActorFrom(ctx)
	if !actor.SeesOfficeNotes() {
		return nil, models.Errorf(models.EFORBIDDEN, "Only the protocol office records interviews.")
	}
	checklist := models.CurrentChecklist()
	answers, err := in.Check(checklist)
	if err != nil {
		return nil, err
	}
	if db.keys == nil {
		return nil, errNoKey()
	}
	now := db.now()
	res := &models.InterviewResult{}
	err = db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockPlanning(tx); err != nil {
			return err
		}
		q := tx
		if db.dialect == migrations.Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		a, err := findAppointment(ctx, q, in.AppointmentID)
		if err != nil {
			var me *models.Error
			if errors.As(err, &me) && me.Code == models.ENOTFOUND {
				return &models.Error{Code: models.EINVALID, Message: "No such appointment.",
					Fields: map[string]string{"appointment_id": "must be an appointment's id"}}
			}
			return err
		}
		if a.OutcomeNote, err = db.unseal("appointments", "outcome_note", a.ID, a.OutcomeNote); err != nil {
			return err
		}
		res.Appointment = a
		if a.Kind == models.KindBriefing {
			return models.Errorf(models.ECONFLICT, "A group briefing has no private interview.")
		}
		if !in.SeenAlone() {
			return db.notSeenAlone(ctx, tx, a, in, now, res)
		}
		switch a.Status {
		case models.AppointmentAttended:
		case models.AppointmentScheduled:
			if _, err := db.recordOutcomeTx(ctx, tx, a, models.OutcomeInput{Outcome: models.AppointmentAttended}, now); err != nil {
				return outcomeFieldToAppointment(err)
			}
		default:
			return models.Errorf(models.ECONFLICT, "This appointment is %s: an interview is recorded on an attended appointment.",
				strings.ReplaceAll(a.Status, "_", " "))
		}
		var n int64
		if err := tx.Model(&interviewRow{}).Where("appointment_id = ?", a.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return models.Errorf(models.ECONFLICT, "An interview is already recorded for this appointment.")
		}
		var emp models.Employment
		if err := tx.Where("id = ?", a.EmploymentID).Take(&emp).Error; err != nil {
			return err
		}
		today := db.Calendar.Today(now)
		iv := &models.Interview{ID: models.NewID(), AppointmentID: a.ID, EmploymentID: a.EmploymentID, MissionID: a.MissionID,
			ChecklistVersion: checklist.Version, InterpreterLanguage: in.InterpreterLanguage, WorkerSeenAlone: true,
			Answers: answers, Notes: in.Notes, RecordedBy: actor.UserID,
			Risk: checklist.Assess(answers, models.RiskContextFor(&emp, today))}
		row, err := db.sealInterview(iv)
		if err != nil {
			return err
		}
		if err := tx.Create(row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return models.Errorf(models.ECONFLICT, "An interview is already recorded for this appointment.")
			}
			return err
		}
		iv.CreatedAt = row.CreatedAt
		if len(iv.Risk.Indicators) > 0 {
			inds := make([]interviewIndicator, len(iv.Risk.Indicators))
			for i, k := range iv.Risk.Indicators {
				inds[i] = interviewIndicator{InterviewID: iv.ID, MissionID: iv.MissionID, Indicator: k, RecordedAt: row.CreatedAt}
			}
			if err := tx.Create(&inds).Error; err != nil {
				return err
			}
		}
		res.Interview = iv
		detail := "answers"
		if iv.Notes != "" {
			detail += ",notes"
		}
		if err := db.audit(ctx, tx, models.ActionCreate, "interview", iv.ID, detail+",risk_level"); err != nil {
			return err
		}
		if err := db.riskActions(ctx, tx, a, iv, today, res); err != nil {
			return err
		}
		return db.requeue(tx, a.EmploymentID)
	})
	if err != nil {
		return nil, translate(err, "interview")
	}
	return res, nil
}

// outcomeFieldToAppointment renames OutcomeInput's "outcome" field error
// (an appointment not yet started) to the interview's appointment_id.
func outcomeFieldToAppointment(err error) error {
	var me *models.Error
	if errors.As(err, &me) && me.Fields["outcome"] != "" {
		return &models.Error{Code: me.Code, Message: me.Message,
			Fields: map[string]string{"appointment_id": "the appointment has not started yet"}}
	}
	return err
}

// notSeenAlone records a scheduled appointment as employer_present (no
// interview is kept) through RecordOutcome's path, which plans the
// follow-up and climbs the escalation ladder.
func (db *DB) notSeenAlone(ctx context.Context, tx *gorm.DB, a *models.Appointment, in models.InterviewInput, now time.Time, res *models.InterviewResult) error {
	if a.Status != models.AppointmentScheduled {
		return models.Errorf(models.ECONFLICT,
			"This appointment is %s: only a scheduled appointment can be recorded as held with the employer present.",
			strings.ReplaceAll(a.Status, "_", " "))
	}
	follow, err := db.recordOutcomeTx(ctx, tx, a, models.OutcomeInput{Outcome: models.AppointmentEmployerPresent, Note: in.Notes}, now)
	if err != nil {
		return outcomeFieldToAppointment(err)
	}
	res.FollowUp = follow
	ev := event(a, models.EventNotSeenAlone, 0, "", nil)
	if err := tx.Create(&ev).Error; err != nil {
		return err
	}
	res.Actions = append(res.Actions, models.EventNotSeenAlone)
	if follow != nil {
		res.Actions = append(res.Actions, models.EventFollowUpPlanned)
	}
	return nil
}

// riskActions records what the interview's risk level calls for (see
// RecordInterview) on the employment's timeline, in tx.
func (db *DB) riskActions(ctx context.Context, tx *gorm.DB, a *models.Appointment, iv *models.Interview, today models.Date, res *models.InterviewResult) error {
	data := func() models.StringMap {
		return models.StringMap{"interview_id": iv.ID, "risk_level": iv.Risk.Level}
	}
	var events []models.TimelineEvent
	switch iv.Risk.Level {
	case models.SeverityCritical:
		events = append(events, event(a, models.EventInterviewCritical, 0, models.NotifySupervisors, data()))
		if err := tx.Create(&events).Error; err != nil {
			return err
		}
		res.Actions = append(res.Actions, models.EventInterviewCritical)
		kind, err := db.openUrgentCaseTx(ctx, tx, iv)
		if err != nil {
			return err
		}
		res.Actions = append(res.Actions, kind)
		return nil
	case models.SeverityHigh:
		emp, err := employmentFor(tx, a.EmploymentID)
		if err != nil {
			return err
		}
		booked, err := db.bookings(tx, today.AddDate(0, 0, 1), today.AddDate(0, 0, max(emp.FollowUpDays, 1)), "")
		if err != nil {
			return err
		}
		follow, err := db.followUp(ctx, tx, a, emp, booked, today, false)
		if err != nil {
			return err
		}
		d := data()
		if follow != nil {
			res.FollowUp = follow
			d["follow_up_id"] = follow.ID
			if !follow.Placed() {
				d["unplaceable"] = "true"
			}
		} else {
			d["follow_up"] = "already_due" // a follow-up of the same day exists (e.g. from the ladder)
		}
		events = append(events, event(a, models.EventInterviewFollowUp, 0, "", d))
		if res.FollowUp != nil && res.FollowUp.Placed() {
			events = append(events, event(res.FollowUp, models.EventMissionNotified, 0, models.NotifyMission, db.logistics(res.FollowUp)))
		}
		res.Actions = append(res.Actions, models.EventInterviewFollowUp)
	case models.SeverityMedium:
		events = append(events, event(a, models.EventRecheckNextVisit, 0, "", data()))
		res.Actions = append(res.Actions, models.EventRecheckNextVisit)
	default:
		return nil
	}
	return tx.Create(&events).Error
}

// openUrgentCaseTx opens (or raises to urgent) the employment's case for
// a critical interview, in the interview's transaction, through the cases
// store (OpenUrgentCaseTx, idempotent per employment), with the triggered
// ILO indicators, and records urgent_case_opened (interview and case ids)
// on the employment's timeline for officers. It returns that kind.
func (db *DB) openUrgentCaseTx(ctx context.Context, tx *gorm.DB, iv *models.Interview) (string, error) {
	c, err := db.OpenUrgentCaseTx(ctx, tx, models.CaseFlag{EmploymentID: iv.EmploymentID, Source: models.CaseSourceInterview,
		Reason: "An interview recorded a critical risk.", Indicators: iv.Risk.Indicators, At: iv.CreatedAt})
	if err != nil {
		return "", err
	}
	ev := models.TimelineEvent{ID: models.NewID(), EmploymentID: iv.EmploymentID, MissionID: iv.MissionID,
		AppointmentID: &iv.AppointmentID, Kind: models.EventUrgentCaseOpened,
		Data: models.StringMap{"interview_id": iv.ID, "case_id": c.ID}}
	if err := tx.Create(&ev).Error; err != nil {
		return "", err
	}
	return models.EventUrgentCaseOpened, nil
}

// FindInterview returns one interview, decrypted, and records the read in
// the audit trail before it returns (officers and admins; others EFORBIDDEN).
func (db *DB) FindInterview(ctx context.Context, id string) (*models.Interview, error) {
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		return nil, models.Errorf(models.EFORBIDDEN, "Interviews are for the protocol office only.")
	}
	var iv *models.Interview
	err := db.audited(ctx, func(q *gorm.DB) error {
		var r interviewRow
		if err := q.Where("id = ?", id).Take(&r).Error; err != nil {
			return err
		}
		var err error
		if iv, err = db.openInterview(&r); err != nil {
			return err
		}
		return nil
	}, auditEntry{models.ActionRead, "interview", id, ""})
	return iv, translate(err, "interview")
}

// FindInterviews returns one page of an employment's interviews, in
// order, decrypted; each interview read is audited in the same
// transaction (officers and admins; others EFORBIDDEN; an unknown
// employment ENOTFOUND).
func (db *DB) FindInterviews(ctx context.Context, f models.InterviewFilter) ([]models.Interview, string, error) {
	if !models.ActorFrom(ctx).SeesOfficeNotes() {
		return nil, "", models.Errorf(models.EFORBIDDEN, "Interviews are for the protocol office only.")
	}
	var out []models.Interview
	var next string
	err := db.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.Employment{}).Where("id = ?", f.EmploymentID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return models.NotFound("employment")
		}
		rows, nx, err := page(tx.Model(&interviewRow{}).Where("employment_id = ?", f.EmploymentID), f.Page,
			func(r *interviewRow) string { return r.ID })
		if err != nil {
			return err
		}
		next = nx
		out = make([]models.Interview, 0, len(rows))
		entries := make([]auditEntry, 0, len(rows))
		for i := range rows {
			iv, err := db.openInterview(&rows[i])
			if err != nil {
				return err
			}
			out = append(out, *iv)
			entries = append(entries, auditEntry{models.ActionRead, "interview", iv.ID, "list"})
		}
		return db.auditMany(ctx, tx, entries)
	})
	if err != nil {
		return nil, "", translate(err, "interview")
	}
	return out, next, nil
}
