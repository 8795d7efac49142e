package models

// EmploymentSummary is an employment as a list shows it: who, where, its
// status and dates, and the figures an officer scans (wage and weekly
// hours). The full terms are on the employment itself.
type EmploymentSummary struct {
	ID            string `json:"id"`
	MissionID     string `json:"mission_id"`
	EmployerID    string `json:"employer_id"`
	WorkerID      string `json:"worker_id"`
	Status        string `json:"status"`
	StartDate     Date   `json:"start_date"`
	EndDate       *Date  `json:"end_date"`
	ArrivalDate   *Date  `json:"arrival_date"`
	DepartureDate *Date  `json:"departure_date"`
	IDCardExpiry  *Date  `json:"id_card_expiry"`
	// MonthlyNetWage is the decimal amount in Currency ("1200.00"), as
	// the terms write it.
	MonthlyNetWage string  `json:"monthly_net_wage"`
	Currency       string  `json:"currency"`
	WeeklyHours    float64 `json:"weekly_hours"`
}
