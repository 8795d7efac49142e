package models

import (
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Report formats.
const (
	ReportJSON = "json"
	ReportCSV  = "csv"
	ReportPDF  = "pdf"
)

// ReportFormats lists the formats of the compliance report.
var ReportFormats = []string{ReportJSON, ReportCSV, ReportPDF}

// DefaultReportMinCell is the default of PDW_REPORT_MIN_CELL: for an
// auditor, counts from 1 to one less than it are shown as "<5".
const DefaultReportMinCell = 5

// MaxReportMonths bounds a report's period (ten years).
const MaxReportMonths = 120

// ReportQuery asks for a compliance report: the period (both dates
// included), optionally one mission, and the smallest count an auditor may
// see (PDW_REPORT_MIN_CELL).
type ReportQuery struct {
	From, To  Date
	MissionID string
	MinCell   int
}

// Validate checks the period and the mission id; the error is an
// EBADREQUEST *Error naming the query parameters (they come from a URL or
// flags).
func (q *ReportQuery) Validate() error {
	f := FieldErrors{}
	switch {
	case q.From.IsZero():
		f.Add("from", msgRequired)
	case q.To.IsZero():
		f.Add("to", msgRequired)
	case q.To.Before(q.From):
		f.Add("to", "must not be before from")
	case q.MonthIndex(q.To)-q.MonthIndex(q.From) >= MaxReportMonths:
		f.Add("to", "must be at most "+strconv.Itoa(MaxReportMonths)+" months after from")
	}
	if q.MissionID != "" && !ValidID(q.MissionID) {
		f.Add("mission_id", msgID)
	}
	if q.MinCell < 0 || q.MinCell > 1000 {
		f.Add("min_cell", "must be a whole number from 0 to 1000")
	}
	if len(f) == 0 {
		return nil
	}
	return &Error{Code: EBADREQUEST, Message: "Bad report parameters.", Fields: f}
}

// MonthIndex numbers d's month (year*12 + month), as the report's SQL does.
func (q *ReportQuery) MonthIndex(d Date) int { return d.Year*12 + int(d.Month) }

// Metric kinds.
const (
	MetricCount   = "count"
	MetricPercent = "percent"
	MetricDays    = "days"
)

// MetricDef describes one figure of the report.
type MetricDef struct {
	Key   string
	Label string
	Kind  string
	// Num and Den are the counts a percent is made of; Den is also the
	// count a median (days) is taken over.
	Num, Den string
	// Sensitive marks a count that could single out a worker even as a
	// total over every mission (interviews, indicators, referrals,
	// cases): an auditor's total is suppressed too. Per-mission cells are
	// always suppressed for auditors when small.
	Sensitive bool
	// Parts are counts that add up to this one (for complementary
	// suppression: one hidden part must not be recoverable from the
	// total and the others).
	Parts []string
}

// SectionDef is one section of the report: its metrics, and for sections
// whose figures depend on the data (languages, risk levels, indicators,
// referral kinds) the prefix of those metrics' keys.
type SectionDef struct {
	Key, Title string
	Metrics    []MetricDef
	// Dynamic is the key prefix of metrics the data names ("language.");
	// DynamicLabel labels one ("Briefings in %s" with the key's rest);
	// DynamicTotal is the count they add up to, if any.
	Dynamic, DynamicLabel, DynamicTotal string
	DynamicSensitive                    bool
	// Source names the data source that fills the section; a section
	// whose source the store did not report available is shown as such
	// (the interviews, referrals and cases sections until their tables
	// are wired in, see models/store/report.go).
	Source string
}

// Report sources.
const (
	SourceRegistry   = "registry"
	SourceInterviews = "interviews"
	SourceReferrals  = "referrals"
	SourceCases      = "cases"
	SourceIndicators = "indicators"
)

// ReportSections are the sections of the compliance report, in order (see
// README, "Compliance reports", for each figure's definition).
var ReportSections = []SectionDef{
	{Key: "register", Title: "Register", Source: SourceRegistry, Metrics: []MetricDef{
		{Key: "active", Label: "Employments active in the period", Kind: MetricCount},
		{Key: "entries", Label: "Entries (employments starting in the period)", Kind: MetricCount},
		{Key: "exits", Label: "Exits (employments ended in the period)", Kind: MetricCount},
		{Key: "over_quota_households", Label: "Households over the household quota at the period's end", Kind: MetricCount},
		{Key: "over_quota_employments", Label: "Employments beyond the quota at the period's end", Kind: MetricCount},
	}},
	{Key: "contracts", Title: "Contracts", Source: SourceRegistry, Metrics: []MetricDef{
		{Key: "with_contract", Label: "Active employments with a current contract", Kind: MetricCount},
		{Key: "pct_with_contract", Label: "% of active employments with a contract", Kind: MetricPercent, Num: "with_contract", Den: "active"},
		{Key: "current_policy", Label: "Contracts on the policy in force at the period's end", Kind: MetricCount},
		{Key: "pct_current_policy", Label: "% of contracts on the current policy", Kind: MetricPercent, Num: "current_policy", Den: "with_contract"},
		{Key: "signed", Label: "Contracts signed by both parties", Kind: MetricCount},
		{Key: "pct_signed", Label: "% of contracts signed", Kind: MetricPercent, Num: "signed", Den: "with_contract"},
		{Key: "worker_language", Label: "Contracts in a language the worker reads", Kind: MetricCount},
		{Key: "pct_worker_language", Label: "% of contracts in the worker's language", Kind: MetricPercent, Num: "worker_language", Den: "with_contract"},
		{Key: "meets_floors", Label: "Active employments whose terms meet every floor of the policy in force at the period's end", Kind: MetricCount},
		{Key: "pct_meets_floors", Label: "% of active employments meeting every floor", Kind: MetricPercent, Num: "meets_floors", Den: "active"},
	}},
	{Key: "arrival", Title: "Arrival registration", Source: SourceRegistry, Metrics: []MetricDef{
		{Key: "arrivals", Label: "Arrivals in the period", Kind: MetricCount},
		{Key: "registered", Label: "Arrivals registered in person", Kind: MetricCount},
		{Key: "registered_on_time", Label: "Arrivals registered within the policy's deadline", Kind: MetricCount},
		{Key: "pct_registered_on_time", Label: "% of arrivals registered on time", Kind: MetricPercent, Num: "registered_on_time", Den: "arrivals"},
		{Key: "median_days_to_registration", Label: "Median days from arrival to registration", Kind: MetricDays, Den: "registered"},
	}},
	{Key: "checkins", Title: "Check-ins", Source: SourceRegistry, Metrics: []MetricDef{
		{Key: "checkins_due", Label: "Check-ins due in the period", Kind: MetricCount,
			Parts: []string{"checkins_on_time", "checkins_late", "checkins_missed", "checkins_employer_present", "checkins_open"}},
		{Key: "checkins_on_time", Label: "Attended on schedule", Kind: MetricCount},
		{Key: "checkins_late", Label: "Attended after the due window", Kind: MetricCount},
		{Key: "checkins_missed", Label: "Missed", Kind: MetricCount},
		{Key: "checkins_employer_present", Label: "Employer present (interview not held alone)", Kind: MetricCount},
		{Key: "checkins_open", Label: "Still scheduled", Kind: MetricCount},
		{Key: "pct_checkins_on_time", Label: "% attended on schedule", Kind: MetricPercent, Num: "checkins_on_time", Den: "checkins_due"},
	}},
	{Key: "pay", Title: "Pay and insurance evidence", Source: SourceRegistry, Metrics: []MetricDef{
		{Key: "employment_months", Label: "Employment-months in the period", Kind: MetricCount},
		{Key: "months_with_proof", Label: "Months with proof of pay into a sole-name account", Kind: MetricCount},
		{Key: "pct_pay_coverage", Label: "% of months with proof of pay", Kind: MetricPercent, Num: "months_with_proof", Den: "employment_months"},
		{Key: "insurance_expired", Label: "Employments at the period's end whose insurance evidence has expired", Kind: MetricCount},
		{Key: "insurance_missing", Label: "Employments at the period's end with no insurance evidence", Kind: MetricCount},
	}},
	{Key: "interviews", Title: "Interviews, risk levels and ILO indicators", Source: SourceInterviews,
		Dynamic: "risk.", DynamicLabel: "Interviews at risk level %s", DynamicTotal: "interviews", DynamicSensitive: true,
		Metrics: []MetricDef{
			{Key: "interviews", Label: "Interviews held", Kind: MetricCount, Sensitive: true},
		}},
	{Key: "indicators", Title: "ILO forced-labour indicators", Source: SourceIndicators,
		Dynamic: "indicator.", DynamicLabel: "Interviews showing %s", DynamicSensitive: true},
	{Key: "referrals", Title: "Referrals", Source: SourceReferrals,
		Dynamic: "referral.", DynamicLabel: "Referrals to %s", DynamicTotal: "referrals", DynamicSensitive: true,
		Metrics: []MetricDef{
			{Key: "referrals", Label: "Referrals made", Kind: MetricCount, Sensitive: true},
		}},
	{Key: "cases", Title: "Cases", Source: SourceCases, Metrics: []MetricDef{
		{Key: "cases_opened", Label: "Cases opened", Kind: MetricCount, Sensitive: true},
		{Key: "cases_closed", Label: "Cases closed", Kind: MetricCount, Sensitive: true},
		{Key: "cases_open_at_end", Label: "Cases open at the period's end", Kind: MetricCount, Sensitive: true},
		{Key: "median_days_flag_to_action", Label: "Median days from flag to first action", Kind: MetricDays, Den: "cases_opened"},
	}},
	{Key: "sanctions", Title: "Sanctions", Source: SourceRegistry, Metrics: []MetricDef{
		{Key: "suspensions", Label: "Eligibility suspended (employers and missions)", Kind: MetricCount},
		{Key: "restorations", Label: "Eligibility restored", Kind: MetricCount},
		{Key: "suspended_at_end", Label: "Employers and missions suspended at the period's end", Kind: MetricCount},
		{Key: "refused_notifications", Label: "New registrations refused because of a suspension", Kind: MetricCount},
	}},
	{Key: "exits", Title: "Exits", Source: SourceRegistry, Metrics: []MetricDef{
		{Key: "exits_final_pay", Label: "Exits with proof of final pay", Kind: MetricCount},
		{Key: "exits_return_travel", Label: "Exits with return travel paid", Kind: MetricCount},
		{Key: "exits_complete_pack", Label: "Exits with the complete exit evidence pack (pay and hours for every month since the ID card's issue, insurance, final pay, return travel)", Kind: MetricCount},
		{Key: "exits_pack_waived", Label: "Exits allowed by an officer without the complete exit evidence pack", Kind: MetricCount},
		{Key: "pct_exits_complete_pack", Label: "% of exits with a complete evidence pack", Kind: MetricPercent, Num: "exits_complete_pack", Den: "exits"},
		{Key: "pct_exits_return_travel", Label: "% of exits with return travel paid", Kind: MetricPercent, Num: "exits_return_travel", Den: "exits"},
	}},
	{Key: "briefings", Title: "Briefings and languages", Source: SourceRegistry,
		Dynamic: "language.", DynamicLabel: "Briefings held in %s", DynamicTotal: "briefings",
		Metrics: []MetricDef{
			{Key: "briefings", Label: "Rights briefings held (arrival registrations and group briefings)", Kind: MetricCount},
		}},
}

// ReportMission names a mission of the report.
type ReportMission struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ReportCounts are the figures the data layer computed: metric key ->
// mission id -> value. A count may leave out the "" (all missions) entry:
// it is then the sum over missions. Percents are computed from their
// counts; medians need their own "" entry.
type ReportCounts struct {
	Values   map[string]map[string]float64
	Missions []ReportMission
	// Available lists the sources that filled their sections.
	Available map[string]bool
	AsOf      time.Time
}

// NewReportCounts returns empty counts.
func NewReportCounts() *ReportCounts {
	return &ReportCounts{Values: map[string]map[string]float64{}, Available: map[string]bool{}}
}

// Set records a value.
func (c *ReportCounts) Set(metric, mission string, v float64) {
	m := c.Values[metric]
	if m == nil {
		m = map[string]float64{}
		c.Values[metric] = m
	}
	m[mission] = v
}

// Cell is one figure of the report: a number, no value (a median of
// nothing, a percent of zero), or a count hidden from an auditor.
type Cell struct {
	Value  float64
	Null   bool
	Hidden bool
	// Below is the threshold a hidden cell is shown against ("<5").
	Below int
	Kind  string
}

// String is the cell as the CSV and the PDF print it.
func (c Cell) String() string {
	switch {
	case c.Hidden:
		return "<" + strconv.Itoa(c.Below)
	case c.Null:
		return ""
	case c.Kind == MetricCount:
		return strconv.FormatFloat(c.Value, 'f', 0, 64)
	default:
		return strconv.FormatFloat(c.Value, 'f', 1, 64)
	}
}

// MarshalJSON writes a number, null, or the hidden cell's "<5".
func (c Cell) MarshalJSON() ([]byte, error) {
	switch {
	case c.Hidden:
		return json.Marshal(c.String())
	case c.Null:
		return []byte("null"), nil
	}
	return []byte(c.String()), nil
}

// UnmarshalJSON reads what MarshalJSON writes (the kind is the metric's).
func (c *Cell) UnmarshalJSON(b []byte) error {
	*c = Cell{}
	if string(b) == "null" {
		c.Null = true
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		n, err := strconv.Atoi(strings.TrimPrefix(s, "<"))
		if !strings.HasPrefix(s, "<") || err != nil {
			return &json.UnmarshalTypeError{Value: "string " + strconv.Quote(s), Type: cellType}
		}
		c.Hidden, c.Below = true, n
		return nil
	}
	return json.Unmarshal(b, &c.Value)
}

var cellType = reflect.TypeOf(Cell{})

// ReportMetric is one figure for all missions and for each.
type ReportMetric struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Kind  string `json:"kind"`
	Total Cell   `json:"total"`
	// ByMission maps a mission id to its cell.
	ByMission map[string]Cell `json:"by_mission"`
}

