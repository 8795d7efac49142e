package web

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pdw-registry/pdw/models"
)

// form reads a submitted HTML form into the API's input types. Inputs are
// named as the API names its fields ("terms.weekly_hours"), so that the
// store's field errors land next to the right input. Values that cannot
// be read (a word in a number field) are field errors too.
type form struct {
	v      url.Values
	fields models.FieldErrors
}

func newForm(v url.Values) *form { return &form{v: v, fields: models.FieldErrors{}} }

// maxFieldLen bounds every text field (the store checks the real limits).
const maxFieldLen = 4000

func (f *form) str(name string) string {
	s := strings.TrimSpace(f.v.Get(name))
	if len(s) > maxFieldLen || !utf8.ValidString(s) {
		f.fields.Add(name, "is too long or not text")
		return ""
	}
	return s
}

// opt returns nil for an empty field.
func (f *form) opt(name string) *string {
	s := f.str(name)
	if s == "" {
		return nil
	}
	return &s
}

func (f *form) date(name string) *models.Date {
	s := f.str(name)
	if s == "" {
		return nil
	}
	d, err := models.ParseDate(s)
	if err != nil {
		f.fields.Add(name, "must be a date (YYYY-MM-DD)")
		return nil
	}
	return &d
}

func (f *form) float(name string) *float64 {
	s := strings.ReplaceAll(f.str(name), ",", ".")
	if s == "" {
		return nil
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n != n || n > 1e9 || n < -1e9 {
		f.fields.Add(name, "must be a number")
		return nil
	}
	return &n
}

func (f *form) int(name string) *int {
	s := f.str(name)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > 1e9 || n < -1e9 {
		f.fields.Add(name, "must be a whole number")
		return nil
	}
	return &n
}

// check is a checkbox: ticked or not (never absent).
func (f *form) check(name string) *bool {
	b := f.v.Get(name) != ""
	return &b
}

// list reads a comma-separated list ("fr, tl").
func (f *form) list(name string) []string {
	s := f.str(name)
	if s == "" {
		return nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// err returns the form's own errors as the API would (EBADREQUEST).
func (f *form) err() error {
	if len(f.fields) == 0 {
		return nil
	}
	return &models.Error{Code: models.EBADREQUEST, Message: "Some fields could not be read.", Fields: f.fields}
}

// terms reads the terms of a notification under the prefix "terms.".
func (f *form) terms() *models.TermsInput {
	p := func(n string) string { return "terms." + n }
	return &models.TermsInput{
		MonthlyNetWage: f.opt(p("monthly_net_wage")), Currency: f.str(p("currency")),
		WeeklyHours: f.float(p("weekly_hours")), DailyRestHours: f.float(p("daily_rest_hours")),
		WeeklyRestDays: f.float(p("weekly_rest_days")), AnnualLeaveWeeks: f.float(p("annual_leave_weeks")),
		PublicHolidays: f.int(p("public_holidays")), OvertimePremiumPct: f.int(p("overtime_premium_pct")),
		NightPremiumPct: f.int(p("night_premium_pct")), SundayPremiumPct: f.int(p("sunday_premium_pct")),
		OwnLockableRoom: f.check(p("own_lockable_room")), PaidIntoSoleNameAccount: f.check(p("paid_into_sole_name_account")),
		WorkerKeepsPassport: f.check(p("worker_keeps_passport")), OwnPhoneAndFamilyContact: f.check(p("own_phone_and_family_contact")),
		HealthInsuranceByEmployer:   f.check(p("health_insurance_by_employer")),
		AccidentInsuranceByEmployer: f.check(p("accident_insurance_by_employer")),
		ReturnTravelByEmployer:      f.check(p("return_travel_by_employer")),
		NoticePeriodDays:            f.int(p("notice_period_days")), PayDay: f.int(p("pay_day")),
		Duties: f.list(p("duties")), ContractLanguages: f.list(p("contract_languages")),
	}
}
