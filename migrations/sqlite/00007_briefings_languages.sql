-- +goose Up
-- The policy names the host language (the office's staff speak it unless
-- PDW_OFFICE_LANGUAGES says otherwise) and the follow-up window in days.
-- Rows loaded before this migration get the values the code used to fix.
ALTER TABLE policies ADD COLUMN host_language text NOT NULL DEFAULT 'en';
ALTER TABLE policies ADD COLUMN follow_up_days integer NOT NULL DEFAULT 14;
-- The focal point's language: the mission's messages are written in it.
ALTER TABLE missions ADD COLUMN language text NOT NULL DEFAULT 'en';
-- A language to interview the worker in before all others: a sign
-- language or a dialect.
ALTER TABLE workers ADD COLUMN interview_language text NOT NULL DEFAULT '';

-- A group rights briefing: one room of the office for one slot, in one
-- language, for up to capacity workers. Each worker invited has an
-- appointment of kind 'briefing' pointing at it (same slot and room), so
-- that reminders, outcomes and the mission's notice work as for any
-- appointment.
CREATE TABLE briefings (
    id                 text PRIMARY KEY,
    starts_at          datetime NOT NULL,
    ends_at            datetime NOT NULL,
    room               text NOT NULL,
    language           text NOT NULL,
    interpreter        text NOT NULL DEFAULT '',
    interpreter_needed boolean NOT NULL DEFAULT false,
    capacity           integer NOT NULL CHECK (capacity BETWEEN 1 AND 100),
    status             text NOT NULL,
    note               text NOT NULL DEFAULT '',
    created_at         datetime NOT NULL,
    updated_at         datetime NOT NULL,
    CONSTRAINT briefings_slot CHECK (starts_at < ends_at)
);
CREATE UNIQUE INDEX briefings_room_slot ON briefings (starts_at, room) WHERE status <> 'cancelled';
CREATE INDEX briefings_starts_at ON briefings (starts_at);

ALTER TABLE appointments ADD COLUMN briefing_id text REFERENCES briefings (id);
CREATE INDEX appointments_briefing_id ON appointments (briefing_id) WHERE briefing_id IS NOT NULL;
-- The attendees of a briefing share its room and slot.
DROP INDEX appointments_room_slot;
CREATE UNIQUE INDEX appointments_room_slot ON appointments (starts_at, room)
    WHERE starts_at IS NOT NULL AND status NOT IN ('cancelled', 'rescheduled') AND briefing_id IS NULL;

-- +goose Down
DROP INDEX appointments_room_slot;
CREATE UNIQUE INDEX appointments_room_slot ON appointments (starts_at, room)
    WHERE starts_at IS NOT NULL AND status NOT IN ('cancelled', 'rescheduled');
DROP INDEX appointments_briefing_id;
ALTER TABLE appointments DROP COLUMN briefing_id;
DROP TABLE briefings;
ALTER TABLE workers DROP COLUMN interview_language;
ALTER TABLE missions DROP COLUMN language;
ALTER TABLE policies DROP COLUMN follow_up_days;
ALTER TABLE policies DROP COLUMN host_language;
