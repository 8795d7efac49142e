package main

import (
	"fmt"
	"log/slog"
	netmail "net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/pdw-registry/pdw/mail"
	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/keyring"
	"github.com/pdw-registry/pdw/scheduler"
	"github.com/pdw-registry/pdw/web"
)

// Config is the service's configuration, read from PDW_* environment
// variables; a secret may also come from the file named by its _FILE twin.
type Config struct {
	DatabaseURL    string
	HTTPAddr       string
	AutoMigrate    bool
	LogLevel       slog.Level
	SessionTTL     time.Duration
	SecureCookies  bool
	TrustedProxies []string
	// Documents: the texts' override directory and what contracts and
	// leaflets print (help contacts, public address, place of signing).
	TextsDir                             string
	BaseURL                              string
	ContractPlace                        string
	HelpOffice, HelpOfficePhone          string
	HelpMediation, HelpMediationPhone    string
	HelpNGO, HelpNGOPhone, HelpEmergency string
	// Calendar is the protocol office's calendar, in which the scheduler
	// places appointments.
	Calendar *models.Calendar
	// PlanSpec, SweepSpec, NotifySpec, RemindSpec and RetentionSpec are
	// the scheduled jobs' cron specs.
	PlanSpec, SweepSpec, NotifySpec, RemindSpec, RetentionSpec string
	// SMTPURL and SMTPFrom deliver the reminders (none without SMTPURL:
	// they are kept and retried); OfficePlace is where appointments take
	// place, as reminders and calendar files print it.
	SMTPURL, SMTPFrom, OfficePlace string
	// ReportMinCell is PDW_REPORT_MIN_CELL; 0 means the default (models.DefaultReportMinCell).
	ReportMinCell int
	// QuickExitURL is the neutral site the worker page's quick exit leads to.
	QuickExitURL string
	// MetricsToken lets a scraper read /metrics without an account.
	MetricsToken string
	// DataKeys seal interview answers and notes (PDW_DATA_KEY); nil: see dataKeys.
	DataKeys *keyring.Ring
}

// smtpFrom is PDW_SMTP_FROM, or else its default.
func (c Config) smtpFrom() string {
	if c.SMTPFrom != "" {
		return c.SMTPFrom
	}
	return "PDW Registry <noreply@localhost>"
}

// officePlace is PDW_OFFICE_PLACE, or else the office's name.
func (c Config) officePlace() string {
	if c.OfficePlace != "" {
		return c.OfficePlace
	}
	return c.HelpOffice
}

