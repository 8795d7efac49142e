package models

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestCanCaseTransition(t *testing.T) {
	allowed := map[string]bool{
		"open>follow_up": true, "open>closed": true, "follow_up>open": true, "follow_up>closed": true,
	}
	for _, from := range CaseStatuses {
		for _, to := range CaseStatuses {
			if got := CanCaseTransition(from, to); got != allowed[from+">"+to] {
				t.Errorf("CanCaseTransition(%s, %s) = %v", from, to, got)
			}
		}
	}
}

func TestCaseUpdate_Apply(t *testing.T) {
	s := func(v string) *string { return &v }
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		status string
		upd    CaseUpdate
		code   string
		kinds  string
	}{
		{"assign", CaseOpen, CaseUpdate{AssignedTo: s("01a21a90-56b3-7484-834c-47a65187a54d")}, "", "assigned"},
		{"same priority is no change", CaseOpen, CaseUpdate{Priority: s(PriorityNormal)}, "", ""},
		{"close", CaseFollowUp, CaseUpdate{Status: s(CaseClosed), Outcome: s(OutcomeReferred), Priority: s(PriorityUrgent)}, "", "priority_changed closed"},
		{"closed is final", CaseClosed, CaseUpdate{Priority: s(PriorityUrgent)}, ECONFLICT, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &Case{Status: tt.status, Priority: PriorityNormal}
			if err := tt.upd.Check(); err != nil {
				t.Fatal(err)
			}
			acts, err := tt.upd.Apply(c, now)
			if ErrorCode(err) != tt.code {
				t.Fatalf("err = %v, want %q", err, tt.code)
			}
			var kinds []string
			for _, a := range acts {
				kinds = append(kinds, a.Kind)
			}
			if got := strings.Join(kinds, " "); got != tt.kinds {
				t.Errorf("actions = %q, want %q", got, tt.kinds)
			}
		})
	}
	c := &Case{Status: CaseOpen, Priority: PriorityNormal}
	upd := CaseUpdate{Status: s(CaseClosed), Outcome: s(OutcomeReferred)}
	if _, err := upd.Apply(c, now); err != nil || c.ClosedAt == nil || !c.ClosedAt.Equal(now) || c.Outcome != OutcomeReferred {
		t.Errorf("closed case = %+v, %v", c, err)
	}
	if got := HTCDSCaseStatus(c); got != "ClosedReferred" {
		t.Errorf("HTCDS status = %s", got)
	}
}

func TestAgeBand(t *testing.T) {
	on := Date{2026, 11, 2}
	for _, tt := range []struct {
		dob  *Date
		want string
	}{
		{nil, "unknown"}, {&Date{2008, 11, 3}, "under-18"}, {&Date{2008, 11, 2}, "18-24"}, {&Date{2001, 11, 3}, "18-24"},
		{&Date{2001, 11, 2}, "25-34"}, {&Date{1990, 1, 1}, "35-44"}, {&Date{1961, 11, 2}, "65+"}, {&Date{1961, 11, 3}, "55-64"},
	} {
		if got := AgeBand(tt.dob, on); got != tt.want {
			t.Errorf("AgeBand(%v) = %s, want %s", tt.dob, got, tt.want)
		}
	}
}

func TestReferralInput_Decide(t *testing.T) {
	yes, no := true, false
	ngo, police := &Organisation{Kind: OrgNGO}, &Organisation{Kind: OrgPolice, Emergency: true}
	for _, tt := range []struct {
		name      string
		in        ReferralInput
		org       *Organisation
		emergency bool
		field     string
	}{
		{"consent", ReferralInput{Consent: &yes}, ngo, false, ""},
		{"consent to an emergency organisation", ReferralInput{Consent: &yes}, police, false, ""},
		{"no consent", ReferralInput{}, ngo, false, "consent"},
		{"consent false", ReferralInput{Consent: &no, Reason: "x"}, ngo, false, "consent"},
		{"emergency without reason", ReferralInput{}, police, false, "reason"},
		{"emergency", ReferralInput{Reason: "danger"}, police, true, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			em, err := tt.in.Decide(tt.org)
			field := ""
			for k := range ErrorFields(err) {
				field = k
			}
			if em != tt.emergency || field != tt.field {
				t.Errorf("Decide = %v, %v; want %v naming %q", em, err, tt.emergency, tt.field)
			}
		})
	}
}

