-- +goose Up
-- Cases and referrals (issue 5): the office's private record of a concern
-- about an employment. No mission ever reads these tables. The free text
-- (cases.reason, case_actions.note, referrals.reason) is sensitive and is
-- meant to be sealed (encrypted at rest) in place.

-- Organisations the office refers workers to, configured by admins.
CREATE TABLE organisations (
    id         text PRIMARY KEY,
    kind       text NOT NULL,
    name       text NOT NULL,
    email      text NOT NULL DEFAULT '',
    phone      text NOT NULL DEFAULT '',
    languages  text NOT NULL DEFAULT '[]',
    emergency  boolean NOT NULL DEFAULT false,
    active     boolean NOT NULL DEFAULT true,
    created_at datetime NOT NULL,
    updated_at datetime NOT NULL
);

-- A case per employment and concern; at most one not closed per employment.
CREATE TABLE cases (
    id              text PRIMARY KEY,
    employment_id   text NOT NULL REFERENCES employments (id),
    mission_id      text NOT NULL REFERENCES missions (id),
    status          text NOT NULL,
    priority        text NOT NULL,
    source          text NOT NULL,
    reason          text NOT NULL DEFAULT '',
    indicators      text NOT NULL DEFAULT '[]',
    assigned_to     text REFERENCES users (id),
    opened_by       text NOT NULL DEFAULT '',
    opened_at       datetime NOT NULL,
    first_action_at datetime,
    closed_at       datetime,
    outcome         text NOT NULL DEFAULT '',
    created_at      datetime NOT NULL,
    updated_at      datetime NOT NULL
);
CREATE UNIQUE INDEX cases_one_open ON cases (employment_id) WHERE status <> 'closed';
CREATE INDEX cases_employment ON cases (employment_id, id);
CREATE INDEX cases_assigned ON cases (assigned_to, id);
CREATE INDEX cases_status ON cases (status, id);

-- A case's timeline: who did what, when (ids are UUIDv7, in order).
CREATE TABLE case_actions (
    id         text PRIMARY KEY,
    case_id    text NOT NULL REFERENCES cases (id),
    kind       text NOT NULL,
    actor_id   text NOT NULL DEFAULT '',
    actor_role text NOT NULL DEFAULT '',
    at         datetime NOT NULL,
    note       text NOT NULL DEFAULT '',
    data       text NOT NULL DEFAULT '{}',
    created_at datetime NOT NULL
);
CREATE INDEX case_actions_case ON case_actions (case_id, id);

-- Referrals of a case to an organisation, with the worker's consent (or
-- flagged as an emergency without it).
CREATE TABLE referrals (
    id                  text PRIMARY KEY,
    case_id             text NOT NULL REFERENCES cases (id),
    employment_id       text NOT NULL REFERENCES employments (id),
    organisation_id     text NOT NULL REFERENCES organisations (id),
    consent             boolean NOT NULL,
    consent_recorded_by text REFERENCES users (id),
    emergency           boolean NOT NULL DEFAULT false,
    reason              text NOT NULL DEFAULT '',
    referred_at         datetime NOT NULL,
    created_by          text NOT NULL DEFAULT '',
    created_at          datetime NOT NULL,
    CHECK (consent OR emergency)
);
CREATE INDEX referrals_case ON referrals (case_id, id);

-- +goose Down
DROP TABLE referrals;
DROP TABLE case_actions;
DROP TABLE cases;
DROP TABLE organisations;
