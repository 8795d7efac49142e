package models

import (
	"reflect"
	"testing"
	"time"
)

// swissPolicy has the Swiss preset's deadlines: registration within 14
// days, a check-in every 12 months, renewal 60 days before expiry.
func swissPolicy() *Policy {
	return &Policy{ArrivalRegistrationDays: 14, CheckinIntervalMonths: 12, RenewalLeadDays: 60}
}

func TestDueFor(t *testing.T) {
	attended := func(kind, start, end, on string) Appointment {
		at := d(on).Time().Add(9 * time.Hour)
		return Appointment{Kind: kind, Status: AppointmentAttended, WindowStart: d(start), WindowEnd: d(end), StartsAt: &at}
	}
	scheduled := func(kind, start, end string) Appointment {
		return Appointment{Kind: kind, Status: AppointmentScheduled, WindowStart: d(start), WindowEnd: d(end)}
	}
	missed := func(kind, start, end string) Appointment {
		a := scheduled(kind, start, end)
		a.Status = AppointmentMissed
		return a
	}
	tests := []struct {
		name        string
		e           Employment
		existing    []Appointment
		today       string
		want        []Due
		wantRecheck string // "" for none
	}{
		{"notified: nothing", Employment{Status: StatusNotified, ArrivalDate: dp("2026-11-01")}, nil, "2026-11-02", nil, ""},
		{"approved without arrival: nothing yet", Employment{Status: StatusApproved}, nil, "2026-11-02", nil, ""},
		{"arrival: registration now, first check-in a year on",
			Employment{Status: StatusApproved, ArrivalDate: dp("2026-11-01")}, nil, "2026-11-02",
			[]Due{{KindRegistration, d("2026-11-01"), d("2026-11-15")}}, "2027-09-02"},
		{"arrival announced for next week: registration planned ahead",
			Employment{Status: StatusApproved, ArrivalDate: dp("2026-11-09")}, nil, "2026-11-02",
			[]Due{{KindRegistration, d("2026-11-09"), d("2026-11-23")}}, "2027-09-10"},
		{"registration exists: nothing new",
			Employment{Status: StatusActive, ArrivalDate: dp("2026-11-01")}, []Appointment{scheduled(KindRegistration, "2026-11-01", "2026-11-15")},
			"2026-11-02", nil, "2027-09-02"},
		{"registration attended on 11-10: check-in due a year after it",
			Employment{Status: StatusActive, ArrivalDate: dp("2026-11-01")}, []Appointment{attended(KindRegistration, "2026-11-01", "2026-11-15", "2026-11-10")},
			"2027-09-11", []Due{{KindCheckin, d("2027-10-11"), d("2027-11-10")}}, "2028-09-11"},
		{"check-in planned: the next is due a year after it",
			Employment{Status: StatusActive, ArrivalDate: dp("2026-11-01")}, []Appointment{
				attended(KindRegistration, "2026-11-01", "2026-11-15", "2026-11-10"),
				scheduled(KindCheckin, "2027-10-11", "2027-11-10")},
			"2027-09-11", nil, "2028-09-11"},
		{"missed check-in: the cadence goes on",
			Employment{Status: StatusActive, ArrivalDate: dp("2026-11-01")}, []Appointment{
				attended(KindRegistration, "2026-11-01", "2026-11-15", "2026-11-10"),
				missed(KindCheckin, "2027-10-11", "2027-11-10")},
			"2028-09-11", []Due{{KindCheckin, d("2028-10-11"), d("2028-11-10")}}, "2029-09-11"},
		{"attended follow-up after the check-in's due date restarts the interval",
			Employment{Status: StatusActive, ArrivalDate: dp("2026-11-01")}, []Appointment{
				attended(KindRegistration, "2026-11-01", "2026-11-15", "2026-11-10"),
				missed(KindCheckin, "2027-10-11", "2027-11-10"),
				attended(KindFollowUp, "2027-11-11", "2027-11-25", "2027-11-20")},
			"2027-11-21", nil, "2028-09-21"},
		{"long outage: every overdue check-in is returned (catch-up)",
			Employment{Status: StatusActive, ArrivalDate: dp("2024-01-10")}, []Appointment{attended(KindRegistration, "2024-01-10", "2024-01-24", "2024-01-15")},
			"2026-01-01", []Due{{KindCheckin, d("2024-12-16"), d("2025-01-15")}, {KindCheckin, d("2025-12-16"), d("2026-01-15")}}, "2026-11-16"},
		{"ID card: renewal 60 days before expiry",
			Employment{Status: StatusActive, ArrivalDate: dp("2026-11-01"), IDCardExpiry: dp("2027-11-01")},
			[]Appointment{attended(KindRegistration, "2026-11-01", "2026-11-15", "2026-11-03")},
			"2027-08-05", []Due{{KindRenewal, d("2027-09-02"), d("2027-11-01")}}, "2027-09-04"},
		{"departure: exit interview instead of the check-in and renewal due after it",
			Employment{Status: StatusActive, ArrivalDate: dp("2026-11-01"), DepartureDate: dp("2027-10-15"), IDCardExpiry: dp("2027-12-31")},
			[]Appointment{attended(KindRegistration, "2026-11-01", "2026-11-15", "2026-11-03")},
			"2027-09-20", []Due{{KindExit, d("2027-10-01"), d("2027-10-15")}}, ""},
		{"ended with an end date: exit only",
			Employment{Status: StatusEnded, ArrivalDate: dp("2026-11-01"), EndDate: dp("2026-12-31")}, nil,
			"2026-12-20", []Due{{KindExit, d("2026-12-17"), d("2026-12-31")}}, ""},
		{"ended, exit exists: nothing ever again",
			Employment{Status: StatusEnded, ArrivalDate: dp("2026-11-01"), EndDate: dp("2026-12-31")},
			[]Appointment{scheduled(KindExit, "2026-12-10", "2026-12-24")}, "2026-12-20", nil, ""},
		{"suspended: nothing", Employment{Status: StatusSuspended, ArrivalDate: dp("2026-11-01")}, nil, "2026-11-02", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var h History
			for i := range tt.existing {
				h.Add(&tt.existing[i], time.UTC)
			}
			got, recheck := DueFor(&tt.e, swissPolicy(), &h, d(tt.today))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("due = %v, want %v", got, tt.want)
			}
			gotRecheck := ""
			if recheck != nil {
				gotRecheck = recheck.String()
				if !recheck.After(d(tt.today)) {
					t.Errorf("recheck %s is not after today %s", recheck, tt.today)
				}
			}
			if gotRecheck != tt.wantRecheck {
				t.Errorf("recheck = %q, want %q", gotRecheck, tt.wantRecheck)
			}
		})
	}
}
