-- +goose Up
-- Appointments: the interpreter booked for the interview (one interview at
-- a time each), and the urgent flag of a follow-up after a second
-- consecutive miss (an urgent task for officers).
ALTER TABLE appointments ADD COLUMN interpreter text NOT NULL DEFAULT '';
ALTER TABLE appointments ADD COLUMN urgent boolean NOT NULL DEFAULT false;
CREATE INDEX appointments_urgent ON appointments (id) WHERE urgent AND status = 'scheduled';

-- An employment's timeline: what happened to its appointments and each
-- step of the escalation ladder, in order (ids are UUIDv7). A row with a
-- recipient in notify is a message to send (the mission's focal point:
-- logistics only; the supervisors); the sender sets notified_at.
CREATE TABLE timeline_events (
    id             text PRIMARY KEY,
    employment_id  text NOT NULL REFERENCES employments (id),
    mission_id     text NOT NULL REFERENCES missions (id),
    appointment_id text REFERENCES appointments (id),
    kind           text NOT NULL,
    step           integer NOT NULL DEFAULT 0,
    notify         text NOT NULL DEFAULT '',
    data           text NOT NULL DEFAULT '{}',
    notified_at    timestamptz,
    created_at     timestamptz NOT NULL
);
CREATE INDEX timeline_events_employment ON timeline_events (employment_id, id);
CREATE INDEX timeline_events_outbox ON timeline_events (id) WHERE notify <> '' AND notified_at IS NULL;

-- +goose Down
DROP TABLE timeline_events;
DROP INDEX appointments_urgent;
ALTER TABLE appointments DROP COLUMN urgent;
ALTER TABLE appointments DROP COLUMN interpreter;
