package models

import (
	"bytes"
	"embed"
	"encoding/json"
	"sort"
	"strings"
)

// Policy presets, embedded as JSON in the PolicyInput wire form.
//
// ch-pheo-2011 is Switzerland's Ordinance on Private Household Employees
// (PHEO, SR 192.126) of 6 June 2011, in force 1 July 2011, as summarised in
// shared/research/domain.md section 2: CHF 1,200 net cash a month with no
// deductions (art. 43), 45 hours a week (art. 46), 1.5 days of weekly rest
// (art. 47), 11 hours of daily rest and +25 % overtime, +50 % Sunday and
// holiday work, +100 % night work (art. 48), 8 public holidays (art. 49), 4
// weeks' paid leave (art. 50), health and accident insurance paid by the
// employer (art. 44), own lockable room (art. 30), wage paid into an account
// in the worker's sole name (art. 43), one worker per household except heads
// of mission, career heads of consular post and senior international
// organisation management, who are authorised case by case (art. 7). Where
// the research found no Swiss rule (passport, family contact, journey home,
// minimum age) the reference says so, and every operational figure
// (registration deadline, check-in interval, card validity, reminders,
// escalation, retention, notice period) is marked as protocol office
// practice, not law.
//
// generic leaves every figure and reference empty: loading it fails and
// names everything an administrator must set.
//
//go:embed presets/*.json
var presetFS embed.FS

// PresetNames returns the names of the embedded policy presets, sorted.
func PresetNames() []string {
	entries, err := presetFS.ReadDir("presets")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".json"); ok && !e.IsDir() {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// Preset returns the wire form of the named policy preset, to be checked
// with its Policy method (and possibly edited first). An unknown name gives
// ENOTFOUND.
func Preset(name string) (PolicyInput, error) {
	var in PolicyInput
	if !policyNameRE.MatchString(name) {
		return in, NotFound("policy preset")
	}
	b, err := presetFS.ReadFile("presets/" + name + ".json")
	if err != nil {
		return in, NotFound("policy preset")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return PolicyInput{}, Errorf(EINTERNAL, "Policy preset %s cannot be read: %v", name, err)
	}
	return in, nil
}
