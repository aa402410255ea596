-- +goose Up
-- Access tokens issued before sessions_from are refused: set when a user is
-- deactivated or gets a new password, so a leaked password's tokens die
-- with it rather than after their 15 minutes.
ALTER TABLE users ADD COLUMN sessions_from DATETIME;

-- +goose Down
ALTER TABLE users DROP COLUMN sessions_from;
