package store

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
)

// ComplianceReport computes the compliance report for q's period and
// scope, as the actor may see it: exact for admins, officers and the
// system, suppressed for auditors (q.MinCell), refused to missions
// (EFORBIDDEN). Every figure comes from aggregate SQL statements (see
// reportSources), each returning one row per mission; nothing is loaded
// row by row. The generation is audited (no personal data is read).
func (db *DB) ComplianceReport(ctx context.Context, q models.ReportQuery) (*models.Report, error) {
	a := models.ActorFrom(ctx)
	switch a.Role {
	case models.RoleAdmin, models.RoleOfficer, models.RoleAuditor, models.RoleSystem:
	default:
		return nil, models.Errorf(models.EFORBIDDEN, "Compliance reports are for the protocol office and auditors.")
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	counts, err := db.reportCounts(ctx, q)
	if err != nil {
		return nil, err
	}
	detail := q.From.String() + ".." + q.To.String()
	if q.MissionID != "" {
		detail += " mission=" + q.MissionID
	}
	if err := db.Audit(ctx, models.ActionRead, "report", "compliance", detail); err != nil {
		return nil, translate(err, "report")
	}
	return models.BuildReport(q, counts, db.now(), a.Role == models.RoleAuditor), nil
}

// reportCounts runs the report's statements in one transaction and returns
// the exact figures. An unknown mission gives EINVALID naming mission_id.
func (db *DB) reportCounts(ctx context.Context, q models.ReportQuery) (*models.ReportCounts, error) {
	out := models.NewReportCounts()
	err := db.tx(ctx, func(tx *gorm.DB) error {
		out.AsOf = db.now()
		if db.dialect == migrations.Postgres {
			// The statements are short scans and joins: compiling them
			// (JIT) cost more than running them on the benchmark data
			// (0.9 s of 3.9 s at 100,000 employments), and the sorts and
			// hashes of 100,000 rows spilled to disk at the default
			// work_mem. Both settings end with the transaction.
			if err := tx.Exec("SET LOCAL jit = off").Error; err != nil {
				return err
			}
			if err := tx.Exec("SET LOCAL work_mem = '64MB'").Error; err != nil {
				return err
			}
		}
		p, err := db.reportParams(tx, q)
		if err != nil {
			return err
		}
		missions := tx.Model(&models.Mission{}).Select("id", "name").Order("name, id")
		if q.MissionID != "" {
			missions = missions.Where("id = ?", q.MissionID)
		}
		if err := missions.Find(&out.Missions).Error; err != nil {
			return err
		}
		if q.MissionID != "" && len(out.Missions) == 0 {
			return &models.Error{Code: models.EINVALID, Message: "The report names a mission that does not exist.",
				Fields: map[string]string{"mission_id": "no such mission"}}
		}
		for _, src := range reportSources {
			if err := src(tx, p, out); err != nil {
				return err
			}
		}
		out.Available[models.SourceRegistry] = true
		return nil
	})
	if err != nil {
		return nil, translate(err, "report")
	}
	return out, nil
}

// reportSource computes some of a report's figures into out, with one or a
// few aggregate statements grouped by mission. A source that fills a
// section other than the registry's marks it available
// (out.Available[models.SourceInterviews] = true).
//
// The interviews, referrals and cases sections plug in here: a source that
// counts interviews (metric "interviews", "risk.<level>" and
// "indicator.<indicator>" per mission), referrals ("referrals",
// "referral.<kind>") or cases ("cases_opened", "cases_closed",
// "cases_open_at_end", and the median "median_days_flag_to_action" per
// mission and for "" with p.median) is appended to reportSources; the
// section definitions are already in models.ReportSections.
type reportSource func(tx *gorm.DB, p *reportParams, out *models.ReportCounts) error

var reportSources = []reportSource{
	reportEmployments, reportQuota, reportArrivals, reportAppointments, reportLanguages,
	reportPay, reportExits, reportSanctions,
}

// reportParams are the named parameters and the dialect's SQL pieces the
// statements share.
type reportParams struct {
	db      *DB
	q       models.ReportQuery
	args    map[string]any
	scope   func(column string) string // "AND column = @mission" or ""
	policy  *models.Policy             // in force at the period's end; nil if none
	pg      bool
	farDate models.Date
}

func (db *DB) reportParams(tx *gorm.DB, q models.ReportQuery) (*reportParams, error) {
	far := models.Date{Year: 9999, Month: 12, Day: 31}
	p := &reportParams{db: db, q: q, pg: db.dialect == migrations.Postgres, farDate: far,
		args: map[string]any{
			"from": q.From, "to": q.To, "far": far,
			"from_ts": q.From.Time(), "to_ts": q.To.AddDate(0, 0, 1).Time(),
			"from_month": q.From.String()[:7], "to_month": q.To.String()[:7],
			"from_idx": q.MonthIndex(q.From), "to_idx": q.MonthIndex(q.To),
			"mission": q.MissionID,
		}}
	p.scope = func(column string) string {
		if q.MissionID == "" {
			return ""
		}
		return " AND " + column + " = @mission"
	}
	pol, err := policyInForce(tx, q.To)
	switch {
	case err == nil:
		p.policy = pol
	case models.ErrorCode(err) != models.ENOTFOUND:
		return nil, err
	}
	return p, nil
}

// Dialect pieces: the only SQL that differs between PostgreSQL and SQLite.

// scan names the table a statement reads from end to end. SQLite would
// otherwise walk the mission index to save sorting 150 groups and fetch
// each row from the table out of order, which costs several times a
// straight scan once the table outgrows its page cache (2.5x less CPU on
// the 100,000-employment benchmark data); with one mission in scope the
// index is the right path and stays allowed.
func (p *reportParams) scan(table, alias string) string {
	if p.pg || p.q.MissionID != "" {
		return table + " " + alias
	}
	return table + " " + alias + " NOT INDEXED"
}

// day is the UTC calendar date of a timestamp column.
func (p *reportParams) day(col string) string {
	if p.pg {
		return "CAST(" + col + " AT TIME ZONE 'UTC' AS date)"
	}
	return "date(" + col + ")"
}

// days is the number of days from the date earlier to the date later.
func (p *reportParams) days(later, earlier string) string {
	if p.pg {
		return "(" + later + " - " + earlier + ")"
	}
	return "CAST(julianday(" + later + ") - julianday(" + earlier + ") AS INTEGER)"
}

// monthIndex numbers a date column's month (year*12 + month).
func (p *reportParams) monthIndex(col string) string {
	if p.pg {
		return "(CAST(EXTRACT(YEAR FROM " + col + ") AS integer) * 12 + CAST(EXTRACT(MONTH FROM " + col + ") AS integer))"
	}
	return "(CAST(substr(" + col + ", 1, 4) AS INTEGER) * 12 + CAST(substr(" + col + ", 6, 2) AS INTEGER))"
}

// monthText is a date column's month as 'YYYY-MM'.
func (p *reportParams) monthText(col string) string {
	if p.pg {
		return "to_char(" + col + ", 'YYYY-MM')"
	}
	return "substr(" + col + ", 1, 7)"
}

// daysBetween is the number of days (with a fraction) from the timestamp
// earlier to the timestamp later.
func (p *reportParams) daysBetween(later, earlier string) string {
	if p.pg {
		return "(EXTRACT(EPOCH FROM (" + later + " - " + earlier + ")) / 86400)"
	}
	return "(julianday(" + later + ") - julianday(" + earlier + "))"
}

func (p *reportParams) greatest(a, b string) string {
	if p.pg {
		return "GREATEST(" + a + ", " + b + ")"
	}
	return "MAX(" + a + ", " + b + ")"
}

func (p *reportParams) least(a, b string) string {
	if p.pg {
		return "LEAST(" + a + ", " + b + ")"
	}
	return "MIN(" + a + ", " + b + ")"
}

// Shared conditions on employments e: the statuses of an employment that
// has begun, its last day (end, else departure, else open), and whether it
// runs during the period or on its last day.
const (
	begun = "e.status IN ('active', 'suspended', 'ended')"
	last  = "COALESCE(e.end_date, e.departure_date, @far)"
)

func activeIn(from, to string) string {
	return begun + " AND e.start_date <= " + to + " AND " + last + " >= " + from
}

// collect runs a statement whose first column is a mission id and whose
// other columns are named after metrics, and records every value.
func (p *reportParams) collect(tx *gorm.DB, out *models.ReportCounts, query string) error {
	rows, err := tx.Raw(query, p.args).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]sql.NullFloat64, len(cols)-1)
	dest := make([]any, len(cols))
	var mission sql.NullString
	dest[0] = &mission
	for i := range vals {
		dest[i+1] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		for i, v := range vals {
			if v.Valid {
				out.Set(cols[i+1], mission.String, v.Float64)
			}
		}
	}
	return rows.Err()
}

