// Package keyring seals short secrets (interview answers, officers' notes)
// with AES-256-GCM under a ring of data keys, so that the database alone
// reveals nothing and keys can rotate.
//
// A sealed value is the text
//
//	v1:<kid>:<base64url(nonce || ciphertext+tag)>
//
// where kid names the key it was sealed under. The caller's additional
// data (for the store: table, column and row id) is authenticated, so a
// ciphertext copied into another row or column does not open.
//
// A ring is written (PDW_DATA_KEY) as one base64 key of 32 bytes, or as
// comma-separated id:base64 entries; the first key is the current one
// (Seal uses it), the others only open older values. A key given without
// an id gets one derived from the key (the first 8 hex digits of SHA-256
// over "pdw-kid" and the key), so the same key always has the same id.
package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Prefix starts every sealed value (format version 1).
const Prefix = "v1:"

// KeySize is the length of a data key in bytes (AES-256).
const KeySize = 32

const maxKIDLen = 32

// ErrUnknownKey is returned by Open for a value sealed under a key the
// ring does not hold.
var ErrUnknownKey = errors.New("keyring: sealed under a key this ring does not hold")

// ErrNotSealed is returned by Open for a value that is not sealed.
var ErrNotSealed = errors.New("keyring: not a sealed value")

// ErrOpen is returned by Open when the value does not authenticate (wrong
// additional data, tampered or truncated ciphertext).
var ErrOpen = errors.New("keyring: sealed value does not open (tampered, or moved from another row or column)")

// Ring is an ordered set of data keys; the first is current. It is safe
// for concurrent use.
type Ring struct {
	ids   []string
	aeads map[string]cipher.AEAD
}

// New builds a ring from keys (id -> 32-byte key) in the order of ids; the
// first id is the current key.
func New(ids []string, keys map[string][]byte) (*Ring, error) {
	if len(ids) == 0 {
		return nil, errors.New("keyring: no key")
	}
	r := &Ring{aeads: map[string]cipher.AEAD{}}
	for _, id := range ids {
		if !validKID(id) {
			return nil, fmt.Errorf("keyring: key id %q: use 1 to %d letters, digits, - or _", id, maxKIDLen)
		}
		if _, dup := r.aeads[id]; dup {
			return nil, fmt.Errorf("keyring: key id %q is given twice", id)
		}
		k := keys[id]
		if len(k) != KeySize {
			return nil, fmt.Errorf("keyring: key %q must be %d bytes, is %d", id, KeySize, len(k))
		}
		block, err := aes.NewCipher(k)
		if err != nil {
			return nil, fmt.Errorf("keyring: %w", err)
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("keyring: %w", err)
		}
		r.ids = append(r.ids, id)
		r.aeads[id] = aead
	}
	return r, nil
}

// Parse reads a ring written as one base64 key, or as comma-separated
// id:base64 entries (first = current). Base64 may be standard or URL
// encoding, padded or not. Errors never contain key material.
func Parse(s string) (*Ring, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, errors.New("keyring: empty")
	}
	var ids []string
	keys := map[string][]byte{}
	for i, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		id, b64, hasID := strings.Cut(entry, ":")
		if !hasID {
			b64, id = entry, ""
		}
		k, err := decodeKey(b64)
		if err != nil {
			return nil, fmt.Errorf("keyring: entry %d: %w", i+1, err)
		}
		if id == "" {
			id = DeriveID(k)
		}
		if _, dup := keys[id]; dup {
			return nil, fmt.Errorf("keyring: entry %d: key id %q is given twice", i+1, id)
		}
		ids = append(ids, id)
		keys[id] = k
	}
	return New(ids, keys)
}

func decodeKey(b64 string) ([]byte, error) {
	b64 = strings.TrimSpace(b64)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(b64); err == nil {
			if len(k) != KeySize {
				return nil, fmt.Errorf("a key must be %d bytes once base64-decoded, this one is %d", KeySize, len(k))
			}
			return k, nil
		}
	}
	return nil, errors.New("a key must be base64 (of 32 random bytes, e.g. `openssl rand -base64 32`)")
}

// DeriveID returns the id of a key given without one.
func DeriveID(key []byte) string {
	h := sha256.Sum256(append([]byte("pdw-kid\x00"), key...))
	return hex.EncodeToString(h[:4])
}

// Generate returns a new random key, base64-encoded (standard encoding).
func Generate() (string, error) {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return "", fmt.Errorf("keyring: %w", err)
	}
	return base64.StdEncoding.EncodeToString(k), nil
}

func validKID(id string) bool {
	if id == "" || len(id) > maxKIDLen {
		return false
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Current returns the id of the key Seal uses.
func (r *Ring) Current() string { return r.ids[0] }

// IDs returns the ring's key ids, current first.
func (r *Ring) IDs() []string { return append([]string(nil), r.ids...) }

// Seal encrypts plaintext under the current key, binding ad.
func (r *Ring) Seal(plaintext, ad []byte) (string, error) {
	id := r.ids[0]
	aead := r.aeads[id]
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("keyring: %w", err)
	}
	out := aead.Seal(nonce, nonce, plaintext, adFor(id, ad))
	return Prefix + id + ":" + base64.RawURLEncoding.EncodeToString(out), nil
}

// adFor binds the key id as well as the caller's data.
func adFor(id string, ad []byte) []byte {
	return append([]byte(Prefix+id+":"), ad...)
}

// Open decrypts a value sealed by Seal with the same ad.
func (r *Ring) Open(sealed string, ad []byte) ([]byte, error) {
	id, body, ok := split(sealed)
	if !ok {
		return nil, ErrNotSealed
	}
	aead, ok := r.aeads[id]
	if !ok {
		return nil, fmt.Errorf("%w (key id %q)", ErrUnknownKey, id)
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(raw) < aead.NonceSize()+aead.Overhead() {
		return nil, ErrOpen
	}
	pt, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], adFor(id, ad))
	if err != nil {
		return nil, ErrOpen
	}
	return pt, nil
}

// KeyID returns the id of the key a sealed value was sealed under, and
// whether the value has the sealed form at all.
func KeyID(sealed string) (string, bool) {
	id, _, ok := split(sealed)
	return id, ok
}

// IsSealed reports whether s has the sealed form.
func IsSealed(s string) bool {
	_, _, ok := split(s)
	return ok
}

func split(s string) (id, body string, ok bool) {
	rest, ok := strings.CutPrefix(s, Prefix)
	if !ok {
		return "", "", false
	}
	id, body, ok = strings.Cut(rest, ":")
	if !ok || !validKID(id) || body == "" {
		return "", "", false
	}
	return id, body, true
}
