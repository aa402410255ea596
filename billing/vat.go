package billing

import (
	"context"
	"fmt"

	"jobcenter/models"
	"jobcenter/store"
)

// VatRate is the standard VAT rate from a date on, until the next one.
type VatRate struct {
	ValidFrom models.Date `json:"valid_from"`
	RateBps   int64       `json:"rate_bps"`
}

// VatRates lists the standard VAT rates in date order.
func (s *Service) VatRates(ctx context.Context) ([]VatRate, error) {
	var rates []VatRate
	if err := s.DB.Gorm.WithContext(ctx).Raw(`SELECT valid_from, rate_bps FROM vat_rates ORDER BY valid_from`).Scan(&rates).Error; err != nil {
		return nil, fmt.Errorf("VAT rates: %w", err)
	}
	return rates, nil
}

// AddVatRate records a change of the standard VAT rate by law. VAT is
// national, so the rate is the same for every tenant of the service, and
// only from a day after today: invoices already written, and the credit
// notes that repeat their rate, keep the rate of their date.
func (s *Service) AddVatRate(ctx context.Context, r VatRate) error {
	v := &models.ValidationError{}
	if today := models.DateOf(s.Clock.Now(), s.Loc); !r.ValidFrom.After(today) {
		v.Add("/valid_from", fmt.Sprintf("must be after today (%s): a rate never changes invoices already written", today))
	}
	if r.RateBps < 0 || r.RateBps > 10000 {
		v.Add("/rate_bps", "must be 0–10000 basis points")
	}
	if err := v.Err(); err != nil {
		return err
	}
	if err := s.DB.Gorm.WithContext(ctx).Exec(`INSERT INTO vat_rates (valid_from, rate_bps) VALUES (?, ?)`, r.ValidFrom, r.RateBps).Error; err != nil {
		return fmt.Errorf("add VAT rate from %s: %w", r.ValidFrom, store.Translate(err))
	}
	return nil
}