// sum counts the rows meeting cond.
func sum(cond, name string) string {
	return "SUM(CASE WHEN " + cond + " THEN 1 ELSE 0 END) AS " + name
}

// reportEmployments: the register (active, entries) and the contracts
// section, and the employment-months the pay coverage is taken over, in
// one pass over the employments that ran during the period.
func reportEmployments(tx *gorm.DB, p *reportParams, out *models.ReportCounts) error {
	floors := "1 = 0"
	if pol := p.policy; pol != nil {
		p.args["pol_id"], p.args["pol_cur"], p.args["pol_wage"] = pol.ID, pol.Currency, pol.MinMonthlyNetWageMinor
		p.args["pol_hours"], p.args["pol_rest"], p.args["pol_wrest"] = pol.MaxWeeklyHours, pol.MinDailyRestHours, pol.MinWeeklyRestDays
		p.args["pol_leave"], p.args["pol_hol"], p.args["pol_ot"] = pol.MinAnnualLeaveWeeks, pol.MinPublicHolidays, pol.MinOvertimePremiumPct
		p.args["pol_night"], p.args["pol_sun"], p.args["pol_notice"] = pol.MinNightPremiumPct, pol.MinSundayPremiumPct, pol.MinNoticePeriodDays
		conds := []string{"e.terms_currency = @pol_cur", "e.terms_monthly_net_wage_minor >= @pol_wage",
			"e.terms_weekly_hours <= @pol_hours", "e.terms_daily_rest_hours >= @pol_rest", "e.terms_weekly_rest_days >= @pol_wrest",
			"e.terms_annual_leave_weeks >= @pol_leave", "e.terms_public_holidays >= @pol_hol", "e.terms_overtime_premium_pct >= @pol_ot",
			"e.terms_night_premium_pct >= @pol_night", "e.terms_sunday_premium_pct >= @pol_sun", "e.terms_notice_period_days >= @pol_notice"}
		for col, required := range map[string]bool{
			"own_lockable_room": pol.OwnLockableRoomRequired, "paid_into_sole_name_account": pol.SoleNameAccountRequired,
			"worker_keeps_passport": pol.WorkerKeepsPassportRequired, "own_phone_and_family_contact": pol.FamilyContactRequired,
			"health_insurance_by_employer": pol.HealthInsuranceRequired, "accident_insurance_by_employer": pol.AccidentInsuranceRequired,
			"return_travel_by_employer": pol.ReturnTravelRequired,
		} {
			if required {
				conds = append(conds, "e.terms_"+col)
			}
		}
		sort.Strings(conds)
		floors = strings.Join(conds, " AND ")
	} else {
		p.args["pol_id"] = ""
	}
	// Both parties signed (a party signs a version once): PostgreSQL
	// hashes the signatures counted per contract, SQLite looks each
	// contract's up by its (contract_id, party) key.
	signed, signatures := "(SELECT COUNT(*) FROM contract_signatures s WHERE s.contract_id = c.id) >= 2", ""
	if p.pg && p.q.MissionID == "" { // (one mission: its few contracts looked up by key)
		signed = "s.n >= 2"
		signatures = "\nLEFT JOIN (SELECT contract_id, COUNT(*) AS n FROM contract_signatures GROUP BY contract_id) s ON s.contract_id = c.id"
	}
	months := p.least(p.monthIndex(last), "@to_idx") + " - " + p.greatest(p.monthIndex("e.start_date"), "@from_idx") + " + 1"
	query := `SELECT e.mission_id AS k,
  COUNT(*) AS active,
  ` + sum("e.start_date >= @from", "entries") + `,
  ` + sum("c.id IS NOT NULL", "with_contract") + `,
  ` + sum("c.policy_id = @pol_id", "current_policy") + `,
  ` + sum(signed, "signed") + `,
  ` + sum("w.languages LIKE '%\"' || c.worker_language || '\"%'", "worker_language") + `,
  ` + sum(floors, "meets_floors") + `,
  SUM(` + months + `) AS employment_months
FROM ` + p.scan("employments", "e") + `
LEFT JOIN contracts c ON c.employment_id = e.id AND c.status = 'current'
LEFT JOIN workers w ON w.id = e.worker_id AND c.id IS NOT NULL` + signatures + `
WHERE ` + activeIn("@from", "@to") + p.scope("e.mission_id") + `
GROUP BY e.mission_id`
	return p.collect(tx, out, query)
}

