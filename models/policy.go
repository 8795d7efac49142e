package models

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// Policy is one version of the host country's rules for private domestic
// workers' employment. Terms are validated against the version in force on
// the employment's start date; old versions are kept. Every figure carries
// the legal reference it comes from in Refs, keyed by the figure's JSON name.
type Policy struct {
	ID            string `json:"id" gorm:"primaryKey"`
	Version       int    `json:"version"`
	Name          string `json:"name"`
	Title         string `json:"title"`
	EffectiveFrom Date   `json:"effective_from"`
	Country       string `json:"country"`
	Currency      string `json:"currency"`
	// HostLanguage is the host country's language as the protocol office
	// uses it (BCP 47): the office's staff speak it unless
	// PDW_OFFICE_LANGUAGES says otherwise.
	HostLanguage string `json:"host_language"`

	MinMonthlyNetWageMinor int64   `json:"-"`
	BoardLodgingDeductible bool    `json:"board_lodging_deductible"`
	MaxWeeklyHours         float64 `json:"max_weekly_hours"`
	MinDailyRestHours      float64 `json:"min_daily_rest_hours"`
	MinWeeklyRestDays      float64 `json:"min_weekly_rest_days"`
	MinAnnualLeaveWeeks    float64 `json:"min_annual_leave_weeks"`
	// A worker younger than YoungWorkerAge on the start date is owed at
	// least MinAnnualLeaveWeeksYoung (PHEO art. 50: five weeks under 20).
	YoungWorkerAge              int     `json:"young_worker_age"`
	MinAnnualLeaveWeeksYoung    float64 `json:"min_annual_leave_weeks_young"`
	MinPublicHolidays           int     `json:"min_public_holidays"`
	MinOvertimePremiumPct       int     `json:"min_overtime_premium_pct"`
	MinNightPremiumPct          int     `json:"min_night_premium_pct"`
	MinSundayPremiumPct         int     `json:"min_sunday_premium_pct"`
	HealthInsuranceRequired     bool    `json:"health_insurance_required"`
	AccidentInsuranceRequired   bool    `json:"accident_insurance_required"`
	OwnLockableRoomRequired     bool    `json:"own_lockable_room_required"`
	SoleNameAccountRequired     bool    `json:"sole_name_account_required"`
	WorkerKeepsPassportRequired bool    `json:"worker_keeps_passport_required"`
	FamilyContactRequired       bool    `json:"family_contact_required"`
	ReturnTravelRequired        bool    `json:"return_travel_required"`
	MinNoticePeriodDays         int     `json:"min_notice_period_days"`
	MinWorkerAge                int     `json:"min_worker_age"`
	// HouseholdQuota maps an employer rank to the number of workers one
	// household may employ; a rank absent from the map has no fixed number
	// (the protocol office authorises case by case).
	HouseholdQuota          IntMap  `json:"household_quota" gorm:"type:text"`
	ArrivalRegistrationDays int     `json:"arrival_registration_days"`
	CheckinIntervalMonths   int     `json:"checkin_interval_months"`
	IDCardValidityMonths    int     `json:"id_card_validity_months"`
	RenewalLeadDays         int     `json:"renewal_lead_days"`
	ReminderLeadDays        IntList `json:"reminder_lead_days" gorm:"type:text"`
	EscalationSteps         Strings `json:"escalation_steps" gorm:"type:text"`
	// FollowUpDays is how many days after a missed appointment (or a
	// high-risk interview) the follow-up is due.
	FollowUpDays   int `json:"follow_up_days"`
	RetentionYears int `json:"retention_years"`
	// Refs maps a figure's JSON name to its legal reference ("PHEO art. 43").
	Refs      StringMap `json:"refs" gorm:"type:text"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// IntMap is a string-to-int map stored as a JSON object in a text column.
type IntMap map[string]int

// Value stores the map as a JSON object.
func (m IntMap) Value() (driver.Value, error) { return jsonValue(m, "{}") }

// Scan reads a JSON object.
func (m *IntMap) Scan(src any) error { return jsonScan(src, m) }

// IntList is a list of ints stored as a JSON array in a text column.
type IntList []int

// Value stores the list as a JSON array.
func (l IntList) Value() (driver.Value, error) { return jsonValue(l, "[]") }

// Scan reads a JSON array.
func (l *IntList) Scan(src any) error { return jsonScan(src, l) }

// StringMap is a string-to-string map stored as a JSON object in a text column.
type StringMap map[string]string

// Value stores the map as a JSON object.
func (m StringMap) Value() (driver.Value, error) { return jsonValue(m, "{}") }

// Scan reads a JSON object.
func (m *StringMap) Scan(src any) error { return jsonScan(src, m) }

func jsonValue[T any](v T, empty string) (driver.Value, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if string(b) == "null" {
		return empty, nil
	}
	return string(b), nil
}

func jsonScan(src any, dst any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
		return nil
	default:
		return fmt.Errorf("models: cannot scan %T into %T", src, dst)
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return fmt.Errorf("models: scan %T: %w", dst, err)
	}
	return nil
}
