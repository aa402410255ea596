package participants

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/store"
)

// taxCardReader lets finance, which sees no participant otherwise, reach
// the tax cards: withholding is its business. Others see the participants
// they may see.
func taxCardReader(p auth.Principal) auth.Principal {
	if p.Role == models.RoleFinance {
		p.Role = models.RoleCoordinator
	}
	return p
}

// CreateTaxCard adds the participant's tax card for a year; a second card
// for the same year is a conflict. The response discloses the card, so the
// write is logged.
func (s *Service) CreateTaxCard(ctx context.Context, p auth.Principal, participantID string, c models.TaxCard, route string) (models.TaxCard, error) {
	if err := c.Validate(); err != nil {
		return models.TaxCard{}, err
	}
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		if _, err := s.load(tx, taxCardReader(p), participantID, true); err != nil {
			return err
		}
		c.ID, c.TenantID, c.ParticipantID, c.CreatedAt = store.NewID(), p.TenantID, participantID, s.Clock.Now()
		if err := tx.Create(&c).Error; err != nil {
			if errors.Is(store.Translate(err), models.ErrConflict) {
				return models.Conflict("tax_card_exists", fmt.Sprintf("the participant already has a tax card for %d", c.Year))
			}
			return fmt.Errorf("create tax card: %w", err)
		}
		return LogAccess(tx, p, c.CreatedAt, route, models.AccessUpdate, participantID)
	})
	return c, err
}

// ListTaxCards pages the participant's tax cards and logs the read.
func (s *Service) ListTaxCards(ctx context.Context, p auth.Principal, participantID string, limit int, cursor, route string) (store.Page[models.TaxCard], error) {
	return listOfParticipant[models.TaxCard](ctx, s, p, taxCardReader(p), "tax_cards", participantID, limit, cursor, route)
}
