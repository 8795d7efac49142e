-- +goose Up
-- The ILO indicators an interview triggered, in clear and apart from the
-- interview's sealed record, so that the compliance report counts
-- interviews by indicator in SQL (issue 6). A row names no worker: the
-- interview, its mission, the indicator and when; it outlives the
-- worker's personal data (retention erases the interview's own sealed
-- answers, indicators and notes), so reports stay right.
CREATE TABLE interview_indicators (
    interview_id text NOT NULL REFERENCES interviews (id),
    mission_id   text NOT NULL,
    indicator    text NOT NULL,
    recorded_at  datetime NOT NULL,
    PRIMARY KEY (interview_id, indicator)
);
CREATE INDEX interview_indicators_recorded_at ON interview_indicators (recorded_at, mission_id);

-- +goose Down
DROP TABLE interview_indicators;
