package models

import (
	"strings"
	"time"
)

// Mission kinds.
const (
	MissionEmbassy          = "embassy"
	MissionConsulate        = "consulate"
	MissionPermanent        = "permanent_mission"
	MissionInternationalOrg = "international_organization"
)

// MissionKinds lists the accepted mission kinds.
var MissionKinds = []string{MissionEmbassy, MissionConsulate, MissionPermanent, MissionInternationalOrg}

// Mission is an embassy, consulate, permanent mission or international
// organisation whose staff employ private domestic workers.
type Mission struct {
	ID              string `json:"id" gorm:"primaryKey"`
	Name            string `json:"name"`
	Kind            string `json:"kind"`
	Country         string `json:"country"`
	FocalPointEmail string `json:"focal_point_email"`
	// Language is the focal point's language (BCP 47): the mission's
	// reminders and notifications are written in it. Default "en".
	Language string `json:"language"`
	// Suspended withdraws the mission's eligibility to register new workers.
	Suspended bool      `json:"suspended"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Employer ranks.
const (
	RankHeadOfMission   = "head_of_mission"
	RankDiplomat        = "diplomat"
	RankConsularHead    = "consular_head"
	RankConsularOfficer = "consular_officer"
	RankIOOfficial      = "io_official"
	RankOther           = "other"
)

// Ranks lists the accepted employer ranks.
var Ranks = []string{RankHeadOfMission, RankDiplomat, RankConsularHead, RankConsularOfficer, RankIOOfficial, RankOther}

// Immunity levels.
var Immunities = []string{"full", "official_acts", "none"}

// Employer is a member of a mission who employs (or wants to employ) a
// private domestic worker.
type Employer struct {
	ID                  string `json:"id" gorm:"primaryKey"`
	MissionID           string `json:"mission_id"`
	FullName            string `json:"full_name"`
	Rank                string `json:"rank"`
	AccreditationNumber string `json:"accreditation_number"`
	Immunity            string `json:"immunity"`
	// Suspended withdraws the employer's eligibility to register new workers.
	Suspended bool      `json:"suspended"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Sexes lists the accepted values of Worker.Sex.
var Sexes = []string{"f", "m", "x"}

// Worker is a private domestic worker. Everything but the ids and
// timestamps is personal data: reading it is audited, and the mission role
// never sees the passport number, phone or e-mail.
type Worker struct {
	ID string `json:"id" gorm:"primaryKey"`
	// MissionID is the mission that notified the worker; empty for a worker
	// an officer registered before any employment. Set on first employment.
	MissionID            *string `json:"mission_id"`
	FullName             string  `json:"full_name"`
	DateOfBirth          *Date   `json:"date_of_birth"`
	DateOfBirthUncertain bool    `json:"date_of_birth_uncertain"`
	Sex                  string  `json:"sex"`
	Nationality          string  `json:"nationality"`
	Languages            Strings `json:"languages" gorm:"type:text"`
	// InterviewLanguage, when set, is the language to interview the worker
	// in before all others: a sign language (ase, sgg) or a dialect (gsw)
	// that Languages may not name. The planner books an interpreter for it.
	InterviewLanguage string `json:"interview_language"`
	PassportNumber    string `json:"passport_number"`
	Phone             string `json:"phone"`
	Email             string `json:"email"`
	ContactConsent    bool   `json:"contact_consent"`
	// ReviewReason is set when the registry flagged the worker for an
	// officer (for instance an unknown age, presumed a minor).
	ReviewReason string    `json:"review_reason"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// InterviewLanguages returns the languages to interview w in, first
// first: the interview language, then the languages w speaks.
func (w *Worker) InterviewLanguages() []string {
	return InterviewLanguages(w.InterviewLanguage, w.Languages)
}

// InterviewLanguages puts first ahead of langs (unless empty or already first).
func InterviewLanguages(first string, langs []string) []string {
	if first == "" {
		return langs
	}
	out := make([]string, 0, len(langs)+1)
	out = append(out, first)
	for _, l := range langs {
		if !strings.EqualFold(l, first) {
			out = append(out, l)
		}
	}
	return out
}

// Employment statuses and their life cycle.
const (
	StatusNotified  = "notified"
	StatusApproved  = "approved"
	StatusActive    = "active"
	StatusEnded     = "ended"
	StatusRefused   = "refused"
	StatusSuspended = "suspended"
)

// EmploymentStatuses lists every status.
var EmploymentStatuses = []string{StatusNotified, StatusApproved, StatusActive, StatusEnded, StatusRefused, StatusSuspended}

var transitions = map[string][]string{
	StatusNotified:  {StatusApproved, StatusRefused},
	StatusApproved:  {StatusActive, StatusEnded, StatusSuspended},
	StatusActive:    {StatusEnded, StatusSuspended},
	StatusSuspended: {StatusActive, StatusEnded},
}

// CanTransition reports whether an employment may move from one status to another.
func CanTransition(from, to string) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// OpenStatuses are the statuses in which an employment occupies a place in
// the household quota and binds the worker.
var OpenStatuses = []string{StatusNotified, StatusApproved, StatusActive, StatusSuspended}

// Employment binds a worker to an employer under terms validated against a
// policy version.
type Employment struct {
	ID         string `json:"id" gorm:"primaryKey"`
	WorkerID   string `json:"worker_id"`
	EmployerID string `json:"employer_id"`
	// MissionID is the employer's mission, kept here so that scoping and
	// reports need no join.
	MissionID     string    `json:"mission_id"`
	PolicyID      string    `json:"policy_id"`
	Status        string    `json:"status"`
	StartDate     Date      `json:"start_date"`
	EndDate       *Date     `json:"end_date"`
	ArrivalDate   *Date     `json:"arrival_date"`
	DepartureDate *Date     `json:"departure_date"`
	IDCardNumber  string    `json:"id_card_number"`
	IDCardExpiry  *Date     `json:"id_card_expiry"`
	Terms         Terms     `json:"terms" gorm:"embedded;embeddedPrefix:terms_"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Terms are the employment conditions; money is in minor units of Currency.
// PayDay is the day of the month the wage is paid, 1 to MaxPayDay, or 0 for
// "at the latest on the last day of the month".
type Terms struct {
	MonthlyNetWageMinor       int64   `json:"-"`
	Currency                  string  `json:"currency"`
	WeeklyHours               float64 `json:"weekly_hours"`
	DailyRestHours            float64 `json:"daily_rest_hours"`
	WeeklyRestDays            float64 `json:"weekly_rest_days"`
	AnnualLeaveWeeks          float64 `json:"annual_leave_weeks"`
	PublicHolidays            int     `json:"public_holidays"`
	OvertimePremiumPct        int     `json:"overtime_premium_pct"`
	NightPremiumPct           int     `json:"night_premium_pct"`
	SundayPremiumPct          int     `json:"sunday_premium_pct"`
	OwnLockableRoom           bool    `json:"own_lockable_room"`
	PaidIntoSoleNameAccount   bool    `json:"paid_into_sole_name_account"`
	WorkerKeepsPassport       bool    `json:"worker_keeps_passport"`
	OwnPhoneAndFamilyContact  bool    `json:"own_phone_and_family_contact"`
	HealthInsuranceByEmployer bool    `json:"health_insurance_by_employer"`
	AccidentInsuranceByEmpl   bool    `json:"accident_insurance_by_employer" gorm:"column:accident_insurance_by_employer"`
	ReturnTravelByEmployer    bool    `json:"return_travel_by_employer"`
	NoticePeriodDays          int     `json:"notice_period_days"`
	PayDay                    int     `json:"pay_day"`
	Duties                    Strings `json:"duties" gorm:"type:text"`
	ContractLanguages         Strings `json:"contract_languages" gorm:"type:text"`
}

// Roles.
const (
	RoleAdmin   = "admin"
	RoleOfficer = "officer"
	RoleMission = "mission"
	RoleAuditor = "auditor"
)

// Roles lists every account role.
var Roles = []string{RoleAdmin, RoleOfficer, RoleMission, RoleAuditor}

// User is an account of the protocol office, a mission focal point or an auditor.
type User struct {
	ID           string     `json:"id" gorm:"primaryKey"`
	Email        string     `json:"email"`
	PasswordHash string     `json:"-"`
	Role         string     `json:"role"`
	MissionID    *string    `json:"mission_id"`
	Disabled     bool       `json:"disabled"`
	LastLoginAt  *time.Time `json:"last_login_at"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// Session is a server-side login session; the cookie holds the secret, the
// database only its SHA-256.
type Session struct {
	ID        string    `gorm:"primaryKey"`
	UserID    string    ``
	TokenHash string    ``
	ExpiresAt time.Time ``
	CreatedAt time.Time ``
	UpdatedAt time.Time ``
}

// APIToken is a personal bearer token; only its SHA-256 is stored.
type APIToken struct {
	ID         string     `json:"id" gorm:"primaryKey"`
	UserID     string     `json:"user_id"`
	Name       string     `json:"name"`
	TokenHash  string     `json:"-"`
	LastUsedAt *time.Time `json:"last_used_at"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// TableName keeps GORM from naming the table "api_tokens" differently on a rename.
func (APIToken) TableName() string { return "api_tokens" }

// AuditEvent is one row of the append-only, hash-chained audit trail. It
// holds ids, never personal data.
type AuditEvent struct {
	ID         string    `json:"id" gorm:"primaryKey"`
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	ActorID    string    `json:"actor_id"`
	ActorRole  string    `json:"actor_role"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	RequestID  string    `json:"request_id"`
	// Detail is a short machine note (changed field names, listed ids); never personal data.
	Detail    string    `json:"detail"`
	PrevHash  string    `json:"prev_hash"`
	Hash      string    `json:"hash"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Audit actions.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
	ActionRead   = "read"
	ActionList   = "list"
	ActionLogin  = "login"
	ActionLogout = "logout"
	ActionRefuse = "refuse"
	// ActionErase: personal data erased at the end of its retention period.
	ActionErase = "erase"
)
