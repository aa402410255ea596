package participants

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/models"
	"jobcenter/store"
)

// CreateOutcome records what happened to a participant next.
func (s *Service) CreateOutcome(ctx context.Context, p auth.Principal, participantID string, o models.Outcome) (models.Outcome, error) {
	o.Note = strings.TrimSpace(o.Note)
	if err := o.Validate(); err != nil {
		return models.Outcome{}, err
	}
	o.ID, o.TenantID, o.ParticipantID, o.CreatedBy, o.CreatedAt = store.NewID(), p.TenantID, participantID, p.UserID, s.Clock.Now()
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		if _, err := s.load(tx, p, participantID, false); err != nil {
			return err
		}
		if err := tx.Create(&o).Error; err != nil {
			return fmt.Errorf("create outcome: %w", err)
		}
		return nil
	})
	return o, err
}

// ListOutcomes pages a participant's outcomes and logs the read.
func (s *Service) ListOutcomes(ctx context.Context, p auth.Principal, participantID string, limit int, cursor, route string) (store.Page[models.Outcome], error) {
	return listOfParticipant[models.Outcome](ctx, s, p, p, "outcomes", participantID, limit, cursor, route)
}

// PutAvailability replaces all of a participant's availability windows and
// returns them by weekday and start time.
func (s *Service) PutAvailability(ctx context.Context, p auth.Principal, participantID string, ws []models.AvailabilityWindow) ([]models.AvailabilityWindow, error) {
	if err := models.ValidateWindows(ws); err != nil {
		return nil, err
	}
	ws = slices.Clone(ws)
	for i := range ws {
		ws[i].TenantID, ws[i].ParticipantID = p.TenantID, participantID
	}
	sortWindows(ws)
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		if _, err := s.load(tx, p, participantID, true); err != nil {
			return err
		}
		if err := tx.Where("tenant_id = ? AND participant_id = ?", p.TenantID, participantID).Delete(&models.AvailabilityWindow{}).Error; err != nil {
			return fmt.Errorf("replace availability: %w", err)
		}
		if len(ws) == 0 {
			return nil
		}
		if err := tx.Create(&ws).Error; err != nil {
			return fmt.Errorf("replace availability: %w", err)
		}
		return nil
	})
	return ws, err
}

// Availability reads a participant's windows and logs the read.
func (s *Service) Availability(ctx context.Context, p auth.Principal, participantID, route string) ([]models.AvailabilityWindow, error) {
	var ws []models.AvailabilityWindow
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		if _, err := s.load(tx, p, participantID, false); err != nil {
			return err
		}
		if err := tx.Where("tenant_id = ? AND participant_id = ?", p.TenantID, participantID).Find(&ws).Error; err != nil {
			return fmt.Errorf("load availability: %w", err)
		}
		return LogAccess(tx, p, s.Clock.Now(), route, models.AccessRead, participantID)
	})
	sortWindows(ws)
	return ws, err
}

func sortWindows(ws []models.AvailabilityWindow) {
	slices.SortFunc(ws, func(a, b models.AvailabilityWindow) int {
		if a.Weekday != b.Weekday {
			return a.Weekday - b.Weekday
		}
		return int(a.StartTime - b.StartTime)
	})
}
