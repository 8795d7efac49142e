package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/pdw-registry/pdw/models"
)

// findSummariesPG runs query (selecting summaryColumns) on pgx itself,
// under database/sql's pool. database/sql would box every value into an
// interface first; here dates, numbers and floats are decoded in place,
// and a row's text columns arrive as bytes the driver owns: the ids are
// copied into one string per row, and the mission, status, currency and
// wage reuse the previous row's string when they repeat (as they do in a
// mission's page).
func (db *DB) findSummariesPG(ctx context.Context, query string, args []any, n int) ([]models.EmploymentSummary, error) {
	page := newSummaries(n)
	err := db.withPgx(ctx, func(c *pgx.Conn) error {
		rows, err := c.Query(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var (
			id, mission, employer, worker, status, currency pgtype.DriverBytes
			start                                           pgtype.Date
			dates                                           [4]pgtype.Date
			wage                                            int64
			hours                                           float64
			prev                                            models.EmploymentSummary
			prevWage                                        int64
			buf                                             []byte
		)
		dest := []any{&id, &mission, &employer, &worker, &status, &start,
			&dates[0], &dates[1], &dates[2], &dates[3], &wage, &currency, &hours}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			s, storage := page.add()
			buf = append(append(append(buf[:0], id...), employer...), worker...)
			ids := string(buf)
			s.ID, s.EmployerID, s.WorkerID = ids[:len(id)], ids[len(id):len(id)+len(employer)], ids[len(id)+len(employer):]
			s.MissionID = reuse(prev.MissionID, mission)
			s.Status = reuse(prev.Status, status)
			s.Currency = reuse(prev.Currency, currency)
			s.WeeklyHours = hours
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
			if prev.MonthlyNetWage != "" && wage == prevWage && s.Currency == prev.Currency {
				s.MonthlyNetWage = prev.MonthlyNetWage
			} else {
				s.MonthlyNetWage = models.FormatAmount(wage, s.Currency)
			}
			prev, prevWage = *s, wage
		}
		return rows.Err()
	})
	return page.out, err
}

// withPgx runs fn on a pooled connection through pgx itself rather than
// database/sql's driver interface, which boxes every value and builds a
// value converter per column for every query (the hot reads: GET one
// mission, list pages).
func (db *DB) withPgx(ctx context.Context, fn func(*pgx.Conn) error) error {
	conn, err := db.sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error { return fn(dc.(*stdlib.Conn).Conn()) })
}

// reuse returns last when b spells it, a new string otherwise.
func reuse(last string, b []byte) string {
	if string(b) == last {
		return last
	}
	return string(b)
}

// pgDate returns the calendar date of a non-null DATE; the registry never
// stores infinity, and refuses to read it as a date.
func pgDate(d pgtype.Date) (models.Date, error) {
	if !d.Valid || d.InfinityModifier != pgtype.Finite {
		return models.Date{}, errors.New("store: scan date: not a finite date")
	}
	return models.DateOf(d.Time), nil
}