// reportQuota: households over the quota of the policy in force at the
// period's end, counting the employments running on its last day.
func reportQuota(tx *gorm.DB, p *reportParams, out *models.ReportCounts) error {
	if p.policy == nil || len(p.policy.HouseholdQuota) == 0 {
		return nil
	}
	ranks := make([]string, 0, len(p.policy.HouseholdQuota))
	for r := range p.policy.HouseholdQuota {
		ranks = append(ranks, r)
	}
	sort.Strings(ranks)
	var cases strings.Builder
	cases.WriteString("CASE em.rank")
	for i, r := range ranks {
		n := strconv.Itoa(i)
		p.args["rank"+n], p.args["quota"+n] = r, p.policy.HouseholdQuota[r]
		cases.WriteString(" WHEN @rank" + n + " THEN CAST(@quota" + n + " AS integer)")
	}
	cases.WriteString(" END")
	query := `SELECT k, COUNT(*) AS over_quota_households, SUM(n - q) AS over_quota_employments FROM (
  SELECT em.mission_id AS k, COUNT(*) AS n, ` + cases.String() + ` AS q
  FROM ` + p.scan("employments", "e") + ` JOIN employers em ON em.id = e.employer_id
  WHERE ` + activeIn("@to", "@to") + p.scope("e.mission_id") + `
  GROUP BY em.mission_id, em.id, em.rank) x
WHERE q IS NOT NULL AND n > q
GROUP BY k`
	return p.collect(tx, out, query)
}

