package models

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

// validCHTerms is the documented wire example; it meets every CH floor.
const validCHTerms = `{"monthly_net_wage":"1200.00","currency":"CHF","weekly_hours":45,"daily_rest_hours":11,
"weekly_rest_days":1.5,"annual_leave_weeks":4,"public_holidays":8,"overtime_premium_pct":25,"night_premium_pct":100,
"sunday_premium_pct":50,"own_lockable_room":true,"paid_into_sole_name_account":true,"worker_keeps_passport":true,
"own_phone_and_family_contact":true,"health_insurance_by_employer":true,"accident_insurance_by_employer":true,
"return_travel_by_employer":true,"notice_period_days":30,"duties":["housekeeping"],"contract_languages":["fr","tl"]}`

func chPolicy(t testing.TB) *Policy {
	t.Helper()
	in, err := Preset("ch-pheo-2011")
	if err != nil {
		t.Fatal(err)
	}
	p, err := in.Policy()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func termsInput(t testing.TB, js string) TermsInput {
	t.Helper()
	var in TermsInput
	dec := json.NewDecoder(strings.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		t.Fatal(err)
	}
	return in
}

// withTerms returns validCHTerms with some keys replaced (a nil value removes the key).
func withTerms(t testing.TB, changes map[string]any) TermsInput {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(validCHTerms), &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range changes {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return termsInput(t, string(b))
}

func TestValidateTermsValidCH(t *testing.T) {
	p := chPolicy(t)
	got, errs := ValidateTerms(termsInput(t, validCHTerms), p)
	if len(errs) != 0 {
		t.Fatalf("ValidateTerms(valid CH terms) errors = %v, want none", errs)
	}
	want := Terms{MonthlyNetWageMinor: 120000, Currency: "CHF", WeeklyHours: 45, DailyRestHours: 11, WeeklyRestDays: 1.5,
		AnnualLeaveWeeks: 4, PublicHolidays: 8, OvertimePremiumPct: 25, NightPremiumPct: 100, SundayPremiumPct: 50,
		OwnLockableRoom: true, PaidIntoSoleNameAccount: true, WorkerKeepsPassport: true, OwnPhoneAndFamilyContact: true,
		HealthInsuranceByEmployer: true, AccidentInsuranceByEmpl: true, ReturnTravelByEmployer: true, NoticePeriodDays: 30,
		Duties: Strings{"housekeeping"}, ContractLanguages: Strings{"fr", "tl"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ValidateTerms() = %+v, want %+v", got, want)
	}

	// Night and Sunday premiums may be left out: they take the policy's minimum.
	got, errs = ValidateTerms(withTerms(t, map[string]any{"night_premium_pct": nil, "sunday_premium_pct": nil}), p)
	if len(errs) != 0 || got.NightPremiumPct != 100 || got.SundayPremiumPct != 50 {
		t.Errorf("without night/Sunday premiums: %d, %d, %v, want 100, 50, none", got.NightPremiumPct, got.SundayPremiumPct, errs)
	}
}

// The three violations of the design's example, reported at once with their
// references, and nothing else.
func TestValidateTermsThreeViolations(t *testing.T) {
	p := chPolicy(t)
	in := withTerms(t, map[string]any{"monthly_net_wage": "1000.00", "weekly_hours": 60, "worker_keeps_passport": false})
	want := map[string]string{
		"terms.monthly_net_wage":      "must be at least 1200.00 CHF (PHEO art. 43)",
		"terms.weekly_hours":          "must be at most 45 hours a week (PHEO art. 46)",
		"terms.worker_keeps_passport": "must be true: the worker keeps their own passport (ILO C189 art. 9(c), SR 0.822.728.9; no PHEO article found)",
	}
	_, got := ValidateTerms(in, p)
	if !reflect.DeepEqual(map[string]string(got), want) {
		t.Errorf("ValidateTerms() errors = %v, want %v", got, want)
	}

	// The same through a notification: one EINVALID (422) error with exactly those fields.
	_, err := EmploymentInput{WorkerID: NewID(), EmployerID: NewID(), StartDate: dp("2026-01-01"), Terms: &in}.Validate(p)
	if got := fieldsOf(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("EmploymentInput.Validate() fields = %v, want %v", got, want)
	}
}

// payDayMsg is the message for a pay day not every month has.
const payDayMsg = "must be a day that every month has, 1 to 28, or left out to pay at the latest on the last day of the month"

// TestValidateTermsPayDay: the pay day is kept; left out it is 0, the last
// day of the month.
func TestValidateTermsPayDay(t *testing.T) {
	p := chPolicy(t)
	for _, tt := range []struct {
		change any
		want   int
	}{{nil, 0}, {0, 0}, {1, 1}, {25, 25}, {28, 28}} {
		got, errs := ValidateTerms(withTerms(t, map[string]any{"pay_day": tt.change}), p)
		if len(errs) != 0 || got.PayDay != tt.want {
			t.Errorf("pay_day %v: PayDay = %d, errors %v; want %d, none", tt.change, got.PayDay, errs, tt.want)
		}
	}
}

func TestValidateTermsRules(t *testing.T) {
	p := chPolicy(t)
	tests := []struct {
		name    string
		changes map[string]any
		want    map[string]string
	}{
		{"currency", map[string]any{"currency": "EUR"}, map[string]string{"terms.currency": "must be CHF, the policy's currency"}},
		{"currency lower case", map[string]any{"currency": "chf"}, nil},
		{"wage format", map[string]any{"monthly_net_wage": "1'200.00"}, map[string]string{"terms.monthly_net_wage": "must be an amount like 1200.00"}},
		{"wage decimals", map[string]any{"monthly_net_wage": "1200.001"}, map[string]string{"terms.monthly_net_wage": "must have at most 2 decimal places"}},
		{"zero hours", map[string]any{"weekly_hours": 0}, map[string]string{"terms.weekly_hours": "must be more than 0"}},
		{"negative hours", map[string]any{"weekly_hours": -1}, map[string]string{"terms.weekly_hours": "must not be negative"}},
		{"daily rest", map[string]any{"daily_rest_hours": 8}, map[string]string{"terms.daily_rest_hours": "must be at least 11 hours a day (PHEO art. 48)"}},
		{"daily rest over 24", map[string]any{"daily_rest_hours": 25}, map[string]string{"terms.daily_rest_hours": "must be at most 24 hours a day"}},
		{"weekly rest", map[string]any{"weekly_rest_days": 1}, map[string]string{"terms.weekly_rest_days": "must be at least 1.5 days a week (PHEO art. 47)"}},
		{"weekly rest over 7", map[string]any{"weekly_rest_days": 8}, map[string]string{"terms.weekly_rest_days": "must be at most 7 days a week"}},
		{"leave", map[string]any{"annual_leave_weeks": 3}, map[string]string{"terms.annual_leave_weeks": "must be at least 4 weeks a year (PHEO art. 50: 5 weeks if under 20, after 20 years' service, or from age 50 with 5 years' service)"}},
		{"holidays", map[string]any{"public_holidays": 7}, map[string]string{"terms.public_holidays": "must be at least 8 days a year (PHEO art. 49)"}},
		{"overtime", map[string]any{"overtime_premium_pct": 10}, map[string]string{"terms.overtime_premium_pct": "must be at least 25% (PHEO art. 48)"}},
		{"night", map[string]any{"night_premium_pct": 50}, map[string]string{"terms.night_premium_pct": "must be at least 100% (PHEO art. 48)"}},
		{"sunday", map[string]any{"sunday_premium_pct": 0}, map[string]string{"terms.sunday_premium_pct": "must be at least 50% (PHEO art. 48)"}},
		{"negative premium", map[string]any{"overtime_premium_pct": -5}, map[string]string{"terms.overtime_premium_pct": "must not be negative"}},
		{"room", map[string]any{"own_lockable_room": false}, map[string]string{"terms.own_lockable_room": "must be true: the worker has their own room that locks (PHEO art. 30)"}},
		{"account", map[string]any{"paid_into_sole_name_account": false}, map[string]string{"terms.paid_into_sole_name_account": "must be true: the wage is paid into an account in the worker's sole name (PHEO art. 43)"}},
		{"health", map[string]any{"health_insurance_by_employer": false}, map[string]string{"terms.health_insurance_by_employer": "must be true: the employer pays the worker's health insurance (PHEO art. 44)"}},
		{"accident", map[string]any{"accident_insurance_by_employer": false}, map[string]string{"terms.accident_insurance_by_employer": "must be true: the employer pays the worker's accident insurance (PHEO art. 44)"}},
		{"family", map[string]any{"own_phone_and_family_contact": false}, map[string]string{"terms.own_phone_and_family_contact": "must be true: the worker keeps their own phone and may contact their family (no explicit rule found; protocol office practice based on the freedom of movement in PHEO art. 29)"}},
		{"return travel", map[string]any{"return_travel_by_employer": false}, map[string]string{"terms.return_travel_by_employer": "must be true: the employer pays the worker's journey home (no PHEO article found for the journey home, art. 44 covers the initial journey; protocol office practice)"}},
		{"notice", map[string]any{"notice_period_days": 7}, map[string]string{"terms.notice_period_days": "must be at least 30 days (protocol office practice (not statutory))"}},
		{"no duties", map[string]any{"duties": []string{}}, map[string]string{"terms.duties": "must list at least one duty"}},
		{"blank duty", map[string]any{"duties": []string{"cooking", "  "}}, map[string]string{"terms.duties": "must each be plain text of 1 to 100 characters (item 2 is not)"}},
		{"long duty", map[string]any{"duties": []string{strings.Repeat("d", 101)}}, map[string]string{"terms.duties": "must each be plain text of 1 to 100 characters (item 1 is not)"}},
		{"many duties", map[string]any{"duties": make([]string, 21)}, map[string]string{"terms.duties": "must list at most 20 duties"}},
		{"no languages", map[string]any{"contract_languages": []string{}}, map[string]string{"terms.contract_languages": "must list at least one language"}},
		{"bad language", map[string]any{"contract_languages": []string{"fr", "french"}}, map[string]string{"terms.contract_languages": "must be language codes such as fr, tl or zh-Hant (item 2 is not)"}},
		{"five languages", map[string]any{"contract_languages": []string{"fr", "de", "it", "en", "tl"}}, map[string]string{"terms.contract_languages": "must list at most 4 languages"}},
		{"pay day 0 (last day)", map[string]any{"pay_day": 0}, nil},
		{"pay day 1", map[string]any{"pay_day": 1}, nil},
		{"pay day 28", map[string]any{"pay_day": 28}, nil},
		{"pay day 29", map[string]any{"pay_day": 29}, map[string]string{"terms.pay_day": payDayMsg}},
		{"pay day 31", map[string]any{"pay_day": 31}, map[string]string{"terms.pay_day": payDayMsg}},
		{"pay day -1", map[string]any{"pay_day": -1}, map[string]string{"terms.pay_day": payDayMsg}},
		{"everything missing", map[string]any{"monthly_net_wage": nil, "currency": nil, "weekly_hours": nil, "daily_rest_hours": nil,
			"weekly_rest_days": nil, "annual_leave_weeks": nil, "public_holidays": nil, "overtime_premium_pct": nil, "night_premium_pct": nil,
			"sunday_premium_pct": nil, "own_lockable_room": nil, "paid_into_sole_name_account": nil, "worker_keeps_passport": nil,
			"own_phone_and_family_contact": nil, "health_insurance_by_employer": nil, "accident_insurance_by_employer": nil,
			"return_travel_by_employer": nil, "notice_period_days": nil, "duties": nil, "contract_languages": nil},
			map[string]string{"terms.monthly_net_wage": "is required", "terms.currency": "is required", "terms.weekly_hours": "is required",
				"terms.daily_rest_hours": "is required", "terms.weekly_rest_days": "is required", "terms.annual_leave_weeks": "is required",
				"terms.public_holidays": "is required", "terms.overtime_premium_pct": "is required", "terms.own_lockable_room": "is required",
				"terms.paid_into_sole_name_account": "is required", "terms.worker_keeps_passport": "is required",
				"terms.own_phone_and_family_contact": "is required", "terms.health_insurance_by_employer": "is required",
				"terms.accident_insurance_by_employer": "is required", "terms.return_travel_by_employer": "is required",
				"terms.notice_period_days": "is required", "terms.duties": "is required", "terms.contract_languages": "is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got := ValidateTerms(withTerms(t, tt.changes), p)
			if len(got) == 0 && tt.want == nil {
				return
			}
			if !reflect.DeepEqual(map[string]string(got), tt.want) {
				t.Errorf("errors = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestValidateTermsNonFinite(t *testing.T) {
	p := chPolicy(t)
	in := termsInput(t, validCHTerms)
	nan, inf := math.NaN(), math.Inf(1)
	in.WeeklyHours, in.DailyRestHours, in.WeeklyRestDays = &nan, &inf, &nan
	_, got := ValidateTerms(in, p)
	want := map[string]string{"terms.weekly_hours": "must be a number", "terms.daily_rest_hours": "must be a number", "terms.weekly_rest_days": "must be a number"}
	if !reflect.DeepEqual(map[string]string(got), want) {
		t.Errorf("errors = %v, want %v", got, want)
	}
}

func TestValidateTermsWithoutRefs(t *testing.T) {
	p := chPolicy(t)
	p.Refs = nil
	_, got := ValidateTerms(withTerms(t, map[string]any{"monthly_net_wage": "1000"}), p)
	if want := "must be at least 1200.00 CHF"; got["terms.monthly_net_wage"] != want {
		t.Errorf("message without a reference = %q, want %q", got["terms.monthly_net_wage"], want)
	}
	_, got = ValidateTerms(termsInput(t, validCHTerms), nil)
	if len(got) != 1 || got["terms"] == "" {
		t.Errorf("ValidateTerms(nil policy) errors = %v, want one for terms", got)
	}
}

func TestEmploymentInputValidate(t *testing.T) {
	p := chPolicy(t)
	terms := termsInput(t, validCHTerms)
	worker, employer := NewID(), NewID()
	in := EmploymentInput{WorkerID: worker, EmployerID: employer, StartDate: dp("2026-01-01"), EndDate: dp("2027-12-31"), Terms: &terms}
	e, err := in.Validate(p)
	if err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	if e.WorkerID != worker || e.EmployerID != employer || e.StartDate != d("2026-01-01") || *e.EndDate != d("2027-12-31") ||
		e.Terms.MonthlyNetWageMinor != 120000 || e.Status != "" || e.MissionID != "" || e.PolicyID != "" {
		t.Errorf("Validate() = %+v", e)
	}

	bad := terms
	bad.WeeklyHours = nil
	tests := []struct {
		name string
		in   EmploymentInput
		want map[string]string
	}{
		{"empty", EmploymentInput{}, map[string]string{"worker_id": "is required", "employer_id": "is required", "start_date": "is required", "terms": "is required"}},
		{"bad ids", EmploymentInput{WorkerID: "1", EmployerID: strings.ToUpper(employer), StartDate: dp("2026-01-01"), Terms: &terms},
			map[string]string{"worker_id": "must be an id", "employer_id": "must be an id"}},
		{"end before start", EmploymentInput{WorkerID: worker, EmployerID: employer, StartDate: dp("2026-01-01"), EndDate: dp("2026-01-01"), Terms: &terms},
			map[string]string{"end_date": "must be after start_date"}},
		{"bad terms", EmploymentInput{WorkerID: worker, EmployerID: employer, StartDate: dp("2026-01-01"), Terms: &bad},
			map[string]string{"terms.weekly_hours": "is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.in.Validate(p)
			if got := fieldsOf(t, err); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("fields = %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := in.Validate(nil); ErrorCode(err) != EINVALID {
		t.Errorf("Validate(nil policy) = %v, want EINVALID", err)
	}
}

func TestCheckWorkerAge(t *testing.T) {
	p := chPolicy(t)
	start := d("2026-06-01")
	const unknown = "date of birth unknown or uncertain: the worker is presumed a minor and cannot be registered until an officer verifies the age (no PHEO figure found; 18 as in Belgian protocol rules, host-office practice)"
	tests := []struct {
		name      string
		w         *Worker
		wantField string
		wantMsg   string
	}{
		{"18 today", &Worker{DateOfBirth: dp("2008-06-01")}, "", ""},
		{"40", &Worker{DateOfBirth: dp("1986-01-01")}, "", ""},
		{"17, 18 tomorrow", &Worker{DateOfBirth: dp("2008-06-02")}, "worker.date_of_birth",
			"the worker must be at least 18 years old on the start date, 2026-06-01 (no PHEO figure found; 18 as in Belgian protocol rules, host-office practice)"},
		{"unknown", &Worker{}, "worker.date_of_birth", unknown},
		{"uncertain", &Worker{DateOfBirth: dp("1990-01-01"), DateOfBirthUncertain: true}, "worker.date_of_birth", unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			field, msg := CheckWorkerAge(tt.w, start, p)
			if field != tt.wantField || msg != tt.wantMsg {
				t.Errorf("CheckWorkerAge() = %q, %q, want %q, %q", field, msg, tt.wantField, tt.wantMsg)
			}
		})
	}
}

func TestCheckHouseholdQuota(t *testing.T) {
	p := chPolicy(t)
	tests := []struct {
		rank string
		open int
		want string
	}{
		{RankDiplomat, 0, ""},
		{RankDiplomat, 1, "a diplomat's household may employ at most 1 private domestic worker (PHEO art. 7)"},
		{RankConsularOfficer, 2, "a consular officer's household may employ at most 1 private domestic worker (PHEO art. 7)"},
		{RankIOOfficial, 1, "an international organisation official's household may employ at most 1 private domestic worker (PHEO art. 7)"},
		{RankOther, 1, "an employer's household may employ at most 1 private domestic worker (PHEO art. 7)"},
		{RankHeadOfMission, 5, ""}, // no fixed number: authorised case by case
		{RankConsularHead, 3, ""},
	}
	for _, tt := range tests {
		if got := CheckHouseholdQuota(tt.rank, tt.open, p); got != tt.want {
			t.Errorf("CheckHouseholdQuota(%q, %d) = %q, want %q", tt.rank, tt.open, got, tt.want)
		}
	}
	p.HouseholdQuota[RankHeadOfMission] = 3
	if got, want := CheckHouseholdQuota(RankHeadOfMission, 3, p), "a head of mission's household may employ at most 3 private domestic workers (PHEO art. 7)"; got != want {
		t.Errorf("CheckHouseholdQuota(head_of_mission, 3) = %q, want %q", got, want)
	}
}

func TestTermsJSON(t *testing.T) {
	terms, errs := ValidateTerms(termsInput(t, validCHTerms), chPolicy(t))
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	b, err := json.Marshal(Employment{Terms: terms})
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Terms map[string]any }
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if got, want := m.Terms["monthly_net_wage"], "1200.00"; got != want {
		t.Errorf("monthly_net_wage = %v, want %v", got, want)
	}
	if got, want := len(m.Terms), 21; got != want {
		t.Errorf("terms have %d JSON fields, want %d: %v", got, want, m.Terms)
	}
	// What the registry writes, a client can send back as TermsInput.
	tb, _ := json.Marshal(terms)
	if _, errs := ValidateTerms(termsInput(t, string(tb)), chPolicy(t)); len(errs) != 0 {
		t.Errorf("re-validating marshalled terms: %v", errs)
	}
	var back Terms
	if err := json.Unmarshal(tb, &back); err != nil || !reflect.DeepEqual(back, terms) {
		t.Errorf("Terms JSON round trip = %+v, %v, want %+v", back, err, terms)
	}

	// The pay day goes out and comes back; a snapshot written before there
	// was one reads as 0, the last day of the month.
	if got := m.Terms["pay_day"]; got != float64(0) {
		t.Errorf("pay_day = %v, want 0", got)
	}
	terms.PayDay = 25
	tb, _ = json.Marshal(terms)
	if !strings.Contains(string(tb), `"pay_day":25`) {
		t.Errorf("marshalled terms lack \"pay_day\":25: %s", tb)
	}
	back = Terms{}
	if err := json.Unmarshal(tb, &back); err != nil || !reflect.DeepEqual(back, terms) {
		t.Errorf("Terms JSON round trip with pay day 25 = %+v, %v, want %+v", back, err, terms)
	}
	if again, errs := ValidateTerms(termsInput(t, string(tb)), chPolicy(t)); len(errs) != 0 || again.PayDay != 25 {
		t.Errorf("re-validating marshalled terms with pay day 25: %d, %v", again.PayDay, errs)
	}
	old := strings.Replace(string(tb), `"pay_day":25,`, "", 1)
	back = Terms{}
	if err := json.Unmarshal([]byte(old), &back); err != nil || back.PayDay != 0 || back.NoticePeriodDays != 30 {
		t.Errorf("terms without pay_day = %+v, %v, want pay day 0", back, err)
	}
}

func FuzzValidateTerms(f *testing.F) {
	f.Add([]byte(validCHTerms))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"monthly_net_wage":"1000.00","currency":"CHF","weekly_hours":60,"worker_keeps_passport":false}`))
	f.Add([]byte(`{"monthly_net_wage":"99999999999999999.99","currency":"chf","weekly_hours":1e308,"daily_rest_hours":-0,
		"weekly_rest_days":7,"annual_leave_weeks":52,"public_holidays":366,"duties":["a"],"contract_languages":["x-a"]}`))
	f.Add([]byte(`{"pay_day":31}`))
	f.Add([]byte(`{"duties":["", "\u0000"],"contract_languages":["i-klingon","sgn-CH-DE","tl","TL"]}`))
	p := chPolicy(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		var in TermsInput
		if json.Unmarshal(data, &in) != nil {
			return
		}
		terms, errs := ValidateTerms(in, p)
		for k, v := range errs {
			if !strings.HasPrefix(k, "terms.") || v == "" {
				t.Fatalf("bad field error %q: %q", k, v)
			}
		}
		if len(errs) != 0 {
			return
		}
		finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
		switch {
		case terms.Currency != p.Currency:
			t.Fatalf("accepted currency %q", terms.Currency)
		case terms.MonthlyNetWageMinor < p.MinMonthlyNetWageMinor:
			t.Fatalf("accepted wage %d", terms.MonthlyNetWageMinor)
		case !finite(terms.WeeklyHours) || terms.WeeklyHours <= 0 || terms.WeeklyHours > p.MaxWeeklyHours:
			t.Fatalf("accepted weekly hours %v", terms.WeeklyHours)
		case !finite(terms.DailyRestHours) || terms.DailyRestHours < p.MinDailyRestHours || terms.DailyRestHours > 24:
			t.Fatalf("accepted daily rest %v", terms.DailyRestHours)
		case !finite(terms.WeeklyRestDays) || terms.WeeklyRestDays < p.MinWeeklyRestDays || terms.WeeklyRestDays > 7:
			t.Fatalf("accepted weekly rest %v", terms.WeeklyRestDays)
		case !finite(terms.AnnualLeaveWeeks) || terms.AnnualLeaveWeeks < p.MinAnnualLeaveWeeks:
			t.Fatalf("accepted leave %v", terms.AnnualLeaveWeeks)
		case terms.PublicHolidays < p.MinPublicHolidays:
			t.Fatalf("accepted holidays %d", terms.PublicHolidays)
		case terms.OvertimePremiumPct < p.MinOvertimePremiumPct || terms.NightPremiumPct < p.MinNightPremiumPct ||
			terms.SundayPremiumPct < p.MinSundayPremiumPct:
			t.Fatalf("accepted premiums %d/%d/%d", terms.OvertimePremiumPct, terms.NightPremiumPct, terms.SundayPremiumPct)
		case terms.NoticePeriodDays < p.MinNoticePeriodDays:
			t.Fatalf("accepted notice %d", terms.NoticePeriodDays)
		case terms.PayDay < 0 || terms.PayDay > MaxPayDay:
			t.Fatalf("accepted pay day %d", terms.PayDay)
		case p.OwnLockableRoomRequired && !terms.OwnLockableRoom,
			p.SoleNameAccountRequired && !terms.PaidIntoSoleNameAccount,
			p.WorkerKeepsPassportRequired && !terms.WorkerKeepsPassport,
			p.FamilyContactRequired && !terms.OwnPhoneAndFamilyContact,
			p.HealthInsuranceRequired && !terms.HealthInsuranceByEmployer,
			p.AccidentInsuranceRequired && !terms.AccidentInsuranceByEmpl,
			p.ReturnTravelRequired && !terms.ReturnTravelByEmployer:
			t.Fatalf("accepted a required protection set to false: %+v", terms)
		case len(terms.Duties) < 1 || len(terms.Duties) > MaxDuties:
			t.Fatalf("accepted %d duties", len(terms.Duties))
		case len(terms.ContractLanguages) < 1 || len(terms.ContractLanguages) > MaxContractLanguages:
			t.Fatalf("accepted %d contract languages", len(terms.ContractLanguages))
		}
		for _, d := range terms.Duties {
			if strings.TrimSpace(d) == "" || len([]rune(d)) > MaxDutyLen {
				t.Fatalf("accepted duty %q", d)
			}
		}
		for _, l := range terms.ContractLanguages {
			if !ValidLanguage(l) {
				t.Fatalf("accepted language %q", l)
			}
		}
		// Accepted terms survive their own JSON form.
		b, err := json.Marshal(terms)
		if err != nil {
			t.Fatal(err)
		}
		var again TermsInput
		if err := json.Unmarshal(b, &again); err != nil {
			t.Fatal(err)
		}
		if t2, errs := ValidateTerms(again, p); len(errs) != 0 || !reflect.DeepEqual(t2, terms) {
			t.Fatalf("re-validating %s: %+v, %v", b, t2, errs)
		}
	})
}

func TestCheckYoungWorkerLeave(t *testing.T) {
	in, err := Preset("ch-pheo-2011")
	if err != nil {
		t.Fatal(err)
	}
	p, err := in.Policy()
	if err != nil {
		t.Fatal(err)
	}
	start := Date{2026, 12, 1}
	tests := []struct {
		name  string
		dob   *Date
		weeks float64
		bad   bool
	}{
		{"19 with four weeks", &Date{2007, 12, 2}, 4, true},
		{"19 with five weeks", &Date{2007, 12, 2}, 5, false},
		{"20 on the start date", &Date{2006, 12, 1}, 4, false},
		{"unknown age is CheckWorkerAge's case", nil, 4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			field, msg := CheckYoungWorkerLeave(&Worker{DateOfBirth: tt.dob}, start, tt.weeks, p)
			if got := msg != ""; got != tt.bad {
				t.Fatalf("refused=%v (%q), want %v", got, msg, tt.bad)
			}
			if tt.bad && field != "terms.annual_leave_weeks" {
				t.Errorf("field=%q", field)
			}
		})
	}
}

// TestTerms_InputRoundTrip: stored terms checked again give the same terms
// and no violation under the policy they were accepted by.
func TestTerms_InputRoundTrip(t *testing.T) {
	in, err := Preset("ch-pheo-2011")
	if err != nil {
		t.Fatal(err)
	}
	p, err := in.Policy()
	if err != nil {
		t.Fatal(err)
	}
	wage, yes := "1375.50", true
	f := func(v float64) *float64 { return &v }
	i := func(v int) *int { return &v }
	orig, fe := ValidateTerms(TermsInput{MonthlyNetWage: &wage, Currency: "CHF", WeeklyHours: f(42.5), DailyRestHours: f(11),
		WeeklyRestDays: f(2), AnnualLeaveWeeks: f(5), PublicHolidays: i(9), OvertimePremiumPct: i(25),
		OwnLockableRoom: &yes, PaidIntoSoleNameAccount: &yes, WorkerKeepsPassport: &yes, OwnPhoneAndFamilyContact: &yes,
		HealthInsuranceByEmployer: &yes, AccidentInsuranceByEmployer: &yes, ReturnTravelByEmployer: &yes,
		NoticePeriodDays: i(60), PayDay: i(25), Duties: []string{"cooking"}, ContractLanguages: []string{"fr", "tl"}}, p)
	if len(fe) > 0 {
		t.Fatal(fe)
	}
	if orig.PayDay != 25 || *orig.Input().PayDay != 25 {
		t.Errorf("pay day = %d, input %d, want 25", orig.PayDay, *orig.Input().PayDay)
	}
	again, fe := ValidateTerms(orig.Input(), p)
	if len(fe) > 0 {
		t.Fatalf("stored terms fail their own policy: %v", fe)
	}
	if !reflect.DeepEqual(again, orig) {
		t.Errorf("round trip changed the terms:\n got %+v\nwant %+v", again, orig)
	}
	if v := TermsBelow(orig, p); len(v) != 0 {
		t.Errorf("TermsBelow = %v, want none", v)
	}
	p.MinMonthlyNetWageMinor = 140000
	if v := TermsBelow(orig, p); v["terms.monthly_net_wage"] == "" || len(v) != 1 {
		t.Errorf("TermsBelow after raising the floor = %v", v)
	}
	// Terms with the last day of the month (0) come back as 0.
	orig.PayDay = 0
	if again, fe := ValidateTerms(orig.Input(), p); again.PayDay != 0 || fe["terms.pay_day"] != "" {
		t.Errorf("pay day 0 round trip = %d, %v", again.PayDay, fe)
	}
}