// envVars documents every variable (README's table is made from the same facts).
var envVars = []struct{ name, def, doc string }{
	{"PDW_DATABASE_URL", "./pdw-data/pdw.db", "postgres://… for PostgreSQL; otherwise the SQLite file's path"},
	{"PDW_DATABASE_URL_FILE", "", "file holding PDW_DATABASE_URL (for secrets)"},
	{"PDW_HTTP_ADDR", "127.0.0.1:8080", "address pdw serve listens on"},
	{"PDW_AUTO_MIGRATE", "true", "apply migrations on start; false refuses to start on an old schema"},
	{"PDW_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"PDW_SESSION_TTL", "12h", "how long a login session lasts"},
	{"PDW_SECURE_COOKIES", "false", "mark cookies Secure (set true behind TLS)"},
	{"PDW_TRUSTED_PROXIES", "", "comma-separated proxy addresses whose X-Forwarded-For is believed"},
	{"PDW_BASE_URL", "http://127.0.0.1:8080", "public address of the registry; contracts print <url>/verify/<code>"},
	{"PDW_TEXTS_DIR", "", "directory of <lang>.json files overriding the embedded contract texts (certified translations)"},
	{"PDW_CONTRACT_PLACE", "", "where contracts are signed, printed on them"},
	{"PDW_HELP_OFFICE", "Protocol office", "name of the office's help line, printed on contracts and leaflets"},
	{"PDW_HELP_OFFICE_PHONE", "", "the office's help line"},
	{"PDW_HELP_MEDIATION", "Mediation body", "name of the mediation body"},
	{"PDW_HELP_MEDIATION_PHONE", "", "the mediation body's phone"},
	{"PDW_HELP_NGO", "Support organisation", "name of the NGO that helps domestic workers"},
	{"PDW_HELP_NGO_PHONE", "", "the NGO's phone"},
	{"PDW_HELP_EMERGENCY", "", "the emergency number (e.g. 112)"},
	{"PDW_TIMEZONE", "the host's (TZ or /etc/localtime), UTC if neither", "the office's time zone (IANA name, e.g. Europe/Zurich): office hours, closed days, schedules"},
	{"PDW_OFFICE_HOURS", models.DefaultOfficeHours, "opening hours: comma-separated DAYS HH:MM-HH:MM, e.g. mon-fri 09:00-12:00, mon-fri 13:30-17:00"},
	{"PDW_OFFICE_SLOT", "45m", "length of one appointment (whole minutes, 5m to 8h)"},
	{"PDW_OFFICE_ROOMS", "2", "rooms for interviews at the same time: a number, or comma-separated names"},
	{"PDW_OFFICE_CLOSED", "", "comma-separated dates the office is closed (YYYY-MM-DD)"},
	{"PDW_OFFICE_LANGUAGES", "en + the policy's host_language", "languages the office's own staff speak (comma-separated codes); when unset, English plus the host language of each employment's policy"},
	{"PDW_INTERPRETERS", "", "interpreters the planner may book: NAME:LANG+LANG[@HOURS]; …, e.g. Ana:tl+en@mon-fri 09:00-13:00; Bekele:am"},
	{"PDW_SCHEDULE_PLAN", scheduler.DefaultPlanSpec, "cron spec of the appointment planner (5 fields, 6 with seconds, or @hourly …)"},
	{"PDW_SCHEDULE_SWEEP", scheduler.DefaultSweepSpec, "cron spec of the sweep that marks missed appointments"},
	{"PDW_SCHEDULE_NOTIFY", scheduler.DefaultNotifySpec, "cron spec of the job that e-mails the timeline's messages (missions' logistics, supervisors' alerts)"},
	{"PDW_SCHEDULE_REMIND", scheduler.DefaultRemindSpec, "cron spec of the reminders' catch-up (queues missing reminders of appointments placed while no scheduler ran)"},
	{"PDW_SCHEDULE_RETENTION", scheduler.DefaultRetentionSpec, "cron spec of the erasure of personal data past the policy's retention_years (03:00 office time)"},
	{"PDW_SMTP_URL", "", "SMTP server for reminders: smtp://user:pass@host:587 (STARTTLS) or smtps://…:465; unset: reminders are logged as skipped and kept"},
	{"PDW_SMTP_URL_FILE", "", "file holding PDW_SMTP_URL (for secrets)"},
	{"PDW_SMTP_FROM", "PDW Registry <noreply@localhost>", "sender address of reminders; its domain names their Message-IDs"},
	{"PDW_QUICK_EXIT_URL", web.DefaultQuickExitURL, "neutral site the quick-exit button of a worker's page leaves to (https://…)"},
	{"PDW_OFFICE_PLACE", "PDW_HELP_OFFICE's value", "where appointments take place (office name and address), printed in reminders and calendar files before the room"},
	{"PDW_REPORT_MIN_CELL", "5", "auditors' compliance reports show counts from 1 to one less than this as \"<5\" (and hide the cells that would reveal them)"},
	{"PDW_METRICS_TOKEN", "", "bearer token a Prometheus scraper presents to read /metrics without an account (admins may always read it); at least 16 characters"},
	{"PDW_METRICS_TOKEN_FILE", "", "file holding PDW_METRICS_TOKEN (for secrets)"},
	{"PDW_DATA_KEY", "a development key generated into the data directory (SQLite only; see below)", "keys sealing interview answers and notes and appointments' outcome notes (AES-256-GCM): one base64 32-byte key (`openssl rand -base64 32`), or comma-separated ID:BASE64 entries, the first current, the others only to read older values (rotate: put the new key first, run `pdw keys rotate`, then drop the old). Unset on SQLite: data.key (mode 0600) beside the database file is generated and used, with a warning; unset on PostgreSQL: interviews and notes answer 503"},
	{"PDW_DATA_KEY_FILE", "", "file holding PDW_DATA_KEY (for secrets)"},
}

func defaultConfig() Config {
	return Config{HTTPAddr: "127.0.0.1:8080", AutoMigrate: true, LogLevel: slog.LevelInfo, SessionTTL: 12 * time.Hour,
		BaseURL: "http://127.0.0.1:8080", HelpOffice: "Protocol office", HelpMediation: "Mediation body", HelpNGO: "Support organisation",
		Calendar: models.DefaultCalendar(time.Local), PlanSpec: scheduler.DefaultPlanSpec, SweepSpec: scheduler.DefaultSweepSpec,
		NotifySpec: scheduler.DefaultNotifySpec, RemindSpec: scheduler.DefaultRemindSpec, RetentionSpec: scheduler.DefaultRetentionSpec}
}

// loadConfig reads the environment through getenv.
func loadConfig(getenv func(string) string) (Config, error) {
	cfg := defaultConfig()
	var errs []string
	secret := func(name string) string {
		if v := getenv(name); v != "" {
			return v
		}
		if path := getenv(name + "_FILE"); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				errs = append(errs, fmt.Sprintf("%s_FILE: %v", name, err))
				return ""
			}
			return strings.TrimSpace(string(b))
		}
		return ""
	}
	cfg.DatabaseURL = secret("PDW_DATABASE_URL")
	if v := getenv("PDW_HTTP_ADDR"); v != "" {
		cfg.HTTPAddr = v
	}
	if v := getenv("PDW_AUTO_MIGRATE"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, "PDW_AUTO_MIGRATE must be true or false")
		}
		cfg.AutoMigrate = b
	}
	if v := getenv("PDW_LOG_LEVEL"); v != "" {
		if err := cfg.LogLevel.UnmarshalText([]byte(v)); err != nil {
			errs = append(errs, "PDW_LOG_LEVEL must be debug, info, warn or error")
		}
	}
	if v := getenv("PDW_SESSION_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Minute {
			errs = append(errs, "PDW_SESSION_TTL must be a duration of at least 1m, like 12h")
		}
		cfg.SessionTTL = d
	}
	if v := getenv("PDW_SECURE_COOKIES"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, "PDW_SECURE_COOKIES must be true or false")
		}
		cfg.SecureCookies = b
	}
	if v := getenv("PDW_TRUSTED_PROXIES"); v != "" {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				cfg.TrustedProxies = append(cfg.TrustedProxies, p)
			}
		}
	}
	for name, dst := range map[string]*string{
		"PDW_BASE_URL": &cfg.BaseURL, "PDW_TEXTS_DIR": &cfg.TextsDir, "PDW_CONTRACT_PLACE": &cfg.ContractPlace,
		"PDW_HELP_OFFICE": &cfg.HelpOffice, "PDW_HELP_OFFICE_PHONE": &cfg.HelpOfficePhone,
		"PDW_HELP_MEDIATION": &cfg.HelpMediation, "PDW_HELP_MEDIATION_PHONE": &cfg.HelpMediationPhone,
		"PDW_HELP_NGO": &cfg.HelpNGO, "PDW_HELP_NGO_PHONE": &cfg.HelpNGOPhone, "PDW_HELP_EMERGENCY": &cfg.HelpEmergency,
	} {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			*dst = v
		}
	}
	cfg.SMTPURL = secret("PDW_SMTP_URL")
	if cfg.SMTPURL != "" {
		if _, err := mail.ParseURL(cfg.SMTPURL); err != nil {
			errs = append(errs, "PDW_SMTP_URL must be smtp://[user:pass@]host[:port] or smtps://…")
		}
	}
	if v := strings.TrimSpace(getenv("PDW_SMTP_FROM")); v != "" {
		if _, err := netmail.ParseAddress(v); err != nil {
			errs = append(errs, "PDW_SMTP_FROM must be an address like \"Protocol office <protocol@office.example>\"")
		}
		cfg.SMTPFrom = v
	}
	if v := strings.TrimSpace(getenv("PDW_OFFICE_PLACE")); v != "" {
		cfg.OfficePlace = v
	}
	if v := strings.TrimSpace(getenv("PDW_REPORT_MIN_CELL")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2 || n > 1000 {
			errs = append(errs, "PDW_REPORT_MIN_CELL must be a whole number from 2 to 1000, like 5")
		}
		cfg.ReportMinCell = n
	}
	if v := getenv("PDW_QUICK_EXIT_URL"); v != "" {
		if u, err := url.Parse(v); err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
			errs = append(errs, "PDW_QUICK_EXIT_URL must be an http(s) address")
		} else {
			cfg.QuickExitURL = v
		}
	}
	cfg.MetricsToken = secret("PDW_METRICS_TOKEN")
	if cfg.MetricsToken != "" && len(cfg.MetricsToken) < 16 {
		errs = append(errs, "PDW_METRICS_TOKEN must be at least 16 characters (e.g. openssl rand -hex 32)")
	}
	if v := secret("PDW_DATA_KEY"); v != "" {
		ring, err := keyring.Parse(v)
		if err != nil { // the message never holds key material
			errs = append(errs, "PDW_DATA_KEY: "+strings.TrimPrefix(err.Error(), "keyring: "))
		}
		cfg.DataKeys = ring
	}
	if u, err := url.Parse(cfg.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, "PDW_BASE_URL must be an http(s) address like https://registry.example")
	}
	errs = append(errs, loadOffice(getenv, &cfg)...)
	if len(errs) > 0 {
		return cfg, fmt.Errorf("configuration: %s", strings.Join(errs, "; "))
	}
	return cfg, nil
}

