-- +goose Up
-- The sanctions register: every suspension or restoration of an
-- employer's or a mission's eligibility to register new workers, with who
-- decided it, when, why and on which legal basis. The suspended flags on
-- missions and employers stay the current state; the store changes them
-- only together with a row here, in one transaction. mission_id is the
-- subject's mission (the mission itself for a mission), for reports.
CREATE TABLE sanctions (
    id           text PRIMARY KEY,
    subject_kind text NOT NULL,
    subject_id   text NOT NULL,
    mission_id   text NOT NULL REFERENCES missions (id),
    action       text NOT NULL,
    reason       text NOT NULL,
    legal_basis  text NOT NULL,
    actor_id     text NOT NULL,
    created_at   timestamptz NOT NULL,
    CONSTRAINT sanctions_subject_kind CHECK (subject_kind IN ('employer', 'mission')),
    CONSTRAINT sanctions_action CHECK (action IN ('suspend', 'restore'))
);
CREATE INDEX sanctions_subject ON sanctions (subject_id, id);
CREATE INDEX sanctions_mission ON sanctions (mission_id, created_at);

-- Evidence filed for an employment: proof of a month's pay (into an
-- account in the worker's sole name or not), an insurance with its expiry,
-- and the exit evidence (final pay, return travel paid). month is
-- 'YYYY-MM' for pay evidence and '' otherwise.
CREATE TABLE evidence (
    id                text PRIMARY KEY,
    employment_id     text NOT NULL REFERENCES employments (id),
    mission_id        text NOT NULL REFERENCES missions (id),
    kind              text NOT NULL,
    month             text NOT NULL DEFAULT '',
    sole_name_account boolean NOT NULL DEFAULT false,
    insurance         text NOT NULL DEFAULT '',
    valid_until       date,
    reference         text NOT NULL DEFAULT '',
    note              text NOT NULL DEFAULT '',
    recorded_by       text NOT NULL,
    recorded_role     text NOT NULL,
    created_at        timestamptz NOT NULL,
    CONSTRAINT evidence_kind CHECK (kind IN ('pay', 'insurance', 'final_pay', 'return_travel'))
);
CREATE INDEX evidence_employment ON evidence (employment_id, kind, valid_until);
CREATE INDEX evidence_mission ON evidence (mission_id, kind);

-- Reports count the check-ins due in a period by kind and due date.
CREATE INDEX appointments_report ON appointments (kind, window_end);

-- +goose Down
DROP INDEX appointments_report;
DROP TABLE evidence;
DROP TABLE sanctions;