// checkFieldError fails unless err is nil or an EINVALID error whose
// fields are named and whose messages never repeat the input.
func checkFieldError(t *testing.T, err error, input string) {
	t.Helper()
	if err == nil {
		return
	}
	if ErrorCode(err) != EINVALID || len(ErrorFields(err)) == 0 {
		t.Fatalf("err = %v, want EINVALID with fields", err)
	}
	for k, v := range ErrorFields(err) {
		if k == "" || v == "" {
			t.Fatalf("empty field error %q: %q", k, v)
		}
		if len(input) > 8 && strings.Contains(v, input) {
			t.Fatalf("message %q repeats the input", v)
		}
	}
}

// FuzzCaseInputs decodes arbitrary JSON into the case and referral
// inputs and runs their validators: never a panic, only EINVALID errors
// naming fields, and what passes is trimmed plain text within its limits.
func FuzzCaseInputs(f *testing.F) {
	f.Add(`{"employment_id":"01a21a90-56b3-7484-834c-47a65187a54d","reason":"x","priority":"urgent"}`)
	f.Add(`{"assigned_to":"","status":"closed","outcome":"resolved","note":"paid\n"}`)
	f.Add(`{"kind":"note","note":"\u0000"}`)
	f.Add(`{"case_id":"x","organisation_id":"01a21a90-56b3-7484-834c-47a65187a54d","consent":true,"consent_recorded_by":" "}`)
	f.Add(`{"kind":"police","name":" P ","phone":"+41 117","languages":["tl","TL"],"emergency":true}`)
	f.Add(`{"status":"follow_up","priority":"normal","outcome":null}`)
	f.Fuzz(func(t *testing.T, body string) {
		now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		var ci CaseInput
		if json.Unmarshal([]byte(body), &ci) == nil {
			err := ci.Check()
			checkFieldError(t, err, body)
			if err == nil && (ci.Reason == "" || !utf8.ValidString(ci.Reason) || utf8.RuneCountInString(ci.Reason) > MaxReasonLen) {
				t.Fatalf("accepted reason %q", ci.Reason)
			}
		}
		var cu CaseUpdate
		if json.Unmarshal([]byte(body), &cu) == nil {
			err := cu.Check()
			checkFieldError(t, err, body)
			if err == nil {
				for _, st := range CaseStatuses {
					c := &Case{Status: st, Priority: PriorityNormal}
					before := *c
					acts, err := cu.Apply(c, now)
					switch {
					case err != nil && ErrorCode(err) != ECONFLICT:
						t.Fatalf("Apply from %s: %v", st, err)
					case err != nil && (c.Status != before.Status || c.Priority != before.Priority):
						t.Fatalf("a refused update changed the case")
					case err == nil && c.Status == CaseClosed && before.Status != CaseClosed && (c.ClosedAt == nil || c.Outcome == ""):
						t.Fatalf("closed without time or outcome: %+v", c)
					case err == nil && c.Status != before.Status && !CanCaseTransition(before.Status, c.Status):
						t.Fatalf("moved %s -> %s", before.Status, c.Status)
					}
					_ = acts
				}
			}
		}
		var ai ActionInput
		if json.Unmarshal([]byte(body), &ai) == nil {
			checkFieldError(t, ai.Check(), body)
		}
		var ri ReferralInput
		if json.Unmarshal([]byte(body), &ri) == nil {
			err := ri.Check()
			checkFieldError(t, err, body)
			if err == nil {
				for _, o := range []*Organisation{{Kind: OrgNGO}, {Kind: OrgPolice, Emergency: true}} {
					em, err := ri.Decide(o)
					checkFieldError(t, err, body)
					consent := ri.Consent != nil && *ri.Consent
					if err == nil && !consent && (!o.Emergency || !em || ri.Reason == "") {
						t.Fatalf("a referral without consent passed: %+v to %+v", ri, o)
					}
				}
			}
		}
		var oi OrganisationInput
		if json.Unmarshal([]byte(body), &oi) == nil {
			o, err := oi.Organisation()
			checkFieldError(t, err, body)
			if err == nil && (o.Name == "" || (o.Email == "" && o.Phone == "")) {
				t.Fatalf("accepted organisation %+v", o)
			}
		}
		var ou OrganisationUpdate
		if json.Unmarshal([]byte(body), &ou) == nil {
			o := Organisation{Kind: OrgNGO, Name: "Aid", Phone: "+41 58 000 00 00", Languages: Strings{}}
			before := o
			if err := ou.Apply(&o); err != nil {
				checkFieldError(t, err, body)
				if o.Name != before.Name || o.Kind != before.Kind || o.Email != before.Email || o.Phone != before.Phone {
					t.Fatalf("a refused update changed the organisation")
				}
			}
		}
	})
}
