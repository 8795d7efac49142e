package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// caseWorld is a household with one active employment and the office's
// accounts, each with a context acting as it.
type caseWorld struct {
	db          *store.DB
	h           *storetest.Household
	emp         *models.Employment
	officer     *models.User
	admin       *models.User
	mission     *models.User
	auditor     *models.User
	disabled    *models.User
	asOfficer   context.Context
	asAdmin     context.Context
	asMission   context.Context
	asAuditor   context.Context
	sys         context.Context
	nationality string
}

func newCaseWorld(t *testing.T, db *store.DB) *caseWorld {
	t.Helper()
	store.BcryptCost = bcrypt.MinCost
	h := storetest.NewHousehold(t, db)
	w := &caseWorld{db: db, h: h, sys: storetest.SysCtx()}
	w.emp = h.Employment(t, storetest.Date("2026-10-01"), models.EmploymentUpdate{}, "tl", "en")
	mk := func(role string, mission *string) *models.User {
		u := &models.User{Email: models.NewID() + "@office.example", Role: role, MissionID: mission}
		if err := db.CreateUser(w.sys, u, "correct horse battery"); err != nil {
			t.Fatal(err)
		}
		return u
	}
	w.officer, w.admin = mk(models.RoleOfficer, nil), mk(models.RoleAdmin, nil)
	w.mission, w.auditor = mk(models.RoleMission, &h.Mission.ID), mk(models.RoleAuditor, nil)
	w.disabled = mk(models.RoleOfficer, nil)
	yes := true
	if _, err := db.UpdateUser(w.sys, w.disabled.ID, models.UserUpdate{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	as := func(u *models.User) context.Context {
		a := models.Actor{UserID: u.ID, Role: u.Role, RequestID: "req-" + u.Role}
		if u.MissionID != nil {
			a.MissionID = *u.MissionID
		}
		return models.WithActor(context.Background(), a)
	}
	w.asOfficer, w.asAdmin, w.asMission, w.asAuditor = as(w.officer), as(w.admin), as(w.mission), as(w.auditor)
	return w
}

// urgent calls OpenUrgentCaseTx in a transaction of its own, as the
// interview code does inside its own.
func (w *caseWorld) urgent(t *testing.T, ctx context.Context, fl models.CaseFlag) (*models.Case, error) {
	t.Helper()
	var c *models.Case
	err := w.db.Transaction(ctx, func(tx *gorm.DB) error {
		var err error
		c, err = w.db.OpenUrgentCaseTx(ctx, tx, fl)
		return err
	})
	return c, err
}

func actionKinds(acts []models.CaseAction) string {
	var out []string
	for _, a := range acts {
		out = append(out, a.Kind)
	}
	return strings.Join(out, " ")
}

func auditCount(t *testing.T, db *store.DB, objectType, action string) int {
	t.Helper()
	evs, err := db.FindAuditEvents(storetest.SysCtx(), models.AuditFilter{ObjectType: objectType, Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}

func TestDB_OpenUrgentCaseTx(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCaseWorld(t, db)
		flag := models.CaseFlag{EmploymentID: w.emp.ID, Source: models.CaseSourceInterview, Reason: "critical answers",
			Indicators: []string{"restriction_of_movement"}, At: storetest.Now.Add(-time.Hour)}
		c1, err := w.urgent(t, w.asOfficer, flag)
		if err != nil {
			t.Fatal(err)
		}
		if c1.Status != models.CaseOpen || c1.Priority != models.PriorityUrgent || c1.Source != models.CaseSourceInterview ||
			!c1.OpenedAt.Equal(flag.At) || c1.MissionID != w.h.Mission.ID || c1.FirstActionAt != nil {
			t.Fatalf("opened case = %+v", c1)
		}
		// Again, with another indicator: the same case, the flag on its timeline.
		flag.Indicators, flag.Reason, flag.At = []string{"physical_sexual_violence", "restriction_of_movement"}, "again", time.Time{}
		c2, err := w.urgent(t, w.asOfficer, flag)
		if err != nil {
			t.Fatal(err)
		}
		if c2.ID != c1.ID {
			t.Fatalf("second flag opened case %s, want the open case %s", c2.ID, c1.ID)
		}
		if got := strings.Join(c2.Indicators, ","); got != "restriction_of_movement,physical_sexual_violence" {
			t.Errorf("indicators = %s", got)
		}
		cs, _, err := db.FindCases(w.asOfficer, models.CaseFilter{EmploymentID: w.emp.ID})
		if err != nil || len(cs) != 1 {
			t.Fatalf("cases of the employment = %d (%v), want 1", len(cs), err)
		}
		_, acts, err := db.FindCaseByID(w.asOfficer, c1.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := actionKinds(acts); got != "opened flagged" {
			t.Errorf("timeline = %q, want opened flagged", got)
		}
		if acts[0].Note != "critical answers" || acts[1].Note != "again" || acts[0].ActorID != w.officer.ID {
			t.Errorf("timeline entries = %+v", acts)
		}
		if n := auditCount(t, db, "case", models.ActionCreate); n != 1 {
			t.Errorf("case create audit rows = %d, want 1", n)
		}
		if n := auditCount(t, db, "case", models.ActionUpdate); n != 1 {
			t.Errorf("case update (flag) audit rows = %d, want 1", n)
		}

		// A normal case opened by hand is raised to urgent by the flag.
		other := w.h.Employment(t, storetest.Date("2026-10-01"), models.EmploymentUpdate{}, "fr")
		manual, created, err := db.CreateCase(w.asOfficer, models.CaseInput{EmploymentID: other.ID, Reason: "mission called"})
		if err != nil || !created || manual.Priority != models.PriorityNormal {
			t.Fatalf("CreateCase = %+v, %v, %v", manual, created, err)
		}
		raised, err := w.urgent(t, w.sys, models.CaseFlag{EmploymentID: other.ID, Source: models.CaseSourceWorker})
		if err != nil {
			t.Fatal(err)
		}
		if raised.ID != manual.ID || raised.Priority != models.PriorityUrgent {
			t.Errorf("flag on a normal case = %s %s, want %s urgent", raised.ID, raised.Priority, manual.ID)
		}

		// Bad flags and unknown employments are EINVALID naming the field; a
		// mission or an auditor is refused.
		for _, tt := range []struct {
			name  string
			ctx   context.Context
			fl    models.CaseFlag
			code  string
			field string
		}{
			{"unknown employment", w.asOfficer, models.CaseFlag{EmploymentID: models.NewID(), Source: models.CaseSourceInterview}, models.EINVALID, "employment_id"},
			{"bad source", w.asOfficer, models.CaseFlag{EmploymentID: w.emp.ID, Source: "mission"}, models.EINVALID, "source"},
			{"bad indicator", w.asOfficer, models.CaseFlag{EmploymentID: w.emp.ID, Source: models.CaseSourceInterview, Indicators: []string{"Bad Key"}}, models.EINVALID, "indicators"},
			{"mission", w.asMission, models.CaseFlag{EmploymentID: w.emp.ID, Source: models.CaseSourceInterview}, models.EFORBIDDEN, ""},
			{"auditor", w.asAuditor, models.CaseFlag{EmploymentID: w.emp.ID, Source: models.CaseSourceInterview}, models.EFORBIDDEN, ""},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := w.urgent(t, tt.ctx, tt.fl)
				if models.ErrorCode(err) != tt.code || (tt.field != "" && fieldOf(err) != tt.field) {
					t.Errorf("err = %v, want %s naming %q", err, tt.code, tt.field)
				}
			})
		}
	})
}

// TestDB_OpenUrgentCaseTx_RollsBackWithCaller shows the case belongs to
// the caller's transaction: when the caller fails, no case remains.
func TestDB_OpenUrgentCaseTx_RollsBackWithCaller(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCaseWorld(t, db)
		boom := models.Errorf(models.ECONFLICT, "the interview failed")
		err := db.Transaction(w.asOfficer, func(tx *gorm.DB) error {
			if _, err := db.OpenUrgentCaseTx(w.asOfficer, tx, models.CaseFlag{EmploymentID: w.emp.ID, Source: models.CaseSourceInterview}); err != nil {
				return err
			}
			return boom
		})
		if err != boom {
			t.Fatalf("err = %v", err)
		}
		cs, _, err := db.FindCases(w.asOfficer, models.CaseFilter{})
		if err != nil || len(cs) != 0 {
			t.Fatalf("cases after rollback = %d (%v), want 0", len(cs), err)
		}
	})
}

