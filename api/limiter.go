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

// take records an attempt against both keys unless either has reached its
// limit in the window, in which case it records nothing and returns false.
func (l *loginLimiter) take(key1 string, limit1 int, key2 string, limit2 int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.prune(key1)) >= limit1 || len(l.prune(key2)) >= limit2 {
		return false
	}
	now := l.now()
	l.fails[key1] = append(l.fails[key1], now)
	l.fails[key2] = append(l.fails[key2], now)
	if len(l.fails) > 100_000 { // bound memory under a spray of addresses
		for k := range l.fails {
			l.prune(k)
		}
	}
	return true
}

// forgive takes back the latest recorded attempt of each key.
func (l *loginLimiter) forgive(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		if ts := l.fails[k]; len(ts) > 0 {
			if len(ts) == 1 {
				delete(l.fails, k)
			} else {
				l.fails[k] = ts[:len(ts)-1]
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

// takeOne records an attempt against key unless it has reached limit in
// the window, in which case it records nothing and returns false.
func (l *loginLimiter) takeOne(key string, limit int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.prune(key)) >= limit {
		return false
	}
	l.fails[key] = append(l.fails[key], l.now())
	return true
}
