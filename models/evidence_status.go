package models

import (
	"slices"
	"strings"
)

// Items of the exit evidence pack.
const (
	PackPay          = "pay"           // pay evidence for every month of the pack
	PackHours        = "hours"         // hours records for the same months
	PackInsurance    = "insurance"     // insurance proof valid during the pack's months
	PackFinalPay     = "final_pay"     // proof of the final pay
	PackReturnTravel = "return_travel" // proof the return travel was paid (when the policy requires it)
)

// EventExitPackWaived is the office-only timeline entry of an employment
// ended without a complete exit evidence pack. Data: reason (the officer's
// words) and missing (the items missing, "; "-separated).
const EventExitPackWaived = "exit_pack_waived"

// InsuranceGap is an insurance the policy requires that has no proof
// (Problem "missing") or whose newest proof expired before the day of the
// status ("expired", with ValidUntil).
type InsuranceGap struct {
	Insurance  string `json:"insurance"`
	Problem    string `json:"problem"`
	ValidUntil *Date  `json:"valid_until"`
}

// PackItem is one item of the exit evidence pack. Missing lists what is
// missing of it (months for pay and hours, insurances for insurance).
type PackItem struct {
	Item    string   `json:"item"`
	Present bool     `json:"present"`
	Missing []string `json:"missing"`
}

// ExitPack is the exit evidence pack of an employment: the months from
// FromMonth to ToMonth and the items it needs.
type ExitPack struct {
	FromMonth string     `json:"from_month"`
	ToMonth   string     `json:"to_month"`
	Complete  bool       `json:"complete"`
	Items     []PackItem `json:"items"`
}

// Missing describes the missing items for people ("pay evidence for
// 2026-10, 2026-11"), one string per item.
func (p ExitPack) Missing() []string {
	var out []string
	for _, it := range p.Items {
		if it.Present {
			continue
		}
		s := packItemNames[it.Item]
		if len(it.Missing) > 0 {
			s += " (" + strings.Join(it.Missing, ", ") + ")"
		}
		out = append(out, s)
	}
	return out
}

var packItemNames = map[string]string{
	PackPay: "pay evidence", PackHours: "hours records", PackInsurance: "insurance proof",
	PackFinalPay: "proof of final pay", PackReturnTravel: "proof of return travel paid",
}

// EvidenceStatus is what an employment's evidence lacks on a day (AsOf):
// the months from FromMonth to ToMonth without pay evidence into a
// sole-name account and without hours records, the insurances missing or
// expired, and the exit pack. ToMonth is the last month whose evidence is
// due: the month before AsOf's while the employment runs (a month's wage
// is paid at its end), the month it stopped once it has.
type EvidenceStatus struct {
	EmploymentID       string         `json:"employment_id"`
	AsOf               Date           `json:"as_of"`
	FromMonth          string         `json:"from_month"`
	ToMonth            string         `json:"to_month"`
	MonthsWithoutPay   []string       `json:"months_without_pay"`
	MonthsWithoutHours []string       `json:"months_without_hours"`
	Insurance          []InsuranceGap `json:"insurance"`
	ExitPack           ExitPack       `json:"exit_pack"`
}

// monthOf returns d's month written YYYY-MM.
func monthOf(d Date) string { return d.String()[:7] }

// months lists the months from..to (YYYY-MM), both included; none when
// from is after to.
func months(from, to Date) []string {
	var out []string
	m := Date{Year: from.Year, Month: from.Month, Day: 1}
	for end := (Date{Year: to.Year, Month: to.Month, Day: 1}); !m.After(end) && len(out) < 12*200; m = m.AddDate(0, 1, 0) {
		out = append(out, monthOf(m))
	}
	return out
}

func later(a Date, b *Date) Date {
	if b != nil && b.After(a) {
		return *b
	}
	return a
}

// employmentEnd is the day the employment stops (departure, else end
// date), or nil while it runs.
func employmentEnd(e *Employment) *Date {
	if e.DepartureDate != nil {
		return e.DepartureDate
	}
	return e.EndDate
}

// requiredInsurances are the insurances p requires.
func requiredInsurances(p *Policy) []string {
	var out []string
	if p.HealthInsuranceRequired {
		out = append(out, "health")
	}
	if p.AccidentInsuranceRequired {
		out = append(out, "accident")
	}
	return out
}

