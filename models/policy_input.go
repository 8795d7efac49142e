package models

import (
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Escalation steps a policy may list, in the order the design describes
// them for missed appointments.
const (
	EscalationReschedule           = "reschedule"
	EscalationOfficerFollowUp      = "officer_follow_up"
	EscalationSupervisorAlert      = "supervisor_alert_and_mission_notified"
	EscalationEligibilitySuspended = "eligibility_suspended"
)

// EscalationStepKinds lists the accepted escalation steps.
var EscalationStepKinds = []string{EscalationReschedule, EscalationOfficerFollowUp, EscalationSupervisorAlert, EscalationEligibilitySuspended}

// PolicyFigures lists the JSON names of every policy figure; each needs a
// reference in Policy.Refs under the same name.
var PolicyFigures = []string{
	"min_monthly_net_wage", "board_lodging_deductible", "max_weekly_hours",
	"min_daily_rest_hours", "min_weekly_rest_days", "min_annual_leave_weeks",
	"young_worker_age", "min_annual_leave_weeks_young",
	"min_public_holidays", "min_overtime_premium_pct", "min_night_premium_pct",
	"min_sunday_premium_pct", "health_insurance_required", "accident_insurance_required",
	"own_lockable_room_required", "sole_name_account_required", "worker_keeps_passport_required",
	"family_contact_required", "return_travel_required", "min_notice_period_days",
	"min_worker_age", "household_quota", "arrival_registration_days",
	"checkin_interval_months", "id_card_validity_months", "renewal_lead_days",
	"reminder_lead_days", "escalation_steps", "follow_up_days", "retention_years",
	"host_language",
}

// Limits on policy figures, whatever the host country.
const (
	MaxRefLen           = 300
	MaxPolicyNameLen    = 64
	MaxPolicyTitleLen   = 300
	MinWorkerAgeFloor   = 18 // the registry never registers minors
	maxReminderLeadDays = 365
	// maxFollowUpDays bounds follow_up_days (the planner books that far ahead).
	maxFollowUpDays = 90
)

// PolicyInput is the wire form of a policy version: every Policy field but
// id, version and timestamps, the wage floor as a decimal string, and
// pointers (or nil maps and lists) so that a missing figure is named.
type PolicyInput struct {
	Name          string `json:"name"`
	Title         string `json:"title"`
	EffectiveFrom *Date  `json:"effective_from"`
	Country       string `json:"country"`
	Currency      string `json:"currency"`
	HostLanguage  string `json:"host_language"`

	MinMonthlyNetWage           *string           `json:"min_monthly_net_wage"`
	BoardLodgingDeductible      *bool             `json:"board_lodging_deductible"`
	MaxWeeklyHours              *float64          `json:"max_weekly_hours"`
	MinDailyRestHours           *float64          `json:"min_daily_rest_hours"`
	MinWeeklyRestDays           *float64          `json:"min_weekly_rest_days"`
	MinAnnualLeaveWeeks         *float64          `json:"min_annual_leave_weeks"`
	YoungWorkerAge              *int              `json:"young_worker_age"`
	MinAnnualLeaveWeeksYoung    *float64          `json:"min_annual_leave_weeks_young"`
	MinPublicHolidays           *int              `json:"min_public_holidays"`
	MinOvertimePremiumPct       *int              `json:"min_overtime_premium_pct"`
	MinNightPremiumPct          *int              `json:"min_night_premium_pct"`
	MinSundayPremiumPct         *int              `json:"min_sunday_premium_pct"`
	HealthInsuranceRequired     *bool             `json:"health_insurance_required"`
	AccidentInsuranceRequired   *bool             `json:"accident_insurance_required"`
	OwnLockableRoomRequired     *bool             `json:"own_lockable_room_required"`
	SoleNameAccountRequired     *bool             `json:"sole_name_account_required"`
	WorkerKeepsPassportRequired *bool             `json:"worker_keeps_passport_required"`
	FamilyContactRequired       *bool             `json:"family_contact_required"`
	ReturnTravelRequired        *bool             `json:"return_travel_required"`
	MinNoticePeriodDays         *int              `json:"min_notice_period_days"`
	MinWorkerAge                *int              `json:"min_worker_age"`
	HouseholdQuota              map[string]int    `json:"household_quota"`
	ArrivalRegistrationDays     *int              `json:"arrival_registration_days"`
	CheckinIntervalMonths       *int              `json:"checkin_interval_months"`
	IDCardValidityMonths        *int              `json:"id_card_validity_months"`
	RenewalLeadDays             *int              `json:"renewal_lead_days"`
	ReminderLeadDays            []int             `json:"reminder_lead_days"`
	EscalationSteps             []string          `json:"escalation_steps"`
	FollowUpDays                *int              `json:"follow_up_days"`
	RetentionYears              *int              `json:"retention_years"`
	Refs                        map[string]string `json:"refs"`
}

var policyNameRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

type policyChecker struct{ f FieldErrors }

func (c policyChecker) float(field string, v *float64, min, max float64, minExclusive bool) float64 {
	switch {
	case v == nil:
		c.f.Add(field, msgRequired)
	case math.IsNaN(*v) || math.IsInf(*v, 0):
		c.f.Add(field, "must be a number")
	case minExclusive && *v <= min:
		c.f.Add(field, "must be more than "+fmtNum(min)+" and at most "+fmtNum(max))
	case *v < min || *v > max:
		c.f.Add(field, "must be between "+fmtNum(min)+" and "+fmtNum(max))
	default:
		return *v
	}
	return 0
}

func (c policyChecker) int(field string, v *int, min, max int) int {
	switch {
	case v == nil:
		c.f.Add(field, msgRequired)
	case *v < min || *v > max:
		c.f.Add(field, "must be between "+strconv.Itoa(min)+" and "+strconv.Itoa(max))
	default:
		return *v
	}
	return 0
}

func (c policyChecker) flag(field string, v *bool) bool {
	if v == nil {
		c.f.Add(field, msgRequired)
		return false
	}
	return *v
}

// Policy checks in and returns the policy version it describes (without id,
// version or timestamps). The error is an EINVALID *Error listing every
// missing or invalid figure and, under "refs.<figure>", every figure whose
// legal reference is missing.
func (in PolicyInput) Policy() (*Policy, error) {
	f := FieldErrors{}
	c := policyChecker{f}
	p := &Policy{}

	p.Name = strings.TrimSpace(in.Name)
	switch {
	case p.Name == "":
		f.Add("name", msgRequired)
	case len(p.Name) > MaxPolicyNameLen || !policyNameRE.MatchString(p.Name):
		f.Add("name", "must be lower-case letters, digits and hyphens (at most "+strconv.Itoa(MaxPolicyNameLen)+")")
	}
	p.Title = in.Title
	checkText(f, "title", &p.Title, false, MaxPolicyTitleLen)
	if in.EffectiveFrom == nil || in.EffectiveFrom.IsZero() {
		f.Add("effective_from", msgRequired)
	} else {
		p.EffectiveFrom = *in.EffectiveFrom
	}
	p.Country = in.Country
	checkCountry(f, "country", &p.Country)
	p.HostLanguage = in.HostLanguage
	if strings.TrimSpace(p.HostLanguage) == "" {
		f.Add("host_language", msgRequired)
	} else {
		checkLanguage(f, "host_language", &p.HostLanguage, "")
	}
	p.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	_, currencyOK := CurrencyExponent(p.Currency)
	switch {
	case p.Currency == "":
		f.Add("currency", msgRequired)
	case !currencyOK:
		f.Add("currency", "must be an active ISO 4217 currency code such as CHF")
	}

	switch {
	case in.MinMonthlyNetWage == nil || strings.TrimSpace(*in.MinMonthlyNetWage) == "":
		f.Add("min_monthly_net_wage", msgRequired)
	case !currencyOK:
		f.Add("min_monthly_net_wage", "cannot be read without a valid currency")
	default:
		v, err := ParseAmount(strings.TrimSpace(*in.MinMonthlyNetWage), p.Currency)
		switch {
		case err != nil:
			f.Add("min_monthly_net_wage", err.Error())
		case v == 0:
			f.Add("min_monthly_net_wage", "must be more than 0")
		default:
			p.MinMonthlyNetWageMinor = v
		}
	}
	if c.flag("board_lodging_deductible", in.BoardLodgingDeductible) {
		f.Add("board_lodging_deductible", "must be false: board and lodging may never be deducted from the wage")
	}
	p.MaxWeeklyHours = c.float("max_weekly_hours", in.MaxWeeklyHours, 0, 168, true)
	p.MinDailyRestHours = c.float("min_daily_rest_hours", in.MinDailyRestHours, 0, 24, false)
	p.MinWeeklyRestDays = c.float("min_weekly_rest_days", in.MinWeeklyRestDays, 0, 7, false)
	p.MinAnnualLeaveWeeks = c.float("min_annual_leave_weeks", in.MinAnnualLeaveWeeks, 0, maxLeaveWeeks, false)
	p.YoungWorkerAge = c.int("young_worker_age", in.YoungWorkerAge, MinWorkerAgeFloor, 99)
	p.MinAnnualLeaveWeeksYoung = c.float("min_annual_leave_weeks_young", in.MinAnnualLeaveWeeksYoung, 0, maxLeaveWeeks, false)
	if in.MinAnnualLeaveWeeks != nil && in.MinAnnualLeaveWeeksYoung != nil && p.MinAnnualLeaveWeeksYoung < p.MinAnnualLeaveWeeks {
		f.Add("min_annual_leave_weeks_young", "must be at least min_annual_leave_weeks")
	}
	p.MinPublicHolidays = c.int("min_public_holidays", in.MinPublicHolidays, 0, maxPublicHolidays)
	p.MinOvertimePremiumPct = c.int("min_overtime_premium_pct", in.MinOvertimePremiumPct, 0, maxPremiumPct)
	p.MinNightPremiumPct = c.int("min_night_premium_pct", in.MinNightPremiumPct, 0, maxPremiumPct)
	p.MinSundayPremiumPct = c.int("min_sunday_premium_pct", in.MinSundayPremiumPct, 0, maxPremiumPct)
	p.HealthInsuranceRequired = c.flag("health_insurance_required", in.HealthInsuranceRequired)
	p.AccidentInsuranceRequired = c.flag("accident_insurance_required", in.AccidentInsuranceRequired)
	p.OwnLockableRoomRequired = c.flag("own_lockable_room_required", in.OwnLockableRoomRequired)
	p.SoleNameAccountRequired = c.flag("sole_name_account_required", in.SoleNameAccountRequired)
	p.WorkerKeepsPassportRequired = c.flag("worker_keeps_passport_required", in.WorkerKeepsPassportRequired)
	p.FamilyContactRequired = c.flag("family_contact_required", in.FamilyContactRequired)
	p.ReturnTravelRequired = c.flag("return_travel_required", in.ReturnTravelRequired)
	p.MinNoticePeriodDays = c.int("min_notice_period_days", in.MinNoticePeriodDays, 0, maxNoticeDays)
	p.MinWorkerAge = c.int("min_worker_age", in.MinWorkerAge, MinWorkerAgeFloor, 99)

	if in.HouseholdQuota == nil {
		f.Add("household_quota", msgRequired)
	} else {
		q := IntMap{}
		for _, rank := range sortedKeys(in.HouseholdQuota) {
			n := in.HouseholdQuota[rank]
			switch {
			case !slices.Contains(Ranks, rank):
				f.Add("household_quota", "ranks must be among: "+strings.Join(Ranks, ", ")+" ("+strconv.Quote(rank)+" is not)")
			case n < 1 || n > 100:
				f.Add("household_quota", "numbers of workers must be between 1 and 100 ("+rank+" has "+strconv.Itoa(n)+")")
			default:
				q[rank] = n
			}
		}
		p.HouseholdQuota = q
	}

	p.ArrivalRegistrationDays = c.int("arrival_registration_days", in.ArrivalRegistrationDays, 1, 365)
	p.CheckinIntervalMonths = c.int("checkin_interval_months", in.CheckinIntervalMonths, 1, 60)
	p.IDCardValidityMonths = c.int("id_card_validity_months", in.IDCardValidityMonths, 1, 120)
	p.RenewalLeadDays = c.int("renewal_lead_days", in.RenewalLeadDays, 0, 365)
	if in.ReminderLeadDays == nil {
		f.Add("reminder_lead_days", msgRequired)
	} else {
		l := make(IntList, 0, len(in.ReminderLeadDays))
		for _, d := range in.ReminderLeadDays {
			if d < 0 || d > maxReminderLeadDays {
				f.Add("reminder_lead_days", "must each be between 0 and "+strconv.Itoa(maxReminderLeadDays)+" days")
				break
			}
			l = append(l, d)
		}
		if len(l) > 10 {
			f.Add("reminder_lead_days", "must list at most 10 reminders")
		}
		p.ReminderLeadDays = l
	}
	if in.EscalationSteps == nil {
		f.Add("escalation_steps", msgRequired)
	} else {
		s := make(Strings, 0, len(in.EscalationSteps))
		seen := map[string]bool{}
		for _, step := range in.EscalationSteps {
			step = strings.TrimSpace(step)
			if !slices.Contains(EscalationStepKinds, step) || seen[step] {
				f.Add("escalation_steps", "must each be one of "+strings.Join(EscalationStepKinds, ", ")+", none twice")
				break
			}
			seen[step] = true
			s = append(s, step)
		}
		p.EscalationSteps = s
	}
	p.FollowUpDays = c.int("follow_up_days", in.FollowUpDays, 1, maxFollowUpDays)
	p.RetentionYears = c.int("retention_years", in.RetentionYears, 0, 100)

	p.Refs = StringMap{}
	for _, k := range PolicyFigures {
		r := strings.TrimSpace(in.Refs[k])
		switch {
		case r == "":
			f.Add("refs."+k, "a legal reference is required")
		case !utf8.ValidString(r) || strings.ContainsFunc(r, isControl) || utf8.RuneCountInString(r) > MaxRefLen:
			f.Add("refs."+k, "must be plain text of at most "+strconv.Itoa(MaxRefLen)+" characters")
		default:
			p.Refs[k] = r
		}
	}
	for k := range in.Refs {
		if !slices.Contains(PolicyFigures, k) {
			f.Add("refs."+k, "is not a policy figure")
		}
	}

	if err := f.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Input returns the wire form of p, so that p.Input().Policy() gives p back
// (without id, version and timestamps).
func (p *Policy) Input() PolicyInput {
	wage := FormatAmount(p.MinMonthlyNetWageMinor, p.Currency)
	eff := p.EffectiveFrom
	in := PolicyInput{
		Name:                        p.Name,
		Title:                       p.Title,
		EffectiveFrom:               &eff,
		Country:                     p.Country,
		Currency:                    p.Currency,
		HostLanguage:                p.HostLanguage,
		MinMonthlyNetWage:           &wage,
		BoardLodgingDeductible:      ptr(p.BoardLodgingDeductible),
		MaxWeeklyHours:              ptr(p.MaxWeeklyHours),
		MinDailyRestHours:           ptr(p.MinDailyRestHours),
		MinWeeklyRestDays:           ptr(p.MinWeeklyRestDays),
		MinAnnualLeaveWeeks:         ptr(p.MinAnnualLeaveWeeks),
		YoungWorkerAge:              ptr(p.YoungWorkerAge),
		MinAnnualLeaveWeeksYoung:    ptr(p.MinAnnualLeaveWeeksYoung),
		MinPublicHolidays:           ptr(p.MinPublicHolidays),
		MinOvertimePremiumPct:       ptr(p.MinOvertimePremiumPct),
		MinNightPremiumPct:          ptr(p.MinNightPremiumPct),
		MinSundayPremiumPct:         ptr(p.MinSundayPremiumPct),
		HealthInsuranceRequired:     ptr(p.HealthInsuranceRequired),
		AccidentInsuranceRequired:   ptr(p.AccidentInsuranceRequired),
		OwnLockableRoomRequired:     ptr(p.OwnLockableRoomRequired),
		SoleNameAccountRequired:     ptr(p.SoleNameAccountRequired),
		WorkerKeepsPassportRequired: ptr(p.WorkerKeepsPassportRequired),
		FamilyContactRequired:       ptr(p.FamilyContactRequired),
		ReturnTravelRequired:        ptr(p.ReturnTravelRequired),
		MinNoticePeriodDays:         ptr(p.MinNoticePeriodDays),
		MinWorkerAge:                ptr(p.MinWorkerAge),
		HouseholdQuota:              map[string]int{},
		ArrivalRegistrationDays:     ptr(p.ArrivalRegistrationDays),
		CheckinIntervalMonths:       ptr(p.CheckinIntervalMonths),
		IDCardValidityMonths:        ptr(p.IDCardValidityMonths),
		RenewalLeadDays:             ptr(p.RenewalLeadDays),
		ReminderLeadDays:            append([]int{}, p.ReminderLeadDays...),
		EscalationSteps:             append([]string{}, p.EscalationSteps...),
		FollowUpDays:                ptr(p.FollowUpDays),
		RetentionYears:              ptr(p.RetentionYears),
		Refs:                        map[string]string{},
	}
	for k, v := range p.HouseholdQuota {
		in.HouseholdQuota[k] = v
	}
	for k, v := range p.Refs {
		in.Refs[k] = v
	}
	return in
}

func ptr[T any](v T) *T { return &v }

// MarshalJSON writes every field of p and the wage floor as a decimal
// string in its currency ("min_monthly_net_wage": "1200.00").
func (p Policy) MarshalJSON() ([]byte, error) {
	type plain Policy
	return json.Marshal(struct {
		MinMonthlyNetWage string `json:"min_monthly_net_wage"`
		plain
	}{FormatAmount(p.MinMonthlyNetWageMinor, p.Currency), plain(p)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *Policy) UnmarshalJSON(b []byte) error {
	type plain Policy
	var v struct {
		MinMonthlyNetWage *string `json:"min_monthly_net_wage"`
		plain
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	np := Policy(v.plain)
	if v.MinMonthlyNetWage != nil && *v.MinMonthlyNetWage != "" {
		minor, err := ParseAmount(*v.MinMonthlyNetWage, np.Currency)
		if err != nil {
			return errors.New("min_monthly_net_wage " + err.Error())
		}
		np.MinMonthlyNetWageMinor = minor
	}
	*p = np
	return nil
}
