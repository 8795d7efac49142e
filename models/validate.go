package models

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Length limits of free-text fields.
const (
	MaxNameLen     = 200 // names of missions, employers and workers
	MaxShortLen    = 100 // accreditation, passport and ID-card numbers, duties
	MaxLanguages   = 20  // languages a worker may list
	MinPhoneDigits = 6
	MaxPhoneDigits = 20
)

// Messages shared by the validators.
const (
	msgRequired = "is required"
	msgID       = "must be an id"
)

func oneOfMsg(list []string) string {
	return "must be one of: " + strings.Join(list, ", ")
}

// checkText trims *s and records a problem when it is required but empty,
// longer than max characters, or holds control characters.
func checkText(f FieldErrors, field string, s *string, required bool, max int) {
	*s = strings.TrimSpace(*s)
	switch {
	case *s == "":
		if required {
			f.Add(field, msgRequired)
		}
	case !utf8.ValidString(*s) || strings.IndexFunc(*s, unicode.IsControl) >= 0:
		f.Add(field, "must be plain text on one line")
	case utf8.RuneCountInString(*s) > max:
		f.Add(field, "must be at most "+strconv.Itoa(max)+" characters")
	}
}

func checkEnum(f FieldErrors, field string, s *string, list []string) {
	*s = strings.TrimSpace(*s)
	switch {
	case *s == "":
		f.Add(field, msgRequired)
	case !slices.Contains(list, *s):
		f.Add(field, oneOfMsg(list))
	}
}

func checkCountry(f FieldErrors, field string, s *string) {
	*s = strings.ToUpper(strings.TrimSpace(*s))
	switch {
	case *s == "":
		f.Add(field, msgRequired)
	case !ValidCountry(*s):
		f.Add(field, "must be an ISO 3166-1 alpha-2 country code such as CH")
	}
}

func checkEmail(f FieldErrors, field string, s *string, required bool) {
	*s = strings.ToLower(strings.TrimSpace(*s))
	switch {
	case *s == "":
		if required {
			f.Add(field, msgRequired)
		}
	case !ValidEmail(*s):
		f.Add(field, "must be an e-mail address like name@example.org")
	}
}

// ValidPhone reports whether s is a phone number written with digits,
// spaces, "+" (first only), "-", "(" and ")", holding 6 to 20 digits.
func ValidPhone(s string) bool {
	if len(s) > 40 {
		return false
	}
	digits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '+':
			if i != 0 {
				return false
			}
		case c == ' ' || c == '-' || c == '(' || c == ')':
		default:
			return false
		}
	}
	return digits >= MinPhoneDigits && digits <= MaxPhoneDigits
}

// checkLanguages trims and canonicalises each tag and requires at least one
// valid tag, at most max, none repeated.
func checkLanguages(f FieldErrors, field string, tags []string, max int) {
	if len(tags) == 0 {
		f.Add(field, "must list at least one language")
		return
	}
	if len(tags) > max {
		f.Add(field, "must list at most "+strconv.Itoa(max)+" languages")
		return
	}
	seen := make(map[string]bool, len(tags))
	for i := range tags {
		t := strings.TrimSpace(tags[i])
		if !ValidLanguage(t) {
			f.Add(field, "must be language codes such as fr, tl or zh-Hant (item "+strconv.Itoa(i+1)+" is not)")
			return
		}
		t = CanonicalLanguage(t)
		if seen[strings.ToLower(t)] {
			f.Add(field, "must not list a language twice")
			return
		}
		seen[strings.ToLower(t)] = true
		tags[i] = t
	}
}

// checkLanguage trims and canonicalises one language tag; empty becomes def.
func checkLanguage(f FieldErrors, field string, tag *string, def string) {
	t := strings.TrimSpace(*tag)
	switch {
	case t == "":
		*tag = def
	case !ValidLanguage(t):
		f.Add(field, "must be a language code such as fr, tl, zh-Hant or a sign language such as ase")
	default:
		*tag = CanonicalLanguage(t)
	}
}

