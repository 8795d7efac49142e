package web

import (
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// weekDay is one day of the week calendar.
type weekDay struct {
	Date    models.Date
	Weekday string
	Entries []models.CalendarEntry
}

type weekPage struct {
	Days       []weekDay
	Prev, Next string
	Monday     string
	// Mission is set for a mission's focal point: the page then reminds
	// that the worker must come alone and be released from work.
	Mission bool
}

// monday returns the Monday of d's week.
func monday(d models.Date) models.Date {
	t := d.Time()
	wd := (int(t.Weekday()) + 6) % 7 // Monday 0
	return d.AddDate(0, 0, -wd)
}

// showWeek is the week calendar of appointments with rooms and
// interpreters (?week=any date of the week; default this week).
func (w *Web) showWeek(c *gin.Context) {
	today := models.DateOf(w.srv.Options().Now().In(w.opts.Location))
	start := monday(today)
	if s := c.Query("week"); s != "" {
		d, err := models.ParseDate(s)
		if err != nil {
			w.fail(c, &models.Error{Code: models.EBADREQUEST, Message: "Bad query parameters.",
				Fields: map[string]string{"week": "must be a date (YYYY-MM-DD)"}})
			return
		}
		start = monday(d)
	}
	end := start.AddDate(0, 0, 6)
	ctx := c.Request.Context()
	var entries []models.CalendarEntry
	mission := !models.ActorFrom(ctx).SeesOfficeNotes()
	if mission {
		as, _, err := w.store.FindAppointments(ctx, models.AppointmentFilter{From: &start, To: &end, Page: models.Page{Limit: models.MaxPageLimit}})
		if err != nil {
			w.fail(c, err)
			return
		}
		for _, a := range as {
			a.OutcomeNote, a.NoInterpreterNote = "", ""
			entries = append(entries, models.CalendarEntry{Appointment: a})
		}
	} else {
		from := time.Date(start.Year, time.Month(start.Month), start.Day, 0, 0, 0, 0, w.opts.Location)
		var err error
		if entries, err = w.store.CalendarFeed(ctx, from, from.AddDate(0, 0, 7)); err != nil {
			w.fail(c, err)
			return
		}
	}
	slices.SortFunc(entries, func(a, b models.CalendarEntry) int {
		if a.StartsAt == nil || b.StartsAt == nil {
			return 0
		}
		return a.StartsAt.Compare(*b.StartsAt)
	})
	p := weekPage{Prev: start.AddDate(0, 0, -7).String(), Next: start.AddDate(0, 0, 7).String(), Monday: start.String(), Mission: mission}
	for i := range 7 {
		d := start.AddDate(0, 0, i)
		day := weekDay{Date: d, Weekday: "weekday." + d.Time().Weekday().String()}
		for _, e := range entries {
			if e.StartsAt != nil && models.DateOf(e.StartsAt.In(w.opts.Location)) == d {
				day.Entries = append(day.Entries, e)
			}
		}
		p.Days = append(p.Days, day)
	}
	w.page(c, "week", "appointments.title", p)
}

// showUnplaced lists the appointments that found no free slot in their
// window: officers place them by hand.
func (w *Web) showUnplaced(c *gin.Context) {
	as, _, err := w.store.FindAppointments(c.Request.Context(), models.AppointmentFilter{Unplaced: true, Status: models.AppointmentScheduled,
		Page: models.Page{Limit: models.MaxPageLimit}})
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "unplaced", "unplaced.title", as)
}

type appointmentPage struct {
	Appointment *models.Appointment
	Outcomes    []string
	Place       string
	Mission     bool
	// Interview is the interview recorded on the appointment (office
	// only); CanInterview offers the interview form.
	Interview    *models.Interview
	CanInterview bool
	Actions      []string
}

func (w *Web) appointmentPage(c *gin.Context, id string) (*appointmentPage, error) {
	ctx := c.Request.Context()
	a, err := w.store.FindAppointmentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	mission := !models.ActorFrom(ctx).SeesOfficeNotes()
	if mission {
		a.OutcomeNote, a.NoInterpreterNote = "", ""
	}
	p := &appointmentPage{Appointment: a, Outcomes: models.Outcomes, Place: w.srv.Options().OfficePlace, Mission: mission}
	if mission || a.Kind == models.KindBriefing {
		return p, nil
	}
	p.Actions = actionsParam(c)
	if a.Status == models.AppointmentAttended {
		if p.Interview, err = w.appointmentInterview(c, a); err != nil {
			return nil, err
		}
	}
	started := a.StartsAt != nil && !w.srv.Options().Now().Before(*a.StartsAt)
	p.CanInterview = p.Interview == nil && (a.Status == models.AppointmentAttended || a.Status == models.AppointmentScheduled && started)
	return p, nil
}

