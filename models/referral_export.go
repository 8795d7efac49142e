package models

import (
	"slices"
	"time"
)

// ReferralExportFormat and ReferralExportVersion name the referral export
// format; HTCDSVersion is the version of the Human Trafficking Case Data
// Standard whose field names it follows.
const (
	ReferralExportFormat  = "pdw-referral"
	ReferralExportVersion = "1.0"
	HTCDSVersion          = "2.0"
)

// ReferralExport is one referral as handed to the receiving organisation
// (GET /referrals/:id/export), documented in docs/referral-export.md.
// Its keys follow the Human Trafficking Case Data Standard (HTCDS, by
// Tech Against Trafficking and partners; github.com/UNMigration/HTCDS)
// where the standard has a field: the prefix names the HTCDS table (org_
// organisation, prs_ person, vic_ person victim context, cas_ case).
// Keys without a prefix are this registry's own.
//
// It is data minimisation by construction: it carries no name, no birth
// date, no contact, no passport or card number and no interview answers;
// the person is described by nationality, gender (when recorded), an age
// band on the referral date and the languages spoken, which is what a
// receiving organisation needs to prepare the first contact (an
// interpreter, a shelter place). The receiving organisation learns the
// worker's identity from the office through the channel agreed for the
// referral, not from the file.
type ReferralExport struct {
	Format        string    `json:"format"`         // "pdw-referral"
	FormatVersion string    `json:"format_version"` // "1.0"
	HTCDSVersion  string    `json:"htcds_version"`  // "2.0"
	ExportedAt    time.Time `json:"exported_at"`

	Referral ExportReferral     `json:"referral"`
	Case     ExportCase         `json:"case"`
	Org      ExportOrganisation `json:"referred_organisation"`
	Person   ExportPerson       `json:"person"`
	Victim   ExportVictim       `json:"victim_context"`
}

// ExportReferral is the referral itself.
type ExportReferral struct {
	ID string `json:"referral_id"`
	// OutgoingReferralDate is the referral's date (office time zone).
	OutgoingReferralDate Date `json:"cas_OutgoingReferralDate"`
	// ReasonForOutgoingReferral is AdditionalServicesRequired (HTCDS picklist).
	ReasonForOutgoingReferral string `json:"cas_ReasonForOutgoingReferral"`
	// OutgoingReferralDetails is the officer's reason (free text).
	OutgoingReferralDetails string `json:"cas_OutgoingReferralDetails"`
	Consent                 bool   `json:"consent"`
	// Emergency is true for a referral made without consent to an
	// emergency organisation.
	Emergency bool `json:"emergency"`
}

// ExportCase identifies the case at the referring office.
type ExportCase struct {
	ID           string `json:"case_id"`
	EmploymentID string `json:"employment_id"`
	// Status is the HTCDS cas_Status: Active, FollowUp, Closed, ClosedReferred.
	Status   string    `json:"cas_Status"`
	Priority string    `json:"priority"`
	OpenedAt time.Time `json:"opened_at"`
	// ReferringOrganisation is the office's name as the deployment sets it.
	ReferringOrganisation string `json:"cas_ReferringOrganisation"`
}

// ExportOrganisation is the receiving organisation.
type ExportOrganisation struct {
	ID   string `json:"organisation_id"`
	Name string `json:"org_Name"`
	// Type is the HTCDS org_Type; Kind is this registry's kind.
	Type      string   `json:"org_Type"`
	Kind      string   `json:"kind"`
	Phone     string   `json:"org_Phone"`
	Email     string   `json:"email"`
	Languages []string `json:"languages"`
}

// ExportPerson describes the worker without identifying them.
type ExportPerson struct {
	// Nationality is an ISO 3166-1 alpha-2 code.
	Nationality string `json:"prs_Nationality"`
	// Gender is Male, Female, Transgender/NonConforming or Unknown.
	Gender string `json:"prs_Gender"`
	// AgeBand is the age on the referral date: 18-24, 25-34, 35-44, 45-54,
	// 55-64, 65+, under-18 or unknown.
	AgeBand   string   `json:"age_band"`
	Languages []string `json:"languages"`
}

// ExportVictim is the HTCDS person victim context.
type ExportVictim struct {
	// AgreementToManagePersonalData is the worker's consent to the referral.
	AgreementToManagePersonalData bool     `json:"vic_AgreementToManagePersonalData"`
	TypeOfLabourExploitation      []string `json:"vic_TypeOfLabourExploitation"`
	LabourIndustry                []string `json:"vic_LabourIndustry"`
	// MethodsOfControl maps the case's ILO indicators to HTCDS values.
	MethodsOfControl []string `json:"vic_MethodsOfControl"`
	// ILOIndicators are the case's indicator keys as recorded.
	ILOIndicators []string `json:"ilo_indicators"`
}

