-- +goose Up
-- The date on which the planner next looks at an employment: it selects
-- only rows with plan_on on or before today, so a planning pass costs what
-- is due, not what is stored. NULL: nothing to plan until the employment or
-- one of its appointments changes (both reset it to the day of the change).
ALTER TABLE employments ADD COLUMN plan_on date;
UPDATE employments SET plan_on = CURRENT_DATE WHERE status IN ('approved', 'active', 'ended');
CREATE INDEX employments_plan_on ON employments (plan_on, id);

CREATE TABLE appointments (
    id                  text PRIMARY KEY,
    employment_id       text NOT NULL REFERENCES employments (id),
    mission_id          text NOT NULL REFERENCES missions (id),
    kind                text NOT NULL,
    status              text NOT NULL,
    window_start        date NOT NULL,
    window_end          date NOT NULL,
    starts_at           timestamptz,
    ends_at             timestamptz,
    room                text NOT NULL DEFAULT '',
    language            text NOT NULL DEFAULT '',
    interpreter_needed  boolean NOT NULL DEFAULT false,
    no_interpreter_note text NOT NULL DEFAULT '',
    outcome_note        text NOT NULL DEFAULT '',
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
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
DROP INDEX employments_plan_on;
ALTER TABLE employments DROP COLUMN plan_on;
