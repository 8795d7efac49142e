package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

// Limits of guessing access codes: failed look-ups per client address.
const maxCodeFailsPerAddress = 10

type accessCodeIssued struct {
	WorkerID string `json:"worker_id"`
	// Code is shown this once; hand it to the worker in person.
	Code string `json:"code"`
	// Path is the worker's private page.
	Path string `json:"path"`
}

// issueAccessCode gives the worker a new personal code (the old one stops
// working) and returns it this once.
func (s *Server) issueAccessCode(c *gin.Context) {
	id, ok := s.pathID(c, "worker")
	if !ok {
		return
	}
	code, err := s.store.IssueAccessCode(c.Request.Context(), id)
	s.respond(c, http.StatusCreated, accessCodeIssued{WorkerID: id, Code: code, Path: "/w/" + code}, err)
}

// revokeAccessCode ends the worker's code.
func (s *Server) revokeAccessCode(c *gin.Context) {
	id, ok := s.pathID(c, "worker")
	if !ok {
		return
	}
	s.respond(c, http.StatusNoContent, nil, s.store.RevokeAccessCode(c.Request.Context(), id))
}

// WithAccessCode runs fn with a worker's code under the guessing limiter:
// every unknown code counts against the client's address, and after
// maxCodeFailsPerAddress in 15 minutes the address gets ERATELIMIT.
func (s *Server) WithAccessCode(c *gin.Context, fn func() error) error {
	key := "code:" + c.ClientIP()
	if !s.limiter.takeOne(key, maxCodeFailsPerAddress) {
		c.Header("Retry-After", "900")
		return models.Errorf(models.ERATELIMIT, "Too many attempts; try again in 15 minutes.")
	}
	err := fn()
	if models.ErrorCode(err) != models.ENOTFOUND {
		s.limiter.forgive(key) // only wrong codes count
	}
	return err
}

// workerPageView is the worker's page as JSON: logistics and links only.
type workerPageView struct {
	Languages       []string         `json:"languages"`
	NextAppointment *workerApptView  `json:"next_appointment"`
	Contract        *workerLinksView `json:"contract"`
	Leaflet         string           `json:"leaflet"`
	Help            workerHelpView   `json:"help"`
}

type workerApptView struct {
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Place    string    `json:"place"`
	Room     string    `json:"room"`
	Kind     string    `json:"kind"`
	// ComeAlone is the reminder printed with every appointment.
	ComeAlone bool `json:"come_alone"`
}

type workerLinksView struct {
	PDF       string   `json:"pdf"`
	Languages []string `json:"languages"`
}

type workerHelpView struct {
	Office    contactView `json:"office"`
	Mediation contactView `json:"mediation"`
	NGO       contactView `json:"ngo"`
	Emergency string      `json:"emergency"`
}

type contactView struct {
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// workerPage is GET /api/v1/w/:code, the JSON twin of the worker's page.
func (s *Server) workerPage(c *gin.Context) {
	code := c.Param("code")
	var p *models.WorkerPage
	err := s.WithAccessCode(c, func() (err error) {
		p, err = s.store.WorkerPageByCode(c.Request.Context(), code)
		return err
	})
	if err != nil {
		s.writeError(c, err)
		return
	}
	v := workerPageView{Languages: p.Languages, Leaflet: "/w/" + code + "/leaflet.pdf"}
	if v.Languages == nil {
		v.Languages = []string{}
	}
	if a := p.Next; a != nil && a.Placed() {
		v.NextAppointment = &workerApptView{StartsAt: *a.StartsAt, EndsAt: *a.EndsAt, Place: s.opts.OfficePlace, Room: a.Room,
			Kind: a.Kind, ComeAlone: true}
	}
	if p.ContractID != "" {
		v.Contract = &workerLinksView{PDF: "/w/" + code + "/contract.pdf", Languages: p.ContractLanguages}
	}
	if d := s.opts.Documents; d != nil {
		v.Help = workerHelpView{Office: contactView(d.Help.Office), Mediation: contactView(d.Help.Mediation),
			NGO: contactView(d.Help.NGO), Emergency: d.Help.Emergency}
	}
	c.JSON(http.StatusOK, v)
}

// helpSent answers the discreet alarm.
type helpSent struct {
	Sent bool `json:"sent"`
}

// workerHelp is POST /api/v1/w/:code/help, the discreet alarm: a
// supervisors' alert on the employment's timeline.
func (s *Server) workerHelp(c *gin.Context) {
	code := c.Param("code")
	err := s.WithAccessCode(c, func() error { return s.store.WorkerHelp(c.Request.Context(), code) })
	s.respond(c, http.StatusAccepted, helpSent{Sent: true}, err)
}
