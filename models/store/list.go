package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
)

// The list path reads with database/sql directly: a page is one indexed
// range scan (ORDER BY id after WHERE mission_id = ... uses the
// (mission_id, id) index) and its rows are scanned into plain fields,
// without GORM's per-row reflection.

// summaryColumns are the columns of a models.EmploymentSummary, in the
// order scanSummary reads them.
const summaryColumns = "id, mission_id, employer_id, worker_id, status, start_date, end_date, arrival_date, " +
	"departure_date, id_card_expiry, terms_monthly_net_wage_minor, terms_currency, terms_weekly_hours"

// FindEmployments returns one page of the employments the actor may see,
// as summaries (the terms are on FindEmploymentByID), and the cursor of
// the next page ("" at the end).
func (db *DB) FindEmployments(ctx context.Context, f models.EmploymentFilter) ([]models.EmploymentSummary, string, error) {
	w := db.where(ctx, "mission_id")
	w.eq("mission_id", f.MissionID)
	w.eq("employer_id", f.EmployerID)
	w.eq("worker_id", f.WorkerID)
	w.eq("status", f.Status)
	limit := pageLimit(f.Page)
	if f.Page.After != "" {
		w.add("id > ", f.Page.After)
	}
	// The limit is a parameter too: one prepared statement per filter
	// combination, not one per page size.
	w.args = append(w.args, limit+1)
	query := "SELECT " + summaryColumns + " FROM employments" + w.sql() + " ORDER BY id LIMIT " + w.placeholder()
	var out []models.EmploymentSummary
	var err error
	if db.dialect == migrations.Postgres {
		out, err = db.findSummariesPG(ctx, query, w.args, limit+1)
	} else {
		out, err = findSummaries(ctx, db.sqlDB, query, w.args, limit+1)
	}
	if err != nil {
		return nil, "", translate(err, "employment")
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, nil
}

// summaries collects up to max rows; the nullable dates of a page share
// one allocation.
type summaries struct {
	out   []models.EmploymentSummary
	dates []models.Date
	max   int
}

func newSummaries(n int) *summaries {
	return &summaries{out: make([]models.EmploymentSummary, 0, min(n, 64)), max: n}
}

// add returns the next summary to fill and the storage of its four
// nullable dates.
func (s *summaries) add() (*models.EmploymentSummary, []models.Date) {
	if len(s.dates) == 0 {
		s.dates = make([]models.Date, 4*max(min(s.max-len(s.out), 64), 1))
	}
	s.out = append(s.out, models.EmploymentSummary{})
	d := s.dates[:4:4]
	s.dates = s.dates[4:]
	return &s.out[len(s.out)-1], d
}

// findSummaries runs query (selecting summaryColumns) through database/sql.
func findSummaries(ctx context.Context, sqlDB *sql.DB, query string, args []any, n int) ([]models.EmploymentSummary, error) {
	rows, err := sqlDB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	page := newSummaries(n)
	for rows.Next() {
		if err := scanSummary(rows, page); err != nil {
			return nil, err
		}
	}
	return page.out, rows.Err()
}

// scanSummary reads one row of summaryColumns into the page.
func scanSummary(rows *sql.Rows, page *summaries) error {
	s, dates := page.add()
	var (
		nullDates [4]sql.Null[models.Date]
		wage      int64
	)
	if err := rows.Scan(&s.ID, &s.MissionID, &s.EmployerID, &s.WorkerID, &s.Status, &s.StartDate,
		&nullDates[0], &nullDates[1], &nullDates[2], &nullDates[3], &wage, &s.Currency, &s.WeeklyHours); err != nil {
		return err
	}
	for i, p := range []**models.Date{&s.EndDate, &s.ArrivalDate, &s.DepartureDate, &s.IDCardExpiry} {
		if nullDates[i].Valid {
			dates[i] = nullDates[i].V
			*p = &dates[i]
		}
	}
	s.MonthlyNetWage = models.FormatAmount(wage, s.Currency)
	return nil
}

// sqlWhere builds the WHERE clause of a hand-written query with the
// dialect's placeholders.
type sqlWhere struct {
	postgres bool
	conds    []string
	args     []any
}

// where starts a WHERE clause scoped to the actor's mission as scopeMission
// scopes a GORM query; column names the mission id column.
func (db *DB) where(ctx context.Context, column string) *sqlWhere {
	w := &sqlWhere{postgres: db.dialect == migrations.Postgres, args: make([]any, 0, 5)}
	if a := models.ActorFrom(ctx); a.Role == models.RoleMission {
		if a.MissionID == "" {
			w.conds = append(w.conds, "1 = 0")
		} else {
			w.add(column+" = ", a.MissionID)
		}
	}
	return w
}

// add appends the condition expr followed by a placeholder for v
// ("id > " and the cursor).
func (w *sqlWhere) add(expr string, v any) {
	w.args = append(w.args, v)
	w.conds = append(w.conds, expr+w.placeholder())
}

// placeholder returns the placeholder of the last argument.
func (w *sqlWhere) placeholder() string {
	if w.postgres {
		return "$" + strconv.Itoa(len(w.args))
	}
	return "?"
}

// eq adds column = v unless v is empty (an unset filter).
func (w *sqlWhere) eq(column, v string) {
	if v != "" {
		w.add(column+" = ", v)
	}
}

// sql returns " WHERE ..." or "" when there are no conditions.
func (w *sqlWhere) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}
