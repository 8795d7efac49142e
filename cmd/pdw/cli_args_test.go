package main

import (
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
)

// TestRunArguments covers usage errors and help. None of these may touch
// the database: the SQLite file they are pointed at must not appear.
func TestRunArguments(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		vars     map[string]string
		wantCode int
		wantOut  string // substring of stdout
		wantErr  string // substring of stderr
	}{
		{name: "no args", args: nil, wantCode: 2, wantErr: "Usage:"},
		{name: "help", args: []string{"help"}, wantCode: 0, wantOut: "Usage:"},
		{name: "-h", args: []string{"-h"}, wantCode: 0, wantOut: "pdw migrate"},
		{name: "--help", args: []string{"--help"}, wantCode: 0, wantOut: "pdw audit verify"},
		{name: "command -h", args: []string{"migrate", "-h"}, wantCode: 0, wantErr: "Usage of migrate"},
		{name: "unknown command", args: []string{"frobnicate"}, wantCode: 2, wantErr: `unknown command "frobnicate"`},
		{name: "group without subcommand", args: []string{"policy"}, wantCode: 2, wantErr: `unknown command "policy"`},
		{name: "unknown subcommand", args: []string{"user", "delete"}, wantCode: 2, wantErr: `unknown command "user delete"`},
		{name: "bad flag", args: []string{"migrate", "--bogus"}, wantCode: 2, wantErr: "flag provided but not defined: -bogus"},
		{name: "bad flag on subcommand", args: []string{"user", "add", "--nope"}, wantCode: 2, wantErr: "-nope"},
		{name: "stray argument", args: []string{"serve", "now"}, wantCode: 2, wantErr: "unexpected arguments"},
		{name: "policy load with nothing", args: []string{"policy", "load"}, wantCode: 2, wantErr: "exactly one of --preset or --file"},
		{name: "policy load with both", args: []string{"policy", "load", "--preset", "generic", "--file", "x.json"}, wantCode: 2, wantErr: "exactly one of"},
		{name: "policy load unknown preset", args: []string{"policy", "load", "--preset", "nope"}, wantCode: 2, wantErr: `unknown preset "nope"`},
		{name: "policy load bad date", args: []string{"policy", "load", "--preset", "ch-pheo-2011", "--effective-from", "July"}, wantCode: 2, wantErr: "--effective-from"},
		{name: "show-preset without name", args: []string{"policy", "show-preset"}, wantCode: 2, wantErr: "ch-pheo-2011"},
		{name: "show-preset unknown", args: []string{"policy", "show-preset", "nope"}, wantCode: 2, wantErr: "not found"},
		{name: "bad PDW_AUTO_MIGRATE", args: []string{"migrate"}, vars: map[string]string{"PDW_AUTO_MIGRATE": "maybe"}, wantCode: 2, wantErr: "PDW_AUTO_MIGRATE"},
		{name: "short PDW_SESSION_TTL", args: []string{"serve"}, vars: map[string]string{"PDW_SESSION_TTL": "1s"}, wantCode: 2, wantErr: "PDW_SESSION_TTL"},
		{name: "bad PDW_LOG_LEVEL", args: []string{"migrate"}, vars: map[string]string{"PDW_LOG_LEVEL": "loud"}, wantCode: 2, wantErr: "PDW_LOG_LEVEL"},
		{name: "bad PDW_SECURE_COOKIES", args: []string{"migrate"}, vars: map[string]string{"PDW_SECURE_COOKIES": "yes please"}, wantCode: 2, wantErr: "PDW_SECURE_COOKIES"},
		{name: "jobs without run", args: []string{"jobs"}, wantCode: 2, wantErr: `unknown command "jobs"`},
		{name: "jobs run without a job", args: []string{"jobs", "run"}, wantCode: 2, wantErr: "name a job: plan, sweep"},
		{name: "jobs run unknown job", args: []string{"jobs", "run", "expire"}, wantCode: 2, wantErr: `unknown job "expire"`},
		{name: "jobs run flag first", args: []string{"jobs", "run", "--now", "2026-11-02T07:00:00Z"}, wantCode: 2, wantErr: "name a job"},
		{name: "jobs run bad --now", args: []string{"jobs", "run", "plan", "--now", "tomorrow"}, wantCode: 2, wantErr: "--now must be"},
		{name: "jobs run stray argument", args: []string{"jobs", "run", "plan", "sweep"}, wantCode: 2, wantErr: "unexpected arguments"},
		{name: "bad PDW_SCHEDULE_PLAN", args: []string{"serve"}, vars: map[string]string{"PDW_SCHEDULE_PLAN": "often"}, wantCode: 2, wantErr: "PDW_SCHEDULE_PLAN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "sub", "pdw.db")
			vars := dbEnv(path)
			for k, v := range tt.vars {
				vars[k] = v
			}
			r := pdw(t, vars, "", tt.args...)
			if got, want := r.code, tt.wantCode; got != want {
				t.Errorf("exit = %d, want %d\nstdout: %s\nstderr: %s", got, want, r.stdout, r.stderr)
			}
			if !strings.Contains(r.stdout, tt.wantOut) {
				t.Errorf("stdout = %q, want it to contain %q", r.stdout, tt.wantOut)
			}
			if !strings.Contains(r.stderr, tt.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", r.stderr, tt.wantErr)
			}
			if _, err := os.Stat(filepath.Dir(path)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a usage error touched the database (stat %s: %v)", filepath.Dir(path), err)
			}
		})
	}
}

