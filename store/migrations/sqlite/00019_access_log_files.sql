-- +goose Up
-- A bulk export's reads of participants' data (Act 703/2023) are logged per
-- file: who read it, when and by which route once in access_log_files, and
-- each participant in the file as one narrow row of
-- access_log_file_subjects. The columns mean what access_log_entries' do;
-- a participant's access log shows both tables' rows. A file is one row per
-- export, so it keeps the foreign keys access_log_entries has.
CREATE TABLE access_log_files (
    id        text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id),
    user_id   text NOT NULL REFERENCES users(id),
    role      text NOT NULL,
    action    text NOT NULL CHECK (action IN ('read', 'list', 'update', 'export')),
    route     text NOT NULL,
    at        DATETIME NOT NULL
);

-- No foreign keys, unlike access_log_entries: both ids are written by one
-- INSERT … SELECT in the transaction that reads the participants' rows and
-- writes the file's row, so they exist by construction (and participants are
-- never deleted); per-row key checks would cost as much as the rows
-- themselves on a file of 10,000 participants. The key alone serves the
-- participant's access log. The daily retention purge finds a file's
-- subjects by scanning the table: measured on 1.2 million rows, the scan
-- adds little to deleting a month's rows, and an index on file_id would
-- slow every export.
CREATE TABLE access_log_file_subjects (
    participant_id text NOT NULL,
    file_id        text NOT NULL,
    PRIMARY KEY (participant_id, file_id)
);

-- +goose Down
DROP TABLE access_log_file_subjects;
DROP TABLE access_log_files;
