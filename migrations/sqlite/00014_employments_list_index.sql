-- +goose Up
-- The employments list reads its summary columns from the index alone
-- (see the PostgreSQL migration). SQLite has no INCLUDE: the columns
-- follow the key (mission_id, id), which is unique, so they never change
-- the order.
DROP INDEX employments_mission_id;
CREATE INDEX employments_mission_summary ON employments (mission_id, id,
    employer_id, worker_id, status, start_date, end_date, arrival_date, departure_date,
    id_card_expiry, terms_monthly_net_wage_minor, terms_currency, terms_weekly_hours);

-- +goose Down
DROP INDEX employments_mission_summary;
CREATE INDEX employments_mission_id ON employments (mission_id, id);
