// Package api is the registry's HTTP interface: the Gin router, its
// middleware (request ids, access log, authentication, roles, body limit,
// cross-origin protection) and the JSON handlers under /api/v1. Handlers
// stay thin: bind, call the data layer, map the error, render.
package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/metrics"
	"github.com/pdw-registry/pdw/models"
)

// Store is what the API needs from the data layer (models/store.DB
// implements it). Methods return *models.Error codes as documented there.
type Store interface {
	Ping(ctx context.Context) error
	CheckSchema(ctx context.Context) error

	CountUsers(ctx context.Context) (int64, error)
	CreateFirstAdmin(ctx context.Context, email, password string) (*models.User, error)
	Authenticate(ctx context.Context, email, password string) (*models.User, error)
	CreateSession(ctx context.Context, u *models.User, ttl time.Duration) (string, error)
	DeleteSession(ctx context.Context, secret string) error
	UserBySession(ctx context.Context, secret string) (*models.User, error)
	UserByToken(ctx context.Context, secret string) (*models.User, error)
	CreateAPIToken(ctx context.Context, u *models.User, name string) (*models.APIToken, string, error)
	DeleteAPIToken(ctx context.Context, id string) error
	FindAPITokens(ctx context.Context, userID string) ([]models.APIToken, error)
	FindUserByID(ctx context.Context, id string) (*models.User, error)
	FindUsers(ctx context.Context, p models.Page) ([]models.User, string, error)
	CreateUser(ctx context.Context, u *models.User, password string) error
	UpdateUser(ctx context.Context, id string, upd models.UserUpdate) (*models.User, error)
	Audit(ctx context.Context, action, objectType, objectID, detail string) error
	FindAuditEvents(ctx context.Context, f models.AuditFilter) ([]models.AuditEvent, error)

	FindMissionByID(ctx context.Context, id string) (*models.Mission, error)
	FindMissions(ctx context.Context, f models.MissionFilter) ([]models.Mission, string, error)
	CreateMission(ctx context.Context, m *models.Mission) error
	UpdateMission(ctx context.Context, id string, upd models.MissionUpdate) (*models.Mission, error)
	DeleteMission(ctx context.Context, id string) error

	FindEmployerByID(ctx context.Context, id string) (*models.Employer, error)
	FindEmployers(ctx context.Context, f models.EmployerFilter) ([]models.Employer, string, error)
	CreateEmployer(ctx context.Context, e *models.Employer) error
	UpdateEmployer(ctx context.Context, id string, upd models.EmployerUpdate) (*models.Employer, error)
	DeleteEmployer(ctx context.Context, id string) error

	FindWorkerByID(ctx context.Context, id string) (*models.Worker, error)
	FindWorkers(ctx context.Context, f models.WorkerFilter) ([]models.Worker, string, error)
	CreateWorker(ctx context.Context, w *models.Worker) error
	UpdateWorker(ctx context.Context, id string, upd models.WorkerUpdate) (*models.Worker, error)
	DeleteWorker(ctx context.Context, id string) error

	FindEmploymentByID(ctx context.Context, id string) (*models.Employment, error)
	FindEmployments(ctx context.Context, f models.EmploymentFilter) ([]models.EmploymentSummary, string, error)
	CreateEmployment(ctx context.Context, in models.EmploymentInput) (*models.Employment, error)
	UpdateEmployment(ctx context.Context, id string, upd models.EmploymentUpdate) (*models.Employment, error)
	UpdateTerms(ctx context.Context, id string, in models.TermsInput) (*models.Employment, error)

	CreateContract(ctx context.Context, employmentID string, render func(models.ContractData) (models.RenderedContract, error)) (*models.ContractVersion, error)
	FindContractByID(ctx context.Context, id string) (*models.ContractVersion, error)
	FindContracts(ctx context.Context, employmentID string) ([]models.ContractVersion, error)
	ContractPDF(ctx context.Context, id string) (*models.ContractVersion, []byte, error)
	FindContractByCode(ctx context.Context, code string) (*models.ContractVersion, error)
	CreateSignature(ctx context.Context, contractID string, in models.SignatureInput) (*models.ContractSignature, error)
	FindSignatures(ctx context.Context, contractID string) ([]models.ContractSignature, error)
	AffectedByPolicy(ctx context.Context, policyID string) ([]models.AffectedEmployment, error)

	FindAppointmentByID(ctx context.Context, id string) (*models.Appointment, error)
	FindAppointments(ctx context.Context, f models.AppointmentFilter) ([]models.Appointment, string, error)
	RecordOutcome(ctx context.Context, id string, in models.OutcomeInput) (*models.Appointment, *models.Appointment, error)
	AppointmentCalendar(ctx context.Context, id string) (*models.CalendarEntry, error)
	CalendarFeed(ctx context.Context, from, to time.Time) ([]models.CalendarEntry, error)
	CreateCalendarToken(ctx context.Context) (string, error)
	UserByCalendarToken(ctx context.Context, secret string) (*models.User, error)
	CreateAppointment(ctx context.Context, in models.AppointmentInput) (*models.Appointment, error)
	UpdateAppointment(ctx context.Context, id string, u models.AppointmentUpdate) (*models.Appointment, error)
	CreateBriefing(ctx context.Context, in models.BriefingInput) (*models.BriefingDetail, error)
	InviteToBriefing(ctx context.Context, id string, in models.BriefingInvitation) ([]models.Appointment, error)
	FindBriefings(ctx context.Context, f models.BriefingFilter) ([]models.Briefing, string, error)
	FindBriefing(ctx context.Context, id string) (*models.BriefingDetail, error)
	UpdateBriefing(ctx context.Context, id string, u models.BriefingUpdate) (*models.BriefingDetail, error)
	FindTimeline(ctx context.Context, employmentID string, p models.Page) ([]models.TimelineEvent, string, error)

	CreateSanction(ctx context.Context, in models.SanctionInput) (*models.Sanction, error)
	FindSanctions(ctx context.Context, f models.SanctionFilter) ([]models.Sanction, string, error)
	CreateEvidence(ctx context.Context, employmentID string, in models.EvidenceInput) (*models.Evidence, error)
	FindEvidence(ctx context.Context, employmentID string) ([]models.Evidence, error)
	FindEvidenceFile(ctx context.Context, evidenceID string) (*models.EvidenceFile, error)
	EvidenceStatus(ctx context.Context, employmentID string) (*models.EvidenceStatus, error)
	ComplianceReport(ctx context.Context, q models.ReportQuery) (*models.Report, error)
	RecordInterview(ctx context.Context, in models.InterviewInput) (*models.InterviewResult, error)
	FindInterview(ctx context.Context, id string) (*models.Interview, error)
	FindInterviews(ctx context.Context, f models.InterviewFilter) ([]models.Interview, string, error)

	PolicyInForce(ctx context.Context, on models.Date) (*models.Policy, error)
	FindPolicyByID(ctx context.Context, id string) (*models.Policy, error)
	FindPolicies(ctx context.Context, p models.Page) ([]models.Policy, string, error)
	CreatePolicy(ctx context.Context, p *models.Policy) error

	IssueAccessCode(ctx context.Context, workerID string) (string, error)
	RevokeAccessCode(ctx context.Context, workerID string) error
	WorkerPageByCode(ctx context.Context, code string) (*models.WorkerPage, error)
	WorkerContractPDF(ctx context.Context, code string) (*models.ContractVersion, []byte, error)
	WorkerHelp(ctx context.Context, code string) error
	SetLanguage(ctx context.Context, lang string) (*models.User, error)
	CaseStore
}

