-- +goose Up
-- One calendar-feed token per user (GET /api/v1/calendar.ics?token=),
-- stored as its SHA-256 only; creating a new one replaces the old.
-- Numbered 00006: 00004 and 00005 are taken by parallel branches.
CREATE TABLE calendar_tokens (
    user_id    text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);

-- +goose Down
DROP TABLE calendar_tokens;
