-- +goose Up
-- applied is set inside the transaction of the request's own write, so a
-- key is marked applied if and only if the write committed: a retry after a
-- lost answer can then never run the write again. attempt names the request
-- holding the key; a retry that takes over an abandoned claim gives it a new
-- one, and the first request's write can no longer commit.
ALTER TABLE idempotency_keys ADD COLUMN applied BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE idempotency_keys ADD COLUMN attempt text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN attempt;
ALTER TABLE idempotency_keys DROP COLUMN applied;