// Options configures a Server.
type Options struct {
	Logger *slog.Logger
	// SessionTTL is how long a login lasts (default 12 h).
	SessionTTL time.Duration
	// SecureCookies adds the Secure attribute (behind TLS).
	SecureCookies bool
	// SetupToken, when set, lets POST /api/v1/setup create the first admin once.
	SetupToken string
	// Documents are the deployment's settings for the contracts and
	// leaflets it issues; without them none can be generated (503).
	Documents *Documents
	// TrustedProxies are the addresses whose X-Forwarded-For is believed
	// (for the login limiter); none by default.
	TrustedProxies []string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// OfficePlace is where appointments take place, as calendar files
	// print it before the room (default "Protocol office").
	OfficePlace string
	// ReportMinCell is PDW_REPORT_MIN_CELL: an auditor's report shows
	// counts from 1 to ReportMinCell-1 as "<ReportMinCell" (default 5).
	ReportMinCell int
	// Metrics records requests and serves /metrics (default: a fresh
	// registry of its own).
	Metrics *metrics.Metrics
	// MetricsToken, when set, lets a scraper presenting it as a bearer
	// token read /metrics without an account (PDW_METRICS_TOKEN); admins
	// may always read it.
	MetricsToken string
}

// Server holds the router's dependencies.
type Server struct {
	store    Store
	log      *slog.Logger
	opts     Options
	limiter  *loginLimiter
	setupMu  sync.Mutex
	setupSum [32]byte
	engine   *gin.Engine
}

// New builds the server and its router.
func New(store Store, opts Options) *Server {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.ReportMinCell <= 0 {
		opts.ReportMinCell = models.DefaultReportMinCell
	}
	if opts.Metrics == nil {
		opts.Metrics = metrics.New()
	}
	s := &Server{store: store, log: opts.Logger, opts: opts, limiter: newLoginLimiter(opts.Now)}
	if opts.SetupToken != "" {
		s.setupSum = sha256.Sum256([]byte(opts.SetupToken))
	}
	s.engine = s.routes()
	return s
}

// Handler returns the HTTP handler.
func (s *Server) Handler() *gin.Engine { return s.engine }

// setupTokenOK compares a presented setup token in constant time.
func (s *Server) setupTokenOK(token string) bool {
	if s.opts.SetupToken == "" || token == "" {
		return false
	}
	sum := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(sum[:], s.setupSum[:]) == 1
}
