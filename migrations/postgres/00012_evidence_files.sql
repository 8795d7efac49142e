-- +goose Up
-- Evidence gains hours records (kind 'hours': month and hours_worked), the
-- amount of pay evidence (in minor units of the employment's currency, like
-- the terms' wage) and an optional uploaded document. The document's bytes
-- live in evidence_files (one per evidence row); the evidence row keeps its
-- SHA-256, content type and size. Retention deletes the files.
ALTER TABLE evidence DROP CONSTRAINT evidence_kind;
ALTER TABLE evidence ADD CONSTRAINT evidence_kind
    CHECK (kind IN ('pay', 'insurance', 'final_pay', 'return_travel', 'hours'));
ALTER TABLE evidence ADD COLUMN amount_minor bigint NOT NULL DEFAULT 0;
ALTER TABLE evidence ADD COLUMN currency text NOT NULL DEFAULT '';
ALTER TABLE evidence ADD COLUMN hours_worked double precision;
ALTER TABLE evidence ADD COLUMN file_sha256 text NOT NULL DEFAULT '';
ALTER TABLE evidence ADD COLUMN file_content_type text NOT NULL DEFAULT '';
ALTER TABLE evidence ADD COLUMN file_size bigint NOT NULL DEFAULT 0;

CREATE TABLE evidence_files (
    evidence_id   text PRIMARY KEY REFERENCES evidence (id),
    employment_id text NOT NULL REFERENCES employments (id),
    name          text NOT NULL,
    content_type  text NOT NULL,
    size          bigint NOT NULL,
    sha256        text NOT NULL,
    data          bytea NOT NULL,
    created_at    timestamptz NOT NULL
);
CREATE INDEX evidence_files_employment ON evidence_files (employment_id);

-- +goose Down
DROP TABLE evidence_files;
DELETE FROM evidence WHERE kind = 'hours';
ALTER TABLE evidence DROP COLUMN file_size;
ALTER TABLE evidence DROP COLUMN file_content_type;
ALTER TABLE evidence DROP COLUMN file_sha256;
ALTER TABLE evidence DROP COLUMN hours_worked;
ALTER TABLE evidence DROP COLUMN currency;
ALTER TABLE evidence DROP COLUMN amount_minor;
ALTER TABLE evidence DROP CONSTRAINT evidence_kind;
ALTER TABLE evidence ADD CONSTRAINT evidence_kind
    CHECK (kind IN ('pay', 'insurance', 'final_pay', 'return_travel'));
