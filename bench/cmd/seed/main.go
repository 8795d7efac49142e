// Command seed fills a PostgreSQL database for the benchmark: 150
// missions, their employers, N workers with one active employment each,
// 5 appointments per employment (1/5 scheduled two years ahead, 3/5
// attended, 1/5 missed: the anchors' mix), plus F workers without an
// employment for the POST benchmark, an officer's API token, and a JSON
// fixture file naming them for the load generator. Invented names only.
//
// One template worker and employment are created through models/store
// (so they pass the registry's own validation and audit); the bulk rows
// copy every column of those templates with COPY (pgx), overriding ids,
// names and dates, so that columns added by later migrations keep their
// templates' values.
//
//	go run ./bench/cmd/seed -db postgres://… -employments 100000 -out fixture.json
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
)

// Fixture is what the load generator needs, written as JSON.
type Fixture struct {
	Token        string   `json:"token"`         // an officer's API token
	AdminToken   string   `json:"admin_token"`   // an admin's, for /metrics
	Missions     []string `json:"missions"`      // every mission
	Employers    []string `json:"employers"`     // heads of mission (no household quota)
	Workers      []string `json:"workers"`       // a sample of employed workers
	Employments  []string `json:"employments"`   // a sample of employments
	FreeWorkers  []string `json:"free_workers"`  // workers without an employment, for POST
	FreeEmployer []string `json:"free_employer"` // an employer of each free worker's mission
	Counts       Counts   `json:"counts"`
	SeedSeconds  float64  `json:"seed_seconds"`   // the whole seeding
	CopySeconds  float64  `json:"copy_seconds"`   // the COPY of the bulk rows only
	StartDate    string   `json:"start_date"`     // for POST employment
	TemplateTerm any      `json:"template_terms"` // the terms to POST
}

// Counts are the rows seeded.
type Counts struct {
	Missions, Employers, Workers, Employments, Appointments, FreeWorkers int
}

func main() {
	var (
		url      = flag.String("db", os.Getenv("PDW_DATABASE_URL"), "PostgreSQL URL")
		nEmp     = flag.Int("employments", 100_000, "active employments (one worker each)")
		perEmp   = flag.Int("appointments-per", 5, "appointments per employment")
		nFree    = flag.Int("free-workers", 40_000, "workers without an employment (for POST employment)")
		missions = flag.Int("missions", 150, "missions")
		perMis   = flag.Int("employers-per-mission", 4, "employers per mission (heads of mission: no household quota)")
		out      = flag.String("out", "fixture.json", "fixture file to write")
		sample   = flag.Int("sample", 20_000, "ids of workers and employments to put in the fixture")
	)
	flag.Parse()
	if err := run(*url, *nEmp, *perEmp, *nFree, *missions, *perMis, *sample, *out); err != nil {
		log.Fatal("seed: ", err)
	}
}

