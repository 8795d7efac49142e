package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/pdw-registry/pdw/migrations"
	"github.com/pdw-registry/pdw/models"
)

// auditLockKey is the PostgreSQL advisory lock that serialises appends to
// the chain across connections and replicas (SQLite has one writer anyway).
const auditLockKey = 0x5044572d41554454 // "PDW-AUDT"

// audit appends one event to the hash chain inside tx, so that the change
// and its record commit or roll back together. The actor and request id
// come from ctx.
func (db *DB) audit(ctx context.Context, tx *gorm.DB, action, objectType, objectID, detail string) error {
	return db.auditMany(ctx, tx, []auditEntry{{action, objectType, objectID, detail}})
}

// auditEntry is one event for auditMany.
type auditEntry struct{ action, objectType, objectID, detail string }

// auditMany appends events to the hash chain inside tx, in order, reading
// the chain's head once and inserting in batches: the way to record a job's
// many changes (a planning pass) in the same transaction as the changes.
func (db *DB) auditMany(ctx context.Context, tx *gorm.DB, entries []auditEntry) error {
	a := models.ActorFrom(ctx)
	items := make([]auditItem, len(entries))
	for i, en := range entries {
		items[i] = auditItem{a, en}
	}
	return db.appendAudit(ctx, tx, items)
}

// auditItem is one event and who caused it.
type auditItem struct {
	actor models.Actor
	auditEntry
}

// appendAudit chains and inserts items inside tx, holding the chain's lock
// (on PostgreSQL) until tx ends.
func (db *DB) appendAudit(ctx context.Context, tx *gorm.DB, items []auditItem) error {
	if len(items) == 0 {
		return nil
	}
	if db.dialect == migrations.Postgres {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", db.lockKey(auditLockKey)).Error; err != nil {
			return fmt.Errorf("store: audit lock: %w", err)
		}
	}
	var last models.AuditEvent
	err := tx.Select("seq", "hash").Order("seq DESC").Limit(1).Find(&last).Error
	if err != nil {
		return fmt.Errorf("store: audit head: %w", err)
	}
	prev := last.Hash
	if last.Seq == 0 {
		prev = models.AuditGenesis
	}
	now := db.now()
	events := make([]models.AuditEvent, len(items))
	for i, it := range items {
		ev := &events[i]
		*ev = models.AuditEvent{
			ID:         models.NewID(),
			Seq:        last.Seq + 1 + int64(i),
			At:         now,
			ActorID:    it.actor.UserID,
			ActorRole:  it.actor.Role,
			Action:     it.action,
			ObjectType: it.objectType,
			ObjectID:   it.objectID,
			RequestID:  it.actor.RequestID,
			Detail:     it.detail,
			PrevHash:   prev,
			CreatedAt:  now,
			UpdatedAt:  now,
		}
		ev.Hash = models.AuditHash(ev)
		prev = ev.Hash
	}
	if db.dialect == migrations.Postgres && len(events) >= bulkAudit {
		if err := insertAuditPG(ctx, tx, events); err != nil {
			return fmt.Errorf("store: audit append: %w", err)
		}
		return nil
	}
	rows := db.insertRows(14) // an audit event's columns
	for i := 0; i < len(events); i += rows {
		batch := events[i:min(i+rows, len(events))]
		if err := tx.Create(&batch).Error; err != nil {
			return fmt.Errorf("store: audit append: %w", err)
		}
	}
	return nil
}

// Audit records an event that is not a change made through the store (a
// login, a logout, a refused notification) in a transaction of its own.
// It returns once the event is committed.
func (db *DB) Audit(ctx context.Context, action, objectType, objectID, detail string) error {
	return db.auditNow(ctx, auditEntry{action, objectType, objectID, detail})
}

// FindAuditEvents returns events in chain order after f.AfterSeq.
func (db *DB) FindAuditEvents(ctx context.Context, f models.AuditFilter) ([]models.AuditEvent, error) {
	q := db.read(ctx).Model(&models.AuditEvent{}).Where("seq > ?", f.AfterSeq)
	if f.ActorID != "" {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.ObjectType != "" {
		q = q.Where("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		q = q.Where("object_id = ?", f.ObjectID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var out []models.AuditEvent
	err := q.Order(clause.OrderByColumn{Column: clause.Column{Name: "seq"}}).Limit(limit).Find(&out).Error
	return out, translate(err, "audit event")
}

// VerifyAudit walks the whole chain in order and returns the first break
// (an edited row, a removed row, a reordered row), or nil and the number of
// events checked and the head's hash when the chain is intact.
func (db *DB) VerifyAudit(ctx context.Context) (brk *models.AuditBreak, checked int64, head string, err error) {
	prev, wantSeq := models.AuditGenesis, int64(1)
	const batch = 2000
	for {
		var rows []models.AuditEvent
		err := db.read(ctx).Where("seq >= ?", wantSeq).Order("seq").Limit(batch).Find(&rows).Error
		if err != nil {
			return nil, checked, "", fmt.Errorf("store: verify audit: %w", err)
		}
		for i := range rows {
			e := &rows[i]
			switch {
			case e.Seq != wantSeq:
				return &models.AuditBreak{Seq: wantSeq, Reason: fmt.Sprintf("row missing (next row present is seq %d)", e.Seq)}, checked, "", nil
			case e.PrevHash != prev:
				return &models.AuditBreak{Seq: e.Seq, ID: e.ID, Reason: "prev_hash does not match the previous row's hash (a row before it was removed or rewritten)"}, checked, "", nil
			case models.AuditHash(e) != e.Hash:
				return &models.AuditBreak{Seq: e.Seq, ID: e.ID, Reason: "contents do not match the row's hash (the row was edited)"}, checked, "", nil
			}
			prev = e.Hash
			wantSeq++
			checked++
		}
		if len(rows) < batch {
			return nil, checked, prev, nil
		}
	}
}