// TestDB_OpenUrgentCaseTx_Concurrent: flags raised at once on one
// employment (PostgreSQL, several connections) leave one open case.
func TestDB_OpenUrgentCaseTx_Concurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if db.Dialect() != migrations.Postgres {
			t.Skip("SQLite has one connection: flags are serialised anyway")
		}
		w := newCaseWorld(t, db)
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Transaction(w.sys, func(tx *gorm.DB) error {
					_, err := db.OpenUrgentCaseTx(w.sys, tx, models.CaseFlag{EmploymentID: w.emp.ID, Source: models.CaseSourceInterview})
					return err
				})
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("flag %d: %v", i, err)
			}
		}
		cs, _, err := db.FindCases(w.asOfficer, models.CaseFilter{EmploymentID: w.emp.ID})
		if err != nil || len(cs) != 1 {
			t.Fatalf("cases = %d (%v), want 1", len(cs), err)
		}
		_, acts, err := db.FindCaseByID(w.asOfficer, cs[0].ID)
		if err != nil || len(acts) != n {
			t.Fatalf("timeline entries = %d (%v), want %d (one opened, the rest flagged)", len(acts), err, n)
		}
	})
}

func TestDB_CaseLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCaseWorld(t, db)
		s := func(v string) *string { return &v }
		c, created, err := db.CreateCase(w.asOfficer, models.CaseInput{EmploymentID: w.emp.ID, Reason: "  allegation by phone ", Priority: "urgent"})
		if err != nil || !created {
			t.Fatal(created, err)
		}
		if c.Reason != "allegation by phone" || c.FirstActionAt != nil || c.OpenedBy != w.officer.ID {
			t.Fatalf("case = %+v", c)
		}
		// A second opening adds to the open case.
		again, created, err := db.CreateCase(w.asAdmin, models.CaseInput{EmploymentID: w.emp.ID, Reason: "second allegation"})
		if err != nil || created || again.ID != c.ID || again.Priority != models.PriorityUrgent {
			t.Fatalf("second CreateCase = %+v, created %v, %v", again, created, err)
		}
		if again.FirstActionAt != nil {
			t.Errorf("a second allegation set first_action_at")
		}

		steps := []struct {
			name  string
			ctx   context.Context
			upd   models.CaseUpdate
			code  string
			field string
		}{
			{"nothing", w.asOfficer, models.CaseUpdate{Note: "just a note"}, models.EINVALID, "body"},
			{"assign a mission user", w.asOfficer, models.CaseUpdate{AssignedTo: s(w.mission.ID)}, models.EINVALID, "assigned_to"},
			{"assign a disabled officer", w.asOfficer, models.CaseUpdate{AssignedTo: s(w.disabled.ID)}, models.EINVALID, "assigned_to"},
			{"assign nobody known", w.asOfficer, models.CaseUpdate{AssignedTo: s(models.NewID())}, models.EINVALID, "assigned_to"},
			{"assign", w.asAdmin, models.CaseUpdate{AssignedTo: s(w.officer.ID), Note: "yours"}, "", ""},
			{"bad status", w.asOfficer, models.CaseUpdate{Status: s("urgent")}, models.EINVALID, "status"},
			{"outcome without closing", w.asOfficer, models.CaseUpdate{Outcome: s("resolved")}, models.EINVALID, "outcome"},
			{"close without outcome", w.asOfficer, models.CaseUpdate{Status: s("closed")}, models.EINVALID, "outcome"},
			{"bad outcome", w.asOfficer, models.CaseUpdate{Status: s("closed"), Outcome: s("won")}, models.EINVALID, "outcome"},
			{"follow up", w.asOfficer, models.CaseUpdate{Status: s("follow_up"), Priority: s("normal"), Note: "wait for evidence"}, "", ""},
			{"back to open", w.asOfficer, models.CaseUpdate{Status: s("open")}, "", ""},
			{"mission", w.asMission, models.CaseUpdate{Status: s("closed"), Outcome: s("resolved")}, models.EFORBIDDEN, ""},
			{"auditor", w.asAuditor, models.CaseUpdate{Priority: s("urgent")}, models.EFORBIDDEN, ""},
			{"close", w.asOfficer, models.CaseUpdate{Status: s("closed"), Outcome: s("resolved"), Note: "arrears paid"}, "", ""},
			{"closed is final", w.asOfficer, models.CaseUpdate{Status: s("open")}, models.ECONFLICT, ""},
		}
		for _, tt := range steps {
			_, err := db.UpdateCase(tt.ctx, c.ID, tt.upd)
			if models.ErrorCode(err) != tt.code || (tt.field != "" && fieldOf(err) != tt.field) {
				t.Errorf("%s: err = %v, want %q naming %q", tt.name, err, tt.code, tt.field)
			}
		}
		got, acts, err := db.FindCaseByID(w.asOfficer, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := "opened flagged assigned priority_changed status_changed status_changed closed"
		if k := actionKinds(acts); k != want {
			t.Errorf("timeline = %q, want %q", k, want)
		}
		if got.Status != models.CaseClosed || got.Outcome != models.OutcomeResolved || got.ClosedAt == nil ||
			got.AssignedTo == nil || *got.AssignedTo != w.officer.ID || got.Priority != models.PriorityNormal {
			t.Errorf("closed case = %+v", got)
		}
		// The assignment was the first action (by an admin), at the fixed clock.
		if got.FirstActionAt == nil || !got.FirstActionAt.Equal(storetest.Now) {
			t.Errorf("first_action_at = %v, want %v", got.FirstActionAt, storetest.Now)
		}
		if acts[2].Note != "yours" || acts[2].ActorID != w.admin.ID || acts[2].Data["assigned_to"] != w.officer.ID {
			t.Errorf("assigned entry = %+v", acts[2])
		}
		if acts[3].Note != "wait for evidence" || acts[4].Note != "" {
			t.Errorf("the note goes on the change's first entry only: %+v / %+v", acts[3], acts[4])
		}
		if _, err := db.AddCaseAction(w.asOfficer, c.ID, models.ActionInput{Kind: "call", Note: "x"}); models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("action on a closed case: %v, want conflict", err)
		}
		// A closed case leaves room for a new one.
		next, created, err := db.CreateCase(w.asOfficer, models.CaseInput{EmploymentID: w.emp.ID, Reason: "new allegation"})
		if err != nil || !created || next.ID == c.ID {
			t.Fatalf("case after closing: %+v, %v, %v", next, created, err)
		}

		// Filters.
		for _, tt := range []struct {
			f    models.CaseFilter
			want int
		}{
			{models.CaseFilter{}, 2},
			{models.CaseFilter{Status: models.CaseClosed}, 1},
			{models.CaseFilter{Status: models.CaseOpen, Priority: models.PriorityNormal}, 1},
			{models.CaseFilter{Priority: models.PriorityUrgent}, 0},
			{models.CaseFilter{AssignedTo: w.officer.ID}, 1},
			{models.CaseFilter{EmploymentID: models.NewID()}, 0},
			{models.CaseFilter{Page: models.Page{Limit: 1}}, 1},
		} {
			cs, _, err := db.FindCases(w.asOfficer, tt.f)
			if err != nil || len(cs) != tt.want {
				t.Errorf("FindCases(%+v) = %d (%v), want %d", tt.f, len(cs), err, tt.want)
			}
		}
		page1, nextCur, err := db.FindCases(w.asOfficer, models.CaseFilter{Page: models.Page{Limit: 1}})
		if err != nil || nextCur == "" {
			t.Fatalf("page 1: %v next %q", err, nextCur)
		}
		page2, last, err := db.FindCases(w.asOfficer, models.CaseFilter{Page: models.Page{Limit: 1, After: nextCur}})
		if err != nil || len(page2) != 1 || page2[0].ID == page1[0].ID || last != "" {
			t.Errorf("page 2 = %v, %q, %v", page2, last, err)
		}
		for _, ctx := range []context.Context{w.asMission, w.asAuditor} {
			if _, _, err := db.FindCases(ctx, models.CaseFilter{}); models.ErrorCode(err) != models.EFORBIDDEN {
				t.Errorf("FindCases as %s: %v", models.ActorFrom(ctx).Role, err)
			}
			if _, _, err := db.FindCaseByID(ctx, c.ID); models.ErrorCode(err) != models.EFORBIDDEN {
				t.Errorf("FindCaseByID as %s: %v", models.ActorFrom(ctx).Role, err)
			}
		}
		if n := auditCount(t, db, "case", models.ActionRead); n != 1 {
			t.Errorf("case reads audited = %d, want 1", n)
		}
		if n := auditCount(t, db, "case", models.ActionList); n < 5 {
			t.Errorf("case listings audited = %d, want one per non-empty page", n)
		}
	})
}

