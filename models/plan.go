package models

import "time"

// Planning periods (protocol office practice, not statute: the policy sets
// the deadlines and intervals, these only shape the windows around them).
const (
	// PlanAheadDays is how long before its window opens an appointment is
	// created, so that the worker and the mission learn of it in time.
	PlanAheadDays = 30
	// CheckinWindowDays is how many days before its due date a check-in's
	// window opens.
	CheckinWindowDays = 30
	// ExitWindowDays is how many days before the departure (or the end of
	// the employment) the exit interview's window opens.
	ExitWindowDays = 14
)

// Due is an appointment that an employment's life cycle calls for.
type Due struct {
	Kind        string
	WindowStart Date
	WindowEnd   Date
}

// History is what the planner needs to know of an employment's existing
// appointments. Build it with Add.
type History struct {
	kinds   map[string]bool
	windows map[dueKey]bool
	// lastInterview is the date of the latest attended registration,
	// check-in or follow-up: a private interview with the worker alone.
	lastInterview Date
	// lastCheckinDue is the due date (window end) of the latest check-in,
	// whatever became of it.
	lastCheckinDue Date
}

type dueKey struct {
	kind  string
	start Date
}

// Add records an existing appointment; loc is the office's time zone.
func (h *History) Add(a *Appointment, loc *time.Location) {
	if h.kinds == nil {
		h.kinds, h.windows = map[string]bool{}, map[dueKey]bool{}
	}
	h.kinds[a.Kind] = true
	h.windows[dueKey{a.Kind, a.WindowStart}] = true
	if a.Status == AppointmentAttended && (a.Kind == KindRegistration || a.Kind == KindCheckin || a.Kind == KindFollowUp) {
		on := a.WindowEnd
		if a.StartsAt != nil {
			on = DateOf(a.StartsAt.In(loc))
		}
		if on.After(h.lastInterview) {
			h.lastInterview = on
		}
	}
	if a.Kind == KindCheckin && a.WindowEnd.After(h.lastCheckinDue) {
		h.lastCheckinDue = a.WindowEnd
	}
}

// DueFor returns the appointments that e's life cycle calls for under its
// policy p, that do not exist yet and whose window opens by today +
// PlanAheadDays; and recheck, the first date on which another one will (nil
// when none will unless e or its appointments change).
//
// The rules, for an approved or active employment:
//   - registration: once, from the arrival date to arrival +
//     arrival_registration_days;
//   - check-ins: each due checkin_interval_months after the later of the
//     latest attended private interview (registration, check-in or
//     follow-up) and the due date of the latest check-in, or after the
//     arrival while there is neither; the window opens CheckinWindowDays
//     before the due date. A missed check-in does not stop the cadence: the
//     next one is due an interval after it;
//   - renewal: for each ID-card expiry, from expiry - renewal_lead_days to
//     the expiry;
//   - exit: once, from ExitWindowDays before the departure date (or the end
//     date when no departure is known) to that date.
//
// No check-in or renewal that falls due after the departure is planned: the
// exit interview takes its place. An ended
// employment gets its exit interview only. A window that has already
// passed is still returned (catch-up): placing it fails and officers see
// it as unplaceable instead of it being silently skipped.
func DueFor(e *Employment, p *Policy, h *History, today Date) (due []Due, recheck *Date) {
	until := today.AddDate(0, 0, PlanAheadDays)
	var next *Date
	consider := func(d Due) {
		switch {
		case h.windows[dueKey{d.Kind, d.WindowStart}]:
		case !d.WindowStart.After(until):
			due = append(due, d)
		case next == nil || d.WindowStart.Before(*next):
			ws := d.WindowStart
			next = &ws
		}
	}

	open := e.Status == StatusApproved || e.Status == StatusActive
	exitOn := e.DepartureDate
	if exitOn == nil {
		exitOn = e.EndDate
	}
	afterExit := func(d Date) bool { return exitOn != nil && d.After(*exitOn) }

	if (open || e.Status == StatusEnded) && exitOn != nil && !h.kinds[KindExit] {
		consider(Due{KindExit, exitOn.AddDate(0, 0, -ExitWindowDays), *exitOn})
	}
	if open && e.ArrivalDate != nil {
		arrival := *e.ArrivalDate
		if !h.kinds[KindRegistration] {
			consider(Due{KindRegistration, arrival, arrival.AddDate(0, 0, max(p.ArrivalRegistrationDays, 0))})
		}
		if p.CheckinIntervalMonths > 0 {
			anchor := arrival
			for _, d := range []Date{h.lastInterview, h.lastCheckinDue} {
				if d.After(anchor) {
					anchor = d
				}
			}
			for {
				dueOn := anchor.AddDate(0, p.CheckinIntervalMonths, 0)
				ws := dueOn.AddDate(0, 0, -CheckinWindowDays)
				if !ws.After(anchor) {
					ws = anchor.AddDate(0, 0, 1)
				}
				if afterExit(dueOn) {
					break
				}
				consider(Due{KindCheckin, ws, dueOn})
				if ws.After(until) {
					break
				}
				anchor = dueOn
			}
		}
	}
	if open && e.IDCardExpiry != nil {
		ws := e.IDCardExpiry.AddDate(0, 0, -max(p.RenewalLeadDays, 0))
		if !afterExit(*e.IDCardExpiry) {
			consider(Due{KindRenewal, ws, *e.IDCardExpiry})
		}
	}
	if next != nil {
		r := next.AddDate(0, 0, -PlanAheadDays)
		recheck = &r
	}
	return due, recheck
}