// Validate trims and normalises m (upper-case country, lower-case e-mail)
// and then checks it; the error is an EINVALID *Error naming every failing
// field by its JSON name.
func (m *Mission) Validate() error {
	f := FieldErrors{}
	checkText(f, "name", &m.Name, true, MaxNameLen)
	checkEnum(f, "kind", &m.Kind, MissionKinds)
	checkCountry(f, "country", &m.Country)
	checkEmail(f, "focal_point_email", &m.FocalPointEmail, true)
	checkLanguage(f, "language", &m.Language, "en")
	return f.Err()
}

// Validate trims e and then checks it; the error is an EINVALID *Error
// naming every failing field by its JSON name.
func (e *Employer) Validate() error {
	f := FieldErrors{}
	e.MissionID = strings.TrimSpace(e.MissionID)
	switch {
	case e.MissionID == "":
		f.Add("mission_id", msgRequired)
	case !ValidID(e.MissionID):
		f.Add("mission_id", msgID)
	}
	checkText(f, "full_name", &e.FullName, true, MaxNameLen)
	checkEnum(f, "rank", &e.Rank, Ranks)
	checkText(f, "accreditation_number", &e.AccreditationNumber, false, MaxShortLen)
	checkEnum(f, "immunity", &e.Immunity, Immunities)
	return f.Err()
}

// Validate trims and normalises w (upper-case nationality, lower-case
// e-mail, language tags in their conventional case) and then checks it
// against today's date; the error is an EINVALID *Error naming every
// failing field by its JSON name. A missing date of birth is allowed here:
// CheckWorkerAge presumes such a worker a minor.
func (w *Worker) Validate(today Date) error {
	f := FieldErrors{}
	if w.MissionID != nil {
		id := strings.TrimSpace(*w.MissionID)
		switch {
		case id == "":
			w.MissionID = nil
		case !ValidID(id):
			f.Add("mission_id", msgID)
		default:
			w.MissionID = &id
		}
	}
	checkText(f, "full_name", &w.FullName, true, MaxNameLen)
	if d := w.DateOfBirth; d != nil {
		switch {
		case d.IsZero() || d.Year < 1900:
			f.Add("date_of_birth", "must be a real date of birth")
		case d.After(today):
			f.Add("date_of_birth", "must not be in the future")
		}
	}
	checkEnum(f, "sex", &w.Sex, Sexes)
	checkCountry(f, "nationality", &w.Nationality)
	checkLanguages(f, "languages", w.Languages, MaxLanguages)
	checkLanguage(f, "interview_language", &w.InterviewLanguage, "")
	checkText(f, "passport_number", &w.PassportNumber, false, MaxShortLen)
	w.Phone = strings.TrimSpace(w.Phone)
	if w.Phone != "" && !ValidPhone(w.Phone) {
		f.Add("phone", "must be a phone number of 6 to 20 digits (digits, spaces, +, -, parentheses)")
	}
	checkEmail(f, "email", &w.Email, false)
	checkText(f, "review_reason", &w.ReviewReason, false, MaxReviewReasonLen)
	return f.Err()
}

// MaxReviewReasonLen bounds the note that flags a worker for an officer.
const MaxReviewReasonLen = 500

// MissionUpdate is a partial update of a Mission: a nil field is left as it is.
type MissionUpdate struct {
	Name            *string `json:"name"`
	Kind            *string `json:"kind"`
	Country         *string `json:"country"`
	FocalPointEmail *string `json:"focal_point_email"`
	Language        *string `json:"language"`
	Suspended       *bool   `json:"suspended"`
}

// Apply copies the set fields into m; call m.Validate afterwards.
func (u MissionUpdate) Apply(m *Mission) {
	setString(&m.Name, u.Name)
	setString(&m.Kind, u.Kind)
	setString(&m.Country, u.Country)
	setString(&m.FocalPointEmail, u.FocalPointEmail)
	setString(&m.Language, u.Language)
	if u.Suspended != nil {
		m.Suspended = *u.Suspended
	}
}

// Fields returns the JSON names of the set fields (for the audit trail).
func (u MissionUpdate) Fields() []string {
	return setNames([]setField{{"name", u.Name != nil}, {"kind", u.Kind != nil},
		{"country", u.Country != nil}, {"focal_point_email", u.FocalPointEmail != nil},
		{"language", u.Language != nil}, {"suspended", u.Suspended != nil}})
}