// ReportSection is one section of a built report.
type ReportSection struct {
	Key       string         `json:"key"`
	Title     string         `json:"title"`
	Available bool           `json:"available"`
	Metrics   []ReportMetric `json:"metrics"`
}

// Report is a compliance report as a role may see it.
type Report struct {
	From      Date   `json:"from"`
	To        Date   `json:"to"`
	MissionID string `json:"mission_id,omitempty"`
	// Scope is "All missions" or the mission's name.
	Scope       string    `json:"scope"`
	GeneratedAt time.Time `json:"generated_at"`
	AsOf        time.Time `json:"as_of"`
	// Suppressed is set for an auditor's report: counts from 1 to
	// MinCell-1 that could single out a worker are hidden, and so are the
	// cells that would let one compute them back.
	Suppressed bool            `json:"suppressed"`
	MinCell    int             `json:"min_cell,omitempty"`
	Missions   []ReportMission `json:"missions"`
	Sections   []ReportSection `json:"sections"`
}

// Metric returns the metric with key, or nil.
func (r *Report) Metric(key string) *ReportMetric {
	for i := range r.Sections {
		for j := range r.Sections[i].Metrics {
			if r.Sections[i].Metrics[j].Key == key {
				return &r.Sections[i].Metrics[j]
			}
		}
	}
	return nil
}

