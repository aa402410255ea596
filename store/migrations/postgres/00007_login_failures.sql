-- +goose Up
-- Failed logins, one row per counted key (an email or a client address), in
-- the database so that every replica counts the same failures: a client gets
-- one allowance, not one per replica. Rows older than the window are
-- deleted as new failures come in.
CREATE TABLE login_failures (
    id      TEXT PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('email', 'address')),
    subject TEXT NOT NULL,
    at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (kind, subject, at);
CREATE INDEX login_failures_at ON login_failures (at);

-- +goose Down
DROP TABLE login_failures;
