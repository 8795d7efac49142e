package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
)

// cmdSeedDemo fills the database with a believable demo: 3 missions, 10
// employers, 20 workers and 20 employments in various states, checked by
// the same rules as real notifications (invented names, no real people).
func cmdSeedDemo(ctx context.Context, e *env, args []string) error {
	if err := flags(e, "seed-demo", args, func(*flag.FlagSet) {}); err != nil {
		return err
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := seedDemo(ctx, db); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "demo data loaded: 3 missions, 10 employers, 20 workers, 20 employments")
	return nil
}

func seedDemo(ctx context.Context, db *store.DB) error {
	if ms, _, err := db.FindMissions(ctx, models.MissionFilter{Page: models.Page{Limit: 1}}); err != nil {
		return err
	} else if len(ms) > 0 {
		return &exitError{code: 1, msg: "seed-demo fills only an empty registry, and this one already has missions"}
	}
	today := models.DateOf(db.Now())
	if _, err := db.PolicyInForce(ctx, today); err != nil {
		in, err := models.Preset("ch-pheo-2011")
		if err != nil {
			return err
		}
		p, err := in.Policy()
		if err != nil {
			return err
		}
		if err := db.CreatePolicy(ctx, p); err != nil {
			return err
		}
	}

	missions := []models.Mission{
		{Name: "Embassy of Atlantis (demo)", Kind: models.MissionEmbassy, Country: "PH", FocalPointEmail: "focal@atlantis.example"},
		{Name: "Permanent Mission of Borduria (demo)", Kind: models.MissionPermanent, Country: "ID", FocalPointEmail: "focal@borduria.example"},
		{Name: "Consulate General of Syldavia (demo)", Kind: models.MissionConsulate, Country: "ET", FocalPointEmail: "focal@syldavia.example"},
	}
	for i := range missions {
		if err := db.CreateMission(ctx, &missions[i]); err != nil {
			return fmt.Errorf("seed mission: %w", err)
		}
	}
	employers := []models.Employer{
		{Rank: models.RankHeadOfMission, FullName: "Amb. Orla Venn"},
		{Rank: models.RankDiplomat, FullName: "Counsellor Teo Maris"},
		{Rank: models.RankDiplomat, FullName: "First Secretary Ines Halloran"},
		{Rank: models.RankDiplomat, FullName: "Attaché Paul Derrow"},
		{Rank: models.RankHeadOfMission, FullName: "Amb. Kasimir Ostrov"},
		{Rank: models.RankDiplomat, FullName: "Minister-Counsellor Lena Brask"},
		{Rank: models.RankIOOfficial, FullName: "Director Sami Quell"},
		{Rank: models.RankConsularHead, FullName: "Consul General Hana Rook"},
		{Rank: models.RankConsularOfficer, FullName: "Consul Marek Tiel"},
		{Rank: models.RankConsularOfficer, FullName: "Vice-Consul Ada Fenn"},
	}
	missionOf := []int{0, 0, 0, 0, 1, 1, 1, 2, 2, 2}
	for i := range employers {
		employers[i].MissionID = missions[missionOf[i]].ID
		employers[i].AccreditationNumber = fmt.Sprintf("DEMO-%04d", 100+i)
		employers[i].Immunity = "full"
		if employers[i].Rank == models.RankConsularOfficer || employers[i].Rank == models.RankConsularHead {
			employers[i].Immunity = "official_acts"
		}
		if err := db.CreateEmployer(ctx, &employers[i]); err != nil {
			return fmt.Errorf("seed employer: %w", err)
		}
	}

	names := []string{"Maria Santos", "Luz Reyes", "Siti Rahma", "Dewi Lestari", "Almaz Bekele", "Tigist Haile",
		"Rina Gomez", "Nurul Huda", "Joy Dela Cruz", "Marites Bautista", "Hanna Tesfaye", "Putri Ayu",
		"Grace Mendoza", "Selam Girma", "Wulan Sari", "Ana Villanueva", "Meron Alemu", "Ratna Dewi",
		"Liza Ramos", "Kidist Tadesse"}
	nationality := []string{"PH", "PH", "ID", "ID", "ET", "ET"}
	language := []string{"tl", "tl", "id", "id", "am", "am"}
	// employer index and the status each employment ends in; ended ones
	// free the household place for the next notification.
	plan := []struct {
		employer int
		status   []string
	}{
		{0, []string{"approved", "active"}}, {0, []string{"approved", "active"}}, {0, nil},
		{1, []string{"approved", "active", "ended"}}, {1, []string{"approved", "active"}},
		{2, []string{"approved"}}, {3, []string{"refused"}}, {3, nil},
		{4, []string{"approved", "active"}}, {4, []string{"approved", "active", "suspended"}}, {4, nil},
		{5, []string{"approved", "active"}}, {6, []string{"approved", "active", "ended"}}, {6, []string{"approved", "active"}},
		{7, []string{"approved", "active"}}, {7, []string{"approved", "active"}}, {7, nil},
		{8, []string{"approved", "active"}}, {9, []string{"approved"}}, {7, []string{"refused"}},
	}
	for i, name := range names {
		dob := today.AddDate(-25-i%20, -i%12, -i)
		m := missions[missionOf[plan[i].employer]].ID
		w := models.Worker{MissionID: &m, FullName: name + " (demo)", DateOfBirth: &dob, Sex: "f",
			Nationality: nationality[i%6], Languages: models.Strings{language[i%6], "en"},
			PassportNumber: fmt.Sprintf("P%07d", 1000+i), ContactConsent: i%3 != 0}
		if err := db.CreateWorker(ctx, &w); err != nil {
			return fmt.Errorf("seed worker: %w", err)
		}
		start := today.AddDate(0, -(20 - i), 0)
		emp, err := db.CreateEmployment(ctx, demoNotification(w.ID, employers[plan[i].employer].ID, start, language[i%6]))
		if err != nil {
			return fmt.Errorf("seed employment %d: %w", i+1, err)
		}
		for _, st := range plan[i].status {
			upd := models.EmploymentUpdate{Status: &st}
			switch st {
			case models.StatusActive:
				arrival := start.AddDate(0, 0, 3)
				expiry := arrival.AddDate(1, 0, 0)
				card := fmt.Sprintf("S-%06d", 500+i)
				upd.ArrivalDate, upd.IDCardExpiry, upd.IDCardNumber = &arrival, &expiry, &card
			case models.StatusEnded:
				dep := today.AddDate(0, 0, -10)
				upd.DepartureDate, upd.EndDate = &dep, &dep
				upd.ExitPackWaiver = new("Demo data: no exit evidence was filed.")
			}
			if _, err := db.UpdateEmployment(ctx, emp.ID, upd); err != nil {
				return fmt.Errorf("seed employment %d to %s: %w", i+1, st, err)
			}
		}
	}
	return nil
}

func demoNotification(workerID, employerID string, start models.Date, lang string) models.EmploymentInput {
	t, wage := true, "1450.00"
	num := func(v float64) *float64 { return &v }
	integer := func(v int) *int { return &v }
	return models.EmploymentInput{
		WorkerID: workerID, EmployerID: employerID, StartDate: &start,
		Terms: &models.TermsInput{
			MonthlyNetWage: &wage, Currency: "CHF", WeeklyHours: num(42), DailyRestHours: num(11),
			WeeklyRestDays: num(1.5), AnnualLeaveWeeks: num(4), PublicHolidays: integer(8),
			OvertimePremiumPct: integer(25), OwnLockableRoom: &t, PaidIntoSoleNameAccount: &t,
			WorkerKeepsPassport: &t, OwnPhoneAndFamilyContact: &t, HealthInsuranceByEmployer: &t,
			AccidentInsuranceByEmployer: &t, ReturnTravelByEmployer: &t, NoticePeriodDays: integer(30), PayDay: integer(25),
			Duties: []string{"housekeeping", "cooking"}, ContractLanguages: []string{"fr", lang},
		},
	}
}