// BuildReport turns the data layer's counts into the report a role sees:
// exact for officers and admins (suppress false), with small counts and
// their complements hidden for auditors (suppress true, minCell >= 1).
func BuildReport(q ReportQuery, c *ReportCounts, generated time.Time, suppress bool) *Report {
	r := &Report{From: q.From, To: q.To, MissionID: q.MissionID, Scope: "All missions", GeneratedAt: generated.UTC(),
		AsOf: c.AsOf.UTC(), Missions: c.Missions}
	if r.Missions == nil {
		r.Missions = []ReportMission{}
	}
	if q.MissionID != "" {
		r.Scope = "Mission " + q.MissionID
		for _, m := range c.Missions {
			if m.ID == q.MissionID {
				r.Scope = m.Name
			}
		}
	}
	min := q.MinCell
	if suppress && min <= 0 {
		min = DefaultReportMinCell
	}
	if suppress {
		r.Suppressed, r.MinCell = true, min
	}
	defs := map[string]*MetricDef{}
	for _, sd := range ReportSections {
		sec := ReportSection{Key: sd.Key, Title: sd.Title, Available: sd.Source == SourceRegistry || c.Available[sd.Source]}
		metrics := slices.Clone(sd.Metrics)
		if sd.Dynamic != "" {
			var dyn []string
			for k := range c.Values {
				if strings.HasPrefix(k, sd.Dynamic) {
					dyn = append(dyn, k)
				}
			}
			sort.Strings(dyn)
			for _, k := range dyn {
				metrics = append(metrics, MetricDef{Key: k, Label: strings.Replace(sd.DynamicLabel, "%s", strings.ReplaceAll(strings.TrimPrefix(k, sd.Dynamic), "_", " "), 1),
					Kind: MetricCount, Sensitive: sd.DynamicSensitive})
			}
			if sd.DynamicTotal != "" {
				for i := range metrics {
					if metrics[i].Key == sd.DynamicTotal {
						metrics[i].Parts = dyn
					}
				}
			}
		}
		for _, md := range metrics {
			m := ReportMetric{Key: md.Key, Label: md.Label, Kind: md.Kind, ByMission: map[string]Cell{}}
			sec.Metrics = append(sec.Metrics, m)
		}
		for i := range metrics {
			defs[metrics[i].Key] = &metrics[i]
		}
		r.Sections = append(r.Sections, sec)
	}
	missions := make([]string, len(r.Missions))
	for i, m := range r.Missions {
		missions[i] = m.ID
	}
	count := func(key, mission string) (float64, bool) {
		vals, ok := c.Values[key]
		if !ok {
			return 0, false
		}
		if mission != "" {
			return vals[mission], true
		}
		if v, ok := vals[""]; ok {
			return v, true
		}
		var sum float64
		for _, m := range missions {
			sum += vals[m]
		}
		return sum, true
	}
	// Counts first: exact figures, then suppression, then the figures
	// derived from them.
	cells := map[string]map[string]*Cell{} // metric -> mission ("" total) -> cell
	for i := range r.Sections {
		for j := range r.Sections[i].Metrics {
			m := &r.Sections[i].Metrics[j]
			col := map[string]*Cell{}
			for _, mission := range append([]string{""}, missions...) {
				cell := &Cell{Kind: m.Kind, Below: min}
				if m.Kind == MetricCount {
					v, ok := count(m.Key, mission)
					cell.Value, cell.Null = v, !ok && !r.Sections[i].Available
				}
				col[mission] = cell
			}
			cells[m.Key] = col
		}
	}
	if suppress {
		suppressCells(cells, defs, missions, min)
	}
	for key, col := range cells {
		d := defs[key]
		for mission, cell := range col {
			switch d.Kind {
			case MetricPercent:
				num, den := cells[d.Num][mission], cells[d.Den][mission]
				switch {
				case den.Hidden || num.Hidden || suppress && den.Value > 0 && den.Value < float64(min):
					cell.Hidden = true
				case den.Null || num.Null || den.Value == 0:
					cell.Null = true
				default:
					cell.Value = math.Round(1000*num.Value/den.Value) / 10
				}
			case MetricDays:
				v, ok := c.Values[key][mission]
				basis := cells[d.Den][mission]
				switch {
				case !ok:
					cell.Null = true
				case basis.Hidden || suppress && basis.Value > 0 && basis.Value < float64(min):
					cell.Hidden = true
				default:
					cell.Value = math.Round(10*v) / 10
				}
			}
		}
	}
	for i := range r.Sections {
		for j := range r.Sections[i].Metrics {
			m := &r.Sections[i].Metrics[j]
			m.Total = *cells[m.Key][""]
			for _, mission := range missions {
				m.ByMission[mission] = *cells[m.Key][mission]
			}
		}
	}
	return r
}

