-- +goose Up
-- A payout with something left to settle with its participant (a credit
-- note's reversal, or a run's payout that netted below zero) is carried into
-- the participant's payout of the next run that pays them: carried_into
-- names that payout, whose carried_net_cents says how much of its net came
-- from such balances. Without it a corrected and re-billed shift would be
-- paid twice.
ALTER TABLE payouts ADD COLUMN carried_into TEXT REFERENCES payouts(id);
ALTER TABLE payouts ADD COLUMN carried_net_cents INTEGER NOT NULL DEFAULT 0;
CREATE INDEX payouts_open_balances ON payouts (tenant_id, participant_id)
    WHERE carried_into IS NULL AND (invoice_id IS NOT NULL OR net_cents < 0);

-- +goose Down
DROP INDEX payouts_open_balances;
ALTER TABLE payouts DROP COLUMN carried_net_cents;
ALTER TABLE payouts DROP COLUMN carried_into;
