package models

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestPresetNames(t *testing.T) {
	if got, want := PresetNames(), []string{"ch-pheo-2011", "generic"}; !reflect.DeepEqual(got, want) {
		t.Errorf("PresetNames() = %v, want %v", got, want)
	}
	for _, name := range []string{"nope", "", "../policy", "CH-PHEO-2011"} {
		if _, err := Preset(name); ErrorCode(err) != ENOTFOUND {
			t.Errorf("Preset(%q) error = %v, want ENOTFOUND", name, err)
		}
	}
}

// Every preset file decodes strictly into PolicyInput.
func TestPresetFilesStrict(t *testing.T) {
	for _, name := range PresetNames() {
		b, err := presetFS.ReadFile("presets/" + name + ".json")
		if err != nil {
			t.Fatal(err)
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		var in PolicyInput
		if err := dec.Decode(&in); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if got, want := in.Name, name; got != want {
			t.Errorf("%s: name = %q, want %q", name, got, want)
		}
	}
}

func TestPresetCH(t *testing.T) {
	p := chPolicy(t)
	got := struct {
		Name, Country, Currency, Effective                        string
		Wage                                                      int64
		Deductible                                                bool
		Hours, DailyRest, WeeklyRest, Leave                       float64
		Holidays, Overtime, Night, Sunday, Notice, Age            int
		Health, Accident, Room, Account, Passport, Family, Return bool
		Quota                                                     IntMap
		Arrival, Checkin, Card, Renewal, Retention                int
		Reminders                                                 IntList
		Steps                                                     Strings
	}{p.Name, p.Country, p.Currency, p.EffectiveFrom.String(), p.MinMonthlyNetWageMinor, p.BoardLodgingDeductible,
		p.MaxWeeklyHours, p.MinDailyRestHours, p.MinWeeklyRestDays, p.MinAnnualLeaveWeeks,
		p.MinPublicHolidays, p.MinOvertimePremiumPct, p.MinNightPremiumPct, p.MinSundayPremiumPct, p.MinNoticePeriodDays, p.MinWorkerAge,
		p.HealthInsuranceRequired, p.AccidentInsuranceRequired, p.OwnLockableRoomRequired, p.SoleNameAccountRequired,
		p.WorkerKeepsPassportRequired, p.FamilyContactRequired, p.ReturnTravelRequired,
		p.HouseholdQuota, p.ArrivalRegistrationDays, p.CheckinIntervalMonths, p.IDCardValidityMonths, p.RenewalLeadDays, p.RetentionYears,
		p.ReminderLeadDays, p.EscalationSteps}
	want := got
	want.Name, want.Country, want.Currency, want.Effective = "ch-pheo-2011", "CH", "CHF", "2011-07-01"
	want.Wage, want.Deductible = 120000, false
	want.Hours, want.DailyRest, want.WeeklyRest, want.Leave = 45, 11, 1.5, 4
	want.Holidays, want.Overtime, want.Night, want.Sunday, want.Age = 8, 25, 100, 50, 18
	want.Health, want.Accident, want.Room, want.Account, want.Passport, want.Family, want.Return = true, true, true, true, true, true, true
	want.Quota = IntMap{RankDiplomat: 1, RankConsularOfficer: 1, RankIOOfficial: 1, RankOther: 1}
	want.Checkin, want.Card = 12, 12
	want.Reminders = IntList{7, 1}
	want.Steps = Strings{EscalationReschedule, EscalationOfficerFollowUp, EscalationSupervisorAlert, EscalationEligibilitySuspended}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CH preset = %+v\nwant %+v", got, want)
	}

	// Legal figures cite the PHEO; operational ones say they are practice.
	legal := map[string]string{
		"min_monthly_net_wage": "PHEO art. 43", "board_lodging_deductible": "PHEO art. 43", "max_weekly_hours": "PHEO art. 46",
		"min_daily_rest_hours": "PHEO art. 48", "min_weekly_rest_days": "PHEO art. 47", "min_public_holidays": "PHEO art. 49",
		"min_overtime_premium_pct": "PHEO art. 48", "min_night_premium_pct": "PHEO art. 48", "min_sunday_premium_pct": "PHEO art. 48",
		"health_insurance_required": "PHEO art. 44", "accident_insurance_required": "PHEO art. 44",
		"sole_name_account_required": "PHEO art. 43", "household_quota": "PHEO art. 7",
	}
	for k, want := range legal {
		if got := p.Refs[k]; got != want {
			t.Errorf("refs[%s] = %q, want %q", k, got, want)
		}
	}
	if got := p.Refs["min_annual_leave_weeks"]; !strings.HasPrefix(got, "PHEO art. 50") {
		t.Errorf("refs[min_annual_leave_weeks] = %q, want PHEO art. 50", got)
	}
	for _, k := range []string{"arrival_registration_days", "checkin_interval_months", "id_card_validity_months", "renewal_lead_days",
		"reminder_lead_days", "escalation_steps", "retention_years", "min_notice_period_days"} {
		if got := p.Refs[k]; !strings.HasPrefix(got, "protocol office practice (not statutory)") {
			t.Errorf("refs[%s] = %q, want it marked as office practice", k, got)
		}
	}
	for _, k := range []string{"min_worker_age", "worker_keeps_passport_required", "family_contact_required", "return_travel_required"} {
		if got := p.Refs[k]; !strings.Contains(got, "no ") || !strings.Contains(got, "found") {
			t.Errorf("refs[%s] = %q, want it to say that no Swiss rule was found", k, got)
		}
	}
}

