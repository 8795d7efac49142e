package store_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// BenchmarkReport times the compliance report (a year, every mission, as
// an auditor: the whole path, suppression and the audit row included)
// over a seeded registry: PDW_BENCH_REPORT_EMPLOYMENTS employments
// (default 10,000) across 150 missions, five appointments each, a
// current contract and a signature each, two months of pay evidence and
// one insurance record for every other employment. DESIGN.md's target is
// set at 100,000 employments and 500,000 appointments:
//
//	PDW_BENCH_REPORT_EMPLOYMENTS=100000 go test -run XXX -bench Report -benchtime 10x -timeout 1h ./models/store
//
// (seeding takes a few minutes on SQLite at that size). Besides ms/op and
// allocations it reports x_count: the report's time as a multiple of a
// plain SELECT COUNT(*) FROM appointments timed on the same database in
// the same run, so figures compare across machines.
func BenchmarkReport(b *testing.B) {
	n := 10000
	if v := os.Getenv("PDW_BENCH_REPORT_EMPLOYMENTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 150 {
			b.Fatalf("PDW_BENCH_REPORT_EMPLOYMENTS=%q: want a number of at least 150", v)
		}
	}
	for _, dialect := range storetest.Dialects() {
		b.Run(dialect, func(b *testing.B) {
			db := storetest.Open(b, dialect)
			seedReport(b, db, n)
			ctx := models.WithActor(context.Background(), models.Actor{UserID: "bench", Role: models.RoleAuditor})
			q := models.ReportQuery{From: storetest.Date("2026-01-01"), To: storetest.Date("2026-12-31"), MinCell: 5}

			// The anchor: a plain count over the appointments, best of 20.
			var base time.Duration
			for i := 0; i < 20; i++ {
				start := time.Now()
				var c int64
				if err := store.GormForTest(db).Raw("SELECT COUNT(*) FROM appointments").Scan(&c).Error; err != nil || c != int64(5*n) {
					b.Fatalf("count: %d %v", c, err)
				}
				if d := time.Since(start); base == 0 || d < base {
					base = d
				}
			}
			var one string
			if err := store.GormForTest(db).Raw("SELECT id FROM missions ORDER BY name LIMIT 1").Scan(&one).Error; err != nil {
				b.Fatal(err)
			}
			// "all": every mission (150) at once; "mission": one mission's
			// report, the shape of the anchor in research/perf-anchors.md.
			for _, scope := range []struct{ name, mission string }{{"all", ""}, {"mission", one}} {
				b.Run(scope.name, func(b *testing.B) {
					q := q
					q.MissionID = scope.mission
					r, err := db.ComplianceReport(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					if got := r.Metric("active").Total.Value; got == 0 {
						b.Fatalf("the report counts no active employment")
					}
					b.ReportAllocs()
					cpu0 := cpuTime()
					b.ResetTimer()
					for b.Loop() {
						if _, err := db.ComplianceReport(ctx, q); err != nil {
							b.Fatal(err)
						}
					}
					b.StopTimer()
					per := b.Elapsed() / time.Duration(b.N)
					b.ReportMetric(float64(per)/float64(base), "x_count")
					b.ReportMetric(float64(base.Microseconds())/1000, "count_ms")
					// The process's CPU time per report: on SQLite that is the
					// database's work too, and less disturbed than wall time by
					// other processes on a shared machine.
					b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu_ms/op")
				})
			}
		})
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// seedReport fills db with n employments and 5n appointments in batched
// inserts, in one transaction.
func seedReport(b *testing.B, db *store.DB, n int) {
	b.Helper()
	policy := storetest.LoadPreset(b, db, "ch-pheo-2011")
	now := storetest.Now
	day := func(d models.Date, add int) models.Date { return d.AddDate(0, 0, add) }
	start0 := storetest.Date("2021-01-01")
	batch := func(tx *gorm.DB, v any, cols int) error {
		rows := 40000 / (cols + 10) // columns added by later migrations fit too
		if db.Dialect() == "sqlite" {
			rows = max(1, 256/cols)
		}
		return tx.CreateInBatches(v, rows).Error
	}
	err := store.GormForTest(db).Transaction(func(tx *gorm.DB) error {
		missions := make([]models.Mission, 150)
		for i := range missions {
			missions[i] = models.Mission{ID: models.NewID(), Name: fmt.Sprintf("Mission %03d", i), Kind: models.MissionEmbassy,
				Country: "PH", FocalPointEmail: "m@x.example", CreatedAt: now, UpdatedAt: now}
		}
		if err := batch(tx, &missions, 8); err != nil {
			return err
		}
		employers := make([]models.Employer, n/2)
		for i := range employers {
			rank := models.RankHeadOfMission
			if i%3 == 0 {
				rank = models.RankDiplomat
			}
			employers[i] = models.Employer{ID: models.NewID(), MissionID: missions[i%150].ID, FullName: "E", Rank: rank,
				Immunity: "full", CreatedAt: now, UpdatedAt: now}
		}
		if err := batch(tx, &employers, 9); err != nil {
			return err
		}
		terms := models.Terms{MonthlyNetWageMinor: 120000, Currency: "CHF", WeeklyHours: 45, DailyRestHours: 11, WeeklyRestDays: 1.5,
			AnnualLeaveWeeks: 4, PublicHolidays: 8, OvertimePremiumPct: 25, OwnLockableRoom: true, PaidIntoSoleNameAccount: true,
			WorkerKeepsPassport: true, OwnPhoneAndFamilyContact: true, HealthInsuranceByEmployer: true, AccidentInsuranceByEmpl: true,
			ReturnTravelByEmployer: true, NoticePeriodDays: 30, Duties: models.Strings{"housekeeping"}, ContractLanguages: models.Strings{"fr", "tl"}}
		const chunk = 5000
		for lo := 0; lo < n; lo += chunk {
			hi := min(n, lo+chunk)
			workers := make([]models.Worker, 0, hi-lo)
			emps := make([]models.Employment, 0, hi-lo)
			contracts := make([]models.ContractVersion, 0, hi-lo)
			sigs := make([]models.ContractSignature, 0, hi-lo)
			appts := make([]models.Appointment, 0, 5*(hi-lo))
			evidence := make([]models.Evidence, 0, 3*(hi-lo))
			for i := lo; i < hi; i++ {
				dob := storetest.Date("1990-01-01")
				w := models.Worker{ID: models.NewID(), FullName: "W", Sex: "f", Nationality: "PH", DateOfBirth: &dob,
					Languages: models.Strings{"tl", "en"}, CreatedAt: now, UpdatedAt: now}
				workers = append(workers, w)
				em := employers[i%len(employers)]
				start := day(start0, (i*37)%2000) // 2021-01-01 .. mid 2026
				arrival := day(start, i%12)
				e := models.Employment{ID: models.NewID(), WorkerID: w.ID, EmployerID: em.ID, MissionID: em.MissionID, PolicyID: policy.ID,
					Status: models.StatusActive, StartDate: start, ArrivalDate: &arrival, Terms: terms, CreatedAt: now, UpdatedAt: now}
				switch i % 10 {
				case 0, 1:
					end := day(start, 300+i%400)
					e.Status, e.EndDate, e.DepartureDate = models.StatusEnded, &end, &end
				case 2:
					e.Status = models.StatusApproved
				}
				emps = append(emps, e)
				c := models.ContractVersion{ID: models.NewID(), EmploymentID: e.ID, MissionID: e.MissionID, PolicyID: policy.ID, Version: 1,
					Status: models.ContractCurrent, HostLanguage: "fr", WorkerLanguage: "tl", Terms: terms, HostTextVersion: "1",
					WorkerTextVersion: "1", SHA256: "x", SizeBytes: 1, VerifyCode: models.NewID(), IssuedAt: now, CreatedAt: now, UpdatedAt: now}
				contracts = append(contracts, c)
				sigs = append(sigs, models.ContractSignature{ID: models.NewID(), ContractID: c.ID, Party: models.PartyEmployer,
					SignedOn: start, Place: "Bern", RecordedBy: "b", CreatedAt: now, UpdatedAt: now})
				statuses := []string{models.AppointmentAttended, models.AppointmentAttended, models.AppointmentAttended,
					models.AppointmentMissed, models.AppointmentScheduled, models.AppointmentEmployerPresent}
				for k := 0; k < 5; k++ {
					kind := models.KindCheckin
					ws := day(start, 365*k)
					switch k {
					case 0:
						kind, ws = models.KindRegistration, arrival
					case 4:
						kind, ws = models.KindRenewal, day(start, 365*3+200)
					}
					at := time.Date(ws.Year, ws.Month, ws.Day, 8, 0, 0, 0, time.UTC).Add(time.Duration(i%500) * time.Minute)
					ends := at.Add(45 * time.Minute)
					appts = append(appts, models.Appointment{ID: models.NewID(), EmploymentID: e.ID, MissionID: e.MissionID, Kind: kind,
						Status: statuses[(i+k)%len(statuses)], WindowStart: ws, WindowEnd: day(ws, 14+i%20), StartsAt: &at, EndsAt: &ends,
						Room: "R" + strconv.Itoa(i), Language: []string{"tl", "en", "am"}[i%3], CreatedAt: now, UpdatedAt: now})
				}
				if i%2 == 0 {
					for _, m := range []string{"2026-03", "2026-04"} {
						evidence = append(evidence, models.Evidence{ID: models.NewID(), EmploymentID: e.ID, MissionID: e.MissionID,
							Kind: models.EvidencePay, Month: m, SoleNameAccount: true, RecordedBy: "b", RecordedRole: "officer", CreatedAt: now})
					}
					until := day(start, 700)
					evidence = append(evidence, models.Evidence{ID: models.NewID(), EmploymentID: e.ID, MissionID: e.MissionID,
						Kind: models.EvidenceInsurance, Insurance: "health", ValidUntil: &until, RecordedBy: "b", RecordedRole: "officer", CreatedAt: now})
				}
			}
			for _, step := range []struct {
				v    any
				cols int
			}{{&workers, 15}, {&emps, 38}, {&contracts, 17}, {&sigs, 8}, {&appts, 18}, {&evidence, 13}} {
				if err := batch(tx, step.v, step.cols); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatalf("seed: %v", err)
	}
	if db.Dialect() == "postgres" {
		storetest.MustExec(b, db, "ANALYZE")
	}
}
