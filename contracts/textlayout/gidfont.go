package textlayout

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf16"
)

// PUABase is the code point that glyph 0 is mapped to in a glyph-id font:
// glyph g is reached through rune PUABase+g.
const PUABase = 0xE000

// MaxGlyphs is the largest glyph count a glyph-id font can have: the size of
// the BMP private-use area (U+E000..U+F8FF). fpdf reads only format-4 cmaps
// and uses 16-bit CIDs, so glyphs cannot be reached beyond it.
const MaxGlyphs = 0xF900 - PUABase

// GlyphIDFont rewrites a TrueType font so that fpdf can place shaped glyphs:
// the cmap is replaced by a single (3,1) format-4 subtable mapping U+E000+gid
// to glyph gid (one delta segment and the 0xFFFF end segment). All other
// tables are kept byte for byte (OS/2's first/last character index is
// updated); the table directory is rebuilt with 4-byte aligned offsets, fresh
// table checksums and head.checkSumAdjustment.
//
// It refuses font collections, CFF-flavoured OpenType fonts (fpdf embeds only
// glyf outlines) and fonts with more than [MaxGlyphs] glyphs.
func GlyphIDFont(ttf []byte) ([]byte, error) {
	tables, err := readTableDirectory(ttf)
	if err != nil {
		return nil, err
	}
	maxp, ok := tables["maxp"]
	if !ok || len(maxp) < 6 {
		return nil, errors.New("textlayout: font has no valid maxp table")
	}
	numGlyphs := int(binary.BigEndian.Uint16(maxp[4:6]))
	if numGlyphs == 0 {
		return nil, errors.New("textlayout: font has no glyphs")
	}
	if numGlyphs > MaxGlyphs {
		return nil, fmt.Errorf("textlayout: font has %d glyphs; a glyph-id font can address at most %d (the BMP private-use area)", numGlyphs, MaxGlyphs)
	}
	if head, ok := tables["head"]; !ok || len(head) < 54 {
		return nil, errors.New("textlayout: font has no valid head table")
	}

	tables["cmap"] = glyphIDCmap(numGlyphs)
	if os2, ok := tables["OS/2"]; ok && len(os2) >= 68 {
		os2 = slices.Clone(os2)
		binary.BigEndian.PutUint16(os2[64:], PUABase)
		binary.BigEndian.PutUint16(os2[66:], uint16(PUABase+numGlyphs-1))
		tables["OS/2"] = os2
	}
	return writeFont(binary.BigEndian.Uint32(ttf), tables), nil
}

// puaStrings holds U+E000..U+F8FF encoded in UTF-8, three bytes each, so
// that a glyph's one-rune string is a slice of it rather than an allocation.
var puaStrings = func() string {
	var b strings.Builder
	b.Grow(3 * MaxGlyphs)
	for r := rune(PUABase); r < PUABase+MaxGlyphs; r++ {
		b.WriteRune(r)
	}
	return b.String()
}()

func glyphString(gid uint16) string {
	i := 3 * int(gid)
	return puaStrings[i : i+3]
}