// htcdsControls maps ILO forced-labour indicator keys to HTCDS
// vic_MethodsOfControl values. Keys not listed appear only in
// ilo_indicators.
var htcdsControls = map[string][]string{
	"abuse_of_vulnerability":    {"PsychologicalAbuse"},
	"deception":                 {"FalsePromises"},
	"restriction_of_movement":   {"RestrictsMovement"},
	"isolation":                 {"RestrictsMovement"},
	"physical_sexual_violence":  {"PhysicalAbuse", "SexualAbuse"},
	"physical_violence":         {"PhysicalAbuse"},
	"sexual_violence":           {"SexualAbuse"},
	"intimidation_threats":      {"Threats"},
	"intimidation":              {"Threats"},
	"retention_of_documents":    {"WithholdsDocuments"},
	"withholding_of_wages":      {"TakesEarnings", "RestrictsFinancialAccess"},
	"debt_bondage":              {"DebtBondage"},
	"abusive_conditions":        {"WithholdsNecessities"},
	"abusive_living_conditions": {"WithholdsNecessities"},
	"excessive_overtime":        {"ExcessiveWorkingHours"},
}

// htcdsOrgTypes maps organisation kinds to HTCDS org_Type.
var htcdsOrgTypes = map[string]string{
	OrgMediation:          "CentralGovernmentOrganisation",
	OrgNGO:                "NGO",
	OrgLabourInspectorate: "CentralGovernmentOrganisation",
	OrgPolice:             "LawEnforcement",
	OrgShelter:            "NGO",
	OrgAsylum:             "ImmigrationService",
}

// htcdsGender maps Worker.Sex to HTCDS prs_Gender.
var htcdsGender = map[string]string{"f": "Female", "m": "Male", "x": "Transgender/NonConforming"}

// HTCDSCaseStatus maps a case's status (and outcome) to HTCDS cas_Status.
func HTCDSCaseStatus(c *Case) string {
	switch {
	case c.Status == CaseFollowUp:
		return "FollowUp"
	case c.Status == CaseClosed && c.Outcome == OutcomeReferred:
		return "ClosedReferred"
	case c.Status == CaseClosed:
		return "Closed"
	}
	return "Active"
}

// AgeBand returns the age band of someone born on dob at on ("unknown"
// without a birth date).
func AgeBand(dob *Date, on Date) string {
	if dob == nil {
		return "unknown"
	}
	switch age := on.YearsSince(*dob); {
	case age < 18:
		return "under-18"
	case age < 25:
		return "18-24"
	case age < 35:
		return "25-34"
	case age < 45:
		return "35-44"
	case age < 55:
		return "45-54"
	case age < 65:
		return "55-64"
	default:
		return "65+"
	}
}

// ExportReferralData builds the export of r: its case c, organisation o
// and the worker w, on the referral date day (office time zone), by the
// office named office, at now.
func ExportReferralData(r *Referral, c *Case, o *Organisation, w *Worker, day Date, office string, now time.Time) ReferralExport {
	controls := []string{}
	for _, k := range c.Indicators {
		for _, m := range htcdsControls[k] {
			if !slices.Contains(controls, m) {
				controls = append(controls, m)
			}
		}
	}
	gender := htcdsGender[w.Sex]
	if gender == "" {
		gender = "Unknown"
	}
	nonNil := func(s []string) []string {
		if s == nil {
			return []string{}
		}
		return slices.Clone(s)
	}
	return ReferralExport{
		Format: ReferralExportFormat, FormatVersion: ReferralExportVersion, HTCDSVersion: HTCDSVersion,
		ExportedAt: now.UTC(),
		Referral: ExportReferral{ID: r.ID, OutgoingReferralDate: day, ReasonForOutgoingReferral: "AdditionalServicesRequired",
			OutgoingReferralDetails: r.Reason, Consent: r.Consent, Emergency: r.Emergency},
		Case: ExportCase{ID: c.ID, EmploymentID: c.EmploymentID, Status: HTCDSCaseStatus(c), Priority: c.Priority,
			OpenedAt: c.OpenedAt.UTC(), ReferringOrganisation: office},
		Org: ExportOrganisation{ID: o.ID, Name: o.Name, Type: htcdsOrgTypes[o.Kind], Kind: o.Kind, Phone: o.Phone,
			Email: o.Email, Languages: nonNil(o.Languages)},
		Person: ExportPerson{Nationality: w.Nationality, Gender: gender, AgeBand: AgeBand(w.DateOfBirth, day),
			Languages: nonNil(w.Languages)},
		Victim: ExportVictim{AgreementToManagePersonalData: r.Consent, TypeOfLabourExploitation: []string{"DomesticWork"},
			LabourIndustry: []string{"T_ActivitiesOfHouseholdsAsEmployers"}, MethodsOfControl: controls,
			ILOIndicators: nonNil(c.Indicators)},
	}
}