// ComputeEvidenceStatus returns the status of e's evidence evs on today,
// under its policy p.
func ComputeEvidenceStatus(e *Employment, p *Policy, evs []Evidence, today Date) EvidenceStatus {
	st := EvidenceStatus{EmploymentID: e.ID, AsOf: today, MonthsWithoutPay: []string{}, MonthsWithoutHours: []string{}, Insurance: []InsuranceGap{}}
	from := later(e.StartDate, e.ArrivalDate)
	// The running month is not due yet.
	to := Date{Year: today.Year, Month: today.Month, Day: 1}.AddDate(0, 0, -1)
	if end := employmentEnd(e); end != nil && end.Before(today) {
		to = *end
	}
	st.FromMonth, st.ToMonth = monthOf(from), monthOf(to)
	soleName, anyPay, hours := map[string]bool{}, map[string]bool{}, map[string]bool{}
	newest := map[string]Date{}
	for _, ev := range evs {
		switch ev.Kind {
		case EvidencePay:
			anyPay[ev.Month] = true
			if ev.SoleNameAccount {
				soleName[ev.Month] = true
			}
		case EvidenceHours:
			hours[ev.Month] = true
		case EvidenceInsurance:
			if ev.ValidUntil != nil {
				if d, ok := newest[ev.Insurance]; !ok || ev.ValidUntil.After(d) {
					newest[ev.Insurance] = *ev.ValidUntil
				}
			}
		}
	}
	for _, m := range months(from, to) {
		if !soleName[m] {
			st.MonthsWithoutPay = append(st.MonthsWithoutPay, m)
		}
		if !hours[m] {
			st.MonthsWithoutHours = append(st.MonthsWithoutHours, m)
		}
	}
	for _, ins := range requiredInsurances(p) {
		switch d, ok := newest[ins]; {
		case !ok:
			st.Insurance = append(st.Insurance, InsuranceGap{Insurance: ins, Problem: "missing"})
		case d.Before(today):
			st.Insurance = append(st.Insurance, InsuranceGap{Insurance: ins, Problem: "expired", ValidUntil: &d})
		}
	}
	st.ExitPack = ComputeExitPack(e, p, evs, today)
	return st
}

// ComputeExitPack returns e's exit evidence pack from its evidence evs,
// under its policy p: pay evidence and hours records for every month from
// the later of the start date and the current ID card's issue (its expiry
// less the policy's card validity; the start date when either is unknown)
// to the departure (else the end date, else today); insurance proof valid
// at some point in those months (of each insurance the policy requires, or
// of any when it requires none); the final pay; the return travel paid
// when the policy requires it.
func ComputeExitPack(e *Employment, p *Policy, evs []Evidence, today Date) ExitPack {
	from := e.StartDate
	if e.IDCardExpiry != nil && p.IDCardValidityMonths > 0 {
		from = later(from, new(e.IDCardExpiry.AddDate(0, -p.IDCardValidityMonths, 0)))
	}
	to := today
	if end := employmentEnd(e); end != nil {
		to = *end
	}
	pack := ExitPack{FromMonth: monthOf(from), ToMonth: monthOf(to)}
	pay, hours := map[string]bool{}, map[string]bool{}
	insured := map[string]bool{} // insurance kind -> valid at some point from "from"
	has := map[string]bool{}
	for _, ev := range evs {
		has[ev.Kind] = true
		switch ev.Kind {
		case EvidencePay:
			pay[ev.Month] = true
		case EvidenceHours:
			hours[ev.Month] = true
		case EvidenceInsurance:
			if ev.ValidUntil != nil && !ev.ValidUntil.Before(from) {
				insured[ev.Insurance] = true
			}
		}
	}
	item := func(name string, missing []string, present bool) {
		if missing == nil {
			missing = []string{}
		}
		pack.Items = append(pack.Items, PackItem{Item: name, Present: present && len(missing) == 0, Missing: missing})
	}
	var noPay, noHours []string
	for _, m := range months(from, to) {
		if !pay[m] {
			noPay = append(noPay, m)
		}
		if !hours[m] {
			noHours = append(noHours, m)
		}
	}
	item(PackPay, noPay, true)
	item(PackHours, noHours, true)
	var noIns []string
	if req := requiredInsurances(p); len(req) > 0 {
		for _, ins := range req {
			if !insured[ins] {
				noIns = append(noIns, ins)
			}
		}
		item(PackInsurance, noIns, true)
	} else {
		item(PackInsurance, nil, len(insured) > 0)
	}
	item(PackFinalPay, nil, has[EvidenceFinalPay])
	if p.ReturnTravelRequired {
		item(PackReturnTravel, nil, has[EvidenceReturnTravel])
	}
	pack.Complete = !slices.ContainsFunc(pack.Items, func(it PackItem) bool { return !it.Present })
	return pack
}
