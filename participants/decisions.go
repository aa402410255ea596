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

// CodeDecisionOverlap is the 409 code of a decision sharing days with
// another decision of the same participant.
const CodeDecisionOverlap = "decision_overlap"

// CreateDecision adds a service decision. Decisions are never edited: a
// change is a new decision from a date. With supersede, the decision that
// covers the new valid_from (and starts before it) ends the day before;
// any other overlap is still a conflict.
// invalid holds what the request already got wrong (see models.ValidationError.With).
func (s *Service) CreateDecision(ctx context.Context, p auth.Principal, participantID string, terms models.DecisionTerms, supersede bool, invalid *models.ValidationError) (models.ServiceDecision, error) {
	if err := invalid.With(terms.Validate()); err != nil {
		return models.ServiceDecision{}, err
	}
	d := models.ServiceDecision{ID: store.NewID(), TenantID: p.TenantID, ParticipantID: participantID, DecisionTerms: terms, CreatedAt: s.Clock.Now()}
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		// The participant's row lock serialises its decisions, so two
		// overlapping ones cannot both pass the check below.
		if _, err := s.load(tx, p, participantID, true); err != nil {
			return err
		}
		var existing []models.ServiceDecision
		if err := tx.Where("tenant_id = ? AND participant_id = ?", p.TenantID, participantID).Order("valid_from").Find(&existing).Error; err != nil {
			return fmt.Errorf("load decisions: %w", err)
		}
		var ended *models.ServiceDecision
		for i, e := range existing {
			if !e.Overlaps(terms) {
				continue
			}
			if supersede && e.Covers(terms.ValidFrom) && e.ValidFrom.Before(terms.ValidFrom) {
				ended = &existing[i]
				continue
			}
			detail := fmt.Sprintf("overlaps decision %s valid %s", e.ID, validity(e.DecisionTerms))
			if !supersede && e.Covers(terms.ValidFrom) && e.ValidFrom.Before(terms.ValidFrom) {
				detail += `; send "supersede": true to end it the day before`
			}
			return fmt.Errorf("decision: %w", models.Conflict(CodeDecisionOverlap, detail))
		}
		// The superseded decision ends before the new one is inserted (the
		// exclusion constraint) and points to it after (the foreign key).
		if ended != nil {
			if err := tx.Model(&models.ServiceDecision{}).Where("id = ?", ended.ID).Update("valid_until", terms.ValidFrom.AddDays(-1)).Error; err != nil {
				return fmt.Errorf("end superseded decision: %w", err)
			}
		}
		if err := tx.Create(&d).Error; err != nil {
			// The exclusion constraint (PostgreSQL) is the only conflict an
			// insert of a fresh id can meet.
			if errors.Is(store.Translate(err), models.ErrConflict) {
				return fmt.Errorf("decision: %w", models.Conflict(CodeDecisionOverlap, "overlaps another decision of the participant"))
			}
			return fmt.Errorf("create decision: %w", err)
		}
		if ended != nil {
			if err := tx.Model(&models.ServiceDecision{}).Where("id = ?", ended.ID).Update("superseded_by", d.ID).Error; err != nil {
				return fmt.Errorf("end superseded decision: %w", err)
			}
		}
		return nil
	})
	return d, err
}

func validity(t models.DecisionTerms) string {
	if t.ValidUntil == nil {
		return "from " + t.ValidFrom.String()
	}
	return t.ValidFrom.String() + "–" + t.ValidUntil.String()
}

// ListDecisions pages a participant's decisions in the order they were made
// and logs the read.
func (s *Service) ListDecisions(ctx context.Context, p auth.Principal, participantID string, limit int, cursor, route string) (store.Page[models.ServiceDecision], error) {
	return listOfParticipant[models.ServiceDecision](ctx, s, p, p, "service_decisions", participantID, limit, cursor, route)
}
