package main

import (
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
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
}

func defaultConfig() Config {
	return Config{HTTPAddr: "127.0.0.1:8080", AutoMigrate: true, LogLevel: slog.LevelInfo, SessionTTL: 12 * time.Hour,
		BaseURL: "http://127.0.0.1:8080", HelpOffice: "Protocol office", HelpMediation: "Mediation body", HelpNGO: "Support organisation"}
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
	if u, err := url.Parse(cfg.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, "PDW_BASE_URL must be an http(s) address like https://registry.example")
	}
	if len(errs) > 0 {
		return cfg, fmt.Errorf("configuration: %s", strings.Join(errs, "; "))
	}
	return cfg, nil
}