// EmployerUpdate is a partial update of an Employer: a nil field is left as
// it is. An employer cannot move to another mission.
type EmployerUpdate struct {
	FullName            *string `json:"full_name"`
	Rank                *string `json:"rank"`
	AccreditationNumber *string `json:"accreditation_number"`
	Immunity            *string `json:"immunity"`
	Suspended           *bool   `json:"suspended"`
}

// Apply copies the set fields into e; call e.Validate afterwards.
func (u EmployerUpdate) Apply(e *Employer) {
	setString(&e.FullName, u.FullName)
	setString(&e.Rank, u.Rank)
	setString(&e.AccreditationNumber, u.AccreditationNumber)
	setString(&e.Immunity, u.Immunity)
	if u.Suspended != nil {
		e.Suspended = *u.Suspended
	}
}

// Fields returns the JSON names of the set fields (for the audit trail).
func (u EmployerUpdate) Fields() []string {
	return setNames([]setField{{"full_name", u.FullName != nil}, {"rank", u.Rank != nil},
		{"accreditation_number", u.AccreditationNumber != nil}, {"immunity", u.Immunity != nil},
		{"suspended", u.Suspended != nil}})
}

// WorkerUpdate is a partial update of a Worker: a nil field is left as it
// is. MissionID is set by the registry. ReviewReason is for officers: ""
// clears the flag that blocks a notification, a sentence sets one.
type WorkerUpdate struct {
	FullName             *string  `json:"full_name"`
	DateOfBirth          *Date    `json:"date_of_birth"`
	DateOfBirthUncertain *bool    `json:"date_of_birth_uncertain"`
	Sex                  *string  `json:"sex"`
	Nationality          *string  `json:"nationality"`
	Languages            *Strings `json:"languages"`
	InterviewLanguage    *string  `json:"interview_language"`
	PassportNumber       *string  `json:"passport_number"`
	Phone                *string  `json:"phone"`
	Email                *string  `json:"email"`
	ContactConsent       *bool    `json:"contact_consent"`
	ReviewReason         *string  `json:"review_reason"`
}

// Apply copies the set fields into w; call w.Validate afterwards.
func (u WorkerUpdate) Apply(w *Worker) {
	setString(&w.FullName, u.FullName)
	if u.DateOfBirth != nil {
		d := *u.DateOfBirth
		w.DateOfBirth = &d
	}
	if u.DateOfBirthUncertain != nil {
		w.DateOfBirthUncertain = *u.DateOfBirthUncertain
	}
	setString(&w.Sex, u.Sex)
	setString(&w.Nationality, u.Nationality)
	if u.Languages != nil {
		w.Languages = append(Strings(nil), (*u.Languages)...)
	}
	setString(&w.InterviewLanguage, u.InterviewLanguage)
	setString(&w.PassportNumber, u.PassportNumber)
	setString(&w.Phone, u.Phone)
	setString(&w.Email, u.Email)
	if u.ContactConsent != nil {
		w.ContactConsent = *u.ContactConsent
	}
	setString(&w.ReviewReason, u.ReviewReason)
}

// Fields returns the JSON names of the set fields (for the audit trail).
func (u WorkerUpdate) Fields() []string {
	return setNames([]setField{{"full_name", u.FullName != nil}, {"date_of_birth", u.DateOfBirth != nil},
		{"date_of_birth_uncertain", u.DateOfBirthUncertain != nil}, {"sex", u.Sex != nil},
		{"nationality", u.Nationality != nil}, {"languages", u.Languages != nil},
		{"interview_language", u.InterviewLanguage != nil}, {"passport_number", u.PassportNumber != nil}, {"phone", u.Phone != nil},
		{"email", u.Email != nil}, {"contact_consent", u.ContactConsent != nil},
		{"review_reason", u.ReviewReason != nil}})
}

// EmploymentUpdate is a partial update of an Employment's dates, ID card
// and status: a nil field is left as it is.
type EmploymentUpdate struct {
	ArrivalDate   *Date   `json:"arrival_date"`
	DepartureDate *Date   `json:"departure_date"`
	EndDate       *Date   `json:"end_date"`
	IDCardNumber  *string `json:"id_card_number"`
	IDCardExpiry  *Date   `json:"id_card_expiry"`
	Status        *string `json:"status"`
	// ExitPackWaiver is an officer's reason to end the employment (status
	// ended) without a complete exit evidence pack.
	ExitPackWaiver *string `json:"exit_pack_waiver"`
}

