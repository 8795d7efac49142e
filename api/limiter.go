package api

import (
	"sync"
	"time"
)

// loginLimiter counts failed logins per client address and per account in
// a sliding window and refuses further attempts once a limit is reached.
// It lives in one process's memory: behind several replicas each keeps its
// own count, which still bounds guessing to replicas x limit per window.
type loginLimiter struct {
	mu     sync.Mutex
	now    func() time.Time
	fails  map[string][]time.Time
	window time.Duration
}

// Limits of the login limiter.
const (
	loginWindow        = 15 * time.Minute
	maxFailsPerAddress = 20
	maxFailsPerAccount = 5
)

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, fails: map[string][]time.Time{}, window: loginWindow}
}

// blocked reports whether key has reached limit failures in the window.
func (l *loginLimiter) blocked(key string, limit int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.prune(key)) >= limit
}

// fail records a failure for each key.
func (l *loginLimiter) fail(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		l.fails[k] = append(l.prune(k), l.now())
	}
	if len(l.fails) > 100_000 { // bound memory under a spray of addresses
		for k := range l.fails {
			if len(l.prune(k)) == 0 {
				delete(l.fails, k)
			}
		}
	}
}

// reset forgets an account's failures after a successful login.
func (l *loginLimiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, key)
}

func (l *loginLimiter) prune(key string) []time.Time {
	cut := l.now().Add(-l.window)
	ts := l.fails[key]
	i := 0
	for i < len(ts) && !ts[i].After(cut) {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(l.fails, key)
		return nil
	}
	l.fails[key] = ts
	return ts
}
