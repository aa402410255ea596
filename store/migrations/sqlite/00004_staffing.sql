-- +goose Up
-- A participant or a supervisor on a shift. SQLite has no exclusion
-- constraint: the staffing use case checks overlaps inside an immediate
-- transaction, which holds the database's write lock from its start.
CREATE TABLE assignments (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    shift_id       TEXT NOT NULL REFERENCES shifts(id),
    participant_id TEXT REFERENCES participants(id),
    supervisor_id  TEXT REFERENCES users(id),
    person_id      TEXT NOT NULL,
    starts_at      DATETIME NOT NULL,
    ends_at        DATETIME NOT NULL,
    active         BOOLEAN NOT NULL DEFAULT true,
    created_by     TEXT NOT NULL REFERENCES users(id),
    created_at     DATETIME NOT NULL,
    CHECK ((participant_id IS NULL) <> (supervisor_id IS NULL)),
    CHECK (person_id = COALESCE(participant_id, supervisor_id)),
    CHECK (ends_at > starts_at),
    CONSTRAINT assignments_shift_person UNIQUE (shift_id, person_id)
);
CREATE INDEX assignments_shift ON assignments (shift_id);
CREATE INDEX assignments_person_time ON assignments (person_id, starts_at);

-- +goose Down
DROP TABLE assignments;
