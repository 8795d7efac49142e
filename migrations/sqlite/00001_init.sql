-- +goose Up
CREATE TABLE missions (
    id                text PRIMARY KEY,
    name              text NOT NULL,
    kind              text NOT NULL,
    country           text NOT NULL,
    focal_point_email text NOT NULL DEFAULT '',
    suspended         boolean NOT NULL DEFAULT false,
    created_at        datetime NOT NULL,
    updated_at        datetime NOT NULL
);

CREATE TABLE employers (
    id                   text PRIMARY KEY,
    mission_id           text NOT NULL REFERENCES missions (id),
    full_name            text NOT NULL,
    rank                 text NOT NULL,
    accreditation_number text NOT NULL DEFAULT '',
    immunity             text NOT NULL,
    suspended            boolean NOT NULL DEFAULT false,
    created_at           datetime NOT NULL,
    updated_at           datetime NOT NULL
);
CREATE INDEX employers_mission_id ON employers (mission_id, id);

CREATE TABLE workers (
    id                      text PRIMARY KEY,
    mission_id              text REFERENCES missions (id),
    full_name               text NOT NULL,
    date_of_birth           text,
    date_of_birth_uncertain boolean NOT NULL DEFAULT false,
    sex                     text NOT NULL,
    nationality             text NOT NULL,
    languages               text NOT NULL DEFAULT '[]',
    passport_number         text NOT NULL DEFAULT '',
    phone                   text NOT NULL DEFAULT '',
    email                   text NOT NULL DEFAULT '',
    contact_consent         boolean NOT NULL DEFAULT false,
    review_reason           text NOT NULL DEFAULT '',
    created_at              datetime NOT NULL,
    updated_at              datetime NOT NULL
);
CREATE INDEX workers_mission_id ON workers (mission_id, id);

CREATE TABLE policies (
    id                             text PRIMARY KEY,
    version                        integer NOT NULL UNIQUE,
    name                           text NOT NULL,
    title                          text NOT NULL DEFAULT '',
    effective_from                 text NOT NULL,
    country                        text NOT NULL,
    currency                       text NOT NULL,
    min_monthly_net_wage_minor     integer NOT NULL,
    board_lodging_deductible       boolean NOT NULL,
    max_weekly_hours               real NOT NULL,
    min_daily_rest_hours           real NOT NULL,
    min_weekly_rest_days           real NOT NULL,
    min_annual_leave_weeks         real NOT NULL,
    young_worker_age               integer NOT NULL,
    min_annual_leave_weeks_young   real NOT NULL,
    min_public_holidays            integer NOT NULL,
    min_overtime_premium_pct       integer NOT NULL,
    min_night_premium_pct          integer NOT NULL,
    min_sunday_premium_pct         integer NOT NULL,
    health_insurance_required      boolean NOT NULL,
    accident_insurance_required    boolean NOT NULL,
    own_lockable_room_required     boolean NOT NULL,
    sole_name_account_required     boolean NOT NULL,
    worker_keeps_passport_required boolean NOT NULL,
    family_contact_required        boolean NOT NULL,
    return_travel_required         boolean NOT NULL,
    min_notice_period_days         integer NOT NULL,
    min_worker_age                 integer NOT NULL,
    household_quota                text NOT NULL DEFAULT '{}',
    arrival_registration_days      integer NOT NULL,
    checkin_interval_months        integer NOT NULL,
    id_card_validity_months        integer NOT NULL,
    renewal_lead_days              integer NOT NULL,
    reminder_lead_days             text NOT NULL DEFAULT '[]',
    escalation_steps               text NOT NULL DEFAULT '[]',
    retention_years                integer NOT NULL,
    refs                           text NOT NULL DEFAULT '{}',
    created_at                     datetime NOT NULL,
    updated_at                     datetime NOT NULL
);
CREATE INDEX policies_effective_from ON policies (effective_from, version);

