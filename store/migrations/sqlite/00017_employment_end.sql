-- +goose Up
-- The last day of a participant's employment: the payout of its month pays
-- all holiday compensation not yet paid (Vuosilomalaki 162/2005 § 17).
ALTER TABLE participants ADD COLUMN employment_end_date TEXT CHECK (employment_end_date >= employment_start_date);

-- +goose Down
ALTER TABLE participants DROP COLUMN employment_end_date;