func TestDB_CaseFirstActionByHand(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCaseWorld(t, db)
		c, err := w.urgent(t, w.sys, models.CaseFlag{EmploymentID: w.emp.ID, Source: models.CaseSourceWorker})
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			in    models.ActionInput
			field string
		}{
			{models.ActionInput{Kind: "opened"}, "kind"},
			{models.ActionInput{Kind: "note"}, "note"},
			{models.ActionInput{Kind: "call", Note: "bad\x00note"}, "note"},
			{models.ActionInput{Kind: "call", Note: strings.Repeat("x", models.MaxNoteLen+1)}, "note"},
		} {
			if _, err := db.AddCaseAction(w.asOfficer, c.ID, tt.in); fieldOf(err) != tt.field {
				t.Errorf("AddCaseAction(%q) = %v, want EINVALID naming %s", tt.in.Kind, err, tt.field)
			}
		}
		if _, err := db.AddCaseAction(w.asOfficer, models.NewID(), models.ActionInput{Kind: "call"}); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("action on an unknown case: %v", err)
		}
		later := storetest.Now.Add(26 * time.Hour)
		db.Now = func() time.Time { return later }
		a, err := db.AddCaseAction(w.asOfficer, c.ID, models.ActionInput{Kind: "call", Note: "called the worker"})
		if err != nil {
			t.Fatal(err)
		}
		if a.ActorID != w.officer.ID || a.ActorRole != models.RoleOfficer || !a.At.Equal(later) {
			t.Errorf("action = %+v", a)
		}
		db.Now = func() time.Time { return later.Add(time.Hour) }
		if _, err := db.AddCaseAction(w.asOfficer, c.ID, models.ActionInput{Kind: "visit"}); err != nil {
			t.Fatal(err)
		}
		got, _, err := db.FindCaseByID(w.asOfficer, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.FirstActionAt == nil || !got.FirstActionAt.Equal(later) {
			t.Errorf("first_action_at = %v, want the first call %v", got.FirstActionAt, later)
		}
	})
}