// TestShowPresetPrintsJSON checks that show-preset prints the preset to
// stdout and nothing else.
func TestShowPresetPrintsJSON(t *testing.T) {
	for _, name := range []string{"ch-pheo-2011", "generic"} {
		t.Run(name, func(t *testing.T) {
			r := pdw(t, dbEnv(filepath.Join(t.TempDir(), "pdw.db")), "", "policy", "show-preset", name)
			if got, want := r.code, 0; got != want {
				t.Fatalf("exit = %d, want %d (stderr %q)", got, want, r.stderr)
			}
			if got, want := strings.TrimSpace(r.stdout)[:1], "{"; got != want {
				t.Errorf("stdout starts with %q, want %q", got, want)
			}
			if got, want := r.stderr, ""; got != want {
				t.Errorf("stderr = %q, want %q", got, want)
			}
		})
	}
}

// weekdays returns the same opening interval Monday to Friday.
func weekdays(open, closing int) []models.OfficeHours {
	var out []models.OfficeHours
	for d := time.Monday; d <= time.Friday; d++ {
		out = append(out, models.OfficeHours{Weekday: d, Open: open, Close: closing})
	}
	return out
}

func TestLoadConfig(t *testing.T) {
	zurich, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		t.Skipf("no time zone data: %v", err)
	}
	dir := t.TempDir()
	urlFile := filepath.Join(dir, "db-url")
	if err := os.WriteFile(urlFile, []byte("postgres://pdw:s3cret@db.internal/pdw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	def := defaultConfig()
	with := func(f func(c *Config)) Config {
		c := defaultConfig()
		f(&c)
		return c
	}
	tests := []struct {
		name    string
		vars    map[string]string
		want    Config
		wantErr []string // substrings of the error; nil for no error
	}{
		{name: "defaults", vars: nil, want: def},
		{name: "defaults are as documented", vars: nil, want: Config{HTTPAddr: "127.0.0.1:8080", AutoMigrate: true,
			LogLevel: slog.LevelInfo, SessionTTL: 12 * time.Hour, PlanSpec: "*/15 * * * *", SweepSpec: "0 * * * *",
			NotifySpec: "*/10 * * * *", RemindSpec: "*/10 * * * *", RetentionSpec: "0 3 * * *",
			BaseURL: "http://127.0.0.1:8080", HelpOffice: "Protocol office", HelpMediation: "Mediation body", HelpNGO: "Support organisation",
			Calendar: &models.Calendar{Location: time.Local, Hours: weekdays(9*60, 17*60), Slot: 45 * time.Minute,
				Rooms: []string{"Room 1", "Room 2"}, Languages: []string{"en"}, SpeaksHostLanguage: true}}},
		{
			name: "every variable",
			vars: map[string]string{
				"PDW_DATABASE_URL":       "postgres://pdw@db/pdw",
				"PDW_HTTP_ADDR":          "0.0.0.0:9090",
				"PDW_AUTO_MIGRATE":       "false",
				"PDW_LOG_LEVEL":          "debug",
				"PDW_SESSION_TTL":        "90m",
				"PDW_SECURE_COOKIES":     "true",
				"PDW_TRUSTED_PROXIES":    " 10.0.0.1, ,10.0.0.0/8 ,",
				"PDW_TIMEZONE":           "Europe/Zurich",
				"PDW_OFFICE_HOURS":       "mon-fri 08:30-12:00, sat 09:00-11:00",
				"PDW_OFFICE_SLOT":        "1h",
				"PDW_OFFICE_ROOMS":       "Blue, Green, Red",
				"PDW_OFFICE_CLOSED":      "2026-12-25,2027-01-01",
				"PDW_OFFICE_LANGUAGES":   "EN,fr,de",
				"PDW_INTERPRETERS":       "Ana:tl+en@sat 09:00-11:00; Bekele:am",
				"PDW_SCHEDULE_PLAN":      "*/5 * * * *",
				"PDW_SCHEDULE_SWEEP":     "@hourly",
				"PDW_SCHEDULE_NOTIFY":    "*/2 * * * *",
				"PDW_SCHEDULE_REMIND":    "*/3 * * * *",
				"PDW_SCHEDULE_RETENTION": "30 2 * * *",
				"PDW_BASE_URL":           "https://registry.example",
				"PDW_TEXTS_DIR":          "/etc/pdw/texts",
				"PDW_CONTRACT_PLACE":     "Bern",
				"PDW_HELP_OFFICE":        "Office", "PDW_HELP_OFFICE_PHONE": "+41 1",
				"PDW_HELP_MEDIATION": "Mediation", "PDW_HELP_MEDIATION_PHONE": "+41 2",
				"PDW_HELP_NGO": "NGO", "PDW_HELP_NGO_PHONE": "+41 3", "PDW_HELP_EMERGENCY": "112",
				"PDW_SMTP_URL": "smtp://u:p@mail.example:587", "PDW_SMTP_FROM": "Protocol <protocol@office.example>",
				"PDW_OFFICE_PLACE": "Protocol office, Rue 1, Bern",
			},
			want: Config{DatabaseURL: "postgres://pdw@db/pdw", HTTPAddr: "0.0.0.0:9090", AutoMigrate: false,
				LogLevel: slog.LevelDebug, SessionTTL: 90 * time.Minute, SecureCookies: true,
				TrustedProxies: []string{"10.0.0.1", "10.0.0.0/8"}, PlanSpec: "*/5 * * * *", SweepSpec: "@hourly",
				NotifySpec: "*/2 * * * *", RemindSpec: "*/3 * * * *", RetentionSpec: "30 2 * * *",
				SMTPURL: "smtp://u:p@mail.example:587", SMTPFrom: "Protocol <protocol@office.example>", OfficePlace: "Protocol office, Rue 1, Bern",
				Calendar: &models.Calendar{Location: zurich, Hours: append(weekdays(8*60+30, 12*60),
					models.OfficeHours{Weekday: time.Saturday, Open: 9 * 60, Close: 11 * 60}), Slot: time.Hour,
					Rooms: []string{"Blue", "Green", "Red"}, Closed: []models.Date{{Year: 2026, Month: 12, Day: 25}, {Year: 2027, Month: 1, Day: 1}},
					Languages: []string{"en", "fr", "de"}, Interpreters: []models.Interpreter{
						{Name: "Ana", Languages: []string{"tl", "en"}, Hours: []models.OfficeHours{{Weekday: time.Saturday, Open: 9 * 60, Close: 11 * 60}}},
						{Name: "Bekele", Languages: []string{"am"}}}},
				TextsDir: "/etc/pdw/texts", BaseURL: "https://registry.example", ContractPlace: "Bern",
				HelpOffice: "Office", HelpOfficePhone: "+41 1", HelpMediation: "Mediation", HelpMediationPhone: "+41 2",
				HelpNGO: "NGO", HelpNGOPhone: "+41 3", HelpEmergency: "112"},
		},
		{name: "log level warn", vars: map[string]string{"PDW_LOG_LEVEL": "warn"}, want: with(func(c *Config) { c.LogLevel = slog.LevelWarn })},
		{name: "log level ERROR", vars: map[string]string{"PDW_LOG_LEVEL": "ERROR"}, want: with(func(c *Config) { c.LogLevel = slog.LevelError })},
		{name: "session ttl of exactly 1m", vars: map[string]string{"PDW_SESSION_TTL": "1m"}, want: with(func(c *Config) { c.SessionTTL = time.Minute })},
		{name: "auto migrate 1", vars: map[string]string{"PDW_AUTO_MIGRATE": "1"}, want: def},
		{name: "sqlite path", vars: map[string]string{"PDW_DATABASE_URL": "/var/lib/pdw/pdw.db"}, want: with(func(c *Config) { c.DatabaseURL = "/var/lib/pdw/pdw.db" })},
		{
			name: "database url from file, trimmed",
			vars: map[string]string{"PDW_DATABASE_URL_FILE": urlFile},
			want: with(func(c *Config) { c.DatabaseURL = "postgres://pdw:s3cret@db.internal/pdw" }),
		},
		{
			name: "variable wins over its file",
			vars: map[string]string{"PDW_DATABASE_URL": "direct.db", "PDW_DATABASE_URL_FILE": urlFile},
			want: with(func(c *Config) { c.DatabaseURL = "direct.db" }),
		},
		{name: "report min cell", vars: map[string]string{"PDW_REPORT_MIN_CELL": "10"}, want: with(func(c *Config) { c.ReportMinCell = 10 })},
		{name: "report min cell 1", vars: map[string]string{"PDW_REPORT_MIN_CELL": "1"}, wantErr: []string{"PDW_REPORT_MIN_CELL"}},
		{name: "report min cell not a number", vars: map[string]string{"PDW_REPORT_MIN_CELL": "five"}, wantErr: []string{"PDW_REPORT_MIN_CELL"}},
		{
			name: "metrics token from file, trimmed",
			vars: map[string]string{"PDW_METRICS_TOKEN_FILE": urlFile},
			want: with(func(c *Config) { c.MetricsToken = "postgres://pdw:s3cret@db.internal/pdw" }),
		},
		{name: "metrics token", vars: map[string]string{"PDW_METRICS_TOKEN": "0123456789abcdef"}, want: with(func(c *Config) { c.MetricsToken = "0123456789abcdef" })},
		{name: "metrics token too short", vars: map[string]string{"PDW_METRICS_TOKEN": "0123456789abcde"}, wantErr: []string{"PDW_METRICS_TOKEN"}},
		{name: "base url not http", vars: map[string]string{"PDW_BASE_URL": "registry.example"}, wantErr: []string{"PDW_BASE_URL"}},
		{name: "missing file", vars: map[string]string{"PDW_DATABASE_URL_FILE": filepath.Join(dir, "absent")}, wantErr: []string{"PDW_DATABASE_URL_FILE"}},
		{name: "auto migrate maybe", vars: map[string]string{"PDW_AUTO_MIGRATE": "maybe"}, wantErr: []string{"PDW_AUTO_MIGRATE"}},
		{name: "session ttl 1s", vars: map[string]string{"PDW_SESSION_TTL": "1s"}, wantErr: []string{"PDW_SESSION_TTL"}},
		{name: "session ttl not a duration", vars: map[string]string{"PDW_SESSION_TTL": "12"}, wantErr: []string{"PDW_SESSION_TTL"}},
		{name: "log level", vars: map[string]string{"PDW_LOG_LEVEL": "verbose"}, wantErr: []string{"PDW_LOG_LEVEL"}},
		{name: "secure cookies", vars: map[string]string{"PDW_SECURE_COOKIES": "on"}, wantErr: []string{"PDW_SECURE_COOKIES"}},
		{name: "time zone", vars: map[string]string{"PDW_TIMEZONE": "Mars/Olympus"}, wantErr: []string{"PDW_TIMEZONE"}},
		{name: "office hours", vars: map[string]string{"PDW_OFFICE_HOURS": "weekdays 9-5"}, wantErr: []string{"PDW_OFFICE_HOURS"}},
		{name: "slot of seconds", vars: map[string]string{"PDW_OFFICE_SLOT": "90s"}, wantErr: []string{"PDW_OFFICE_SLOT"}},
		{name: "slot longer than the hours", vars: map[string]string{"PDW_OFFICE_HOURS": "mon 09:00-09:30"}, wantErr: []string{"PDW_OFFICE_SLOT is longer"}},
		{name: "no rooms", vars: map[string]string{"PDW_OFFICE_ROOMS": "0"}, wantErr: []string{"PDW_OFFICE_ROOMS"}},
		{name: "closed day", vars: map[string]string{"PDW_OFFICE_CLOSED": "2026-12-32"}, wantErr: []string{"PDW_OFFICE_CLOSED"}},
		{name: "languages", vars: map[string]string{"PDW_OFFICE_LANGUAGES": "english!"}, wantErr: []string{"PDW_OFFICE_LANGUAGES"}},
		{name: "interpreters", vars: map[string]string{"PDW_INTERPRETERS": "Ana tl"}, wantErr: []string{"PDW_INTERPRETERS"}},
		{name: "plan spec", vars: map[string]string{"PDW_SCHEDULE_PLAN": "every quarter hour"}, wantErr: []string{"PDW_SCHEDULE_PLAN"}},
		{name: "sweep spec", vars: map[string]string{"PDW_SCHEDULE_SWEEP": "0 0 30 2 *"}, wantErr: []string{"PDW_SCHEDULE_SWEEP"}},
		{
			name: "every error at once",
			vars: map[string]string{"PDW_AUTO_MIGRATE": "x", "PDW_SESSION_TTL": "0", "PDW_LOG_LEVEL": "x", "PDW_SECURE_COOKIES": "x",
				"PDW_TIMEZONE": "x", "PDW_OFFICE_ROOMS": "x,x", "PDW_SCHEDULE_PLAN": "x"},
			wantErr: []string{"PDW_AUTO_MIGRATE", "PDW_SESSION_TTL", "PDW_LOG_LEVEL", "PDW_SECURE_COOKIES", "PDW_TIMEZONE",
				"PDW_OFFICE_ROOMS", "PDW_SCHEDULE_PLAN"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := loadConfig(getenvOf(tt.vars))
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("loadConfig: no error, want one naming %v", tt.wantErr)
				}
				for _, w := range tt.wantErr {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not name %s", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("loadConfig: %v", err)
			}
			if want := tt.want; !reflect.DeepEqual(got, want) {
				t.Errorf("loadConfig =\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

// TestEnvVarsDocumentDefaults keeps the documented defaults in step with
// defaultConfig (README's table is made from envVars).
func TestEnvVarsDocumentDefaults(t *testing.T) {
	def := defaultConfig()
	documented := map[string]string{}
	for _, v := range envVars {
		documented[v.name] = v.def
	}
	tests := []struct{ name, got, want string }{
		{"PDW_HTTP_ADDR", documented["PDW_HTTP_ADDR"], def.HTTPAddr},
		{"PDW_AUTO_MIGRATE", documented["PDW_AUTO_MIGRATE"], "true"},
		{"PDW_LOG_LEVEL", documented["PDW_LOG_LEVEL"], strings.ToLower(def.LogLevel.String())},
		{"PDW_SESSION_TTL", documented["PDW_SESSION_TTL"], strings.TrimSuffix(strings.TrimSuffix(def.SessionTTL.String(), "0s"), "0m")},
		{"PDW_SECURE_COOKIES", documented["PDW_SECURE_COOKIES"], "false"},
		{"PDW_OFFICE_SLOT", documented["PDW_OFFICE_SLOT"], strings.TrimSuffix(def.Calendar.Slot.String(), "0s")},
		{"PDW_OFFICE_ROOMS", documented["PDW_OFFICE_ROOMS"], strconv.Itoa(len(def.Calendar.Rooms))},
		{"PDW_OFFICE_LANGUAGES", documented["PDW_OFFICE_LANGUAGES"], strings.Join(def.Calendar.Languages, ",") + map[bool]string{true: " + the policy's host_language"}[def.Calendar.SpeaksHostLanguage]},
		{"PDW_SCHEDULE_PLAN", documented["PDW_SCHEDULE_PLAN"], def.PlanSpec},
		{"PDW_SCHEDULE_SWEEP", documented["PDW_SCHEDULE_SWEEP"], def.SweepSpec},
		{"PDW_SCHEDULE_NOTIFY", documented["PDW_SCHEDULE_NOTIFY"], def.NotifySpec},
		{"PDW_SCHEDULE_REMIND", documented["PDW_SCHEDULE_REMIND"], def.RemindSpec},
		{"PDW_SCHEDULE_RETENTION", documented["PDW_SCHEDULE_RETENTION"], def.RetentionSpec},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: documented default %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
