-- +goose Up
-- Interviews: the private record of an interview with the worker alone
-- (one per appointment). answers, indicators and notes hold values sealed
-- with AES-256-GCM ("v1:<key id>:<base64>", models/keyring), bound to the
-- row id and column: the database alone reveals nothing of them. The risk
-- level stays in clear for the office's queues. Appointments' outcome
-- notes are sealed the same way from now on (older plain notes are sealed
-- by `pdw keys rotate`).
CREATE TABLE interviews (
    id                   text PRIMARY KEY,
    appointment_id       text NOT NULL REFERENCES appointments (id),
    employment_id        text NOT NULL REFERENCES employments (id),
    mission_id           text NOT NULL REFERENCES missions (id),
    checklist_version    text NOT NULL,
    interpreter_language text NOT NULL DEFAULT '',
    worker_seen_alone    boolean NOT NULL,
    answers              text NOT NULL,
    indicators           text NOT NULL,
    notes                text NOT NULL DEFAULT '',
    risk_level           text NOT NULL,
    recorded_by          text NOT NULL DEFAULT '',
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    CONSTRAINT interviews_appointment_once UNIQUE (appointment_id),
    CONSTRAINT interviews_risk_level CHECK (risk_level IN ('none', 'medium', 'high', 'critical'))
);
CREATE INDEX interviews_employment ON interviews (employment_id, id);

-- +goose Down
DROP TABLE interviews;