func TestPresetGenericFails(t *testing.T) {
	in, err := Preset("generic")
	if err != nil {
		t.Fatal(err)
	}
	p, err := in.Policy()
	if p != nil {
		t.Fatalf("generic preset loaded: %+v", p)
	}
	got := fieldsOf(t, err)
	want := map[string]string{"effective_from": "is required", "country": "is required", "currency": "is required"}
	for _, k := range PolicyFigures {
		want[k] = "is required"
		want["refs."+k] = "a legal reference is required"
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("generic preset fields = %v\nwant %v", got, want)
	}
}

func TestPolicyInputRoundTrip(t *testing.T) {
	p := chPolicy(t)
	again, err := p.Input().Policy()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, p) {
		t.Errorf("p.Input().Policy() = %+v, want %+v", again, p)
	}

	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if got, want := m["min_monthly_net_wage"], "1200.00"; got != want {
		t.Errorf("min_monthly_net_wage = %v, want %v", got, want)
	}
	var back Policy
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, p) {
		t.Errorf("Policy JSON round trip = %+v, want %+v", back, *p)
	}
	// The JSON a policy is written as is also a PolicyInput (less id, version, timestamps).
	var in PolicyInput
	if err := json.Unmarshal(b, &in); err != nil {
		t.Fatal(err)
	}
	if again, err := in.Policy(); err != nil || !reflect.DeepEqual(again, p) {
		t.Errorf("Policy JSON as PolicyInput: %+v, %v", again, err)
	}
}

