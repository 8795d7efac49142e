package contracts

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pdw-registry/pdw/models"
)

// allLanguages are the languages with embedded texts.
var allLanguages = []string{"en", "fr", "de", "es", "pt", "tl", "id", "am", "ar", "hi", "ne", "bn", "si", "ta", "sw", "vi"}

// testPolicy returns the Swiss preset as a Policy.
func testPolicy(tb testing.TB) models.Policy {
	tb.Helper()
	in, err := models.Preset("ch-pheo-2011")
	if err != nil {
		tb.Fatal(err)
	}
	p, err := in.Policy()
	if err != nil {
		tb.Fatal(err)
	}
	return *p
}

func date(s string) *models.Date {
	d, err := models.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return &d
}

// testHelp is an invented deployment's help lines.
var testHelp = Help{
	Office:    Contact{Name: "Protocol Office duty line", Phone: "+41 00 000 00 01"},
	Mediation: Contact{Name: "Bureau de l'amiable compositeur", Phone: "+41 00 000 00 02"},
	NGO:       Contact{Name: "Domestic Workers' Support Centre", Phone: "+41 00 000 00 03"},
	Emergency: "112",
}

// testContract returns a complete contract with terms above the Swiss
// floors, so that each clause's figures are distinct: 1200.00 CHF paid on
// the 25th, 42 hours, 11 hours' rest, 1.5 rest days, 5 weeks' leave, 9
// holidays, 45 days' notice.
func testContract(tb testing.TB, host, worker string) Contract {
	tb.Helper()
	return Contract{
		HostLanguage:   host,
		WorkerLanguage: worker,
		Version:        2,
		VerifyCode:     "K7P2-9QXM",
		VerifyURL:      "https://registry.protocol.example/verify/K7P2-9QXM",
		IssuedAt:       time.Date(2026, 7, 15, 10, 30, 0, 0, time.UTC),
		Place:          "Bern",
		Employer: Employer{
			FullName:       "Ana Lima Pereira",
			Rank:           models.RankDiplomat,
			MissionName:    "Embassy of Ruritania",
			MissionCountry: "Ruritania",
		},
		Worker: Worker{
			FullName:       "Maria Santos Dela Cruz",
			Nationality:    "Philippines",
			DateOfBirth:    date("1990-04-12"),
			PassportNumber: "P1234567A",
		},
		StartDate: date("2026-09-01"),
		EndDate:   date("2028-08-31"),
		Terms: models.Terms{
			MonthlyNetWageMinor:       120000,
			Currency:                  "CHF",
			WeeklyHours:               42,
			DailyRestHours:            11,
			WeeklyRestDays:            1.5,
			AnnualLeaveWeeks:          5,
			PublicHolidays:            9,
			OvertimePremiumPct:        25,
			NightPremiumPct:           100,
			SundayPremiumPct:          50,
			OwnLockableRoom:           true,
			PaidIntoSoleNameAccount:   true,
			WorkerKeepsPassport:       true,
			OwnPhoneAndFamilyContact:  true,
			HealthInsuranceByEmployer: true,
			AccidentInsuranceByEmpl:   true,
			ReturnTravelByEmployer:    true,
			NoticePeriodDays:          45,
			PayDay:                    25,
			Duties:                    models.Strings{"housekeeping", "cooking", "care of two children"},
			ContractLanguages:         models.Strings{host, worker},
		},
		Policy: testPolicy(tb),
		Help:   testHelp,
	}
}

func testLeaflet(tb testing.TB, lang string) Leaflet {
	tb.Helper()
	return Leaflet{
		Language:   lang,
		WorkerName: "Maria Santos Dela Cruz",
		IssuedAt:   time.Date(2026, 7, 15, 10, 30, 0, 0, time.UTC),
		Policy:     testPolicy(tb),
		Help:       testHelp,
	}
}

// render renders c and fails the test on error.
func render(tb testing.TB, c Contract, opts Options) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, c, opts); err != nil {
		tb.Fatalf("Render: %v", err)
	}
	return buf.Bytes()
}

// needTool returns the path of a poppler tool, skipping the test when it
// is missing unless PDW_REQUIRE_PDFTOOLS=1 (CI sets it).
func needTool(tb testing.TB, name string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("PDW_REQUIRE_PDFTOOLS") == "1" {
			tb.Fatalf("%s not found and PDW_REQUIRE_PDFTOOLS=1 (install poppler-utils)", name)
		}
		tb.Skipf("%s not found (install poppler-utils)", name)
	}
	return p
}

// bidiControls removes the invisible direction controls: the isolates the
// renderer puts around values inserted in right-to-left text, and the
// embeddings and marks pdftotext adds around runs of the other direction.
var bidiControls = strings.NewReplacer(
	"\u202a", "", "\u202b", "", "\u202c", "", "\u202d", "", "\u202e", "",
	"\u2066", "", "\u2067", "", "\u2068", "", "\u2069", "", "\u200e", "", "\u200f", "")

// plain is s without bidi controls, whitespace collapsed to single spaces.
func plain(s string) string {
	return strings.Join(strings.Fields(bidiControls.Replace(s)), " ")
}

// pdfText extracts the text of pdf with pdftotext, without bidi controls
// and with whitespace collapsed to single spaces.
func pdfText(tb testing.TB, pdf []byte) string {
	tb.Helper()
	tool := needTool(tb, "pdftotext")
	dir := tb.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command(tool, "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		tb.Fatalf("pdftotext: %v", err)
	}
	return plain(string(out))
}

// pageCount returns the number of pages pdfinfo reports, or counts page
// objects when pdfinfo is missing.
func pageCount(pdf []byte) int {
	return bytes.Count(pdf, []byte("/Type /Page\n"))
}
