package store_test

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"

	"jobcenter/models"
)

// TestMigrationMakesCompensationAndSectorLawful loads rows the way release
// 00011 allowed them (any compensation for any kind, customers without a
// sector), runs migration 00012 and checks what it changed, what it kept and
// that the rules hold afterwards.
func TestMigrationMakesCompensationAndSectorLawful(t *testing.T) {
	_, db := freshDB(t)
	ctx := context.Background()
	if _, err := db.MigrateTo(ctx, 11); err != nil {
		t.Fatal(err)
	}
	exec := func(sql string, args ...any) error {
		return db.WithTx(ctx, func(tx *gorm.DB) error { return tx.Exec(sql, args...).Error })
	}
	must := func(sql string, args ...any) {
		t.Helper()
		if err := exec(sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	must(`INSERT INTO tenants (id, name, created_at) VALUES ('t1', 'City', CURRENT_TIMESTAMP)`)
	org := func(id, kind, vat string, publicBuyer bool) {
		must(`INSERT INTO organizations (id, tenant_id, kind, name, vat_treatment, public_buyer, created_at, updated_at)
			VALUES (?, 't1', ?, ?, ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, id, kind, "Org "+id, vat, publicBuyer)
	}
	org("internal", "customer", "internal", false)
	org("buyer", "customer", "standard", true)
	org("firm", "customer", "standard", false)
	org("exempt", "customer", "exempt", false)
	org("organiser", "organiser", "", false)
	must(`INSERT INTO participants (id, tenant_id, organiser_id, first_name, last_name, pseudonym, iban_encrypted, created_at, updated_at)
		VALUES ('p1', 't1', 'organiser', 'Aino', 'Virtanen', 'Crew 1', 'sealed', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`)
	type decision struct {
		ID, Kind, Compensation string
		Allowance, Wage, Bps   int64
	}
	old := []decision{
		{"rehab-allowance", models.DecisionRehabilitative, models.CompensationDailyAllowance, 1500, 0, 0},
		{"rehab-wage", models.DecisionRehabilitative, models.CompensationHourlyWage, 0, 1350, 1750},
		{"rehab-none", models.DecisionRehabilitative, models.CompensationNone, 0, 0, 0},
		{"disability-allowance", models.DecisionDisability, models.CompensationDailyAllowance, 1500, 0, 0},
		{"disability-wage", models.DecisionDisability, models.CompensationHourlyWage, 0, 1400, 2000},
		{"disability-none", models.DecisionDisability, models.CompensationNone, 0, 0, 0},
		{"supported-allowance", models.DecisionSupportedEmployment, models.CompensationDailyAllowance, 1200, 0, 0},
		{"supported-none", models.DecisionSupportedEmployment, models.CompensationNone, 0, 0, 0},
		{"supported-wage", models.DecisionSupportedEmployment, models.CompensationHourlyWage, 0, 1333, 2500},
	}
	// One participant's decisions never share a day: one year each.
	for i, d := range old {
		must(`INSERT INTO service_decisions (id, tenant_id, participant_id, kind, valid_from, valid_until, max_days_per_week,
			max_hours_per_day, compensation, daily_allowance_cents, hourly_wage_cents, withholding_bps, created_at)
			VALUES (?, 't1', 'p1', ?, ?, ?, 3, 6, ?, ?, ?, ?, CURRENT_TIMESTAMP)`,
			d.ID, d.Kind, models.Date{Year: 2010 + i, Month: 1, Day: 1}, models.Date{Year: 2010 + i, Month: 12, Day: 31},
			d.Compensation, d.Allowance, d.Wage, d.Bps)
	}

	if n, err := db.MigrateTo(ctx, 12); err != nil || n != 1 {
		t.Fatalf("migrate from 00011 to 00012: %d applied, %v", n, err)
	}

	wantSector := map[string]*string{"internal": ptr(models.SectorPublic), "buyer": ptr(models.SectorPublic),
		"firm": ptr(models.SectorCompany), "exempt": ptr(models.SectorCompany), "organiser": nil}
	for id, want := range wantSector {
		var got struct{ Sector *string }
		if err := db.Gorm.Raw(`SELECT sector FROM organizations WHERE id = ?`, id).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if (got.Sector == nil) != (want == nil) || (want != nil && *got.Sector != *want) {
			t.Errorf("%s: sector %v, want %v", id, deref(got.Sector), deref(want))
		}
	}
	wantCompensation := map[string]string{
		"rehab-allowance": models.CompensationNone, "rehab-wage": models.CompensationNone, "rehab-none": models.CompensationNone,
		"disability-allowance": models.CompensationDailyAllowance, "disability-wage": models.CompensationNone,
		"disability-none": models.CompensationNone, "supported-allowance": models.CompensationHourlyWage,
		"supported-none": models.CompensationHourlyWage, "supported-wage": models.CompensationHourlyWage,
	}
	var rows []decision
	if err := db.Gorm.Raw(`SELECT id, kind, compensation, daily_allowance_cents AS allowance, hourly_wage_cents AS wage,
		withholding_bps AS bps FROM service_decisions`).Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(old) {
		t.Fatalf("%d decisions after the migration, want all %d kept", len(rows), len(old))
	}
	seen := 0
	for _, r := range rows {
		for _, o := range old {
			if o.ID != r.ID {
				continue
			}
			seen++
			if r.Compensation != wantCompensation[r.ID] {
				t.Errorf("%s: compensation %s, want %s", r.ID, r.Compensation, wantCompensation[r.ID])
			}
			// The kind and the old figures stay as they were recorded.
			if r.Kind != o.Kind || r.Allowance != o.Allowance || r.Wage != o.Wage || r.Bps != o.Bps {
				t.Errorf("%s: %+v changed more than the compensation (was %+v)", r.ID, r, o)
			}
		}
	}

	if seen != len(old) {
		t.Fatalf("read back %d of the %d decisions", seen, len(old))
	}

	// Afterwards the database itself refuses an unlawful pair and a
	// customer without a sector.
	err := exec(`INSERT INTO service_decisions (id, tenant_id, participant_id, kind, valid_from, max_days_per_week,
		max_hours_per_day, compensation, daily_allowance_cents, created_at)
		VALUES ('late', 't1', 'p1', 'rehabilitative_work_activity', ?, 3, 6, 'daily_allowance', 900, CURRENT_TIMESTAMP)`,
		models.Date{Year: 2030, Month: 1, Day: 1})
	if !errors.Is(err, models.ErrInvalid) {
		t.Errorf("rehabilitative decision with an allowance after the migration: %v", err)
	}
	if err := exec(`UPDATE service_decisions SET compensation = 'daily_allowance' WHERE id = 'supported-wage'`); !errors.Is(err, models.ErrInvalid) {
		t.Errorf("supported employment changed to an allowance: %v", err)
	}
	if err := exec(`INSERT INTO organizations (id, tenant_id, kind, name, vat_treatment, created_at, updated_at)
		VALUES ('nosector', 't1', 'customer', 'No sector', 'standard', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`); !errors.Is(err, models.ErrInvalid) {
		t.Errorf("customer without a sector: %v", err)
	}
	if err := exec(`UPDATE organizations SET sector = 'company' WHERE id = 'organiser'`); !errors.Is(err, models.ErrInvalid) {
		t.Errorf("organiser with a sector: %v", err)
	}
	if err := exec(`UPDATE organizations SET sector = 'charity' WHERE id = 'firm'`); !errors.Is(err, models.ErrInvalid) {
		t.Errorf("unknown sector: %v", err)
	}
	if db.Dialect == "postgres" {
		var validated []bool
		if err := db.Gorm.Raw(`SELECT convalidated FROM pg_constraint WHERE conname IN
			('organizations_sector', 'service_decisions_compensation_fits_kind')`).Scan(&validated).Error; err != nil {
			t.Fatal(err)
		}
		if len(validated) != 2 || !validated[0] || !validated[1] {
			t.Errorf("constraints validated: %v, want both", validated)
		}
	}
}

func ptr(s string) *string { return &s }

func deref(s *string) string {
	if s == nil {
		return "<null>"
	}
	return *s
}
