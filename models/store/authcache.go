package store

import (
	"sync"
	"time"

	"github.com/pdw-registry/pdw/models"
)

// AuthCacheTTL is how long a process trusts a credential (an API token or
// a session cookie) it has checked against the database before checking
// it again. Within one process every change to accounts, sessions or
// tokens (logout, a token deleted, an account disabled or changed) empties
// the cache at once; on another replica it takes effect within this time.
// Without it every authenticated request would cost two more queries
// (DESIGN.md section 8: a GET of one record at >= 0.5x pgbench -S).
const AuthCacheTTL = 2 * time.Second

// authCacheMax bounds the cache; when full it is emptied.
const authCacheMax = 10000

type authEntry struct {
	user  models.User
	until time.Time // trusted until (now + AuthCacheTTL)
	// expires is the session's own end (zero for an API token).
	expires time.Time
}

// authCache maps a credential's hash to the account it opened.
type authCache struct {
	mu sync.Mutex
	m  map[string]authEntry
}

// get returns a copy of the account for key when it was checked less than
// AuthCacheTTL ago and, for a session, the session has not ended.
func (c *authCache) get(key string, now time.Time) (*models.User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || !now.Before(e.until) || (!e.expires.IsZero() && !now.Before(e.expires)) {
		return nil, false
	}
	u := e.user
	return &u, true
}

func (c *authCache) put(key string, u *models.User, now, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= authCacheMax {
		c.m = make(map[string]authEntry)
	}
	c.m[key] = authEntry{user: *u, until: now.Add(AuthCacheTTL), expires: expires}
}

// flush forgets every credential: called on any change to accounts,
// sessions or tokens.
func (c *authCache) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
}
