package contracts

import (
	"bytes"
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// Options tune rendering; the zero value uses the embedded texts.
type Options struct {
	// Catalog holds the texts; nil uses the embedded ones (LoadMessages("")).
	Catalog *Catalog
	// QRCode, when set, encodes the contract's VerifyURL as a PNG image that
	// every page's footer then shows beside the URL. This is the hook for
	// the verification QR code: no encoder ships with this package yet, and
	// without one the footer prints the URL alone.
	QRCode func(url string) (png []byte, err error)
}

// loadFonts reads every embedded font's metrics once per process.
func loadFonts() error {
	for _, f := range allFaces {
		if err := f.load(); err != nil {
			return err
		}
	}
	return nil
}

func (o Options) catalog() (*Catalog, error) {
	if o.Catalog != nil {
		return o.Catalog, nil
	}
	return embeddedCatalog()
}

// Page geometry, mm (A4).
const (
	pageW        = 210.0
	pageH        = 297.0
	marginLeft   = 20.0
	marginRight  = 20.0
	marginTop    = 16.0
	footerHeight = 20.0
)

// doc wraps one fpdf document with the text layout state.
type doc struct {
	pdf        *fpdf.Fpdf
	registered map[*face]bool
	left       float64 // left margin, mm
	right      float64 // right edge of the text column, mm
	top        float64
	bottom     float64 // the body stops here; the footer is below
	y          float64 // top of the next line
	footer     func()
	inFooter   bool  // no page break while the footer is drawn
	err        error // from drawing the footer, which fpdf calls

	// Shaped text (shaped.go): the Shapers this document took from their
	// pools, its laid-out lines waiting to be drawn as the document is
	// closed, and the text of every page, from which its reading
	// direction is decided.
	shapers  map[*script]*shaperPair
	shaped   []shapedLine
	pageText [][]string // by page number
	closing  bool
}

// footErr keeps an error from drawing a footer for output to report.
func (d *doc) footErr(err error) {
	if err != nil && d.err == nil {
		d.err = err
	}
}

// newDoc starts an A4 document with fixed dates, sorted catalogs and
// compression, so the same input gives the same bytes.
func newDoc(issued time.Time, title, lang string) *doc {
	pdf := fpdf.New("P", "mm", "A4", "")
	// Before any font is added: fpdf reserves the page-count alias in each
	// font's subset when it is registered.
	pdf.AliasNbPages("{nb}")
	pdf.SetCreationDate(issued.UTC())
	pdf.SetModificationDate(issued.UTC())
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	pdf.SetProducer("PDW Registry", true)
	pdf.SetTitle(title, true)
	pdf.SetLang(lang)
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetAutoPageBreak(false, 0)
	d := &doc{
		pdf:        pdf,
		registered: map[*face]bool{},
		left:       marginLeft,
		right:      pageW - marginRight,
		top:        marginTop,
		bottom:     pageH - footerHeight,
	}
	pdf.SetFooterFunc(func() {
		if d.footer != nil {
			d.inFooter = true
			d.footer()
			d.inFooter = false
		}
		if d.closing {
			// The last page's footer, as fpdf closes the document.
			d.drawShaped()
		}
	})
	return d
}

// newPage closes the current page (drawing its footer) and opens the next.
func (d *doc) newPage() {
	d.pdf.AddPage()
	d.y = d.top
}

// ensure starts a new page unless h mm are left above the footer.
func (d *doc) ensure(h float64) {
	if d.y+h > d.bottom {
		d.newPage()
	}
}

// setFont registers f in this document on first use (only the fonts a
// document draws with are embedded) and selects it.
func (d *doc) setFont(f *face, size float64) {
	if !d.registered[f] {
		d.pdf.AddUTF8FontFromBytes(f.family, f.style, f.data)
		d.registered[f] = true
	}
	d.pdf.SetFont(f.family, f.style, size)
}

// text draws s in face f with its baseline at (x, y).
func (d *doc) text(f *face, size float64, c rgb, x, y float64, s string) {
	d.setFont(f, size)
	d.pdf.SetTextColor(c.r, c.g, c.b)
	d.pdf.Text(x, y, s)
	d.noteText(s)
}

// paragraph draws p with the paragraph function of its runs' scripts:
// that of the first shaped script among them, else that of the first run
// (every run still falls back to other fonts rune by rune).
func (d *doc) paragraph(p *para) error {
	if len(p.runs) == 0 {
		return nil
	}
	sc := p.runs[0].script
	for _, r := range p.runs {
		if r.script.shaped {
			sc = r.script
			break
		}
	}
	return sc.paragraph(d, p)
}

// rule draws a thin horizontal line at the current y.
func (d *doc) rule(gap float64) {
	d.pdf.SetDrawColor(170, 170, 170)
	d.pdf.SetLineWidth(0.2)
	d.pdf.Line(d.left, d.y+gap/2, d.right, d.y+gap/2)
	d.y += gap
}

// image places a PNG at (x, y) with side size mm; the name registers it
// once per document.
func (d *doc) image(name string, png []byte, x, y, size float64) {
	opt := fpdf.ImageOptions{ImageType: "PNG"}
	if d.pdf.GetImageInfo(name) == nil {
		d.pdf.RegisterImageOptionsReader(name, opt, bytes.NewReader(png))
	}
	d.pdf.ImageOptions(name, x, y, size, size, false, opt, 0, "")
}

// output closes the document and writes it to w. Shaped lines are drawn
// as fpdf closes it (drawShaped).
func (d *doc) output(w io.Writer) error {
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("contracts: pdf: %w", err)
	}
	var buf bytes.Buffer
	d.closing = true
	if err := d.pdf.Output(&buf); err != nil {
		return fmt.Errorf("contracts: pdf: %w", err)
	}
	if d.err != nil {
		return d.err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

var (
	black = rgb{0, 0, 0}
	grey  = rgb{90, 90, 90}
	label = rgb{20, 60, 120}
)
