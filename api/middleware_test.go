package api

import (
	"sync"
	"testing"
)

// Request ids made by the server are 24 hex digits, well-formed by the
// server's own rule, distinct even when made concurrently, and share the
// process's random prefix.
func TestNewRequestID(t *testing.T) {
	const goroutines, each = 8, 500
	ids := make(chan string, goroutines*each)
	var wg sync.WaitGroup
	for range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				ids <- newRequestID()
			}
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	prefix := ""
	for id := range ids {
		if len(id) != 24 || !validRequestID(id) {
			t.Fatalf("id %q: want 24 hex digits", id)
		}
		for _, r := range id {
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
				t.Fatalf("id %q is not lower-case hex", id)
			}
		}
		if seen[id] {
			t.Fatalf("id %q made twice", id)
		}
		seen[id] = true
		if prefix == "" {
			prefix = id[:12]
		} else if id[:12] != prefix {
			t.Fatalf("id %q does not share the process prefix %q", id, prefix)
		}
	}
	if len(seen) != goroutines*each {
		t.Fatalf("%d ids, want %d", len(seen), goroutines*each)
	}
}

func BenchmarkNewRequestID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = newRequestID()
	}
}