// Fields returns the JSON names of the set fields (for the audit trail).
func (u EmploymentUpdate) Fields() []string {
	return setNames([]setField{{"arrival_date", u.ArrivalDate != nil}, {"departure_date", u.DepartureDate != nil},
		{"end_date", u.EndDate != nil}, {"id_card_number", u.IDCardNumber != nil},
		{"id_card_expiry", u.IDCardExpiry != nil}, {"status", u.Status != nil},
		{"exit_pack_waiver", u.ExitPackWaiver != nil}})
}

// Ends reports whether applying u moves an employment that is in status
// from to ended.
func (u EmploymentUpdate) Ends(from string) bool {
	return u.Status != nil && strings.TrimSpace(*u.Status) == StatusEnded && from != StatusEnded
}

// Apply checks the update against e and, when it is acceptable, copies the
// set fields into e; on error e is left unchanged. Bad fields give an
// EINVALID *Error naming them: an unknown status, departure_date before
// arrival_date, end_date before start_date, id_card_expiry not after
// arrival_date. A status change the life cycle does not allow gives
// ECONFLICT naming both statuses. Setting the current status again is no
// change.
func (u EmploymentUpdate) Apply(e *Employment) error {
	f := FieldErrors{}
	next := *e
	if u.ArrivalDate != nil {
		d := *u.ArrivalDate
		next.ArrivalDate = &d
	}
	if u.DepartureDate != nil {
		d := *u.DepartureDate
		next.DepartureDate = &d
	}
	if u.EndDate != nil {
		d := *u.EndDate
		next.EndDate = &d
	}
	if u.IDCardExpiry != nil {
		d := *u.IDCardExpiry
		next.IDCardExpiry = &d
	}
	if u.IDCardNumber != nil {
		next.IDCardNumber = *u.IDCardNumber
		checkText(f, "id_card_number", &next.IDCardNumber, false, MaxShortLen)
	}
	status := e.Status
	if u.Status != nil {
		status = strings.TrimSpace(*u.Status)
		if !slices.Contains(EmploymentStatuses, status) {
			f.Add("status", oneOfMsg(EmploymentStatuses))
		}
	}
	// Dates are checked only when the update sends one of them, and the
	// message names the field that was sent.
	if a, d := next.ArrivalDate, next.DepartureDate; a != nil && d != nil && d.Before(*a) && (u.ArrivalDate != nil || u.DepartureDate != nil) {
		if u.DepartureDate != nil {
			f.Add("departure_date", "must not be before arrival_date ("+a.String()+")")
		} else {
			f.Add("arrival_date", "must not be after departure_date ("+d.String()+")")
		}
	}
	if d := next.EndDate; u.EndDate != nil && d != nil && d.Before(e.StartDate) {
		f.Add("end_date", "must not be before start_date ("+e.StartDate.String()+")")
	}
	if a, x := next.ArrivalDate, next.IDCardExpiry; a != nil && x != nil && !x.After(*a) && (u.IDCardExpiry != nil || u.ArrivalDate != nil) {
		if u.IDCardExpiry != nil {
			f.Add("id_card_expiry", "must be after arrival_date ("+a.String()+")")
		} else {
			f.Add("arrival_date", "must be before id_card_expiry ("+x.String()+")")
		}
	}
	if u.ExitPackWaiver != nil {
		if !u.Ends(e.Status) {
			f.Add("exit_pack_waiver", "is only for ending an employment (status ended)")
		} else {
			checkNote(f, "exit_pack_waiver", *u.ExitPackWaiver, true)
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	if status != e.Status && !CanTransition(e.Status, status) {
		return Errorf(ECONFLICT, "An employment cannot move from %s to %s.", statusName(e.Status), statusName(status))
	}
	next.Status = status
	*e = next
	return nil
}

func statusName(s string) string {
	if s == "" {
		return "no status"
	}
	return s
}

func setString(dst *string, src *string) {
	if src != nil {
		*dst = *src
	}
}

type setField struct {
	name string
	set  bool
}

func setNames(fields []setField) []string {
	var names []string
	for _, f := range fields {
		if f.set {
			names = append(names, f.name)
		}
	}
	return names
}