func TestDB_Organisations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCaseWorld(t, db)
		in := models.OrganisationInput{Kind: "ngo", Name: " Workers' Aid ", Email: "HELP@aid.example", Languages: []string{"tl", "EN"}}
		if _, err := db.CreateOrganisation(w.asOfficer, in); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Errorf("officer creating an organisation: %v, want forbidden", err)
		}
		o, err := db.CreateOrganisation(w.asAdmin, in)
		if err != nil {
			t.Fatal(err)
		}
		if o.Name != "Workers' Aid" || o.Email != "help@aid.example" || !o.Active || o.Emergency {
			t.Errorf("organisation = %+v", o)
		}
		for _, tt := range []struct {
			in    models.OrganisationInput
			field string
		}{
			{models.OrganisationInput{Kind: "church", Name: "x", Phone: "+41 58 000 00 00"}, "kind"},
			{models.OrganisationInput{Kind: "police", Phone: "+41 58 000 00 00"}, "name"},
			{models.OrganisationInput{Kind: "police", Name: "Police"}, "email"},
			{models.OrganisationInput{Kind: "police", Name: "Police", Phone: "call us"}, "phone"},
			{models.OrganisationInput{Kind: "police", Name: "Police", Phone: "117"}, "phone"},
			{models.OrganisationInput{Kind: "police", Name: "Police", Phone: "+41 117 117", Languages: []string{"??"}}, "languages"},
		} {
			if _, err := db.CreateOrganisation(w.asAdmin, tt.in); fieldOf(err) != tt.field {
				t.Errorf("CreateOrganisation(%+v) = %v, want EINVALID naming %s", tt.in, err, tt.field)
			}
		}
		yes, no := true, false
		police := "police"
		u, err := db.UpdateOrganisation(w.asAdmin, o.ID, models.OrganisationUpdate{Kind: &police, Emergency: &yes, Active: &no})
		if err != nil || u.Kind != "police" || !u.Emergency || u.Active {
			t.Fatalf("update = %+v, %v", u, err)
		}
		empty := ""
		if _, err := db.UpdateOrganisation(w.asAdmin, o.ID, models.OrganisationUpdate{Email: &empty}); fieldOf(err) != "email" {
			t.Errorf("removing the only contact: %v", err)
		}
		if _, err := db.UpdateOrganisation(w.asOfficer, o.ID, models.OrganisationUpdate{Active: &yes}); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Errorf("officer updating: %v", err)
		}
		list, _, err := db.FindOrganisations(w.asOfficer, models.OrganisationFilter{Active: &no})
		if err != nil || len(list) != 1 {
			t.Errorf("inactive organisations = %d, %v", len(list), err)
		}
		list, _, err = db.FindOrganisations(w.asOfficer, models.OrganisationFilter{Kind: "ngo"})
		if err != nil || len(list) != 0 {
			t.Errorf("ngo organisations = %d, %v", len(list), err)
		}
		if _, _, err := db.FindOrganisations(w.asMission, models.OrganisationFilter{}); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Errorf("mission listing organisations: %v", err)
		}
		if n := auditCount(t, db, "organisation", models.ActionUpdate); n != 1 {
			t.Errorf("organisation updates audited = %d, want 1", n)
		}
	})
}