CREATE TABLE employments (
    id                                   text PRIMARY KEY,
    worker_id                            text NOT NULL REFERENCES workers (id),
    employer_id                          text NOT NULL REFERENCES employers (id),
    mission_id                           text NOT NULL REFERENCES missions (id),
    policy_id                            text NOT NULL REFERENCES policies (id),
    status                               text NOT NULL,
    start_date                           text NOT NULL,
    end_date                             text,
    arrival_date                         text,
    departure_date                       text,
    id_card_number                       text NOT NULL DEFAULT '',
    id_card_expiry                       text,
    terms_monthly_net_wage_minor         integer NOT NULL,
    terms_currency                       text NOT NULL,
    terms_weekly_hours                   real NOT NULL,
    terms_daily_rest_hours               real NOT NULL,
    terms_weekly_rest_days               real NOT NULL,
    terms_annual_leave_weeks             real NOT NULL,
    terms_public_holidays                integer NOT NULL,
    terms_overtime_premium_pct           integer NOT NULL,
    terms_night_premium_pct              integer NOT NULL,
    terms_sunday_premium_pct             integer NOT NULL,
    terms_own_lockable_room              boolean NOT NULL,
    terms_paid_into_sole_name_account    boolean NOT NULL,
    terms_worker_keeps_passport          boolean NOT NULL,
    terms_own_phone_and_family_contact   boolean NOT NULL,
    terms_health_insurance_by_employer   boolean NOT NULL,
    terms_accident_insurance_by_employer boolean NOT NULL,
    terms_return_travel_by_employer      boolean NOT NULL,
    terms_notice_period_days             integer NOT NULL,
    terms_duties                         text NOT NULL DEFAULT '[]',
    terms_contract_languages             text NOT NULL DEFAULT '[]',
    created_at                           datetime NOT NULL,
    updated_at                           datetime NOT NULL
);
CREATE INDEX employments_mission_id ON employments (mission_id, id);
CREATE INDEX employments_employer_id ON employments (employer_id, status);
CREATE INDEX employments_worker_id ON employments (worker_id);
-- A worker is bound by at most one open employment at a time.
CREATE UNIQUE INDEX employments_one_open_per_worker ON employments (worker_id)
    WHERE status IN ('notified', 'approved', 'active', 'suspended');

CREATE TABLE users (
    id            text PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    role          text NOT NULL,
    mission_id    text REFERENCES missions (id),
    disabled      boolean NOT NULL DEFAULT false,
    last_login_at datetime,
    created_at    datetime NOT NULL,
    updated_at    datetime NOT NULL
);

CREATE TABLE sessions (
    id         text PRIMARY KEY,
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash text NOT NULL UNIQUE,
    expires_at datetime NOT NULL,
    created_at datetime NOT NULL,
    updated_at datetime NOT NULL
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE api_tokens (
    id           text PRIMARY KEY,
    user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    token_hash   text NOT NULL UNIQUE,
    last_used_at datetime,
    created_at   datetime NOT NULL,
    updated_at   datetime NOT NULL
);
CREATE INDEX api_tokens_user_id ON api_tokens (user_id);

CREATE TABLE audit_events (
    id          text PRIMARY KEY,
    seq         integer NOT NULL UNIQUE,
    at          datetime NOT NULL,
    actor_id    text NOT NULL,
    actor_role  text NOT NULL,
    action      text NOT NULL,
    object_type text NOT NULL,
    object_id   text NOT NULL,
    request_id  text NOT NULL,
    detail      text NOT NULL DEFAULT '',
    prev_hash   text NOT NULL,
    hash        text NOT NULL,
    created_at  datetime NOT NULL,
    updated_at  datetime NOT NULL
);

-- The audit trail is append-only: the application never updates or deletes
-- a row, and the database refuses it too. (Whoever holds the file can still
-- drop the triggers; the hash chain is what makes such an edit evident.)
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_events;
DROP TABLE api_tokens;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE employments;
DROP TABLE policies;
DROP TABLE workers;
DROP TABLE employers;
DROP TABLE missions;
