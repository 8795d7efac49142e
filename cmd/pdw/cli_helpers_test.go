package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
)

func init() { store.BcryptCost = bcrypt.MinCost }

// result is what one run of the command produced.
type result struct {
	code           int
	stdout, stderr string
}

// getenvOf returns a getenv func reading only vars.
func getenvOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// dbEnv is the environment that points pdw at url.
func dbEnv(url string) map[string]string {
	return map[string]string{"PDW_DATABASE_URL": url}
}

// pdw runs the command with vars as its environment and stdin as its input.
func pdw(t *testing.T, vars map[string]string, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, getenvOf(vars), strings.NewReader(stdin), &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// mustPDW runs the command and fails the test unless it exits 0.
func mustPDW(t *testing.T, vars map[string]string, stdin string, args ...string) result {
	t.Helper()
	r := pdw(t, vars, stdin, args...)
	if r.code != 0 {
		t.Fatalf("pdw %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// openStore opens the database at url for inspection, closed at cleanup.
func openStore(t *testing.T, url string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// sysCtx is a context acting as the system, which sees everything.
func sysCtx() context.Context {
	return models.WithActor(context.Background(), models.SystemActor("test"))
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
