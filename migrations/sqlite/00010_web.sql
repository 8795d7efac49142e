-- +goose Up
-- The web console and the worker's private page (issue 7).
-- A user's console language (en or fr).
ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'en';

-- One personal access code per worker, handed over in person at arrival
-- registration; only its SHA-256 is stored. Issuing a new code replaces
-- the old one (the old one stops working at once).
CREATE TABLE worker_access_codes (
    worker_id  text PRIMARY KEY REFERENCES workers (id) ON DELETE CASCADE,
    code_hash  text NOT NULL UNIQUE,
    created_at datetime NOT NULL
);

-- +goose Down
DROP TABLE worker_access_codes;
ALTER TABLE users DROP COLUMN language;
