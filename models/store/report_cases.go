package store

import (
	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// The report's sections on interviews, indicators, referrals and cases.
// Interviews' answers are sealed (AES-256-GCM); the indicators they
// triggered are also kept in clear, without the worker, for this count.

func init() {
	reportSources = append(reportSources, reportInterviews, reportReferrals, reportCases, reportIndicators)
}

// reportInterviews: interviews recorded in the period, by risk level
// ("risk.<level>").
func reportInterviews(tx *gorm.DB, p *reportParams, out *models.ReportCounts) error {
	rows, err := tx.Raw(`SELECT i.mission_id, i.risk_level, COUNT(*) FROM interviews i
WHERE i.created_at >= @from_ts AND i.created_at < @to_ts`+p.scope("i.mission_id")+`
GROUP BY i.mission_id, i.risk_level`, p.args).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var mission, level string
		var n float64
		if err := rows.Scan(&mission, &level, &n); err != nil {
			return err
		}
		out.Set("risk."+level, mission, n)
		out.Values["interviews"] = addTo(out.Values["interviews"], mission, n)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	out.Available[models.SourceInterviews] = true
	return nil
}

// reportReferrals: referrals made in the period, by the kind of
// organisation referred to ("referral.<kind>").
func reportReferrals(tx *gorm.DB, p *reportParams, out *models.ReportCounts) error {
	rows, err := tx.Raw(`SELECT c.mission_id, o.kind, COUNT(*) FROM referrals r
JOIN cases c ON c.id = r.case_id
JOIN organisations o ON o.id = r.organisation_id
WHERE r.referred_at >= @from_ts AND r.referred_at < @to_ts`+p.scope("c.mission_id")+`
GROUP BY c.mission_id, o.kind`, p.args).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var mission, kind string
		var n float64
		if err := rows.Scan(&mission, &kind, &n); err != nil {
			return err
		}
		out.Set("referral."+kind, mission, n)
		out.Values["referrals"] = addTo(out.Values["referrals"], mission, n)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	out.Available[models.SourceReferrals] = true
	return nil
}

// reportCases: cases opened and closed in the period, open on its last
// day, and the median days from a case's opening (the flag) to the
// office's first action on it, over the cases opened in the period that
// had one.
func reportCases(tx *gorm.DB, p *reportParams, out *models.ReportCounts) error {
	query := `SELECT c.mission_id AS k,
  ` + sum("c.opened_at >= @from_ts", "cases_opened") + `,
  ` + sum("c.closed_at >= @from_ts AND c.closed_at < @to_ts", "cases_closed") + `,
  ` + sum("c.closed_at IS NULL OR c.closed_at >= @to_ts", "cases_open_at_end") + `
FROM cases c
WHERE c.opened_at < @to_ts` + p.scope("c.mission_id") + `
GROUP BY c.mission_id`
	if err := p.collect(tx, out, query); err != nil {
		return err
	}
	days := p.daysBetween("c.first_action_at", "c.opened_at")
	if err := p.collect(tx, out, median(`SELECT c.mission_id AS k, `+days+` AS d FROM cases c
  WHERE c.opened_at >= @from_ts AND c.opened_at < @to_ts AND c.first_action_at IS NOT NULL`+p.scope("c.mission_id"),
		"median_days_flag_to_action")); err != nil {
		return err
	}
	out.Available[models.SourceCases] = true
	return nil
}

// reportIndicators: the interviews held in the period that showed each
// ILO indicator ("indicator.<key>"), from the indicators kept in clear
// beside the sealed interview (interview_indicators).
func reportIndicators(tx *gorm.DB, p *reportParams, out *models.ReportCounts) error {
	rows, err := tx.Raw(`SELECT i.mission_id, i.indicator, COUNT(*) FROM interview_indicators i
WHERE i.recorded_at >= @from_ts AND i.recorded_at < @to_ts`+p.scope("i.mission_id")+`
GROUP BY i.mission_id, i.indicator`, p.args).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var mission, key string
		var n float64
		if err := rows.Scan(&mission, &key, &n); err != nil {
			return err
		}
		out.Set("indicator."+key, mission, n)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	out.Available[models.SourceIndicators] = true
	return nil
}

// addTo adds n to m[mission], making m if needed.
func addTo(m map[string]float64, mission string, n float64) map[string]float64 {
	if m == nil {
		m = map[string]float64{}
	}
	m[mission] += n
	return m
}
