package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/pdw-registry/pdw/models/keyring"
	"github.com/pdw-registry/pdw/models/store"
)

// devKeyFile is the development data key's file name in the data directory.
const devKeyFile = "data.key"

// dataKeys returns the ring that seals interviews and notes: PDW_DATA_KEY
// (or PDW_DATA_KEY_FILE) when set; otherwise, on SQLite, the development
// key in the data directory (the SQLite file's), generated with mode 0600
// on first use, with a loud warning. On PostgreSQL without a key it
// returns nil and warns: the replicas of one database must share one key,
// which a file on one machine's disk is not; sealed reads and writes then
// answer 503 until PDW_DATA_KEY is set. Key material is never logged.
func dataKeys(e *env) (*keyring.Ring, error) {
	if e.cfg.DataKeys != nil {
		e.log.Debug("data keys from PDW_DATA_KEY", slog.String("key_ids", keyIDs(e.cfg.DataKeys)))
		return e.cfg.DataKeys, nil
	}
	if store.IsPostgres(e.cfg.DatabaseURL) {
		e.log.Warn("PDW_DATA_KEY is not set: interviews and notes cannot be recorded or read (503) on PostgreSQL until it is " +
			"(a base64 32-byte key, e.g. `openssl rand -base64 32`, the same on every replica)")
		return nil, nil
	}
	path := filepath.Join(filepath.Dir(store.SQLitePath(e.cfg.DatabaseURL)), devKeyFile)
	ring, created, err := devKey(path)
	if err != nil {
		return nil, err
	}
	what := "using the development data key"
	if created {
		what = "generated a development data key"
	}
	e.log.Warn("PDW_DATA_KEY is not set: "+what+" beside the database; interviews and notes are encrypted with a key kept "+
		"on the same disk. For production set PDW_DATA_KEY or PDW_DATA_KEY_FILE (keep a copy of this key in the ring to read what it sealed)",
		slog.String("key_file", path), slog.String("key_id", ring.Current()))
	return ring, nil
}

// devKey reads the development key at path, or creates it (0600) when the
// file does not exist. A key file others may read is refused.
func devKey(path string) (*keyring.Ring, bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, false, fmt.Errorf("data key: %w", err)
		}
		k, err := keyring.Generate()
		if err != nil {
			return nil, false, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, false, fmt.Errorf("data key: %w", err)
		}
		if _, err := f.WriteString(k + "\n"); err != nil {
			f.Close()
			return nil, false, fmt.Errorf("data key: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, false, fmt.Errorf("data key: %w", err)
		}
		ring, err := keyring.Parse(k)
		return ring, true, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("data key: %w", err)
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 {
		return nil, false, &exitError{code: 1, msg: fmt.Sprintf("the data key file %s may be read by others (mode %v): chmod 600 it", path, st.Mode().Perm())}
	}
	ring, err := keyring.Parse(string(b))
	if err != nil {
		return nil, false, &exitError{code: 1, msg: path + ": " + err.Error()}
	}
	return ring, false, nil
}

// cmdKeysRotate re-seals every sealed value under the current data key
// (the first of PDW_DATA_KEY), batch rows per transaction, and reports the
// counts. Run it after putting a new key first in PDW_DATA_KEY (the old
// ones after it); once it reports nothing left to re-seal, the old keys
// may be dropped. Running it again is harmless.
func cmdKeysRotate(ctx context.Context, e *env, args []string) error {
	batch := store.DefaultRotateBatch
	if err := flags(e, "keys rotate", args, func(fs *flag.FlagSet) {
		fs.IntVar(&batch, "batch", store.DefaultRotateBatch, "rows re-sealed per transaction")
	}); err != nil {
		return err
	}
	if batch < 1 || batch > 100000 {
		return &exitError{code: 2, msg: "keys rotate: --batch must be 1 to 100000"}
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if db.Keyring() == nil {
		return &exitError{code: 1, msg: "keys rotate: PDW_DATA_KEY (or PDW_DATA_KEY_FILE) must name the keys: the new one first, then the old ones"}
	}
	res, err := db.RotateKeys(ctx, batch)
	total := 0
	for _, r := range res {
		total += r.Resealed
		fmt.Fprintf(e.stdout, "%s: re-sealed %d, already under the current key %d\n", r.Column, r.Resealed, r.Current)
	}
	if err != nil {
		return fmt.Errorf("keys rotate stopped (what is printed above is done; run it again once fixed): %w", err)
	}
	fmt.Fprintf(e.stdout, "re-sealed %d value(s) under key %s; values under older keys left: 0\n", total, db.Keyring().Current())
	return nil
}

// keyIDs lists a ring's ids for messages.
func keyIDs(r *keyring.Ring) string { return strings.Join(r.IDs(), ",") }