// referralWorld adds an open case and organisations to a caseWorld.
type referralWorld struct {
	*caseWorld
	c                              *models.Case
	ngo, police, inactive, police2 *models.Organisation
}

func newReferralWorld(t *testing.T, db *store.DB) *referralWorld {
	t.Helper()
	w := &referralWorld{caseWorld: newCaseWorld(t, db)}
	var err error
	if w.c, err = w.urgent(t, w.asOfficer, models.CaseFlag{EmploymentID: w.emp.ID, Source: models.CaseSourceInterview,
		Indicators: []string{"restriction_of_movement", "withholding_of_wages", "unknown_key"}}); err != nil {
		t.Fatal(err)
	}
	org := func(in models.OrganisationInput) *models.Organisation {
		o, err := db.CreateOrganisation(w.asAdmin, in)
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	no := false
	w.ngo = org(models.OrganisationInput{Kind: "ngo", Name: "Domestic Aid", Phone: "+41 58 000 00 03", Languages: []string{"tl"}})
	w.police = org(models.OrganisationInput{Kind: "police", Name: "Police", Phone: "+41 117 000 000", Emergency: true})
	w.police2 = org(models.OrganisationInput{Kind: "police", Name: "Police (no emergency)", Phone: "+41 117 000 001"})
	w.inactive = org(models.OrganisationInput{Kind: "shelter", Name: "Closed shelter", Phone: "+41 58 000 00 09", Active: &no})
	return w
}

func TestDB_Referrals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newReferralWorld(t, db)
		yes, no := true, false
		for _, tt := range []struct {
			name  string
			in    models.ReferralInput
			code  string
			field string
		}{
			{"no consent", models.ReferralInput{CaseID: w.c.ID, OrganisationID: w.ngo.ID}, models.EINVALID, "consent"},
			{"consent false", models.ReferralInput{CaseID: w.c.ID, OrganisationID: w.ngo.ID, Consent: &no, Reason: "x"}, models.EINVALID, "consent"},
			{"police without emergency", models.ReferralInput{CaseID: w.c.ID, OrganisationID: w.police2.ID, Reason: "danger"}, models.EINVALID, "consent"},
			{"consent unrecorded", models.ReferralInput{CaseID: w.c.ID, OrganisationID: w.ngo.ID, Consent: &yes}, models.EINVALID, "consent_recorded_by"},
			{"recorded without consent", models.ReferralInput{CaseID: w.c.ID, OrganisationID: w.ngo.ID, ConsentRecordedBy: w.officer.ID}, models.EINVALID, "consent_recorded_by"},
			{"recorded by a mission user", models.ReferralInput{CaseID: w.c.ID, OrganisationID: w.ngo.ID, Consent: &yes, ConsentRecordedBy: w.mission.ID}, models.EINVALID, "consent_recorded_by"},
			{"emergency without reason", models.ReferralInput{CaseID: w.c.ID, OrganisationID: w.police.ID}, models.EINVALID, "reason"},
			{"unknown case", models.ReferralInput{CaseID: models.NewID(), OrganisationID: w.ngo.ID, Consent: &yes, ConsentRecordedBy: w.officer.ID}, models.EINVALID, "case_id"},
			{"unknown organisation", models.ReferralInput{CaseID: w.c.ID, OrganisationID: models.NewID(), Consent: &yes, ConsentRecordedBy: w.officer.ID}, models.EINVALID, "organisation_id"},
			{"inactive organisation", models.ReferralInput{CaseID: w.c.ID, OrganisationID: w.inactive.ID, Consent: &yes, ConsentRecordedBy: w.officer.ID}, models.EINVALID, "organisation_id"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				_, err := db.CreateReferral(w.asOfficer, tt.in)
				if models.ErrorCode(err) != tt.code || fieldOf(err) != tt.field {
					t.Errorf("err = %v, want %s naming %s", err, tt.code, tt.field)
				}
			})
		}
		// Nothing was written by the refusals.
		if rs, _, err := db.FindReferrals(w.asOfficer, models.ReferralFilter{}); err != nil || len(rs) != 0 {
			t.Fatalf("referrals after refusals = %d, %v", len(rs), err)
		}
		if _, acts, _ := db.FindCaseByID(w.asOfficer, w.c.ID); actionKinds(acts) != "opened" {
			t.Fatalf("timeline after refusals = %q", actionKinds(acts))
		}

		// With consent: on the case's timeline and in the audit trail.
		r, err := db.CreateReferral(w.asOfficer, models.ReferralInput{CaseID: w.c.ID, OrganisationID: w.ngo.ID, Consent: &yes,
			ConsentRecordedBy: w.admin.ID, Reason: "needs a shelter place"})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Consent || r.Emergency || r.ConsentRecordedBy == nil || *r.ConsentRecordedBy != w.admin.ID || r.EmploymentID != w.emp.ID {
			t.Errorf("referral = %+v", r)
		}
		// Emergency: no consent, a reason, the flag recorded.
		e, err := db.CreateReferral(w.asOfficer, models.ReferralInput{CaseID: w.c.ID, OrganisationID: w.police.ID, Reason: "immediate danger"})
		if err != nil {
			t.Fatal(err)
		}
		if e.Consent || !e.Emergency || e.ConsentRecordedBy != nil {
			t.Errorf("emergency referral = %+v", e)
		}
		got, acts, err := db.FindCaseByID(w.asOfficer, w.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if k := actionKinds(acts); k != "opened referral referral" {
			t.Errorf("timeline = %q", k)
		}
		if acts[1].Data["referral_id"] != r.ID || acts[1].Data["consent"] != "true" || acts[2].Data["emergency"] != "true" {
			t.Errorf("referral entries = %+v / %+v", acts[1].Data, acts[2].Data)
		}
		if got.FirstActionAt == nil {
			t.Errorf("a referral is an action on the case: first_action_at unset")
		}
		evs, err := db.FindAuditEvents(storetest.SysCtx(), models.AuditFilter{ObjectType: "referral", Action: models.ActionCreate})
		if err != nil || len(evs) != 2 || evs[0].ObjectID != r.ID || evs[0].Detail != "consent" || evs[1].Detail != "emergency" ||
			evs[0].ActorID != w.officer.ID {
			t.Errorf("referral audit = %+v, %v", evs, err)
		}
		rs, _, err := db.FindReferrals(w.asOfficer, models.ReferralFilter{CaseID: w.c.ID})
		if err != nil || len(rs) != 2 {
			t.Errorf("referrals of the case = %d, %v", len(rs), err)
		}
		if rs, _, _ := db.FindReferrals(w.asOfficer, models.ReferralFilter{CaseID: models.NewID()}); len(rs) != 0 {
			t.Errorf("referrals of another case = %d", len(rs))
		}
		if _, err := db.FindReferralByID(w.asMission, r.ID); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Errorf("mission reading a referral: %v", err)
		}
		if _, err := db.FindReferralByID(w.asOfficer, models.NewID()); models.ErrorCode(err) != models.ENOTFOUND {
			t.Errorf("unknown referral: %v", err)
		}

		// The raw table: the CHECK refuses a row with neither consent nor emergency.
		err = db.ExecRaw(storetest.SysCtx(), "UPDATE referrals SET emergency = ? WHERE id = ?", false, e.ID)
		if err == nil {
			t.Errorf("the database accepted a referral without consent and without emergency")
		}

		// A closed case takes no referral.
		closed, outcome := "closed", "referred"
		if _, err := db.UpdateCase(w.asOfficer, w.c.ID, models.CaseUpdate{Status: &closed, Outcome: &outcome}); err != nil {
			t.Fatal(err)
		}
		_, err = db.CreateReferral(w.asOfficer, models.ReferralInput{CaseID: w.c.ID, OrganisationID: w.ngo.ID, Consent: &yes, ConsentRecordedBy: w.officer.ID})
		if models.ErrorCode(err) != models.ECONFLICT {
			t.Errorf("referral of a closed case: %v, want conflict", err)
		}
	})
}