// readTableDirectory checks the sfnt header and returns every table's bytes
// by tag (sub-slices of ttf).
func readTableDirectory(ttf []byte) (map[string][]byte, error) {
	if len(ttf) < 12 {
		return nil, errors.New("textlayout: font file too short")
	}
	switch v := binary.BigEndian.Uint32(ttf); v {
	case 0x00010000, 0x74727565: // TrueType, Apple 'true'
	case 0x4F54544F: // 'OTTO'
		return nil, errors.New("textlayout: CFF-flavoured OpenType font (OTTO): fpdf embeds only TrueType (glyf) outlines")
	case 0x74746366: // 'ttcf'
		return nil, errors.New("textlayout: font collections (TTC) are not supported; extract one font first")
	default:
		return nil, fmt.Errorf("textlayout: not a TrueType font (sfnt version %#08x)", v)
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	if len(ttf) < 12+16*n {
		return nil, errors.New("textlayout: font table directory truncated")
	}
	tables := make(map[string][]byte, n)
	for i := range n {
		rec := ttf[12+16*i:]
		tag := string(rec[:4])
		off := uint64(binary.BigEndian.Uint32(rec[8:]))
		length := uint64(binary.BigEndian.Uint32(rec[12:]))
		if off+length > uint64(len(ttf)) {
			return nil, fmt.Errorf("textlayout: font table %q lies outside the file", tag)
		}
		tables[tag] = ttf[off : off+length]
	}
	if _, cff := tables["CFF "]; cff {
		return nil, errors.New("textlayout: font has CFF outlines: fpdf embeds only TrueType (glyf) outlines")
	}
	if _, cff2 := tables["CFF2"]; cff2 {
		return nil, errors.New("textlayout: font has CFF2 outlines: fpdf embeds only TrueType (glyf) outlines")
	}
	for _, tag := range []string{"glyf", "loca", "head", "hhea", "hmtx", "maxp"} {
		if _, ok := tables[tag]; !ok {
			return nil, fmt.Errorf("textlayout: font has no %q table", tag)
		}
	}
	return tables, nil
}

// glyphIDCmap builds a cmap table with one (3,1) format-4 subtable of two
// segments: U+E000..U+E000+numGlyphs-1 → 0..numGlyphs-1 by idDelta, and the
// mandatory 0xFFFF segment.
func glyphIDCmap(numGlyphs int) []byte {
	const segCount = 2
	const subLen = 16 + 8*segCount
	b := make([]byte, 0, 12+subLen)
	u16 := func(v uint16) { b = binary.BigEndian.AppendUint16(b, v) }
	// cmap header and the one encoding record.
	u16(0) // version
	u16(1) // numTables
	u16(3) // platform: Windows
	u16(1) // encoding: Unicode BMP
	b = binary.BigEndian.AppendUint32(b, 12)
	// format 4 subtable
	u16(4)            // format
	u16(subLen)       // length
	u16(0)            // language
	u16(segCount * 2) // segCountX2
	u16(4)            // searchRange = 2 * 2^floor(log2(segCount))
	u16(1)            // entrySelector = log2(searchRange/2)
	u16(0)            // rangeShift = segCountX2 - searchRange
	u16(uint16(PUABase + numGlyphs - 1))
	u16(0xFFFF) // endCode
	u16(0)      // reservedPad
	u16(PUABase)
	u16(0xFFFF)                    // startCode
	u16(uint16(-PUABase & 0xFFFF)) // idDelta: (c + delta) mod 65536 = c - 0xE000
	u16(1)                         // idDelta of the end segment: 0xFFFF → 0
	u16(0)
	u16(0) // idRangeOffset
	return b
}

// writeFont lays the tables out again, sorted by tag, each on a 4-byte
// boundary, and fixes the checksums.
func writeFont(sfntVersion uint32, tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	size := 0
	for tag, data := range tables {
		tags = append(tags, tag)
		size += (len(data) + 3) &^ 3
	}
	slices.Sort(tags)
	n := len(tags)
	dirLen := 12 + 16*n
	out := make([]byte, dirLen, dirLen+size)

	binary.BigEndian.PutUint32(out[0:], sfntVersion)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	entrySelector := 0
	for 1<<(entrySelector+1) <= n {
		entrySelector++
	}
	searchRange := 16 << entrySelector
	binary.BigEndian.PutUint16(out[6:], uint16(searchRange))
	binary.BigEndian.PutUint16(out[8:], uint16(entrySelector))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-searchRange))

	headOffset := -1
	for i, tag := range tags {
		data := tables[tag]
		off := len(out)
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		if tag == "head" {
			headOffset = off
			binary.BigEndian.PutUint32(out[off+8:], 0) // checkSumAdjustment, summed as 0
		}
		rec := out[12+16*i:]
		copy(rec, tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(out[off:]))
		binary.BigEndian.PutUint32(rec[8:], uint32(off))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(data)))
	}
	binary.BigEndian.PutUint32(out[headOffset+8:], 0xB1B0AFBA-checksum(out))
	return out
}

// checksum is the OpenType table checksum: the sum of big-endian uint32
// words, the data padded with zeros to a multiple of four.
func checksum(b []byte) uint32 {
	var sum uint32
	for len(b) >= 4 {
		sum += binary.BigEndian.Uint32(b)
		b = b[4:]
	}
	if len(b) > 0 {
		var last [4]byte
		copy(last[:], b)
		sum += binary.BigEndian.Uint32(last[:])
	}
	return sum
}

// postScriptName reads name ID 6 from the name table, or "" when absent.
func postScriptName(ttf []byte) string {
	tables, err := readTableDirectory(ttf)
	if err != nil {
		return ""
	}
	name := tables["name"]
	if len(name) < 6 {
		return ""
	}
	count := int(binary.BigEndian.Uint16(name[2:]))
	strOff := int(binary.BigEndian.Uint16(name[4:]))
	for i := range count {
		rec := name[6+12*i:]
		if len(rec) < 12 {
			break
		}
		platform := binary.BigEndian.Uint16(rec)
		nameID := binary.BigEndian.Uint16(rec[6:])
		length := int(binary.BigEndian.Uint16(rec[8:]))
		off := strOff + int(binary.BigEndian.Uint16(rec[10:]))
		if nameID != 6 || off+length > len(name) {
			continue
		}
		raw := name[off : off+length]
		switch platform {
		case 3, 0: // UTF-16BE
			u := make([]uint16, len(raw)/2)
			for j := range u {
				u[j] = binary.BigEndian.Uint16(raw[2*j:])
			}
			return string(utf16.Decode(u))
		case 1: // Mac Roman; PostScript names are ASCII
			return string(raw)
		}
	}
	return ""
}