func TestPolicyInputRules(t *testing.T) {
	tests := []struct {
		name   string
		change func(*PolicyInput)
		want   map[string]string
	}{
		{"deductible", func(in *PolicyInput) { in.BoardLodgingDeductible = ptr(true) },
			map[string]string{"board_lodging_deductible": "must be false: board and lodging may never be deducted from the wage"}},
		{"name", func(in *PolicyInput) { in.Name = "CH PHEO" },
			map[string]string{"name": "must be lower-case letters, digits and hyphens (at most 64)"}},
		{"country", func(in *PolicyInput) { in.Country = "ZZ" },
			map[string]string{"country": "must be an ISO 3166-1 alpha-2 country code such as CH"}},
		{"currency", func(in *PolicyInput) { in.Currency = "FRS" }, map[string]string{
			"currency": "must be an active ISO 4217 currency code such as CHF", "min_monthly_net_wage": "cannot be read without a valid currency"}},
		{"lower-case codes", func(in *PolicyInput) { in.Country, in.Currency = "ch", "chf" }, nil},
		{"wage", func(in *PolicyInput) { in.MinMonthlyNetWage = ptr("1200.005") },
			map[string]string{"min_monthly_net_wage": "must have at most 2 decimal places"}},
		{"zero wage", func(in *PolicyInput) { in.MinMonthlyNetWage = ptr("0") },
			map[string]string{"min_monthly_net_wage": "must be more than 0"}},
		{"hours", func(in *PolicyInput) { in.MaxWeeklyHours = ptr(0.0) },
			map[string]string{"max_weekly_hours": "must be more than 0 and at most 168"}},
		{"rest", func(in *PolicyInput) { in.MinDailyRestHours = ptr(25.0) },
			map[string]string{"min_daily_rest_hours": "must be between 0 and 24"}},
		{"age", func(in *PolicyInput) { in.MinWorkerAge = ptr(16) },
			map[string]string{"min_worker_age": "must be between 18 and 99"}},
		{"quota rank", func(in *PolicyInput) { in.HouseholdQuota = map[string]int{"king": 2} },
			map[string]string{"household_quota": `ranks must be among: head_of_mission, diplomat, consular_head, consular_officer, io_official, other ("king" is not)`}},
		{"quota number", func(in *PolicyInput) { in.HouseholdQuota = map[string]int{RankDiplomat: 0} },
			map[string]string{"household_quota": "numbers of workers must be between 1 and 100 (diplomat has 0)"}},
		{"empty quota", func(in *PolicyInput) { in.HouseholdQuota = map[string]int{} }, nil},
		{"reminders", func(in *PolicyInput) { in.ReminderLeadDays = []int{7, -1} },
			map[string]string{"reminder_lead_days": "must each be between 0 and 365 days"}},
		{"no reminders", func(in *PolicyInput) { in.ReminderLeadDays = []int{} }, nil},
		{"steps", func(in *PolicyInput) { in.EscalationSteps = []string{"reschedule", "reschedule"} },
			map[string]string{"escalation_steps": "must each be one of reschedule, officer_follow_up, supervisor_alert_and_mission_notified, eligibility_suspended, none twice"}},
		{"missing ref", func(in *PolicyInput) { in.Refs["max_weekly_hours"] = "  " },
			map[string]string{"refs.max_weekly_hours": "a legal reference is required"}},
		{"unknown ref", func(in *PolicyInput) { in.Refs["colour"] = "PHEO art. 1" },
			map[string]string{"refs.colour": "is not a policy figure"}},
		{"missing figures", func(in *PolicyInput) { in.MinPublicHolidays, in.EffectiveFrom, in.EscalationSteps = nil, nil, nil }, map[string]string{
			"min_public_holidays": "is required", "effective_from": "is required", "escalation_steps": "is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := Preset("ch-pheo-2011")
			if err != nil {
				t.Fatal(err)
			}
			tt.change(&in)
			_, err = in.Policy()
			if got := fieldsOf(t, err); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("fields = %v, want %v", got, tt.want)
			}
		})
	}
}

func FuzzPolicyInput(f *testing.F) {
	for _, name := range PresetNames() {
		b, err := presetFS.ReadFile("presets/" + name + ".json")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"name":"x","currency":"JPY","min_monthly_net_wage":"1.5","household_quota":{"king":-1},"refs":{"x":""}}`))
	f.Add([]byte(`{"max_weekly_hours":1e400,"reminder_lead_days":[1,2,3,4,5,6,7,8,9,10,11],"escalation_steps":[""]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var in PolicyInput
		if json.Unmarshal(data, &in) != nil {
			return
		}
		p, err := in.Policy()
		if err != nil {
			if p != nil || ErrorCode(err) != EINVALID || len(ErrorFields(err)) == 0 {
				t.Fatalf("Policy() = %v, %v", p, err)
			}
			return
		}
		if p.BoardLodgingDeductible || p.MinWorkerAge < MinWorkerAgeFloor || p.MaxWeeklyHours <= 0 ||
			!ValidCountry(p.Country) || p.MinMonthlyNetWageMinor <= 0 {
			t.Fatalf("accepted policy %+v", p)
		}
		if _, ok := CurrencyExponent(p.Currency); !ok {
			t.Fatalf("accepted currency %q", p.Currency)
		}
		for _, k := range PolicyFigures {
			if strings.TrimSpace(p.Refs[k]) == "" {
				t.Fatalf("accepted policy without a reference for %s", k)
			}
		}
		again, err := p.Input().Policy()
		if err != nil || !reflect.DeepEqual(again, p) {
			t.Fatalf("round trip: %+v, %v, want %+v", again, err, p)
		}
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		var back Policy
		if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(&back, p) {
			t.Fatalf("JSON round trip of %s: %+v, %v", b, back, err)
		}
	})
}
