package store

import (
	"context"
	"errors"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// auditGroup commits the audit events that record no change (reads of
// personal data, logins, reports) for many requests in one transaction:
// group commit. The chain allows one writer at a time, so a transaction of
// its own for each read would cap audited reads at one chain append (a lock,
// an insert and a commit's fsync) at a time; grouped, the requests that
// arrive while one transaction commits share the next one. Each caller still
// returns only after its events are committed (auditNow), so no read of
// personal data is answered without its record. Changes keep auditing in
// their own transaction (audit), so that they and their record commit or
// roll back together.
type auditGroup struct {
	start, stopOnce sync.Once
	waits           chan *auditWait
	stop            chan struct{}
}

// auditWait is one caller's events and where it waits for their commit.
type auditWait struct {
	items []auditItem
	done  chan error
}

// auditGroupMax bounds the events of one group transaction.
const auditGroupMax = 512

// auditGroupTimeout bounds one group transaction.
const auditGroupTimeout = 30 * time.Second

// errClosed is returned to callers of auditNow once the store is closed.
var errClosed = errors.New("store: closed")

func newAuditGroup() auditGroup {
	return auditGroup{waits: make(chan *auditWait), stop: make(chan struct{})}
}

// auditNow appends entries, caused by ctx's actor, to the chain and returns
// once they are committed. It must not be called inside a transaction (on
// SQLite the transaction would hold the one connection the group needs).
// If ctx ends first, auditNow returns its error; the events may still be
// committed (a read on record that was not answered errs on the side of the
// record).
func (db *DB) auditNow(ctx context.Context, entries ...auditEntry) error {
	a := models.ActorFrom(ctx)
	w := &auditWait{items: make([]auditItem, len(entries)), done: make(chan error, 1)}
	for i, en := range entries {
		w.items[i] = auditItem{a, en}
	}
	g := &db.group
	g.start.Do(func() { go db.runAuditGroup() })
	select {
	case g.waits <- w:
	case <-g.stop:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-w.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// runAuditGroup takes the first waiting caller, then every caller already
// waiting (up to auditGroupMax events), commits their events in one
// transaction and tells each the outcome; until the store closes.
func (db *DB) runAuditGroup() {
	g := &db.group
	for {
		var group []*auditWait
		select {
		case w := <-g.waits:
			group = append(group, w)
		case <-g.stop:
			return
		}
		n := len(group[0].items)
	more:
		for n < auditGroupMax {
			select {
			case w := <-g.waits:
				group = append(group, w)
				n += len(w.items)
			default:
				break more
			}
		}
		items := make([]auditItem, 0, n)
		for _, w := range group {
			items = append(items, w.items...)
		}
		ctx, cancel := context.WithTimeout(context.Background(), auditGroupTimeout)
		err := db.tx(ctx, func(tx *gorm.DB) error { return db.appendAudit(ctx, tx, items) })
		cancel()
		for _, w := range group {
			w.done <- err
		}
	}
}

// stopAuditGroup ends runAuditGroup; callers waiting to join a group get
// errClosed.
func (db *DB) stopAuditGroup() {
	db.group.stopOnce.Do(func() { close(db.group.stop) })
}

// audited runs read, which only reads (through q, outside a transaction),
// and then records entries for ctx's actor through the group commit: the
// caller answers only once its read is on record. An error from read
// records nothing.
func (db *DB) audited(ctx context.Context, read func(q *gorm.DB) error, entries ...auditEntry) error {
	if err := read(db.read(ctx)); err != nil {
		return err
	}
	return db.auditNow(ctx, entries...)
}
