package models

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits on terms that hold whatever the policy says.
const (
	MaxDuties            = 20
	MaxDutyLen           = 100
	MaxContractLanguages = 4
	maxLeaveWeeks        = 52
	maxPublicHolidays    = 366
	maxPremiumPct        = 1000
	maxNoticeDays        = 3650
)

// MaxPayDay is the last pay day terms may name: every month has a 28th.
// Pay day 0 means "at the latest on the last day of the month".
const MaxPayDay = 28

// TermsInput is the wire form of proposed terms. Numbers and booleans are
// pointers so that a missing one is reported as required; the wage is a
// decimal string in the policy's currency ("1200.00"). NightPremiumPct and
// SundayPremiumPct may be left out: they then take the policy's minimum.
// PayDay may be left out (or 0): the wage is then paid at the latest on the
// last day of each month.
type TermsInput struct {
	MonthlyNetWage              *string  `json:"monthly_net_wage"`
	Currency                    string   `json:"currency"`
	WeeklyHours                 *float64 `json:"weekly_hours"`
	DailyRestHours              *float64 `json:"daily_rest_hours"`
	WeeklyRestDays              *float64 `json:"weekly_rest_days"`
	AnnualLeaveWeeks            *float64 `json:"annual_leave_weeks"`
	PublicHolidays              *int     `json:"public_holidays"`
	OvertimePremiumPct          *int     `json:"overtime_premium_pct"`
	NightPremiumPct             *int     `json:"night_premium_pct"`
	SundayPremiumPct            *int     `json:"sunday_premium_pct"`
	OwnLockableRoom             *bool    `json:"own_lockable_room"`
	PaidIntoSoleNameAccount     *bool    `json:"paid_into_sole_name_account"`
	WorkerKeepsPassport         *bool    `json:"worker_keeps_passport"`
	OwnPhoneAndFamilyContact    *bool    `json:"own_phone_and_family_contact"`
	HealthInsuranceByEmployer   *bool    `json:"health_insurance_by_employer"`
	AccidentInsuranceByEmployer *bool    `json:"accident_insurance_by_employer"`
	ReturnTravelByEmployer      *bool    `json:"return_travel_by_employer"`
	NoticePeriodDays            *int     `json:"notice_period_days"`
	PayDay                      *int     `json:"pay_day"`
	Duties                      []string `json:"duties"`
	ContractLanguages           []string `json:"contract_languages"`
}

// EmploymentInput is the wire form of a mission's notification of a new
// employment.
type EmploymentInput struct {
	WorkerID   string      `json:"worker_id"`
	EmployerID string      `json:"employer_id"`
	StartDate  *Date       `json:"start_date"`
	EndDate    *Date       `json:"end_date"`
	Terms      *TermsInput `json:"terms"`
}

// CheckYoungWorkerLeave returns a message when a worker younger than the
// policy's YoungWorkerAge on the start date is offered less annual leave
// than MinAnnualLeaveWeeksYoung; "" otherwise (also when the age is unknown:
// CheckWorkerAge refuses that case).
func CheckYoungWorkerLeave(w *Worker, start Date, leaveWeeks float64, p *Policy) (field, msg string) {
	if w.DateOfBirth == nil || start.YearsSince(*w.DateOfBirth) >= p.YoungWorkerAge || leaveWeeks >= p.MinAnnualLeaveWeeksYoung {
		return "", ""
	}
	return "terms.annual_leave_weeks", "must be at least " + fmtNum(p.MinAnnualLeaveWeeksYoung) + " weeks a year for a worker under " +
		strconv.Itoa(p.YoungWorkerAge) + refNote(p, "min_annual_leave_weeks_young")
}