// loadOffice reads the office calendar and the job schedules into cfg and
// returns what is wrong with them.
func loadOffice(getenv func(string) string, cfg *Config) (errs []string) {
	cal := cfg.Calendar
	if v := getenv("PDW_TIMEZONE"); v != "" {
		loc, err := time.LoadLocation(v)
		if err != nil {
			errs = append(errs, "PDW_TIMEZONE must be a time zone name such as Europe/Zurich or UTC")
		} else {
			cal.Location = loc
		}
	}
	if v := getenv("PDW_OFFICE_HOURS"); v != "" {
		hours, err := models.ParseOfficeHours(v)
		if err != nil {
			errs = append(errs, "PDW_OFFICE_HOURS: "+err.Error())
		}
		cal.Hours = hours
	}
	if v := getenv("PDW_OFFICE_SLOT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 5*time.Minute || d > 8*time.Hour || d%time.Minute != 0 {
			errs = append(errs, "PDW_OFFICE_SLOT must be whole minutes from 5m to 8h, like 45m")
		}
		cal.Slot = d
	}
	if v := getenv("PDW_OFFICE_ROOMS"); v != "" {
		rooms, err := models.ParseRooms(v)
		if err != nil {
			errs = append(errs, "PDW_OFFICE_ROOMS: "+err.Error())
		}
		cal.Rooms = rooms
	}
	if v := getenv("PDW_OFFICE_CLOSED"); v != "" {
		closed, err := models.ParseDates(v)
		if err != nil {
			errs = append(errs, "PDW_OFFICE_CLOSED: "+err.Error())
		}
		cal.Closed = closed
	}
	if v := getenv("PDW_OFFICE_LANGUAGES"); v != "" {
		langs, err := models.ParseLanguages(v)
		if err != nil || len(langs) == 0 {
			errs = append(errs, "PDW_OFFICE_LANGUAGES must be comma-separated language codes such as en,fr")
		}
		cal.Languages = langs
		cal.SpeaksHostLanguage = false
	}
	if v := getenv("PDW_INTERPRETERS"); v != "" {
		ivs, err := models.ParseInterpreters(v)
		if err != nil {
			errs = append(errs, "PDW_INTERPRETERS: "+err.Error())
		}
		cal.Interpreters = ivs
	}
	if len(errs) == 0 && !fitsASlot(cal) {
		errs = append(errs, "PDW_OFFICE_SLOT is longer than every opening interval of PDW_OFFICE_HOURS")
	}
	for _, spec := range []struct {
		name string
		dst  *string
	}{{"PDW_SCHEDULE_PLAN", &cfg.PlanSpec}, {"PDW_SCHEDULE_SWEEP", &cfg.SweepSpec}, {"PDW_SCHEDULE_NOTIFY", &cfg.NotifySpec},
		{"PDW_SCHEDULE_REMIND", &cfg.RemindSpec}, {"PDW_SCHEDULE_RETENTION", &cfg.RetentionSpec}} {
		if v := getenv(spec.name); v != "" {
			*spec.dst = v
		}
		if _, _, err := scheduler.ParseSpec(*spec.dst, cal.Location); err != nil {
			errs = append(errs, spec.name+": "+err.Error())
		}
	}
	return errs
}

// fitsASlot reports whether at least one opening interval holds a slot.
func fitsASlot(cal *models.Calendar) bool {
	for _, h := range cal.Hours {
		if time.Duration(h.Close-h.Open)*time.Minute >= cal.Slot {
			return true
		}
	}
	return false
}
