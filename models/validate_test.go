package models

import (
	"reflect"
	"strings"
	"testing"
)

// fieldsOf returns the field errors of err and checks that it is EINVALID.
func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		return nil
	}
	if got, want := ErrorCode(err), EINVALID; got != want {
		t.Fatalf("ErrorCode(%v) = %q, want %q", err, got, want)
	}
	return ErrorFields(err)
}

func keys(m map[string]string) []string {
	return sortedKeys(m)
}

func d(s string) Date {
	v, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func dp(s string) *Date { v := d(s); return &v }

func sp(s string) *string { return &s }

func TestMissionValidate(t *testing.T) {
	valid := func() Mission {
		return Mission{Name: " Embassy of Ruritania ", Kind: MissionEmbassy, Country: " ph ", FocalPointEmail: " Focal@Example.ORG "}
	}
	m := valid()
	if err := m.Validate(); err != nil {
		t.Fatalf("Validate() = %v, want nil", err)
	}
	if got, want := m, (Mission{Name: "Embassy of Ruritania", Kind: MissionEmbassy, Country: "PH", FocalPointEmail: "focal@example.org", Language: "en"}); got != want {
		t.Errorf("normalised mission = %+v, want %+v", got, want)
	}

	tests := []struct {
		name   string
		change func(*Mission)
		want   []string
	}{
		{"empty", func(m *Mission) { *m = Mission{} }, []string{"country", "focal_point_email", "kind", "name"}},
		{"blank name", func(m *Mission) { m.Name = "   " }, []string{"name"}},
		{"long name", func(m *Mission) { m.Name = strings.Repeat("x", 201) }, []string{"name"}},
		{"control character", func(m *Mission) { m.Name = "a\nb" }, []string{"name"}},
		{"kind", func(m *Mission) { m.Kind = "castle" }, []string{"kind"}},
		{"country", func(m *Mission) { m.Country = "XK" }, []string{"country"}},
		{"email", func(m *Mission) { m.FocalPointEmail = "Focal <focal@example.org>" }, []string{"focal_point_email"}},
		{"language", func(m *Mission) { m.Language = "français" }, []string{"language"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid()
			tt.change(&m)
			got := keys(fieldsOf(t, m.Validate()))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("failing fields = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEmployerValidate(t *testing.T) {
	valid := func() Employer {
		return Employer{MissionID: NewID(), FullName: "A. Diplomat", Rank: RankDiplomat, Immunity: "full"}
	}
	e := valid()
	if err := e.Validate(); err != nil {
		t.Fatalf("Validate() = %v, want nil", err)
	}
	tests := []struct {
		name   string
		change func(*Employer)
		want   map[string]string
	}{
		{"empty", func(e *Employer) { *e = Employer{} }, map[string]string{
			"mission_id": "is required", "full_name": "is required", "rank": "is required", "immunity": "is required"}},
		{"bad id", func(e *Employer) { e.MissionID = "42" }, map[string]string{"mission_id": "must be an id"}},
		{"rank", func(e *Employer) { e.Rank = "king" }, map[string]string{"rank": "must be one of: head_of_mission, diplomat, consular_head, consular_officer, io_official, other"}},
		{"immunity", func(e *Employer) { e.Immunity = "some" }, map[string]string{"immunity": "must be one of: full, official_acts, none"}},
		{"accreditation", func(e *Employer) { e.AccreditationNumber = strings.Repeat("9", 101) }, map[string]string{"accreditation_number": "must be at most 100 characters"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := valid()
			tt.change(&e)
			got := fieldsOf(t, e.Validate())
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("fields = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestWorkerValidate(t *testing.T) {
	today := d("2026-06-01")
	valid := func() Worker {
		return Worker{FullName: " Maria Santos ", DateOfBirth: dp("1990-05-17"), Sex: "f", Nationality: "ph",
			Languages: Strings{"TL", "en-us"}, Phone: "+41 79 123 45 67", Email: "Maria@Example.org"}
	}
	w := valid()
	if err := w.Validate(today); err != nil {
		t.Fatalf("Validate() = %v, want nil", err)
	}
	if got, want := []string{w.FullName, w.Nationality, w.Email, strings.Join(w.Languages, ",")},
		[]string{"Maria Santos", "PH", "maria@example.org", "tl,en-US"}; !reflect.DeepEqual(got, want) {
		t.Errorf("normalised worker = %v, want %v", got, want)
	}
	noDOB := valid()
	noDOB.DateOfBirth = nil
	if err := noDOB.Validate(today); err != nil {
		t.Errorf("a worker without a date of birth: Validate() = %v, want nil", err)
	}
	empty := ""
	emptyMission := valid()
	emptyMission.MissionID = &empty
	if err := emptyMission.Validate(today); err != nil || emptyMission.MissionID != nil {
		t.Errorf("empty mission_id: Validate() = %v, MissionID = %v, want nil, nil", err, emptyMission.MissionID)
	}

	tests := []struct {
		name   string
		change func(*Worker)
		want   map[string]string
	}{
		{"future birth", func(w *Worker) { w.DateOfBirth = dp("2026-06-02") }, map[string]string{"date_of_birth": "must not be in the future"}},
		{"ancient birth", func(w *Worker) { w.DateOfBirth = dp("1850-01-01") }, map[string]string{"date_of_birth": "must be a real date of birth"}},
		{"no languages", func(w *Worker) { w.Languages = nil }, map[string]string{"languages": "must list at least one language"}},
		{"bad language", func(w *Worker) { w.Languages = Strings{"tl", "Tagalog language"} }, map[string]string{"languages": "must be language codes such as fr, tl or zh-Hant (item 2 is not)"}},
		{"repeated language", func(w *Worker) { w.Languages = Strings{"tl", "TL"} }, map[string]string{"languages": "must not list a language twice"}},
		{"bad interview language", func(w *Worker) { w.InterviewLanguage = "sign language" }, map[string]string{"interview_language": "must be a language code such as fr, tl, zh-Hant or a sign language such as ase"}},
		{"phone", func(w *Worker) { w.Phone = "call me" }, map[string]string{"phone": "must be a phone number of 6 to 20 digits (digits, spaces, +, -, parentheses)"}},
		{"email", func(w *Worker) { w.Email = "maria@localhost" }, map[string]string{"email": "must be an e-mail address like name@example.org"}},
		{"mission id", func(w *Worker) { w.MissionID = sp("nope") }, map[string]string{"mission_id": "must be an id"}},
		{"everything", func(w *Worker) { *w = Worker{Sex: "q", Nationality: "Philippines"} }, map[string]string{
			"full_name": "is required", "sex": "must be one of: f, m, x", "nationality": "must be an ISO 3166-1 alpha-2 country code such as CH",
			"languages": "must list at least one language"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := valid()
			tt.change(&w)
			if got := fieldsOf(t, w.Validate(today)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("fields = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUpdatesApply(t *testing.T) {
	yes := true
	m := Mission{Name: "Old", Kind: MissionEmbassy, Country: "CH", FocalPointEmail: "a@example.org"}
	mu := MissionUpdate{Name: sp("New"), Suspended: &yes}
	mu.Apply(&m)
	if got, want := m, (Mission{Name: "New", Kind: MissionEmbassy, Country: "CH", FocalPointEmail: "a@example.org", Suspended: true}); got != want {
		t.Errorf("mission after Apply = %+v, want %+v", got, want)
	}
	if got, want := mu.Fields(), []string{"name", "suspended"}; !reflect.DeepEqual(got, want) {
		t.Errorf("MissionUpdate.Fields() = %v, want %v", got, want)
	}

	mission := NewID()
	e := Employer{MissionID: mission, FullName: "Old", Rank: RankDiplomat, Immunity: "full"}
	eu := EmployerUpdate{Rank: sp(RankHeadOfMission), Suspended: &yes}
	eu.Apply(&e)
	if got, want := e, (Employer{MissionID: mission, FullName: "Old", Rank: RankHeadOfMission, Immunity: "full", Suspended: true}); got != want {
		t.Errorf("employer after Apply = %+v, want %+v", got, want)
	}

	langs := Strings{"fr"}
	w := Worker{FullName: "Old", Languages: Strings{"tl"}, DateOfBirthUncertain: true}
	no := false
	wu := WorkerUpdate{Languages: &langs, DateOfBirth: dp("1990-01-01"), DateOfBirthUncertain: &no, Email: sp("x@example.org")}
	wu.Apply(&w)
	langs[0] = "de" // Apply copies the list
	if got, want := w, (Worker{FullName: "Old", Languages: Strings{"fr"}, DateOfBirth: dp("1990-01-01"), Email: "x@example.org"}); !reflect.DeepEqual(got, want) {
		t.Errorf("worker after Apply = %+v, want %+v", got, want)
	}
	if got, want := wu.Fields(), []string{"date_of_birth", "date_of_birth_uncertain", "languages", "email"}; !reflect.DeepEqual(got, want) {
		t.Errorf("WorkerUpdate.Fields() = %v, want %v", got, want)
	}

	// JSON names of the update types match the entities'.
	for _, pair := range [][2]any{{MissionUpdate{}, Mission{}}, {EmployerUpdate{}, Employer{}}, {WorkerUpdate{}, Worker{}}} {
		entity := map[string]bool{}
		et := reflect.TypeOf(pair[1])
		for i := 0; i < et.NumField(); i++ {
			entity[et.Field(i).Tag.Get("json")] = true
		}
		ut := reflect.TypeOf(pair[0])
		for i := 0; i < ut.NumField(); i++ {
			if tag := ut.Field(i).Tag.Get("json"); !entity[tag] {
				t.Errorf("%s.%s has json name %q, not one of %s's", ut.Name(), ut.Field(i).Name, tag, et.Name())
			}
		}
	}
}

func TestEmploymentUpdateApply(t *testing.T) {
	base := func() Employment {
		return Employment{Status: StatusApproved, StartDate: d("2026-03-01"), ArrivalDate: dp("2026-03-02")}
	}
	tests := []struct {
		name     string
		u        EmploymentUpdate
		wantCode string
		wantErr  map[string]string
		check    func(Employment) bool
	}{
		{"activate with card", EmploymentUpdate{Status: sp(StatusActive), IDCardNumber: sp(" F-123 "), IDCardExpiry: dp("2027-03-01")}, "", nil,
			func(e Employment) bool {
				return e.Status == StatusActive && e.IDCardNumber == "F-123" && *e.IDCardExpiry == d("2027-03-01")
			}},
		{"same status", EmploymentUpdate{Status: sp(StatusApproved)}, "", nil, func(e Employment) bool { return e.Status == StatusApproved }},
		{"departure", EmploymentUpdate{DepartureDate: dp("2026-03-02"), EndDate: dp("2026-03-31")}, "", nil,
			func(e Employment) bool { return *e.DepartureDate == d("2026-03-02") && *e.EndDate == d("2026-03-31") }},
		{"unknown status", EmploymentUpdate{Status: sp("fired")}, EINVALID,
			map[string]string{"status": "must be one of: notified, approved, active, ended, refused, suspended"}, nil},
		{"forbidden transition", EmploymentUpdate{Status: sp(StatusNotified)}, ECONFLICT, nil, nil},
		{"departure before arrival", EmploymentUpdate{DepartureDate: dp("2026-03-01")}, EINVALID,
			map[string]string{"departure_date": "must not be before arrival_date (2026-03-02)"}, nil},
		{"arrival after departure", EmploymentUpdate{ArrivalDate: dp("2026-04-01"), DepartureDate: nil}, "", nil,
			func(e Employment) bool { return *e.ArrivalDate == d("2026-04-01") }},
		{"end before start", EmploymentUpdate{EndDate: dp("2026-02-28")}, EINVALID,
			map[string]string{"end_date": "must not be before start_date (2026-03-01)"}, nil},
		{"card expiring on arrival", EmploymentUpdate{IDCardExpiry: dp("2026-03-02")}, EINVALID,
			map[string]string{"id_card_expiry": "must be after arrival_date (2026-03-02)"}, nil},
		{"everything wrong", EmploymentUpdate{Status: sp("x"), DepartureDate: dp("2026-01-01"), EndDate: dp("2026-01-01"), IDCardNumber: sp(strings.Repeat("1", 101))}, EINVALID,
			map[string]string{"status": "must be one of: notified, approved, active, ended, refused, suspended",
				"departure_date": "must not be before arrival_date (2026-03-02)", "end_date": "must not be before start_date (2026-03-01)",
				"id_card_number": "must be at most 100 characters"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := base()
			err := tt.u.Apply(&e)
			if got := ErrorCode(err); got != tt.wantCode {
				t.Fatalf("Apply() error = %v, want code %q", err, tt.wantCode)
			}
			if err != nil {
				if got := ErrorFields(err); tt.wantErr != nil && !reflect.DeepEqual(got, tt.wantErr) {
					t.Errorf("fields = %v, want %v", got, tt.wantErr)
				}
				if !reflect.DeepEqual(e, base()) {
					t.Errorf("a failed Apply changed the employment: %+v", e)
				}
				return
			}
			if !tt.check(e) {
				t.Errorf("employment after Apply = %+v", e)
			}
		})
	}

	e := Employment{Status: StatusEnded}
	err := EmploymentUpdate{Status: sp(StatusActive)}.Apply(&e)
	if got, want := ErrorMessage(err), "An employment cannot move from ended to active."; got != want {
		t.Errorf("conflict message = %q, want %q", got, want)
	}
}

func TestInterviewLanguages(t *testing.T) {
	tests := []struct {
		first string
		langs []string
		want  []string
	}{
		{"", []string{"tl", "en"}, []string{"tl", "en"}},
		{"ase", []string{"en"}, []string{"ase", "en"}},
		{"gsw", []string{"de", "GSW"}, []string{"gsw", "de"}},
		{"sgg", nil, []string{"sgg"}},
	}
	for _, tt := range tests {
		w := Worker{InterviewLanguage: tt.first, Languages: tt.langs}
		if got := w.InterviewLanguages(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("InterviewLanguages(%q, %v) = %v, want %v", tt.first, tt.langs, got, tt.want)
		}
	}
	w := Worker{FullName: "A", Sex: "f", Nationality: "PH", Languages: Strings{"en"}, InterviewLanguage: " ASE "}
	if err := w.Validate(d("2026-01-01")); err != nil || w.InterviewLanguage != "ase" {
		t.Errorf("Validate() = %v, interview_language %q, want nil and ase", err, w.InterviewLanguage)
	}
}
