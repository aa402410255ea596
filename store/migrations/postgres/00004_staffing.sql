-- +goose Up
-- A participant or a supervisor on a shift. The shift's times are copied so
-- that one exclusion constraint keeps every person off overlapping shifts,
-- whatever the concurrency: the last line of defence behind the checks and
-- row locks of the staffing use case.
CREATE TABLE assignments (
    id             text PRIMARY KEY,
    tenant_id      text NOT NULL REFERENCES tenants(id),
    shift_id       text NOT NULL REFERENCES shifts(id),
    participant_id text REFERENCES participants(id),
    supervisor_id  text REFERENCES users(id),
    person_id      text NOT NULL,
    starts_at      timestamptz NOT NULL,
    ends_at        timestamptz NOT NULL,
    -- false once the shift is cancelled: the person is free again, the
    -- record stays.
    active         boolean NOT NULL DEFAULT true,
    created_by     text NOT NULL REFERENCES users(id),
    created_at     timestamptz NOT NULL,
    CHECK ((participant_id IS NULL) <> (supervisor_id IS NULL)),
    CHECK (person_id = COALESCE(participant_id, supervisor_id)),
    CHECK (ends_at > starts_at),
    CONSTRAINT assignments_shift_person UNIQUE (shift_id, person_id),
    CONSTRAINT assignments_no_overlap EXCLUDE USING gist
        (person_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (active)
);
CREATE INDEX assignments_shift ON assignments (shift_id);
CREATE INDEX assignments_person_time ON assignments (person_id, starts_at);

-- +goose Down
DROP TABLE assignments;