func run(url string, nEmp, perEmp, nFree, nMissions, perMission, sample int, out string) error {
	start := time.Now()
	ctx := models.WithActor(context.Background(), models.SystemActor("bench"))
	db, err := store.Open(ctx, url)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	today := models.DateOf(time.Now())
	if _, err := db.PolicyInForce(ctx, today); err != nil {
		in, err := models.Preset("ch-pheo-2011")
		if err != nil {
			return err
		}
		p, err := in.Policy()
		if err != nil {
			return err
		}
		p.EffectiveFrom = today.AddDate(-20, 0, 0)
		if err := db.CreatePolicy(ctx, p); err != nil {
			return fmt.Errorf("policy: %w", err)
		}
	}
	fx := Fixture{StartDate: today.AddDate(0, 1, 0).String()}
	var heads []models.Employer
	for i := range nMissions {
		m := models.Mission{Name: fmt.Sprintf("Bench Mission %03d", i), Kind: models.MissionEmbassy, Country: "PH",
			FocalPointEmail: fmt.Sprintf("focal%03d@mission.example", i)}
		if err := db.CreateMission(ctx, &m); err != nil {
			return fmt.Errorf("mission: %w", err)
		}
		fx.Missions = append(fx.Missions, m.ID)
		for j := range perMission {
			e := models.Employer{MissionID: m.ID, FullName: fmt.Sprintf("Amb. Bench %03d-%d", i, j), Rank: models.RankHeadOfMission,
				AccreditationNumber: fmt.Sprintf("B-%03d-%d", i, j), Immunity: "full"}
			if err := db.CreateEmployer(ctx, &e); err != nil {
				return fmt.Errorf("employer: %w", err)
			}
			heads = append(heads, e)
			fx.Employers = append(fx.Employers, e.ID)
		}
	}

	// The templates, through the store.
	dob := today.AddDate(-30, 0, 0)
	tw := models.Worker{MissionID: &heads[0].MissionID, FullName: "Template Worker", DateOfBirth: &dob, Sex: "f",
		Nationality: "PH", Languages: models.Strings{"tl", "en"}, PassportNumber: "P0000000"}
	if err := db.CreateWorker(ctx, &tw); err != nil {
		return fmt.Errorf("template worker: %w", err)
	}
	in := notification(tw.ID, heads[0].ID, today.AddDate(0, -6, 0))
	te, err := db.CreateEmployment(ctx, in)
	if err != nil {
		return fmt.Errorf("template employment: %w", err)
	}
	fx.TemplateTerm = in.Terms

	// An officer and an admin with API tokens.
	for _, role := range []string{models.RoleOfficer, models.RoleAdmin} {
		u := models.User{Email: role + "." + models.NewID()[24:] + "@bench.example", Role: role}
		if err := db.CreateUser(ctx, &u, "bench password, long enough"); err != nil {
			return fmt.Errorf("user: %w", err)
		}
		_, secret, err := db.CreateAPIToken(ctx, &u, "bench")
		if err != nil {
			return fmt.Errorf("token: %w", err)
		}
		if role == models.RoleOfficer {
			fx.Token = secret
		} else {
			fx.AdminToken = secret
		}
	}

	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	copyStart := time.Now()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)

	wCols, wTmpl, err := template(ctx, tx, "workers", tw.ID)
	if err != nil {
		return err
	}
	eCols, eTmpl, err := template(ctx, tx, "employments", te.ID)
	if err != nil {
		return err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	workerIDs := make([]string, nEmp+nFree)
	workerMission := make([]string, nEmp+nFree)
	for i := range workerIDs {
		workerIDs[i] = models.NewID()
		workerMission[i] = heads[i%len(heads)].MissionID
	}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{"workers"}, wCols, &rows{n: len(workerIDs), row: func(i int) []any {
		return with(wCols, wTmpl, map[string]any{"id": workerIDs[i], "mission_id": workerMission[i],
			"full_name": fmt.Sprintf("Bench Worker %06d", i), "passport_number": fmt.Sprintf("P%07d", i),
			"created_at": now, "updated_at": now})
	}})
	if err != nil {
		return fmt.Errorf("copy workers: %w", err)
	}
	fx.Counts.Workers = int(n)
	empIDs := make([]string, nEmp)
	startDate, arrival := today.AddDate(0, -6, 0), today.AddDate(0, -6, 2)
	n, err = tx.CopyFrom(ctx, pgx.Identifier{"employments"}, eCols, &rows{n: nEmp, row: func(i int) []any {
		empIDs[i] = models.NewID()
		h := heads[i%len(heads)]
		return with(eCols, eTmpl, map[string]any{"id": empIDs[i], "worker_id": workerIDs[i], "employer_id": h.ID,
			"mission_id": h.MissionID, "status": models.StatusActive, "start_date": startDate, "arrival_date": arrival,
			"created_at": now, "updated_at": now})
	}})
	if err != nil {
		return fmt.Errorf("copy employments: %w", err)
	}
	fx.Counts.Employments = int(n)

	// Appointment j of employment e: index k*N+e, 10 minutes apart (each
	// slot distinct in Room 1), the last one two years ahead.
	aCols := []string{"id", "employment_id", "mission_id", "kind", "status", "window_start", "window_end",
		"starts_at", "ends_at", "room", "language", "created_at", "updated_at"}
	kinds := []string{models.KindRegistration, models.KindCheckin, models.KindCheckin, models.KindCheckin, models.KindRenewal}
	past := now.Truncate(time.Hour).Add(-time.Hour)
	future := now.Truncate(time.Hour).AddDate(2, 0, 0)
	n, err = tx.CopyFrom(ctx, pgx.Identifier{"appointments"}, aCols, &rows{n: nEmp * perEmp, row: func(idx int) []any {
		k, e := idx/nEmp, idx%nEmp
		var at time.Time
		status := models.AppointmentAttended
		switch {
		case k == perEmp-1:
			status, at = models.AppointmentScheduled, future.Add(time.Duration(idx)*10*time.Minute)
		case k == perEmp-2:
			status, at = models.AppointmentMissed, past.Add(-time.Duration(idx)*10*time.Minute)
		default:
			at = past.Add(-time.Duration(idx) * 10 * time.Minute)
		}
		end := at.Add(45 * time.Minute)
		day := models.DateOf(at)
		return []any{models.NewID(), empIDs[e], heads[e%len(heads)].MissionID, kinds[k%len(kinds)], status,
			day.AddDate(0, 0, -7), day.AddDate(0, 0, 7), at, end, "Room 1", "tl", now, now}
	}})
	if err != nil {
		return fmt.Errorf("copy appointments: %w", err)
	}
	fx.Counts.Appointments = int(n)
	if err := tx.Commit(ctx); err != nil {
		return err
	}
	fx.CopySeconds = time.Since(copyStart).Seconds()
	// VACUUM sets the visibility map as in a settled database (autovacuum
	// would, later): the list's index-only scan then reads no table pages.
	if _, err := conn.Exec(ctx, "VACUUM (ANALYZE)"); err != nil {
		return err
	}

	fx.Counts.Missions, fx.Counts.Employers, fx.Counts.FreeWorkers = len(fx.Missions), len(heads), nFree
	step := max(1, nEmp/sample)
	for i := 0; i < nEmp; i += step {
		fx.Workers = append(fx.Workers, workerIDs[i])
		fx.Employments = append(fx.Employments, empIDs[i])
	}
	fx.FreeWorkers = workerIDs[nEmp:]
	for i := nEmp; i < len(workerIDs); i++ {
		fx.FreeEmployer = append(fx.FreeEmployer, heads[i%len(heads)].ID)
	}
	fx.SeedSeconds = time.Since(start).Seconds()
	b, err := json.Marshal(fx)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, b, 0o600); err != nil {
		return err
	}
	fmt.Printf("seeded %d workers, %d employments, %d appointments in %.1f s (COPY %.1f s)\n",
		fx.Counts.Workers, fx.Counts.Employments, fx.Counts.Appointments, fx.SeedSeconds, fx.CopySeconds)
	return nil
}