func TestDB_ExportReferral(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newReferralWorld(t, db)
		yes := true
		r, err := db.CreateReferral(w.asOfficer, models.ReferralInput{CaseID: w.c.ID, OrganisationID: w.ngo.ID, Consent: &yes,
			ConsentRecordedBy: w.officer.ID, Reason: "wages withheld"})
		if err != nil {
			t.Fatal(err)
		}
		x, err := db.ExportReferral(w.asOfficer, r.ID, "Protocol Office")
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]map[string]any
		_ = json.Unmarshal(b, &m)
		for _, tt := range []struct{ section, key, want string }{
			{"referral", "referral_id", r.ID},
			{"referral", "cas_OutgoingReferralDate", "2026-11-02"},
			{"referral", "cas_OutgoingReferralDetails", "wages withheld"},
			{"case", "case_id", w.c.ID},
			{"case", "employment_id", w.emp.ID},
			{"case", "cas_Status", "Active"},
			{"case", "cas_ReferringOrganisation", "Protocol Office"},
			{"referred_organisation", "org_Name", "Domestic Aid"},
			{"referred_organisation", "org_Type", "NGO"},
			{"person", "prs_Nationality", "PH"},
			{"person", "prs_Gender", "Female"},
			{"person", "age_band", "35-44"}, // born 1990-01-01, referred 2026-11-02: 36
		} {
			if got, _ := m[tt.section][tt.key].(string); got != tt.want {
				t.Errorf("%s.%s = %q, want %q", tt.section, tt.key, got, tt.want)
			}
		}
		if x.Format != "pdw-referral" || x.FormatVersion == "" || x.HTCDSVersion != "2.0" || !x.Referral.Consent || !x.Victim.AgreementToManagePersonalData {
			t.Errorf("header = %+v", x)
		}
		if got := strings.Join(x.Victim.MethodsOfControl, ","); got != "RestrictsMovement,TakesEarnings,RestrictsFinancialAccess" {
			t.Errorf("methods of control = %s", got)
		}
		if got := strings.Join(x.Victim.ILOIndicators, ","); got != "restriction_of_movement,withholding_of_wages,unknown_key" {
			t.Errorf("indicators = %s", got)
		}
		// Data minimisation: no name, birth date, passport or contact.
		for _, leak := range []string{"Worker", "1990", "date_of_birth", "full_name", "passport"} {
			if strings.Contains(string(b), leak) {
				t.Errorf("export contains %q: %s", leak, b)
			}
		}
		evs, err := db.FindAuditEvents(storetest.SysCtx(), models.AuditFilter{ObjectType: "referral", Action: models.ActionRead})
		if err != nil || len(evs) != 1 || evs[0].Detail != "export" {
			t.Errorf("export audit = %+v, %v", evs, err)
		}
		if _, err := db.ExportReferral(w.asAuditor, r.ID, ""); models.ErrorCode(err) != models.EFORBIDDEN {
			t.Errorf("auditor export: %v", err)
		}
	})
}