// reportArrivals: arrivals in the period, those registered in person (an
// attended registration appointment), those registered within their
// policy's arrival_registration_days, and the median days it took (by
// window functions, per mission and for all).
func reportArrivals(tx *gorm.DB, p *reportParams, out *models.ReportCounts) error {
	// The registration is looked up for the period's arrivals only, by
	// the appointments' (employment_id, kind, window_start) key.
	reg := `(SELECT MIN(` + p.day("a.starts_at") + `) FROM appointments a
    WHERE a.employment_id = e.id AND a.kind = 'registration' AND a.status = 'attended' AND a.starts_at IS NOT NULL)`
	base := `SELECT e.mission_id AS k, ` + p.days(reg, "e.arrival_date") + ` AS d, pol.arrival_registration_days AS lim
  FROM ` + p.scan("employments", "e") + `
  JOIN policies pol ON pol.id = e.policy_id
  WHERE e.arrival_date >= @from AND e.arrival_date <= @to` + p.scope("e.mission_id")
	query := `SELECT k, COUNT(*) AS arrivals, ` + sum("d IS NOT NULL", "registered") + `, ` +
		sum("d IS NOT NULL AND d <= lim", "registered_on_time") + ` FROM (` + base + `) x GROUP BY k`
	if err := p.collect(tx, out, query); err != nil {
		return err
	}
	return p.collect(tx, out, median(`SELECT k, d FROM (`+base+`) x WHERE d IS NOT NULL`, "median_days_to_registration"))
}