// refNote returns " (reference)" for the policy figure key, or "" when the
// policy gives no reference.
func refNote(p *Policy, key string) string {
	if r := strings.TrimSpace(p.Refs[key]); r != "" {
		return " (" + r + ")"
	}
	return ""
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// termsChecker gathers the problems of one TermsInput.
type termsChecker struct {
	f FieldErrors
	p *Policy
}

func (c termsChecker) add(field, msg string) { c.f.Add("terms."+field, msg) }

// float checks a required non-negative finite number between min (from the
// policy figure minKey, when not "") and max; unit names it in messages.
func (c termsChecker) float(field string, v *float64, min float64, minKey string, max float64, unit string) float64 {
	switch {
	case v == nil:
		c.add(field, msgRequired)
	case math.IsNaN(*v) || math.IsInf(*v, 0):
		c.add(field, "must be a number")
	case *v < 0:
		c.add(field, "must not be negative")
	case minKey != "" && *v < min:
		c.add(field, "must be at least "+fmtNum(min)+" "+unit+refNote(c.p, minKey))
	case *v > max:
		c.add(field, "must be at most "+fmtNum(max)+" "+unit)
	default:
		return *v
	}
	return 0
}

// int checks a non-negative integer between the policy minimum and max; a
// nil v is required unless def is not nil, which is then used.
func (c termsChecker) int(field string, v *int, def *int, min int, minKey string, max int, unit string) int {
	if v == nil && def != nil {
		v = def
	}
	switch {
	case v == nil:
		c.add(field, msgRequired)
	case *v < 0:
		c.add(field, "must not be negative")
	case *v < min:
		c.add(field, "must be at least "+strconv.Itoa(min)+unit+refNote(c.p, minKey))
	case *v > max:
		c.add(field, "must be at most "+strconv.Itoa(max)+unit)
	default:
		return *v
	}
	return 0
}

// flag checks a required boolean that the policy may require to be true.
func (c termsChecker) flag(field string, v *bool, required bool, key, rule string) bool {
	switch {
	case v == nil:
		c.add(field, msgRequired)
	case required && !*v:
		c.add(field, "must be true: "+rule+refNote(c.p, key))
	default:
		return *v
	}
	return false
}

// ValidateTerms checks in against every floor of policy p and reports every
// violation at once, keyed "terms.<field>", each message stating the rule
// and the policy's legal reference ("must be at least 1200.00 CHF (PHEO
// art. 43)"). The Terms it returns are usable only when the FieldErrors are
// empty.
func ValidateTerms(in TermsInput, p *Policy) (Terms, FieldErrors) {
	f := FieldErrors{}
	var t Terms
	if p == nil {
		f.Add("terms", "cannot be checked: no policy is in force")
		return t, f
	}
	c := termsChecker{f: f, p: p}

	cur := strings.ToUpper(strings.TrimSpace(in.Currency))
	switch {
	case cur == "":
		c.add("currency", msgRequired)
	case cur != p.Currency:
		c.add("currency", "must be "+p.Currency+", the policy's currency")
	default:
		t.Currency = cur
	}

	switch {
	case in.MonthlyNetWage == nil || strings.TrimSpace(*in.MonthlyNetWage) == "":
		c.add("monthly_net_wage", msgRequired)
	default:
		v, err := ParseAmount(strings.TrimSpace(*in.MonthlyNetWage), p.Currency)
		switch {
		case err != nil:
			c.add("monthly_net_wage", err.Error())
		case v < p.MinMonthlyNetWageMinor:
			c.add("monthly_net_wage", "must be at least "+FormatAmount(p.MinMonthlyNetWageMinor, p.Currency)+" "+p.Currency+refNote(p, "min_monthly_net_wage"))
		default:
			t.MonthlyNetWageMinor = v
		}
	}

	switch h := in.WeeklyHours; {
	case h == nil:
		c.add("weekly_hours", msgRequired)
	case math.IsNaN(*h) || math.IsInf(*h, 0):
		c.add("weekly_hours", "must be a number")
	case *h < 0:
		c.add("weekly_hours", "must not be negative")
	case *h == 0:
		c.add("weekly_hours", "must be more than 0")
	case *h > p.MaxWeeklyHours:
		c.add("weekly_hours", "must be at most "+fmtNum(p.MaxWeeklyHours)+" hours a week"+refNote(p, "max_weekly_hours"))
	default:
		t.WeeklyHours = *h
	}

	t.DailyRestHours = c.float("daily_rest_hours", in.DailyRestHours, p.MinDailyRestHours, "min_daily_rest_hours", 24, "hours a day")
	t.WeeklyRestDays = c.float("weekly_rest_days", in.WeeklyRestDays, p.MinWeeklyRestDays, "min_weekly_rest_days", 7, "days a week")
	t.AnnualLeaveWeeks = c.float("annual_leave_weeks", in.AnnualLeaveWeeks, p.MinAnnualLeaveWeeks, "min_annual_leave_weeks", maxLeaveWeeks, "weeks a year")
	t.PublicHolidays = c.int("public_holidays", in.PublicHolidays, nil, p.MinPublicHolidays, "min_public_holidays", maxPublicHolidays, " days a year")
	t.OvertimePremiumPct = c.int("overtime_premium_pct", in.OvertimePremiumPct, nil, p.MinOvertimePremiumPct, "min_overtime_premium_pct", maxPremiumPct, "%")
	night, sunday := p.MinNightPremiumPct, p.MinSundayPremiumPct
	t.NightPremiumPct = c.int("night_premium_pct", in.NightPremiumPct, &night, p.MinNightPremiumPct, "min_night_premium_pct", maxPremiumPct, "%")
	t.SundayPremiumPct = c.int("sunday_premium_pct", in.SundayPremiumPct, &sunday, p.MinSundayPremiumPct, "min_sunday_premium_pct", maxPremiumPct, "%")

	t.OwnLockableRoom = c.flag("own_lockable_room", in.OwnLockableRoom, p.OwnLockableRoomRequired,
		"own_lockable_room_required", "the worker has their own room that locks")
	t.PaidIntoSoleNameAccount = c.flag("paid_into_sole_name_account", in.PaidIntoSoleNameAccount, p.SoleNameAccountRequired,
		"sole_name_account_required", "the wage is paid into an account in the worker's sole name")
	t.WorkerKeepsPassport = c.flag("worker_keeps_passport", in.WorkerKeepsPassport, p.WorkerKeepsPassportRequired,
		"worker_keeps_passport_required", "the worker keeps their own passport")
	t.OwnPhoneAndFamilyContact = c.flag("own_phone_and_family_contact", in.OwnPhoneAndFamilyContact, p.FamilyContactRequired,
		"family_contact_required", "the worker keeps their own phone and may contact their family")
	t.HealthInsuranceByEmployer = c.flag("health_insurance_by_employer", in.HealthInsuranceByEmployer, p.HealthInsuranceRequired,
		"health_insurance_required", "the employer pays the worker's health insurance")
	t.AccidentInsuranceByEmpl = c.flag("accident_insurance_by_employer", in.AccidentInsuranceByEmployer, p.AccidentInsuranceRequired,
		"accident_insurance_required", "the employer pays the worker's accident insurance")
	t.ReturnTravelByEmployer = c.flag("return_travel_by_employer", in.ReturnTravelByEmployer, p.ReturnTravelRequired,
		"return_travel_required", "the employer pays the worker's journey home")

	t.NoticePeriodDays = c.int("notice_period_days", in.NoticePeriodDays, nil, p.MinNoticePeriodDays, "min_notice_period_days", maxNoticeDays, " days")

	if d := in.PayDay; d != nil {
		if *d < 0 || *d > MaxPayDay {
			c.add("pay_day", msgPayDay)
		} else {
			t.PayDay = *d
		}
	}

	switch {
	case in.Duties == nil:
		c.add("duties", msgRequired)
	case len(in.Duties) == 0:
		c.add("duties", "must list at least one duty")
	case len(in.Duties) > MaxDuties:
		c.add("duties", "must list at most "+strconv.Itoa(MaxDuties)+" duties")
	default:
		duties := make(Strings, len(in.Duties))
		for i, d := range in.Duties {
			d = strings.TrimSpace(d)
			if d == "" || !utf8.ValidString(d) || utf8.RuneCountInString(d) > MaxDutyLen || strings.ContainsFunc(d, isControl) {
				c.add("duties", "must each be plain text of 1 to "+strconv.Itoa(MaxDutyLen)+" characters (item "+strconv.Itoa(i+1)+" is not)")
				duties = nil
				break
			}
			duties[i] = d
		}
		t.Duties = duties
	}

	if in.ContractLanguages == nil {
		c.add("contract_languages", msgRequired)
	} else {
		langs := append(Strings(nil), in.ContractLanguages...)
		n := len(f)
		checkLanguages(f, "terms.contract_languages", langs, MaxContractLanguages)
		if len(f) == n {
			t.ContractLanguages = langs
		}
	}
	return t, f
}

// msgPayDay explains the pay days a contract may name.
const msgPayDay = "must be a day that every month has, 1 to 28, or left out to pay at the latest on the last day of the month"

func isControl(r rune) bool { return r < ' ' || r == 0x7f || r >= 0x80 && r < 0xa0 }

// Validate checks a notification: worker_id and employer_id (ids), a
// start_date, an end_date after it, and terms meeting policy p. It returns
// the Employment with its ids, dates and Terms filled in; its status and
// mission and policy ids are left for the store. The error is an EINVALID
// *Error naming every failing field.
func (in EmploymentInput) Validate(p *Policy) (Employment, error) {
	f := FieldErrors{}
	var e Employment
	for _, id := range []struct {
		field string
		v     string
		dst   *string
	}{{"worker_id", in.WorkerID, &e.WorkerID}, {"employer_id", in.EmployerID, &e.EmployerID}} {
		v := strings.TrimSpace(id.v)
		switch {
		case v == "":
			f.Add(id.field, msgRequired)
		case !ValidID(v):
			f.Add(id.field, msgID)
		default:
			*id.dst = v
		}
	}
	if in.StartDate == nil || in.StartDate.IsZero() {
		f.Add("start_date", msgRequired)
	} else {
		e.StartDate = *in.StartDate
	}
	if in.EndDate != nil {
		switch {
		case in.EndDate.IsZero():
			f.Add("end_date", "must be a real date written YYYY-MM-DD")
		case in.StartDate != nil && !in.EndDate.After(*in.StartDate):
			f.Add("end_date", "must be after start_date")
		default:
			d := *in.EndDate
			e.EndDate = &d
		}
	}
	if in.Terms == nil {
		f.Add("terms", msgRequired)
	} else {
		t, tf := ValidateTerms(*in.Terms, p)
		for k, v := range tf {
			f.Add(k, v)
		}
		e.Terms = t
	}
	if err := f.Err(); err != nil {
		return Employment{}, err
	}
	return e, nil
}

// CheckWorkerAge returns ("", "") when the worker is at least p.MinWorkerAge
// years old on the start date, and otherwise the field "worker.date_of_birth"
// and a message for people. A worker whose date of birth is unknown or
// uncertain is presumed a minor.
func CheckWorkerAge(w *Worker, start Date, p *Policy) (field, msg string) {
	if p == nil || p.MinWorkerAge <= 0 {
		return "", ""
	}
	const ageField = "worker.date_of_birth"
	ref := refNote(p, "min_worker_age")
	if w == nil || w.DateOfBirth == nil || w.DateOfBirth.IsZero() || w.DateOfBirthUncertain {
		return ageField, "date of birth unknown or uncertain: the worker is presumed a minor and cannot be registered until an officer verifies the age" + ref
	}
	if start.YearsSince(*w.DateOfBirth) < p.MinWorkerAge {
		return ageField, "the worker must be at least " + strconv.Itoa(p.MinWorkerAge) + " years old on the start date, " + start.String() + ref
	}
	return "", ""
}

// rankHousehold names the household of an employer of each rank.
var rankHousehold = map[string]string{
	RankHeadOfMission:   "a head of mission's household",
	RankDiplomat:        "a diplomat's household",
	RankConsularHead:    "a career head of consular post's household",
	RankConsularOfficer: "a consular officer's household",
	RankIOOfficial:      "an international organisation official's household",
	RankOther:           "an employer's household",
}

// CheckHouseholdQuota returns "" when an employer of rank whose household
// already has openCount open employments may take on one more worker under
// p, and otherwise a message for people. A rank absent from
// p.HouseholdQuota has no fixed number (authorised case by case).
func CheckHouseholdQuota(rank string, openCount int, p *Policy) string {
	if p == nil {
		return ""
	}
	quota, ok := p.HouseholdQuota[rank]
	if !ok || openCount < quota {
		return ""
	}
	who, ok := rankHousehold[rank]
	if !ok {
		who = "an employer's household"
	}
	workers := "private domestic workers"
	if quota == 1 {
		workers = "private domestic worker"
	}
	return who + " may employ at most " + strconv.Itoa(quota) + " " + workers + refNote(p, "household_quota")
}

// MarshalJSON writes every field of t and the wage as a decimal string in
// its currency ("monthly_net_wage": "1200.00").
func (t Terms) MarshalJSON() ([]byte, error) {
	type plain Terms
	return json.Marshal(struct {
		MonthlyNetWage string `json:"monthly_net_wage"`
		plain
	}{FormatAmount(t.MonthlyNetWageMinor, t.Currency), plain(t)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (t *Terms) UnmarshalJSON(b []byte) error {
	type plain Terms
	var v struct {
		MonthlyNetWage *string `json:"monthly_net_wage"`
		plain
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	nt := Terms(v.plain)
	if v.MonthlyNetWage != nil && *v.MonthlyNetWage != "" {
		minor, err := ParseAmount(*v.MonthlyNetWage, nt.Currency)
		if err != nil {
			return errors.New("monthly_net_wage " + err.Error())
		}
		nt.MonthlyNetWageMinor = minor
	}
	*t = nt
	return nil
}

// Input returns the wire form of stored terms, so that they can be checked
// again (against a newer policy version, say).
func (t Terms) Input() TermsInput {
	wage := FormatAmount(t.MonthlyNetWageMinor, t.Currency)
	f := func(v float64) *float64 { return &v }
	i := func(v int) *int { return &v }
	b := func(v bool) *bool { return &v }
	return TermsInput{
		MonthlyNetWage: &wage, Currency: t.Currency, WeeklyHours: f(t.WeeklyHours), DailyRestHours: f(t.DailyRestHours),
		WeeklyRestDays: f(t.WeeklyRestDays), AnnualLeaveWeeks: f(t.AnnualLeaveWeeks), PublicHolidays: i(t.PublicHolidays),
		OvertimePremiumPct: i(t.OvertimePremiumPct), NightPremiumPct: i(t.NightPremiumPct), SundayPremiumPct: i(t.SundayPremiumPct),
		OwnLockableRoom: b(t.OwnLockableRoom), PaidIntoSoleNameAccount: b(t.PaidIntoSoleNameAccount),
		WorkerKeepsPassport: b(t.WorkerKeepsPassport), OwnPhoneAndFamilyContact: b(t.OwnPhoneAndFamilyContact),
		HealthInsuranceByEmployer: b(t.HealthInsuranceByEmployer), AccidentInsuranceByEmployer: b(t.AccidentInsuranceByEmpl),
		ReturnTravelByEmployer: b(t.ReturnTravelByEmployer), NoticePeriodDays: i(t.NoticePeriodDays), PayDay: i(t.PayDay),
		Duties: append([]string(nil), t.Duties...), ContractLanguages: append([]string(nil), t.ContractLanguages...),
	}
}

// TermsBelow returns, keyed by field, every rule of p that stored terms t
// break (empty when t meets p).
func TermsBelow(t Terms, p *Policy) map[string]string {
	_, f := ValidateTerms(t.Input(), p)
	return f
}
