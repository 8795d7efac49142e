package textlayout

import (
	"slices"
	"sync"
	"unsafe"
)

// DefaultCacheBytes is the default bound on the memory a [Fonts] spends
// on remembered [Shaper.Wrap] results. A 3-page contract's lines in one
// script take about 300 KB.
const DefaultCacheBytes = 2 << 20

// wrapKey is what a Wrap result depends on, besides the fonts.
type wrapKey struct {
	text, lang      string
	sizePt, widthPt float64
}

// wrapCache remembers Wrap results of one Fonts, shared by all its
// Shapers and safe for concurrent use. It keeps two generations: entries
// go into cur, a hit in old moves the entry to cur, and when cur holds
// half the budget it becomes old and the former old is dropped. So the
// text every document repeats (a contract's template sentences) stays,
// text seen once (a worker's name) ages out, and the cache never holds
// more than about its budget.
type wrapCache struct {
	mu       sync.Mutex
	cur, old map[wrapKey][]Line
	curBytes int
	limit    int // bytes; 0 disables the cache
}

func newWrapCache(limit int) *wrapCache {
	return &wrapCache{limit: max(limit, 0)}
}

// get returns a copy of the lines remembered for k (the Line values are
// the caller's to change; their Glyphs are shared and must not be).
func (c *wrapCache) get(k wrapKey) ([]Line, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	lines, ok := c.cur[k]
	if !ok {
		if lines, ok = c.old[k]; ok {
			delete(c.old, k)
			c.insert(k, lines)
		}
	}
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	return slices.Clone(lines), true
}

// put remembers a copy of lines for k.
func (c *wrapCache) put(k wrapKey, lines []Line) {
	if c == nil || c.limit == 0 {
		return
	}
	if cost(k, lines) > c.limit/8 { // one huge text would flush everything
		return
	}
	lines = slices.Clone(lines)
	c.mu.Lock()
	if _, ok := c.cur[k]; !ok {
		c.insert(k, lines)
	}
	c.mu.Unlock()
}

// insert adds an entry to cur, turning cur into old first when it is
// full. c.mu must be held.
func (c *wrapCache) insert(k wrapKey, lines []Line) {
	n := cost(k, lines)
	if c.cur == nil || c.curBytes+n > c.limit/2 {
		c.old, c.cur, c.curBytes = c.cur, make(map[wrapKey][]Line), 0
	}
	c.cur[k] = lines
	c.curBytes += n
}

// cost estimates the bytes an entry holds.
func cost(k wrapKey, lines []Line) int {
	n := int(unsafe.Sizeof(k)) + len(k.text) + len(k.lang) + 64 // map overhead
	for _, l := range lines {
		n += int(unsafe.Sizeof(l)) + len(l.Text) + len(l.Glyphs)*int(unsafe.Sizeof(Glyph{}))
	}
	return n
}

// len returns the number of entries and their estimated bytes.
func (c *wrapCache) len() (entries, bytes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, l := range c.cur {
		entries, bytes = entries+1, bytes+cost(k, l)
	}
	for k, l := range c.old {
		entries, bytes = entries+1, bytes+cost(k, l)
	}
	return entries, bytes
}
