package models

import (
	"slices"
	"strings"
	"time"
)

// Referral organisation kinds.
const (
	OrgMediation          = "mediation"
	OrgNGO                = "ngo"
	OrgLabourInspectorate = "labour_inspectorate"
	OrgPolice             = "police"
	OrgShelter            = "shelter"
	OrgAsylum             = "asylum"
)

// OrganisationKinds lists the kinds of referral organisations.
var OrganisationKinds = []string{OrgMediation, OrgNGO, OrgLabourInspectorate, OrgPolice, OrgShelter, OrgAsylum}

// Organisation is a body the office refers workers to (a mediation
// office, an NGO, the labour inspectorate, the police, a shelter, the
// asylum authority), configured by administrators. Emergency marks one
// that may receive a referral without the worker's consent (the police
// when the worker is in immediate danger); such a referral must give its
// reason and is flagged as an emergency. Inactive organisations take no
// new referrals.
type Organisation struct {
	ID        string    `json:"id" gorm:"primaryKey"`
	Kind      string    `json:"kind"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	Phone     string    `json:"phone"`
	Languages Strings   `json:"languages" gorm:"type:text"`
	Emergency bool      `json:"emergency"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// OrganisationInput creates an organisation (POST /organisations); Active
// defaults to true.
type OrganisationInput struct {
	Kind      string   `json:"kind"`
	Name      string   `json:"name"`
	Email     string   `json:"email"`
	Phone     string   `json:"phone"`
	Languages []string `json:"languages"`
	Emergency bool     `json:"emergency"`
	Active    *bool    `json:"active"`
}

// Organisation validates the input and returns the organisation it
// describes (without id), or an EINVALID error naming every bad field.
func (in OrganisationInput) Organisation() (Organisation, error) {
	o := Organisation{Kind: in.Kind, Name: in.Name, Email: in.Email, Phone: in.Phone,
		Languages: slices.Clone(in.Languages), Emergency: in.Emergency, Active: in.Active == nil || *in.Active}
	if o.Languages == nil {
		o.Languages = Strings{}
	}
	return o, o.Validate()
}

// Validate trims and normalises o and checks it: a kind, a name, at least
// one way to reach it (e-mail or phone), valid languages if any.
func (o *Organisation) Validate() error {
	f := FieldErrors{}
	checkEnum(f, "kind", &o.Kind, OrganisationKinds)
	checkText(f, "name", &o.Name, true, MaxNameLen)
	checkEmail(f, "email", &o.Email, false)
	o.Phone = strings.TrimSpace(o.Phone)
	if o.Phone != "" && !ValidPhone(o.Phone) {
		f.Add("phone", "must be a phone number such as +41 58 462 31 11")
	}
	if o.Email == "" && o.Phone == "" {
		f.Add("email", "an e-mail address or a phone number is required")
	}
	if len(o.Languages) > 0 {
		checkLanguages(f, "languages", o.Languages, MaxLanguages)
	}
	return f.Err()
}

// OrganisationUpdate is an administrator's change (PATCH
// /organisations/:id): a nil field is left as it is.
type OrganisationUpdate struct {
	Kind      *string   `json:"kind"`
	Name      *string   `json:"name"`
	Email     *string   `json:"email"`
	Phone     *string   `json:"phone"`
	Languages *[]string `json:"languages"`
	Emergency *bool     `json:"emergency"`
	Active    *bool     `json:"active"`
}

// Fields returns the JSON names of the set fields (for the audit trail).
func (u OrganisationUpdate) Fields() []string {
	return setNames([]setField{{"kind", u.Kind != nil}, {"name", u.Name != nil}, {"email", u.Email != nil},
		{"phone", u.Phone != nil}, {"languages", u.Languages != nil}, {"emergency", u.Emergency != nil},
		{"active", u.Active != nil}})
}

// Apply copies the set fields into o and validates the result; on error o
// is left unchanged.
func (u OrganisationUpdate) Apply(o *Organisation) error {
	next := *o
	setString(&next.Kind, u.Kind)
	setString(&next.Name, u.Name)
	setString(&next.Email, u.Email)
	setString(&next.Phone, u.Phone)
	if u.Languages != nil {
		next.Languages = slices.Clone(Strings(*u.Languages))
		if next.Languages == nil {
			next.Languages = Strings{}
		}
	}
	if u.Emergency != nil {
		next.Emergency = *u.Emergency
	}
	if u.Active != nil {
		next.Active = *u.Active
	}
	if err := next.Validate(); err != nil {
		return err
	}
	*o = next
	return nil
}

// OrganisationFilter selects organisations.
type OrganisationFilter struct {
	Kind string
	// Active, when set, selects active (true) or inactive (false) ones.
	Active *bool
	Page
}

// Referral hands a case over to an organisation. It needs the worker's
// consent, recorded by an officer (ConsentRecordedBy, an account id);
// only an emergency organisation may receive one without it, and then
// Emergency is set and Reason is required. Reason is sensitive free text
// (to be sealed at rest).
type Referral struct {
	ID             string `json:"id" gorm:"primaryKey"`
	CaseID         string `json:"case_id"`
	EmploymentID   string `json:"employment_id"`
	OrganisationID string `json:"organisation_id"`
	Consent        bool   `json:"consent"`
	// ConsentRecordedBy is the account of the officer who heard the
	// worker's consent; nil without consent.
	ConsentRecordedBy *string   `json:"consent_recorded_by"`
	Emergency         bool      `json:"emergency"`
	Reason            string    `json:"reason"`
	ReferredAt        time.Time `json:"referred_at"`
	CreatedBy         string    `json:"created_by"`
	CreatedAt         time.Time `json:"created_at"`
}

// ReferralInput is a referral an officer makes (POST /referrals).
type ReferralInput struct {
	CaseID            string `json:"case_id"`
	OrganisationID    string `json:"organisation_id"`
	Consent           *bool  `json:"consent"`
	ConsentRecordedBy string `json:"consent_recorded_by"`
	Reason            string `json:"reason"`
}

// Check validates the input's form and trims it. Whether consent may be
// missing depends on the organisation: see Referral.
func (in *ReferralInput) Check() error {
	f := FieldErrors{}
	if !ValidID(in.CaseID) {
		f.Add("case_id", "must be a case's id")
	}
	if !ValidID(in.OrganisationID) {
		f.Add("organisation_id", "must be an organisation's id")
	}
	in.ConsentRecordedBy = strings.TrimSpace(in.ConsentRecordedBy)
	consent := in.Consent != nil && *in.Consent
	switch {
	case consent && in.ConsentRecordedBy == "":
		f.Add("consent_recorded_by", msgRequired+": the account id of the officer who heard the worker's consent")
	case consent && !ValidID(in.ConsentRecordedBy):
		f.Add("consent_recorded_by", "must be an officer's account id")
	case !consent && in.ConsentRecordedBy != "":
		f.Add("consent_recorded_by", "is given only with consent true")
	}
	in.Reason = checkNote(f, "reason", in.Reason, false)
	return f.Err()
}

// Decide applies the consent rule for an organisation: it returns the
// referral's emergency flag, or an EINVALID error naming consent (no
// consent, and the organisation is not an emergency one) or reason (an
// emergency referral without a reason).
func (in *ReferralInput) Decide(o *Organisation) (emergency bool, err error) {
	if in.Consent != nil && *in.Consent {
		return false, nil
	}
	if !o.Emergency {
		return false, &Error{Code: EINVALID, Message: "A referral needs the worker's recorded consent.",
			Fields: map[string]string{"consent": "must be true, with consent_recorded_by: only an emergency organisation may receive a referral without consent"}}
	}
	if in.Reason == "" {
		return false, &Error{Code: EINVALID, Message: "A referral without consent must give its reason.",
			Fields: map[string]string{"reason": "is required for a referral without consent (emergency)"}}
	}
	return true, nil
}

// ReferralFilter selects referrals.
type ReferralFilter struct {
	CaseID string
	Page
}
