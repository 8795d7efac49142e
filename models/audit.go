package models

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// AuditGenesis is the previous hash of the first audit event.
const AuditGenesis = "0000000000000000000000000000000000000000000000000000000000000000"

// AuditHash returns the SHA-256 (hex) that chains e to its predecessor: it
// covers e.PrevHash and every other column but the hash itself, each
// length-prefixed so that no two events encode alike.
func AuditHash(e *AuditEvent) string {
	h := sha256.New()
	for _, s := range []string{
		e.PrevHash,
		strconv.FormatInt(e.Seq, 10),
		e.ID,
		e.At.UTC().Format(time.RFC3339Nano),
		e.ActorID,
		e.ActorRole,
		e.Action,
		e.ObjectType,
		e.ObjectID,
		e.RequestID,
		e.Detail,
		e.CreatedAt.UTC().Format(time.RFC3339Nano),
		e.UpdatedAt.UTC().Format(time.RFC3339Nano),
	} {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditFilter selects audit events; zero fields match everything.
type AuditFilter struct {
	ActorID    string
	ObjectType string
	ObjectID   string
	Action     string
	// AfterSeq and Limit page through the trail in order.
	AfterSeq int64
	Limit    int
}

// AuditBreak describes the first row where the chain does not hold.
type AuditBreak struct {
	Seq    int64
	ID     string
	Reason string
}

func (b *AuditBreak) String() string {
	var sb strings.Builder
	sb.WriteString("audit event seq ")
	sb.WriteString(strconv.FormatInt(b.Seq, 10))
	if b.ID != "" {
		sb.WriteString(" (id " + b.ID + ")")
	}
	sb.WriteString(": " + b.Reason)
	return sb.String()
}
