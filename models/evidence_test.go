package models

import (
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestComputeExitPack: the pack's months start at the later of the start
// date and the card's issue; each item is present or names what is missing.
func TestComputeExitPack(t *testing.T) {
	swiss := &Policy{HealthInsuranceRequired: true, AccidentInsuranceRequired: true, ReturnTravelRequired: true, IDCardValidityMonths: 12}
	bare := &Policy{IDCardValidityMonths: 12} // no insurance, no return travel
	pay := func(m string) Evidence { return Evidence{Kind: EvidencePay, Month: m} }
	hours := func(m string) Evidence { return Evidence{Kind: EvidenceHours, Month: m} }
	ins := func(kind, until string) Evidence {
		return Evidence{Kind: EvidenceInsurance, Insurance: kind, ValidUntil: dp(until)}
	}
	full := []Evidence{pay("2027-01"), pay("2027-02"), hours("2027-01"), hours("2027-02"), ins("health", "2027-01-31"),
		ins("accident", "2028-01-01"), {Kind: EvidenceFinalPay}, {Kind: EvidenceReturnTravel}}
	card := &Employment{StartDate: d("2026-06-01"), IDCardExpiry: dp("2028-01-10"), DepartureDate: dp("2027-02-20")}
	tests := []struct {
		name    string
		e       *Employment
		p       *Policy
		evs     []Evidence
		from    string
		missing string
	}{
		{"complete since the card", card, swiss, full, "2027-01", ""},
		{"no card: since the start", &Employment{StartDate: d("2026-12-05"), DepartureDate: dp("2027-02-20")}, swiss, full, "2026-12",
			"pay evidence (2026-12); hours records (2026-12)"},
		{"card issued before the start", &Employment{StartDate: d("2027-01-01"), IDCardExpiry: dp("2027-06-01"), DepartureDate: dp("2027-02-20")}, swiss, full, "2027-01", ""},
		{"insurance expired before the pack", card, swiss, append(full[:4:4], ins("health", "2026-12-31"), ins("accident", "2028-01-01"),
			Evidence{Kind: EvidenceFinalPay}, Evidence{Kind: EvidenceReturnTravel}), "2027-01", "insurance proof (health)"},
		{"nothing", card, swiss, nil, "2027-01",
			"pay evidence (2027-01, 2027-02); hours records (2027-01, 2027-02); insurance proof (health, accident); proof of final pay; proof of return travel paid"},
		{"no return travel required; any insurance", card, bare, full[:7], "2027-01", ""},
		{"no insurance required, none filed", card, bare, append(full[:4:4], Evidence{Kind: EvidenceFinalPay}), "2027-01", "insurance proof"},
	}
	for _, tt := range tests {
		pack := ComputeExitPack(tt.e, tt.p, tt.evs, d("2027-03-01"))
		got := strings.Join(pack.Missing(), "; ")
		if pack.FromMonth != tt.from || got != tt.missing || pack.Complete != (tt.missing == "") {
			t.Errorf("%s: from %s, missing %q (complete %v); want from %s, missing %q", tt.name, pack.FromMonth, got, pack.Complete, tt.from, tt.missing)
		}
	}
}

// TestComputeEvidenceStatus: months from the later of start and arrival
// to the month before today's (the running month is not due) or the
// departure's; only sole-name pay counts; insurances.
func TestComputeEvidenceStatus(t *testing.T) {
	p := &Policy{HealthInsuranceRequired: true, AccidentInsuranceRequired: true}
	e := &Employment{StartDate: d("2026-10-20"), ArrivalDate: dp("2026-11-03")}
	evs := []Evidence{{Kind: EvidencePay, Month: "2026-11", SoleNameAccount: true}, {Kind: EvidencePay, Month: "2026-12"},
		{Kind: EvidenceHours, Month: "2026-12"}, {Kind: EvidenceInsurance, Insurance: "health", ValidUntil: dp("2027-01-15")},
		{Kind: EvidenceInsurance, Insurance: "health", ValidUntil: dp("2027-01-31")}}
	tests := []struct {
		name               string
		dep                *Date
		today              string
		noPay, noHours     string
		insurance, toMonth string
	}{
		{"running", nil, "2027-01-31", "2026-12", "2026-11", "accident:missing", "2026-12"},
		{"month over", nil, "2027-02-01", "2026-12 2027-01", "2026-11 2027-01", "health:expired accident:missing", "2027-01"},
		{"departing today", dp("2027-02-01"), "2027-02-01", "2026-12 2027-01", "2026-11 2027-01", "health:expired accident:missing", "2027-01"},
		{"departed", dp("2026-12-10"), "2027-02-01", "2026-12", "2026-11", "health:expired accident:missing", "2026-12"},
		{"not arrived yet", dp("2026-10-30"), "2026-10-25", "", "", "health:missing accident:missing", "2026-09"},
	}
	for _, tt := range tests {
		e := *e
		e.DepartureDate = tt.dep
		if tt.name == "not arrived yet" {
			e.ArrivalDate = dp("2026-11-03")
		}
		var list []Evidence
		if tt.name != "not arrived yet" {
			list = evs
		}
		st := ComputeEvidenceStatus(&e, p, list, d(tt.today))
		var ins []string
		for _, g := range st.Insurance {
			ins = append(ins, g.Insurance+":"+g.Problem)
		}
		if got := strings.Join(st.MonthsWithoutPay, " "); got != tt.noPay {
			t.Errorf("%s: months without pay %q, want %q", tt.name, got, tt.noPay)
		}
		if got := strings.Join(st.MonthsWithoutHours, " "); got != tt.noHours {
			t.Errorf("%s: months without hours %q, want %q", tt.name, got, tt.noHours)
		}
		if got := strings.Join(ins, " "); got != tt.insurance || st.ToMonth != tt.toMonth {
			t.Errorf("%s: insurance %q to %s, want %q to %s", tt.name, got, st.ToMonth, tt.insurance, tt.toMonth)
		}
	}
}

// TestEmploymentUpdate_Waiver: the waiver goes only with an ending and
// must hold plain text.
func TestEmploymentUpdate_Waiver(t *testing.T) {
	ended, active := StatusEnded, StatusActive
	for _, tt := range []struct {
		status *string
		from   string
		waiver string
		ok     bool
	}{
		{&ended, StatusActive, "the worker left", true},
		{&ended, StatusActive, " ", false},
		{&ended, StatusActive, "a\x00b", false},
		{&active, StatusSuspended, "not an ending", false},
		{nil, StatusActive, "no status", false},
	} {
		e := &Employment{Status: tt.from, StartDate: d("2026-01-01")}
		err := EmploymentUpdate{Status: tt.status, ExitPackWaiver: &tt.waiver}.Apply(e)
		if (err == nil) != tt.ok || err != nil && ErrorFields(err)["exit_pack_waiver"] == "" {
			t.Errorf("%v from %s with %q: %v", tt.status, tt.from, tt.waiver, err)
		}
	}
}

// FuzzEvidenceFileInput: any upload is either refused naming a file.*
// field or accepted with its decoded size within the limit and a hash.
func FuzzEvidenceFileInput(f *testing.F) {
	f.Add("a.pdf", "application/pdf", base64.StdEncoding.EncodeToString([]byte("%PDF-1.7 x")), "pay", "2026-10", "12.50", 10.0)
	f.Add("a.png", "IMAGE/PNG; x=y", base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\n")), "hours", "2026-13", "", -1.0)
	f.Add("", "image/gif", "====", "final_pay", "", "1e3", 744.5)
	f.Add("x\n", "image/jpeg", "/9j/", "insurance", "", "", 0.0)
	f.Fuzz(func(t *testing.T, name, ct, data, kind, month, amount string, hours float64) {
		sole := true
		in := EvidenceInput{Kind: kind, Month: month, SoleNameAccount: &sole, Amount: &amount, HoursWorked: &hours,
			File: &EvidenceFileInput{Name: name, ContentType: ct, Data: data}}
		ev, file, err := in.Validate("CHF")
		if err != nil {
			if ErrorCode(err) != EINVALID || len(ErrorFields(err)) == 0 {
				t.Fatalf("error %v names no field", err)
			}
			return
		}
		if file == nil || file.Size == 0 || file.Size > MaxEvidenceFileBytes || len(file.SHA256) != 64 || ev.FileSHA256 != file.SHA256 ||
			!utf8.ValidString(file.Name) || file.Name == "" {
			t.Fatalf("accepted file %+v", file)
		}
		if ev.Kind != EvidencePay && ev.Kind != EvidenceHours && ev.Kind != "" {
			t.Fatalf("kind %q accepted with amount and hours", ev.Kind)
		}
		if ev.Kind == EvidenceHours && (ev.HoursWorked == nil || *ev.HoursWorked < 0 || *ev.HoursWorked > MaxHoursPerMonth) {
			t.Fatalf("hours %v accepted", ev.HoursWorked)
		}
	})
}