// template reads every column of one row.
func template(ctx context.Context, tx pgx.Tx, table, id string) ([]string, []any, error) {
	rs, err := tx.Query(ctx, "SELECT * FROM "+pgx.Identifier{table}.Sanitize()+" WHERE id = $1", id)
	if err != nil {
		return nil, nil, err
	}
	defer rs.Close()
	if !rs.Next() {
		return nil, nil, fmt.Errorf("template %s %s not found", table, id)
	}
	vals, err := rs.Values()
	if err != nil {
		return nil, nil, err
	}
	var cols []string
	for _, f := range rs.FieldDescriptions() {
		cols = append(cols, f.Name)
	}
	return cols, vals, rs.Err()
}

// with is the template's values with some columns replaced.
func with(cols []string, tmpl []any, set map[string]any) []any {
	row := make([]any, len(cols))
	copy(row, tmpl)
	for i, c := range cols {
		if v, ok := set[c]; ok {
			row[i] = v
		}
	}
	return row
}

// rows is a pgx.CopyFromSource that makes each row on demand.
type rows struct {
	n, i int
	row  func(i int) []any
	cur  []any
}

func (r *rows) Next() bool {
	if r.i >= r.n {
		return false
	}
	r.cur = r.row(r.i)
	r.i++
	return true
}
func (r *rows) Values() ([]any, error) { return r.cur, nil }
func (r *rows) Err() error             { return nil }

// notification is a valid notification of an employment.
func notification(workerID, employerID string, start models.Date) models.EmploymentInput {
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
			AccidentInsuranceByEmployer: &t, ReturnTravelByEmployer: &t, NoticePeriodDays: integer(30),
			Duties: []string{"housekeeping"}, ContractLanguages: []string{"fr", "tl"},
		},
	}
}
