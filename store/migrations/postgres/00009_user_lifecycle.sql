-- +goose Up
-- Users leave: an admin deactivates them (no login, no refresh, not
-- assignable) instead of deleting the rows their actions refer to. version
-- guards PATCH with If-Match like other updatable objects.
ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;
ALTER TABLE users ADD COLUMN version integer NOT NULL DEFAULT 1;

-- +goose Down
ALTER TABLE users DROP COLUMN version;
ALTER TABLE users DROP COLUMN active;
