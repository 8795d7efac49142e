-- +goose Up
-- The day of the month the wage is paid: 1 to 28 (a day every month has),
-- or 0 for "at the latest on the last day of the month", which is what the
-- contracts of existing employments said ("every month").
ALTER TABLE employments ADD COLUMN terms_pay_day integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE employments DROP COLUMN terms_pay_day;
