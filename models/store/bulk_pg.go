package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// insertAppointmentsPG inserts appts on PostgreSQL in one statement of
// column arrays (unnest), skipping any whose employment, kind and window
// start already has one, and returns the ids it inserted. A planning pass
// inserts up to 100,000 at a time: as arrays they are 19 parameters a
// statement, not 19 per row, and pgx encodes each array in one go (the
// row-per-parameter insert spent most of the pass encoding parameters).
func (db *DB) insertAppointmentsPG(ctx context.Context, tx *gorm.DB, appts []models.Appointment) (map[string]bool, error) {
	sqlTx, err := SQLTx(tx)
	if err != nil {
		return nil, err
	}
	n := len(appts)
	var (
		ids, emps, missions, kinds, statuses   = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		wstart, wend                           = make([]string, n), make([]string, n)
		starts, ends, created                  = make([]pgtype.Timestamptz, n), make([]pgtype.Timestamptz, n), make([]time.Time, n)
		rooms, langs, interpreters, notes, out = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		needed, urgent                         = make([]bool, n), make([]bool, n)
		briefings                              = make([]pgtype.Text, n)
	)
	now := db.now().UTC().Truncate(time.Microsecond)
	for i := range appts {
		a := &appts[i]
		a.CreatedAt, a.UpdatedAt = now, now
		ids[i], emps[i], missions[i], kinds[i], statuses[i] = a.ID, a.EmploymentID, a.MissionID, a.Kind, a.Status
		wstart[i], wend[i] = a.WindowStart.String(), a.WindowEnd.String()
		if a.StartsAt != nil {
			starts[i] = pgtype.Timestamptz{Time: a.StartsAt.UTC(), Valid: true}
		}
		if a.EndsAt != nil {
			ends[i] = pgtype.Timestamptz{Time: a.EndsAt.UTC(), Valid: true}
		}
		created[i] = now
		rooms[i], langs[i], interpreters[i], notes[i], out[i] = a.Room, a.Language, a.Interpreter, a.NoInterpreterNote, a.OutcomeNote
		needed[i], urgent[i] = a.InterpreterNeeded, a.Urgent
		if a.BriefingID != nil {
			briefings[i] = pgtype.Text{String: *a.BriefingID, Valid: true}
		}
	}
	rows, err := sqlTx.QueryContext(ctx, `INSERT INTO appointments (id, employment_id, mission_id, kind, status,
    window_start, window_end, starts_at, ends_at, room, language, interpreter_needed, interpreter,
    no_interpreter_note, urgent, outcome_note, briefing_id, created_at, updated_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::date[], $7::date[],
    $8::timestamptz[], $9::timestamptz[], $10::text[], $11::text[], $12::boolean[], $13::text[], $14::text[],
    $15::boolean[], $16::text[], $17::text[], $18::timestamptz[], $18::timestamptz[])
ON CONFLICT (employment_id, kind, window_start) DO NOTHING
RETURNING id`, ids, emps, missions, kinds, statuses, wstart, wend, starts, ends, rooms, langs, needed, interpreters,
		notes, urgent, out, briefings, created)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	in := make(map[string]bool, n)
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		in[id] = true
	}
	return in, rows.Err()
}

// bulkAudit is how many audit events make auditMany use insertAuditPG on
// PostgreSQL (a planning pass audits up to 100,000 creations at once).
const bulkAudit = 64

// insertAuditPG inserts audit events (chained and hashed by the caller)
// in one statement of column arrays, as insertAppointmentsPG does.
func insertAuditPG(ctx context.Context, tx *gorm.DB, events []models.AuditEvent) error {
	sqlTx, err := SQLTx(tx)
	if err != nil {
		return err
	}
	n := len(events)
	ids, actors, roles, actions, types := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	objects, requests, details, prevs, hashes := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	seqs := make([]int64, n)
	at, created, updated := make([]time.Time, n), make([]time.Time, n), make([]time.Time, n)
	for i := range events {
		e := &events[i]
		ids[i], seqs[i], at[i] = e.ID, e.Seq, e.At.UTC()
		actors[i], roles[i], actions[i], types[i], objects[i] = e.ActorID, e.ActorRole, e.Action, e.ObjectType, e.ObjectID
		requests[i], details[i], prevs[i], hashes[i] = e.RequestID, e.Detail, e.PrevHash, e.Hash
		created[i], updated[i] = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	}
	_, err = sqlTx.ExecContext(ctx, `INSERT INTO audit_events (id, seq, at, actor_id, actor_role, action, object_type,
    object_id, request_id, detail, prev_hash, hash, created_at, updated_at)
SELECT * FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::timestamptz[])`,
		ids, seqs, at, actors, roles, actions, types, objects, requests, details, prevs, hashes, created, updated)
	return err
}
