package models

// Page selects one page of a list by keyset: items with an id after After,
// at most Limit of them.
type Page struct {
	Limit int
	After string
}

// MaxPageLimit caps a page; DefaultPageLimit is used when none is asked for.
const (
	DefaultPageLimit = 50
	MaxPageLimit     = 200
)

// MissionFilter selects missions.
type MissionFilter struct {
	Kind    string
	Country string
	Query   string // part of the name, case-insensitive
	Page
}

// EmployerFilter selects employers.
type EmployerFilter struct {
	MissionID string
	Rank      string
	Query     string
	Page
}

// WorkerFilter selects workers.
type WorkerFilter struct {
	MissionID   string
	Nationality string
	Query       string
	// NeedsReview selects workers flagged for an officer.
	NeedsReview bool
	Page
}

// EmploymentFilter selects employments.
type EmploymentFilter struct {
	MissionID  string
	EmployerID string
	WorkerID   string
	Status     string
	Page
}

// UserUpdate is an administrator's change to an account: a nil field is
// left as it is.
type UserUpdate struct {
	Disabled *bool `json:"disabled"`
}

// Fields returns the JSON names of the set fields (for the audit trail).
func (u UserUpdate) Fields() []string {
	return setNames([]setField{{"disabled", u.Disabled != nil}})
}
