-- +goose Up
-- Participants are paid as the law says (DOMAIN.md, Service decision):
-- a decision's compensation must fit its kind, and customers carry the
-- sector that decides whether rehabilitative work activity may be arranged
-- for them (Act 189/2001: never in a profit-making company). The same
-- changes as the PostgreSQL migration; SQLite cannot add a table CHECK
-- without rebuilding the table, so triggers hold the rules instead.

-- 1. Customer sector. Existing customers are defaulted from what the
-- database already knows: a unit of the same city (vat_treatment internal)
-- or a public buyer is public; every other customer becomes company. That
-- is the conservative choice: company forbids rehabilitative placements, so
-- no participant is placed where the law may forbid it until a coordinator
-- has set the real sector (an association: non_profit). Organisers have no
-- sector.
ALTER TABLE organizations ADD COLUMN sector text CHECK (sector IS NULL OR sector IN ('public', 'non_profit', 'company'));
UPDATE organizations
   SET sector = CASE WHEN vat_treatment = 'internal' OR public_buyer THEN 'public' ELSE 'company' END
 WHERE kind = 'customer' AND sector IS NULL;

-- +goose StatementBegin
CREATE TRIGGER organizations_sector_insert BEFORE INSERT ON organizations
WHEN (NEW.kind = 'customer') <> (NEW.sector IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: organizations_sector'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER organizations_sector_update BEFORE UPDATE OF kind, sector ON organizations
WHEN (NEW.kind = 'customer') <> (NEW.sector IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: organizations_sector'); END;
-- +goose StatementEnd

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
UPDATE service_decisions SET compensation = 'none'
 WHERE kind = 'rehabilitative_work_activity' AND compensation <> 'none';
UPDATE service_decisions SET compensation = 'none'
 WHERE kind = 'disability_work_activity' AND compensation = 'hourly_wage';
UPDATE service_decisions SET compensation = 'hourly_wage'
 WHERE kind = 'supported_employment' AND compensation <> 'hourly_wage';

-- +goose StatementBegin
CREATE TRIGGER service_decisions_compensation_fits_kind_insert BEFORE INSERT ON service_decisions
WHEN NOT ((NEW.kind = 'rehabilitative_work_activity' AND NEW.compensation = 'none')
    OR (NEW.kind = 'disability_work_activity' AND NEW.compensation IN ('daily_allowance', 'none'))
    OR (NEW.kind = 'supported_employment' AND NEW.compensation = 'hourly_wage'))
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: service_decisions_compensation_fits_kind'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER service_decisions_compensation_fits_kind_update BEFORE UPDATE OF kind, compensation ON service_decisions
WHEN NOT ((NEW.kind = 'rehabilitative_work_activity' AND NEW.compensation = 'none')
    OR (NEW.kind = 'disability_work_activity' AND NEW.compensation IN ('daily_allowance', 'none'))
    OR (NEW.kind = 'supported_employment' AND NEW.compensation = 'hourly_wage'))
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: service_decisions_compensation_fits_kind'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER service_decisions_compensation_fits_kind_update;
DROP TRIGGER service_decisions_compensation_fits_kind_insert;
DROP TRIGGER organizations_sector_update;
DROP TRIGGER organizations_sector_insert;
ALTER TABLE organizations DROP COLUMN sector;
