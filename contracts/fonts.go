package contracts

import (
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/pdw-registry/pdw/contracts/textlayout"
)

// The fonts are Noto Sans, Noto Sans Ethiopic, Noto Naskh Arabic and Noto
// Sans Devanagari, Bengali, Sinhala and Tamil (regular weight only) from
// Debian's fonts-noto-core, under the SIL Open Font License 1.1
// (fonts/OFL.txt). They are compiled into the binary; a document embeds
// (registers with fpdf) only the fonts it draws with, and the shaping
// fonts of a script are parsed the first time a document uses the script.
//
//go:embed fonts/*.ttf fonts/OFL.txt
var fontFS embed.FS

// A face is one embedded TrueType file. Its bytes live in the binary, and
// the two tables the layout needs (which runes it covers, their advance
// widths) are read once per process. fpdf parses the file once per
// process too: stock fpdf re-parses it for every document that registers
// it, so the project builds with a patched copy that caches parsed fonts
// (third_party/fpdf, see its README).
type face struct {
	family string // fpdf family name
	style  string // "" or "B"
	file   string // path inside fontFS

	once sync.Once
	data []byte
	m    *metrics
	err  error

	// The face parsed for textlayout (and its glyph-id twin), made the
	// first time a shaped paragraph needs it and shared by every script
	// that shapes with it (Noto Sans beside each script font).
	shapeOnce sync.Once
	shape     *textlayout.Font
	shapeErr  error
}

// shapingFont returns f parsed for textlayout, parsing it on first use;
// f must be loaded.
func (f *face) shapingFont() (*textlayout.Font, error) {
	f.shapeOnce.Do(func() {
		f.shape, f.shapeErr = textlayout.ParseFont(f.data)
		if f.shapeErr != nil {
			f.shapeErr = fmt.Errorf("%s: %w", f.file, f.shapeErr)
		}
	})
	return f.shape, f.shapeErr
}

// load reads the file and its metrics once.
func (f *face) load() error {
	f.once.Do(func() {
		f.data, f.err = fontFS.ReadFile(f.file)
		if f.err == nil {
			f.m, f.err = parseMetrics(f.data)
		}
		if f.err != nil {
			f.err = fmt.Errorf("contracts: font %s: %w", f.file, f.err)
		}
	})
	return f.err
}

// covers reports whether the face has a glyph for r. It must be called
// after load succeeded.
func (f *face) covers(r rune) bool { return f.m.covers(r) }

// width returns the advance of r in thousandths of an em, as fpdf
// computes it for the PDF's /W array.
func (f *face) width(r rune) int { return f.m.width(r) }

var (
	notoSans         = &face{family: "NotoSans", file: "fonts/NotoSans-Regular.ttf"}
	notoSansBold     = &face{family: "NotoSans", style: "B", file: "fonts/NotoSans-Bold.ttf"}
	notoEthiopic     = &face{family: "NotoSansEthiopic", file: "fonts/NotoSansEthiopic-Regular.ttf"}
	notoEthiopicBold = &face{family: "NotoSansEthiopic", style: "B", file: "fonts/NotoSansEthiopic-Bold.ttf"}
	notoNaskh        = &face{family: "NotoNaskhArabic", file: "fonts/NotoNaskhArabic-Regular.ttf"}
	notoNaskhBold    = &face{family: "NotoNaskhArabic", style: "B", file: "fonts/NotoNaskhArabic-Bold.ttf"}
	notoDevanagari   = &face{family: "NotoSansDevanagari", file: "fonts/NotoSansDevanagari-Regular.ttf"}
	notoBengali      = &face{family: "NotoSansBengali", file: "fonts/NotoSansBengali-Regular.ttf"}
	notoSinhala      = &face{family: "NotoSansSinhala", file: "fonts/NotoSansSinhala-Regular.ttf"}
	notoTamil        = &face{family: "NotoSansTamil", file: "fonts/NotoSansTamil-Regular.ttf"}
	allFaces         = []*face{notoSans, notoSansBold, notoEthiopic, notoEthiopicBold, notoNaskh, notoNaskhBold,
		notoDevanagari, notoBengali, notoSinhala, notoTamil}
	errFontUnsupported = errors.New("unsupported font file")
)

// metrics is what the layout needs from a font: the runes of the Basic
// Multilingual Plane it maps to a glyph (fpdf reads only a format-4 cmap,
// so nothing beyond U+FFFF can be drawn) and their advance widths.
type metrics struct {
	cover  [65536 / 64]uint64
	widths []uint16 // by rune; 0 for zero-width glyphs and uncovered runes
}

