// Copyright ©2026 The go-pdf Authors. All rights reserved.
// Use of this source code is governed by a MIT-style
// license that can be found in the LICENSE file.

package fpdf

// PDW patch d7 (see third_party/fpdf/README.md): a process-wide cache of
// UTF-8 font subsets, so that documents using the same runes of the same
// font (every contract of a language draws its template text) subset and
// compress the font once.

import (
	"slices"
	"sync"
)

// subsetKey identifies a subset: the parsed font (shared by documents
// through the patch d1 cache) and the distinct values of the document's
// used-runes map, sorted, three bytes each. The subset depends on nothing
// else.
type subsetKey struct {
	font  *utf8FontFile
	runes string
}

// fontSubset is what putfonts writes for a subset that depends on the
// runes only: the compressed font program and CIDToGIDMap. Read-only once
// stored.
type fontSubset struct {
	size        int    // length of the uncompressed font program (/Length1)
	fontZ       []byte // compressed font program
	cidToGidMap []byte // compressed CIDToGIDMap
	lastRune    int
}

// subsetCacheBytes bounds the memory the subset cache holds (about; a
// subset of a large script font compresses to some tens of KB). A
// variable for the tests.
var subsetCacheBytes = 8 << 20

// subsetCache keeps two generations, as textlayout's line cache does: a
// hit in old moves to cur, and cur becomes old when it holds half the
// budget.
var subsetCache struct {
	mu       sync.Mutex
	cur, old map[subsetKey]*fontSubset
	curBytes int
}

func newSubsetKey(font *utf8FontFile, usedRunes map[int]int) subsetKey {
	vals := make([]int, 0, len(usedRunes))
	for _, v := range usedRunes {
		vals = append(vals, v)
	}
	slices.Sort(vals)
	vals = slices.Compact(vals)
	b := make([]byte, 0, 3*len(vals))
	for _, v := range vals {
		b = append(b, byte(v>>16), byte(v>>8), byte(v))
	}
	return subsetKey{font: font, runes: string(b)}
}

func loadSubset(k subsetKey) *fontSubset {
	c := &subsetCache
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.cur[k]; ok {
		return s
	}
	if s, ok := c.old[k]; ok {
		delete(c.old, k)
		storeSubsetLocked(k, s)
		return s
	}
	return nil
}

func storeSubset(k subsetKey, s *fontSubset) {
	if subsetCost(k, s) > subsetCacheBytes/8 {
		return
	}
	c := &subsetCache
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.cur[k]; !ok {
		storeSubsetLocked(k, s)
	}
}

func storeSubsetLocked(k subsetKey, s *fontSubset) {
	c := &subsetCache
	n := subsetCost(k, s)
	if c.cur == nil || c.curBytes+n > subsetCacheBytes/2 {
		c.old, c.cur, c.curBytes = c.cur, make(map[subsetKey]*fontSubset), 0
	}
	c.cur[k] = s
	c.curBytes += n
}

// subsetCacheSize returns the entries and bytes the cache holds.
func subsetCacheSize() (entries, bytes int) {
	c := &subsetCache
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, m := range []map[subsetKey]*fontSubset{c.cur, c.old} {
		for k, s := range m {
			entries, bytes = entries+1, bytes+subsetCost(k, s)
		}
	}
	return entries, bytes
}

// clearSubsetCache empties the cache (tests).
func clearSubsetCache() {
	c := &subsetCache
	c.mu.Lock()
	c.cur, c.old, c.curBytes = nil, nil, 0
	c.mu.Unlock()
}

func subsetCost(k subsetKey, s *fontSubset) int {
	return len(k.runes) + len(s.fontZ) + len(s.cidToGidMap) + 128
}

// makeSubset subsets font for usedRunes (with rune 0 deleted) and
// compresses the results, as stock putfonts does.
func makeSubset(font *utf8FontFile, usedRunes map[int]int) *fontSubset {
	cut := font.scratch() // patch d1: the parsed font may be shared
	utf8FontStream := cut.GenerateCutFont(usedRunes)
	codeSignDictionary := cut.CodeSymbolDictionary
	delete(codeSignDictionary, 0)

	// PDW patch d4: the map covers CIDs 0 to the last used rune (the
	// largest CID the content can hold), not 0 to 65535.
	cidToGidMap := make([]byte, (min(cut.LastRune, 0xFFFF)+1)*2)
	for cc, glyph := range codeSignDictionary {
		cidToGidMap[cc*2] = byte(glyph >> 8)
		cidToGidMap[cc*2+1] = byte(glyph & 0xFF)
	}
	s := &fontSubset{size: len(utf8FontStream), lastRune: cut.LastRune}
	mem := xmem.compress(cidToGidMap)
	s.cidToGidMap = mem.copy()
	mem.release()
	mem = xmem.compress(utf8FontStream)
	s.fontZ = mem.copy()
	mem.release()
	return s
}

// fontSubsetFor returns the subset of font for usedRunes, from the cache
// or made and stored; a font that is not in the patch d1 cache (added by
// file name, or a hash collision) is subset every time.
func fontSubsetFor(font *utf8FontFile, usedRunes map[int]int) *fontSubset {
	if _, shared := sharedUTF8Files.Load(font); !shared {
		return makeSubset(font, usedRunes)
	}
	k := newSubsetKey(font, usedRunes)
	if s := loadSubset(k); s != nil {
		return s
	}
	s := makeSubset(font, usedRunes)
	storeSubset(k, s)
	return s
}
