package api

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"net/http"
	"strings"

	"github.com/boombuler/barcode"
	"github.com/boombuler/barcode/qr"
	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/contracts"
	"github.com/pdw-registry/pdw/models"
)

// Documents are a deployment's settings for the contracts and leaflets it
// issues: the texts (embedded, or certified ones from an override
// directory), the help contacts printed on them, the public address that
// verification codes point to, and where contracts are signed.
type Documents struct {
	Catalog *contracts.Catalog
	Help    contracts.Help
	// BaseURL is the public address of the registry; each page's footer
	// prints <BaseURL>/verify/<code> and its QR code.
	BaseURL string
	Place   string
}

// missing names the settings a document cannot do without.
func (d *Documents) missing() []string {
	if d == nil {
		return []string{"documents"}
	}
	var out []string
	for name, v := range map[string]string{
		"PDW_HELP_OFFICE_PHONE": d.Help.Office.Phone, "PDW_HELP_MEDIATION_PHONE": d.Help.Mediation.Phone,
		"PDW_HELP_NGO_PHONE": d.Help.NGO.Phone, "PDW_HELP_EMERGENCY": d.Help.Emergency,
		"PDW_BASE_URL": d.BaseURL, "PDW_CONTRACT_PLACE": d.Place,
	} {
		if strings.TrimSpace(v) == "" {
			out = append(out, name)
		}
	}
	return out
}

func (s *Server) documentsReady() error {
	if m := s.opts.Documents.missing(); len(m) > 0 {
		return models.Errorf(models.EUNAVAILABLE,
			"This registry cannot issue documents until its administrator sets the help contacts and addresses printed on them (%s).",
			strings.Join(sortedCopy(m), ", "))
	}
	return nil
}

// renderContract turns the data gathered by the store into the contract's
// PDF, naming the text versions it used.
func (s *Server) renderContract(d models.ContractData) (models.RenderedContract, error) {
	doc := s.opts.Documents
	t := d.Employment.Terms
	c := contracts.Contract{
		HostLanguage: t.ContractLanguages[0], WorkerLanguage: t.ContractLanguages[1],
		Version: d.Version, VerifyCode: d.VerifyCode,
		VerifyURL: strings.TrimRight(doc.BaseURL, "/") + "/verify/" + d.VerifyCode,
		IssuedAt:  d.IssuedAt, Place: doc.Place,
		Employer: contracts.Employer{FullName: d.Employer.FullName, Rank: d.Employer.Rank,
			MissionName: d.Mission.Name, MissionCountry: d.Mission.Country},
		Worker: contracts.Worker{FullName: d.Worker.FullName, Nationality: d.Worker.Nationality,
			DateOfBirth: d.Worker.DateOfBirth, PassportNumber: d.Worker.PassportNumber},
		StartDate: &d.Employment.StartDate, EndDate: d.Employment.EndDate,
		Terms: t, Policy: d.Policy, Help: doc.Help,
	}
	var buf bytes.Buffer
	if err := contracts.Render(&buf, c, contracts.Options{Catalog: doc.Catalog, QRCode: qrPNG}); err != nil {
		return models.RenderedContract{}, documentError(err, "terms.contract_languages")
	}
	out := models.RenderedContract{PDF: buf.Bytes()}
	for tag, dst := range map[string]*string{c.HostLanguage: &out.HostTextVersion, c.WorkerLanguage: &out.WorkerTextVersion} {
		tv, err := doc.Catalog.TextVersion(tag)
		if err != nil {
			return models.RenderedContract{}, documentError(err, "terms.contract_languages")
		}
		*dst = tv.Language + " " + tv.Version + " (" + tv.Status + ")"
	}
	return out, nil
}

// documentError maps the renderer's errors to the registry's: a language
// without texts or fonts, or data no font can draw, is the caller's to fix
// (422); anything else is internal.
func documentError(err error, languageField string) error {
	var le *contracts.LanguageError
	switch {
	case errors.As(err, &le):
		return &models.Error{Code: models.EINVALID, Message: "The document cannot be written in that language.",
			Fields: map[string]string{languageField: fmt.Sprintf("language %q: %s", le.Tag, le.Reason)}}
	case errors.Is(err, contracts.ErrUnsupportedLanguage):
		return &models.Error{Code: models.EINVALID, Message: "The document cannot be written in that language.",
			Fields: map[string]string{languageField: "is not a language the registry has texts for"}}
	case errors.Is(err, contracts.ErrUnsupportedText), errors.Is(err, contracts.ErrInvalidInput):
		// The renderer's message names the field and never the text.
		return models.Errorf(models.EINVALID, "The record cannot be printed: %s.", strings.TrimPrefix(err.Error(), "contracts: "))
	}
	return err
}

// qrPNG encodes url as a QR code image (medium error correction, 4 pixels
// a module); the same url gives the same bytes.
func qrPNG(url string) ([]byte, error) {
	code, err := qr.Encode(url, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("api: qr code: %w", err)
	}
	size := code.Bounds().Dx() * 4
	if code, err = barcode.Scale(code, size, size); err != nil {
		return nil, fmt.Errorf("api: qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, code); err != nil {
		return nil, fmt.Errorf("api: qr code: %w", err)
	}
	return buf.Bytes(), nil
}

// workerLeaflet renders the worker's rights leaflet in their language
// (?lang=, default the worker's first language); reading the worker's
// name is audited like any read of the record.
func (s *Server) workerLeaflet(c *gin.Context) {
	id, ok := s.pathID(c, "worker")
	if !ok {
		return
	}
	if err := s.documentsReady(); err != nil {
		s.writeError(c, err)
		return
	}
	ctx := c.Request.Context()
	w, err := s.store.FindWorkerByID(ctx, id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	lang := c.Query("lang")
	if lang == "" && len(w.Languages) > 0 {
		lang = w.Languages[0]
	}
	if !models.ValidLanguage(lang) {
		s.writeError(c, &models.Error{Code: models.EBADREQUEST, Message: "Bad query parameters.",
			Fields: map[string]string{"lang": "must be a language code such as fr or tl"}})
		return
	}
	now := s.opts.Now()
	p, err := s.store.PolicyInForce(ctx, models.DateOf(now))
	if err != nil {
		s.writeError(c, err)
		return
	}
	var buf bytes.Buffer
	l := contracts.Leaflet{Language: lang, WorkerName: w.FullName, IssuedAt: now.UTC(), Policy: *p, Help: s.opts.Documents.Help}
	if err := contracts.RenderLeaflet(&buf, l, contracts.Options{Catalog: s.opts.Documents.Catalog}); err != nil {
		s.writeError(c, documentError(err, "lang"))
		return
	}
	c.Header("Content-Disposition", `attachment; filename="rights-`+lang+`.pdf"`)
	c.Data(http.StatusOK, "application/pdf", buf.Bytes())
}