func (m *metrics) covers(r rune) bool {
	return r >= 0 && r < 65536 && m.cover[r>>6]&(1<<(uint(r)&63)) != 0
}

func (m *metrics) width(r rune) int {
	if r < 0 || r >= 65536 {
		return 0
	}
	return int(m.widths[r])
}

// parseMetrics reads the head, hhea, maxp, hmtx and cmap tables of a
// TrueType file. It follows fpdf's choices: the first format-4 subtable of
// platform 3 encoding 1 or of platform 0, and widths rounded to
// thousandths of an em.
func parseMetrics(b []byte) (*metrics, error) {
	be := binary.BigEndian
	if len(b) < 12 {
		return nil, errFontUnsupported
	}
	tables := map[string][]byte{}
	n := int(be.Uint16(b[4:]))
	for i := 0; i < n; i++ {
		rec := 12 + 16*i
		if rec+16 > len(b) {
			return nil, errFontUnsupported
		}
		tag := string(b[rec : rec+4])
		off, length := int(be.Uint32(b[rec+8:])), int(be.Uint32(b[rec+12:]))
		if off < 0 || length < 0 || off+length > len(b) {
			return nil, fmt.Errorf("%w: table %s out of range", errFontUnsupported, tag)
		}
		tables[tag] = b[off : off+length]
	}
	head, hhea, maxp, hmtx, cmap := tables["head"], tables["hhea"], tables["maxp"], tables["hmtx"], tables["cmap"]
	if len(head) < 20 || len(hhea) < 36 || len(maxp) < 6 || cmap == nil || hmtx == nil {
		return nil, fmt.Errorf("%w: missing table", errFontUnsupported)
	}
	upem := float64(be.Uint16(head[18:]))
	numHMetrics := int(be.Uint16(hhea[34:]))
	numGlyphs := int(be.Uint16(maxp[4:]))
	if upem == 0 || numHMetrics == 0 || len(hmtx) < 4*numHMetrics {
		return nil, fmt.Errorf("%w: bad metrics", errFontUnsupported)
	}
	advance := func(gid int) int {
		if gid >= numHMetrics {
			gid = numHMetrics - 1
		}
		return int(math.Round(float64(be.Uint16(hmtx[4*gid:])) * 1000 / upem))
	}

	var sub []byte
	if len(cmap) < 4 {
		return nil, fmt.Errorf("%w: bad cmap", errFontUnsupported)
	}
	for i := 0; i < int(be.Uint16(cmap[2:])); i++ {
		rec := 4 + 8*i
		if rec+8 > len(cmap) {
			break
		}
		platform, encoding, off := be.Uint16(cmap[rec:]), be.Uint16(cmap[rec+2:]), int(be.Uint32(cmap[rec+4:]))
		if (platform == 3 && encoding == 1 || platform == 0) && off+2 <= len(cmap) && be.Uint16(cmap[off:]) == 4 {
			sub = cmap[off:]
			break
		}
	}
	if len(sub) < 14 {
		return nil, fmt.Errorf("%w: no format-4 Unicode cmap", errFontUnsupported)
	}
	segs := int(be.Uint16(sub[6:])) / 2
	ends, starts, deltas, rangeOffs := 14, 16+2*segs, 16+4*segs, 16+6*segs
	if rangeOffs+2*segs > len(sub) {
		return nil, fmt.Errorf("%w: bad cmap", errFontUnsupported)
	}
	m := &metrics{widths: make([]uint16, 65536)}
	for s := 0; s < segs; s++ {
		end, start := int(be.Uint16(sub[ends+2*s:])), int(be.Uint16(sub[starts+2*s:]))
		delta, ro := int(be.Uint16(sub[deltas+2*s:])), int(be.Uint16(sub[rangeOffs+2*s:]))
		for c := start; c <= end && c < 0xFFFF; c++ {
			var gid int
			if ro == 0 {
				gid = (c + delta) & 0xFFFF
			} else {
				at := rangeOffs + 2*s + ro + 2*(c-start)
				if at+2 > len(sub) {
					continue
				}
				if gid = int(be.Uint16(sub[at:])); gid != 0 {
					gid = (gid + delta) & 0xFFFF
				}
			}
			if gid == 0 || gid >= numGlyphs {
				continue
			}
			m.cover[c>>6] |= 1 << (uint(c) & 63)
			m.widths[c] = uint16(advance(gid))
		}
	}
	return m, nil
}
