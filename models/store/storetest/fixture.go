package storetest

import (
	"context"
	"testing"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
)

// Household is a mission and an employer of it, a head of mission (no
// household quota, so it may employ any number of workers), under the
// Swiss preset.
type Household struct {
	DB       *store.DB
	Mission  *models.Mission
	Employer *models.Employer
}

// SysCtx is a context acting as the system, which sees everything.
func SysCtx() context.Context {
	return models.WithActor(context.Background(), models.SystemActor("test"))
}

// NewHousehold loads the Swiss preset into db and creates a mission and its head.
func NewHousehold(tb testing.TB, db *store.DB) *Household {
	tb.Helper()
	LoadPreset(tb, db, "ch-pheo-2011")
	h := &Household{DB: db,
		Mission: &models.Mission{Name: "Embassy", Kind: models.MissionEmbassy, Country: "PH", FocalPointEmail: "focal@mission.example"}}
	if err := db.CreateMission(SysCtx(), h.Mission); err != nil {
		tb.Fatal(err)
	}
	h.Employer = &models.Employer{MissionID: h.Mission.ID, FullName: "Ambassador", Rank: models.RankHeadOfMission, Immunity: "full"}
	if err := db.CreateEmployer(SysCtx(), h.Employer); err != nil {
		tb.Fatal(err)
	}
	return h
}

// ValidTerms returns terms that meet the Swiss preset.
func ValidTerms() *models.TermsInput {
	yes, wage := true, "1200.00"
	f := func(v float64) *float64 { return &v }
	i := func(v int) *int { return &v }
	return &models.TermsInput{MonthlyNetWage: &wage, Currency: "CHF", WeeklyHours: f(45), DailyRestHours: f(11),
		WeeklyRestDays: f(1.5), AnnualLeaveWeeks: f(4), PublicHolidays: i(8), OvertimePremiumPct: i(25),
		OwnLockableRoom: &yes, PaidIntoSoleNameAccount: &yes, WorkerKeepsPassport: &yes, OwnPhoneAndFamilyContact: &yes,
		HealthInsuranceByEmployer: &yes, AccidentInsuranceByEmployer: &yes, ReturnTravelByEmployer: &yes,
		NoticePeriodDays: i(30), Duties: []string{"housekeeping"}, ContractLanguages: []string{"fr", "tl"}}
}

// Employment notifies an employment starting on start for a new adult
// worker speaking languages (first language first), approves it, and then
// applies upd (an arrival date, an ID card, a status), as the system.
func (h *Household) Employment(tb testing.TB, start models.Date, upd models.EmploymentUpdate, languages ...string) *models.Employment {
	tb.Helper()
	ctx := SysCtx()
	dob := models.Date{Year: 1990, Month: 1, Day: 1}
	w := &models.Worker{FullName: "Worker", Sex: "f", Nationality: "PH", DateOfBirth: &dob, Languages: languages}
	if err := h.DB.CreateWorker(ctx, w); err != nil {
		tb.Fatal(err)
	}
	e, err := h.DB.CreateEmployment(ctx, models.EmploymentInput{WorkerID: w.ID, EmployerID: h.Employer.ID, StartDate: &start, Terms: ValidTerms()})
	if err != nil {
		tb.Fatal(err)
	}
	approved := models.StatusApproved
	if e, err = h.DB.UpdateEmployment(ctx, e.ID, models.EmploymentUpdate{Status: &approved}); err != nil {
		tb.Fatal(err)
	}
	if e, err = h.DB.UpdateEmployment(ctx, e.ID, upd); err != nil {
		tb.Fatal(err)
	}
	return e
}

// Date parses "YYYY-MM-DD" and panics on anything else (test literals).
func Date(s string) models.Date {
	d, err := models.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateP is Date's address.
func DateP(s string) *models.Date { d := Date(s); return &d }