// median wraps a statement of (k, d) rows into one that returns the median
// of d per k and over all rows (k ""), computed with window functions:
// the middle row, or the mean of the two middle rows.
func median(rows, name string) string {
	return `WITH v AS (` + rows + `),
b AS (SELECT k, d FROM v UNION ALL SELECT '' AS k, d FROM v),
r AS (SELECT k, d, ROW_NUMBER() OVER (PARTITION BY k ORDER BY d) AS rn, COUNT(*) OVER (PARTITION BY k) AS n FROM b)
SELECT k, CAST(AVG(CAST(d AS double precision)) AS double precision) AS ` + name + `
FROM r WHERE rn = (n + 1) / 2 OR rn = (n + 2) / 2 GROUP BY k`
}

// reportAppointments: check-ins (and renewal interviews) due in the period
// by their window's last day, by outcome, and rights briefings held
// (attended registrations and group briefings) in the period.
func reportAppointments(tx *gorm.DB, p *reportParams, out *models.ReportCounts) error {
	due := "a.kind IN ('checkin', 'renewal') AND a.window_end >= @from AND a.window_end <= @to AND a.status NOT IN ('cancelled', 'rescheduled')"
	held := "a.kind IN ('registration', 'briefing') AND a.status = 'attended' AND a.starts_at >= @from_ts AND a.starts_at < @to_ts"
	onTime := p.day("a.starts_at") + " <= a.window_end"
	query := `SELECT a.mission_id AS k,
  ` + sum(due, "checkins_due") + `,
  ` + sum(due+" AND a.status = 'attended' AND "+onTime, "checkins_on_time") + `,
  ` + sum(due+" AND a.status = 'attended' AND NOT ("+onTime+")", "checkins_late") + `,
  ` + sum(due+" AND a.status = 'missed'", "checkins_missed") + `,
  ` + sum(due+" AND a.status = 'employer_present'", "checkins_employer_present") + `,
  ` + sum(due+" AND a.status = 'scheduled'", "checkins_open") + `,
  ` + sum(held, "briefings") + `
FROM ` + p.scan("appointments", "a") + `
WHERE ((` + due + `) OR (` + held + `))` + p.scope("a.mission_id") + `
GROUP BY a.mission_id`
	return p.collect(tx, out, query)
}

// reportLanguages: briefings held per language ("language.<tag>").
func reportLanguages(tx *gorm.DB, p *reportParams, out *models.ReportCounts) error {
	rows, err := tx.Raw(`SELECT a.mission_id, a.language, COUNT(*) FROM `+p.scan("appointments", "a")+`
WHERE a.kind IN ('registration', 'briefing') AND a.status = 'attended' AND a.starts_at >= @from_ts AND a.starts_at < @to_ts`+
		p.scope("a.mission_id")+` GROUP BY a.mission_id, a.language`, p.args).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var mission, lang string
		var n float64
		if err := rows.Scan(&mission, &lang, &n); err != nil {
			return err
		}
		if lang == "" {
			lang = "und"
		}
		out.Set("language."+lang, mission, n)
	}
	return rows.Err()
}

// reportPay: months with proof of pay into a sole-name account, among the
// months each employment ran in the period; and the employments running
// on the period's last day whose newest insurance evidence expired before
// it, or that have none.
func reportPay(tx *gorm.DB, p *reportParams, out *models.ReportCounts) error {
	proof := `SELECT e.mission_id AS k, COUNT(*) AS months_with_proof
FROM (SELECT DISTINCT employment_id, month FROM evidence
      WHERE kind = 'pay' AND sole_name_account AND month >= @from_month AND month <= @to_month` + p.scope("mission_id") + `) v
JOIN employments e ON e.id = v.employment_id
WHERE ` + begun + ` AND ` + p.monthText("e.start_date") + ` <= v.month AND ` + p.monthText(last) + ` >= v.month
GROUP BY e.mission_id`
	if err := p.collect(tx, out, proof); err != nil {
		return err
	}
	// The newest expiry per employment: PostgreSQL hashes them all,
	// SQLite looks each employment's up in the (employment_id, kind,
	// valid_until) index.
	until := "(SELECT MAX(v.valid_until) FROM evidence v WHERE v.employment_id = e.id AND v.kind = 'insurance')"
	join := ""
	if p.pg {
		until = "i.until"
		join = "\n      LEFT JOIN (SELECT employment_id, MAX(valid_until) AS until FROM evidence WHERE kind = 'insurance'" + p.scope("mission_id") +
			" GROUP BY employment_id) i ON i.employment_id = e.id"
	}
	insurance := `SELECT k, ` + sum("until IS NULL", "insurance_missing") + `, ` + sum("until < @to", "insurance_expired") + `
FROM (SELECT e.mission_id AS k, ` + until + ` AS until
      FROM ` + p.scan("employments", "e") + join + `
      WHERE ` + activeIn("@to", "@to") + p.scope("e.mission_id") + `) x
GROUP BY k`
	return p.collect(tx, out, insurance)
}