// TestDB_RetentionErasesCaseText: at the end of the retention period the
// free text of cases, actions and referrals goes; the rows, their kinds,
// times and outcomes stay for the reports.
func TestDB_RetentionErasesCaseText(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newReferralWorld(t, db)
		yes := true
		if _, err := db.AddCaseAction(w.asOfficer, w.c.ID, models.ActionInput{Kind: "note", Note: "SECRET note"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreateReferral(w.asOfficer, models.ReferralInput{CaseID: w.c.ID, OrganisationID: w.ngo.ID, Consent: &yes,
			ConsentRecordedBy: w.officer.ID, Reason: "SECRET referral reason"}); err != nil {
			t.Fatal(err)
		}
		closed, outcome := "closed", "referred"
		if _, err := db.UpdateCase(w.asOfficer, w.c.ID, models.CaseUpdate{Status: &closed, Outcome: &outcome, Note: "SECRET closing"}); err != nil {
			t.Fatal(err)
		}
		// A case of another, still open employment keeps its text.
		other := w.h.Employment(t, storetest.Date("2026-10-01"), models.EmploymentUpdate{}, "fr")
		kept, _, err := db.CreateCase(w.asOfficer, models.CaseInput{EmploymentID: other.ID, Reason: "KEPT reason"})
		if err != nil {
			t.Fatal(err)
		}
		ended := models.StatusEnded
		if _, err := db.UpdateEmployment(w.sys, w.emp.ID, models.EmploymentUpdate{Status: &ended, DepartureDate: storetest.DateP("2026-10-20"),
			ExitPackWaiver: new("The test needs no exit evidence.")}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.EraseExpired(w.sys, time.Date(2032, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		c, acts, err := db.FindCaseByID(w.asOfficer, w.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Reason != "" || c.Outcome != "referred" || c.FirstActionAt == nil || len(acts) != 4 {
			t.Errorf("erased case = %+v, %d actions", c, len(acts))
		}
		for _, a := range acts {
			if a.Note != "" {
				t.Errorf("action %s kept its note %q", a.Kind, a.Note)
			}
		}
		rs, _, err := db.FindReferrals(w.asOfficer, models.ReferralFilter{CaseID: w.c.ID})
		if err != nil || len(rs) != 1 || rs[0].Reason != "" || !rs[0].Consent {
			t.Errorf("erased referrals = %+v, %v", rs, err)
		}
		if k, _, _ := db.FindCaseByID(w.asOfficer, kept.ID); k.Reason != "KEPT reason" {
			t.Errorf("the open employment's case lost its reason: %q", k.Reason)
		}
	})
}

// BenchmarkDB_FindCases lists 50 cases (one page, audited) out of 500, on
// each database; run with PDW_TEST_DATABASE_URL for PostgreSQL.
func BenchmarkDB_FindCases(b *testing.B) {
	for _, d := range storetest.Dialects() {
		b.Run(d, func(b *testing.B) {
			db := storetest.Open(b, d)
			h := storetest.NewHousehold(b, db)
			ctx := storetest.SysCtx()
			for range 500 {
				e := h.Employment(b, storetest.Date("2026-10-01"), models.EmploymentUpdate{}, "fr")
				if _, _, err := db.CreateCase(ctx, models.CaseInput{EmploymentID: e.ID, Reason: "bench"}); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				cs, _, err := db.FindCases(ctx, models.CaseFilter{Status: models.CaseOpen, Page: models.Page{Limit: 50}})
				if err != nil || len(cs) != 50 {
					b.Fatal(len(cs), err)
				}
			}
		})
	}
}