// suppressCells hides, for an auditor, every count from 1 to min-1 in a
// mission's column and every such total of a sensitive metric (primary
// suppression), and then hides more cells until no additive relation has
// exactly one hidden cell (complementary suppression): a metric's total is
// the sum of its missions' cells, and a metric with parts is the sum of
// its parts in every column. In such a relation a lone hidden cell could
// be computed back from the others.
func suppressCells(cells map[string]map[string]*Cell, defs map[string]*MetricDef, missions []string, min int) {
	small := func(c *Cell) bool { return !c.Null && c.Value >= 1 && c.Value < float64(min) }
	var relations [][]*Cell
	keys := make([]string, 0, len(cells))
	for k := range cells {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		d := defs[key]
		if d.Kind != MetricCount {
			continue
		}
		col := cells[key]
		if small(col[""]) && d.Sensitive {
			col[""].Hidden = true
		}
		rel := []*Cell{col[""]}
		for _, m := range missions {
			if small(col[m]) {
				col[m].Hidden = true
			}
			rel = append(rel, col[m])
		}
		relations = append(relations, rel)
		if len(d.Parts) > 0 {
			for _, m := range append([]string{""}, missions...) {
				rel := []*Cell{col[m]}
				for _, p := range d.Parts {
					if pc, ok := cells[p]; ok {
						rel = append(rel, pc[m])
					}
				}
				relations = append(relations, rel)
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, rel := range relations {
			hidden := 0
			for _, c := range rel {
				if c.Hidden {
					hidden++
				}
			}
			if hidden != 1 {
				continue
			}
			// Hide the smallest visible positive cell, or else any
			// visible one: two unknowns in a sum stay unknown.
			var pick *Cell
			for _, c := range rel {
				if c.Hidden || c.Null {
					continue
				}
				if pick == nil || (c.Value > 0 && (pick.Value == 0 || c.Value < pick.Value)) {
					pick = c
				}
			}
			if pick != nil {
				pick.Hidden = true
				changed = true
			}
		}
	}
}
