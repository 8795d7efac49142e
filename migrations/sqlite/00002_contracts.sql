-- +goose Up
CREATE TABLE contracts (
    id              text PRIMARY KEY,
    employment_id   text NOT NULL REFERENCES employments (id),
    mission_id      text NOT NULL REFERENCES missions (id),
    policy_id       text NOT NULL REFERENCES policies (id),
    version         integer NOT NULL,
    status          text NOT NULL,
    host_language   text NOT NULL,
    worker_language text NOT NULL,
    host_text_version   text NOT NULL,
    worker_text_version text NOT NULL,
    terms           text NOT NULL,
    sha256          text NOT NULL,
    size_bytes      integer NOT NULL,
    verify_code     text NOT NULL UNIQUE,
    issued_at       datetime NOT NULL,
    created_at      datetime NOT NULL,
    updated_at      datetime NOT NULL,
    UNIQUE (employment_id, version)
);
CREATE INDEX contracts_mission_id ON contracts (mission_id, id);
-- One current version per employment.
CREATE UNIQUE INDEX contracts_one_current ON contracts (employment_id) WHERE status = 'current';

CREATE TABLE contract_pdfs (
    contract_id text PRIMARY KEY REFERENCES contracts (id),
    pdf         blob NOT NULL,
    created_at  datetime NOT NULL,
    updated_at  datetime NOT NULL
);

CREATE TABLE contract_signatures (
    id          text PRIMARY KEY,
    contract_id text NOT NULL REFERENCES contracts (id),
    party       text NOT NULL,
    signed_on   text NOT NULL,
    place       text NOT NULL,
    recorded_by text NOT NULL,
    created_at  datetime NOT NULL,
    updated_at  datetime NOT NULL,
    UNIQUE (contract_id, party)
);

-- +goose Down
DROP TABLE contract_signatures;
DROP TABLE contract_pdfs;
DROP TABLE contracts;
