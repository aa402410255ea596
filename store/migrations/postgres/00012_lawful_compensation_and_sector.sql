-- +goose NO TRANSACTION
-- +goose Up
-- Participants are paid as the law says (DOMAIN.md, Service decision):
-- a decision's compensation must fit its kind, and customers carry the
-- sector that decides whether rehabilitative work activity may be arranged
-- for them (Act 189/2001: never in a profit-making company).
--
-- Safe on a database in use: every statement runs in its own short
-- transaction (NO TRANSACTION), the new column has no default (a catalog
-- change, no table rewrite), and each CHECK is added NOT VALID (it binds new
-- and updated rows at once, under a brief lock) and only then validated
-- (VALIDATE CONSTRAINT scans under SHARE UPDATE EXCLUSIVE, which lets reads
-- and writes go on). Every statement may run again: a failed run is retried
-- from the start. lock_timeout makes an ALTER give up rather than queue
-- every other query behind a long transaction.
SET lock_timeout = '10s';

-- 1. Customer sector. Existing customers are defaulted from what the
-- database already knows: a unit of the same city (vat_treatment internal)
-- or a public buyer is public; every other customer becomes company. That
-- is the conservative choice: company forbids rehabilitative placements, so
-- no participant is placed where the law may forbid it until a coordinator
-- has set the real sector (an association: non_profit). Organisers have no
-- sector.
ALTER TABLE organizations ADD COLUMN IF NOT EXISTS sector text;
ALTER TABLE organizations DROP CONSTRAINT IF EXISTS organizations_sector;
ALTER TABLE organizations ADD CONSTRAINT organizations_sector CHECK (
    (kind = 'customer' AND sector IS NOT NULL AND sector IN ('public', 'non_profit', 'company'))
    OR (kind <> 'customer' AND sector IS NULL)) NOT VALID;
UPDATE organizations
   SET sector = CASE WHEN vat_treatment = 'internal' OR public_buyer THEN 'public' ELSE 'company' END
 WHERE kind = 'customer' AND sector IS NULL;
ALTER TABLE organizations VALIDATE CONSTRAINT organizations_sector;

-- 2. Compensation fits the decision's kind. Decisions are legal facts from
-- the social-welfare authority, so the kind is never changed; only the
-- compensation, to the lawful value nearest to what was recorded. No row
-- is deleted, and daily_allowance_cents, hourly_wage_cents and
-- withholding_bps keep their old figures so that what was recorded stays
-- readable (no constraint ties them to the compensation; the API refuses
-- new decisions with stray figures).
--   a. rehabilitative_work_activity with daily_allowance or hourly_wage
--      -> none: the organiser may not pay it (Kela, the unemployment fund
--      or the municipality pays per day of attendance).
--   b. disability_work_activity with hourly_wage -> none: it is not
--      employment, and the work share allowance (työosuusraha) was never
--      decided, so none is recorded rather than an invented amount; the
--      coordinator records the allowance with a superseding decision.
--   c. supported_employment with daily_allowance or none -> hourly_wage,
--      with hourly_wage_cents as recorded (0 when none was entered): it is
--      a job, so only a wage is lawful; a zero wage pays nothing until the
--      coordinator records the agreed wage, rather than an allowance the
--      law does not allow for employment.
ALTER TABLE service_decisions DROP CONSTRAINT IF EXISTS service_decisions_compensation_fits_kind;
ALTER TABLE service_decisions ADD CONSTRAINT service_decisions_compensation_fits_kind CHECK (
    (kind = 'rehabilitative_work_activity' AND compensation = 'none')
    OR (kind = 'disability_work_activity' AND compensation IN ('daily_allowance', 'none'))
    OR (kind = 'supported_employment' AND compensation = 'hourly_wage')) NOT VALID;
UPDATE service_decisions SET compensation = 'none'
 WHERE kind = 'rehabilitative_work_activity' AND compensation <> 'none';
UPDATE service_decisions SET compensation = 'none'
 WHERE kind = 'disability_work_activity' AND compensation = 'hourly_wage';
UPDATE service_decisions SET compensation = 'hourly_wage'
 WHERE kind = 'supported_employment' AND compensation <> 'hourly_wage';
ALTER TABLE service_decisions VALIDATE CONSTRAINT service_decisions_compensation_fits_kind;
RESET lock_timeout;

-- +goose Down
-- The fixed compensations are not restored: the old values were unlawful.
ALTER TABLE service_decisions DROP CONSTRAINT IF EXISTS service_decisions_compensation_fits_kind;
ALTER TABLE organizations DROP CONSTRAINT IF EXISTS organizations_sector;
ALTER TABLE organizations DROP COLUMN IF EXISTS sector;
