-- +goose Up
-- The planner's queue: the date on which it next looks at an employment.
-- A planning pass reads only the rows whose date has come (by the index),
-- so it costs what is due, not what is stored; an employment with nothing
-- to plan until it changes has no row. Any change that bears on planning
-- (the employment's dates or status, an appointment's outcome) puts the
-- employment back for the day. Kept apart from employments so that moving
-- a date rewrites a two-column row, not an employment and its indexes.
CREATE TABLE plan_queue (
    employment_id text PRIMARY KEY REFERENCES employments (id),
    plan_on       text NOT NULL
);
CREATE INDEX plan_queue_plan_on ON plan_queue (plan_on, employment_id);
INSERT INTO plan_queue (employment_id, plan_on)
    SELECT id, CURRENT_DATE FROM employments WHERE status IN ('approved', 'active', 'ended');

CREATE TABLE appointments (
    id                  text PRIMARY KEY,
    employment_id       text NOT NULL REFERENCES employments (id),
    mission_id          text NOT NULL REFERENCES missions (id),
    kind                text NOT NULL,
    status              text NOT NULL,
    window_start        text NOT NULL,
    window_end          text NOT NULL,
    starts_at           datetime,
    ends_at             datetime,
    room                text NOT NULL DEFAULT '',
    language            text NOT NULL DEFAULT '',
    interpreter_needed  boolean NOT NULL DEFAULT false,
    no_interpreter_note text NOT NULL DEFAULT '',
    outcome_note        text NOT NULL DEFAULT '',
    created_at          datetime NOT NULL,
    updated_at          datetime NOT NULL,
    -- One appointment per employment, kind and due window: the planner
    -- inserts with ON CONFLICT DO NOTHING on this key, so running it twice,
    -- or on several replicas at once, never creates a second.
    CONSTRAINT appointments_due_once UNIQUE (employment_id, kind, window_start),
    CONSTRAINT appointments_window CHECK (window_start <= window_end),
    -- A slot is a start, an end and a room, or none of them (unplaceable).
    CONSTRAINT appointments_slot CHECK ((starts_at IS NULL) = (ends_at IS NULL) AND (starts_at IS NULL) = (room = ''))
);
-- A room is never booked twice for the same start; a cancelled or
-- rescheduled appointment frees its slot.
CREATE UNIQUE INDEX appointments_room_slot ON appointments (starts_at, room)
    WHERE starts_at IS NOT NULL AND status NOT IN ('cancelled', 'rescheduled');
CREATE INDEX appointments_starts_at ON appointments (starts_at) WHERE starts_at IS NOT NULL;
CREATE INDEX appointments_mission_id ON appointments (mission_id, id);
-- The sweep looks only at scheduled appointments with a slot, by their end.
CREATE INDEX appointments_scheduled_ends_at ON appointments (ends_at) WHERE status = 'scheduled' AND ends_at IS NOT NULL;

-- +goose Down
DROP TABLE appointments;
DROP TABLE plan_queue;