// reportExits: employments that ended in the period (by departure, else
// end date), with proof of final pay, of return travel paid, and whether
// their exit evidence pack was complete when they ended. The registry ends
// an employment only with a complete pack (models.ComputeExitPack) or an
// officer's waiver, which goes on its timeline and stays there after
// retention: an exit without a waiver had the complete pack.
func reportExits(tx *gorm.DB, p *reportParams, out *models.ReportCounts) error {
	has := func(kind string) string {
		return "EXISTS (SELECT 1 FROM evidence v WHERE v.employment_id = e.id AND v.kind = '" + kind + "')"
	}
	waived := "EXISTS (SELECT 1 FROM timeline_events t WHERE t.employment_id = e.id AND t.kind = '" + models.EventExitPackWaived + "')"
	query := `SELECT e.mission_id AS k, COUNT(*) AS exits,
  ` + sum(has("final_pay"), "exits_final_pay") + `,
  ` + sum(has("return_travel"), "exits_return_travel") + `,
  ` + sum("NOT "+waived, "exits_complete_pack") + `,
  ` + sum(waived, "exits_pack_waived") + `
FROM ` + p.scan("employments", "e") + `
WHERE e.status = 'ended' AND COALESCE(e.departure_date, e.end_date) >= @from AND COALESCE(e.departure_date, e.end_date) <= @to` +
		p.scope("e.mission_id") + `
GROUP BY e.mission_id`
	return p.collect(tx, out, query)
}

// reportSanctions: suspensions and restorations decided in the period,
// subjects whose newest register entry on the period's last day is a
// suspension, and notifications refused because of a suspension (from
// the audit trail, whose detail names the mission).
func reportSanctions(tx *gorm.DB, p *reportParams, out *models.ReportCounts) error {
	query := `SELECT s.mission_id AS k,
  ` + sum("s.action = 'suspend' AND s.created_at >= @from_ts", "suspensions") + `,
  ` + sum("s.action = 'restore' AND s.created_at >= @from_ts", "restorations") + `,
  ` + sum("s.action = 'suspend' AND NOT EXISTS (SELECT 1 FROM sanctions t WHERE t.subject_id = s.subject_id AND t.created_at < @to_ts AND t.id > s.id)", "suspended_at_end") + `
FROM sanctions s
WHERE s.created_at < @to_ts` + p.scope("s.mission_id") + `
GROUP BY s.mission_id`
	if err := p.collect(tx, out, query); err != nil {
		return err
	}
	p.args["refused_prefix"] = models.RefusedSuspendedPrefix + "%"
	p.args["refused_detail"] = models.RefusedSuspendedPrefix + p.q.MissionID
	scope := ""
	if p.q.MissionID != "" {
		scope = " AND detail = @refused_detail"
	}
	refused := `SELECT substr(detail, ` + strconv.Itoa(len(models.RefusedSuspendedPrefix)+1) + `) AS k, COUNT(*) AS refused_notifications
FROM audit_events
WHERE action = 'refuse' AND object_type = 'employment' AND detail LIKE @refused_prefix AND at >= @from_ts AND at < @to_ts` + scope + `
GROUP BY detail`
	return p.collect(tx, out, refused)
}
