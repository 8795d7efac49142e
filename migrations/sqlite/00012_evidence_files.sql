-- +goose Up
-- Evidence gains hours records (kind 'hours': month and hours_worked), the
-- amount of pay evidence (in minor units of the employment's currency, like
-- the terms' wage) and an optional uploaded document. The document's bytes
-- live in evidence_files (one per evidence row); the evidence row keeps its
-- SHA-256, content type and size. Retention deletes the files. SQLite
-- cannot change a CHECK constraint: the table is rebuilt.
CREATE TABLE evidence_new (
    id                text PRIMARY KEY,
    employment_id     text NOT NULL REFERENCES employments (id),
    mission_id        text NOT NULL REFERENCES missions (id),
    kind              text NOT NULL,
    month             text NOT NULL DEFAULT '',
    sole_name_account boolean NOT NULL DEFAULT false,
    insurance         text NOT NULL DEFAULT '',
    valid_until       text,
    reference         text NOT NULL DEFAULT '',
    note              text NOT NULL DEFAULT '',
    recorded_by       text NOT NULL,
    recorded_role     text NOT NULL,
    created_at        datetime NOT NULL,
    amount_minor      integer NOT NULL DEFAULT 0,
    currency          text NOT NULL DEFAULT '',
    hours_worked      real,
    file_sha256       text NOT NULL DEFAULT '',
    file_content_type text NOT NULL DEFAULT '',
    file_size         integer NOT NULL DEFAULT 0,
    CONSTRAINT evidence_kind CHECK (kind IN ('pay', 'insurance', 'final_pay', 'return_travel', 'hours'))
);
INSERT INTO evidence_new (id, employment_id, mission_id, kind, month, sole_name_account, insurance,
    valid_until, reference, note, recorded_by, recorded_role, created_at)
SELECT id, employment_id, mission_id, kind, month, sole_name_account, insurance,
    valid_until, reference, note, recorded_by, recorded_role, created_at FROM evidence;
DROP TABLE evidence;
ALTER TABLE evidence_new RENAME TO evidence;
CREATE INDEX evidence_employment ON evidence (employment_id, kind, valid_until);
CREATE INDEX evidence_mission ON evidence (mission_id, kind);

CREATE TABLE evidence_files (
    evidence_id   text PRIMARY KEY REFERENCES evidence (id),
    employment_id text NOT NULL REFERENCES employments (id),
    name          text NOT NULL,
    content_type  text NOT NULL,
    size          integer NOT NULL,
    sha256        text NOT NULL,
    data          blob NOT NULL,
    created_at    datetime NOT NULL
);
CREATE INDEX evidence_files_employment ON evidence_files (employment_id);

-- +goose Down
DROP TABLE evidence_files;
CREATE TABLE evidence_old (
    id                text PRIMARY KEY,
    employment_id     text NOT NULL REFERENCES employments (id),
    mission_id        text NOT NULL REFERENCES missions (id),
    kind              text NOT NULL,
    month             text NOT NULL DEFAULT '',
    sole_name_account boolean NOT NULL DEFAULT false,
    insurance         text NOT NULL DEFAULT '',
    valid_until       text,
    reference         text NOT NULL DEFAULT '',
    note              text NOT NULL DEFAULT '',
    recorded_by       text NOT NULL,
    recorded_role     text NOT NULL,
    created_at        datetime NOT NULL,
    CONSTRAINT evidence_kind CHECK (kind IN ('pay', 'insurance', 'final_pay', 'return_travel'))
);
INSERT INTO evidence_old SELECT id, employment_id, mission_id, kind, month, sole_name_account, insurance,
    valid_until, reference, note, recorded_by, recorded_role, created_at FROM evidence WHERE kind <> 'hours';
DROP TABLE evidence;
ALTER TABLE evidence_old RENAME TO evidence;
CREATE INDEX evidence_employment ON evidence (employment_id, kind, valid_until);
CREATE INDEX evidence_mission ON evidence (mission_id, kind);
