-- +goose Up
-- The employments list (GET /api/v1/employments?mission_id=&limit=50, keyset
-- on id) reads its summary columns from the index alone: an index-only
-- range scan on (mission_id, id) touches ~5 pages for a page of 50 rows
-- instead of one heap page per row (issue 8, list target). It replaces the
-- plain (mission_id, id) index, which it contains. Status and date changes
-- now update this index (no HOT update): employments change rarely and are
-- listed often.
DROP INDEX employments_mission_id;
CREATE INDEX employments_mission_summary ON employments (mission_id, id)
    INCLUDE (employer_id, worker_id, status, start_date, end_date, arrival_date, departure_date,
             id_card_expiry, terms_monthly_net_wage_minor, terms_currency, terms_weekly_hours);

-- +goose Down
DROP INDEX employments_mission_summary;
CREATE INDEX employments_mission_id ON employments (mission_id, id);