func (w *Web) showAppointment(c *gin.Context) {
	id, ok := w.pathID(c, "appointment")
	if !ok {
		return
	}
	p, err := w.appointmentPage(c, id)
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "appointment", "appointments.one", p)
}

// saveOutcome records how a scheduled appointment went (attended, missed,
// employer present, cancelled); a miss climbs the escalation ladder.
func (w *Web) saveOutcome(c *gin.Context) {
	id, ok := w.pathID(c, "appointment")
	if !ok {
		return
	}
	f := newForm(c.Request.PostForm)
	in := models.OutcomeInput{Outcome: f.str("outcome"), Note: f.str("note")}
	err := f.err()
	if err == nil {
		_, _, err = w.store.RecordOutcome(c.Request.Context(), id, in)
	}
	if err != nil {
		p, perr := w.appointmentPage(c, id)
		if perr != nil {
			w.fail(c, perr)
			return
		}
		w.formError(c, "appointment", "appointments.one", p, err)
		return
	}
	redirect(c, "/appointments/"+id)
}

// dashboard is the start page: for the office, today's and this week's
// appointments, the unplaceable and urgent ones and the notifications
// waiting for approval; for a mission, its employments and coming
// appointments; for an auditor, the way to the policies.
type dashboard struct {
	Today, Week       []models.CalendarEntry
	Unplaced, Urgent  []models.Appointment
	Waiting           []models.EmploymentSummary
	Upcoming          []models.Appointment
	MissionEmployment []models.EmploymentSummary
	// UrgentCases are the open urgent cases (office).
	UrgentCases []models.Case
}

func (w *Web) showDashboard(c *gin.Context) {
	ctx := c.Request.Context()
	a := models.ActorFrom(ctx)
	var d dashboard
	now := w.srv.Options().Now().In(w.opts.Location)
	today := models.DateOf(now)
	all := models.Page{Limit: models.MaxPageLimit}
	var err error
	switch {
	case a.SeesOfficeNotes():
		dayStart := time.Date(today.Year, time.Month(today.Month), today.Day, 0, 0, 0, 0, w.opts.Location)
		if d.Week, err = w.store.CalendarFeed(ctx, dayStart, dayStart.AddDate(0, 0, 7)); err != nil {
			break
		}
		for _, e := range d.Week {
			if e.StartsAt != nil && models.DateOf(e.StartsAt.In(w.opts.Location)) == today {
				d.Today = append(d.Today, e)
			}
		}
		if d.Unplaced, _, err = w.store.FindAppointments(ctx, models.AppointmentFilter{Unplaced: true, Status: models.AppointmentScheduled, Page: all}); err != nil {
			break
		}
		if d.Urgent, _, err = w.store.FindAppointments(ctx, models.AppointmentFilter{Urgent: true, Page: all}); err != nil {
			break
		}
		if d.Waiting, _, err = w.store.FindEmployments(ctx, models.EmploymentFilter{Status: models.StatusNotified, Page: all}); err != nil {
			break
		}
		var cs []models.Case
		if cs, _, err = w.store.FindCases(ctx, models.CaseFilter{Priority: models.PriorityUrgent, Page: all}); err != nil {
			break
		}
		for _, cs := range cs {
			if cs.Status != models.CaseClosed {
				d.UrgentCases = append(d.UrgentCases, cs)
			}
		}
	case a.Role == models.RoleMission:
		to := today.AddDate(0, 0, 60)
		if d.Upcoming, _, err = w.store.FindAppointments(ctx, models.AppointmentFilter{From: &today, To: &to, Status: models.AppointmentScheduled, Page: all}); err != nil {
			break
		}
		d.MissionEmployment, _, err = w.store.FindEmployments(ctx, models.EmploymentFilter{Page: all})
	}
	if err != nil {
		w.fail(c, err)
		return
	}
	w.render(c, http.StatusOK, "dashboard", w.newView(c, "dashboard.title", d))
}
