package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/pdw-registry/pdw/models"
)

// findSummariesPG runs query (selecting summaryColumns) on pgx itself,
// under database/sql's pool: dates, numbers and floats are decoded
// straight into the row's fields, where database/sql would box every
// value into an interface first (two thirds of the allocations of a page).
func findSummariesPG(ctx context.Context, sqlDB *sql.DB, query string, args []any, n int) ([]models.EmploymentSummary, error) {
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	page := newSummaries(n)
	err = conn.Raw(func(driverConn any) error {
		rows, err := driverConn.(*stdlib.Conn).Conn().Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var (
			start pgtype.Date
			dates [4]pgtype.Date
			wage  int64
		)
		for rows.Next() {
			s, storage := page.add()
			if err := rows.Scan(&s.ID, &s.MissionID, &s.EmployerID, &s.WorkerID, &s.Status, &start,
				&dates[0], &dates[1], &dates[2], &dates[3], &wage, &s.Currency, &s.WeeklyHours); err != nil {
				return err
			}
			if s.StartDate, err = pgDate(start); err != nil {
				return err
			}
			for i, p := range [...]**models.Date{&s.EndDate, &s.ArrivalDate, &s.DepartureDate, &s.IDCardExpiry} {
				if dates[i].Valid {
					if storage[i], err = pgDate(dates[i]); err != nil {
						return err
					}
					*p = &storage[i]
				}
			}
			s.MonthlyNetWage = models.FormatAmount(wage, s.Currency)
		}
		return rows.Err()
	})
	return page.out, err
}

// pgDate returns the calendar date of a non-null DATE; the registry never
// stores infinity, and refuses to read it as a date.
func pgDate(d pgtype.Date) (models.Date, error) {
	if !d.Valid || d.InfinityModifier != pgtype.Finite {
		return models.Date{}, errors.New("store: scan date: not a finite date")
	}
	return models.DateOf(d.Time), nil
}
