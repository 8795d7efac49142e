// Copyright ©2026 The go-pdf Authors. All rights reserved.
// Use of this source code is governed by a MIT-style
// license that can be found in the LICENSE file.

package fpdf

// PDW patch d1 (see third_party/fpdf/README.md): a process-wide cache of
// parsed UTF-8 fonts, so that AddUTF8FontFromBytes parses a font and
// computes its ID once per process instead of once per document.

import (
	"bytes"
	"hash/maphash"
	"sync"
)

// utf8FontKey identifies a font added with AddUTF8FontFromBytes: its font
// key (family and style) and a hash of its bytes. A hit is confirmed by
// comparing the bytes themselves, so a hash collision or a caller that
// reuses its buffer for another font cannot return the wrong font.
type utf8FontKey struct {
	fontkey string
	size    int
	sum     uint64
}

// cachedUTF8Font is a parsed font shared by every document of the
// process. Nothing in it is written after it is stored: each document
// gets its own used-runes map (see fontDefType.usedRunes) and subsets the
// font on a scratch utf8FontFile of its own (see utf8FontFile.scratch).
type cachedUTF8Font struct {
	data []byte      // private copy of the font file
	def  fontDefType // with usedRunes nil; utf8File parsed from data
}

var (
	utf8FontSeed  = maphash.MakeSeed()
	utf8FontCache sync.Map // utf8FontKey -> *cachedUTF8Font
	// sharedUTF8Files holds the parsed fonts in utf8FontCache, which live
	// as long as the process: patch d7 caches subsets of these only (a
	// font parsed for one document must not be kept alive by its
	// subsets).
	sharedUTF8Files sync.Map // *utf8FontFile -> struct{}
)

// cachedUTF8FontDef returns the definition of the font in utf8Bytes under
// fontkey, parsing it (and computing its ID, as stock fpdf does for every
// document) only the first time the process sees it. The returned
// definition has no usedRunes map: the caller adds its own.
func cachedUTF8FontDef(fontkey string, utf8Bytes []byte) (fontDefType, error) {
	key := utf8FontKey{fontkey: fontkey, size: len(utf8Bytes), sum: maphash.Bytes(utf8FontSeed, utf8Bytes)}
	if v, ok := utf8FontCache.Load(key); ok {
		c := v.(*cachedUTF8Font)
		if bytes.Equal(c.data, utf8Bytes) {
			return c.def, nil
		}
		// A collision: parse without caching.
		return parseUTF8FontDef(fontkey, bytes.Clone(utf8Bytes))
	}
	data := bytes.Clone(utf8Bytes)
	def, err := parseUTF8FontDef(fontkey, data)
	if err != nil {
		return def, err
	}
	v, loaded := utf8FontCache.LoadOrStore(key, &cachedUTF8Font{data: data, def: def})
	if !loaded {
		sharedUTF8Files.Store(def.utf8File, struct{}{}) // patch d7
	}
	if c := v.(*cachedUTF8Font); bytes.Equal(c.data, utf8Bytes) {
		return c.def, nil
	}
	return def, nil
}

// parseUTF8FontDef parses a TrueType font into a definition, as stock
// addFontFromBytes does, without the per-document usedRunes.
func parseUTF8FontDef(fontkey string, data []byte) (fontDefType, error) {
	reader := fileReader{readerPosition: 0, array: data}
	utf8File := newUTF8Font(&reader)
	if err := utf8File.parseFile(); err != nil {
		return fontDefType{}, err
	}
	desc := FontDescType{
		Ascent:       int(utf8File.Ascent),
		Descent:      int(utf8File.Descent),
		CapHeight:    utf8File.CapHeight,
		Flags:        utf8File.Flags,
		FontBBox:     utf8File.Bbox,
		ItalicAngle:  utf8File.ItalicAngle,
		StemV:        utf8File.StemV,
		MissingWidth: round(utf8File.DefaultWidth),
	}
	def := fontDefType{
		Tp:       "UTF8",
		Name:     fontkey,
		Desc:     desc,
		Up:       int(round(utf8File.UnderlinePosition)),
		Ut:       round(utf8File.UnderlineThickness),
		Cw:       utf8File.CharWidths,
		utf8File: utf8File,
	}
	def.i, _ = generateFontID(def)
	return def, nil
}

// scratch returns a fresh utf8FontFile over the same font bytes (and,
// with patch d3, the same read-only parsed cmap), for one document to
// subset: GenerateCutFont writes to its receiver.
func (utf *utf8FontFile) scratch() *utf8FontFile {
	s := newUTF8Font(&fileReader{array: utf.fileReader.array})
	s.cmapSymbolChar, s.cmapCharSymbol = utf.cmapSymbolChar, utf.cmapCharSymbol
	return s
}
